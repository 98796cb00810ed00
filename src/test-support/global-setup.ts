/** Builds one migrated PGlite data directory per run; each test file loads a copy (≈1 s instead of ≈4 s). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate, openDatabase } from "../platform/db/index.js";

export default async function setup(): Promise<() => void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-test-"));
  const file = path.join(dir, "template.tar.gz");
  const database = await openDatabase({});
  await migrate(database);
  const dump = await database.pglite!.dumpDataDir("gzip");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await database.close();
  process.env.GONGZHI_TEST_PGLITE_TEMPLATE = file;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
