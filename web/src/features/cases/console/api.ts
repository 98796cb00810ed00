/**
 * The console's own case calls, beside the shared `../api.ts`: the map of open cases by grid, the
 * contact reveal, merging a duplicate, similar open cases for a case, and the 12345 hotline import.
 */
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { download, errorDetails, http, saveBlob, upload, type Answer, type Schema } from "../../../api";
import { caseKeys, type CaseDetail, type ReadableSimilarCase } from "../api";

export type CaseMapGrid = Answer<"get", "/api/cases/map">["grids"][number];
export type CaseMapPoint = CaseMapGrid["points"][number];

/** Open cases in scope (under `areaId`), grouped by grid. */
export function useCaseMap(areaId: string | undefined) {
  return useQuery({
    queryKey: ["cases", "map", areaId ?? null],
    queryFn: ({ signal }) => http.get("/api/cases/map", { params: { query: { areaId } }, signal }),
    enabled: Boolean(areaId),
  });
}

export type CaseContact = Answer<"post", "/api/cases/{id}/contact/reveal">;

/** 查看联系方式: the reporter's phone in clear for a stated purpose (audited by the server). */
export function useRevealCaseContact(id: string) {
  return useMutation({
    mutationFn: (purpose: string) => http.post("/api/cases/{id}/contact/reveal", { params: { path: { id } }, body: { purpose } }),
  });
}

/** Open cases of the same sub-category near this case, without the case itself. */
export function useSimilarForCase(detail: CaseDetail | undefined, enabled: boolean) {
  const q = detail ? { categoryCode: detail.category.code, lng: detail.lng, lat: detail.lat } : null;
  return useQuery({
    queryKey: ["cases", "similar", "for", detail?.id ?? null, q],
    queryFn:
      enabled && q !== null
        ? ({ signal }) => http.get("/api/cases/similar", { params: { query: q }, signal }).then((r) => r.items.filter((s): s is ReadableSimilarCase => s.kind === "case" && s.id !== detail?.id))
        : skipToken,
  });
}

/** 合并: this (submitted or registered) case into an open one of the same sub-category. */
export function useMergeCase(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { intoId: string; note?: string }) =>
      http.post("/api/cases/{id}/merge", { params: { path: { id } }, body: v.note ? { intoId: v.intoId, note: v.note } : { intoId: v.intoId } }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
  });
}

/** A hotline sheet's report: counts, bad rows (no cell values), the columns found, the cases made. */
export type HotlineOutcome = Schema<"HotlineImportReport">;

/**
 * Sends the sheet: a dry run only checks it. A sheet with problems answers 422 with the same
 * report, which is returned here as an outcome with `ok: false` (nothing was written).
 */
export async function importHotlineSheet(areaId: string, file: File, dryRun: boolean): Promise<HotlineOutcome> {
  try {
    return await upload("/api/imports/hotline", file, { params: { query: { areaId, dryRun } }, headers: { "x-file-name": encodeURIComponent(file.name) } });
  } catch (e) {
    const report = errorDetails<HotlineOutcome & { code?: string }>(e);
    if (report && Array.isArray(report.problems) && report.summary) return { ...report, ok: false, written: 0 };
    throw e;
  }
}

export async function downloadHotlineTemplate(areaId: string): Promise<void> {
  const { blob, fileName } = await download("get", "/api/imports/hotline/template", { params: { query: { areaId } } });
  saveBlob(blob, fileName);
}
