/**
 * 网格调整 and cases, over HTTP on both engines: when a grid is split, grids are merged or an import
 * replaces them, open cases follow their point into the new grids (a grid-level handler with
 * them), closed cases keep their grid, each move is a timeline step with its audit entry, and a
 * dry run moves nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";

interface CaseGrid {
  status: string;
  level: string;
  grid_id: string;
  area_path: string;
  handling_area_id: string | null;
  community_id: string | null;
}

describe.each(testEngines())("open cases follow a grid split and merge on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let workerA: Session;
  let gridWorker: Session;
  const ids = { westOpen: "", eastOpen: "", westClosed: "" };
  let westGrid = "";
  let eastGrid = "";
  const cut = { type: "LineString", coordinates: [[104.005, 29.995], [104.005, 30.0125]] };

  const caseGrid = async (id: string) =>
    (await t.database.query<CaseGrid>("select status, level, grid_id, area_path, handling_area_id, community_id from cases where id = $1", [id]))[0]!;
  const regridSteps = async (id: string) =>
    t.database.query<{ note: string; from_status: string; to_status: string; visible_to_reporter: boolean; data: { fromGridId: string; toGridId: string }; audit_entry_id: number | null }>(
      "select note, from_status, to_status, visible_to_reporter, data, audit_entry_id from case_events where case_id = $1 and action = 'regrid' order by id",
      [id],
    );

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "990400");
    cat = await seedCaseCatalogue(t.database.db, s);
    workerA = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    gridWorker = await t.login((await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridA1 })).username);
    const at = async (id: string, lng: number) => t.database.query("update cases set lng = $1, lat = 30.005 where id = $2", [lng, id]);
    ids.westOpen = (await insertCase(t.database.db, s, cat.garbage, { status: "dispatched", level: "grid" })).id;
    await at(ids.westOpen, 104.002);
    ids.eastOpen = (await insertCase(t.database.db, s, cat.streetVending, { status: "inProgress", level: "community" })).id;
    await at(ids.eastOpen, 104.008);
    ids.westClosed = (await insertCase(t.database.db, s, cat.garbage, { status: "closed", level: "grid" })).id;
    await at(ids.westClosed, 104.002);
  });
  afterAll(async () => t?.close());

  it("moves nothing on a dry run, and the preview counts the open cases each part takes", async () => {
    const res = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut, dryRun: true });
    expect(res.statusCode).toBe(200);
    // The preview counts the open cases each part will take (the closed one stays).
    expect((res.json() as { grids: { contents: { openCases: number } }[] }).grids.map((g) => g.contents.openCases)).toEqual([1, 1]);
    expect((await caseGrid(ids.westOpen)).grid_id).toBe(s.gridA1);
    expect(await regridSteps(ids.westOpen)).toEqual([]);
  });

  it("on a split, open cases follow their point; a grid-level handler moves with the case; closed cases stay", async () => {
    const res = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut, parts: [{ name: "幸福西网格" }, { name: "幸福东网格" }] });
    expect(res.statusCode).toBe(201);
    const grids = (res.json() as { grids: { id: string }[] }).grids;
    westGrid = grids[0]!.id;
    eastGrid = grids[1]!.id;

    const west = await caseGrid(ids.westOpen);
    expect(west).toMatchObject({ status: "dispatched", level: "grid", grid_id: westGrid, handling_area_id: westGrid, community_id: s.communityA });
    expect(west.area_path.endsWith(`/${westGrid}/`)).toBe(true);
    const east = await caseGrid(ids.eastOpen);
    // Handled by the community: the handler stays, the grid and path follow the point.
    expect(east).toMatchObject({ status: "inProgress", level: "community", grid_id: eastGrid, handling_area_id: s.communityA });
    expect(east.area_path.endsWith(`/${eastGrid}/`)).toBe(true);
    const closed = await caseGrid(ids.westClosed);
    expect(closed).toMatchObject({ status: "closed", grid_id: s.gridA1, handling_area_id: s.gridA1 });
    expect(await regridSteps(ids.westClosed)).toEqual([]);

    const [step] = await regridSteps(ids.westOpen);
    expect(step).toMatchObject({ from_status: "dispatched", to_status: "dispatched", visible_to_reporter: false, data: { fromGridId: s.gridA1, toGridId: westGrid } });
    expect(step!.note).toBe("网格调整：甲社区第一网格 → 幸福西网格");
    const [audit] = await t.database.query<{ action: string; entity_id: string }>("select action, entity_id from audit_entries where id = $1", [step!.audit_entry_id]);
    expect(audit).toEqual({ action: "case.regrid", entity_id: ids.westOpen });
    const [split] = await t.database.query<{ summary: { casesMoved: number } }>("select summary from audit_entries where action = 'grid.split' and entity_id = $1", [s.gridA1]);
    expect(split!.summary.casesMoved).toBe(2);
  });

  it("the grid worker (grant copied to the new grids) finds the moved case and its step on the timeline", async () => {
    const list = await t.as(gridWorker, "GET", `/api/cases?areaId=${westGrid}&page=1&pageSize=50`);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: { id: string }[] }).items.map((c) => c.id)).toContain(ids.westOpen);
    const detail = await t.as(gridWorker, "GET", `/api/cases/${ids.westOpen}`);
    expect(detail.statusCode).toBe(200);
    const timeline = (detail.json() as { timeline: { action: string; actionLabel: { zh: string } }[] }).timeline;
    expect(timeline.filter((e) => e.action === "regrid").map((e) => e.actionLabel.zh)).toEqual(["网格调整"]);
  });

  it("on a merge, the open cases of every merged grid go to the new grid", async () => {
    const preview = await t.as(workerA, "POST", "/api/areas/merge", { gridIds: [westGrid, eastGrid], name: "幸福网格", gridType: "comprehensive", dryRun: true });
    expect((preview.json() as { grids: { contents: { openCases: number } }[] }).grids[0]!.contents.openCases).toBe(2);
    const res = await t.as(workerA, "POST", "/api/areas/merge", { gridIds: [westGrid, eastGrid], name: "幸福网格", gridType: "comprehensive" });
    expect(res.statusCode).toBe(201);
    const merged = (res.json() as { grids: { id: string }[] }).grids[0]!.id;
    expect(await caseGrid(ids.westOpen)).toMatchObject({ grid_id: merged, handling_area_id: merged, status: "dispatched" });
    expect(await caseGrid(ids.eastOpen)).toMatchObject({ grid_id: merged, handling_area_id: s.communityA, status: "inProgress" });
    expect((await regridSteps(ids.westOpen)).map((e) => e.data.toGridId)).toEqual([westGrid, merged]);
    expect((await caseGrid(ids.westClosed)).grid_id).toBe(s.gridA1);
  });

  it("on an import that replaces the community's grids, open cases go to the imported grid holding their point", async () => {
    const rect = (w: number, so: number, e: number, n: number) => ({ type: "Polygon", coordinates: [[[w, so], [e, so], [e, n], [w, n], [w, so]]] });
    const feature = (name: string, geometry: unknown) => ({ type: "Feature", properties: { name }, geometry });
    const body = {
      type: "FeatureCollection",
      features: [feature("南西网格", rect(104, 30, 104.005, 30.01)), feature("南东网格", rect(104.005, 30, 104.01, 30.01)), feature("北网格", rect(104, 30.01, 104.01, 30.02))],
    };
    const res = await t.as(workerA, "POST", `/api/imports/grids?communityId=${s.communityA}&replace=true`, body);
    expect(res.statusCode, res.body).toBe(200);
    const [southWest, southEast] = (res.json() as { grids: { id: string }[] }).grids.map((g) => g.id);
    expect(await caseGrid(ids.westOpen)).toMatchObject({ grid_id: southWest, handling_area_id: southWest, status: "dispatched" });
    expect(await caseGrid(ids.eastOpen)).toMatchObject({ grid_id: southEast, handling_area_id: s.communityA });
    expect((await regridSteps(ids.eastOpen)).length).toBe(3);
    expect((await caseGrid(ids.westClosed)).grid_id).toBe(s.gridA1);
  });
});
