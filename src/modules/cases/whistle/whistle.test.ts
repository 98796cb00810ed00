/**
 * 街乡吹哨、部门报到 over HTTP, on both engines: the whistle writes summons, report-in timers and a
 * timeline step; only the summoned department reports in and finishes; the case cannot close while
 * a summons is unfinished; the summoning side scores once; queues, departments and stats are
 * scoped; bad input changes nothing.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { actorOf } from "../../../platform/auth/service.js";
import { AppError } from "../../../platform/errors.js";
import { chinaDateOf } from "../../../platform/calendar/index.js";
import { dueAfter } from "../calendar.js";
import { closeCase } from "../lifecycle/lifecycle.js";

interface SummonsItem {
  id: string;
  whistleId: string;
  status: string;
  departmentOrgId: string;
  departmentName: string;
  reportInDueAt: string;
  reportedInAt: string | null;
  reportedInOnTime: boolean | null;
  finishedAt: string | null;
  finishNote: string | null;
  evidence: string[];
  score: number | null;
  overdue: boolean;
  whistle: { areaId: string; areaName: string; reason: string };
  case: { id: string; caseNo: string; categoryName: string; status: string; gridName: string; summary: string };
  abilities: { read: boolean; reportIn: boolean; finish: boolean; score: boolean };
}
interface Whistle {
  id: string;
  caseId: string;
  areaId: string;
  reason: string;
  blownAt: string;
  reportInLimit: { value: number; unit: string };
  summons: { id: string; departmentOrgId: string; departmentName: string; status: string; reportInDueAt: string }[];
}

describe.each(testEngines())("whistle and report-in on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let street: Session;
  let streetId: string;
  let workerA: Session;
  let workerB: Session;
  let gridWorker: Session;
  let resident: Session;
  let dept1: Session;
  let dept1UserId: string;
  let dept2: Session;
  let otherOrgId: string;
  let dissolvedDeptId: string;
  let photoSeq = 0;

  const db = () => t.database.db;
  const count = async (table: string, where = "true", params: unknown[] = []) =>
    Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table} where ${where}`, params))[0]!.n);
  const snapshot = async () => ({
    whistles: await count("case_whistles"),
    summons: await count("case_summons"),
    finished: await count("case_summons", "status = 'finished'"),
    reported: await count("case_summons", "reported_in_at is not null"),
    scored: await count("case_summons", "score is not null"),
    timers: await count("case_timers", "cancelled_at is null"),
    events: await count("case_events"),
    audit: await count("audit_entries"),
    whistled: await count("cases", "whistled"),
    photosAttached: await count("case_photos", "case_id is not null"),
  });
  const deptUser = async (orgId: string) => {
    const u = await createTestUser(db(), { role: "departmentStaff", areaId: cat.districtId });
    await t.database.query("update role_grants set org_id = $1 where user_id = $2", [orgId, u.id]);
    await t.database.query("update users set org_id = $1 where id = $2", [orgId, u.id]);
    return { session: await t.login(u.username), id: u.id };
  };
  const photo = async (uploadedBy: string) => {
    const bytes = Buffer.from(`not really a png ${++photoSeq}`);
    const r = await t.database.query<{ id: string }>(
      "insert into case_photos (uploaded_by, mime, size, sha256, width, height, bytes) values ($1, 'image/png', $2, $3, 10, 10, $4) returning id",
      [uploadedBy, bytes.length, createHash("sha256").update(bytes).digest("hex"), bytes],
    );
    return r[0]!.id;
  };
  const whistle = async (who: Session | null, caseId: string, body: Record<string, unknown>) => t.as(who, "POST", `/api/cases/${caseId}/whistle`, body);
  const summonsOf = async (caseId: string) =>
    t.database.query<{ id: string; department_org_id: string; status: string }>("select id, department_org_id, status from case_summons where case_id = $1 order by created_at, id", [caseId]);
  const summonsFor = async (caseId: string, orgId: string) => (await summonsOf(caseId)).find((r) => r.department_org_id === orgId)!.id;
  const queue = async (who: Session, qs = "") => {
    const res = await t.as(who, "GET", `/api/summons${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: SummonsItem[]; total: number };
  };
  /** A case in progress, summoned to departments 1 and 2 by community A. */
  const whistledCase = async (status: "inProgress" | "verified" = "inProgress") => {
    const c = await insertCase(db(), s, cat.garbage, { status });
    const res = await whistle(workerA, c.id, { departmentOrgIds: [cat.departmentId, cat.secondDepartmentId], reason: "垃圾清运涉及住建和执法，需要两部门到场" });
    expect(res.statusCode, res.body).toBe(201);
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db(), "990900");
    cat = await seedCaseCatalogue(db(), s);
    const sa = await createTestUser(db(), { role: "streetAdmin", areaId: s.street });
    streetId = sa.id;
    street = await t.login(sa.username);
    workerA = await t.login((await createTestUser(db(), { role: "communityWorker", areaId: s.communityA })).username);
    workerB = await t.login((await createTestUser(db(), { role: "communityWorker", areaId: s.communityB })).username);
    gridWorker = await t.login((await createTestUser(db(), { role: "gridWorker", areaId: s.gridA1 })).username);
    resident = await t.login((await createTestUser(db(), { role: "resident", areaId: s.gridA1, personId: s.personA1 })).username);
    const d1 = await deptUser(cat.departmentId);
    dept1 = d1.session;
    dept1UserId = d1.id;
    dept2 = (await deptUser(cat.secondDepartmentId)).session;
    const other = await t.database.query<{ id: string }>("insert into organizations (kind, name, area_id, path) values ('communityPartyCommittee', '甲社区党委', $1, '/') returning id", [s.communityA]);
    otherOrgId = other[0]!.id;
    const dissolved = await t.database.query<{ id: string }>(
      "insert into organizations (kind, name, area_id, path, dissolved_on) values ('department', '测试区已撤并局', $1, '/', '2024-01-01') returning id",
      [cat.districtId],
    );
    dissolvedDeptId = dissolved[0]!.id;
  });
  afterAll(async () => t?.close());

  it("blows the whistle: summons with report-in deadlines, timers, the timeline step and the whistled flag", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "inProgress" });
    const before = await snapshot();
    const res = await whistle(workerA, c.id, {
      departmentOrgIds: [cat.departmentId, cat.secondDepartmentId],
      reason: "  垃圾站选址需要住建、执法到场  ",
      reportInLimit: { value: 1, unit: "workingDays" },
    });
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json() as Whistle;
    expect(w).toMatchObject({ caseId: c.id, areaId: s.communityA, reason: "垃圾站选址需要住建、执法到场", reportInLimit: { value: 1, unit: "workingDays" } });
    const due = dueAfter(new Date(w.blownAt), 1, "workingDays")!.toISOString();
    expect(w.summons.map((x) => [x.departmentOrgId, x.status, x.reportInDueAt]).sort()).toEqual(
      [
        [cat.departmentId, "summoned", due],
        [cat.secondDepartmentId, "summoned", due],
      ].sort(),
    );
    const after = await snapshot();
    expect(after.whistles - before.whistles).toBe(1);
    expect(after.summons - before.summons).toBe(2);
    const timers = await t.database.query<{ summons_id: string; due_at: Date }>("select summons_id, due_at from case_timers where case_id = $1 and kind = 'reportInDue' order by id", [c.id]);
    expect(timers.map((x) => x.summons_id).sort()).toEqual(w.summons.map((x) => x.id).sort());
    expect(timers.every((x) => new Date(x.due_at).toISOString() === due)).toBe(true);
    const [row] = await t.database.query<{ whistled: boolean; status: string }>("select whistled, status from cases where id = $1", [c.id]);
    expect(row).toEqual({ whistled: true, status: "inProgress" });
    const [event] = await t.database.query<{ action: string; note: string; data: { whistleId: string; departments: { id: string; name: string }[] }; audit_entry_id: string | null }>(
      "select action, note, data, audit_entry_id from case_events where case_id = $1 and action = 'whistle'",
      [c.id],
    );
    expect(event!.note).toBe("垃圾站选址需要住建、执法到场");
    expect(event!.data.whistleId).toBe(w.id);
    expect(event!.data.departments.map((d) => d.name).sort()).toEqual(["测试区住房和城乡建设局", "测试区综合行政执法局"].sort());
    expect(event!.audit_entry_id).not.toBeNull();
    expect(await count("audit_entries", "action = 'case.whistle' and entity_id = $1", [c.id])).toBe(1);

    // The street blows with the default limit (2 working hours); its whistle is the street's.
    const c2 = await insertCase(db(), s, cat.garbage, { status: "dispatched" });
    const res2 = await whistle(street, c2.id, { departmentOrgIds: [cat.departmentId], reason: "需要住建局现场核实" });
    expect(res2.statusCode, res2.body).toBe(201);
    const w2 = res2.json() as Whistle;
    expect(w2.areaId).toBe(s.street);
    expect(w2.reportInLimit).toEqual({ value: 2, unit: "workingHours" });
    expect(w2.summons[0]!.reportInDueAt).toBe(dueAfter(new Date(w2.blownAt), 2, "workingHours")!.toISOString());
  });

  it("lets only street and community staff in scope blow the whistle", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "inProgress" });
    const body = { departmentOrgIds: [cat.departmentId], reason: "需要部门到场" };
    const before = await snapshot();
    expect((await whistle(gridWorker, c.id, body)).statusCode).toBe(403);
    expect((await whistle(workerB, c.id, body)).statusCode).toBe(404);
    expect((await whistle(resident, c.id, body)).statusCode).toBe(404);
    expect((await whistle(dept1, c.id, body)).statusCode).toBe(404);
    expect((await whistle(null, c.id, body)).statusCode).toBe(401);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses bad whistles with a clear code and changes nothing", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "inProgress" });
    const closed = await insertCase(db(), s, cat.garbage, { status: "closed" });
    const summoned = await whistledCase();
    const before = await snapshot();
    const expectError = async (caseId: string, body: Record<string, unknown>, status: number, code: string, field?: string) => {
      const res = await whistle(workerA, caseId, body);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json()).toMatchObject({ code, ...(field ? { field } : {}) });
      return res.json() as { message: string };
    };
    const reason = "需要部门到场";
    await expectError(c.id, { departmentOrgIds: [], reason }, 400, "case_summons_invalid", "departmentOrgIds");
    await expectError(c.id, { departmentOrgIds: [otherOrgId], reason }, 400, "case_summons_invalid", "departmentOrgIds");
    await expectError(c.id, { departmentOrgIds: [dissolvedDeptId], reason }, 400, "case_summons_invalid", "departmentOrgIds");
    await expectError(c.id, { departmentOrgIds: ["00000000-0000-4000-8000-000000000000"], reason }, 400, "case_summons_invalid", "departmentOrgIds");
    const dup = await expectError(c.id, { departmentOrgIds: [cat.departmentId, cat.departmentId], reason }, 400, "case_summons_invalid", "departmentOrgIds");
    expect(dup.message).toContain("同一个部门");
    const again = await expectError(summoned.id, { departmentOrgIds: [cat.departmentId], reason }, 400, "case_summons_invalid", "departmentOrgIds");
    expect(again.message).toContain("测试区住房和城乡建设局");
    await expectError(c.id, { departmentOrgIds: [cat.departmentId], reason: "   " }, 400, "validation_failed", "reason");
    await expectError(c.id, { departmentOrgIds: [cat.departmentId], reason, reportInLimit: { value: 1.5, unit: "workingDays" } }, 400, "case_summons_invalid", "reportInLimit");
    await expectError(c.id, { departmentOrgIds: [cat.departmentId], reason, reportInLimit: { value: 0, unit: "workingHours" } }, 400, "validation_failed");
    await expectError(closed.id, { departmentOrgIds: [cat.departmentId], reason }, 409, "case_illegal_transition");
    await expectError("00000000-0000-4000-8000-000000000000", { departmentOrgIds: [cat.departmentId], reason }, 404, "not_found");
    expect(await snapshot()).toEqual(before);
  });

  it("lets only the summoned department report in, once, cancelling its report-in timer", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.departmentId);
    const before = await snapshot();
    expect((await t.as(dept2, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(404);
    expect((await t.as(resident, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(404);
    expect((await t.as(workerB, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(404);
    expect((await t.as(workerA, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(403);
    expect((await t.as(gridWorker, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);

    const res = await t.as(dept1, "POST", `/api/summons/${sid}/report-in`, { note: "已安排科长到场" });
    expect(res.statusCode, res.body).toBe(200);
    const item = res.json() as SummonsItem;
    expect(item).toMatchObject({ status: "reportedIn", reportedInOnTime: true, overdue: false, abilities: { reportIn: false, finish: true, score: false } });
    const timers = await t.database.query<{ cancelled_at: Date | null }>("select cancelled_at from case_timers where summons_id = $1", [sid]);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.cancelled_at).not.toBeNull();
    const [event] = await t.database.query<{ note: string; data: { summonsId: string; department: { id: string }; onTime: boolean } }>(
      "select note, data from case_events where case_id = $1 and action = 'reportIn'",
      [c.id],
    );
    expect(event).toMatchObject({ note: "已安排科长到场", data: { summonsId: sid, department: { id: cat.departmentId }, onTime: true } });

    const mid = await snapshot();
    const twice = await t.as(dept1, "POST", `/api/summons/${sid}/report-in`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: "case_summons_step_invalid" });
    expect(await snapshot()).toEqual(mid);
  });

  it("marks a late report-in and shows overdue summons in the queue", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.secondDepartmentId);
    await t.database.query("update case_summons set report_in_due_at = now() - interval '1 hour' where id = $1", [sid]);
    const q = await queue(dept2, "?status=summoned&overdue=true");
    expect(q.items.map((x) => x.id)).toContain(sid);
    expect(q.items.find((x) => x.id === sid)!.overdue).toBe(true);
    const res = await t.as(dept2, "POST", `/api/summons/${sid}/report-in`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ reportedInOnTime: false, overdue: false });
    const [event] = await t.database.query<{ data: { onTime: boolean } }>("select data from case_events where case_id = $1 and action = 'reportIn'", [c.id]);
    expect(event!.data.onTime).toBe(false);
  });

  it("finishes a department's part with its own photos only after reporting in", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.departmentId);
    const mine = await photo(dept1UserId);
    const notMine = await photo(streetId);
    let before = await snapshot();
    const early = await t.as(dept1, "POST", `/api/summons/${sid}/finish`, { note: "已清运" });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: "case_summons_step_invalid" });
    expect((await t.as(dept2, "POST", `/api/summons/${sid}/finish`, { note: "已清运" })).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);

    expect((await t.as(dept1, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(200);
    before = await snapshot();
    const blank = await t.as(dept1, "POST", `/api/summons/${sid}/finish`, { note: "  " });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toMatchObject({ code: "validation_failed", field: "note" });
    const foreign = await t.as(dept1, "POST", `/api/summons/${sid}/finish`, { note: "已清运", evidence: [mine, notMine] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ code: "case_photo_invalid", field: "evidence" });
    expect(await snapshot()).toEqual(before);

    const res = await t.as(dept1, "POST", `/api/summons/${sid}/finish`, { note: "已协调清运公司清运，并设置了分类垃圾桶", evidence: [mine] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "finished", finishNote: "已协调清运公司清运，并设置了分类垃圾桶", evidence: [mine] });
    const [p] = await t.database.query<{ case_id: string }>("select case_id from case_photos where id = $1", [mine]);
    expect(p!.case_id).toBe(c.id);
    const [event] = await t.database.query<{ evidence: string[]; data: { summonsId: string } }>("select evidence, data from case_events where case_id = $1 and action = 'finishSummons'", [c.id]);
    expect(event).toMatchObject({ evidence: [mine], data: { summonsId: sid } });
    const twice = await t.as(dept1, "POST", `/api/summons/${sid}/finish`, { note: "再次办结" });
    expect(twice.statusCode).toBe(409);
  });

  it("keeps the case open until every summoned department has finished (事不完、人不走)", async () => {
    const c = await whistledCase("verified");
    const admin = await actorOf(db(), streetId);
    const close = () => db().transaction((tx) => closeCase(tx, admin, c.id, { note: "结案" }));
    const before = await snapshot();
    const err = await close().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("case_summons_unfinished");
    expect((err as AppError).params).toMatchObject({ count: 2 });
    expect(await snapshot()).toEqual(before);

    for (const [who, org] of [
      [dept1, cat.departmentId],
      [dept2, cat.secondDepartmentId],
    ] as const) {
      const sid = await summonsFor(c.id, org);
      expect((await t.as(who, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(200);
      expect((await t.as(who, "POST", `/api/summons/${sid}/finish`, { note: "本部门职责内的事已办完" })).statusCode).toBe(200);
      if (org === cat.departmentId) {
        const still = await close().catch((e: unknown) => e);
        expect((still as AppError).params).toMatchObject({ count: 1 });
      }
    }
    const result = await close();
    expect(result.case.status).toBe("closed");
  });

  it("lets the summoning side score a finished part once", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.departmentId);
    let before = await snapshot();
    const early = await t.as(workerA, "POST", `/api/summons/${sid}/score`, { score: 4 });
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ code: "case_summons_step_invalid" });
    expect(await snapshot()).toEqual(before);
    expect((await t.as(dept1, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(200);
    expect((await t.as(dept1, "POST", `/api/summons/${sid}/finish`, { note: "已办结" })).statusCode).toBe(200);

    before = await snapshot();
    expect((await t.as(dept1, "POST", `/api/summons/${sid}/score`, { score: 5 })).statusCode).toBe(403);
    expect((await t.as(gridWorker, "POST", `/api/summons/${sid}/score`, { score: 5 })).statusCode).toBe(403);
    expect((await t.as(workerB, "POST", `/api/summons/${sid}/score`, { score: 5 })).statusCode).toBe(404);
    expect((await t.as(resident, "POST", `/api/summons/${sid}/score`, { score: 5 })).statusCode).toBe(404);
    const six = await t.as(workerA, "POST", `/api/summons/${sid}/score`, { score: 6 });
    expect(six.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);

    const res = await t.as(workerA, "POST", `/api/summons/${sid}/score`, { score: 4, note: "到场及时，处置到位" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ score: 4, abilities: { score: false } });
    expect(await count("audit_entries", "action = 'case.scoreSummons' and entity_id = $1", [c.id])).toBe(1);
    const mid = await snapshot();
    const twice = await t.as(street, "POST", `/api/summons/${sid}/score`, { score: 2 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: "case_summons_step_invalid" });
    expect(await snapshot()).toEqual(mid);
  });

  it("shows each side its own summons queue, filtered by status and case number", async () => {
    const c = await whistledCase();
    const d1 = await queue(dept1, "?pageSize=100");
    expect(d1.items.length).toBeGreaterThan(0);
    expect(d1.items.every((x) => x.departmentOrgId === cat.departmentId)).toBe(true);
    const mine = d1.items.find((x) => x.case.id === c.id)!;
    expect(mine).toMatchObject({
      status: "summoned",
      departmentName: "测试区住房和城乡建设局",
      whistle: { areaId: s.communityA, areaName: "甲社区" },
      case: { caseNo: c.caseNo, categoryName: "暴露垃圾", status: "inProgress", gridName: "甲社区第一网格" },
      abilities: { read: true, reportIn: true, finish: false, score: false },
    });
    expect(mine.case.summary.length).toBeLessThanOrEqual(61);
    expect((await queue(dept2, "?pageSize=100")).items.every((x) => x.departmentOrgId === cat.secondDepartmentId)).toBe(true);

    const a = await queue(workerA, `?caseNo=${c.caseNo}`);
    expect(a.total).toBe(2);
    expect(a.items.every((x) => x.case.id === c.id && x.abilities.reportIn === false)).toBe(true);
    expect((await queue(workerB)).total).toBe(0);
    expect((await queue(resident)).total).toBe(0);
    expect((await queue(street, `?caseNo=${c.caseNo}`)).total).toBe(2);
    const finished = await queue(street, "?status=finished&pageSize=100");
    expect(finished.items.every((x) => x.status === "finished")).toBe(true);
    expect((await t.as(null, "GET", "/api/summons")).statusCode).toBe(401);
  });

  it("lists the departments one may summon, marking those already on the case", async () => {
    const c = await whistledCase();
    const res = await t.as(workerA, "GET", `/api/departments?caseId=${c.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: { id: string; name: string; activeOnCase: boolean }[] }).items;
    const ids = items.map((d) => d.id);
    expect(ids).toContain(cat.departmentId);
    expect(ids).toContain(cat.secondDepartmentId);
    expect(ids).not.toContain(dissolvedDeptId);
    expect(ids).not.toContain(otherOrgId);
    expect(items.find((d) => d.id === cat.departmentId)!.activeOnCase).toBe(true);
    const plain = (await t.as(street, "GET", "/api/departments")).json() as { items: { id: string; activeOnCase: boolean }[] };
    expect(plain.items.find((d) => d.id === cat.departmentId)!.activeOnCase).toBe(false);
    expect(((await t.as(resident, "GET", "/api/departments")).json() as { items: unknown[] }).items).toEqual([]);
    expect((await t.as(workerB, "GET", `/api/departments?caseId=${c.id}`)).statusCode).toBe(404);
  });

  it("sums a month's summons per department for the queue header", async () => {
    const c = await whistledCase();
    const sid = await summonsFor(c.id, cat.departmentId);
    expect((await t.as(dept1, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(200);
    const month = chinaDateOf(new Date()).slice(0, 7);
    const res = await t.as(workerA, "GET", `/api/summons/stats?month=${month}&areaId=${s.communityA}`);
    expect(res.statusCode, res.body).toBe(200);
    const stats = res.json() as { items: { departmentOrgId: string; summoned: number; reportedIn: number; reportedInOnTime: number; finished: number; meanScore: number | null }[] };
    const expected = async (org: string) => ({
      summoned: await count("case_summons", "department_org_id = $1", [org]),
      reportedIn: await count("case_summons", "department_org_id = $1 and reported_in_at is not null", [org]),
      reportedInOnTime: await count("case_summons", "department_org_id = $1 and reported_in_at <= report_in_due_at", [org]),
      finished: await count("case_summons", "department_org_id = $1 and status = 'finished'", [org]),
    });
    // Community A issued every summons in this file except the street's one (to department 1).
    const d1 = await expected(cat.departmentId);
    expect(stats.items.find((x) => x.departmentOrgId === cat.departmentId)).toMatchObject({ ...d1, summoned: d1.summoned - 1, reportedIn: d1.reportedIn });
    expect(stats.items.find((x) => x.departmentOrgId === cat.secondDepartmentId)).toMatchObject(await expected(cat.secondDepartmentId));
    const dept = (await t.as(dept2, "GET", `/api/summons/stats?month=${month}`)).json() as { items: { departmentOrgId: string }[] };
    expect(dept.items.map((x) => x.departmentOrgId)).toEqual([cat.secondDepartmentId]);
    expect((await t.as(workerA, "GET", "/api/summons/stats?month=2026-13")).statusCode).toBe(400);
    const empty = (await t.as(workerA, "GET", "/api/summons/stats?month=2001-01")).json() as { items: unknown[] };
    expect(empty.items).toEqual([]);
  });
});
