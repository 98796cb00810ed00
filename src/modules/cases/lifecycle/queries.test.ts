/**
 * Reading cases over HTTP, on both engines: the queue's filters, paging and scope (community B
 * does not see A's cases; a department sees the cases it handles or was summoned to), the map by
 * grid, the case page (reporter's timeline, masked contact, abilities) and the audited reveal.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { encryptField } from "../../../platform/pii/crypto.js";
import type { CaseRow } from "../core.js";
import { contactPhoneContext } from "../intake/intake.js";

interface Item {
  id: string;
  caseNo: string;
  categoryName: string;
  description: string;
  status: string;
  statusLabel: { zh: string; en: string };
  level: string;
  gridName: string;
  handlingOrgName: string | null;
  overdue: boolean;
  anonymous: boolean;
}
interface List {
  items: Item[];
  total: number;
  page: number;
  pageSize: number;
}
interface Detail {
  id: string;
  category: { code: string; name: string; parent: { code: string; name: string } | null; handleLimit: { value: number; unit: string } | null };
  grid: { id: string; name: string };
  community: { id: string; name: string } | null;
  locationText: string | null;
  reporter: { anonymous: boolean; name: string | null; phoneMasked: string | null; hasPhone: boolean } | null;
  timeline: { action: string; actorLabel: string }[];
  abilities: Record<string, boolean>;
}

describe.each(testEngines())("case queries on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let reporter: { id: string; session: Session };
  let residentB: Session;
  let gridWorker: Session;
  let workerA: Session;
  let workerB: Session;
  let street: Session;
  let analyst: Session;
  let dept: Session;
  let dept2: Session;
  let a1: CaseRow;
  let a2: CaseRow;
  let b1: CaseRow;
  let deptCase: CaseRow;
  let summonedCase: CaseRow;

  const db = () => t.database.db;
  const count = async (table: string, where = "true", params: unknown[] = []) =>
    Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table} where ${where}`, params))[0]!.n);
  const user = async (role: Parameters<typeof createTestUser>[1]["role"], areaId: string, personId?: string) => {
    const u = await createTestUser(db(), { role, areaId, ...(personId ? { personId } : {}) });
    return { id: u.id, session: await t.login(u.username) };
  };
  const deptUser = async (orgId: string) => {
    const u = await createTestUser(db(), { role: "departmentStaff", areaId: cat.districtId });
    await t.database.query("update role_grants set org_id = $1 where user_id = $2", [orgId, u.id]);
    await t.database.query("update users set org_id = $1 where id = $2", [orgId, u.id]);
    return t.login(u.username);
  };
  const list = async (who: Session, query = "") => {
    const res = await t.as(who, "GET", `/api/cases${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<List>();
  };
  const ids = (l: List) => l.items.map((i) => i.id).sort();

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db());
    cat = await seedCaseCatalogue(db(), s);
    reporter = await user("resident", s.gridA1, s.personA1);
    residentB = (await user("resident", s.gridA1)).session;
    gridWorker = (await user("gridWorker", s.gridA1)).session;
    workerA = (await user("communityWorker", s.communityA)).session;
    workerB = (await user("communityWorker", s.communityB)).session;
    street = (await user("streetAdmin", s.street)).session;
    analyst = (await user("districtAnalyst", cat.districtId)).session;
    dept = await deptUser(cat.departmentId);
    dept2 = await deptUser(cat.secondDepartmentId);

    const day = (d: string) => new Date(`${d}T10:00:00+08:00`);
    a1 = await insertCase(db(), s, cat.garbage, { status: "dispatched", reporterUserId: reporter.id, submittedAt: day("2026-11-02") });
    a2 = await insertCase(db(), s, cat.streetVending, { status: "registered", level: "community", gridId: s.gridA2, submittedAt: day("2026-11-05") });
    b1 = await insertCase(db(), s, cat.garbage, { status: "inProgress", gridId: s.gridB1, submittedAt: day("2026-11-06") });
    deptCase = await insertCase(db(), s, cat.streetLight, { status: "dispatched", level: "department", handlingOrgId: cat.departmentId, gridId: s.gridB1, submittedAt: day("2026-11-07") });
    summonedCase = await insertCase(db(), s, cat.garbage, { status: "inProgress", submittedAt: day("2026-11-08") });
    const [w] = await t.database.query<{ id: string }>("insert into case_whistles (case_id, area_id, blown_by, reason) values ($1, $2, $3, '联合执法') returning id", [
      summonedCase.id,
      s.street,
      reporter.id,
    ]);
    await t.database.query("insert into case_summons (whistle_id, case_id, department_org_id, report_in_due_at) values ($1, $2, $3, now())", [w!.id, summonedCase.id, cat.secondDepartmentId]);
    // a1 is overdue, with a contact and the reporter's own words for the place.
    await t.database.query(
      "update cases set handle_due_at = now() - interval '1 hour', contact_name = '张建国', contact_phone_enc = $1, contact_phone_masked = '138****5678', location_text = '幸福路12号门口' where id = $2",
      [encryptField(t.keyring, "13812345678", contactPhoneContext), a1.id],
    );
    await t.database.query("update cases set handle_due_at = now() + interval '3 hour' where id = $1", [b1.id]);
  });
  afterAll(async () => t?.close());

  it("scopes the queue: each community its own, the street all, a department its handled and summoned cases, a resident their own", async () => {
    expect(ids(await list(workerA))).toEqual([a1.id, a2.id, summonedCase.id].sort());
    expect(ids(await list(workerB))).toEqual([b1.id, deptCase.id].sort());
    expect((await list(street)).total).toBe(5);
    expect((await list(analyst)).total).toBe(5);
    expect(ids(await list(gridWorker))).toEqual([a1.id, summonedCase.id].sort());
    expect(ids(await list(dept))).toEqual([deptCase.id]);
    expect(ids(await list(dept2))).toEqual([summonedCase.id]);
    expect(ids(await list(reporter.session))).toEqual([a1.id]);
    expect((await list(residentB)).total).toBe(0);
  });

  it("filters by status, level, category, area, source, overdue, case number and dates, and pages", async () => {
    expect(ids(await list(street, "?status=dispatched&status=registered"))).toEqual([a1.id, a2.id, deptCase.id].sort());
    expect(ids(await list(street, "?status=inProgress"))).toEqual([b1.id, summonedCase.id].sort());
    expect(ids(await list(street, "?level=community"))).toEqual([a2.id]);
    expect(ids(await list(street, "?categoryCode=02"))).toEqual([deptCase.id]);
    expect(ids(await list(street, `?areaId=${s.gridB1}`))).toEqual([b1.id, deptCase.id].sort());
    expect(ids(await list(street, `?areaId=${s.communityA}`))).toEqual([a1.id, a2.id, summonedCase.id].sort());
    expect(ids(await list(street, "?overdue=true"))).toEqual([a1.id]);
    expect(ids(await list(street, `?q=${a1.caseNo.slice(0, 12).toLowerCase()}`))).toEqual([a1.id]);
    expect(ids(await list(street, "?from=2026-11-05&to=2026-11-06"))).toEqual([a2.id, b1.id].sort());
    expect((await list(street, "?source=hotline")).total).toBe(0);
    const page1 = await list(street, "?pageSize=2");
    expect(page1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(page1.items.map((i) => i.id)).toEqual([summonedCase.id, deptCase.id]);
    const page3 = await list(street, "?pageSize=2&page=3");
    expect(page3.items.map((i) => i.id)).toEqual([a1.id]);
    // Due soonest first: a1 (overdue) before b1; cases without a deadline last.
    const due = await list(street, "?sort=due");
    expect(due.items.slice(0, 2).map((i) => i.id)).toEqual([a1.id, b1.id]);
    expect((await t.as(street, "GET", "/api/cases?status=nonsense")).statusCode).toBe(400);
    expect((await t.as(street, "GET", `/api/cases?areaId=${randomUUID()}`)).statusCode).toBe(404);
  });

  it("lists the actor's own work with mine=", async () => {
    expect(ids(await list(gridWorker, "?mine=handling"))).toEqual([a1.id, summonedCase.id].sort());
    expect(ids(await list(workerA, "?mine=dispatch"))).toEqual([a2.id]);
    expect(ids(await list(dept, "?mine=handling"))).toEqual([deptCase.id]);
    expect(ids(await list(dept2, "?mine=handling"))).toEqual([]);
    expect(ids(await list(reporter.session, "?mine=reported"))).toEqual([a1.id]);
    expect(ids(await list(workerA, "?mine=verify"))).toEqual([]);
  });

  it("keeps personal data out of list items", async () => {
    const item = (await list(workerA)).items.find((i) => i.id === a1.id)!;
    expect(item).toMatchObject({ caseNo: a1.caseNo, categoryName: "暴露垃圾", status: "dispatched", statusLabel: { zh: "已派遣" }, gridName: "甲社区第一网格", overdue: true });
    const text = JSON.stringify(await list(workerA));
    expect(text).not.toContain("张建国");
    // The phone neither clear nor masked (not the bare "138": a random id or timestamp may hold it).
    expect(text).not.toContain("13812345678");
    expect(text).not.toContain("138****5678");
    expect(text).not.toContain("幸福路12号");
    expect((await list(workerB)).items.find((i) => i.id === deptCase.id)!.handlingOrgName).toBe("测试区住房和城乡建设局");
  });

  it("maps open cases by grid with overdue counts", async () => {
    const res = await t.as(street, "GET", `/api/cases/map?areaId=${s.communityA}`);
    expect(res.statusCode).toBe(200);
    const { grids } = res.json<{ grids: { gridId: string; name: string; count: number; overdue: number; points: { id: string }[] }[] }>();
    const g1 = grids.find((g) => g.gridId === s.gridA1)!;
    expect(g1).toMatchObject({ name: "甲社区第一网格", count: 2, overdue: 1 });
    expect(g1.points.map((p) => p.id).sort()).toEqual([a1.id, summonedCase.id].sort());
    expect(grids.map((g) => g.gridId).sort()).toEqual([s.gridA1, s.gridA2].sort());
    const b = (await t.as(workerB, "GET", "/api/cases/map")).json<{ grids: { gridId: string; count: number }[] }>();
    expect(b.grids).toEqual([expect.objectContaining({ gridId: s.gridB1, count: 2 })]);
  });

  it("orders the map's grids by name (the database's order) and each grid's points newest first", async () => {
    const { grids } = (await t.as(street, "GET", "/api/cases/map")).json<{ grids: { gridId: string; points: { id: string }[] }[] }>();
    const byName = await t.database.query<{ id: string }>("select id from areas where id in ($1, $2, $3) order by name, id", [s.gridA1, s.gridA2, s.gridB1]);
    // Newest first would put gridA1 (summonedCase, 11-08) before gridB1 (11-07) whatever the names.
    expect(grids.map((g) => g.gridId)).toEqual(byName.map((r) => r.id));
    expect(grids.find((g) => g.gridId === s.gridA1)!.points.map((p) => p.id)).toEqual([summonedCase.id, a1.id]);
  });

  it("shows a case with category, places and masked contact to handlers only; 404 out of scope", async () => {
    const res = await t.as(gridWorker, "GET", `/api/cases/${a1.id}`);
    expect(res.statusCode).toBe(200);
    const d = res.json<Detail>();
    expect(d).toMatchObject({
      category: { code: "0101", name: "暴露垃圾", parent: { code: "01", name: "市容环境" }, handleLimit: { value: 4, unit: "workingHours" } },
      grid: { id: s.gridA1, name: "甲社区第一网格" },
      community: { id: s.communityA, name: "甲社区" },
      locationText: "幸福路12号门口",
      reporter: { anonymous: false, name: "张**", phoneMasked: "138****5678", hasPhone: true },
    });
    expect(d.abilities).toMatchObject({ receive: true, dispatch: false, close: false, revealContact: true, rate: false });
    const seen = (await t.as(analyst, "GET", `/api/cases/${a1.id}`)).json<Detail>();
    expect(seen.reporter).toBeNull();
    expect(seen.locationText).toBeNull();
    expect(Object.values(seen.abilities).some(Boolean)).toBe(false);
    expect((await t.as(workerB, "GET", `/api/cases/${a1.id}`)).statusCode).toBe(404);
    expect((await t.as(residentB, "GET", `/api/cases/${a1.id}`)).statusCode).toBe(404);
    expect((await t.as(dept, "GET", `/api/cases/${a1.id}`)).statusCode).toBe(404);
    expect((await t.as(dept2, "GET", `/api/cases/${summonedCase.id}`)).statusCode).toBe(200);
  });

  it("shows the reporter only the steps meant for them", async () => {
    await t.as(gridWorker, "POST", `/api/cases/${a1.id}/extensions`, { reason: "等待配件", extraValue: 1, extraUnit: "workingDays" });
    const staff = (await t.as(workerA, "GET", `/api/cases/${a1.id}`)).json<Detail>();
    expect(staff.timeline.map((e) => e.action)).toEqual(["submit", "requestExtension"]);
    const own = (await t.as(reporter.session, "GET", `/api/cases/${a1.id}`)).json<Detail>();
    expect(own.timeline.map((e) => e.action)).toEqual(["submit"]);
    expect(own.abilities).toMatchObject({ rate: false, revealContact: false, cancel: false });
  });

  it("reveals the reporter's phone to a handler for a stated purpose, audited; never to an analyst", async () => {
    const before = { reveals: await count("pii_reveals"), audit: await count("audit_entries", "action = 'case.reveal'") };
    const bad = await t.as(gridWorker, "POST", `/api/cases/${a1.id}/contact/reveal`, { purpose: "看" });
    expect(bad.statusCode).toBe(400);
    expect((await t.as(analyst, "POST", `/api/cases/${a1.id}/contact/reveal`, { purpose: "统计分析需要" })).statusCode).toBe(403);
    expect((await t.as(workerB, "POST", `/api/cases/${a1.id}/contact/reveal`, { purpose: "电话回访反映人" })).statusCode).toBe(404);
    expect(await count("pii_reveals")).toBe(before.reveals);
    const res = await t.as(gridWorker, "POST", `/api/cases/${a1.id}/contact/reveal`, { purpose: "电话联系反映人确认位置" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.json()).toMatchObject({ name: "张建国", phone: "13812345678" });
    expect(await count("pii_reveals", "entity_type = 'case' and entity_id = $1 and purpose = '电话联系反映人确认位置'", [a1.id])).toBe(1);
    expect(await count("audit_entries", "action = 'case.reveal'")).toBe(before.audit + 1);
    const [entry] = await t.database.query<{ summary: string }>("select summary::text as summary from audit_entries where action = 'case.reveal'");
    expect(entry!.summary).not.toContain("13812345678");
  });
});
