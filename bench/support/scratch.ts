/** A fresh PostgreSQL database for one benchmark run, opened, and dropped (with force) afterwards. */
import pg from "pg";
import { randomBytes } from "node:crypto";
import { openDatabase, type Database } from "../../src/platform/db/index.js";

export async function withScratchDatabase<T>(url: string, fn: (database: Database, scratchUrl: string) => Promise<T>): Promise<T> {
  const name = `gz_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  try {
    const database = await openDatabase({ url: u.toString() });
    try {
      return await fn(database, u.toString());
    } finally {
      await database.close();
    }
  } finally {
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}
