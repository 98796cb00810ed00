/**
 * 网格力量 over HTTP, on both engines: appoint, list and end; one leader per grid; scope (404) and
 * permission (403); retired grids refuse; staff carried over on split and merge; nothing written
 * on errors; audit entries without names.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { chinaDateOf } from "../../platform/calendar/index.js";

interface Staff {
  id: string;
  gridId: string;
  role: string;
  holder: string;
  userId: string | null;
  personId: string | null;
  name: string;
  startedOn: string;
  endedOn: string | null;
}
interface StaffList {
  area: { id: string; level: string };
  grids: { id: string; name: string; staff: Staff[] }[];
  abilities: { manage: boolean };
}

describe.each(testEngines())("grid staff on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let admin: Session;
  let workerA: Session;
  let workerB: Session;
  let gridWorker: Session;
  let sysAdmin: Session;
  let gridWorkerId: string;
  let workerBId: string;
  const today = chinaDateOf(new Date());
  const count = async (sql: string, params: unknown[] = []) => Number((await t.database.query<{ n: string }>(sql, params))[0]!.n);
  const snapshot = async () => ({
    staff: await count("select count(*)::text as n from grid_staff"),
    open: await count("select count(*)::text as n from grid_staff where ended_on is null"),
    audit: await count("select count(*)::text as n from audit_entries"),
  });
  const list = async (who: Session, areaId: string, all = false) => {
    const res = await t.as(who, "GET", `/api/areas/${areaId}/staff${all ? "?all=true" : ""}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as StaffList;
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "990700");
    admin = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    workerA = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    const wb = await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB });
    workerBId = wb.id;
    workerB = await t.login(wb.username);
    const gw = await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridA1 });
    gridWorkerId = gw.id;
    gridWorker = await t.login(gw.username);
    sysAdmin = await t.login((await createTestUser(t.database.db, { role: "systemAdmin", areaId: s.city })).username);
  });
  afterAll(async () => t?.close());

  it("appoints a leader, a grid worker login and a resident; lists them by role; grid worker reads own grid", async () => {
    const leader = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "leader", name: " 刘晓梅 ", startedOn: "2025-03-01" });
    expect(leader.statusCode, leader.body).toBe(201);
    const login = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "fullTime", userId: gridWorkerId });
    expect(login.statusCode, login.body).toBe(201);
    const resident = await t.as(admin, "POST", `/api/areas/${s.gridA1}/staff`, { role: "partTime", personId: s.personA1, startedOn: "2025-06-01" });
    expect(resident.statusCode, resident.body).toBe(201);

    const l = await list(workerA, s.gridA1);
    expect(l.area).toMatchObject({ id: s.gridA1, level: "grid" });
    expect(l.abilities.manage).toBe(true);
    expect(l.grids).toHaveLength(1);
    expect(l.grids[0]!.staff.map((x) => [x.role, x.holder, x.name, x.startedOn, x.endedOn])).toEqual([
      ["leader", "nameOnly", "刘晓梅", "2025-03-01", null],
      ["fullTime", "login", "测试用户", today, null],
      ["partTime", "resident", "张建国", "2025-06-01", null],
    ]);
    expect(l.grids[0]!.staff[1]!.userId).toBe(gridWorkerId);

    const own = await list(gridWorker, s.gridA1);
    expect(own.abilities.manage).toBe(false);
    expect(own.grids[0]!.staff.map((x) => x.name)).toEqual(["刘晓梅", "测试用户", "张建国"]);
    // A reader who does not work with residents sees the resident's name masked, staff names clear.
    const far = await list(sysAdmin, s.gridA1);
    expect(far.grids[0]!.staff.map((x) => x.name)).toEqual(["刘晓梅", "测试用户", "张**"]);
    // The street administrator appoints, but sees a resident's name as the person page shows it to them: masked.
    const street = await list(admin, s.gridA1);
    expect(street.grids[0]!.staff.map((x) => x.name)).toEqual(["刘晓梅", "测试用户", "张**"]);
    expect((await t.as(admin, "GET", `/api/persons/${s.personA1}`)).json()).toMatchObject({ name: "张**", masked: true });

    const audit = await t.database.query<{ summary: Record<string, unknown> }>("select summary from audit_entries where action = 'gridStaff.appoint' order by id");
    expect(audit.map((a) => a.summary)).toEqual([
      { gridId: s.gridA1, role: "leader", holder: "nameOnly" },
      { gridId: s.gridA1, role: "fullTime", holder: "login" },
      { gridId: s.gridA1, role: "partTime", holder: "resident" },
    ]);
    expect(JSON.stringify(audit)).not.toContain("张建国");
    expect(JSON.stringify(audit)).not.toContain("刘晓梅");
  });

  it("lists every grid of a community, grouped; a grid worker cannot read the community (404)", async () => {
    const l = await list(workerA, s.communityA);
    expect(l.area.level).toBe("community");
    expect(l.grids.map((g) => [g.id, g.staff.length])).toEqual([
      [s.gridA1, 3],
      [s.gridA2, 0],
    ]);
    expect((await t.as(gridWorker, "GET", `/api/areas/${s.communityA}/staff`)).statusCode).toBe(404);
    expect((await t.as(gridWorker, "GET", `/api/areas/${s.gridA2}/staff`)).statusCode).toBe(404);
    expect((await t.as(workerA, "GET", `/api/areas/${s.street}/staff`)).statusCode).toBe(404);
    expect((await t.as(admin, "GET", `/api/areas/${s.street}/staff`)).statusCode).toBe(400);
  });

  it("refuses a second leader with a code naming the grid, and writes nothing", async () => {
    const before = await snapshot();
    const res = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "leader", name: "王志强" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "grid_leader_taken", field: "role" });
    expect((res.json() as { message: string }).message).toContain("甲社区第一网格");
    const dup = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "partTime", userId: gridWorkerId });
    expect(dup.statusCode).toBe(409);
    expect((dup.json() as { code: string }).code).toBe("grid_staff_duplicate");
    expect(await snapshot()).toEqual(before);
  });

  it("answers 404 out of scope, 403 to a grid worker, 400/404 for bad holders — all without writing", async () => {
    const before = await snapshot();
    const other = await t.as(workerB, "POST", `/api/areas/${s.gridA1}/staff`, { role: "partTime", name: "赵敏" });
    expect(other.statusCode).toBe(404);
    const byGridWorker = await t.as(gridWorker, "POST", `/api/areas/${s.gridA1}/staff`, { role: "partTime", name: "赵敏" });
    expect(byGridWorker.statusCode).toBe(403);
    expect((await t.as(gridWorker, "GET", `/api/areas/${s.gridA1}/staff/candidates`)).statusCode).toBe(403);
    const two = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "partTime", name: "赵敏", personId: s.personA1 });
    expect(two.statusCode).toBe(400);
    const none = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "partTime" });
    expect(none.statusCode).toBe(400);
    const noUser = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "fullTime", userId: randomUUID() });
    expect(noUser.json()).toMatchObject({ code: "not_found", field: "userId" });
    // A login of another community is not offered and not accepted.
    const foreignUser = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "instructor", userId: workerBId });
    expect(foreignUser.json()).toMatchObject({ code: "not_found", field: "userId" });
    const foreignPerson = await t.as(workerB, "POST", `/api/areas/${s.gridB1}/staff`, { role: "partTime", personId: s.personA1 });
    expect(foreignPerson.json()).toMatchObject({ code: "not_found", field: "personId" });
    const future = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "partTime", name: "赵敏", startedOn: "2999-01-01" });
    expect(future.json()).toMatchObject({ code: "validation_failed", field: "startedOn" });
    const onCommunity = await t.as(workerB, "POST", `/api/areas/${s.communityB}/staff`, { role: "partTime", name: "赵敏" });
    expect(onCommunity.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("offers logins of the community and street and the grid's residents to those who appoint", async () => {
    await t.database.query("update persons set tags = '{buildingHead}' where id = $1", [s.personA1]);
    const res = await t.as(workerA, "GET", `/api/areas/${s.gridA1}/staff/candidates`);
    expect(res.statusCode).toBe(200);
    const c = res.json() as { logins: { userId: string; roles: string[] }[]; residents: { personId: string; tags: string[] }[] };
    expect(c.logins.find((l) => l.userId === gridWorkerId)?.roles).toEqual(["gridWorker"]);
    expect(c.logins.some((l) => l.userId === workerBId)).toBe(false);
    expect(c.residents).toEqual([{ personId: s.personA1, name: "张建国", tags: ["buildingHead"], partyMember: false }]);
    // The street administrator may appoint too, but reads residents' names masked (as on the person page).
    const street = await t.as(admin, "GET", `/api/areas/${s.gridA1}/staff/candidates`);
    expect(street.statusCode).toBe(200);
    expect((street.json() as typeof c).residents).toEqual([{ personId: s.personA1, name: "张**", tags: ["buildingHead"], partyMember: false }]);
    expect(street.body).not.toContain("张建国");
  });

  it("ends a term: grid worker 403, not before it began, not twice; ended staff only with all=true", async () => {
    const l = await list(workerA, s.gridA1);
    const leader = l.grids[0]!.staff.find((x) => x.role === "leader")!;
    const before = await snapshot();
    expect((await t.as(gridWorker, "POST", `/api/grid-staff/${leader.id}/end`, { endedOn: today })).statusCode).toBe(403);
    expect((await t.as(workerB, "POST", `/api/grid-staff/${leader.id}/end`, { endedOn: today })).statusCode).toBe(404);
    expect((await t.as(workerA, "POST", `/api/grid-staff/${randomUUID()}/end`, { endedOn: today })).statusCode).toBe(404);
    const early = await t.as(workerA, "POST", `/api/grid-staff/${leader.id}/end`, { endedOn: "2025-02-28" });
    expect(early.json()).toMatchObject({ code: "validation_failed", field: "endedOn" });
    expect(await snapshot()).toEqual(before);

    const ok = await t.as(workerA, "POST", `/api/grid-staff/${leader.id}/end`, { endedOn: today });
    expect(ok.statusCode).toBe(204);
    const again = await t.as(workerA, "POST", `/api/grid-staff/${leader.id}/end`, { endedOn: today });
    expect(again.json()).toMatchObject({ code: "grid_staff_ended" });
    expect((await list(workerA, s.gridA1)).grids[0]!.staff.map((x) => x.role)).toEqual(["fullTime", "partTime"]);
    const all = (await list(workerA, s.gridA1, true)).grids[0]!.staff;
    expect(all.map((x) => [x.role, x.endedOn])).toEqual([
      ["fullTime", null],
      ["partTime", null],
      ["leader", today],
    ]);
    const [end] = await t.database.query<{ summary: Record<string, unknown> }>("select summary from audit_entries where action = 'gridStaff.end' and entity_id = $1", [leader.id]);
    expect(end!.summary).toEqual({ gridId: s.gridA1, role: "leader", endedOn: today });
    // The post is free again.
    const next = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/staff`, { role: "leader", name: "王志强" });
    expect(next.statusCode).toBe(201);
  });

  it("carries current staff over when a grid is split, ends them in the old grid; the retired grid refuses appointments", async () => {
    for (const body of [
      { role: "leader", name: "陈静" },
      { role: "instructor", name: "周建军", startedOn: "2024-05-06" },
      { role: "partTime", name: "孙丽" },
    ]) {
      expect((await t.as(workerA, "POST", `/api/areas/${s.gridA2}/staff`, body)).statusCode).toBe(201);
    }
    const split = await t.as(workerA, "POST", `/api/areas/${s.gridA2}/split`, { cutLine: { type: "LineString", coordinates: [[104.005, 30.005], [104.005, 30.025]] } });
    expect(split.statusCode, split.body).toBe(201);
    const parts = (split.json() as { grids: { id: string }[] }).grids.map((g) => g.id);
    expect(parts).toHaveLength(2);
    for (const id of parts) {
      const staff = (await list(workerA, id)).grids[0]!.staff;
      expect(staff.map((x) => [x.role, x.name, x.startedOn])).toEqual([
        ["leader", "陈静", today],
        ["instructor", "周建军", today],
        ["partTime", "孙丽", today],
      ]);
    }
    const old = (await list(workerA, s.gridA2, true)).grids[0]!.staff;
    expect(old.every((x) => x.endedOn === today)).toBe(true);
    const carried = await t.database.query<{ summary: { copied: number } }>("select summary from audit_entries where action = 'gridStaff.carryOver'");
    expect(carried.map((a) => a.summary.copied)).toEqual([6]);

    const before = await snapshot();
    const refused = await t.as(workerA, "POST", `/api/areas/${s.gridA2}/staff`, { role: "partTime", name: "孙丽" });
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as { code: string }).code).toBe("grid_retired");
    expect(await snapshot()).toEqual(before);

    // Merging the parts back keeps one leader and one post per person and role.
    expect((await t.as(workerA, "POST", `/api/areas/${parts[1]}/staff`, { role: "partTime", name: "吴芳" })).statusCode).toBe(201);
    const merge = await t.as(workerA, "POST", "/api/areas/merge", { gridIds: parts, name: "甲社区第二网格", gridType: "comprehensive" });
    expect(merge.statusCode, merge.body).toBe(201);
    const merged = (merge.json() as { grids: { id: string }[] }).grids[0]!.id;
    const staff = (await list(workerA, merged)).grids[0]!.staff;
    expect(staff.map((x) => [x.role, x.name]).sort()).toEqual([
      ["instructor", "周建军"],
      ["leader", "陈静"],
      ["partTime", "吴芳"],
      ["partTime", "孙丽"],
    ]);
  });
});
