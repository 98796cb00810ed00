import { useQuery } from "@tanstack/react-query";
import { ApiError, clientErrorCodes, download, http, saveBlob, upload, type Schema } from "../../api";

export type ImportJob = Schema<"LedgerJob">;
export type LedgerKind = ImportJob["kind"];
export type JobPhase = ImportJob["phase"];
export type ImportPreview = Schema<"LedgerImportPreview">;
export type LedgerField = ImportPreview["fields"][number];
export type ImportOutcome = Schema<"LedgerImportOutcome">;
/** One bad row of a report: the sheet row, the column, and what is wrong (no cell values). */
export type ImportProblem = ImportOutcome["problems"][number];

/** 台账 kinds the server imports and exports, in the order offered; the same set as the server's (checked below). */
export const ledgerKinds = ["households", "persons", "party-members", "buildings"] as const satisfies readonly LedgerKind[];
type Nothing<T extends never> = T;
/** Fails to compile, naming the kind, when the server has a ledger kind this list lacks. */
export type LedgerKindsMissing = Nothing<Exclude<LedgerKind, (typeof ledgerKinds)[number]>>;

/** What the mapping step decided: field → header (null: not imported) and headers left out. */
export interface ChosenMapping {
  mapping: Record<string, string | null>;
  ignore: string[];
}

const fileHeaders = (file: File, extra: Record<string, string> = {}) => ({ "x-file-name": encodeURIComponent(file.name), ...extra });

export function previewImport(kind: LedgerKind, areaId: string, file: File): Promise<ImportPreview> {
  return upload("/api/imports/{kind}/preview", file, { params: { path: { kind }, query: { areaId } }, headers: fileHeaders(file) });
}

/** Starts an import (or a dry run) as a job; the page polls it with `useImportJob`. */
export async function startImport(kind: LedgerKind, areaId: string, file: File, chosen: ChosenMapping, dryRun: boolean): Promise<ImportJob> {
  const answer = await upload("/api/imports/{kind}", file, {
    params: { path: { kind }, query: { areaId, dryRun, async: true } },
    headers: fileHeaders(file, {
      "x-column-mapping": encodeURIComponent(JSON.stringify(chosen.mapping)),
      "x-ignore-columns": encodeURIComponent(JSON.stringify(chosen.ignore)),
    }),
  });
  // async=true: the server answers 202 with the job; an outcome (200) would mean it ran the import without one.
  if (!("phase" in answer)) throw new ApiError(200, { code: clientErrorCodes.badResponse, message: "Expected an import job" });
  return answer;
}

export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: ["importJob", id],
    queryFn: ({ signal }) => http.get("/api/imports/jobs/{id}", { params: { path: { id: id ?? "" } }, signal }),
    enabled: id !== null,
    // Progress: ask twice a second until the job has ended.
    refetchInterval: (q) => (q.state.data && (q.state.data.phase === "done" || q.state.data.phase === "failed") ? false : 500),
    gcTime: 0,
  });
}

export async function downloadReport(jobId: string): Promise<void> {
  const { blob, fileName } = await download("get", "/api/imports/jobs/{id}/report", { params: { path: { id: jobId } } });
  saveBlob(blob, fileName);
}

export async function downloadTemplate(kind: LedgerKind): Promise<void> {
  const { blob, fileName } = await download("get", "/api/imports/{kind}/template", { params: { path: { kind } } });
  saveBlob(blob, fileName);
}

/** Masked export (any reader of the area), or clear with a purpose (roles allowed; audited). */
export async function downloadExport(kind: LedgerKind, areaId: string, purpose?: string): Promise<void> {
  const { blob, fileName } = purpose
    ? await download("post", "/api/exports/{kind}", { params: { path: { kind } }, body: { areaId, purpose } })
    : await download("get", "/api/exports/{kind}", { params: { path: { kind }, query: { areaId } } });
  saveBlob(blob, fileName);
}
