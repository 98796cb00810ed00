import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, setCsrfToken, type Body, type Schema } from "../../api";
import { sessionKey } from "../auth/session";

/** A resident's sign-up as the community sees it (居民账号核实). */
export type Signup = Schema<"Signup">;
export type SignupStatus = Signup["status"];
export type SignupCandidate = Schema<"SignupCandidate">;
export type MySignup = Schema<"MySignup">;
export type Invitation = Schema<"Invitation">;
export type NewInvitation = Schema<"NewInvitation">;
export type SignupBody = Body<"post", "/api/signup">;

export const accountKeys = {
  all: ["accounts"] as const,
  mine: ["accounts", "mine"] as const,
  signups: (status: SignupStatus | undefined, page: number) => ["accounts", "signups", status, page] as const,
  candidates: (id: string | undefined) => ["accounts", "candidates", id] as const,
  invitations: (page: number) => ["accounts", "invitations", page] as const,
};

// ---------------------------------------------------------------- sign-up (no login yet)

export function useSignupSettings() {
  return useQuery({ queryKey: ["signup", "settings"], queryFn: ({ signal }) => http.get("/api/signup/settings", { signal, noAuthRedirect: true }) });
}

export function useCommunityBuildings(communityId: string | undefined) {
  return useQuery({
    queryKey: ["signup", "buildings", communityId],
    queryFn: ({ signal }) => http.get("/api/signup/communities/{id}/buildings", { params: { path: { id: communityId ?? "" } }, signal, noAuthRedirect: true }).then((r) => r.items),
    enabled: Boolean(communityId),
  });
}

export function useBuildingDwellings(buildingId: string | undefined) {
  return useQuery({
    queryKey: ["signup", "dwellings", buildingId],
    queryFn: ({ signal }) => http.get("/api/signup/buildings/{id}/dwellings", { params: { path: { id: buildingId ?? "" } }, signal, noAuthRedirect: true }).then((r) => r.items),
    enabled: Boolean(buildingId),
  });
}

export function useRequestSmsCode() {
  return useMutation({ mutationFn: (phone: string) => http.post("/api/signup/sms-code", { body: { phone }, noAuthRedirect: true }) });
}

export function usePreviewInvitation() {
  return useMutation({ mutationFn: (code: string) => http.post("/api/signup/invitation", { body: { code }, noAuthRedirect: true }) });
}

/** Signs up and is signed in: the session is read again so the resident face opens. */
export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SignupBody) => http.post("/api/signup", { body, noAuthRedirect: true }),
    onSuccess: async (res) => {
      setCsrfToken(res.csrfToken);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      await queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
}

// ---------------------------------------------------------------- the resident's own

export function useMySignup() {
  return useQuery({ queryKey: accountKeys.mine, queryFn: ({ signal }) => http.get("/api/accounts/me", { signal }) });
}

// ---------------------------------------------------------------- the community's checks

export function useSignups(status: SignupStatus | undefined, page: number) {
  return useQuery({
    queryKey: accountKeys.signups(status, page),
    queryFn: ({ signal }) => http.get("/api/accounts/signups", { params: { query: { status, page, pageSize: 20 } }, signal }),
    placeholderData: (prev) => prev,
  });
}

export function useSignupCandidates(id: string | undefined) {
  return useQuery({
    queryKey: accountKeys.candidates(id),
    queryFn: ({ signal }) => http.get("/api/accounts/signups/{id}/candidates", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

export function useLinkSignup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, personId }: { id: string; personId: string }) => http.post("/api/accounts/signups/{id}/link", { params: { path: { id } }, body: { personId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
}

export function useRejectSignup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => http.post("/api/accounts/signups/{id}/reject", { params: { path: { id } }, body: { reason } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
}

export function useRevealSignupPhone() {
  return useMutation({
    mutationFn: ({ id, purpose }: { id: string; purpose: string }) => http.post("/api/accounts/signups/{id}/reveal-phone", { params: { path: { id } }, body: { purpose } }),
  });
}

export function useInvitations(page: number) {
  return useQuery({
    queryKey: accountKeys.invitations(page),
    queryFn: ({ signal }) => http.get("/api/accounts/invitations", { params: { query: { page, pageSize: 50 } }, signal }),
    placeholderData: (prev) => prev,
  });
}

export function useCreateInvitations() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<"post", "/api/accounts/invitations">) => http.post("/api/accounts/invitations", { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all }),
  });
}
