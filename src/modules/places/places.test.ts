import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { composeAddress } from "./service.js";

interface Building {
  id: string;
  gridId: string;
  floors: number;
  householdCount: number;
  masked: boolean;
  buildingHeads: { personId: string; name: string }[];
  units: { id: string; name: string; dwellings: { id: string; roomNo: string; floor: number; households: { id: string; headName: string }[] }[] }[];
  abilities: Record<string, boolean>;
  regrid?: { fromGridId: string; toGridId: string; households: number; redGridDropped: number; redGridPinnedKept: number } | null;
}

describe("composeAddress", () => {
  it("does not repeat the part of the compound name that the street address already ends with", () => {
    const base = { buildingName: "3栋", unitName: "2单元", roomNo: "502" };
    expect(composeAddress({ ...base, compoundAddress: "成都市玉林北路8号", compoundName: "玉林北路8号院" })).toBe("成都市玉林北路8号院3栋2单元502室");
    expect(composeAddress({ ...base, compoundAddress: "成都市玉林北路8号", compoundName: "芳草苑" })).toBe("成都市玉林北路8号芳草苑3栋2单元502室");
    expect(composeAddress({ ...base, roomNo: "502室", compoundAddress: "成都市玉林北路8号", compoundName: "芳草苑" })).toBe("成都市玉林北路8号芳草苑3栋2单元502室");
  });
});

describe.each(testEngines())("places (compounds, buildings, units, dwellings) on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let workerA: Session;
  let workerB: Session;
  let gridWorkerA1: Session;
  let streetAdmin: Session;
  let resident: Session;
  let compoundId: string;
  let buildingId: string;
  let unitId: string;

  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
  const audits = async (action: string, entityId?: string) =>
    Number(
      (
        await t.database.query<{ n: string }>(
          `select count(*)::text as n from audit_entries where action = $1${entityId ? " and entity_id = $2" : ""}`,
          entityId ? [action, entityId] : [action],
        )
      )[0]!.n,
    );

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    const login = async (role: Parameters<typeof createTestUser>[1]["role"], areaId: string, personId?: string) =>
      t.login((await createTestUser(t.database.db, { role, areaId, ...(personId ? { personId } : {}) })).username);
    workerA = await login("communityWorker", s.communityA);
    workerB = await login("communityWorker", s.communityB);
    gridWorkerA1 = await login("gridWorker", s.gridA1);
    streetAdmin = await login("streetAdmin", s.street);
    resident = await login("resident", s.gridA1, s.personA1);
  });
  afterAll(async () => t?.close());

  it("registers, lists and renames a compound of the community, audited", async () => {
    const res = await t.as(workerA, "POST", "/api/compounds", { communityId: s.communityA, name: "芳草苑", address: "测试市测试区测试街道幸福路20号" });
    expect(res.statusCode).toBe(201);
    compoundId = (res.json() as { id: string }).id;
    const renamed = await t.as(workerA, "PATCH", `/api/compounds/${compoundId}`, { name: "芳草苑小区" });
    expect(renamed.json()).toMatchObject({ name: "芳草苑小区", address: "测试市测试区测试街道幸福路20号", buildingCount: 0 });
    const list = (await t.as(gridWorkerA1, "GET", `/api/compounds?communityId=${s.communityA}`)).json() as { items: { id: string; abilities: Record<string, boolean> }[] };
    expect(list.items.map((c) => c.id)).toContain(compoundId);
    // A grid worker sees the compounds of their community but does not edit them.
    expect(list.items.find((c) => c.id === compoundId)!.abilities.edit).toBe(false);
    expect(await audits("compound.create", compoundId)).toBe(1);
    expect(await audits("compound.update", compoundId)).toBe(1);
    expect((await t.as(workerB, "GET", `/api/compounds?communityId=${s.communityA}`)).statusCode).toBe(404);
    expect((await t.as(workerB, "PATCH", `/api/compounds/${compoundId}`, { name: "别人的小区" })).statusCode).toBe(404);
    expect((await t.as(gridWorkerA1, "PATCH", `/api/compounds/${compoundId}`, { name: "网格员改名" })).statusCode).toBe(403);
    expect((await t.as(resident, "GET", `/api/compounds?communityId=${s.communityA}`)).statusCode).toBe(404);
  });

  it("places a building in the grid its point lies in, and refuses a point outside the community's grids", async () => {
    const before = await count("buildings");
    const outside = await t.as(workerA, "POST", "/api/buildings", { compoundId, name: "1栋", floors: 6, lng: 104.5, lat: 30.5 });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: "place_outside_grids", field: "lng" });
    // Inside a grid, but of the other community.
    const other = await t.as(workerA, "POST", "/api/buildings", { compoundId, name: "1栋", floors: 6, lng: 104.015, lat: 30.005 });
    expect(other.json()).toMatchObject({ code: "place_outside_grids" });
    const badFootprint = await t.as(workerA, "POST", "/api/buildings", {
      compoundId,
      name: "1栋",
      floors: 6,
      lng: 104.005,
      lat: 30.005,
      footprint: { type: "Polygon", coordinates: [[[104.004, 30.004], [104.006, 30.004], [104.006, 30.006]]] },
    });
    expect(badFootprint.statusCode).toBe(400);
    expect(badFootprint.json()).toMatchObject({ code: "validation_failed", field: "footprint" });
    expect((await t.as(gridWorkerA1, "POST", "/api/buildings", { compoundId, name: "1栋", floors: 6, lng: 104.005, lat: 30.005 })).statusCode).toBe(403);
    expect((await t.as(workerB, "POST", "/api/buildings", { compoundId, name: "1栋", floors: 6, lng: 104.005, lat: 30.005 })).statusCode).toBe(404);
    expect(await count("buildings")).toBe(before);

    const res = await t.as(workerA, "POST", "/api/buildings", { compoundId, name: "1栋", floors: 6, lng: 104.005, lat: 30.005 });
    expect(res.statusCode).toBe(201);
    const b = res.json() as Building;
    buildingId = b.id;
    expect(b.gridId).toBe(s.gridA1);
    expect(b.units).toEqual([]);
    expect(await audits("building.create", buildingId)).toBe(1);
  });

  it("adds units and dwellings; a floor above the building, a taken room or unit name changes nothing", async () => {
    const u1 = await t.as(workerA, "POST", `/api/buildings/${buildingId}/units`, { name: "1单元" });
    expect(u1.statusCode).toBe(201);
    unitId = (u1.json() as { id: string }).id;
    const dupUnit = await t.as(workerA, "POST", `/api/buildings/${buildingId}/units`, { name: "1单元" });
    expect(dupUnit.statusCode).toBe(409);
    expect(dupUnit.json()).toMatchObject({ code: "unit_name_taken" });
    expect((await t.as(workerA, "POST", `/api/buildings/${buildingId}/units`, { name: "2单元" })).statusCode).toBe(201);

    const d = await t.as(workerA, "POST", `/api/units/${unitId}/dwellings`, { floor: 5, roomNo: "502", floorAreaM2: 78.5 });
    expect(d.statusCode).toBe(201);
    expect(d.json()).toMatchObject({ floor: 5, roomNo: "502", gridId: s.gridA1, buildingId });
    const before = await count("dwellings");
    const high = await t.as(workerA, "POST", `/api/units/${unitId}/dwellings`, { floor: 7, roomNo: "701" });
    expect(high.statusCode).toBe(400);
    expect(high.json()).toMatchObject({ code: "dwelling_floor_above_building", field: "floor" });
    expect((high.json() as { message: string }).message).toContain("共 6 层");
    const dup = await t.as(workerA, "POST", `/api/units/${unitId}/dwellings`, { floor: 5, roomNo: "502室" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: "dwelling_room_taken", field: "roomNo" });
    expect((await t.as(gridWorkerA1, "POST", `/api/units/${unitId}/dwellings`, { floor: 1, roomNo: "101" })).statusCode).toBe(403);
    expect((await t.as(workerB, "POST", `/api/units/${unitId}/dwellings`, { floor: 1, roomNo: "101" })).statusCode).toBe(404);
    expect(await count("dwellings")).toBe(before);
    expect(await audits("dwelling.create")).toBe(1);

    const dwellingId = (d.json() as { id: string }).id;
    const area = await t.as(workerA, "PATCH", `/api/dwellings/${dwellingId}`, { floorAreaM2: 80 });
    expect(area.json()).toMatchObject({ floorAreaM2: 80 });
    // The building cannot shrink below its highest dwelling.
    const shrink = await t.as(workerA, "PATCH", `/api/buildings/${buildingId}`, { floors: 4 });
    expect(shrink.statusCode).toBe(400);
    expect(shrink.json()).toMatchObject({ code: "building_floors_below_dwellings", field: "floors" });
    expect((await t.as(workerA, "PATCH", `/api/buildings/${buildingId}`, { floors: 7, name: "1号楼" })).json()).toMatchObject({ floors: 7, name: "1号楼" });
    const renamed = await t.as(workerA, "PATCH", `/api/units/${unitId}`, { name: "一单元" });
    expect(renamed.json()).toMatchObject({ name: "一单元" });
  });

  it("shows a building's units, dwellings and households; names in clear only for roles that need them (audited)", async () => {
    const [dwelling] = await t.database.query<{ id: string }>("select id from dwellings where unit_id = $1 and room_no = '502'", [unitId]);
    const h = await t.as(workerA, "POST", "/api/households", { dwellingId: dwelling!.id, headName: "刘德明", size: 1 });
    expect(h.statusCode).toBe(201);
    const householdId = (h.json() as { id: string }).id;
    await t.database.query("insert into persons (household_id, grid_id, name, gender, birth_year, relation, tags) values ($1, $2, '刘德明', 'male', 1958, '户主', '{buildingHead}')", [householdId, s.gridA1]);

    const clear = (await t.as(workerA, "GET", `/api/buildings/${buildingId}`)).json() as Building;
    expect(clear.masked).toBe(false);
    expect(clear.householdCount).toBe(1);
    expect(clear.units.map((u) => u.name)).toEqual(["2单元", "一单元"]);
    const unit = clear.units.find((u) => u.id === unitId)!;
    expect(unit.dwellings[0]!.households).toEqual([{ id: householdId, headName: "刘德明", size: 1 }]);
    expect(clear.buildingHeads.map((p) => p.name)).toEqual(["刘德明"]);
    expect(clear.abilities).toMatchObject({ read: true, edit: true, editHouseholds: true });
    expect(await audits("building.readClear", buildingId)).toBe(1);

    const masked = await t.as(streetAdmin, "GET", `/api/buildings/${buildingId}`);
    expect(masked.body).not.toContain("刘德明");
    expect((masked.json() as Building).buildingHeads[0]!.name).toBe("刘**");

    const grid = (await t.as(gridWorkerA1, "GET", `/api/buildings/${buildingId}`)).json() as Building;
    expect(grid.abilities).toMatchObject({ read: true, edit: false, editHouseholds: true });
    const list = (await t.as(gridWorkerA1, "GET", `/api/buildings?gridId=${s.gridA1}`)).json() as { items: { id: string; householdCount: number }[] };
    expect(list.items).toEqual([expect.objectContaining({ id: buildingId, householdCount: 1 })]);
    const byCompound = (await t.as(workerA, "GET", `/api/buildings?compoundId=${compoundId}`)).json() as { items: { id: string }[] };
    expect(byCompound.items.map((b) => b.id)).toEqual([buildingId]);

    expect((await t.as(workerB, "GET", `/api/buildings/${buildingId}`)).statusCode).toBe(404);
    expect((await t.as(workerB, "PATCH", `/api/buildings/${buildingId}`, { name: "乙" })).statusCode).toBe(404);
    expect((await t.as(workerB, "DELETE", `/api/buildings/${buildingId}`)).statusCode).toBe(404);
    expect((await t.as(workerB, "GET", `/api/buildings?gridId=${s.gridA1}`)).statusCode).toBe(404);
    expect((await t.as(resident, "GET", `/api/buildings/${buildingId}`)).statusCode).toBe(404);
    expect((await t.as(gridWorkerA1, "PATCH", `/api/buildings/${buildingId}`, { name: "网格员" })).statusCode).toBe(403);
    expect((await t.as(gridWorkerA1, "GET", `/api/buildings?gridId=${s.gridA2}`)).statusCode).toBe(404);
  });

  it("moving a building's point to another grid moves its dwellings, households and persons, and drops unpinned red grid links", async () => {
    const [h] = await t.database.query<{ id: string }>("select h.id from households h join dwellings d on d.id = h.dwelling_id where d.building_id = $1", [buildingId]);
    // A party member in grid A1 looks after the household (automatic), another household is pinned.
    const [member] = await t.database.query<{ id: string }>(
      "insert into party_members (person_id, status) values ($1, 'retired') returning id",
      [s.personA1],
    );
    await t.database.query("insert into red_grid_assignments (household_id, member_id, reason, pinned) values ($1, $2, 'sameBuilding', false)", [h!.id, member!.id]);
    const beforeOutside = await t.as(workerA, "PATCH", `/api/buildings/${buildingId}`, { lng: 104.5, lat: 30.5 });
    expect(beforeOutside.json()).toMatchObject({ code: "place_outside_grids" });
    const onlyLng = await t.as(workerA, "PATCH", `/api/buildings/${buildingId}`, { lng: 104.005 });
    expect(onlyLng.statusCode).toBe(400);

    const res = await t.as(workerA, "PATCH", `/api/buildings/${buildingId}`, { lng: 104.005, lat: 30.015 });
    expect(res.statusCode).toBe(200);
    const b = res.json() as Building;
    expect(b.gridId).toBe(s.gridA2);
    expect(b.regrid).toEqual({ fromGridId: s.gridA1, toGridId: s.gridA2, households: 1, redGridDropped: 1, redGridPinnedKept: 0 });
    const grids = await t.database.query<{ grid_id: string }>(
      `select grid_id from dwellings where building_id = $1
       union all select h.grid_id from households h join dwellings d on d.id = h.dwelling_id where d.building_id = $1
       union all select p.grid_id from persons p join households h on h.id = p.household_id join dwellings d on d.id = h.dwelling_id where d.building_id = $1`,
      [buildingId],
    );
    expect(grids.length).toBeGreaterThanOrEqual(3);
    expect(new Set(grids.map((g) => g.grid_id))).toEqual(new Set([s.gridA2]));
    expect(await count("red_grid_assignments")).toBe(0);
    // The grid worker of A1 no longer sees it.
    expect((await t.as(gridWorkerA1, "GET", `/api/buildings/${buildingId}`)).statusCode).toBe(404);
  });

  it("deletes a place only when nothing is left inside it", async () => {
    const full = await t.as(workerA, "DELETE", `/api/buildings/${buildingId}`);
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: "place_not_empty" });
    expect((full.json() as { message: string }).message).toBe("楼栋下还有2个单元，不能删除");
    expect((await t.as(workerA, "DELETE", `/api/compounds/${compoundId}`)).json()).toMatchObject({ code: "place_not_empty" });
    const [occupied] = await t.database.query<{ id: string }>("select id from dwellings where unit_id = $1", [unitId]);
    expect((await t.as(workerA, "DELETE", `/api/dwellings/${occupied!.id}`)).json()).toMatchObject({ code: "place_not_empty" });
    expect((await t.as(workerA, "DELETE", `/api/units/${unitId}`)).json()).toMatchObject({ code: "place_not_empty" });

    const before = await count("building_units");
    const [empty] = await t.database.query<{ id: string }>("select id from building_units where building_id = $1 and name = '2单元'", [buildingId]);
    expect((await t.as(gridWorkerA1, "DELETE", `/api/units/${empty!.id}`)).statusCode).toBe(404);
    expect((await t.as(workerA, "DELETE", `/api/units/${empty!.id}`)).statusCode).toBe(204);
    expect(await count("building_units")).toBe(before - 1);
    expect(await audits("unit.delete", empty!.id)).toBe(1);

    const spare = (await t.as(workerA, "POST", "/api/compounds", { communityId: s.communityA, name: "空院", address: "测试市测试区测试街道幸福路30号" })).json() as { id: string };
    expect((await t.as(workerA, "DELETE", `/api/compounds/${spare.id}`)).statusCode).toBe(204);
    expect(await audits("compound.delete", spare.id)).toBe(1);
  });
});
