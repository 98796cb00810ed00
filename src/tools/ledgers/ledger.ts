/**
 * What every ledger kind (台账) brings to the shared import and export pipeline: its columns
 * (`LedgerDefinition`), the registry look-ups and cross-row checks it needs before validation,
 * the bulk insert that writes validated rows, and the rows of its export.
 */
import type { Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import type { ColumnMapping, ExportColumn, ExportValue, LedgerDefinition, RowCheckProblem, Table } from "../../platform/tabular/index.js";
import type { GridIndex } from "../../modules/areas/index.js";

export const ledgerKinds = ["persons", "households", "party-members", "buildings"] as const;
export type LedgerKindName = (typeof ledgerKinds)[number];

export function isLedgerKind(k: string): k is LedgerKindName {
  return (ledgerKinds as readonly string[]).includes(k);
}

/** The area an import or export is about (a street, community or grid). */
export interface LedgerArea {
  id: string;
  path: string;
  level: string;
  name: string;
}

export interface PrepareContext {
  db: Db;
  keyring: DataKeyring;
  actor: Actor;
  area: LedgerArea;
  table: Table;
  mapping: ColumnMapping;
  gridIndex: GridIndex;
  /** Rows per INSERT (and per progress report while writing). */
  writeChunk: number;
}

/** What a ledger decided after reading the registry, used by validation and then by the writer. */
export interface PreparedLedger<T> {
  /** Field combinations unique within the file. */
  uniqueKeys?: readonly (readonly string[])[];
  /**
   * Cross-field and registry checks, called once per parsed row in sheet order (so a check may
   * remember earlier rows, e.g. "the same household at another dwelling than row 7").
   */
  rowCheck?(row: T, rowNumber: number): RowCheckProblem[];
  /**
   * Inserts every row inside `tx` (the caller's transaction), reporting rows written after each
   * chunk. Returns what the audit entry records (no personal values, hashes at most).
   */
  write(tx: Db, rows: T[], progress: (done: number) => void): Promise<{ change: Record<string, unknown>; summary: Record<string, unknown> }>;
}

export interface ExportContext {
  db: Db;
  keyring: DataKeyring;
  area: LedgerArea;
  /** Clear values (a clear export) or masked ones. */
  clear: boolean;
}

export interface LedgerKind<T extends Record<string, unknown> = Record<string, unknown>> {
  kind: LedgerKindName;
  definition: LedgerDefinition;
  /** Audit action of an import, e.g. "persons.import". */
  auditAction: string;
  /** Whether the export holds personal data (a clear export then needs a purpose and a role allowed to see it). */
  personal: boolean;
  prepare(ctx: PrepareContext): Promise<PreparedLedger<T>>;
  /** Export columns: the import labels, so an export re-imports. */
  exportColumns: readonly ExportColumn[];
  /** Keys of export columns left out of masked files: the staff's free text about residents, which masking cannot make safe. */
  clearOnlyColumns?: readonly string[];
  exportRows(ctx: ExportContext): Promise<Record<string, ExportValue>[]>;
}

/** The cell parsers moved to platform/tabular (the 12345 hotline import in cases uses them too). */
export { bad, ok, parseCount, parseDate, parseText } from "../../platform/tabular/index.js";
