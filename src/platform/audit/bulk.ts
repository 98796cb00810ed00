/**
 * Audit entries of a replayed history (the demo cases): steps that happened in the past are
 * written in bulk, each with the entry its service would have recorded. They are written unsealed,
 * in id order, so the sealer chains them like any other entry.
 */
import { sql } from "drizzle-orm";
import { insertChunked, rows, type Db } from "../db/index.js";
import { auditEntries } from "./schema.js";

export type NewAuditEntry = typeof auditEntries.$inferInsert;

/** `n` audit entry ids, ascending, for entries that others (case events) must reference before they are written. */
export async function reserveAuditIds(tx: Db, n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await rows<{ id: string | number }>(tx, sql`select nextval(pg_get_serial_sequence('audit_entries', 'id')) as id from generate_series(1, ${n}::int)`);
  return r.map((x) => Number(x.id)).sort((a, b) => a - b);
}

/** Writes entries (ids from `reserveAuditIds`, digests computed as `recordAudit` does). */
export function insertAuditEntries(tx: Db, values: readonly NewAuditEntry[]): Promise<void> {
  return insertChunked(tx, auditEntries, values, { asJson: true });
}
