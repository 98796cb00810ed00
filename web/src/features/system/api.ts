import { useQuery } from "@tanstack/react-query";
import { api } from "../../api";

export interface ClientConfig {
  /** Optional map tile URL template; null means no tile layer (no external tile server). */
  tileUrl: string | null;
  demo: boolean;
}

export interface Health {
  status: string;
  database: "pglite" | "postgres";
  version: string;
}

export function useClientConfig() {
  return useQuery({
    queryKey: ["config"],
    queryFn: ({ signal }) => api<ClientConfig>("/api/config", { signal }),
    staleTime: Infinity,
  });
}

export function useHealth() {
  return useQuery({
    queryKey: ["health"],
    queryFn: ({ signal }) => api<Health>("/api/health", { signal }),
    staleTime: 60_000,
  });
}
