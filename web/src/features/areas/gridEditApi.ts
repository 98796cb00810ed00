/** Grid history, split, merge and GeoJSON import: requests and their answers. */
import { useQuery, type QueryClient } from "@tanstack/react-query";
import type { Geometry, Polygon, Position } from "geojson";
import { api } from "../../api";
import type { AreaFeatureCollection, GridType } from "./types";

export interface LineageLink {
  kind: "split" | "merge";
  effectiveOn: string;
  area: { id: string; name: string; code: string | null; validFrom: string | null; validTo: string | null };
}

export interface BoundaryVersion {
  id: string;
  boundary: Geometry;
  validFrom: string;
  validTo: string | null;
  reason: "drawn" | "redrawn" | "split" | "merged" | "imported";
  recordedAt: string;
}

export interface GridHistory {
  versions: BoundaryVersion[];
  predecessors: LineageLink[];
  successors: LineageLink[];
}

export interface Contents {
  buildings: number;
  dwellings: number;
  households: number;
  persons: number;
  /** Cases not yet closed: they follow their location into the new grids. */
  openCases: number;
}

export interface ReshapedGrid {
  id: string | null;
  name: string;
  code: string | null;
  gridType: GridType;
  boundary: Polygon;
  areaM2: number;
  contents: Contents;
}

export interface ReshapeResult {
  dryRun: boolean;
  effectiveOn: string;
  retired: { id: string; name: string; code: string | null }[];
  grids: ReshapedGrid[];
  organizations: { id: string; name: string; kind: string; target: number | null }[];
  grantsCopied: number;
  unlocated: Contents;
}

export interface SplitRequest {
  cutLine?: { type: "LineString"; coordinates: Position[] };
  parts?: { name?: string; gridType?: GridType; boundary?: Polygon }[];
  effectiveOn?: string;
  dryRun: boolean;
  organizations?: { id: string; part: number }[];
}

export interface MergeRequest {
  gridIds: string[];
  name: string;
  gridType: GridType;
  effectiveOn?: string;
  dryRun: boolean;
  repointOrganizations: boolean;
}

export interface GridImportProblem {
  feature: number;
  name: string | null;
  message: string;
}

export interface GridImportOutcome {
  ok: boolean;
  dryRun: boolean;
  effectiveOn: string;
  summary: { total: number; invalid: number; created: number; redrawn: number; retired: number };
  problems: GridImportProblem[];
  grids: { feature: number; id: string | null; name: string; code: string | null; gridType: GridType; action: "create" | "redraw" }[];
  retired: { id: string; name: string; code: string | null }[];
  unlocated: Contents;
}

export function useGridHistory(id: string | undefined) {
  return useQuery({
    queryKey: ["areas", "history", id ?? ""],
    queryFn: ({ signal }) => api<GridHistory>(`/api/areas/${encodeURIComponent(id ?? "")}/history`, { signal }),
    enabled: Boolean(id),
  });
}

/** The grids below an area as they were on `day` (YYYY-MM-DD); off when no day is chosen. */
export function useAreaGeoJsonOn(id: string | undefined, day: string | null) {
  return useQuery({
    queryKey: ["areas", "geojson", id ?? "", "at", day ?? ""],
    queryFn: ({ signal }) => api<AreaFeatureCollection>(`/api/areas/${encodeURIComponent(id ?? "")}/geojson`, { signal, query: { at: day } }),
    enabled: Boolean(id) && Boolean(day),
    staleTime: 10 * 60_000,
  });
}

export function splitGrid(id: string, body: SplitRequest): Promise<ReshapeResult> {
  return api<ReshapeResult>(`/api/areas/${encodeURIComponent(id)}/split`, { method: "POST", body });
}

export function mergeGrids(body: MergeRequest): Promise<ReshapeResult> {
  return api<ReshapeResult>("/api/areas/merge", { method: "POST", body });
}

/** Sends a GeoJSON file as it is; a 422 carries the report (read it with `errorDetails`). */
export function importGrids(communityId: string, file: Blob, opts: { dryRun: boolean; replace: boolean; effectiveOn?: string | undefined }): Promise<GridImportOutcome> {
  return api<GridImportOutcome>("/api/imports/grids", {
    method: "POST",
    file: new Blob([file], { type: "application/geo+json" }),
    query: { communityId, dryRun: opts.dryRun, replace: opts.replace, effectiveOn: opts.effectiveOn },
  });
}

/** After grids change: every area view, map and coverage figure is stale. */
export async function refreshAfterGridChange(queryClient: QueryClient): Promise<void> {
  await Promise.all([
    queryClient.invalidateQueries({ queryKey: ["areas"] }),
    queryClient.invalidateQueries({ queryKey: ["redGrid"] }),
    queryClient.invalidateQueries({ queryKey: ["households"] }),
    queryClient.invalidateQueries({ queryKey: ["persons"] }),
  ]);
}
