import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type QueryOf, type Schema } from "../../../api";

/** 党员: organization relation, status, and the report-in community (双报到). */
export type PartyMember = Schema<"PartyMember">;
export type PartyStatus = PartyMember["status"];
export const partyStatuses: PartyStatus[] = ["inService", "retired", "floating"];

export type MemberFilters = QueryOf<"get", "/api/party/members"> & { page: number; pageSize: number };

export type MemberChanges = Body<"patch", "/api/party/members/{id}">;

/** 双找 registration. */
export type Registration = Schema<"PartyRegistration">;
export type RegistrationKind = Registration["kind"];
export type RegistrationStatus = Registration["status"];

export type FunnelFigures = Answer<"get", "/api/areas/{id}/party/funnel">["total"];

export const partyKeys = {
  all: ["party"] as const,
  members: (f: MemberFilters) => ["party", "members", f] as const,
  member: (id: string | undefined) => ["party", "member", id] as const,
  ofPerson: (personId: string | undefined) => ["party", "person", personId] as const,
  registrations: (areaId: string | undefined, status: RegistrationStatus | undefined, page: number) => ["party", "registrations", areaId, status, page] as const,
  mine: ["party", "mine"] as const,
  funnel: (areaId: string | undefined) => ["party", "funnel", areaId] as const,
};

export function usePartyMembers(f: MemberFilters) {
  return useQuery({
    queryKey: partyKeys.members(f),
    queryFn: ({ signal }) =>
      http.get("/api/party/members", { params: { query: f }, signal }),
    enabled: Boolean(f.areaId),
  });
}

export function usePersonPartyMember(personId: string | undefined) {
  return useQuery({
    queryKey: partyKeys.ofPerson(personId),
    queryFn: ({ signal }) =>
      http.get("/api/persons/{id}/party-member", { params: { path: { id: personId ?? "" } }, signal }),
    enabled: Boolean(personId),
  });
}

export function useRegistrations(areaId: string | undefined, status: RegistrationStatus | undefined, page: number) {
  return useQuery({
    queryKey: partyKeys.registrations(areaId, status, page),
    queryFn: ({ signal }) =>
      http.get("/api/party/registrations", { params: { query: { areaId: areaId ?? "", status, page, pageSize: 20 } }, signal }),
    enabled: Boolean(areaId),
  });
}

export function useMyRegistrations() {
  return useQuery({
    queryKey: partyKeys.mine,
    queryFn: ({ signal }) => http.get("/api/party/registrations/mine", { signal }).then((r) => r.items),
  });
}

export function useFunnel(areaId: string | undefined) {
  return useQuery({
    queryKey: partyKeys.funnel(areaId),
    queryFn: ({ signal }) =>
      http.get("/api/areas/{id}/party/funnel", { params: { path: { id: areaId ?? "" } }, signal }),
    enabled: Boolean(areaId),
  });
}

/** Changes to members or registrations refresh every party query (and the organization member counts). */
function usePartyMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: partyKeys.all });
      void queryClient.invalidateQueries({ queryKey: ["organizations"] });
    },
  });
}

export const useCreatePartyMember = () =>
  usePartyMutation((v: Body<"post", "/api/party/members">) => http.post("/api/party/members", { body: v }));

export const useUpdatePartyMember = (id: string) =>
  usePartyMutation((v: MemberChanges) => http.patch("/api/party/members/{id}", { params: { path: { id } }, body: v }));

export type RegisterInput = Body<"post", "/api/party/registrations">;

export const useRegister = () => usePartyMutation((v: RegisterInput) => http.post("/api/party/registrations", { body: v }));

export const useConfirmRegistration = () =>
  usePartyMutation((v: { id: string } & Body<"post", "/api/party/registrations/{id}/confirm">) => {
    const { id, ...body } = v;
    return http.post("/api/party/registrations/{id}/confirm", { params: { path: { id } }, body });
  });

export const useDeclineRegistration = () =>
  usePartyMutation((v: { id: string; note: string }) =>
    http.post("/api/party/registrations/{id}/decline", { params: { path: { id: v.id } }, body: { note: v.note } }),
  );
