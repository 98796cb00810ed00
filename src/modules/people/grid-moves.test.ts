/**
 * One rule for households changing grid (grid-moves.ts), reached from both entry points: a
 * building whose point moves into another grid (places, `building.moved`) and a grid split
 * (areas, `area.gridsReshaped`). An automatic red grid link stands while household and member
 * share a grid; a pinned one is kept and counted.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { events } from "../../platform/events/index.js";
import type { HouseholdsMoved } from "./index.js";

describe.each(testEngines())("households changing grid keep or drop red grid links by one rule, on $name", (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  /** A building at (lng, lat) in a grid of community A, with one dwelling per household name given. */
  async function building(s: TinyStreet, gridId: string, lng: number, lat: number, heads: string[]) {
    const compound = randomUUID();
    const id = randomUUID();
    const unit = randomUUID();
    await t.database.query("insert into compounds (id, community_id, name, address) values ($1, $2, '幸福小区', '幸福路1号')", [compound, s.communityA]);
    await t.database.query("insert into buildings (id, compound_id, grid_id, name, floors, lng, lat) values ($1, $2, $3, '1栋', 6, $4, $5)", [id, compound, gridId, lng, lat]);
    await t.database.query("insert into building_units (id, building_id, name) values ($1, $2, '1单元')", [unit, id]);
    const households: { household: string; person: string }[] = [];
    for (const [i, head] of heads.entries()) {
      const dwelling = randomUUID();
      await t.database.query("insert into dwellings (id, unit_id, building_id, grid_id, floor, room_no) values ($1, $2, $3, $4, 1, $5)", [dwelling, unit, id, gridId, `10${i + 1}`]);
      const [h] = await t.database.query<{ id: string }>("insert into households (dwelling_id, grid_id, address, head_name, size) values ($1, $2, '幸福路1号', $3, 1) returning id", [dwelling, gridId, head]);
      const [p] = await t.database.query<{ id: string }>("insert into persons (household_id, grid_id, name, gender, birth_year, relation) values ($1, $2, $3, 'male', 1970, '户主') returning id", [h!.id, gridId, head]);
      households.push({ household: h!.id, person: p!.id });
    }
    return { id, households };
  }
  const member = async (personId: string) => (await t.database.query<{ id: string }>("insert into party_members (person_id, status) values ($1, 'inService') returning id", [personId]))[0]!.id;
  const link = (householdId: string, memberId: string, pinned: boolean) =>
    t.database.query("insert into red_grid_assignments (household_id, member_id, reason, pinned) values ($1, $2, $3, $4)", [householdId, memberId, pinned ? "override" : "nearest", pinned]);
  /** The `households.moved` events published while `run` runs. */
  async function watchMoves<T>(run: () => Promise<T>): Promise<{ result: T; published: HouseholdsMoved[] }> {
    const published: HouseholdsMoved[] = [];
    const stop = events.observe("households.moved", (e) => published.push(e));
    try {
      return { result: await run(), published };
    } finally {
      stop();
    }
  }
  const sortedMoves = (e: HouseholdsMoved) => [...e.moves].sort((a, b) => a.householdId.localeCompare(b.householdId));
  const links = async (householdIds: string[]) =>
    new Map(
      (await t.database.query<{ household_id: string; member_id: string; pinned: boolean }>("select household_id, member_id, pinned from red_grid_assignments where household_id = any($1::uuid[])", [householdIds])).map(
        (r) => [r.household_id, { member: r.member_id, pinned: r.pinned }],
      ),
    );

  it("moving a building: a member moving with it keeps the households moving with them, loses those left behind; pinned links stay and are counted", async () => {
    const s = await buildTinyStreet(t.database.db, "980100");
    const worker: Session = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    const moving = await building(s, s.gridA1, 104.002, 30.005, ["周一", "周二", "周三"]);
    const staying = await building(s, s.gridA1, 104.008, 30.005, ["吴一", "吴二"]);
    const [home, neighbour, pinnedHome] = moving.households as [typeof moving.households[0], typeof moving.households[0], typeof moving.households[0]];
    const [stayHome, leftBehind] = staying.households as [typeof staying.households[0], typeof staying.households[0]];
    const movingMember = await member(home.person); // lives in the moving building
    const stayingMember = await member(stayHome.person); // lives in the building that stays
    await link(neighbour.household, movingMember, false); // same building: both go to A2
    await link(leftBehind.household, movingMember, false); // stays in A1, its member goes to A2
    await link(pinnedHome.household, stayingMember, true); // a person's decision

    const { result: res, published } = await watchMoves(() => t.as(worker, "PATCH", `/api/buildings/${moving.id}`, { lng: 104.005, lat: 30.015 }));
    expect(res.statusCode).toBe(200);
    // One event for the move, naming the three households of the building and no other.
    expect(published.map((e) => e.cause)).toEqual(["building"]);
    expect(sortedMoves(published[0]!)).toEqual(
      moving.households.map((h) => ({ householdId: h.household, fromGridId: s.gridA1, toGridId: s.gridA2 })).sort((a, b) => a.householdId.localeCompare(b.householdId)),
    );
    expect((res.json() as { regrid: unknown }).regrid).toEqual({ fromGridId: s.gridA1, toGridId: s.gridA2, households: 3, redGridDropped: 1, redGridPinnedKept: 1 });
    const after = await links([neighbour.household, leftBehind.household, pinnedHome.household]);
    expect(after.get(neighbour.household)).toEqual({ member: movingMember, pinned: false });
    expect(after.has(leftBehind.household)).toBe(false);
    expect(after.get(pinnedHome.household)).toEqual({ member: stayingMember, pinned: true });
  });

  it("splitting a grid: links whose household and member land in one part stay, links the cut parts are dropped, pinned links stay", async () => {
    const s = await buildTinyStreet(t.database.db, "980200");
    const worker: Session = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    const west = await building(s, s.gridA1, 104.002, 30.005, ["郑一", "郑二"]);
    const east = await building(s, s.gridA1, 104.008, 30.005, ["冯一", "冯二"]);
    const [westHome, westNeighbour] = west.households as [typeof west.households[0], typeof west.households[0]];
    const [eastParted, eastPinned] = east.households as [typeof east.households[0], typeof east.households[0]];
    const westMember = await member(westHome.person);
    await link(westNeighbour.household, westMember, false);
    await link(eastParted.household, westMember, false);
    await link(eastPinned.household, westMember, true);

    const cut = { type: "LineString", coordinates: [[104.005, 29.995], [104.005, 30.0125]] };
    const before = await t.database.query<{ id: string }>("select id from households where grid_id = $1", [s.gridA1]);
    const { result: res, published } = await watchMoves(() => t.as(worker, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut }));
    expect(res.statusCode).toBe(201);
    const [westGrid, eastGrid] = (res.json() as { grids: { id: string }[] }).grids.map((g) => g.id);
    expect(published.map((e) => e.cause)).toEqual(["reshape"]);
    // Every household of the split grid is listed once, with the part it landed in (ours by side of the cut).
    const landed = await t.database.query<{ id: string; grid_id: string }>("select id, grid_id from households where id = any($1::uuid[]) order by id", [before.map((h) => h.id)]);
    expect(sortedMoves(published[0]!)).toEqual(landed.map((h) => ({ householdId: h.id, fromGridId: s.gridA1, toGridId: h.grid_id })).sort((a, b) => a.householdId.localeCompare(b.householdId)));
    const to = new Map(published[0]!.moves.map((m) => [m.householdId, m.toGridId]));
    for (const h of west.households) expect(to.get(h.household)).toBe(westGrid);
    for (const h of east.households) expect(to.get(h.household)).toBe(eastGrid);
    const gridOf = async (table: string, id: string) => (await t.database.query<{ grid_id: string }>(`select grid_id from ${table} where id = $1`, [id]))[0]!.grid_id;
    expect(await gridOf("households", westNeighbour.household)).toBe(westGrid);
    expect(await gridOf("persons", westHome.person)).toBe(westGrid);
    expect(await gridOf("households", eastParted.household)).toBe(eastGrid);
    const after = await links([westNeighbour.household, eastParted.household, eastPinned.household]);
    expect(after.get(westNeighbour.household)).toEqual({ member: westMember, pinned: false });
    expect(after.has(eastParted.household)).toBe(false);
    expect(after.get(eastPinned.household)).toEqual({ member: westMember, pinned: true });
  });
});
