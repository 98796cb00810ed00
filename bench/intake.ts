/**
 * intake: cases accepted per second, and p50/p99 latency, through the full HTTP path of
 * `POST /api/cases` — session, validation, idempotency check, grid lookup, routing, the case
 * number, the insert, the submission step, the audit entry and the timers, one transaction each —
 * on PostgreSQL, with `concurrency` residents reporting at once (distinct Idempotency-Keys, points
 * spread over every grid of the demo street). The client runs in a worker thread, so it does not
 * share the server's event loop.
 *
 * Reference, in the same run: the same rows (copied from the accepted cases, new ids and numbers)
 * as single-row INSERTs into `cases` with node-postgres (pg.Pool, the same concurrency).
 * Checked after the run: as many bench cases as 201 answers, each with its submission step, its
 * audit entry (the receipt) and its timers.
 *
 * PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a fresh
 * database dropped afterwards.
 * Usage: npm run bench -- intake [cases=5000] [concurrency=16]
 */
import pg from "pg";
import { Worker } from "node:worker_threads";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/platform/config.js";
import { migrate } from "../src/platform/db/index.js";
import { withScratchDatabase } from "./support/scratch.js";
import { loadDemoStreet } from "../src/tools/demo/index.js";
import { hashPassword } from "../src/platform/auth/password.js";
import { roleGrants, users } from "../src/platform/auth/schema.js";
import { generateDataKeysValue, parseDataKeys } from "../src/platform/pii/keys.js";
import { fmt } from "./support/load.js";

const n = Number(process.argv[2] ?? 5000);
const concurrency = Number(process.argv[3] ?? 16);
const warmup = Math.min(200, Math.ceil(n / 10));
/** Sub-categories residents report most (none of them requires an Open311 attribute). */
const codes = ["0101", "0103", "0104", "0107", "0402", "0403", "0604", "0701", "0702", "0704", "0802", "1001"];

interface ClientResult {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
  ms: number;
  firstError: string | null;
}

/** The load client: `concurrency` loops, each posting its share of reports as one resident. */
const clientSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, sessions, points, codes, total, concurrency, keyPrefix } = workerData;
let next = 0;
const latencies = [];
const statuses = {};
let errors = 0;
let firstError = null;
async function loop(w) {
  const { cookie, csrf } = sessions[w % sessions.length];
  for (;;) {
    const i = next++;
    if (i >= total) return;
    const p = points[(i * 7919) % points.length];
    const body = JSON.stringify({
      categoryCode: codes[i % codes.length],
      description: "楼下垃圾桶满了好几天没人清运，味道很大（压测第 " + i + " 件）",
      lng: p[0],
      lat: p[1],
      locationText: "压测",
    });
    const t = performance.now();
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", cookie, "x-csrf-token": csrf, "idempotency-key": keyPrefix + i }, body });
      const text = await res.text();
      latencies.push(performance.now() - t);
      statuses[res.status] = (statuses[res.status] || 0) + 1;
      if (res.status !== 201 && firstError === null) firstError = res.status + " " + text.slice(0, 300);
    } catch (e) {
      errors++;
      if (firstError === null) firstError = String(e);
    }
  }
}
const t0 = performance.now();
Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w))).then(() => {
  parentPort.postMessage({ latencies, statuses, errors, ms: performance.now() - t0, firstError });
});
`;

function runClient(data: { url: string; sessions: { cookie: string; csrf: string }[]; points: [number, number][]; total: number; keyPrefix: string }): Promise<ClientResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(clientSource, { eval: true, workerData: { ...data, codes, concurrency } });
    w.once("message", (m: ClientResult) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
let failed = false;
await withScratchDatabase(url, async (database, benchUrl) => {
  try {
    await migrate(database);
    const keyring = parseDataKeys(generateDataKeysValue());
    await loadDemoStreet(database, { reset: true, keyring });
    const grids = await database.query<{ id: string }>("select id from areas where level = 'grid' order by code");
    const points = (await database.query<{ lng: number; lat: number }>("select lng, lat from buildings order by id")).map((b): [number, number] => [b.lng, b.lat]);

    // One resident login per connection, each granted on a grid of the street.
    const passwordHash = await hashPassword("Bench@2026");
    const residents = await database.db
      .insert(users)
      .values(Array.from({ length: concurrency }, (_, i) => ({ username: `bench_resident_${i}`, displayName: `压测居民${i + 1}`, passwordHash })))
      .returning({ id: users.id });
    await database.db.insert(roleGrants).values(residents.map((r, i) => ({ userId: r.id, role: "resident", areaId: grids[i % grids.length]!.id })));

    const config = loadConfig({ LOG_LEVEL: "silent", GONGZHI_RATE_LIMIT_PER_MINUTE: "1000000", GONGZHI_LOGIN_RATE_LIMIT_PER_MINUTE: "100000" });
    const app = await buildApp(config, database, { logger: false, keyring });
    const address = await app.listen({ port: 0, host: "127.0.0.1" });
    const sessions: { cookie: string; csrf: string }[] = [];
    for (let i = 0; i < concurrency; i++) {
      const login = await fetch(`${address}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: `bench_resident_${i}`, password: "Bench@2026" }),
      });
      if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      sessions.push({ cookie: (login.headers.get("set-cookie") ?? "").split(";")[0]!, csrf: csrfToken });
    }

    console.log(`database: postgres (${new URL(benchUrl).pathname.slice(1)}); ${grids.length} grids, ${points.length} building points; ${n} reports, ${concurrency} concurrent residents (+${warmup} warm-up)`);
    const warm = await runClient({ url: `${address}/api/cases`, sessions, points, total: warmup, keyPrefix: "bench-warm-" });
    const ours = await runClient({ url: `${address}/api/cases`, sessions, points, total: n, keyPrefix: "bench-run-" });
    await app.close();

    const accepted = (warm.statuses["201"] ?? 0) + (ours.statuses["201"] ?? 0);
    const sorted = [...ours.latencies].sort((a, b) => a - b);
    const oursRate = (ours.statuses["201"] ?? 0) / (ours.ms / 1000);
    console.log(
      `ours:      ${fmt(oursRate)} cases/s, p50 ${fmt(percentile(sorted, 50))} ms, p99 ${fmt(percentile(sorted, 99))} ms, ${ours.statuses["201"] ?? 0} accepted in ${fmt(ours.ms / 1000, 2)} s; answers ${JSON.stringify(ours.statuses)}, ${ours.errors} errors`,
    );
    if (ours.firstError) console.log(`first error: ${ours.firstError}`);

    // What every accepted report must have left behind.
    const [check] = await database.query<{ cases: number; without_step: number; without_receipt: number; without_timers: number }>(
      `select count(*)::int as cases,
         count(*) filter (where not exists (select 1 from case_events e where e.case_id = c.id and e.action = 'submit'))::int as without_step,
         count(*) filter (where not exists (select 1 from audit_entries a where a.id = c.receipt_entry_id and a.action = 'case.submit' and a.entity_id = c.id::text))::int as without_receipt,
         count(*) filter (where not exists (select 1 from case_timers t where t.case_id = c.id))::int as without_timers
       from cases c where c.idempotency_key like 'bench-%'`,
    );
    const verified = check!.cases === accepted && check!.without_step === 0 && check!.without_receipt === 0 && check!.without_timers === 0;
    console.log(`check: ${check!.cases} bench cases for ${accepted} accepted answers; without submission step ${check!.without_step}, without receipt ${check!.without_receipt}, without timers ${check!.without_timers} — ${verified ? "ok" : "FAILED"}`);
    if (!verified) failed = true;

    // Reference: the same rows, one INSERT each, same concurrency, straight into `cases`.
    const pool = new pg.Pool({ connectionString: benchUrl, max: concurrency });
    // The database is dropped with (force) at the end: an idle client told so must not crash the run.
    pool.on("error", () => undefined);
    const source = await pool.query<Record<string, unknown>>(`select * from cases where idempotency_key like 'bench-run-%' order by submitted_at`);
    const columns = Object.keys(source.rows[0] ?? {}).filter((c) => c !== "id" && c !== "case_no" && c !== "idempotency_key");
    const text = `insert into cases (${["case_no", "idempotency_key", ...columns].join(", ")}) values (${["case_no", "idempotency_key", ...columns].map((_, i) => `$${i + 1}`).join(", ")})`;
    const refRows = source.rows.map((r, i) => [`REF${String(i).padStart(12, "0")}`, `bench-ref-${i}`, ...columns.map((c) => (c === "attributes" ? JSON.stringify(r[c]) : r[c]))]);
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (;;) {
          const i = next++;
          if (i >= refRows.length) return;
          await pool.query(text, refRows[i]);
        }
      }),
    );
    const refMs = performance.now() - t0;
    await pool.end();
    const refRate = refRows.length / (refMs / 1000);
    console.log(`reference: ${fmt(refRate)} rows/s, ${refRows.length} single-row INSERTs in ${fmt(refMs / 1000, 2)} s`);
    console.log(`intake: ${fmt(oursRate)} cases/s; reference ${fmt(refRate)} rows/s; ratio ${fmt(oursRate / refRate, 3)}`);
  } catch (e) {
    failed = true;
    console.error(e);
  }
});
if (failed) process.exitCode = 1;
