import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../platform/db/index.js";
import { testEngines } from "../../../test-support/databases.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { applyTransition, lockCase, systemActor, type CaseRow, type TransitionInput } from "../core.js";
import type { CaseAction } from "../machine.js";
import type { CaseLevel } from "../schema.js";
import { fireDueTimers, startTimerRunner, AUTO_ESCALATE_HANDLE_REASON, AUTO_ESCALATE_RESPONSE_REASON } from "./timer-runner.js";
import { warningTimeFor } from "./timers.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** China time (UTC+8) wall clock → instant. */
const cst = (s: string) => new Date(`${s}+08:00`);

describe("warningTimeFor (临期提醒 on the working calendar)", () => {
  it("warns when a fifth of the working time is left", () => {
    // Monday 2026-03-02 09:00 + 10 working hours = Tuesday 12:00; 8 working hours in = Tuesday 10:00.
    expect(warningTimeFor(cst("2026-03-02T09:00:00"), cst("2026-03-03T12:00:00"), 0.2)).toEqual(cst("2026-03-03T10:00:00"));
    // Skips the lunch break: 4 working hours from 10:00 end at 15:30; 3.2 h in is 14:42.
    expect(warningTimeFor(cst("2026-03-02T10:00:00"), cst("2026-03-02T15:30:00"), 0.2)).toEqual(cst("2026-03-02T14:42:00"));
    // A larger share warns earlier.
    expect(warningTimeFor(cst("2026-03-02T09:00:00"), cst("2026-03-03T12:00:00"), 0.5)).toEqual(cst("2026-03-02T15:30:00"));
  });

  it("falls back to natural time when no working time lies between, and gives none for a past deadline", () => {
    // Saturday 10:00 → 20:00: no working time at all.
    expect(warningTimeFor(cst("2026-03-07T10:00:00"), cst("2026-03-07T20:00:00"), 0.2)).toEqual(cst("2026-03-07T18:00:00"));
    expect(warningTimeFor(cst("2026-03-07T10:00:00"), cst("2026-03-07T10:00:00"), 0.2)).toBeNull();
    expect(warningTimeFor(cst("2026-03-07T10:00:00"), cst("2026-03-07T09:00:00"), 0.2)).toBeNull();
  });
});

interface TimerView {
  id: number;
  kind: string;
  due_at: Date;
  fired_at: Date | null;
  fired_by: string | null;
  cancelled_at: Date | null;
}

describe.each(testEngines())("case timers on $name", (engine) => {
  let database: Database;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let adminId: string;

  const step = (id: string, action: CaseAction, input: TransitionInput = {}) =>
    database.db.transaction(async (tx) => (await applyTransition(tx, systemActor, await lockCase(tx, id), action, input)).case);
  const timersOf = (caseId: string, on: Database = database) =>
    on.query<TimerView>("select id::int as id, kind, due_at, fired_at, fired_by, cancelled_at from case_timers where case_id = $1 order by id", [caseId]);
  const pendingOf = async (caseId: string) =>
    (await timersOf(caseId)).filter((t) => t.fired_at === null && t.cancelled_at === null).map((t) => ({ kind: t.kind, dueAt: new Date(t.due_at).toISOString() }));
  const eventsOf = (caseId: string, on: Database = database) =>
    on.query<{ action: string; note: string | null; data: Record<string, unknown>; visible_to_reporter: boolean; actor_label: string; to_status: string; to_level: string }>(
      "select action, note, data, visible_to_reporter, actor_label, to_status, to_level from case_events where case_id = $1 order by id",
      [caseId],
    );
  const auditCount = async (action: string, caseId: string) =>
    Number((await database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = $1 and entity_id = $2", [action, caseId]))[0]!.n);
  const caseRow = async (id: string) => database.db.transaction((tx) => lockCase(tx, id));
  /** A registered case with the given deadlines, set by the step (as intake and escalation do). */
  const registered = async (opts: { level?: CaseLevel; responseDueAt?: Date | null; handleDueAt?: Date | null; category?: { id: string; code: string } } = {}): Promise<CaseRow> => {
    const c = await insertCase(database.db, s, opts.category ?? cat.garbage, { level: opts.level ?? "grid" });
    return step(c.id, "register", { patch: { responseDueAt: opts.responseDueAt ?? null, handleDueAt: opts.handleDueAt ?? null } });
  };
  const iso = (d: Date) => d.toISOString();
  const byKind = (rows: { kind: string; dueAt: string }[]) => [...rows].sort((a, b) => a.kind.localeCompare(b.kind));

  beforeAll(async () => {
    database = await engine.open();
    s = await buildTinyStreet(database.db);
    cat = await seedCaseCatalogue(database.db, s);
    adminId = (await createTestUser(database.db, { role: "streetAdmin", areaId: s.street })).id;
  });
  afterAll(async () => {
    await database.close();
  });

  it("arms, keeps, cancels and re-arms timers as a case moves through its steps", async () => {
    const c = await insertCase(database.db, s, cat.garbage);
    expect(await timersOf(c.id)).toEqual([]); // no deadlines yet

    const responseDue = new Date(Date.now() + 2 * DAY);
    const handleDue = new Date(Date.now() + 5 * DAY);
    const reg = await step(c.id, "register", { patch: { responseDueAt: responseDue, handleDueAt: handleDue } });
    const [regEvent] = (await database.query<{ at: Date }>("select at from case_events where case_id = $1 and action = 'register'", [c.id])).map((e) => e);
    const at = new Date(regEvent!.at);
    expect(reg.status).toBe("registered");
    expect(byKind(await pendingOf(c.id))).toEqual([
      { kind: "handleDue", dueAt: iso(handleDue) },
      { kind: "handleWarning", dueAt: iso(warningTimeFor(at, handleDue)!) },
      { kind: "responseDue", dueAt: iso(responseDue) },
      { kind: "responseWarning", dueAt: iso(warningTimeFor(at, responseDue)!) },
    ]);
    for (const t of await timersOf(c.id)) if (t.kind.endsWith("Warning")) expect(new Date(t.due_at).getTime()).toBeLessThan(t.kind.startsWith("response") ? responseDue.getTime() : handleDue.getTime());

    // Dispatch: both clocks still run with the same deadlines — nothing changes.
    const before = await timersOf(c.id);
    await step(c.id, "dispatch");
    expect(await timersOf(c.id)).toEqual(before);

    // 签收: the response clock stops; its two rows are cancelled, the handling ones stay.
    await step(c.id, "receive");
    const afterReceive = await timersOf(c.id);
    expect(afterReceive.filter((t) => t.kind.startsWith("response")).every((t) => t.cancelled_at !== null && t.fired_at === null)).toBe(true);
    expect(byKind(await pendingOf(c.id)).map((t) => t.kind)).toEqual(["handleDue", "handleWarning"]);

    // An approved extension moves the handling deadline: old rows cancelled, a new pair armed.
    await step(c.id, "start");
    const extended = new Date(handleDue.getTime() + 2 * DAY);
    await step(c.id, "approveExtension", { patch: { handleDueAt: extended } });
    expect((await pendingOf(c.id)).map((t) => t.dueAt)).toContain(iso(extended));
    expect((await pendingOf(c.id)).length).toBe(2);
    expect((await timersOf(c.id)).filter((t) => t.cancelled_at !== null).length).toBe(4);

    // 挂账: no running clocks. Unpark: the (still future) deadline is armed again on new rows.
    await step(c.id, "park", { note: "长期问题，纳入计划" });
    expect(await pendingOf(c.id)).toEqual([]);
    await step(c.id, "unpark");
    expect(byKind(await pendingOf(c.id)).map((t) => t.kind)).toEqual(["handleDue", "handleWarning"]);
    expect((await pendingOf(c.id)).find((t) => t.kind === "handleDue")!.dueAt).toBe(iso(extended));

    // Feedback and verification keep the clock; closing stops it.
    await step(c.id, "feedback", { note: "已清运" });
    await step(c.id, "verifyPass");
    expect((await pendingOf(c.id)).length).toBe(2);
    await step(c.id, "close");
    expect(await pendingOf(c.id)).toEqual([]);
    expect((await timersOf(c.id)).every((t) => t.fired_at === null)).toBe(true);
  });

  it("does not re-arm a deadline that already passed when a clock restarts, but arms one a step sets in the past", async () => {
    const past = new Date(Date.now() - HOUR);
    const c = await registered({ responseDueAt: past });
    // Set by this step: armed (no warning — it is already due).
    expect(await pendingOf(c.id)).toEqual([{ kind: "responseDue", dueAt: iso(past) }]);
    await step(c.id, "dispatch");
    await step(c.id, "receive");
    expect(await pendingOf(c.id)).toEqual([]);
    // 退单 back to registered: the response clock restarts on the passed deadline — not armed again.
    await step(c.id, "returnToDispatcher", { note: "不属于本网格" });
    expect(await pendingOf(c.id)).toEqual([]);
  });

  it("fires nothing before its time, then warns the handlers without telling the reporter", async () => {
    const responseDue = new Date(Date.now() + 3 * DAY);
    const c = await registered({ responseDueAt: responseDue });
    const warning = (await timersOf(c.id)).find((t) => t.kind === "responseWarning")!;
    const warnAt = new Date(warning.due_at);

    expect(await fireDueTimers(database, { now: new Date(warnAt.getTime() - 1000), workerId: "w1" })).toBe(0);
    expect((await eventsOf(c.id)).map((e) => e.action)).toEqual(["submit", "register"]);

    expect(await fireDueTimers(database, { now: warnAt, workerId: "w1" })).toBe(1);
    const events = await eventsOf(c.id);
    expect(events.map((e) => e.action)).toEqual(["submit", "register", "remind"]);
    const remind = events[2]!;
    expect(remind.data).toEqual({ kind: "responseWarning", dueAt: iso(responseDue) });
    expect(remind.visible_to_reporter).toBe(false);
    expect(remind.actor_label).toBe("系统");
    expect(remind.note).toContain("签收时限将至");
    expect(await auditCount("case.remind", c.id)).toBe(1);
    const fired = (await timersOf(c.id)).find((t) => t.id === warning.id)!;
    expect(fired.fired_at).not.toBeNull();
    expect(fired.fired_by).toBe("w1");
    // The deadline itself is still ahead and pending; running again fires nothing twice.
    expect(await pendingOf(c.id)).toEqual([{ kind: "responseDue", dueAt: iso(responseDue) }]);
    expect(await fireDueTimers(database, { now: warnAt, workerId: "w2" })).toBe(0);
    expect(await auditCount("case.remind", c.id)).toBe(1);
  });

  it("escalates a case not received in time one level up (超时未签收，系统自动上报) and arms the new deadline", async () => {
    const c = await registered({ level: "grid", responseDueAt: new Date(Date.now() - MINUTE) });
    expect(await fireDueTimers(database, { workerId: "w1" })).toBe(1);
    const after = await caseRow(c.id);
    expect(after.level).toBe("community");
    expect(after.handlingAreaId).toBe(s.communityA);
    expect(after.status).toBe("registered");
    expect(after.escalationCount).toBe(1);
    expect(after.responseDueAt!.getTime()).toBeGreaterThan(Date.now() - MINUTE);
    const esc = (await eventsOf(c.id)).at(-1)!;
    expect(esc.action).toBe("escalate");
    expect(esc.note).toBe(AUTO_ESCALATE_RESPONSE_REASON);
    expect(esc.data).toMatchObject({ fromLevel: "grid", toLevel: "community", automatic: true });
    expect(await auditCount("case.escalate", c.id)).toBe(1);
    const timers = await timersOf(c.id);
    expect(timers.filter((t) => t.fired_at !== null).map((t) => t.kind)).toEqual(["responseDue"]);
    // The community's own response deadline is armed (and not yet due).
    expect((await pendingOf(c.id)).find((t) => t.kind === "responseDue")!.dueAt).toBe(iso(after.responseDueAt!));
    expect(await fireDueTimers(database, { workerId: "w1" })).toBe(0);
  });

  it("at the top level only tells the handlers the case is overdue", async () => {
    const due = new Date(Date.now() - MINUTE);
    const c = await registered({ level: "district", responseDueAt: due });
    expect(await fireDueTimers(database, { workerId: "w1" })).toBe(1);
    const after = await caseRow(c.id);
    expect([after.level, after.status, after.escalationCount]).toEqual(["district", "registered", 0]);
    const last = (await eventsOf(c.id)).at(-1)!;
    expect(last.action).toBe("remind");
    expect(last.data).toEqual({ kind: "responseDue", dueAt: iso(due), overdue: true });
  });

  it("handles an overdue case: a notice, and one level up while below the street", async () => {
    const due = new Date(Date.now() - MINUTE);
    const grid = await registered({ level: "grid", handleDueAt: due });
    await step(grid.id, "dispatch");
    await step(grid.id, "receive");
    await step(grid.id, "start");
    const street = await registered({ level: "street", handleDueAt: due });
    await step(street.id, "dispatch");
    await step(street.id, "receive");
    await step(street.id, "start");

    expect(await fireDueTimers(database, { workerId: "w1" })).toBe(2);

    const g = await caseRow(grid.id);
    expect([g.level, g.status]).toEqual(["community", "registered"]);
    const ge = (await eventsOf(grid.id)).slice(-2);
    expect(ge.map((e) => e.action)).toEqual(["remind", "escalate"]);
    expect(ge[0]!.data).toEqual({ kind: "handleDue", dueAt: iso(due), overdue: true, escalated: true });
    expect(ge[1]!.note).toBe(AUTO_ESCALATE_HANDLE_REASON);

    const st = await caseRow(street.id);
    expect([st.level, st.status]).toEqual(["street", "inProgress"]);
    const se = (await eventsOf(street.id)).at(-1)!;
    expect(se.action).toBe("remind");
    expect(se.data).toEqual({ kind: "handleDue", dueAt: iso(due), overdue: true, escalated: false });

    // The spent deadline is never armed again, even though it is still the case's deadline.
    expect((await pendingOf(grid.id)).some((t) => t.kind === "handleDue")).toBe(false);
    expect(await fireDueTimers(database, { workerId: "w1" })).toBe(0);
  });

  it("never fires a cancelled timer, and cancels one that no longer matches the case", async () => {
    const c = await registered({ responseDueAt: new Date(Date.now() + DAY) });
    await step(c.id, "dispatch");
    await step(c.id, "receive"); // cancels the response rows
    await database.query("update case_timers set due_at = now() - interval '1 hour' where case_id = $1", [c.id]);
    // A stray row for a deadline the case does not have (e.g. written by hand).
    await database.query("insert into case_timers (case_id, kind, due_at) values ($1, 'handleDue', now() - interval '1 hour')", [c.id]);
    const eventsBefore = (await eventsOf(c.id)).length;

    expect(await fireDueTimers(database, { workerId: "w1" })).toBe(0);
    const timers = await timersOf(c.id);
    expect(timers.every((t) => t.fired_at === null)).toBe(true);
    expect(timers.every((t) => t.cancelled_at !== null)).toBe(true);
    expect((await eventsOf(c.id)).length).toBe(eventsBefore);
  });

  it("tells handlers a summoned department has not reported in, and drops the timer once it has", async () => {
    const c = await registered({ handleDueAt: new Date(Date.now() + 5 * DAY) });
    await step(c.id, "dispatch");
    const [w] = await database.query<{ id: string }>(
      "insert into case_whistles (case_id, area_id, blown_by, reason) values ($1, $2, $3, '多部门联合处置') returning id",
      [c.id, s.street, adminId],
    );
    const due = new Date(Date.now() - MINUTE);
    const summons = await database.query<{ id: string; department_org_id: string }>(
      `insert into case_summons (whistle_id, case_id, department_org_id, status, report_in_due_at)
       values ($1, $2, $3, 'summoned', $5), ($1, $2, $4, 'reportedIn', $5) returning id, department_org_id`,
      [w!.id, c.id, cat.departmentId, cat.secondDepartmentId, due.toISOString()],
    );
    for (const sm of summons) {
      await database.query("insert into case_timers (case_id, kind, summons_id, due_at) values ($1, 'reportInDue', $2, $3)", [c.id, sm.id, due.toISOString()]);
    }

    expect(await fireDueTimers(database, { workerId: "w1" })).toBe(1);
    const late = summons.find((x) => x.department_org_id === cat.departmentId)!;
    const last = (await eventsOf(c.id)).at(-1)!;
    expect(last.action).toBe("remind");
    expect(last.data).toEqual({
      kind: "reportInOverdue",
      summonsId: late.id,
      department: { id: cat.departmentId, name: "测试区住房和城乡建设局" },
      dueAt: iso(due),
      overdue: true,
    });
    expect(last.note).toContain("测试区住房和城乡建设局未在报到时限");
    const rows = (await timersOf(c.id)).filter((t) => t.kind === "reportInDue");
    expect(rows.filter((t) => t.fired_at !== null).length).toBe(1);
    expect(rows.filter((t) => t.cancelled_at !== null).length).toBe(1);
  });

  it("two runners on one database fire every due timer exactly once", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await registered({ level: "district", responseDueAt: new Date(Date.now() - MINUTE), handleDueAt: new Date(Date.now() - 2 * MINUTE) })).id);
    }
    const [a, b] = await Promise.all([
      fireDueTimers(database, { workerId: "runner-a", batchSize: 3 }),
      fireDueTimers(database, { workerId: "runner-b", batchSize: 3 }),
    ]);
    expect(a + b).toBe(24);
    const rows = await database.query<{ fired: string; reminds: string; audits: string }>(
      `select (select count(*) from case_timers where case_id = any($1::uuid[]) and fired_at is not null)::text as fired,
              (select count(*) from case_events where case_id = any($1::uuid[]) and action = 'remind')::text as reminds,
              (select count(*) from audit_entries where entity_id = any($1::text[]) and action = 'case.remind')::text as audits`,
      [`{${ids.join(",")}}`],
    );
    expect(rows[0]).toEqual({ fired: "24", reminds: "24", audits: "24" });
  });

  it("the runner started with the server fires through runOnce and stops cleanly", async () => {
    const errors: unknown[] = [];
    // Timers of the other tests would fall due on the days this test skips ahead: start clean.
    const own = await engine.open();
    const ownStreet = await buildTinyStreet(own.db, "980000");
    const ownCat = await seedCaseCatalogue(own.db, ownStreet);
    const registered = async (opts: { level: CaseLevel; responseDueAt: Date }) => {
      const c = await insertCase(own.db, ownStreet, ownCat.garbage, { level: opts.level });
      return own.db.transaction(async (tx) => (await applyTransition(tx, systemActor, await lockCase(tx, c.id), "register", { patch: { responseDueAt: opts.responseDueAt } })).case);
    };
    const runner = startTimerRunner({ database: own, intervalMs: 3_600_000, workerId: "server", onError: (e) => errors.push(e) });
    try {
      const deadline = new Date(Date.now() + DAY);
      const c = await registered({ level: "district", responseDueAt: deadline });
      expect(await runner.runOnce()).toBe(0);
      expect(await runner.runOnce(new Date(deadline.getTime() - 1000))).toBe(1); // the warning
      expect(await runner.runOnce(deadline)).toBe(1); // the deadline
      expect((await eventsOf(c.id, own)).filter((e) => e.action === "remind").map((e) => e.data.kind)).toEqual(["responseWarning", "responseDue"]);
      expect((await timersOf(c.id, own)).every((t) => t.fired_by === "server")).toBe(true);

      // A late round (both past): the warning is superseded by the deadline and only the deadline fires.
      const late = await registered({ level: "district", responseDueAt: deadline });
      expect(await runner.runOnce(new Date(deadline.getTime() + HOUR))).toBe(1);
      expect((await eventsOf(late.id, own)).filter((e) => e.action === "remind").map((e) => e.data.kind)).toEqual(["responseDue"]);
      const warning = (await timersOf(late.id, own)).find((t) => t.kind === "responseWarning")!;
      expect([warning.fired_at, warning.cancelled_at !== null]).toEqual([null, true]);
    } finally {
      await runner.stop();
      await own.close();
    }
    expect(errors).toEqual([]);
  });
});
