/**
 * Chunked multi-row INSERTs, for the owners' bulk functions (the demo street, ledger imports).
 * Modules keep their tables private: they call these with their own table, and other code calls
 * the module's function with rows it has already validated.
 */
import { getTableColumns, getTableName, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import { rows, type Db } from "./index.js";

export interface BulkInsertOptions {
  /** Rows per INSERT (default 1,000; 2,000 for `asJson`). */
  chunk?: number;
  /** Rows written so far, after each chunk (and once with 0 when there are none). */
  onProgress?: (done: number) => void;
  /**
   * Carry each chunk as one JSON parameter (`json_populate_recordset`) instead of a bind parameter
   * per value: far below PostgreSQL's 65,535 parameters and several times faster for PGlite to
   * parse, which is what the demo load needs. The columns are those of the first row (others take
   * their database defaults, not Drizzle's JavaScript ones), so give every row the same keys.
   */
  asJson?: boolean;
}

/** Inserts `values` into `table` in chunks inside the caller's transaction (all or nothing is the caller's). */
export async function insertChunked<T extends PgTable>(tx: Db, table: T, values: readonly T["$inferInsert"][], opts: BulkInsertOptions = {}): Promise<void> {
  const chunk = opts.chunk ?? (opts.asJson ? 2000 : 1000);
  const write = opts.asJson ? jsonWriter(tx, table, values) : (part: T["$inferInsert"][]) => tx.insert(table).values(part);
  for (let i = 0; i < values.length; i += chunk) {
    await write(values.slice(i, i + chunk));
    opts.onProgress?.(Math.min(i + chunk, values.length));
  }
  if (values.length === 0) opts.onProgress?.(0);
}

function jsonWriter<T extends PgTable>(tx: Db, table: T, values: readonly T["$inferInsert"][]): (part: T["$inferInsert"][]) => Promise<unknown> {
  const first = values[0] as Record<string, unknown> | undefined;
  const columns = first ? Object.entries(getTableColumns(table)).filter(([key]) => key in first) : [];
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const tableName = sql.identifier(getTableName(table));
  return (part) => {
    const json = JSON.stringify(
      part.map((v) => {
        const row: Record<string, unknown> = {};
        for (const [key, c] of columns) row[c.name] = (v as Record<string, unknown>)[key] ?? null;
        return row;
      }),
    );
    return tx.execute(sql`insert into ${tableName} (${names}) select ${names} from json_populate_recordset(null::${tableName}, ${json}::json)`);
  };
}

/** Runs a DELETE (without RETURNING) and answers how many rows it removed. */
export async function deleteCounted(tx: Db, query: SQL): Promise<number> {
  const res = await rows<{ n: number | string }>(tx, sql`with d as (${query} returning 1) select count(*) as n from d`);
  return Number(res[0]?.n ?? 0);
}

/** Sub-query of the ids of the areas under a path (the area itself included). */
export function areaIdsUnder(areaPath: string): SQL {
  return sql`(select id from areas where path like ${`${escapeLikePattern(areaPath)}%`})`;
}

/**
 * Sub-query of the ids of the organizations of the areas under a path and their sub-organizations
 * (organization paths hold only uuids and slashes, so they need no LIKE escaping).
 */
export function orgIdsUnder(areaPath: string): SQL {
  return sql`(select o.id from organizations o join organizations top on o.path like top.path || '%'
    where top.area_id in ${areaIdsUnder(areaPath)})`;
}

function escapeLikePattern(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
