/**
 * import: persons imported per second — 100,000 rows of a persons ledger (.csv) read, mapped,
 * validated (ID checksum, phone, registry duplicates by keyed hash, household by address),
 * encrypted and written in one transaction — on PGlite and, when BENCH_DATABASE_URL is set, on
 * PostgreSQL. Reference in the same run: the same rows as plain multi-row INSERTs (no reading,
 * validation or encryption) through the same driver.
 * Usage: npm run bench -- import [rows=100000]
 */
import { randomBytes } from "node:crypto";
import { migrate, openDatabase, type Database } from "../src/platform/db/index.js";
import { withScratchDatabase } from "./support/scratch.js";
import { loadDemoStreet } from "../src/tools/demo/index.js";
import { importPersons } from "../src/tools/ledgers/import.js";
import { actorOf } from "../src/platform/auth/service.js";
import { generateDataKeysValue, parseDataKeys } from "../src/platform/pii/keys.js";
import { makeIdNumber } from "../src/platform/pii/validate.js";
import { persons } from "../src/modules/people/schema.js";

const n = Number(process.argv[2] ?? 100_000);
const keyring = parseDataKeys(generateDataKeysValue());
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
const given = ["秀英", "建国", "桂兰", "国华", "淑珍", "志强", "丽华", "子涵", "浩然", "欣怡"];

async function run(label: string, database: Database): Promise<{ ours: number; ref: number }> {
  await migrate(database);
  await loadDemoStreet(database, { keyring, reset: true });
  const [street] = await database.query<{ id: string }>("select id from areas where level = 'street'");
  const [admin] = await database.query<{ id: string }>("select id from users where username = 'streetadmin'");
  const addresses = await database.query<{ id: string; address: string; grid_id: string }>("select id, address, grid_id from households order by address");
  const lines = ["姓名,性别,身份证号,联系电话,与户主关系,住址"];
  const plain: (typeof persons.$inferInsert)[] = [];
  for (let i = 0; i < n; i++) {
    const year = 1930 + (i % 90);
    const male = i % 2 === 0;
    const id = makeIdNumber("990108", `${year}-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`, ((Math.floor(i / 336) % 500) * 2 + (male ? 1 : 0)) % 1000);
    const h = addresses[i % addresses.length]!;
    const name = `${surnames[i % surnames.length]}${given[i % given.length]}`;
    lines.push(`${name},${male ? "男" : "女"},${id},1${3 + (i % 7)}${String(1_000_000_000 + i).slice(1)},其他,${h.address}`);
    plain.push({ householdId: h.id, gridId: h.grid_id, name, gender: male ? "male" : "female", birthYear: year, relation: "其他", idNumberHash: randomBytes(32).toString("hex") });
  }
  const csv = Buffer.from(lines.join("\n"));
  console.log(`${label}: ${n} rows, ${(csv.length / 1e6).toFixed(1)} MB of CSV`);
  const actor = await actorOf(database.db, admin!.id);
  const t0 = performance.now();
  const outcome = await importPersons(database.db, keyring, actor, { areaId: street!.id, file: { bytes: csv, fileName: "bench.csv" } });
  const oursMs = performance.now() - t0;
  if (!outcome.ok || outcome.written !== n) throw new Error(`import failed: ${outcome.problems.slice(0, 3).map((p) => p.message).join("; ")}`);
  const t1 = performance.now();
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < plain.length; i += 1000) await tx.insert(persons).values(plain.slice(i, i + 1000));
  });
  const refMs = performance.now() - t1;
  const ours = n / (oursMs / 1000);
  const ref = n / (refMs / 1000);
  console.log(`${label}: import ${oursMs.toFixed(0)} ms = ${ours.toFixed(0)} rows/s; plain INSERTs ${refMs.toFixed(0)} ms = ${ref.toFixed(0)} rows/s`);
  return { ours, ref };
}

const results: { label: string; ours: number; ref: number }[] = [];
const embedded = await openDatabase({});
results.push({ label: "pglite", ...(await run("pglite", embedded)) });
await embedded.close();
const url = process.env.BENCH_DATABASE_URL;
if (url) {
  results.push({ label: "postgres", ...(await withScratchDatabase(url, (served) => run("postgres", served))) });
} else {
  console.log("postgres: skipped (set BENCH_DATABASE_URL=postgres://… to measure it too)");
}
const last = results[results.length - 1]!;
for (const r of results) console.log(`${r.label}: ours ${r.ours.toFixed(0)} rows/s; reference ${r.ref.toFixed(0)} rows/s; ratio ${(r.ours / r.ref).toFixed(3)}`);
console.log(`import: ${last.ours.toFixed(0)} rows/s (${last.label}); reference ${last.ref.toFixed(0)} rows/s; ratio ${(last.ours / last.ref).toFixed(3)}`);
