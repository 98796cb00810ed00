/**
 * 派遣到人 and queues that can act, on both engines: a dispatcher may name one person who handles
 * cases at the chosen level there (the candidates come from the server); that person alone is told
 * and has the case in their queue; anyone else is refused with the field named and nothing
 * written. Every case in each queue tab of each role has the matching ability on its page.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { actorOf } from "../../../platform/auth/service.js";
import type { Role } from "../../../platform/policy/roles.js";
import type { CaseStatus } from "../machine.js";
import type { CaseLevel } from "../schema.js";
import { getCaseDetail, queueAbilities, queueNames } from "./queries.js";

interface Person {
  id: string;
  session: Session;
}

describe.each(testEngines())("dispatch to a person and queues on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let gw1: Person;
  let gw2: Person;
  let gwB: Person;
  let workerA: Person;
  let street: Person;
  let analyst: Person;
  let dept: Person;
  const people: Record<string, Person> = {};

  const db = () => t.database.db;
  const count = async (table: string, where = "true", params: unknown[] = []) =>
    Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table} where ${where}`, params))[0]!.n);
  const person = async (role: Role, areaId: string | null, name: string): Promise<Person> => {
    const u = await createTestUser(db(), { role, areaId });
    await t.database.query("update users set display_name = $1 where id = $2", [name, u.id]);
    return { id: u.id, session: await t.login(u.username) };
  };
  const snapshot = async () => ({
    cases: await t.database.query("select id, status, level, assignee_user_id from cases order by id"),
    events: await count("case_events"),
    audit: await count("audit_entries"),
    notifications: await count("notifications"),
  });
  const list = async (who: Session, qs: string) => {
    const res = await t.as(who, "GET", `/api/cases?${qs}&pageSize=200`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { id: string }[] }).items.map((x) => x.id);
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db(), "990700");
    cat = await seedCaseCatalogue(db(), s);
    gw1 = await person("gridWorker", s.gridA1, "网格员甲");
    gw2 = await person("gridWorker", s.gridA1, "网格员乙");
    gwB = await person("gridWorker", s.gridB1, "乙社区网格员");
    workerA = await person("communityWorker", s.communityA, "社区工作者");
    street = await person("streetAdmin", s.street, "街道管理员");
    analyst = await person("districtAnalyst", cat.districtId, "区分析员");
    const d = await createTestUser(db(), { role: "departmentStaff", areaId: cat.districtId });
    await t.database.query("update role_grants set org_id = $1 where user_id = $2", [cat.departmentId, d.id]);
    await t.database.query("update users set org_id = $1, display_name = '住建局办事员' where id = $2", [cat.departmentId, d.id]);
    dept = { id: d.id, session: await t.login(d.username) };
    Object.assign(people, {
      gridWorker: gw1,
      communityWorker: workerA,
      communitySecretary: await person("communitySecretary", s.communityA, "社区书记"),
      streetAdmin: street,
      departmentStaff: dept,
      districtAnalyst: analyst,
      systemAdmin: await person("systemAdmin", s.city, "系统管理员"),
    });
  });
  afterAll(async () => t?.close());

  it("offers as candidates those who handle cases at the level there", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "registered" });
    const names = async (qs: string) => {
      const res = await t.as(workerA.session, "GET", `/api/cases/${c.id}/dispatch-candidates${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { userId: string; roles: string[] }[] }).items;
    };
    const grid = await names("?level=grid");
    const ids = grid.map((x) => x.userId);
    expect(ids).toEqual(expect.arrayContaining([gw1.id, gw2.id, workerA.id]));
    expect(ids).not.toContain(gwB.id);
    expect(ids).not.toContain(street.id);
    expect(grid.find((x) => x.userId === gw1.id)!.roles).toEqual(["gridWorker"]);
    expect((await names("?level=street")).map((x) => x.userId)).toContain(street.id);
    expect((await names(`?level=department&orgId=${cat.departmentId}`)).map((x) => x.userId)).toEqual([dept.id]);
    expect(await names(`?level=department&orgId=${cat.secondDepartmentId}`)).toEqual([]);
    expect((await t.as(gw1.session, "GET", `/api/cases/${c.id}/dispatch-candidates?level=grid`)).statusCode).toBe(403);
    expect((await t.as(gwB.session, "GET", `/api/cases/${c.id}/dispatch-candidates?level=grid`)).statusCode).toBe(404);
  });

  it("dispatches to a named grid worker: only they are told and have it in their queue", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "registered" });
    const res = await t.as(workerA.session, "POST", `/api/cases/${c.id}/dispatch`, { level: "grid", assigneeUserId: gw1.id, note: "请甲跟进" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: "dispatched", level: "grid", assignee: { id: gw1.id, name: "网格员甲" } });
    expect(await count("notifications", "case_id = $1 and user_id = $2 and kind = 'work.assigned'", [c.id, gw1.id])).toBe(1);
    expect(await count("notifications", "case_id = $1 and user_id <> $2", [c.id, gw1.id])).toBe(0);
    expect(await list(gw1.session, "mine=handling")).toContain(c.id);
    expect(await list(gw1.session, "queue=handling")).toContain(c.id);
    expect(await list(gw2.session, "mine=handling")).not.toContain(c.id);
    expect(await list(workerA.session, "queue=handling")).not.toContain(c.id);
    const [ev] = await t.database.query<{ data: { assigneeUserId?: string } }>("select data from case_events where case_id = $1 and action = 'dispatch'", [c.id]);
    expect(ev!.data.assigneeUserId).toBe(gw1.id);

    // Back to the dispatcher: nobody holds it any more.
    expect((await t.as(gw1.session, "POST", `/api/cases/${c.id}/return`, { reason: "不在本网格职责内" })).statusCode).toBe(200);
    expect((await t.database.query<{ a: string | null }>("select assignee_user_id as a from cases where id = $1", [c.id]))[0]!.a).toBeNull();
  });

  it("dispatches to a named department staff member", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "registered" });
    const res = await t.as(street.session, "POST", `/api/cases/${c.id}/dispatch`, { level: "department", orgId: cat.departmentId, assigneeUserId: dept.id });
    expect(res.statusCode, res.body).toBe(200);
    expect(await count("notifications", "case_id = $1 and user_id = $2", [c.id, dept.id])).toBe(1);
    expect(await list(dept.session, "queue=handling")).toContain(c.id);
  });

  it("refuses a person outside the case's place, without a fitting role, disabled or unknown, naming the field and writing nothing", async () => {
    const c = await insertCase(db(), s, cat.garbage, { status: "registered" });
    const disabled = await person("gridWorker", s.gridA1, "已停用网格员");
    await t.database.query("update users set disabled = true where id = $1", [disabled.id]);
    const before = await snapshot();
    for (const [level, who] of [
      ["grid", gwB.id], // another community's grid
      ["grid", street.id], // a street administrator does not handle grid cases
      ["grid", analyst.id],
      ["grid", disabled.id],
      ["grid", randomUUID()],
      ["community", gw1.id], // a grid worker does not handle community cases
      ["department", gw1.id],
    ] as const) {
      const body = level === "department" ? { level, orgId: cat.departmentId, assigneeUserId: who } : { level, assigneeUserId: who };
      const res = await t.as(workerA.session, "POST", `/api/cases/${c.id}/dispatch`, body);
      expect(res.statusCode, `${level} ${who}: ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code: "case_assignee_invalid", field: "assigneeUserId" });
    }
    const bad = await t.as(street.session, "POST", `/api/cases/${c.id}/dispatch`, { level: "department", orgId: cat.departmentId, assigneeUserId: gw1.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "case_assignee_invalid", field: "assigneeUserId" });
    expect((await t.as(workerA.session, "POST", `/api/cases/${c.id}/dispatch`, { level: "grid", assigneeUserId: "张三" })).statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("lists in each queue tab of each role only cases whose step that role can take", async () => {
    // A spread of cases: every queue status at every level, a department-first case, a verified case still waiting for a department.
    const statuses: CaseStatus[] = ["submitted", "registered", "dispatched", "received", "inProgress", "feedback", "verified"];
    const levels: CaseLevel[] = ["grid", "community", "street", "department"];
    for (const status of statuses) {
      for (const level of levels) {
        await insertCase(db(), s, cat.garbage, { status, level, ...(level === "department" ? { handlingOrgId: cat.departmentId } : {}) });
        await insertCase(db(), s, cat.garbage, { status, level, gridId: s.gridB1, ...(level === "department" ? { handlingOrgId: cat.secondDepartmentId } : {}) });
      }
    }
    const departmentFirst = await insertCase(db(), s, cat.garbage, { status: "submitted", level: "department", handlingOrgId: cat.departmentId });
    const waiting = await insertCase(db(), s, cat.garbage, { status: "verified", level: "community" });
    const [w] = await t.database.query<{ id: string }>("insert into case_whistles (case_id, area_id, blown_by, reason) values ($1, $2, $3, '需要部门到场') returning id", [waiting.id, s.communityA, workerA.id]);
    await t.database.query("insert into case_summons (whistle_id, case_id, department_org_id, report_in_due_at) values ($1, $2, $3, now())", [w!.id, waiting.id, cat.secondDepartmentId]);

    let checked = 0;
    for (const [role, p] of Object.entries(people)) {
      const actor = await actorOf(db(), p.id);
      for (const queue of queueNames) {
        const ids = await list(p.session, `queue=${queue}`);
        for (const id of ids) {
          const detail = await getCaseDetail(db(), actor, id);
          const can = queueAbilities[queue].some((a) => detail.abilities[a] === true);
          expect(can, `${role} sees ${detail.status}/${detail.level} case in ${queue} without ${queueAbilities[queue].join("/")}`).toBe(true);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(await list(workerA.session, "queue=toRegister")).not.toContain(departmentFirst.id);
    expect(await list(street.session, "queue=toRegister")).toContain(departmentFirst.id);
    expect(await list(workerA.session, "queue=toClose")).not.toContain(waiting.id);
    expect(await list(analyst.session, "queue=toRegister")).toEqual([]);
  });
});
