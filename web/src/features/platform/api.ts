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
