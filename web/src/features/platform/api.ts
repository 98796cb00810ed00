import { useQuery } from "@tanstack/react-query";
import { http, type Answer } from "../../api";

export type ClientConfig = Answer<"get", "/api/config">;
export type Health = Answer<"get", "/api/health">;

export function useClientConfig() {
  return useQuery({
    queryKey: ["config"],
    queryFn: ({ signal }) => http.get("/api/config", { signal }),
    staleTime: Infinity,
  });
}

export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => http.get("/api/health", { signal }),
    staleTime: 60_000,
  });
}

export type TodoItem = Answer<"get", "/api/home/todos">["items"][number];

/** 待办: the signed-in user's to-dos (counts and links), refreshed every 30 s and by the live stream's case refetches. */
export function useTodos(opts: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: ["cases", "todos"],
    queryFn: ({ signal }) => http.get("/api/home/todos", { signal }),
    refetchInterval: opts.refetchInterval ?? 30_000,
  });
}
