/**
 * 站内信 the in-app inbox and live updates: the user's notices (`/api/inbox`) and the event
 * stream (`/api/events/stream`) that tells open pages to refetch what changed.
 */
import { useEffect } from "react";
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { http, type Answer, type Schema } from "../../api";

export type InboxItem = Schema<"InboxItem">;
export type InboxPage = Answer<"get", "/api/inbox">;

export const inboxKeys = {
  all: ["inbox"] as const,
  page: (page: number, unread: boolean) => ["inbox", "list", page, unread] as const,
  badge: ["inbox", "badge"] as const,
  preferences: ["inbox", "preferences"] as const,
};

/** One kind of notice a person can switch off (默认全部开启). */
export type NoticePreference = Answer<"get", "/api/inbox/preferences">["items"][number];

export function useNoticePreferences(enabled = true) {
  return useQuery({
    queryKey: inboxKeys.preferences,
    queryFn: ({ signal }) => http.get("/api/inbox/preferences", { signal }),
    enabled,
  });
}

export function useSetNoticePreference() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: string; enabled: boolean }) => http.put("/api/inbox/preferences", { body: { kinds: { [v.kind]: v.enabled } } }),
    onSuccess: (data) => qc.setQueryData(inboxKeys.preferences, data),
  });
}

export function useInbox(page: number, unread: boolean, enabled = true) {
  return useQuery({
    queryKey: inboxKeys.page(page, unread),
    queryFn: ({ signal }) => http.get("/api/inbox", { params: { query: { page, unread: unread || undefined } }, signal }),
    enabled,
  });
}

/** Only the unread count, for the bell (the first page, which carries it). */
export function useUnreadCount(): number {
  const q = useQuery({
    queryKey: inboxKeys.badge,
    queryFn: ({ signal }) => http.get("/api/inbox", { params: { query: { unread: true } }, signal }),
    // The live stream invalidates it; this is the fallback when the stream is down.
    refetchInterval: 120_000,
  });
  return q.data?.unreadCount ?? 0;
}

export function useMarkRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => http.post("/api/inbox/{id}/read", { params: { path: { id } } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

export function useMarkAllRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => http.post("/api/inbox/read-all"),
    onSuccess: () => void qc.invalidateQueries({ queryKey: inboxKeys.all }),
  });
}

/** Query keys a case event makes stale: case lists and pages, summons queues. */
const caseRoots = new Set(["cases", "case", "summons"]);

function invalidate(qc: QueryClient, roots: Set<string>): void {
  void qc.invalidateQueries({ predicate: (q) => typeof q.queryKey[0] === "string" && roots.has(q.queryKey[0]) });
}

/**
 * Opens the live stream while the component is mounted. Each `case` event refetches case and
 * summons queries, each `inbox` event the inbox; after a reconnect (or a server-side `resync`)
 * everything of both is refetched, since events may have been missed meanwhile. The browser's
 * EventSource reconnects by itself (the server asks for 5 s).
 */
export function useLiveEvents(): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === "undefined") return;
    const source = new EventSource("/api/events/stream");
    let opened = false;
    const all = new Set([...caseRoots, "inbox"]);
    source.addEventListener("case", () => invalidate(qc, caseRoots));
    source.addEventListener("inbox", () => invalidate(qc, new Set(["inbox"])));
    source.addEventListener("resync", () => invalidate(qc, all));
    source.addEventListener("open", () => {
      if (opened) invalidate(qc, all);
      opened = true;
    });
    return () => source.close();
  }, [qc]);
}
