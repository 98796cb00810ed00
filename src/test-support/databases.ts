/**
 * Real databases for tests: every DB test runs on PGlite, and on the PostgreSQL server too when
 * TEST_DATABASE_URL is set. Each call of `open()` gives a fresh, migrated, empty database, so
 * test files never interfere.
 */
import fs from "node:fs";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate, openDatabase, type Database } from "../platform/db/index.js";

export interface TestEngine {
  name: "pglite" | "postgres";
  open(): Promise<Database>;
}

const templatePath = process.env.GONGZHI_TEST_PGLITE_TEMPLATE;

async function openPgliteTest(): Promise<Database> {
  if (templatePath && fs.existsSync(templatePath)) {
    const blob = new Blob([fs.readFileSync(templatePath)]);
    return openDatabase({ loadDataDir: blob });
  }
  const database = await openDatabase({});
  await migrate(database);
  return database;
}

/** Runs one statement on its own connection to `url` (creating and dropping databases, looking in). */
export async function pgOnce(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** `baseUrl` pointed at database `name` on the same server. */
export function databaseUrl(baseUrl: string, name: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function openPostgresTest(baseUrl: string): Promise<Database> {
  const name = `gz_test_${randomBytes(6).toString("hex")}`;
  // A copy of the run's migrated template (global-setup.ts), else migrated here.
  const template = /^gz_template_[0-9a-f]+$/.test(process.env.GONGZHI_TEST_PG_TEMPLATE ?? "") ? process.env.GONGZHI_TEST_PG_TEMPLATE : undefined;
  await pgOnce(baseUrl, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
  const database = await openDatabase({ url: databaseUrl(baseUrl, name), poolSize: 8 });
  if (!template) await migrate(database);
  const close = database.close.bind(database);
  database.close = async () => {
    await close();
    await pgOnce(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  };
  return database;
}

/** The engines to run DB tests on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function testEngines(): TestEngine[] {
  const engines: TestEngine[] = [{ name: "pglite", open: openPgliteTest }];
  const url = process.env.TEST_DATABASE_URL;
  if (url) engines.push({ name: "postgres", open: () => openPostgresTest(url) });
  return engines;
}
