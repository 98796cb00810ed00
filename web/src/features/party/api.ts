import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";

export type PartyStatus = "inService" | "retired" | "floating";
export const partyStatuses: PartyStatus[] = ["inService", "retired", "floating"];

/** 党员: organization relation, status, and the report-in community (双报到). */
export interface PartyMember {
  id: string;
  personId: string;
  /** Masked in lists; clear on one record for grid and community workers. */
  name: string;
  gridId: string | null;
  gridName: string | null;
  status: PartyStatus;
  joinedOn: string | null;
  partyOrgId: string | null;
  partyOrgName: string | null;
  partyOrgKindLabel: string | null;
  outsideOrgName: string | null;
  workUnit: string | null;
  reportInCommunityId: string | null;
  reportInCommunityName: string | null;
  reportInConfirmedOn: string | null;
  abilities?: { read: boolean; update: boolean };
}

export interface MemberFilters {
  areaId?: string | undefined;
  status?: PartyStatus | undefined;
  reportedIn?: boolean | undefined;
  relation?: "inside" | "outside" | "none" | undefined;
  notInGrid?: boolean | undefined;
  page: number;
  pageSize: number;
}

export interface MemberChanges {
  status?: PartyStatus;
  joinedOn?: string | null;
  partyOrgId?: string | null;
  outsideOrgName?: string | null;
  workUnit?: string | null;
  reportInCommunityId?: string | null;
}

export type RegistrationKind = "reportIn" | "floating";
export type RegistrationStatus = "registered" | "confirmed" | "declined";

/** 双找 registration. */
export interface Registration {
  id: string;
  communityId: string;
  communityName: string;
  kind: RegistrationKind;
  personId: string | null;
  name: string;
  /** Masked. */
  phone: string | null;
  orgName: string;
  workUnit: string | null;
  skills: string[];
  message: string | null;
  status: RegistrationStatus;
  decisionNote: string | null;
  registeredAt: string;
  decidedAt: string | null;
  partyMemberId: string | null;
  foundByWorker: boolean;
  abilities?: { read: boolean; decide: boolean };
}

export interface FunnelFigures {
  registered: number;
  pending: number;
  confirmed: number;
  declined: number;
  byKind: Record<RegistrationKind, { registered: number; confirmed: number }>;
  confirmationRate: { ratio: number | null; numerator: number; denominator: number; formula: string; formulaEn: string };
}

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
      api<{ items: PartyMember[]; total: number; page: number; pageSize: number }>("/api/party/members", { query: { ...f }, signal }),
    enabled: Boolean(f.areaId),
  });
}

export function usePersonPartyMember(personId: string | undefined) {
  return useQuery({
    queryKey: partyKeys.ofPerson(personId),
    queryFn: ({ signal }) =>
      api<{ member: PartyMember | null; canCreate: boolean }>(`/api/persons/${encodeURIComponent(personId ?? "")}/party-member`, { signal }),
    enabled: Boolean(personId),
  });
}

export function useRegistrations(areaId: string | undefined, status: RegistrationStatus | undefined, page: number) {
  return useQuery({
    queryKey: partyKeys.registrations(areaId, status, page),
    queryFn: ({ signal }) =>
      api<{ items: Registration[]; total: number }>("/api/party/registrations", { query: { areaId, status, page, pageSize: 20 }, signal }),
    enabled: Boolean(areaId),
  });
}

export function useMyRegistrations() {
  return useQuery({
    queryKey: partyKeys.mine,
    queryFn: ({ signal }) => api<{ items: Registration[] }>("/api/party/registrations/mine", { signal }).then((r) => r.items),
  });
}

export function useFunnel(areaId: string | undefined) {
  return useQuery({
    queryKey: partyKeys.funnel(areaId),
    queryFn: ({ signal }) =>
      api<{ total: FunnelFigures; communities: (FunnelFigures & { communityId: string; name: string })[] }>(
        `/api/areas/${encodeURIComponent(areaId ?? "")}/party/funnel`,
        { signal },
      ),
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
  usePartyMutation((v: MemberChanges & { personId: string; status: PartyStatus }) => api<{ id: string }>("/api/party/members", { method: "POST", body: v }));

export const useUpdatePartyMember = (id: string) =>
  usePartyMutation((v: MemberChanges) => api<null>(`/api/party/members/${encodeURIComponent(id)}`, { method: "PATCH", body: v }));

export interface RegisterInput {
  kind: RegistrationKind;
  communityId?: string;
  personId?: string;
  name?: string;
  phone?: string | null;
  orgName: string;
  workUnit?: string | null;
  skills?: string[];
  message?: string | null;
}

export const useRegister = () => usePartyMutation((v: RegisterInput) => api<{ id: string }>("/api/party/registrations", { method: "POST", body: v }));

export const useConfirmRegistration = () =>
  usePartyMutation((v: { id: string; personId?: string; partyOrgId?: string | null; note?: string | null }) => {
    const { id, ...body } = v;
    return api<{ partyMemberId: string }>(`/api/party/registrations/${encodeURIComponent(id)}/confirm`, { method: "POST", body });
  });

export const useDeclineRegistration = () =>
  usePartyMutation((v: { id: string; note: string }) =>
    api<null>(`/api/party/registrations/${encodeURIComponent(v.id)}/decline`, { method: "POST", body: { note: v.note } }),
  );
