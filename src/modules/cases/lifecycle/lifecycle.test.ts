/**
 * The case lifecycle over HTTP, on both engines: the closed loop from submission to rating with
 * the timeline in order and one audit entry per step; rework; reopen once; the side paths
 * (escalate, send down, extension, park, cancel, return); and every illegal step of the issue —
 * each a stable error code with nothing changed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { workingCalendar } from "../calendar.js";
import { lockCase, systemActor } from "../core.js";
import { escalateCase } from "./lifecycle.js";
import { configureCaseVerification } from "../verification.js";
import { casePhotos } from "../schema.js";
import type { CaseStatus } from "../machine.js";
import { events } from "../../../platform/events/index.js";
import type { CaseStepTaken } from "../index.js";

interface Detail {
  id: string;
  status: string;
  level: string;
  handlingArea: { id: string; name: string } | null;
  handlingOrg: { id: string; name: string } | null;
  rating: string | null;
  resolved: boolean | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  handleDueAt: string | null;
  responseDueAt: string | null;
  receivedAt: string | null;
  counts: { reopen: number; rework: number; extension: number; return: number; escalation: number };
  photos: { id: string; eventId: number | null }[];
  timeline: { id: number; action: string; actorLabel: string; note: string | null; evidence: string[]; data: Record<string, unknown> }[];
  extensions: { id: string; status: string; newDueAt: string | null }[];
  abilities: Record<string, boolean>;
}

describe.each(testEngines())("case lifecycle on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let reporter: { id: string; session: Session };
  let residentB: Session;
  let gridWorker: { id: string; session: Session };
  let workerA: Session;
  let workerB: Session;
  let street: Session;
  let analyst: Session;
  let dept: { id: string; session: Session };
  let dept2: Session;

  const db = () => t.database.db;
  const count = async (table: string, where = "true", params: unknown[] = []) =>
    Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table} where ${where}`, params))[0]!.n);
  const statusOf = async (id: string) => (await t.database.query<{ status: string }>("select status from cases where id = $1", [id]))[0]!.status;
  const user = async (role: Parameters<typeof createTestUser>[1]["role"], areaId: string, personId?: string) => {
    const u = await createTestUser(db(), { role, areaId, ...(personId ? { personId } : {}) });
    return { id: u.id, session: await t.login(u.username) };
  };
  const deptUser = async (orgId: string) => {
    const u = await createTestUser(db(), { role: "departmentStaff", areaId: cat.districtId });
    await t.database.query("update role_grants set org_id = $1 where user_id = $2", [orgId, u.id]);
    await t.database.query("update users set org_id = $1 where id = $2", [orgId, u.id]);
    return { id: u.id, session: await t.login(u.username) };
  };
  const post = async (who: Session, id: string, path: string, body: unknown = {}) => t.as(who, "POST", `/api/cases/${id}/${path}`, body);
  /** A step that must succeed; returns the detail. */
  const ok = async (who: Session, id: string, path: string, body: unknown = {}): Promise<Detail> => {
    const res = await post(who, id, path, body);
    expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
    return res.json<Detail>();
  };
  const newCase = (status: CaseStatus = "submitted", opts: Parameters<typeof insertCase>[3] = {}) =>
    insertCase(db(), s, cat.garbage, { status, reporterUserId: reporter.id, ...opts });
  const photoOf = async (userId: string) => {
    const bytes = Buffer.from(`photo ${randomUUID()}`);
    const [p] = await db()
      .insert(casePhotos)
      .values({ uploadedBy: userId, mime: "image/png", size: bytes.length, sha256: randomUUID().replace(/-/g, ""), bytes })
      .returning({ id: casePhotos.id });
    return p!.id;
  };
  /** Unchanged: status, events and audit entries of a case. */
  const frozen = async (id: string) => ({
    status: await statusOf(id),
    events: await count("case_events", "case_id = $1", [id]),
    audit: await count("audit_entries", "entity_id = $1", [id]),
  });
  /** From submitted to closed at grid level. */
  const toClosed = async (id: string) => {
    await ok(workerA, id, "register");
    await ok(workerA, id, "dispatch");
    await ok(gridWorker.session, id, "receive");
    await ok(gridWorker.session, id, "feedback", { note: "已清运" });
    await ok(workerA, id, "verify", { passed: true });
    return ok(workerA, id, "close");
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db());
    cat = await seedCaseCatalogue(db(), s);
    reporter = await user("resident", s.gridA1, s.personA1);
    residentB = (await user("resident", s.gridA1)).session;
    gridWorker = await user("gridWorker", s.gridA1);
    workerA = (await user("communityWorker", s.communityA)).session;
    workerB = (await user("communityWorker", s.communityB)).session;
    street = (await user("streetAdmin", s.street)).session;
    analyst = (await user("districtAnalyst", cat.districtId)).session;
    dept = await deptUser(cat.departmentId);
    dept2 = (await deptUser(cat.secondDepartmentId)).session;
  });
  afterAll(async () => t?.close());

  it("runs the closed loop submitted → … → rated, the timeline in order, one audit entry per step", async () => {
    const published: CaseStepTaken[] = [];
    const stopWatching = events.observe("case.stepTaken", (e) => published.push(e));
    const c = await newCase();
    const photo = await photoOf(gridWorker.id);
    await ok(workerA, c.id, "register", { note: "属实，立案" });
    const dispatched = await ok(workerA, c.id, "dispatch");
    expect(dispatched).toMatchObject({ status: "dispatched", level: "grid", handlingArea: { id: s.gridA1 } });
    expect(dispatched.handleDueAt).not.toBeNull();
    const received = await ok(gridWorker.session, c.id, "receive");
    expect(received.receivedAt).not.toBeNull();
    await ok(gridWorker.session, c.id, "start");
    const fed = await ok(gridWorker.session, c.id, "feedback", { note: "垃圾已清运，现场已冲洗", evidence: [photo] });
    expect(fed.status).toBe("feedback");
    expect(await count("case_photos", "id = $1 and case_id = $2", [photo, c.id])).toBe(1);
    // Someone other than the author of the result checks it (separation of duties).
    await ok(workerA, c.id, "verify", { passed: true, note: "现场核实已清理" });
    const closed = await ok(workerA, c.id, "close");
    expect(closed).toMatchObject({ status: "closed", closedOnTime: true });
    expect(closed.closedAt).not.toBeNull();
    const rated = await ok(reporter.session, c.id, "rate", { resolved: true, rating: "satisfied", comment: "很快，谢谢" });
    expect(rated).toMatchObject({ status: "rated", rating: "satisfied", resolved: true });

    const steps = ["submit", "register", "dispatch", "receive", "start", "feedback", "verifyPass", "close", "rate"];
    expect(rated.timeline.map((e) => e.action)).toEqual(steps);
    const feedbackEvent = rated.timeline.find((e) => e.action === "feedback")!;
    expect(feedbackEvent.evidence).toEqual([photo]);
    expect(rated.photos).toEqual([{ id: photo, eventId: feedbackEvent.id }]);
    // The reporter's name never shows on the timeline.
    expect(rated.timeline.at(-1)!.actorLabel).toBe("反映人");
    const audit = await t.database.query<{ action: string }>("select action from audit_entries where entity_id = $1 order by id", [c.id]);
    expect(audit.map((a) => a.action)).toEqual(steps.map((a) => `case.${a}`));
    expect(await count("case_events", "case_id = $1 and audit_entry_id is not null", [c.id])).toBe(steps.length);
    // Each step went on the event bus for the modules built on cases, matching the timeline row.
    stopWatching();
    const mine = published.filter((e) => e.caseId === c.id);
    expect(mine.map((e) => e.action)).toEqual(steps);
    expect(mine.map((e) => e.eventId)).toEqual(rated.timeline.map((e) => e.id));
    for (const [i, e] of mine.entries()) expect(e.fromStatus).toBe(i === 0 ? null : mine[i - 1]!.toStatus);
    expect(mine.at(-1)).toMatchObject({ toStatus: "rated", gridId: s.gridA1, actorUserId: reporter.id });
    expect(JSON.stringify(mine)).not.toContain("很快，谢谢");
  });

  it("sends a result back for rework and counts it; a failed check needs a reason", async () => {
    const c = await newCase();
    await ok(workerA, c.id, "register");
    await ok(workerA, c.id, "dispatch");
    await ok(gridWorker.session, c.id, "receive");
    await ok(gridWorker.session, c.id, "feedback", { note: "已处理" });
    const before = await frozen(c.id);
    const noReason = await post(workerA, c.id, "verify", { passed: false });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ code: "validation_failed", field: "note" });
    expect(await frozen(c.id)).toEqual(before);
    const rework = await ok(workerA, c.id, "verify", { passed: false, note: "垃圾桶周边仍有散落垃圾" });
    expect(rework).toMatchObject({ status: "inProgress", counts: { rework: 1 } });
    await ok(gridWorker.session, c.id, "feedback", { note: "已重新清理" });
    const verified = await ok(workerA, c.id, "verify", { passed: true });
    expect(verified.status).toBe("verified");
    expect(verified.timeline.map((e) => e.action).slice(-4)).toEqual(["feedback", "verifyFail", "feedback", "verifyPass"]);
  });

  describe("separation of duties (核查 by someone other than the author of the result)", () => {
    const detailOf = async (who: Session, id: string) => {
      const res = await t.as(who, "GET", `/api/cases/${id}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<Detail>();
    };
    const toVerify = async (who: Session, caseNo: string) => {
      const res = await t.as(who, "GET", `/api/cases?mine=verify&q=${caseNo}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ items: { id: string }[] }>().items.map((i) => i.id);
    };
    /** A grid case whose result the grid worker has just reported. */
    const fedBackByGridWorker = async () => {
      const c = await newCase();
      await ok(workerA, c.id, "register");
      await ok(workerA, c.id, "dispatch");
      await ok(gridWorker.session, c.id, "receive");
      await ok(gridWorker.session, c.id, "feedback", { note: "已清运" });
      return c;
    };

    it("refuses the author of the latest result: 403 case_self_verification, nothing changed, not offered", async () => {
      const c = await fedBackByGridWorker();
      const before = await frozen(c.id);
      for (const body of [{ passed: true }, { passed: false, note: "自己看着不行" }]) {
        const res = await post(gridWorker.session, c.id, "verify", body);
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json()).toMatchObject({ code: "case_self_verification" });
        expect(await frozen(c.id)).toEqual(before);
      }
      expect((await detailOf(gridWorker.session, c.id)).abilities).toMatchObject({ verifyPass: false, verifyFail: false });
      expect(await toVerify(gridWorker.session, c.caseNo)).toEqual([]);
      // The community worker, who may verify at grid level, sees it to verify and does.
      expect((await detailOf(workerA, c.id)).abilities).toMatchObject({ verifyPass: true, verifyFail: true });
      expect(await toVerify(workerA, c.caseNo)).toEqual([c.id]);
      const verified = await ok(workerA, c.id, "verify", { passed: true });
      expect(verified.status).toBe("verified");
      expect(verified.timeline.at(-1)).toMatchObject({ action: "verifyPass" });
    });

    it("looks at the latest result only: after rework reported by another, the first author may verify", async () => {
      const c = await fedBackByGridWorker();
      await ok(workerA, c.id, "verify", { passed: false, note: "仍有散落垃圾" });
      // Community staff may handle a grid case too; this time the community worker reports the result.
      await ok(workerA, c.id, "feedback", { note: "已重新清理" });
      const refused = await post(workerA, c.id, "verify", { passed: true });
      expect(refused.json()).toMatchObject({ code: "case_self_verification" });
      expect((await detailOf(gridWorker.session, c.id)).abilities).toMatchObject({ verifyPass: true });
      expect((await ok(gridWorker.session, c.id, "verify", { passed: true })).status).toBe("verified");
    });

    it("lets the author verify when self-verification is configured on (one-person communities)", async () => {
      configureCaseVerification({ allowSelfVerification: true });
      try {
        const c = await fedBackByGridWorker();
        expect((await detailOf(gridWorker.session, c.id)).abilities).toMatchObject({ verifyPass: true, verifyFail: true });
        expect(await toVerify(gridWorker.session, c.caseNo)).toEqual([c.id]);
        const verified = await ok(gridWorker.session, c.id, "verify", { passed: true, note: "本社区仅一人，自行核查" });
        expect(verified.status).toBe("verified");
      } finally {
        configureCaseVerification({ allowSelfVerification: false });
      }
    });
  });

  it("reopens a dissatisfied case once, keeping the old rating in the step; a second reopen is refused", async () => {
    const c = await newCase();
    await toClosed(c.id);
    await ok(reporter.session, c.id, "rate", { resolved: false, rating: "dissatisfied" });
    const reopened = await ok(reporter.session, c.id, "reopen", { reason: "第二天又堆满了" });
    expect(reopened).toMatchObject({ status: "dispatched", level: "grid", rating: null, resolved: null, closedAt: null, closedOnTime: null, counts: { reopen: 1 } });
    expect(reopened.handlingArea?.id).toBe(s.gridA1);
    expect(reopened.timeline.at(-1)!.data).toMatchObject({ previous: { rating: "dissatisfied", resolved: false } });
    await ok(gridWorker.session, c.id, "receive");
    await ok(gridWorker.session, c.id, "feedback", { note: "增加清运频次" });
    await ok(workerA, c.id, "verify", { passed: true });
    await ok(workerA, c.id, "close");
    await ok(reporter.session, c.id, "rate", { resolved: false, rating: "dissatisfied" });
    const before = await frozen(c.id);
    const again = await post(reporter.session, c.id, "reopen", { reason: "还是不行" });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "case_reopen_used" });
    expect(await frozen(c.id)).toEqual(before);
  });

  it("reopens only after a dissatisfied rating", async () => {
    const c = await newCase();
    await toClosed(c.id);
    await ok(reporter.session, c.id, "rate", { resolved: true, rating: "basic" });
    const res = await post(reporter.session, c.id, "reopen", { reason: "想再看看" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "case_reopen_not_dissatisfied" });
    expect(await statusOf(c.id)).toBe("rated");
  });

  it("refuses to close an unverified case: case_illegal_transition, status unchanged, no event row", async () => {
    const c = await newCase("inProgress");
    const before = await frozen(c.id);
    const res = await post(workerA, c.id, "close");
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "case_illegal_transition" });
    expect(res.json<{ message: string }>().message).toContain("处置中");
    expect(await frozen(c.id)).toEqual(before);
  });

  it("refuses to close while a summoned department has not finished (事不完、人不走)", async () => {
    const c = await newCase("verified");
    const [w] = await t.database.query<{ id: string }>(
      "insert into case_whistles (case_id, area_id, blown_by, reason) values ($1, $2, $3, '多部门联合处置') returning id",
      [c.id, s.street, gridWorker.id],
    );
    await t.database.query("insert into case_summons (whistle_id, case_id, department_org_id, status, report_in_due_at) values ($1, $2, $3, 'reportedIn', now())", [
      w!.id,
      c.id,
      cat.departmentId,
    ]);
    const before = await frozen(c.id);
    const res = await post(workerA, c.id, "close");
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "case_summons_unfinished" });
    expect(res.json<{ message: string }>().message).toContain("1 个");
    expect(await frozen(c.id)).toEqual(before);
    const detail = (await t.as(workerA, "GET", `/api/cases/${c.id}`)).json<Detail>();
    expect(detail.abilities.close).toBe(false);
    await t.database.query("update case_summons set status = 'finished', finished_at = now() where case_id = $1", [c.id]);
    expect((await ok(workerA, c.id, "close")).status).toBe("closed");
  });

  it("lets only the reporter rate: another resident gets 404, a handler 403 case_not_reporter", async () => {
    const c = await newCase("closed");
    const before = await frozen(c.id);
    const other = await post(residentB, c.id, "rate", { resolved: true, rating: "satisfied" });
    expect(other.statusCode).toBe(404);
    const handler = await post(workerA, c.id, "rate", { resolved: true, rating: "satisfied" });
    expect(handler.statusCode).toBe(403);
    expect(handler.json()).toMatchObject({ code: "case_not_reporter" });
    expect(await frozen(c.id)).toEqual(before);
  });

  it("escalates to the next level up or a named one, and refuses levels that are not higher", async () => {
    const c = await newCase("registered");
    const up = await ok(gridWorker.session, c.id, "escalate", { reason: "需要社区协调物业" });
    expect(up).toMatchObject({ status: "registered", level: "community", handlingArea: { id: s.communityA }, counts: { escalation: 1 } });
    expect(up.responseDueAt).not.toBeNull();
    const before = await frozen(c.id);
    const down = await post(workerA, c.id, "escalate", { reason: "退回网格", toLevel: "grid" });
    expect(down.statusCode).toBe(400);
    expect(down.json()).toMatchObject({ code: "case_level_invalid" });
    const noOrg = await post(workerA, c.id, "escalate", { reason: "需要部门处理", toLevel: "department" });
    expect(noOrg.json()).toMatchObject({ code: "case_level_invalid" });
    const notDept = await post(workerA, c.id, "escalate", { reason: "需要部门处理", toLevel: "department", orgId: randomUUID() });
    expect(notDept.json()).toMatchObject({ code: "case_level_invalid" });
    expect(await frozen(c.id)).toEqual(before);
    // A community worker escalates a community case to the street; the street hands it to a department.
    const toStreet = await ok(workerA, c.id, "escalate", { reason: "社区无法协调" });
    expect(toStreet).toMatchObject({ level: "street", handlingArea: { id: s.street }, counts: { escalation: 2 } });
    expect((await post(workerA, c.id, "dispatch")).statusCode).toBe(403);
    const toDept = await ok(street, c.id, "dispatch", { level: "department", orgId: cat.departmentId });
    expect(toDept).toMatchObject({ status: "dispatched", level: "department", handlingOrg: { id: cat.departmentId }, handlingArea: null });
    expect((await post(dept2, c.id, "receive")).statusCode).toBe(404);
    await ok(dept.session, c.id, "receive");
  });

  it("escalates by itself when the timers call escalateCase with the system actor", async () => {
    const c = await newCase("dispatched");
    await db().transaction(async (tx) => {
      const row = await lockCase(tx, c.id);
      await escalateCase(tx, systemActor, row, { reason: "超时未签收，自动上报", automatic: true });
    });
    const d = (await t.as(workerA, "GET", `/api/cases/${c.id}`)).json<Detail>();
    expect(d).toMatchObject({ status: "registered", level: "community" });
    expect(d.timeline.at(-1)).toMatchObject({ action: "escalate", actorLabel: "系统", data: { automatic: true, fromLevel: "grid", toLevel: "community" } });
    // At the top, escalation is refused with a stable code.
    const top = await newCase("registered", { level: "district" });
    await expect(
      db().transaction(async (tx) => escalateCase(tx, systemActor, await lockCase(tx, top.id), { reason: "再上报", automatic: true })),
    ).rejects.toMatchObject({ code: "case_level_invalid" });
  });

  it("sends a registered case down to a lower level only", async () => {
    const c = await newCase("registered", { level: "street" });
    const before = await frozen(c.id);
    const sideways = await post(street, c.id, "send-down", { toLevel: "street", reason: "街道处理" });
    expect(sideways.statusCode).toBe(400);
    expect(sideways.json()).toMatchObject({ code: "case_level_invalid" });
    expect((await post(workerA, c.id, "send-down", { toLevel: "grid", reason: "网格处理" })).statusCode).toBe(403);
    expect(await frozen(c.id)).toEqual(before);
    const down = await ok(street, c.id, "send-down", { toLevel: "grid", reason: "属网格日常事项" });
    expect(down).toMatchObject({ status: "registered", level: "grid", handlingArea: { id: s.gridA1 } });
  });

  it("extends the handling deadline on the working calendar after approval; one request at a time", async () => {
    const c = await newCase("dispatched");
    // Friday 16:00 China time: one working day later is Monday 16:00, across the weekend.
    const friday = new Date("2026-11-20T16:00:00+08:00");
    await t.database.query("update cases set handle_due_at = $1 where id = $2", [friday.toISOString(), c.id]);
    const requested = await ok(gridWorker.session, c.id, "extensions", { reason: "需要等待配件", extraValue: 1, extraUnit: "workingDays" });
    expect(requested.status).toBe("dispatched");
    expect(requested.extensions).toHaveLength(1);
    expect(requested.abilities.requestExtension).toBe(false);
    const extensionId = requested.extensions[0]!.id;
    const again = await post(gridWorker.session, c.id, "extensions", { reason: "再延", extraValue: 2, extraUnit: "workingHours" });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "case_extension_pending" });
    expect(await count("case_extensions", "case_id = $1", [c.id])).toBe(1);
    // The handler may not approve their own request.
    expect((await post(gridWorker.session, c.id, `extensions/${extensionId}/decision`, { approve: true })).statusCode).toBe(403);
    const approved = await ok(workerA, c.id, `extensions/${extensionId}/decision`, { approve: true, note: "同意" });
    const expected = workingCalendar().addTimeLimit(friday, { value: 1, unit: "workingDays" });
    expect(approved.handleDueAt).toBe(expected.toISOString());
    expect(expected.getTime() - friday.getTime()).toBeGreaterThan(48 * 3600_000);
    expect(approved).toMatchObject({ status: "dispatched", counts: { extension: 1 } });
    expect(approved.extensions[0]).toMatchObject({ status: "approved", newDueAt: expected.toISOString() });
    const none = await post(workerA, c.id, `extensions/${extensionId}/decision`, { approve: false });
    expect(none.statusCode).toBe(409);
    expect(none.json()).toMatchObject({ code: "case_extension_none" });
    // The request is internal: the reporter's timeline does not show it.
    const mine = (await t.as(reporter.session, "GET", `/api/cases/${c.id}`)).json<Detail>();
    expect(mine.timeline.map((e) => e.action)).not.toContain("requestExtension");
    expect(mine.timeline.map((e) => e.action)).toContain("approveExtension");
    expect(mine.extensions).toEqual([]);
  });

  it("declines an extension without moving the deadline", async () => {
    const c = await newCase("received");
    const due = new Date("2026-11-18T10:00:00+08:00");
    await t.database.query("update cases set handle_due_at = $1 where id = $2", [due.toISOString(), c.id]);
    const r = await ok(gridWorker.session, c.id, "extensions", { reason: "人手不足", extraValue: 4, extraUnit: "workingHours" });
    const declined = await ok(workerA, c.id, `extensions/${r.extensions[0]!.id}/decision`, { approve: false, note: "今天内完成" });
    expect(declined.handleDueAt).toBe(due.toISOString());
    expect(declined.extensions[0]!.status).toBe("declined");
    expect(declined.counts.extension).toBe(0);
  });

  it("parks a long-term case and returns it to the status it had", async () => {
    const c = await newCase("inProgress");
    const parked = await ok(workerA, c.id, "park", { reason: "需纳入明年改造计划" });
    expect(parked.status).toBe("parked");
    expect((await post(gridWorker.session, c.id, "unpark")).statusCode).toBe(403);
    const back = await ok(workerA, c.id, "unpark", { note: "改造资金已落实" });
    expect(back.status).toBe("inProgress");
  });

  it("returns a case to its dispatcher, counted, and the dispatcher dispatches it again", async () => {
    const c = await newCase("dispatched");
    const returned = await ok(gridWorker.session, c.id, "return", { reason: "不属于本网格事项" });
    expect(returned).toMatchObject({ status: "registered", level: "grid", counts: { return: 1 } });
    expect((await ok(workerA, c.id, "dispatch", { level: "community" })).handlingArea?.id).toBe(s.communityA);
  });

  it("lets the reporter cancel only while the case waits for registration", async () => {
    const c = await newCase();
    expect((await ok(reporter.session, c.id, "cancel", { reason: "已经自行解决" })).status).toBe("cancelled");
    const d = await newCase("registered");
    expect((await post(reporter.session, d.id, "cancel", { reason: "不需要了" })).statusCode).toBe(403);
    expect((await ok(workerA, d.id, "cancel", { reason: "重复反映" })).status).toBe("cancelled");
  });

  it("rejects with a reason; bad input and out-of-scope actors change nothing", async () => {
    const c = await newCase();
    const before = await frozen(c.id);
    const blank = await post(workerA, c.id, "reject", { reason: "   " });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: "validation_failed" });
    expect((await post(workerA, c.id, "reject", { reason: "x".repeat(501) })).statusCode).toBe(400);
    expect((await post(workerB, c.id, "register")).statusCode).toBe(404);
    expect((await post(analyst, c.id, "register")).statusCode).toBe(403);
    expect((await post(gridWorker.session, c.id, "register")).statusCode).toBe(403);
    expect((await post(workerA, randomUUID(), "register")).statusCode).toBe(404);
    expect(await frozen(c.id)).toEqual(before);
    const rejected = await ok(workerA, c.id, "reject", { reason: "属于私人物业纠纷，建议通过业委会协商" });
    expect(rejected.status).toBe("rejected");
    expect((await post(workerA, c.id, "register")).json()).toMatchObject({ code: "case_illegal_transition" });
  });

  it("attaches only the handler's own unattached photos to a result", async () => {
    const c = await newCase("inProgress");
    const others = await photoOf(reporter.id);
    const before = await frozen(c.id);
    const res = await post(gridWorker.session, c.id, "feedback", { note: "已处理", evidence: [others] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "case_photo_invalid", field: "evidence" });
    expect(await frozen(c.id)).toEqual(before);
    expect(await count("case_photos", "id = $1 and case_id is null", [others])).toBe(1);
  });
});
