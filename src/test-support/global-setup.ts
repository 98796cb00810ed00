/**
 * Once per run: one migrated PGlite data directory, which each test file loads a copy of (≈1 s
 * instead of ≈4 s); and the `gongzhi` command compiled into one file, which the command-line tests
 * run as a real process (≈1 s to start instead of ≈4 s through tsx, which transforms every source
 * file again in each process).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { build } from "esbuild";
import { migrate, openDatabase } from "../platform/db/index.js";
import { packageRoot } from "../platform/paths.js";
import { databaseUrl, pgOnce } from "./databases.js";

/**
 * Compiles src/cli.ts with its sources in one file, packages left to node_modules. It sits four
 * folders below the package root, as dist/server/platform/calendar does, so what the sources find
 * beside the package (migrations/, the holiday notices) is found the same way.
 */
async function buildCli(): Promise<{ file: string; dir: string }> {
  const cache = path.join(packageRoot, "node_modules", ".cache");
  fs.mkdirSync(cache, { recursive: true });
  const dir = fs.mkdtempSync(path.join(cache, "gongzhi-test-"));
  // node_modules/.cache/gongzhi-test-*/cli/: four folders down, like dist/server/platform/calendar/.
  const nested = path.join(dir, "cli");
  fs.mkdirSync(nested, { recursive: true });
  const file = path.join(nested, "cli.mjs");
  await build({
    entryPoints: [path.join(packageRoot, "src", "cli.ts")],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
  return { file, dir };
}

/**
 * With TEST_DATABASE_URL: one migrated PostgreSQL database that each test database is created
 * from (CREATE DATABASE … TEMPLATE, ≈0.2 s instead of ≈1.3 s of migrations); dropped at the end.
 */
async function buildPostgresTemplate(baseUrl: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `gz_template_${randomBytes(5).toString("hex")}`;
  await pgOnce(baseUrl, `CREATE DATABASE ${name}`);
  const database = await openDatabase({ url: databaseUrl(baseUrl, name), poolSize: 1 });
  try {
    await migrate(database);
  } finally {
    // No session may stay on a template while databases are copied from it.
    await database.close();
  }
  return { name, drop: async () => void (await pgOnce(baseUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
}

export default async function setup(): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-test-"));
  const file = path.join(dir, "template.tar.gz");
  const database = await openDatabase({});
  await migrate(database);
  const dump = await database.pglite!.dumpDataDir("gzip");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  process.env.GONGZHI_TEST_PGLITE_TEMPLATE = file;
  const cli = await buildCli();
  process.env.GONGZHI_TEST_CLI = cli.file;
  const pgUrl = process.env.TEST_DATABASE_URL;
  const pgTemplate = pgUrl ? await buildPostgresTemplate(pgUrl) : undefined;
  if (pgTemplate) process.env.GONGZHI_TEST_PG_TEMPLATE = pgTemplate.name;
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cli.dir, { recursive: true, force: true });
    await pgTemplate?.drop();
  };
}
