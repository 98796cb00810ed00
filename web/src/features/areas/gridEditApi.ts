/** Grid history, split, merge and GeoJSON import: requests and their answers. */
import { useQuery, type QueryClient } from "@tanstack/react-query";
import { http, upload, type Answer, type Body, type Schema } from "../../api";

export type LineageLink = Schema<"AreaLineageLink">;
export type GridHistory = Answer<"get", "/api/areas/{id}/history">;
export type BoundaryVersion = GridHistory["versions"][number];
export type Contents = Schema<"GridContents">;
export type ReshapeResult = Schema<"GridReshapeResult">;
export type ReshapedGrid = ReshapeResult["grids"][number];
export type SplitRequest = Body<"post", "/api/areas/{id}/split">;
export type MergeRequest = Body<"post", "/api/areas/merge">;
/** A GeoJSON import's report: the answer, and the body of its 422 (`grid_import_rejected`) too. */
export type GridImportOutcome = Schema<"GridImportOutcome">;
export type GridImportProblem = GridImportOutcome["problems"][number];
export type GridImportRepair = GridImportOutcome["repairs"][number];

export function useGridHistory(id: string | undefined) {
  return useQuery({
    queryKey: ["areas", "history", id ?? ""],
    queryFn: ({ signal }) => http.get("/api/areas/{id}/history", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

/** The grids below an area as they were on `day` (YYYY-MM-DD); off when no day is chosen. */
export function useAreaGeoJsonOn(id: string | undefined, day: string | null) {
  return useQuery({
    queryKey: ["areas", "geojson", id ?? "", "at", day ?? ""],
    queryFn: ({ signal }) => http.get("/api/areas/{id}/geojson", { params: { path: { id: id ?? "" }, query: day ? { at: day } : {} }, signal }),
    enabled: Boolean(id) && Boolean(day),
    staleTime: 10 * 60_000,
  });
}

export function splitGrid(id: string, body: SplitRequest): Promise<ReshapeResult> {
  return http.post("/api/areas/{id}/split", { params: { path: { id } }, body });
}

export function mergeGrids(body: MergeRequest): Promise<ReshapeResult> {
  return http.post("/api/areas/merge", { body });
}

/** Sends a GeoJSON file as it is; a 422 carries the report (read it with `errorDetails`). */
export function importGrids(
  communityId: string,
  file: Blob,
  opts: { dryRun: boolean; replace: boolean; effectiveOn?: string | undefined; repairMaxM2?: number | undefined },
): Promise<GridImportOutcome> {
  const query = {
    communityId,
    dryRun: opts.dryRun,
    replace: opts.replace,
    ...(opts.effectiveOn ? { effectiveOn: opts.effectiveOn } : {}),
    // Repair only when asked, with its limit.
    repair: opts.repairMaxM2 !== undefined,
    ...(opts.repairMaxM2 !== undefined ? { repairMaxM2: opts.repairMaxM2 } : {}),
  };
  return upload("/api/imports/grids", new Blob([file], { type: "application/geo+json" }), { params: { query } });
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
