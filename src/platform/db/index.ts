/**
 * One SQL dialect, two engines: PGlite (PostgreSQL compiled to WASM, embedded, data in a
 * directory) by default, and PostgreSQL through `DATABASE_URL`. Same Drizzle schema, same migrations.
 */
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "../paths.js";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql, type SQL } from "drizzle-orm";
/**
 * A database handle or a transaction: services take this and never care which. Not typed by the
 * tables: services build queries from their own module's schema.ts (Drizzle's relational `db.query`
 * API, which would need every table here, is not used), so platform imports no module.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

export type DatabaseKind = "pglite" | "postgres";

export interface Database {
  kind: DatabaseKind;
  db: Db;
  /** Runs raw SQL and returns the rows (both drivers expose `rows`). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Subscribes to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Present in embedded mode. */
  pglite?: PGlite;
  /** Present in PostgreSQL mode. */
  pool?: pg.Pool;
}

export const migrationsFolder = path.join(packageRoot, "migrations");

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded engine is used. */
  url?: string | undefined;
  /** Embedded data directory; absent = in memory. */
  dataDir?: string | undefined;
  /** Embedded only: start from a dumped data directory (tests use a migrated template). */
  loadDataDir?: Blob | File | undefined;
  /** Max pool size in PostgreSQL mode. */
  poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) return openPostgres(opts.url, opts.poolSize ?? 10);
  return openPglite(opts.dataDir, opts.loadDataDir);
}

async function openPglite(dataDir: string | undefined, loadDataDir: Blob | File | undefined): Promise<Database> {
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: "pglite",
    db,
    pglite: client,
    async query<T>(text: string, params?: unknown[]) {
      const res = await client.query<T>(text, params);
      return res.rows;
    },
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => unsub();
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // A pool error on an idle client must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  const db = drizzlePg(pool) as unknown as Db;
  const listeners: pg.PoolClient[] = [];
  return {
    kind: "postgres",
    db,
    pool,
    async query<T>(text: string, params?: unknown[]) {
      const res = await pool.query(text, params);
      return res.rows as T[];
    },
    async listen(channel, onPayload) {
      const client = await pool.connect();
      listeners.push(client);
      const handler = (msg: pg.Notification) => {
        if (msg.channel === channel) onPayload(msg.payload ?? "");
      };
      client.on("notification", handler);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      return async () => {
        client.off("notification", handler);
        await client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
        client.release();
        listeners.splice(listeners.indexOf(client), 1);
      };
    },
    async close() {
      for (const c of listeners.splice(0)) c.release();
      await pool.end();
    },
  };
}

/** Applies every committed migration in `migrations/` (idempotent). */
export async function migrate(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    await migratePglite(database.db as unknown as Parameters<typeof migratePglite>[0], { migrationsFolder });
  } else {
    await migratePg(database.db as unknown as Parameters<typeof migratePg>[0], { migrationsFolder });
  }
}

/** Rows of a raw drizzle `sql` query, whichever driver runs it. */
export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const res = (await db.execute(query)) as { rows: T[] };
  return res.rows;
}

/**
 * A text array column as a string array, whichever driver read it: node-postgres parses
 * `text[]`, while an array built in the query may arrive as its literal `{a,b}`. For elements
 * without commas or quotes (paths, tags, role names).
 */
/** A DATE column as "YYYY-MM-DD" (PGlite hands dates back as Date at UTC midnight, pg as text). */
export function dateOnly(v: string | Date | null): string | null {
  if (v === null) return null;
  if (typeof v === "string") return v.slice(0, 10);
  return v.toISOString().slice(0, 10);
}

/** Values as a comma-separated list of bound parameters, for `in (…)`. */
export function sqlList(values: readonly unknown[]): SQL {
  return sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );
}

export function textArray(v: string[] | string | null): string[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : v.replace(/^\{|\}$/g, "").split(",").filter((x) => x !== "");
}

export { sql };

/**
 * Creates the directory and its missing parents, then checks it is writable. Parents are made
 * one by one: Node's recursive mkdir spins forever on some paths (e.g. under /proc).
 */
export function ensureWritableDir(dir: string): void {
  const missing: string[] = [];
  let current = path.resolve(dir);
  while (!fs.existsSync(current)) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const d of missing) fs.mkdirSync(d);
  fs.accessSync(dir, fs.constants.W_OK);
}
export { areaIdsUnder, deleteCounted, insertChunked, orgIdsUnder, type BulkInsertOptions } from "./bulk.js";
