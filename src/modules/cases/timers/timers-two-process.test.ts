/**
 * Every deadline fires exactly once with several server processes on one PostgreSQL: two
 * connection pools in this process and a third runner in a child process race over 200 due timers.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, openDatabase, type Database } from "../../../platform/db/index.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { applyTransition, lockCase, systemActor } from "../core.js";
import { fireDueTimers } from "./timer-runner.js";

const baseUrl = process.env.TEST_DATABASE_URL;
const MINUTE = 60_000;

/** A runner in its own process: says "ready", fires on the first line of input, reports "fired N". */
function spawnRunner(url: string, workerId: string): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; done: Promise<number> } {
  const dbModule = pathToFileURL(path.resolve("src/platform/db/index.ts")).href;
  const runnerModule = pathToFileURL(path.resolve("src/modules/cases/timers/timer-runner.ts")).href;
  // The module list first, as the server and the CLI load it: it defines every module's error
  // codes and subscribes and seals the event bus that each fired step publishes on.
  const moduleList = pathToFileURL(path.resolve("src/modules/index.ts")).href;
  const code = `
    import ${JSON.stringify(moduleList)};
    import { openDatabase } from ${JSON.stringify(dbModule)};
    import { fireDueTimers } from ${JSON.stringify(runnerModule)};
    const database = await openDatabase({ url: process.env.TIMERS_DB_URL, poolSize: 2 });
    await database.query("select 1");
    process.stdout.write("ready\\n");
    process.stdin.once("data", async () => {
      try {
        const n = await fireDueTimers(database, { workerId: ${JSON.stringify(workerId)}, batchSize: 5 });
        process.stdout.write("fired " + n + "\\n");
      } finally {
        await database.close();
        process.stdin.destroy();
      }
    });
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    env: { ...process.env, TIMERS_DB_URL: url, LOG_LEVEL: "silent" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.includes("ready\n")) onReady();
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const done = new Promise<number>((resolve, reject) => {
    child.on("exit", (code) => {
      const m = /fired (\d+)/.exec(out);
      if (code === 0 && m) resolve(Number(m[1]));
      else reject(new Error(`runner process exited ${String(code)}: ${out} ${err}`));
    });
  });
  // A child that dies before saying ready must fail the test rather than hang it.
  void done.catch(() => onReady());
  return { child, ready, done };
}

describe.skipIf(!baseUrl)("case timers across processes on PostgreSQL (skipped on PGlite: one embedded engine in one process has no second process to race)", () => {
  const dbName = `gz_timers_${randomBytes(5).toString("hex")}`;
  let url: string;
  let a: Database;
  let b: Database;
  let s: TinyStreet;
  let cat: TestCatalogue;
  const districtCases: string[] = [];
  const gridCases: string[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(baseUrl!);
    u.pathname = `/${dbName}`;
    url = u.toString();
    a = await openDatabase({ url, poolSize: 4 });
    await migrate(a);
    b = await openDatabase({ url, poolSize: 4 });

    s = await buildTinyStreet(a.db);
    cat = await seedCaseCatalogue(a.db, s);
    const adminId = (await createTestUser(a.db, { role: "streetAdmin", areaId: s.street })).id;
    const register = (id: string, patch: { responseDueAt: Date; handleDueAt?: Date }) =>
      a.db.transaction(async (tx) => applyTransition(tx, systemActor, await lockCase(tx, id), "register", { patch }));
    const now = Date.now();
    // 50 district cases: response and handling deadlines both passed → two overdue notices each.
    for (let i = 0; i < 50; i++) {
      const c = await insertCase(a.db, s, cat.garbage, { level: "district" });
      await register(c.id, { responseDueAt: new Date(now - 2 * MINUTE), handleDueAt: new Date(now - MINUTE) });
      districtCases.push(c.id);
    }
    // 50 grid cases: not received in time (→ automatic escalation) and a department late to report in.
    for (let i = 0; i < 50; i++) {
      const c = await insertCase(a.db, s, cat.garbage, { level: "grid" });
      await register(c.id, { responseDueAt: new Date(now - 2 * MINUTE) });
      const [w] = await a.query<{ id: string }>("insert into case_whistles (case_id, area_id, blown_by, reason) values ($1, $2, $3, '联合处置') returning id", [c.id, s.street, adminId]);
      const [sm] = await a.query<{ id: string }>(
        "insert into case_summons (whistle_id, case_id, department_org_id, report_in_due_at) values ($1, $2, $3, $4) returning id",
        [w!.id, c.id, cat.departmentId, new Date(now - MINUTE).toISOString()],
      );
      await a.query("insert into case_timers (case_id, kind, summons_id, due_at) values ($1, 'reportInDue', $2, $3)", [c.id, sm!.id, new Date(now - MINUTE).toISOString()]);
      gridCases.push(c.id);
    }
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it("fires each of 200 due timers exactly once, shared between three runners", async () => {
    const due = await a.query<{ id: string }>("select id::text as id from case_timers where fired_at is null and cancelled_at is null and due_at <= now()");
    expect(due.length).toBe(200);
    const dueIds = due.map((t) => t.id);

    const child = spawnRunner(url, "child");
    await child.ready;
    child.child.stdin.write("go\n");
    const [firedA, firedB, firedChild] = await Promise.all([
      fireDueTimers(a, { workerId: "pool-a", batchSize: 5 }),
      fireDueTimers(b, { workerId: "pool-b", batchSize: 5 }),
      child.done,
    ]);
    expect(firedA + firedB + firedChild).toBe(200);

    // Every one of them fired, once, by one of the runners; none was cancelled.
    const rows = await a.query<{ fired_by: string | null; cancelled: boolean }>(
      "select fired_by, cancelled_at is not null as cancelled from case_timers where id = any($1::bigint[])",
      [`{${dueIds.join(",")}}`],
    );
    expect(rows.length).toBe(200);
    expect(rows.every((r) => r.fired_by !== null && ["pool-a", "pool-b", "child"].includes(r.fired_by) && !r.cancelled)).toBe(true);
    const split = { "pool-a": 0, "pool-b": 0, child: 0 } as Record<string, number>;
    for (const r of rows) split[r.fired_by!]!++;
    expect(split).toEqual({ "pool-a": firedA, "pool-b": firedB, child: firedChild });
    console.info(`timer split: ${JSON.stringify(split)}`);

    // Exactly one event (and one audit entry) per timer.
    const all = `{${[...districtCases, ...gridCases].join(",")}}`;
    const events = await a.query<{ action: string; kind: string | null; n: string }>(
      `select action, data->>'kind' as kind, count(*)::text as n from case_events
       where case_id = any($1::uuid[]) and action in ('remind', 'escalate') group by 1, 2 order by 1, 2`,
      [all],
    );
    expect(events).toEqual([
      { action: "escalate", kind: null, n: "50" },
      { action: "remind", kind: "handleDue", n: "50" },
      { action: "remind", kind: "reportInOverdue", n: "50" },
      { action: "remind", kind: "responseDue", n: "50" },
    ]);
    const doubles = await a.query(
      `select case_id, action, data->>'kind' from case_events where case_id = any($1::uuid[]) and action in ('remind', 'escalate')
       group by 1, 2, 3 having count(*) > 1`,
      [all],
    );
    expect(doubles).toEqual([]);
    const audits = await a.query<{ action: string; n: string }>(
      "select action, count(*)::text as n from audit_entries where entity_id = any($1::text[]) and action in ('case.remind', 'case.escalate') group by 1 order by 1",
      [all],
    );
    expect(audits).toEqual([
      { action: "case.escalate", n: "50" },
      { action: "case.remind", n: "150" },
    ]);
    // The escalated cases are now at the community with a fresh deadline, armed and not yet due.
    const [escalated] = await a.query<{ n: string }>("select count(*)::text as n from cases where id = any($1::uuid[]) and level = 'community' and escalation_count = 1", [
      `{${gridCases.join(",")}}`,
    ]);
    expect(escalated!.n).toBe("50");
    expect(await fireDueTimers(a, { workerId: "pool-a" })).toBe(0);
  });
});
