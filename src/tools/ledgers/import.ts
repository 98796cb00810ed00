/**
 * 台账导入: one pipeline for every ledger kind. Read the file → check the column mapping →
 * let the ledger look up what it needs in the registry → validate every row (cells, duplicates
 * within the file and against the registry, cross-field checks) → if any problem, nothing is
 * written and the report names each row and column in Chinese without the values → else every
 * row in one transaction with one audit entry. `dryRun` stops after validation.
 */
import type { Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { authorize } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { applyMapping, readTable, suggestMapping, validateRows, type ColumnMapping, type LedgerDefinition, type Problem, type Table } from "../../platform/tabular/index.js";
import { areaSummary, GridIndex } from "../../modules/areas/index.js";
import { buildingsKind } from "./buildings.js";
import { householdsKind } from "./households.js";
import type { LedgerArea, LedgerKind, LedgerKindName } from "./ledger.js";
import { partyMembersKind } from "./party-members.js";
import { personsKind } from "./persons.js";
import { ledgerPolicy } from "./policy.js";

export { personsLedger } from "./persons.js";

export const ledgers: Record<LedgerKindName, LedgerKind> = {
  persons: personsKind,
  households: householdsKind,
  "party-members": partyMembersKind,
  buildings: buildingsKind,
};

export type ImportStage = "read" | "validate" | "write";

export interface ImportOutcome {
  ok: boolean;
  written: number;
  summary: { total: number; valid: number; invalid: number; problemCount: number; omittedProblems: number };
  problems: Problem[];
  /** The mapping used (field → header), to show and confirm. */
  mapping: Record<string, string | null>;
  headers: string[];
}

export interface ImportOptions {
  areaId: string;
  file: { bytes: Uint8Array; fileName: string };
  /** Field key → header text or 0-based column (or null: not imported); default the suggestion. */
  mapping?: Record<string, string | number | null> | undefined;
  /** Headers left out on purpose; any other column no field uses is an error. */
  ignoreColumns?: string[] | undefined;
  dryRun?: boolean;
  /** Stages in order read → validate → write; `done` rows of `total`. Write events come from inside the transaction. */
  onProgress?: (stage: ImportStage, done: number, total?: number) => void;
  /** Point → grid (buildings); a fresh one is loaded when absent. */
  gridIndex?: GridIndex;
  /** Rows per INSERT and per write progress event (default 1,000). */
  writeChunk?: number;
}

/** The area of an import or export, authorized for `action` (404 out of scope, 403 forbidden). */
export async function ledgerArea(db: Db, actor: Actor, areaId: string, action: "import" | "export" | "exportClear"): Promise<LedgerArea> {
  const row: LedgerArea | undefined = await areaSummary(db, areaId);
  const area = row ? { ...row, areaPath: row.path } : undefined;
  authorize(actor, action, area, ledgerPolicy);
  return row!;
}

/**
 * The mapping to check: the suggestion, with the fields a person chose replacing it (a field set
 * to null is not imported; a column they gave to one field is taken from the field suggested for it).
 */
function resolveMapping(table: Table, definition: LedgerDefinition, requested: ImportOptions["mapping"], ignoreColumns: string[] | undefined): ColumnMapping {
  const suggested: Record<string, string | number | null> = { ...suggestMapping(table.headers, definition).mapping };
  if (requested) {
    const claimed = new Set(Object.values(requested).filter((v) => v !== null && v !== undefined).map((v) => (typeof v === "number" ? v : table.headers.indexOf(v))));
    for (const [k, v] of Object.entries(suggested)) if (typeof v === "number" && claimed.has(v) && !(k in requested)) suggested[k] = null;
  }
  return applyMapping(table.headers, definition, { ...suggested, ...requested }, { ignoreColumns: ignoreColumns ?? [] });
}

/** Validates a ledger of `kind` for an area and, unless `dryRun`, writes every row in one transaction. */
export async function importLedger(db: Db, keyring: DataKeyring, actor: Actor, kind: LedgerKindName, opts: ImportOptions): Promise<ImportOutcome> {
  const ledger = ledgers[kind];
  const area = await ledgerArea(db, actor, opts.areaId, "import");
  const table = await readTable(opts.file, { onProgress: (d, t) => opts.onProgress?.("read", d, t) });
  const mapping = resolveMapping(table, ledger.definition, opts.mapping, opts.ignoreColumns);
  const prepared = await ledger.prepare({ db, keyring, actor, area, table, mapping, gridIndex: opts.gridIndex ?? new GridIndex(), writeChunk: opts.writeChunk ?? 1000 });
  const parsed = await validateRows(table, ledger.definition, mapping, {
    uniqueKeys: prepared.uniqueKeys ?? [],
    onProgress: (d, t) => opts.onProgress?.("validate", d, t),
    // Fields without a column are absent from parsed rows; ledgers read them as null.
    rowCheck: (row, rowNumber) => {
      for (const f of ledger.definition.fields) if (!(f.key in row)) row[f.key] = null;
      return prepared.rowCheck?.(row, rowNumber) ?? [];
    },
  });
  const headerOf = (k: string) => (mapping[k] === null || mapping[k] === undefined ? null : (table.headers[mapping[k]] ?? null));
  const outcome = (written: number): ImportOutcome => ({
    ok: parsed.problems.length === 0 && parsed.ok,
    written,
    summary: parsed.summary,
    problems: parsed.problems,
    mapping: Object.fromEntries(ledger.definition.fields.map((f) => [f.key, headerOf(f.key)])),
    headers: table.headers,
  });
  if (!parsed.ok || opts.dryRun) return outcome(0);

  const total = parsed.rows.length;
  await db.transaction(async (tx) => {
    const { change, summary } = await prepared.write(tx, parsed.rows, (done) => opts.onProgress?.("write", done, total));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: ledger.auditAction,
      entityType: "area",
      entityId: opts.areaId,
      change: { file: opts.file.fileName, ...change },
      summary,
    });
  });
  return outcome(total);
}

/** The persons ledger (kept for callers of the first import: the CLI, bench/import.ts). */
export function importPersons(db: Db, keyring: DataKeyring, actor: Actor, opts: ImportOptions): Promise<ImportOutcome> {
  return importLedger(db, keyring, actor, "persons", opts);
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
  fields: { key: string; label: string; required: boolean; aliases: string[] }[];
}

/** Reads only what the column-mapping step needs: headers, row count and the suggested mapping (no cell values). */
export async function previewImport(db: Db, actor: Actor, kind: LedgerKindName, opts: { areaId: string; file: { bytes: Uint8Array; fileName: string } }): Promise<ImportPreview> {
  const ledger = ledgers[kind];
  await ledgerArea(db, actor, opts.areaId, "import");
  const table = await readTable(opts.file);
  const s = suggestMapping(table.headers, ledger.definition);
  return {
    format: table.format,
    sheetName: table.sheetName ?? null,
    headers: table.headers,
    rowCount: table.rows.length,
    suggestion: Object.fromEntries(Object.entries(s.mapping).map(([k, i]) => [k, i === null ? null : (table.headers[i] ?? null)])),
    unknownHeaders: s.unknownHeaders,
    missingRequired: s.missingRequired,
    fields: ledger.definition.fields.map((f) => ({ key: f.key, label: f.label, required: f.required, aliases: [...(f.aliases ?? [])] })),
  };
}

/** An empty ledger with the import headers, to fill in. */
export function templateColumns(kind: LedgerKindName): { header: string; key: string }[] {
  return ledgers[kind].definition.fields.map((f) => ({ header: f.label, key: f.key }));
}
