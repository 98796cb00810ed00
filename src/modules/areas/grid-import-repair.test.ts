/**
 * Grid import with `repair`, over HTTP on both engines: the dry run lists every change, the import
 * writes exactly the repaired shapes, without repair the same file is refused as before, and an
 * overlap above the threshold is still refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import type { Geometry, Position, Ring } from "./geo.js";
import { areaFrameAt, areaM2 } from "./topology.js";
import { actorOf } from "../../platform/auth/service.js";
import { GridImportCliError, runGridImport } from "./grid-import-cli.js";

// 甲社区 is [104, 104.01] × [30, 30.02]; lengths in metres are taken in its frame, as the repair measures them.
const frame = areaFrameAt(104.005, 30.01);
const east = (m: number) => m / frame.mPerDegLng;
const north = (m: number) => m / frame.mPerDegLat;
const ring = (...pts: Position[]): Ring => [...pts, pts[0]!];
const polygon = (...pts: Position[]): Geometry => ({ type: "Polygon", coordinates: [ring(...pts)] });
const rect = (w: number, s: number, e: number, n: number) => polygon([w, s], [e, s], [e, n], [w, n]);
const feature = (name: string, geometry: Geometry) => ({ type: "Feature", properties: { name }, geometry });

// The community's south half: 南西 on the west; 东南 and 东北 on the east, leaving a strip 20 m² wide
// between them and 南西 (南西 shares all of its 1108.5 m with it, the other two half each).
const gapWidth = east(20 / (0.01 * frame.mPerDegLat));
const mid = 104.005;
// 东北 reaches 0.5 m north into 北下 over 60 m: an overlap of 30 m², whose longer border is 北下's.
const tabW = 104.007;
const tabE = tabW + east(60);
const tabN = 30.01 + north(0.5);
// The north half drawn as a bow-tie (its west and east triangles) with the triangles between in two features.
const body = {
  type: "FeatureCollection",
  features: [
    feature("北网格", polygon([104, 30.01], [104.01, 30.02], [104.01, 30.01], [104, 30.02])),
    // A spike out of the west edge, and its base given twice.
    feature("南西网格", polygon([104, 30], [mid, 30], [mid, 30.01], [104, 30.01], [104, 30.005], [103.999, 30.005], [104, 30.005])),
    feature("东南网格", rect(mid + gapWidth, 30, 104.01, 30.005)),
    feature("东北网格", polygon([mid + gapWidth, 30.005], [104.01, 30.005], [104.01, 30.01], [tabE, 30.01], [tabE, tabN], [tabW, tabN], [tabW, 30.01], [mid + gapWidth, 30.01])),
    feature("北下网格", polygon([104, 30.01], [104.01, 30.01], [104.005, 30.015])),
    feature("北上网格", polygon([104, 30.02], [104.005, 30.015], [104.01, 30.02])),
  ],
};

interface Repair {
  kind: string;
  feature: number;
  name: string;
  areaM2: number;
  from: { feature: number | null; id: string | null; name: string } | null;
  to: { feature: number | null; id: string | null; name: string } | null;
  code: string;
  message: string;
}
interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  field?: string;
  summary: { total: number; invalid: number; created: number; redrawn: number; retired: number; repaired: number };
  problems: { feature: number; name: string | null; code: string; message: string }[];
  repairs: Repair[];
  grids: { feature: number; id: string | null; name: string; code: string; action: string }[];
}

/** A geometry's vertices rounded to 1e-9° (≈ 0.1 mm) as a sorted set: start and direction of the rings ignored. */
function vertices(g: Geometry): string[] {
  const rings: Ring[] = g.type === "Polygon" ? g.coordinates : g.coordinates.flat();
  return [...new Set(rings.flat().map(([lng, lat]) => `${lng.toFixed(9)},${lat.toFixed(9)}`))].sort();
}

describe.each(testEngines())("grid import with repair on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  let workerId: string;
  const url = (q = "") => `/api/imports/grids?communityId=${s.communityA}&replace=true${q}`;
  const snapshot = async () =>
    (await t.database.query<{ a: string; v: string; e: string }>(
      "select (select count(*) from areas)::text as a, (select count(*) from area_boundary_versions)::text as v, (select count(*) from audit_entries)::text as e",
    ))[0];

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "991200");
    const u = await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA });
    workerId = u.id;
    worker = await t.login(u.username);
  });
  afterAll(async () => t?.close());

  it("without repair refuses the same file as before and writes nothing", async () => {
    const before = await snapshot();
    const res = await t.as(worker, "POST", url(), body);
    expect(res.statusCode).toBe(422);
    const o = res.json() as Outcome;
    expect(o.code).toBe("grid_import_rejected");
    expect(o.repairs).toEqual([]);
    const text = o.problems.map((p) => p.message).join("\n");
    expect(text).toMatch(/第 1 个要素「北网格」的外环自相交/);
    expect(text).toMatch(/第 2 个要素「南西网格」的外环自相交/);
    expect(text).toMatch(/第 4 个要素「东北网格」与第 5 个要素「北下网格」重叠 30\.\d 平方米$/m);
    expect(o.summary).toMatchObject({ total: 6, invalid: 3, repaired: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a repair without a limit, a limit without repair and one out of range, writing nothing", async () => {
    const before = await snapshot();
    const noLimit = await t.as(worker, "POST", url("&repair=true"), body);
    expect(noLimit.statusCode).toBe(400);
    expect(noLimit.json()).toMatchObject({ code: "validation_failed", field: "repairMaxM2" });
    expect((noLimit.json() as { message: string }).message).toMatch(/修复上限/);
    const noRepair = await t.as(worker, "POST", url("&repairMaxM2=35"), body);
    expect(noRepair.statusCode).toBe(400);
    expect(noRepair.json()).toMatchObject({ code: "validation_failed", field: "repairMaxM2" });
    const tooLarge = await t.as(worker, "POST", url("&repair=true&repairMaxM2=20000"), body);
    expect(tooLarge.statusCode).toBe(400);
    const negative = await t.as(worker, "POST", url("&repair=true&repairMaxM2=-1"), body);
    expect(negative.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it("gongzhi import grids: --repair needs --repair-max-m2, which takes a number of m² from 0 to 10000", async () => {
    const actor = await actorOf(t.database.db, workerId);
    const run = (opts: { repair?: boolean; repairMaxM2?: string }) => runGridImport(t.database.db, actor, { file: "/nonexistent.geojson", community: s.communityA, ...opts }, () => {}, "zh-CN");
    await expect(run({ repair: true })).rejects.toThrow(new GridImportCliError("--repair needs --repair-max-m2 <m²>: the largest overlap, gap or sliver to repair"));
    await expect(run({ repairMaxM2: "30" })).rejects.toThrow(/--repair-max-m2 is given only with --repair/);
    for (const bad of ["很多", "", "-1", "10001"]) await expect(run({ repair: true, repairMaxM2: bad })).rejects.toThrow(/--repair-max-m2 must be a number of m² from 0 to 10000/);
    await expect(run({ repair: true, repairMaxM2: "30" })).rejects.toThrow(/no file/);
  });

  it("still refuses an overlap above the limit, listing the repairs it would make", async () => {
    const before = await snapshot();
    const res = await t.as(worker, "POST", url("&repair=true&repairMaxM2=25&dryRun=true"), body);
    expect(res.statusCode).toBe(422);
    const o = res.json() as Outcome;
    expect(o.problems).toHaveLength(1);
    expect(o.problems[0]!.message).toMatch(/^第 4 个要素「东北网格」与第 5 个要素「北下网格」重叠 30\.\d 平方米（超过修复上限 25 平方米，未自动修复）$/);
    expect(o.repairs.map((r) => [r.feature, r.kind])).toEqual([
      [1, "self_intersection"],
      [2, "duplicate_points"],
      [2, "spike"],
      [2, "gap"],
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it("lists every change in the dry run, then writes exactly the repaired shapes", async () => {
    const before = await snapshot();
    const dry = await t.as(worker, "POST", url("&repair=true&repairMaxM2=35&dryRun=true"), body);
    expect(dry.statusCode, dry.body).toBe(200);
    const d = dry.json() as Outcome;
    expect(d.summary).toEqual({ total: 6, invalid: 0, created: 6, redrawn: 0, retired: 2, repaired: 3 });
    expect(d.repairs.map((r) => [r.feature, r.kind, r.from?.feature ?? null, r.to?.feature ?? null])).toEqual([
      [1, "self_intersection", null, null],
      [2, "duplicate_points", null, null],
      [2, "spike", null, null],
      [2, "gap", null, 2],
      [4, "overlap", 4, 5],
    ]);
    const [bowTie, duplicates, spike, gap, overlap] = d.repairs;
    expect(bowTie!.message).toMatch(/^第 1 个要素「北网格」：边界自相交（\[104\.005, 30\.015\]），已按自身合并重建为 2 个多边形，面积 \d+\.\d 平方米$/);
    expect(bowTie!.areaM2).toBeCloseTo(areaM2(rect(104, 30.01, 104.01, 30.02)) / 2, 0);
    expect(duplicates!.message).toBe("第 2 个要素「南西网格」：删除重复顶点 1 个");
    expect(spike!.message).toBe("第 2 个要素「南西网格」：删除零面积尖刺 1 处（第一处在 [103.999, 30.005]）");
    expect(gap!.areaM2).toBeCloseTo(20, 0);
    expect(gap!.message).toMatch(/^第 2 个要素「南西网格」：旁边 20\.\d 平方米不属于任何网格的缝隙已并入本要素（与缝隙共用边界最长，(\d+\.\d) 米）$/);
    expect(gap!.message).toContain(`${(0.01 * frame.mPerDegLat).toFixed(1)} 米`);
    expect(overlap!.areaM2).toBeCloseTo(30, 0);
    expect(overlap!.message).toMatch(/^第 4 个要素「东北网格」与第 5 个要素「北下网格」重叠的 30\.\d 平方米划归第 5 个要素「北下网格」（与重叠部分的共用边界：第 5 个要素「北下网格」 61\.0 米，本要素 60\.0 米）$/);
    expect(await snapshot()).toEqual(before);
    const en = await t.app.inject({ method: "POST", url: url("&repair=true&repairMaxM2=35&dryRun=true"), payload: body, headers: { cookie: worker.cookie, "x-csrf-token": worker.csrf, "accept-language": "en" } });
    expect((en.json() as Outcome).repairs[4]!.message).toMatch(/^Feature 4 \(“东北网格”\): the 30\.\d m² it shared with feature 5 \(“北下网格”\) now belong to feature 5/);

    const res = await t.as(worker, "POST", url("&repair=true&repairMaxM2=35"), body);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as Outcome;
    expect(o.repairs).toEqual(d.repairs);
    const written = await t.database.query<{ name: string; boundary: Geometry; version: Geometry }>(
      `select a.name, a.boundary, v.boundary as version from areas a join area_boundary_versions v on v.area_id = a.id and v.valid_to is null
        where a.parent_id = $1 and a.valid_to is null order by a.code`,
      [s.communityA],
    );
    expect(written.map((w) => w.name)).toEqual(["北网格", "南西网格", "东南网格", "东北网格", "北下网格", "北上网格"]);
    const shape = Object.fromEntries(written.map((w) => [w.name, w.boundary]));
    for (const w of written) expect(w.version).toEqual(w.boundary);
    // The bow-tie as its two triangles.
    expect(shape["北网格"]!.type).toBe("MultiPolygon");
    expect(vertices(shape["北网格"]!)).toEqual(vertices(polygon([104, 30.01], [104.005, 30.015], [104, 30.02], [104.01, 30.01], [104.01, 30.02])));
    // 南西 without its spike and with the gap: out to 东南 and 东北.
    expect(vertices(shape["南西网格"]!)).toEqual(vertices(rect(104, 30, mid + gapWidth, 30.01)));
    // 东北 without the tab; the others as drawn.
    expect(vertices(shape["东北网格"]!)).toEqual(vertices(rect(mid + gapWidth, 30.005, 104.01, 30.01)));
    expect(shape["东南网格"]).toEqual(body.features[2]!.geometry);
    expect(shape["北下网格"]).toEqual(body.features[4]!.geometry);
    expect(shape["北上网格"]).toEqual(body.features[5]!.geometry);
    const topo = (await t.as(worker, "GET", `/api/areas/${s.communityA}/topology`)).json() as { ok: boolean };
    expect(topo.ok).toBe(true);
    const [audit] = await t.database.query<{ summary: { repaired: number; repairMaxM2: number; repairs: { feature: number; kind: string; to?: number }[] } }>(
      "select summary from audit_entries where action = 'grid.import' and entity_id = $1",
      [s.communityA],
    );
    expect(audit!.summary.repaired).toBe(3);
    expect(audit!.summary.repairMaxM2).toBe(35);
    expect(audit!.summary.repairs.map((r) => `${r.feature}:${r.kind}${r.to ? `→${r.to}` : ""}`)).toEqual(["1:self_intersection", "2:duplicate_points", "2:spike", "2:gap→2", "4:overlap→5"]);
  });
});
