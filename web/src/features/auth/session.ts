/**
 * The signed-in person, held in the query cache under `sessionKey`. `null` means signed out.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, http, setCsrfToken } from "../../api";
import { changeLanguage, hasStoredLanguage, isLanguage } from "../../i18n";
import type { Me } from "./types";

export const sessionKey = ["session"] as const;

async function fetchSession(): Promise<Me | null> {
  try {
    const res = await http.get("/api/auth/me", { noAuthRedirect: true });
    setCsrfToken(res.csrfToken);
    return res.user;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: fetchSession,
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** The signed-in person; only for components rendered behind `RequireFace`. */
export function useMe(): Me {
  const { data } = useSession();
  if (!data) throw new Error("useMe() outside a signed-in route");
  return data;
}

/** Follow the account's language unless the person chose one on this device. */
async function adoptAccountLanguage(me: Me): Promise<void> {
  if (hasStoredLanguage()) return;
  const lang = me.locale.toLowerCase().startsWith("en") ? "en" : me.locale;
  if (isLanguage(lang)) await changeLanguage(lang, false);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) =>
      http.post("/api/auth/login", { body: input, noAuthRedirect: true }),
    onSuccess: async (res) => {
      setCsrfToken(res.csrfToken);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      queryClient.setQueryData(sessionKey, res.user);
      await adoptAccountLanguage(res.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await http.post("/api/auth/logout", { noAuthRedirect: true });
      } catch (e) {
        // An expired session is already logged out; anything else is worth surfacing.
        if (!(e instanceof ApiError && e.status === 401)) throw e;
      }
    },
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.setQueryData(sessionKey, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    },
  });
}
