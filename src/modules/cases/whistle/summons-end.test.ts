/**
 * A summons never blocks a case for good, on both engines: the summoning side withdraws it or
 * excuses the department with a reason, or records the department's part on its behalf (counted
 * apart in the figures); a department without any login is marked in the whistle dialog's list;
 * the case whose 执法局 has no login closes after 核查. Bad input changes nothing.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { chinaDateOf } from "../../../platform/calendar/index.js";

interface SummonsItem {
  id: string;
  status: string;
  departmentOrgId: string;
  finishNote: string | null;
  evidence: string[];
  recordedOnBehalf: boolean;
  endedAt: string | null;
  endReason: string | null;
  abilities: { reportIn: boolean; finish: boolean; score: boolean; withdraw: boolean; excuse: boolean; recordOnBehalf: boolean };
}

describe.each(testEngines())("ending and recording summons on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let street: Session;
  let workerA: Session;
  let workerAId: string;
  let workerB: Session;
  let gridWorker: Session;
  let dept1: Session;
  let photoSeq = 0;

  const db = () => t.database.db;
  const count = async (table: string, where = "true", params: unknown[] = []) =>
    Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table} where ${where}`, params))[0]!.n);
  const snapshot = async () => ({
    summons: await t.database.query("select id, status, finished_at, ended_at, end_reason, recorded_on_behalf, finish_note from case_summons order by id"),
    timers: await count("case_timers", "cancelled_at is null"),
    events: await count("case_events"),
    audit: await count("audit_entries"),
    photosAttached: await count("case_photos", "case_id is not null"),
    cases: await t.database.query("select id, status from cases order by id"),
  });
  const photo = async (uploadedBy: string) => {
    const bytes = Buffer.from(`not really a png either ${++photoSeq}`);
    const r = await t.database.query<{ id: string }>(
      "insert into case_photos (uploaded_by, mime, size, sha256, width, height, bytes) values ($1, 'image/png', $2, $3, 10, 10, $4) returning id",
      [uploadedBy, bytes.length, createHash("sha256").update(bytes).digest("hex"), bytes],
    );
    return r[0]!.id;
  };
  const summonsFor = async (caseId: string, orgId: string) =>
    (await t.database.query<{ id: string }>("select id from case_summons where case_id = $1 and department_org_id = $2", [caseId, orgId]))[0]!.id;
  /** A case summoned by community A to 住建局 (which has a login) and 执法局 (which has none). */
  const whistledCase = async (status: "inProgress" | "feedback" | "verified" = "inProgress") => {
    const c = await insertCase(db(), s, cat.garbage, { status });
    const res = await t.as(workerA, "POST", `/api/cases/${c.id}/whistle`, {
      departmentOrgIds: [cat.departmentId, cat.secondDepartmentId],
      reason: "渣土乱倒涉及住建和执法，需要两部门到场",
    });
    expect(res.statusCode, res.body).toBe(201);
    return c;
  };
  const post = async (who: Session, sid: string, path: string, body: Record<string, unknown>) => t.as(who, "POST", `/api/summons/${sid}/${path}`, body);

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db(), "990800");
    cat = await seedCaseCatalogue(db(), s);
    street = await t.login((await createTestUser(db(), { role: "streetAdmin", areaId: s.street })).username);
    const wa = await createTestUser(db(), { role: "communityWorker", areaId: s.communityA });
    workerAId = wa.id;
    workerA = await t.login(wa.username);
    workerB = await t.login((await createTestUser(db(), { role: "communityWorker", areaId: s.communityB })).username);
    gridWorker = await t.login((await createTestUser(db(), { role: "gridWorker", areaId: s.gridA1 })).username);
    // Only 住建局 has a login; 执法局 has none (as in the demo).
    const u = await createTestUser(db(), { role: "departmentStaff", areaId: cat.districtId });
    await t.database.query("update role_grants set org_id = $1 where user_id = $2", [cat.departmentId, u.id]);
    await t.database.query("update users set org_id = $1 where id = $2", [cat.departmentId, u.id]);
    dept1 = await t.login(u.username);
  });
  afterAll(async () => t?.close());

  it("marks the departments nobody can log in for", async () => {
    const res = await t.as(workerA, "GET", "/api/departments");
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: { id: string; hasActiveLogin: boolean }[] }).items;
    expect(items.find((d) => d.id === cat.departmentId)!.hasActiveLogin).toBe(true);
    expect(items.find((d) => d.id === cat.secondDepartmentId)!.hasActiveLogin).toBe(false);
    // A disabled account does not count.
    await t.database.query("update users set disabled = true where org_id = $1", [cat.departmentId]);
    const off = (await t.as(workerA, "GET", "/api/departments")).json() as { items: { id: string; hasActiveLogin: boolean }[] };
    expect(off.items.find((d) => d.id === cat.departmentId)!.hasActiveLogin).toBe(false);
    await t.database.query("update users set disabled = false where org_id = $1", [cat.departmentId]);
  });

  it("closes the case whose 执法局 has no login once the community excuses it after 核查", async () => {
    const c = await whistledCase("feedback");
    const zj = await summonsFor(c.id, cat.departmentId);
    const zf = await summonsFor(c.id, cat.secondDepartmentId);
    expect((await post(dept1, zj, "report-in", {})).statusCode).toBe(200);
    expect((await post(dept1, zj, "finish", { note: "已督促施工方清运渣土" })).statusCode).toBe(200);
    expect((await t.as(workerA, "POST", `/api/cases/${c.id}/verify`, { passed: true, note: "现场已清理" })).statusCode).toBe(200);
    const blocked = await t.as(workerA, "POST", `/api/cases/${c.id}/close`, { note: "结案" });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({ code: "case_summons_unfinished" });
    const page = (await t.as(workerA, "GET", `/api/cases/${c.id}`)).json() as { abilities: { close: boolean } };
    expect(page.abilities.close).toBe(false);

    const res = await post(workerA, zf, "excuse", { reason: "执法局尚无系统账号，已电话协调现场处置" });
    expect(res.statusCode, res.body).toBe(200);
    const item = res.json() as SummonsItem;
    expect(item).toMatchObject({ status: "excused", endReason: "执法局尚无系统账号，已电话协调现场处置", recordedOnBehalf: false });
    expect(item.abilities).toMatchObject({ withdraw: false, excuse: false, recordOnBehalf: false, score: false });
    expect((await t.as(workerA, "GET", `/api/cases/${c.id}`)).json()).toMatchObject({ abilities: { close: true } });
    const closed = await t.as(workerA, "POST", `/api/cases/${c.id}/close`, { note: "结案" });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ status: "closed" });
    const [ev] = await t.database.query<{ action: string; note: string; audit_entry_id: string | null }>(
      "select action, note, audit_entry_id from case_events where case_id = $1 and action = 'excuseSummons'",
      [c.id],
    );
    expect(ev).toMatchObject({ action: "excuseSummons", note: "执法局尚无系统账号，已电话协调现场处置" });
    expect(ev!.audit_entry_id).not.toBeNull();
  });

  it("withdraws a summons with a reason, cancelling its report-in timer; the department can no longer report in", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.departmentId);
    expect(await count("case_timers", "summons_id = $1 and cancelled_at is null", [sid])).toBe(1);
    const before = await count("audit_entries");
    const res = await post(street, sid, "withdraw", { reason: "  召集有误，本案不涉及住建  " });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "withdrawn", endReason: "召集有误，本案不涉及住建" });
    expect((res.json() as SummonsItem).endedAt).not.toBeNull();
    expect(await count("case_timers", "summons_id = $1 and cancelled_at is null", [sid])).toBe(0);
    expect(await count("audit_entries")).toBe(before + 1);
    expect(await count("case_events", "case_id = $1 and action = 'withdrawSummons'", [c.id])).toBe(1);
    const late = await post(dept1, sid, "report-in", {});
    expect(late.statusCode).toBe(409);
    // Shown under its own status in the queue; the department may be summoned again.
    const q = (await t.as(workerA, "GET", `/api/summons?status=withdrawn&caseId=${c.id}`)).json() as { items: SummonsItem[] };
    expect(q.items.map((x) => x.id)).toEqual([sid]);
    const deps = (await t.as(workerA, "GET", `/api/departments?caseId=${c.id}`)).json() as { items: { id: string; activeOnCase: boolean }[] };
    expect(deps.items.find((d) => d.id === cat.departmentId)!.activeOnCase).toBe(false);
    expect(deps.items.find((d) => d.id === cat.secondDepartmentId)!.activeOnCase).toBe(true);
    const timeline = (await t.as(workerA, "GET", `/api/cases/${c.id}`)).json() as { timeline: { action: string; actionLabel?: { zh: string } }[] };
    expect(timeline.timeline.some((e) => e.action === "withdrawSummons")).toBe(true);
  });

  it("records a department's part on its behalf with the official's photos, counted apart in the figures", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.secondDepartmentId);
    const p1 = await photo(workerAId);
    const res = await post(workerA, sid, "record-on-behalf", { note: "执法局已到场处罚，社区代为登记", evidence: [p1] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "finished", recordedOnBehalf: true, finishNote: "执法局已到场处罚，社区代为登记", evidence: [p1] });
    expect((res.json() as SummonsItem).abilities.score).toBe(true);
    expect(await count("case_photos", "id = $1 and case_id = $2", [p1, c.id])).toBe(1);
    expect(await count("case_events", "case_id = $1 and action = 'recordSummonsOnBehalf' and $2 = any(evidence)", [c.id, p1])).toBe(1);

    const month = chinaDateOf(new Date()).slice(0, 7);
    const stats = (await t.as(workerA, "GET", `/api/summons/stats?month=${month}`)).json() as {
      items: { departmentOrgId: string; summoned: number; finished: number; recordedOnBehalf: number; withdrawn: number; excused: number }[];
    };
    const zf = stats.items.find((x) => x.departmentOrgId === cat.secondDepartmentId)!;
    expect(zf).toMatchObject({
      summoned: await count("case_summons", "department_org_id = $1", [cat.secondDepartmentId]),
      finished: await count("case_summons", "department_org_id = $1 and status = 'finished' and not recorded_on_behalf", [cat.secondDepartmentId]),
      recordedOnBehalf: await count("case_summons", "department_org_id = $1 and recorded_on_behalf", [cat.secondDepartmentId]),
      excused: await count("case_summons", "department_org_id = $1 and status = 'excused'", [cat.secondDepartmentId]),
    });
    expect(zf.recordedOnBehalf).toBeGreaterThanOrEqual(1);
    const zj = stats.items.find((x) => x.departmentOrgId === cat.departmentId)!;
    expect(zj.withdrawn).toBe(await count("case_summons", "department_org_id = $1 and status = 'withdrawn'", [cat.departmentId]));
  });

  it("lets only the summoning side end or record a summons, and only while it waits", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.departmentId);
    const dept = (await t.as(dept1, "GET", `/api/summons?caseId=${c.id}`)).json() as { items: SummonsItem[] };
    expect(dept.items[0]!.abilities).toMatchObject({ reportIn: true, withdraw: false, excuse: false, recordOnBehalf: false });
    const mine = (await t.as(workerA, "GET", `/api/summons?caseId=${c.id}`)).json() as { items: SummonsItem[] };
    expect(mine.items.find((x) => x.id === sid)!.abilities).toMatchObject({ reportIn: false, withdraw: true, excuse: true, recordOnBehalf: true });
    const before = await snapshot();
    for (const path of ["withdraw", "excuse"]) {
      expect((await post(dept1, sid, path, { reason: "不归我们管" })).statusCode).toBe(403);
      expect((await post(gridWorker, sid, path, { reason: "不归我们管" })).statusCode).toBe(403);
      expect((await post(workerB, sid, path, { reason: "不归我们管" })).statusCode).toBe(404);
    }
    expect((await post(dept1, sid, "record-on-behalf", { note: "自己代自己" })).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);

    expect((await post(dept1, sid, "report-in", {})).statusCode).toBe(200);
    expect((await post(dept1, sid, "finish", { note: "已办结" })).statusCode).toBe(200);
    const mid = await snapshot();
    for (const [path, body] of [
      ["withdraw", { reason: "撤回" }],
      ["excuse", { reason: "免除" }],
      ["record-on-behalf", { note: "代登记" }],
    ] as const) {
      const res = await post(workerA, sid, path, body);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: "case_summons_step_invalid" });
    }
    expect(await snapshot()).toEqual(mid);
  });

  it("refuses an empty reason or note, someone else's photo and a closed case, naming the field and writing nothing", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.secondDepartmentId);
    const before = await snapshot();
    for (const path of ["withdraw", "excuse"]) {
      const res = await post(workerA, sid, path, { reason: "   " });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: "validation_failed", field: "reason" });
      expect((await post(workerA, sid, path, {})).statusCode).toBe(400);
    }
    const empty = await post(workerA, sid, "record-on-behalf", { note: "" });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: "validation_failed", field: "note" });
    const foreign = await photo((await createTestUser(db(), { role: "communityWorker", areaId: s.communityA })).id);
    const bad = await post(workerA, sid, "record-on-behalf", { note: "代为登记", evidence: [foreign] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "case_photo_invalid", field: "evidence" });
    expect(await snapshot()).toEqual(before);

    await t.database.query("update cases set status = 'closed' where id = $1", [c.id]);
    const closedBefore = await snapshot();
    const res = await post(workerA, sid, "excuse", { reason: "已结案" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "case_illegal_transition" });
    expect(await snapshot()).toEqual(closedBefore);
  });
});
