/**
 * Area administration over HTTP on both engines: districts, streets and communities created,
 * renamed, re-coded (the subtree follows) and retired with their history; boundaries checked
 * against the parent and the siblings; a street's communities imported from GeoJSON.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createArea, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { insertCase, seedCaseCatalogue } from "../../test-support/cases.js";
import type { Geometry } from "./geo.js";

const rect = (w: number, s: number, e: number, n: number) => ({ type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: "Feature", properties, geometry });

describe.each(testEngines())("area administration on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let admin: Session;
  let streetAdmin: Session;
  let worker: Session;
  const snapshot = async () =>
    (await t.database.query<{ a: string; v: string; n: string; e: string }>(
      "select (select count(*) from areas)::text as a, (select count(*) from area_boundary_versions)::text as v, (select count(*) from area_name_versions)::text as n, (select count(*) from audit_entries)::text as e",
    ))[0];

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "990500");
    admin = await t.login((await createTestUser(t.database.db, { role: "systemAdmin", areaId: s.city })).username);
    streetAdmin = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    worker = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
  });
  afterAll(async () => t?.close());

  it("creates a community under a street with the next code, checked against the street and its neighbours", async () => {
    const before = await snapshot();
    // Outside the street (street: 104–104.02 × 30–30.02).
    const outside = await t.as(streetAdmin, "POST", `/api/areas/${s.street}/children`, { name: "越界社区", boundary: rect(104.015, 30.015, 104.03, 30.03) });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ code: "validation_failed", field: "boundary" });
    expect(outside.json<{ message: string }>().message).toMatch(/「越界社区」有 \d+ 平方米超出「测试街道」边界/);
    // Overlapping 甲社区.
    const overlap = await t.as(streetAdmin, "POST", `/api/areas/${s.street}/children`, { name: "重叠社区", boundary: rect(104.005, 30, 104.012, 30.005) });
    expect(overlap.json()).toMatchObject({ code: "validation_failed", field: "boundary" });
    expect(overlap.json<{ message: string }>().message).toMatch(/「重叠社区」与「甲社区」重叠/);
    // Duplicate code, code of another parent, duplicate name.
    const dupCode = await t.as(streetAdmin, "POST", `/api/areas/${s.street}/children`, { name: "丙社区", code: "990501001001" });
    expect(dupCode.statusCode).toBe(409);
    expect(dupCode.json()).toMatchObject({ code: "conflict", field: "code" });
    const wrongParent = await t.as(streetAdmin, "POST", `/api/areas/${s.street}/children`, { name: "丙社区", code: "990501002001" });
    expect(wrongParent.json()).toMatchObject({ code: "validation_failed", field: "code" });
    const dupName = await t.as(streetAdmin, "POST", `/api/areas/${s.street}/children`, { name: "甲社区" });
    expect(dupName.json()).toMatchObject({ code: "conflict", field: "name" });
    // Not theirs: a community worker, and a street admin creating a street.
    expect((await t.as(worker, "POST", `/api/areas/${s.street}/children`, { name: "丙社区" })).statusCode).toBe(404);
    const district = (await t.database.query<{ id: string }>(`select parent_id as id from areas where id = '${s.street}'`))[0]!.id;
    expect((await t.as(streetAdmin, "POST", `/api/areas/${district}/children`, { name: "新街道" })).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);

    // The whole street is now covered but for a strip: the gap comes back as a warning.
    const made = await t.as(streetAdmin, "POST", `/api/areas/${s.street}/children`, { name: "丙社区", boundary: rect(104, 30.02, 104.01, 30.02) });
    expect(made.json()).toMatchObject({ code: "validation_failed", field: "boundary" }); // zero area
    const ok = await t.as(admin, "POST", `/api/areas/${s.street}/children`, { name: "丙社区", code: "990501001003" });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ level: "community", code: "990501001003", warnings: [] });
    const next = await t.as(admin, "POST", `/api/areas/${district}/children`, { name: "新街道" });
    expect(next.json()).toMatchObject({ level: "street", code: "990501002" });
  });

  it("renames and re-codes a community with history; its grids' codes follow", async () => {
    const res = await t.as(streetAdmin, "PATCH", `/api/areas/${s.communityB}`, { name: "乙社区（新）", code: "990501001009" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: "乙社区（新）", code: "990501001009", warnings: [] });
    const grids = await t.database.query<{ code: string }>(`select code from areas where parent_id = '${s.communityB}' order by code`);
    expect(grids.map((g) => g.code)).toEqual(["990501001009001", "990501001009002"]);
    const history = (await t.as(admin, "GET", `/api/areas/${s.communityB}/history`)).json() as { names: { name: string; code: string; reason: string; validTo: string | null }[] };
    expect(history.names.at(-1)).toMatchObject({ name: "乙社区（新）", code: "990501001009", validTo: null });
    const taken = await t.as(streetAdmin, "PATCH", `/api/areas/${s.communityB}`, { code: "990501001001" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ field: "code" });
    // A community worker may not re-code their community.
    expect((await t.as(worker, "PATCH", `/api/areas/${s.communityA}`, { code: "990501001008" })).statusCode).toBe(403);
  });

  it("checks a redrawn community boundary against its street and siblings, and reports gaps", async () => {
    const before = await snapshot();
    const over = await t.as(streetAdmin, "PATCH", `/api/areas/${s.communityA}`, { boundary: rect(104, 30, 104.015, 30.02) });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toMatchObject({ code: "validation_failed", field: "boundary" });
    const away = await t.as(streetAdmin, "PATCH", `/api/areas/${s.communityA}`, { boundary: rect(110, 30, 110.01, 30.02) });
    expect(away.json<{ message: string }>().message).toMatch(/超出「测试街道」边界/);
    expect(await snapshot()).toEqual(before);
    const smaller = await t.as(streetAdmin, "PATCH", `/api/areas/${s.communityA}`, { boundary: rect(104, 30, 104.01, 30.015) });
    expect(smaller.statusCode, smaller.body).toBe(200);
    const codes = (smaller.json() as { warnings: { code: string; areaM2: number }[] }).warnings.map((w) => w.code);
    expect(codes).toContain("parent_gap");
    expect(codes).toContain("child_outside");
  });

  it("retires a community only when nothing in force is below it", async () => {
    const busy = await t.as(admin, "POST", `/api/areas/${s.communityA}/retire`, {});
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toMatchObject({ code: "area_has_children" });
    expect(busy.json<{ message: string }>().message).toContain("甲社区第一网格");
    const empty = (await t.database.query<{ id: string }>(`select id from areas where name = '丙社区'`))[0]!.id;
    expect((await t.as(worker, "POST", `/api/areas/${empty}/retire`, {})).statusCode).toBe(404);
    const done = await t.as(streetAdmin, "POST", `/api/areas/${empty}/retire`, {});
    expect(done.statusCode, done.body).toBe(200);
    const street = (await t.as(admin, "GET", `/api/areas/${s.street}`)).json() as { children: { name: string }[] };
    expect(street.children.map((c) => c.name)).not.toContain("丙社区");
    const again = await t.as(admin, "PATCH", `/api/areas/${empty}`, { name: "再改名" });
    expect(again.json()).toMatchObject({ code: "area_retired" });
  });

  it("refuses to retire an area with open cases", async () => {
    const district = (await t.database.query<{ id: string }>(`select id from areas where code = '990501002'`))[0]!.id;
    const community = (await t.as(admin, "POST", `/api/areas/${district}/children`, { name: "有案社区" })).json() as { id: string };
    const grid = await createArea(t.database.db, { parentId: community.id, level: "grid", name: "有案网格", boundary: rect(104, 30, 104.001, 30.001) as Geometry });
    const catalogue = await seedCaseCatalogue(t.database.db, s);
    await insertCase(t.database.db, s, catalogue.garbage, { gridId: grid.id });
    // The grid itself has left (retired today); its open case has not.
    await t.database.query(`update areas set valid_to = current_date where id = '${grid.id}'`);
    const r = await t.as(admin, "POST", `/api/areas/${community.id}/retire`, {});
    expect(r.statusCode, r.body).toBe(409);
    expect(r.json()).toMatchObject({ code: "area_has_open_cases" });
    expect(r.json<{ message: string }>().message).toContain("1 件未办结");
  });

  it("imports a street's communities from GeoJSON: reports bad features, then writes all", async () => {
    const url = (q = "") => `/api/imports/communities?streetId=${s.street}${q}`;
    const before = await snapshot();
    const bad = await t.as(streetAdmin, "POST", url(), {
      type: "FeatureCollection",
      features: [
        feature({ name: "丁社区" }, rect(104.01, 30.015, 104.03, 30.02)),
        feature({ name: "戊社区" }, rect(104.005, 30.016, 104.012, 30.019)),
        feature({ name: "己社区", code: "990502001001" }, rect(104, 30.015, 104.001, 30.016)),
        feature({}, rect(104, 30.015, 104.001, 30.016)),
      ],
    });
    expect(bad.statusCode).toBe(422);
    const report = bad.json() as { code: string; problems: { feature: number; message: string }[] };
    expect(report.code).toBe("community_import_rejected");
    const text = report.problems.map((p) => p.message).join("\n");
    expect(text).toMatch(/第 1 个要素「丁社区」有 [\d.]+ 平方米超出街道「测试街道」边界/);
    expect(text).toMatch(/与现有社区「乙社区（新）」重叠/);
    expect(text).toMatch(/第 3 个要素「己社区」的编码 990502001001 应为街道编码 990501001 加 3 位数字/);
    expect(text).toMatch(/第 4 个要素缺少社区名称/);
    expect(await snapshot()).toEqual(before);

    const good = { type: "FeatureCollection", features: [feature({ name: "丁社区" }, rect(104, 30.015, 104.01, 30.02)), feature({ name: "甲社区" }, rect(104, 30, 104.01, 30.015))] };
    const dry = await t.as(streetAdmin, "POST", url("&dryRun=true"), good);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ ok: true, dryRun: true, summary: { total: 2, created: 1, updated: 1 } });
    expect(await snapshot()).toEqual(before);
    const done = await t.as(streetAdmin, "POST", url(), good);
    expect(done.statusCode, done.body).toBe(200);
    const o = done.json() as { communities: { name: string; id: string; action: string }[] };
    expect(o.communities.map((c) => [c.name, c.action])).toEqual([["丁社区", "create"], ["甲社区", "update"]]);
    const versions = await t.database.query<{ reason: string }>(`select reason from area_boundary_versions where area_id = '${s.communityA}' order by valid_from, recorded_at`);
    expect(versions.at(-1)!.reason).toBe("imported");
    // A community worker cannot see the street: 404, as for any record out of scope.
    expect((await t.as(worker, "POST", url("&dryRun=true"), good)).statusCode).toBe(404);
  });

  it("lists divisions for a logged-in user", async () => {
    const r = await t.as(admin, "GET", "/api/divisions?parent=510107");
    expect(r.statusCode).toBe(200);
    expect((r.json() as { items: { name: string }[] }).items.map((d) => d.name)).toContain("玉林街道");
  });
});
