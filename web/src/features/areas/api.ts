import { useQuery, type QueryClient } from "@tanstack/react-query";
import { http } from "../../api";
import type { AreaResponse } from "./types";

export const areaKeys = {
  roots: ["areas", "roots"] as const,
  detail: (id: string) => ["areas", "detail", id] as const,
  geojson: (id: string) => ["areas", "geojson", id] as const,
};

export function useAreaRoots() {
  return useQuery({
    queryKey: areaKeys.roots,
    queryFn: ({ signal }) => http.get("/api/areas/roots", { signal }).then((r) => r.items),
    staleTime: 5 * 60_000,
  });
}

/** The query function behind `areaKeys.detail(id)`, for pages that add their own options to that query. */
export function fetchAreaFn(id: string) {
  return ({ signal }: { signal: AbortSignal }) => http.get("/api/areas/{id}", { params: { path: { id } }, signal });
}

export function useArea(id: string | undefined) {
  return useQuery({
    queryKey: areaKeys.detail(id ?? ""),
    queryFn: fetchAreaFn(id ?? ""),
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}

/** Shares the cache with `useArea`, for the tree's lazy loading. */
export function fetchArea(queryClient: QueryClient, id: string): Promise<AreaResponse> {
  return queryClient.fetchQuery({ queryKey: areaKeys.detail(id), queryFn: fetchAreaFn(id), staleTime: 5 * 60_000 });
}

export function useAreaGeoJson(id: string | undefined) {
  return useQuery({
    queryKey: areaKeys.geojson(id ?? ""),
    queryFn: ({ signal }) => http.get("/api/areas/{id}/geojson", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
    staleTime: 10 * 60_000,
  });
}
