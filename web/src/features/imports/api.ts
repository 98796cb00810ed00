import { useQuery } from "@tanstack/react-query";
import { api, apiDownload, saveBlob } from "../../api";

/** 台账 kinds the server imports and exports. */
export const ledgerKinds = ["households", "persons", "party-members", "buildings"] as const;
export type LedgerKind = (typeof ledgerKinds)[number];

export interface LedgerField {
  key: string;
  label: string;
  required: boolean;
  aliases: string[];
}

export interface ImportPreview {
  format: "xlsx" | "csv";
  sheetName: string | null;
  headers: string[];
  rowCount: number;
  /** Field key → suggested header (or null). */
  suggestion: Record<string, string | null>;
  unknownHeaders: string[];
  missingRequired: string[];
  fields: LedgerField[];
}

/** One bad row of a report: the sheet row, the column, and what is wrong (no cell values). */
export interface ImportProblem {
  row: number;
  column?: string;
  field?: string;
  reason: string;
  message: string;
}

export interface ImportOutcome {
  ok: boolean;
  written: number;
  summary: { total: number; valid: number; invalid: number; problemCount: number; omittedProblems: number };
  problems: ImportProblem[];
  mapping: Record<string, string | null>;
  headers: string[];
}

export type JobPhase = "reading" | "validating" | "writing" | "done" | "failed";

export interface ImportJob {
  id: string;
  kind: LedgerKind;
  dryRun: boolean;
  phase: JobPhase;
  done: number;
  total: number | null;
  outcome: ImportOutcome | null;
  error: { code: string; message: string; issues?: { code: string; message: string; column?: string; field?: string }[] } | null;
}

/** What the mapping step decided: field → header (null: not imported) and headers left out. */
export interface ChosenMapping {
  mapping: Record<string, string | null>;
  ignore: string[];
}

const fileHeaders = (file: File, extra: Record<string, string> = {}) => ({ "x-file-name": encodeURIComponent(file.name), ...extra });

export function previewImport(kind: LedgerKind, areaId: string, file: File): Promise<ImportPreview> {
  return api<ImportPreview>(`/api/imports/${kind}/preview`, { method: "POST", query: { areaId }, file, headers: fileHeaders(file) });
}

/** Starts an import (or a dry run) as a job; the page polls it with `useImportJob`. */
export function startImport(kind: LedgerKind, areaId: string, file: File, chosen: ChosenMapping, dryRun: boolean): Promise<ImportJob> {
  return api<ImportJob>(`/api/imports/${kind}`, {
    method: "POST",
    query: { areaId, dryRun, async: true },
    file,
    headers: fileHeaders(file, {
      "x-column-mapping": encodeURIComponent(JSON.stringify(chosen.mapping)),
      "x-ignore-columns": encodeURIComponent(JSON.stringify(chosen.ignore)),
    }),
  });
}

export function useImportJob(id: string | null) {
  return useQuery({
    queryKey: ["importJob", id],
    queryFn: ({ signal }) => api<ImportJob>(`/api/imports/jobs/${encodeURIComponent(id!)}`, { signal }),
    enabled: id !== null,
    // Progress: ask twice a second until the job has ended.
    refetchInterval: (q) => (q.state.data && (q.state.data.phase === "done" || q.state.data.phase === "failed") ? false : 500),
    gcTime: 0,
  });
}

export async function downloadReport(jobId: string): Promise<void> {
  const { blob, fileName } = await apiDownload(`/api/imports/jobs/${encodeURIComponent(jobId)}/report`);
  saveBlob(blob, fileName);
}

export async function downloadTemplate(kind: LedgerKind): Promise<void> {
  const { blob, fileName } = await apiDownload(`/api/imports/${kind}/template`);
  saveBlob(blob, fileName);
}

/** Masked export (any reader of the area), or clear with a purpose (roles allowed; audited). */
export async function downloadExport(kind: LedgerKind, areaId: string, purpose?: string): Promise<void> {
  const { blob, fileName } = purpose
    ? await apiDownload(`/api/exports/${kind}`, { method: "POST", body: { areaId, purpose } })
    : await apiDownload(`/api/exports/${kind}`, { query: { areaId } });
  saveBlob(blob, fileName);
}
