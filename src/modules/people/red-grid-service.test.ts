import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { demoPassword, loadDemoStreet } from "../../tools/demo/index.js";

interface Figures {
  grids: { ratio: number | null; formula: string; withoutPartyOrg: unknown[] };
  members: { ratio: number | null; notInGrid: string[] };
  households: { ratio: number | null; withoutRedGridMember: number; formula: string };
}

describe.each(testEngines())("red grid assignment and coverage on $name", (engine) => {
  let t: TestApp;
  let street: Session;
  let worker: Session;
  let analyst: Session;
  let streetId: string;
  let community2: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    const loaded = await loadDemoStreet(t.database, { keyring: t.keyring });
    // The demo runs the assignment once at load; these tests start from a street without one.
    expect(loaded.loaded && loaded.redGridAssigned).toBeGreaterThan(3000);
    await t.database.query("delete from red_grid_assignments");
    street = await t.login("streetadmin", demoPassword);
    worker = await t.login("communityworker", demoPassword);
    analyst = await t.login("analyst", demoPassword);
    streetId = (await t.database.query<{ id: string }>("select id from areas where level = 'street'"))[0]!.id;
    community2 = (await t.database.query<{ id: string }>("select id from areas where level = 'community' order by code offset 1 limit 1"))[0]!.id;
  });
  afterAll(async () => t?.close());

  const coverage = async (who: Session, areaId = streetId) => {
    const res = await t.as(who, "GET", `/api/areas/${areaId}/red-grid/coverage`);
    expect(res.statusCode).toBe(200);
    return res.json() as { street: Figures; communities: (Figures & { name: string })[]; abilities: { read: boolean; assign: boolean } };
  };

  it("reports coverage with formulas; before any assignment no household has a red grid member", async () => {
    const c = await coverage(analyst);
    expect(c.street.grids.ratio).toBe(1);
    expect(c.street.grids.formula).toBe("有党组织的网格数 / 网格总数");
    expect(c.street.households.ratio).toBe(0);
    expect(c.street.households.withoutRedGridMember).toBe(3300);
    expect(c.communities).toHaveLength(11);
  });

  it("assigns members to households of their own grid, never above 10", async () => {
    const res = await t.as(street, "POST", `/api/areas/${streetId}/red-grid/assign`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { stats: { assigned: number; maxLoad: number }; unassigned: Record<string, number> };
    expect(body.stats.assigned).toBeGreaterThan(3000);
    expect(body.stats.maxLoad).toBeLessThanOrEqual(10);
    const cross = await t.database.query<{ n: string }>(
      `select count(*)::text as n from red_grid_assignments r join households h on h.id = r.household_id
       join party_members m on m.id = r.member_id join persons p on p.id = m.person_id where p.grid_id <> h.grid_id`,
    );
    expect(cross[0]!.n).toBe("0");
    const loads = await t.database.query<{ n: string }>("select max(c)::text as n from (select count(*) as c from red_grid_assignments group by member_id) x");
    expect(Number(loads[0]!.n)).toBeLessThanOrEqual(10);
    const c = await coverage(street);
    expect(c.street.households.withoutRedGridMember).toBe(3300 - body.stats.assigned);
  });

  it("keeps a manual decision on every re-run", async () => {
    const [h] = await t.database.query<{ id: string; member_id: string }>("select household_id as id, member_id from red_grid_assignments where reason = 'nearest' order by household_id limit 1");
    const pin = await t.as(street, "PUT", `/api/households/${h!.id}/red-grid-member`, { memberId: null });
    expect(pin.statusCode).toBe(200);
    expect((await t.as(street, "POST", `/api/areas/${streetId}/red-grid/assign`)).statusCode).toBe(200);
    const [after] = await t.database.query<{ member_id: string | null; pinned: boolean }>("select member_id, pinned from red_grid_assignments where household_id = $1", [h!.id]);
    expect(after).toEqual({ member_id: null, pinned: true });
    // A member of another grid cannot be pinned.
    const [foreign] = await t.database.query<{ id: string }>(
      "select m.id from party_members m join persons p on p.id = m.person_id where p.grid_id <> (select grid_id from households where id = $1) limit 1",
      [h!.id],
    );
    const bad = await t.as(street, "PUT", `/api/households/${h!.id}/red-grid-member`, { memberId: foreign!.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "validation_failed", field: "memberId" });
  });

  it("lists red grid members with their loads; names clear only for the community's workers; a pin can be undone", async () => {
    const c1 = (await t.database.query<{ id: string }>("select id from areas where level = 'community' order by code limit 1"))[0]!.id;
    const mine = (await t.as(worker, "GET", `/api/areas/${c1}/red-grid/members`)).json() as { items: { memberId: string; name: string; households: number }[] };
    const [expected] = await t.database.query<{ n: string }>(
      "select count(*)::text as n from red_grid_assignments r join households h on h.id = r.household_id join areas g on g.id = h.grid_id join areas c on c.id = g.parent_id where c.id = $1 and r.member_id is not null",
      [c1],
    );
    expect(mine.items.reduce((n, m) => n + m.households, 0)).toBe(Number(expected!.n));
    expect(mine.items.some((m) => !m.name.includes("*"))).toBe(true);
    const masked = (await t.as(analyst, "GET", `/api/areas/${c1}/red-grid/members`)).json() as { items: { name: string }[] };
    expect(masked.items.every((m) => /^.\*+$/.test(m.name))).toBe(true);

    const [pinned] = await t.database.query<{ household_id: string }>("select household_id from red_grid_assignments where pinned limit 1");
    expect((await t.as(street, "DELETE", `/api/households/${pinned!.household_id}/red-grid-member`)).statusCode).toBe(204);
    expect((await t.as(street, "POST", `/api/areas/${streetId}/red-grid/assign`)).statusCode).toBe(200);
    const [after] = await t.database.query<{ pinned: boolean; member_id: string | null }>("select pinned, member_id from red_grid_assignments where household_id = $1", [pinned!.household_id]);
    expect(after?.pinned ?? false).toBe(false);
  });

  it("gives every grid's coverage in one answer, adding up to the street's", async () => {
    const res = await t.as(analyst, "GET", `/api/areas/${streetId}/red-grid/coverage/grids`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { gridId: string; communityId: string; grids: { numerator: number; denominator: number }; members: { denominator: number }; households: { numerator: number; denominator: number } }[] }).items;
    const [grids] = await t.database.query<{ n: string }>("select count(*)::text as n from areas where level = 'grid'");
    expect(items).toHaveLength(Number(grids!.n));
    expect(items.every((g) => g.grids.denominator === 1)).toBe(true);
    const street = (await coverage(analyst)).street as unknown as { households: { numerator: number; denominator: number } };
    expect(items.reduce((n, g) => n + g.households.denominator, 0)).toBe(street.households.denominator);
    expect(items.reduce((n, g) => n + g.households.numerator, 0)).toBe(street.households.numerator);
    // One grid's figures match asking for that grid alone.
    const one = items[3]!;
    const alone = (await coverage(analyst, one.gridId)).street as unknown as { households: { numerator: number }; members: { denominator: number } };
    expect(one.households.numerator).toBe(alone.households.numerator);
    expect((await t.as(worker, "GET", `/api/areas/${community2}/red-grid/coverage/grids`)).statusCode).toBe(404);
  });

  it("keeps each role to its scope and its part", async () => {
    expect((await t.as(worker, "POST", `/api/areas/${community2}/red-grid/assign`)).statusCode).toBe(404);
    expect((await t.as(analyst, "POST", `/api/areas/${streetId}/red-grid/assign`)).statusCode).toBe(403);
    // The coverage answer says so, so the page offers 重新分配 only where it would be accepted.
    expect((await coverage(analyst)).abilities).toEqual({ read: true, assign: false });
    expect((await coverage(street)).abilities).toEqual({ read: true, assign: true });
    const resident = await t.login("resident", demoPassword);
    expect((await t.as(resident, "GET", `/api/areas/${streetId}/red-grid/coverage`)).statusCode).toBe(404);
  });
});
