import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { randomUUID } from "node:crypto";
import { compoundOutline, parseBbox } from "./map.js";
import { insertBuildings } from "./bulk.js";

interface MapFeature {
  type: "Feature";
  geometry: { type: "Point"; coordinates: number[] } | { type: "Polygon"; coordinates: number[][][] };
  properties: { kind: "compound" | "building"; id: string; name: string; compoundName?: string; gridId?: string; buildingCount?: number };
}
interface MapAnswer {
  type: string;
  features: MapFeature[];
  truncated: boolean;
}

/** Ray casting: whether [lng, lat] lies inside the ring. */
function inside(ring: number[][], [x, y]: number[]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi! > y! !== yj! > y! && x! < ((xj! - xi!) * (y! - yi!)) / (yj! - yi!) + xi!) c = !c;
  }
  return c;
}

describe("compound outlines and bboxes", () => {
  it("draws a compound around its buildings' footprints and points, with a margin", () => {
    const footprint = { type: "Polygon" as const, coordinates: [[[104.001, 30.001], [104.0013, 30.001], [104.0013, 30.0011], [104.001, 30.0011], [104.001, 30.001]] as [number, number][]] };
    const outline = compoundOutline([
      { lng: 104.00115, lat: 30.00105, footprint },
      { lng: 104.002, lat: 30.002, footprint: null },
    ])!;
    expect(outline.type).toBe("Polygon");
    const ring = (outline as { coordinates: number[][][] }).coordinates[0]!;
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    for (const p of [...footprint.coordinates[0]!, [104.002, 30.002]]) expect(inside(ring, p)).toBe(true);
    expect(inside(ring, [104.004, 30.004])).toBe(false);
    expect(compoundOutline([])).toBeNull();
  });

  it("reads a bbox and refuses a bad one with its field", () => {
    expect(parseBbox("104,30,104.02,30.02")).toEqual([104, 30, 104.02, 30.02]);
    for (const bad of ["104,30,104.02", "104,30,103,30.02", "a,b,c,d", "104,30,200,30.02"]) expect(() => parseBbox(bad)).toThrow(expect.objectContaining({ code: "validation_failed", field: "bbox" }));
  });
});

describe.each(testEngines())("the places map (GET /api/places/map) on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let other: TinyStreet;
  let streetAdmin: Session;
  let otherAdmin: Session;
  let gridWorkerA1: Session;
  let resident: Session;
  const ids: Record<string, string> = {};

  const map = async (who: Session, query: string) => {
    const res = await t.as(who, "GET", `/api/places/map?${query}`);
    return { status: res.statusCode, body: res.json() as MapAnswer & { code?: string; field?: string } };
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    const login = async (role: Parameters<typeof createTestUser>[1]["role"], areaId: string, personId?: string) =>
      t.login((await createTestUser(t.database.db, { role, areaId, ...(personId ? { personId } : {}) })).username);
    streetAdmin = await login("streetAdmin", s.street);
    gridWorkerA1 = await login("gridWorker", s.gridA1);
    resident = await login("resident", s.gridA1, s.personA1);

    const post = async (who: Session, url: string, body: unknown) => {
      const res = await t.as(who, "POST", url, body);
      if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return (res.json() as { id: string }).id;
    };
    ids.fangcao = await post(streetAdmin, "/api/compounds", { communityId: s.communityA, name: "芳草苑", address: "测试市测试区测试街道幸福路20号" });
    ids.fangcao1 = await post(streetAdmin, "/api/buildings", {
      compoundId: ids.fangcao,
      name: "1栋",
      floors: 6,
      lng: 104.00115,
      lat: 30.00105,
      footprint: { type: "Polygon", coordinates: [[[104.001, 30.001], [104.0013, 30.001], [104.0013, 30.0011], [104.001, 30.0011], [104.001, 30.001]]] },
    });
    ids.fangcao2 = await post(streetAdmin, "/api/buildings", { compoundId: ids.fangcao, name: "2栋", floors: 7, lng: 104.002, lat: 30.002 });
    // Same community, the other grid: a grid worker of A1 does not see it.
    ids.fangcao3 = await post(streetAdmin, "/api/buildings", { compoundId: ids.fangcao, name: "3栋", floors: 6, lng: 104.002, lat: 30.012 });
    ids.heping = await post(streetAdmin, "/api/compounds", { communityId: s.communityB, name: "和平里", address: "测试市测试区测试街道和平路8号" });
    ids.heping5 = await post(streetAdmin, "/api/buildings", { compoundId: ids.heping, name: "5栋", floors: 5, lng: 104.015, lat: 30.005 });
    other = await buildTinyStreet(t.database.db, "980000");
    otherAdmin = await login("streetAdmin", other.street);
    // Another street at the very same coordinates (the test streets share a square): never in this street's map.
    // (Written directly: the grid index would place a point shared by two streets in one of them.)
    ids.elsewhere = await post(otherAdmin, "/api/compounds", { communityId: other.communityA, name: "别处小区", address: "测试市测试区测试街道别处路1号" });
    ids.elsewhere1 = randomUUID();
    await insertBuildings(t.database.db, [{ id: ids.elsewhere1, compoundId: ids.elsewhere, gridId: other.gridA1, name: "1栋", floors: 6, lng: 104.0012, lat: 30.0011 }]);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("gives a street its compounds and buildings as GeoJSON: footprints as polygons, points otherwise, compounds around them", async () => {
    const { status, body } = await map(streetAdmin, `areaId=${s.street}`);
    expect(status).toBe(200);
    expect(body.type).toBe("FeatureCollection");
    expect(body.truncated).toBe(false);
    const buildings = body.features.filter((f) => f.properties.kind === "building");
    expect(buildings.map((f) => f.properties.id).sort()).toEqual([ids.fangcao1, ids.fangcao2, ids.fangcao3, ids.heping5].sort());
    const b1 = buildings.find((f) => f.properties.id === ids.fangcao1)!;
    expect(b1.geometry.type).toBe("Polygon");
    expect(b1.properties).toMatchObject({ name: "1栋", compoundName: "芳草苑", gridId: s.gridA1 });
    const b2 = buildings.find((f) => f.properties.id === ids.fangcao2)!;
    expect(b2.geometry).toEqual({ type: "Point", coordinates: [104.002, 30.002] });
    const compounds = body.features.filter((f) => f.properties.kind === "compound");
    expect(compounds.map((f) => f.properties.name).sort()).toEqual(["和平里", "芳草苑"]);
    const fangcao = compounds.find((f) => f.properties.id === ids.fangcao)!;
    expect(fangcao.properties.buildingCount).toBe(3);
    const ring = (fangcao.geometry as { coordinates: number[][][] }).coordinates[0]!;
    for (const p of [[104.00115, 30.00105], [104.002, 30.002], [104.002, 30.012]]) expect(inside(ring, p)).toBe(true);
    // Nothing personal on the map: names of places only.
    expect(JSON.stringify(body)).not.toMatch(/幸福路|和平路|张建国/);
  });

  it("never answers another street's buildings: not in this street's map, and that street's map is 404", async () => {
    const own = await map(streetAdmin, `areaId=${s.street}`);
    expect(own.body.features.some((f) => f.properties.id === ids.elsewhere1 || f.properties.id === ids.elsewhere)).toBe(false);
    const theirs = await map(streetAdmin, `areaId=${other.street}`);
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe("not_found");
    const theirOwn = await map(otherAdmin, `areaId=${other.street}`);
    expect(theirOwn.body.features.filter((f) => f.properties.kind === "building").map((f) => f.properties.id)).toEqual([ids.elsewhere1]);
  });

  it("narrows to a community, a bbox, and a grid worker's own grid; a resident sees no buildings", async () => {
    const community = await map(streetAdmin, `areaId=${s.communityB}`);
    expect(community.body.features.map((f) => f.properties.name).sort()).toEqual(["5栋", "和平里"]);
    const boxed = await map(streetAdmin, `areaId=${s.street}&bbox=104,30,104.005,30.005`);
    expect(boxed.body.features.filter((f) => f.properties.kind === "building").map((f) => f.properties.id).sort()).toEqual([ids.fangcao1, ids.fangcao2].sort());
    const grid = await map(gridWorkerA1, `areaId=${s.gridA1}`);
    expect(grid.body.features.filter((f) => f.properties.kind === "building").map((f) => f.properties.id).sort()).toEqual([ids.fangcao1, ids.fangcao2].sort());
    expect((await map(gridWorkerA1, `areaId=${s.street}`)).status).toBe(404);
    const own = await map(resident, `areaId=${s.gridA1}`);
    expect(own.status).toBe(200);
    expect(own.body.features).toEqual([]);
  });

  it("refuses bad input with its field, and strangers", async () => {
    const bad = await map(streetAdmin, `areaId=${s.street}&bbox=104,30,103,30.02`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "validation_failed", field: "bbox" });
    expect((await map(streetAdmin, "areaId=not-a-uuid")).status).toBe(400);
    expect((await map(streetAdmin, "")).status).toBe(400);
    expect((await t.as(null, "GET", `/api/places/map?areaId=${s.street}`)).statusCode).toBe(401);
  });
});
