import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";

describe.each(testEngines())("areas API on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let admin: Session;
  let worker: Session;
  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    admin = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    worker = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
  });
  afterAll(async () => t?.close());

  it("lists the granted node as the root, with breadcrumbs and children", async () => {
    const roots = (await t.as(worker, "GET", "/api/areas/roots")).json() as { items: { id: string; level: string; childCount: number }[] };
    expect(roots.items).toEqual([expect.objectContaining({ id: s.communityA, level: "community", childCount: 2 })]);
    const detail = (await t.as(worker, "GET", `/api/areas/${s.communityA}`)).json() as {
      area: { householdCount: number; bbox: number[] };
      ancestors: { level: string }[];
      children: { name: string }[];
    };
    expect(detail.ancestors.map((a) => a.level)).toEqual(["city", "district", "street"]);
    expect(detail.children.map((c) => c.name)).toEqual(["甲社区第一网格", "甲社区第二网格"]);
    expect(detail.area.householdCount).toBe(2);
    expect(detail.area.bbox).toEqual([104, 30, 104.01, 30.02]);
  });

  it("serves the grids below an area as GeoJSON", async () => {
    const res = await t.as(admin, "GET", `/api/areas/${s.street}/geojson`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/geo\+json/);
    const fc = res.json() as { features: { properties: { level: string } }[] };
    const levels = fc.features.map((f) => f.properties.level);
    expect(levels.filter((l) => l === "grid")).toHaveLength(4);
    expect(levels.filter((l) => l === "community")).toHaveLength(2);
    expect(levels.filter((l) => l === "street")).toHaveLength(1);
    const mine = (await t.as(worker, "GET", `/api/areas/${s.communityA}/geojson`)).json() as { features: unknown[] };
    expect(mine.features).toHaveLength(3);
  });

  it("resolves a point to exactly one grid, edges included", async () => {
    const inside = (await t.as(admin, "GET", "/api/areas/locate?lng=104.015&lat=30.005")).json() as { grid: { id: string }; community: { id: string } };
    expect(inside.grid.id).toBe(s.gridB1);
    expect(inside.community.id).toBe(s.communityB);
    // On the shared edge of A1 and B1: the grid with the smaller code wins, deterministically.
    const edge = (await t.as(admin, "GET", "/api/areas/locate?lng=104.01&lat=30.005")).json() as { grid: { id: string } };
    expect(edge.grid.id).toBe(s.gridA1);
    const outside = await t.as(admin, "GET", "/api/areas/locate?lng=105&lat=31");
    expect(outside.statusCode).toBe(404);
    expect(outside.json()).toMatchObject({ code: "outside_grids" });
    const bad = await t.as(admin, "GET", "/api/areas/locate?lng=abc&lat=31");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "validation_failed", field: "lng" });
  });

  it("redraws a grid and the point index follows; a bad polygon changes nothing", async () => {
    const open = await t.as(worker, "PATCH", `/api/areas/${s.gridA2}`, { boundary: { type: "Polygon", coordinates: [[[104, 30.01], [104.01, 30.01], [104.01, 30.02], [104, 30.02]]] } });
    expect(open.statusCode).toBe(400);
    expect(open.json()).toMatchObject({ code: "validation_failed", field: "boundary" });
    const bowTie = await t.as(worker, "PATCH", `/api/areas/${s.gridA2}`, { boundary: { type: "Polygon", coordinates: [[[104, 30.01], [104.01, 30.02], [104.01, 30.01], [104, 30.02], [104, 30.01]]] } });
    expect(bowTie.statusCode).toBe(400);
    expect((bowTie.json() as { message: string }).message).toMatch(/自相交/);
    const outside = await t.as(worker, "PATCH", `/api/areas/${s.gridA2}`, { boundary: { type: "Polygon", coordinates: [[[104, 30.01], [104.01, 30.01], [104.01, 30.03], [104, 30.03], [104, 30.01]]] } });
    expect(outside.statusCode).toBe(400);
    expect((outside.json() as { message: string }).message).toMatch(/超出甲社区边界/);
    const overlap = await t.as(worker, "PATCH", `/api/areas/${s.gridA2}`, { boundary: { type: "Polygon", coordinates: [[[104, 30.005], [104.01, 30.005], [104.01, 30.02], [104, 30.02], [104, 30.005]]] } });
    expect(overlap.statusCode).toBe(400);
    expect((overlap.json() as { message: string }).message).toMatch(/与「甲社区第一网格」重叠/);
    const [unchanged] = await t.database.query<{ max_lat: number }>("select max_lat from areas where id = $1", [s.gridA2]);
    expect(unchanged!.max_lat).toBeCloseTo(30.02, 9);

    const smaller = { type: "Polygon", coordinates: [[[104, 30.015], [104.01, 30.015], [104.01, 30.02], [104, 30.02], [104, 30.015]]] };
    const ok = await t.as(worker, "PATCH", `/api/areas/${s.gridA2}`, { boundary: smaller, gridType: "dedicated" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ gridType: "dedicated", bbox: [104, 30.015, 104.01, 30.02] });
    const moved = (await t.as(admin, "GET", "/api/areas/locate?lng=104.005&lat=30.0175")).json() as { grid: { id: string } };
    expect(moved.grid.id).toBe(s.gridA2);
    expect((await t.as(admin, "GET", "/api/areas/locate?lng=104.005&lat=30.012")).json()).toMatchObject({ code: "outside_grids" });
    const audit = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'area.update' and entity_id = $1", [s.gridA2]);
    expect(audit[0]!.n).toBe("1");

    // The community's topology now shows the gap left behind, with its area (≈ 0.005° × 0.01° at 30° N ≈ 535 000 m²).
    const topo = (await t.as(worker, "GET", `/api/areas/${s.communityA}/topology`)).json() as { ok: boolean; gaps: { areaM2: number }[]; overlaps: unknown[] };
    expect(topo.ok).toBe(false);
    expect(topo.gaps).toHaveLength(1);
    const expected = 0.005 * 0.01 * (Math.PI / 180) ** 2 * 6_371_000 ** 2 * Math.cos((30.0125 * Math.PI) / 180);
    expect(Math.abs(topo.gaps[0]!.areaM2 - expected) / expected).toBeLessThan(0.01);
    expect(topo.overlaps).toEqual([]);

    // A new grid drawn into the gap closes it and takes the next code of the community.
    const created = await t.as(worker, "POST", "/api/areas", {
      communityId: s.communityA,
      name: "甲社区第三网格",
      boundary: { type: "Polygon", coordinates: [[[104, 30.01], [104.01, 30.01], [104.01, 30.015], [104, 30.015], [104, 30.01]]] },
    });
    expect(created.statusCode).toBe(201);
    expect((created.json() as { code: string }).code).toMatch(/003$/);
    expect(((await t.as(worker, "GET", `/api/areas/${s.communityA}/topology`)).json() as { ok: boolean }).ok).toBe(true);
    const intoOther = await t.as(worker, "POST", "/api/areas", { communityId: s.communityB, name: "越界网格", boundary: { type: "Polygon", coordinates: [[[104.01, 30], [104.02, 30], [104.02, 30.001], [104.01, 30.001], [104.01, 30]]] } });
    expect(intoOther.statusCode).toBe(404);
  });

  it("searches areas within scope only", async () => {
    const mine = (await t.as(worker, "GET", `/api/areas/search?q=${encodeURIComponent("网格")}`)).json() as { items: { name: string }[] };
    expect(mine.items.map((i) => i.name).sort()).toEqual(["甲社区第一网格", "甲社区第三网格", "甲社区第二网格"]);
  });
});
