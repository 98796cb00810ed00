/** GeoJSON import of a community's grids over HTTP, on both engines: every feature checked, all or nothing. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { chinaDateOf } from "../../platform/calendar/index.js";

const rect = (w: number, s: number, e: number, n: number) => ({ type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: "Feature", properties, geometry });
const fc = (...features: unknown[]) => ({ type: "FeatureCollection", features });

interface Outcome {
  ok: boolean;
  code?: string;
  message?: string;
  summary: { total: number; invalid: number; created: number; redrawn: number; retired: number; repaired: number };
  problems: { feature: number; name: string | null; message: string }[];
  grids: { id: string | null; name: string; code: string; gridType: string; action: string }[];
}

describe.each(testEngines())("grid import on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  let gridWorker: Session;
  let workerB: Session;
  const url = (q = "") => `/api/imports/grids?communityId=${s.communityA}${q}`;
  const snapshot = async () =>
    (await t.database.query<{ a: string; v: string; e: string }>(
      "select (select count(*) from areas)::text as a, (select count(*) from area_boundary_versions)::text as v, (select count(*) from audit_entries)::text as e",
    ))[0];

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "990400");
    worker = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    gridWorker = await t.login((await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridA1 })).username);
    workerB = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB })).username);
  });
  afterAll(async () => t?.close());

  it("reports every bad feature by number and name, in Chinese, and writes nothing", async () => {
    const before = await snapshot();
    const body = fc(
      feature({ name: "自相交网格" }, { type: "Polygon", coordinates: [[[104, 30], [104.005, 30.01], [104.005, 30], [104, 30.01], [104, 30]]] }),
      feature({ name: "未闭合网格" }, { type: "Polygon", coordinates: [[[104, 30], [104.005, 30], [104.005, 30.01], [104, 30.01]]] }),
      feature({ name: "越界网格" }, rect(104.005, 30, 104.015, 30.01)),
      feature({ name: "重叠网格" }, rect(104, 30, 104.004, 30.004)),
      feature({ type: "其他" }, rect(104, 30.015, 104.001, 30.016)),
      feature({ name: "点" }, { type: "Point", coordinates: [104, 30] }),
    );
    const res = await t.as(worker, "POST", url(), body);
    expect(res.statusCode).toBe(422);
    const o = res.json() as Outcome;
    expect(o.code).toBe("grid_import_rejected");
    expect(o.message).toBe("共 6 个网格要素，其中 6 个有问题，未写入任何数据；请按报告修改后重新导入");
    const text = o.problems.map((p) => p.message).join("\n");
    expect(text).toMatch(/第 1 个要素「自相交网格」的外环自相交/);
    expect(text).toMatch(/第 2 个要素「未闭合网格」的外环未闭合/);
    expect(text).toMatch(/第 3 个要素「越界网格」有 \d+\.\d 平方米超出甲社区边界/);
    expect(text).toMatch(/第 4 个要素「重叠网格」与现有网格「甲社区第一网格」重叠/);
    expect(text).toMatch(/第 5 个要素缺少网格名称/);
    expect(text).toMatch(/第 5 个要素的网格类型「其他」无法识别/);
    expect(text).toMatch(/第 6 个要素「点」的几何类型是 Point，应为 Polygon 或 MultiPolygon/);
    expect(o.summary).toMatchObject({ total: 6, invalid: 6 });
    expect(await snapshot()).toEqual(before);
    const en = await t.app.inject({ method: "POST", url: url(), payload: body, headers: { cookie: worker.cookie, "x-csrf-token": worker.csrf, "accept-language": "en" } });
    expect((en.json() as Outcome).message).toMatch(/^6 of 6 grid features have problems/);
  });

  it("answers an empty collection, other JSON, broken JSON and plain text with 400", async () => {
    const before = await snapshot();
    const empty = await t.as(worker, "POST", url(), fc());
    expect(empty.statusCode).toBe(400);
    expect((empty.json() as { message: string }).message).toMatch(/没有任何网格要素/);
    const notCollection = await t.as(worker, "POST", url(), feature({ name: "单个要素" }, rect(104, 30, 104.001, 30.001)));
    expect(notCollection.statusCode).toBe(400);
    const headers = { cookie: worker.cookie, "x-csrf-token": worker.csrf };
    const broken = await t.app.inject({ method: "POST", url: url(), payload: '{"type":"FeatureCollection",', headers: { ...headers, "content-type": "application/geo+json" } });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: "invalid_json" });
    const csv = await t.app.inject({ method: "POST", url: url(), payload: "name,code\n", headers: { ...headers, "content-type": "text/plain" } });
    expect(csv.statusCode).toBe(400);
    expect(csv.json()).toMatchObject({ code: "validation_failed" });
    expect(await snapshot()).toEqual(before);
  });

  it("lets only those who draw the community grids import: its grid worker and another community get 404", async () => {
    const body = fc(feature({ name: "新网格" }, rect(104, 30, 104.001, 30.001)));
    expect((await t.as(gridWorker, "POST", url("&replace=true"), body)).statusCode).toBe(404);
    expect((await t.as(workerB, "POST", url("&replace=true"), body)).statusCode).toBe(404);
    const gridAsCommunity = await t.as(worker, "POST", `/api/imports/grids?communityId=${s.gridA1}`, body);
    expect(gridAsCommunity.statusCode).toBe(400);
  });

  it("replaces a community's grids: a known code redraws its grid, new features become grids, the rest retire", async () => {
    const body = fc(
      feature({ name: "甲社区第一网格", code: "990401001001001", type: "综合" }, rect(104, 30, 104.01, 30.008)),
      feature({ name: "甲社区中心网格", type: "专属网格" }, rect(104, 30.008, 104.01, 30.014)),
      feature({ name: "甲社区北网格", type: "comprehensive" }, rect(104, 30.014, 104.01, 30.02)),
    );
    const before = await snapshot();
    const dry = await t.app.inject({ method: "POST", url: url("&replace=true&dryRun=true"), payload: JSON.stringify(body), headers: { cookie: worker.cookie, "x-csrf-token": worker.csrf, "content-type": "application/geo+json" } });
    expect(dry.statusCode).toBe(200);
    expect((dry.json() as Outcome).summary).toEqual({ total: 3, invalid: 0, created: 2, redrawn: 1, retired: 1, repaired: 0 });
    expect(await snapshot()).toEqual(before);
    // Without replace, the new features overlap the current grids.
    const clash = await t.as(worker, "POST", url(), body);
    expect(clash.statusCode).toBe(422);
    const res = await t.as(worker, "POST", url("&replace=true"), body);
    expect(res.statusCode).toBe(200);
    const o = res.json() as Outcome;
    expect(o.grids.map((g) => [g.action, g.code, g.gridType])).toEqual([
      ["redraw", "990401001001001", "comprehensive"],
      ["create", "990401001001003", "dedicated"],
      ["create", "990401001001004", "comprehensive"],
    ]);
    const today = chinaDateOf(new Date());
    const [a2] = await t.database.query<{ valid_to: string }>("select valid_to::text as valid_to from areas where id = $1", [s.gridA2]);
    expect(a2!.valid_to).toBe(today);
    const versions = await t.database.query<{ reason: string; valid_to: string | null }>("select reason, valid_to::text as valid_to from area_boundary_versions where area_id = $1 order by valid_from", [s.gridA1]);
    expect(versions).toEqual([
      { reason: "drawn", valid_to: today },
      { reason: "imported", valid_to: null },
    ]);
    // The household of the retired grid has no dwelling on record: it goes to the first imported grid.
    const [h] = await t.database.query<{ grid_id: string }>("select grid_id from households where id = $1", [s.householdA2]);
    expect(h!.grid_id).toBe(s.gridA1);
    const topo = (await t.as(worker, "GET", `/api/areas/${s.communityA}/topology`)).json() as { ok: boolean };
    expect(topo.ok).toBe(true);
    const located = (await t.as(worker, "GET", "/api/areas/locate?lng=104.005&lat=30.011")).json() as { grid: { id: string } };
    expect(located.grid.id).toBe(o.grids[1]!.id);
    const out = (await t.as(worker, "GET", `/api/areas/${s.communityA}/geojson`)).json() as { features: { properties: { level: string } }[] };
    expect(out.features.filter((f) => f.properties.level === "grid")).toHaveLength(3);
    const audit = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'grid.import' and entity_id = $1", [s.communityA]);
    expect(audit[0]!.n).toBe("1");
  });
});
