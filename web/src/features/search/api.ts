import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { http, type Answer } from "../../api";

export type SearchAnswer = Answer<"post", "/api/search">;
export type SearchGroup = SearchAnswer["groups"][number];
export type SearchHit = SearchGroup["items"][number];
export type SearchKind = SearchHit["kind"];

/** Longest query the server takes. */
export const searchMaxLength = 60;

/** `value`, once it has stayed the same for `ms` (typing pauses). */
export function useSettled<T>(value: T, ms = 250): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * 一框搜索: persons, households, buildings, organizations and cases in the asker's scope. The query
 * travels in a POST body (it may be an ID number: never in a URL or the browser history).
 */
export function useSearch(q: string, opts: { kind?: SearchKind; limit?: number } = {}) {
  const text = q.trim();
  return useQuery({
    queryKey: ["search", text, opts.kind ?? "", opts.limit ?? 0],
    queryFn: ({ signal }) => http.post("/api/search", { body: { q: text, ...(opts.kind ? { kind: opts.kind } : {}), ...(opts.limit ? { limit: opts.limit } : {}) }, signal }),
    enabled: text.length > 0,
    staleTime: 30_000,
    // Nothing typed stays in the cache once the box is left.
    gcTime: 60_000,
    // No placeholder from the previous query: hits of what was typed before must never stand
    // under what is typed now.
  });
}
