/** 用户与权限: the administrators' user list and its actions, and one's own password. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Body, type QueryOf, type Schema } from "../../api";
import { sessionKey } from "./session";

export type AdminUser = Schema<"AdminUser">;
export type UserGrant = Schema<"UserGrant">;
export type UserSession = Schema<"UserSession">;
export type PasswordReset = Schema<"PasswordReset">;
export type UserQuery = QueryOf<"get", "/api/users">;
export type CreateUserBody = Body<"post", "/api/users">;
export type GrantBody = Body<"post", "/api/users/{id}/grants">;

export const userKeys = {
  all: ["users"] as const,
  list: (q: UserQuery) => ["users", "list", q] as const,
  detail: (id: string) => ["users", "detail", id] as const,
  sessions: (id: string) => ["users", "sessions", id] as const,
};

export function useUsers(query: UserQuery) {
  return useQuery({
    queryKey: userKeys.list(query),
    queryFn: ({ signal }) => http.get("/api/users", { params: { query }, signal }),
    placeholderData: (prev) => prev,
  });
}

export function useUser(id: string | undefined) {
  return useQuery({
    queryKey: userKeys.detail(id ?? ""),
    queryFn: ({ signal }) => http.get("/api/users/{id}", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

export function useUserSessions(id: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: userKeys.sessions(id ?? ""),
    queryFn: ({ signal }) => http.get("/api/users/{id}/sessions", { params: { path: { id: id ?? "" } }, signal }).then((r) => r.items),
    enabled: Boolean(id) && enabled,
  });
}

function useUserMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }) });
}

export const useCreateUser = () => useUserMutation((body: CreateUserBody) => http.post("/api/users", { body }));
export const useGrantRole = (id: string) => useUserMutation((body: GrantBody) => http.post("/api/users/{id}/grants", { params: { path: { id } }, body }));
export const useRevokeGrant = (id: string) =>
  useUserMutation((grantId: string) => http.delete("/api/users/{id}/grants/{grantId}", { params: { path: { id, grantId } } }));
export const useSetDisabled = (id: string) =>
  useUserMutation((disabled: boolean) =>
    disabled ? http.post("/api/users/{id}/disable", { params: { path: { id } } }) : http.post("/api/users/{id}/enable", { params: { path: { id } } }),
  );
export const useUnlockUser = (id: string) => useUserMutation(() => http.post("/api/users/{id}/unlock", { params: { path: { id } } }));
export const useLinkPerson = (id: string) =>
  useUserMutation((personId: string | null) => http.put("/api/users/{id}/person", { params: { path: { id } }, body: { personId } }));
export const useResetPassword = (id: string) =>
  useUserMutation((mode: "temporary" | "link") => http.post("/api/users/{id}/password-reset", { params: { path: { id } }, body: { mode } }));
export const useEndSessions = (id: string) =>
  useUserMutation((sessionId: string | null) =>
    sessionId
      ? http.delete("/api/users/{id}/sessions/{sessionId}", { params: { path: { id, sessionId } } })
      : http.delete("/api/users/{id}/sessions", { params: { path: { id } } }),
  );

/** 修改密码 (one's own). Afterwards the session is read again: "must change" is cleared. */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => http.post("/api/auth/password", { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKey }),
  });
}

/** 通过重置链接设置密码 (no session). */
export function useResetWithLink() {
  return useMutation({
    mutationFn: (body: { token: string; password: string }) => http.post("/api/auth/password-reset", { body, noAuthRedirect: true }),
  });
}
