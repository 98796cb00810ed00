/**
 * The console's own case calls, beside the shared `../api.ts`: the map of open cases by grid, the
 * contact reveal, merging a duplicate, similar open cases for a case, and the 12345 hotline import.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, apiDownload, errorDetails, saveBlob } from "../../../api";
import { caseKeys, type CaseDetail, type CaseStatus, type ReadableSimilarCase, type SimilarCase } from "../api";

export interface CaseMapPoint {
  id: string;
  lng: number;
  lat: number;
  caseNo: string;
  status: CaseStatus;
  overdue: boolean;
}

export interface CaseMapGrid {
  gridId: string;
  name: string;
  count: number;
  overdue: number;
  points: CaseMapPoint[];
}

/** Open cases in scope (under `areaId`), grouped by grid. */
export function useCaseMap(areaId: string | undefined) {
  return useQuery({
    queryKey: ["cases", "map", areaId ?? null],
    queryFn: ({ signal }) => api<{ grids: CaseMapGrid[] }>("/api/cases/map", { query: { areaId }, signal }),
    enabled: Boolean(areaId),
  });
}

export interface CaseContact {
  name: string | null;
  phone: string | null;
  expiresAt: string;
}

/** 查看联系方式: the reporter's phone in clear for a stated purpose (audited by the server). */
export function useRevealCaseContact(id: string) {
  return useMutation({
    mutationFn: (purpose: string) => api<CaseContact>(`/api/cases/${encodeURIComponent(id)}/contact/reveal`, { method: "POST", body: { purpose } }),
  });
}

/** Open cases of the same sub-category near this case, without the case itself. */
export function useSimilarForCase(detail: CaseDetail | undefined, enabled: boolean) {
  const q = detail ? { categoryCode: detail.category.code, lng: detail.lng, lat: detail.lat } : null;
  return useQuery({
    queryKey: ["cases", "similar", "for", detail?.id ?? null, q],
    queryFn: ({ signal }) => api<{ items: SimilarCase[] }>("/api/cases/similar", { query: q ?? {}, signal }).then((r) => r.items.filter((s): s is ReadableSimilarCase => s.kind === "case" && s.id !== detail?.id)),
    enabled: enabled && q !== null,
  });
}

/** 合并: this (submitted or registered) case into an open one of the same sub-category. */
export function useMergeCase(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { intoId: string; note?: string }) =>
      api<{ id: string; caseNo: string; status: string; mergedIntoId: string; intoCaseNo: string }>(`/api/cases/${encodeURIComponent(id)}/merge`, {
        method: "POST",
        body: v.note ? { intoId: v.intoId, note: v.note } : { intoId: v.intoId },
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
    },
  });
}

/** One bad row of a hotline sheet (no cell values). */
export interface HotlineProblem {
  row: number;
  column?: string;
  field?: string;
  reason: string;
  message: string;
}

export interface HotlineOutcome {
  ok: boolean;
  written: number;
  summary: { total: number; valid: number; invalid: number; problemCount: number; omittedProblems: number };
  problems: HotlineProblem[];
  mapping: Record<string, string | null>;
  headers: string[];
  cases?: { row: number; ticket: string; caseId: string; caseNo: string }[];
}

/**
 * Sends the sheet: a dry run only checks it. A sheet with problems answers 422 with the same
 * report, which is returned here as an outcome with `ok: false` (nothing was written).
 */
export async function importHotlineSheet(areaId: string, file: File, dryRun: boolean): Promise<HotlineOutcome> {
  try {
    return await api<HotlineOutcome>("/api/imports/hotline", {
      method: "POST",
      query: { areaId, dryRun },
      file,
      headers: { "x-file-name": encodeURIComponent(file.name) },
    });
  } catch (e) {
    const report = errorDetails<HotlineOutcome & { code?: string }>(e);
    if (report && Array.isArray(report.problems) && report.summary) return { ...report, ok: false, written: 0 };
    throw e;
  }
}

export async function downloadHotlineTemplate(areaId: string): Promise<void> {
  const { blob, fileName } = await apiDownload("/api/imports/hotline/template", { query: { areaId } });
  saveBlob(blob, fileName);
}
