/**
 * Once per run: one migrated PGlite data directory, which each test file loads a copy of (≈1 s
 * instead of ≈4 s); and the `gongzhi` command compiled into one file, which the command-line tests
 * run as a real process (≈1 s to start instead of ≈4 s through tsx, which transforms every source
 * file again in each process).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { build } from "esbuild";
import { migrate, openDatabase } from "../platform/db/index.js";
import { packageRoot } from "../platform/paths.js";

/**
 * Compiles src/cli.ts with its sources in one file, packages left to node_modules. It sits four
 * folders below the package root, as dist/server/platform/calendar does, so what the sources find
 * beside the package (migrations/, the holiday notices) is found the same way.
 */
async function buildCli(): Promise<{ file: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(packageRoot, "node_modules", ".cache", "gongzhi-test-"));
  const nested = path.join(dir, "cli", "bundle");
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

export default async function setup(): Promise<() => void> {
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
  return () => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cli.dir, { recursive: true, force: true });
  };
}
