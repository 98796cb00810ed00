/**
 * Splitting and merging grids over HTTP, on both engines: contents follow their location, grants
 * are copied, history resolves past days, and every bad request changes nothing.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { chinaDateOf } from "../../platform/calendar/index.js";

const rect = (w: number, s: number, e: number, n: number) => ({ type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const dayBefore = (n: number) => chinaDateOf(new Date(Date.now() - n * 86_400_000));

interface Reshape {
  dryRun: boolean;
  effectiveOn: string;
  grids: { id: string | null; name: string; code: string; contents: { buildings: number; dwellings: number; households: number; persons: number } }[];
  organizations: { id: string; name: string; target: number | null }[];
  grantsCopied: number;
  unlocated: { households: number; persons: number };
}

describe.each(testEngines())("grid split and merge on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let admin: Session;
  let workerA: Session;
  let workerB: Session;
  let gridWorker: Session;
  let gridWorkerId: string;
  let branchA1: string;
  let branchB1: string;
  const west = { building: "", dwelling: "", household: "", person: "" };
  const east = { building: "", dwelling: "", household: "", person: "" };
  let westGrid = "";
  let eastGrid = "";
  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
  const snapshot = async () => ({
    areas: await count("areas"),
    versions: await count("area_boundary_versions"),
    lineage: await count("area_lineage"),
    grants: await count("role_grants"),
    audit: await count("audit_entries"),
    buildingsInA1: Number((await t.database.query<{ n: string }>("select count(*)::text as n from buildings where grid_id = $1", [s.gridA1]))[0]!.n),
  });

  /** A building at (lng, lat) in a grid, with one dwelling, one household and one person. */
  async function place(gridId: string, lng: number, lat: number, into: typeof west) {
    const compound = randomUUID();
    into.building = randomUUID();
    into.dwelling = randomUUID();
    await t.database.query("insert into compounds (id, community_id, name, address) values ($1, $2, '幸福小区', '幸福路1号')", [compound, s.communityA]);
    await t.database.query("insert into buildings (id, compound_id, grid_id, name, floors, lng, lat) values ($1, $2, $3, '1栋', 6, $4, $5)", [into.building, compound, gridId, lng, lat]);
    await t.database.query("insert into building_units (id, building_id, name) values ($1, $2, '1单元')", [randomUUID(), into.building]);
    await t.database.query("insert into dwellings (id, unit_id, building_id, grid_id, floor, room_no) values ($1, $2, $3, $4, 1, '101')", [into.dwelling, randomUUID(), into.building, gridId]);
    const [h] = await t.database.query<{ id: string }>("insert into households (dwelling_id, grid_id, address, head_name, size) values ($1, $2, '幸福路1号1栋101室', '陈立新', 1) returning id", [into.dwelling, gridId]);
    into.household = h!.id;
    const [p] = await t.database.query<{ id: string }>("insert into persons (household_id, grid_id, name, gender, birth_year, relation) values ($1, $2, '陈立新', 'male', 1970, '户主') returning id", [h!.id, gridId]);
    into.person = p!.id;
  }
  const gridOf = async (table: string, id: string) => (await t.database.query<{ grid_id: string }>(`select grid_id from ${table} where id = $1`, [id]))[0]!.grid_id;

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "990300");
    admin = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    workerA = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    workerB = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB })).username);
    const gw = await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridA1 });
    gridWorkerId = gw.id;
    gridWorker = await t.login(gw.username);
    await place(s.gridA1, 104.002, 30.005, west);
    await place(s.gridA1, 104.008, 30.005, east);
    const [o] = await t.database.query<{ id: string }>("insert into organizations (kind, name, area_id, path) values ('gridPartyBranch', '甲社区第一网格党支部', $1, '/x/') returning id", [s.gridA1]);
    branchA1 = o!.id;
    const [o2] = await t.database.query<{ id: string }>("insert into organizations (kind, name, area_id, path) values ('gridPartyBranch', '乙社区第一网格党支部', $1, '/y/') returning id", [s.gridB1]);
    branchB1 = o2!.id;
  });
  afterAll(async () => t?.close());

  const cut = { type: "LineString", coordinates: [[104.005, 29.995], [104.005, 30.0125]] };

  it("lets only those who draw grids split them: grid worker 403, another community 404", async () => {
    const before = await snapshot();
    const byGridWorker = await t.as(gridWorker, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut });
    expect(byGridWorker.statusCode).toBe(403);
    const byOther = await t.as(workerB, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut });
    expect(byOther.statusCode).toBe(404);
    const mergeByGridWorker = await t.as(gridWorker, "POST", "/api/areas/merge", { gridIds: [s.gridA1, s.gridA2], name: "合并网格" });
    expect(mergeByGridWorker.statusCode).toBe(404); // A2 lies outside the grid worker's scope
    expect(await snapshot()).toEqual(before);
  });

  it("previews a split along a line without writing anything", async () => {
    const before = await snapshot();
    const res = await t.as(admin, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut, dryRun: true });
    expect(res.statusCode).toBe(200);
    const r = res.json() as Reshape;
    expect(r.dryRun).toBe(true);
    expect(r.grids.map((g) => [g.name, g.code, g.id])).toEqual([
      ["甲社区第一网格（一）", "990301001001003", null],
      ["甲社区第一网格（二）", "990301001001004", null],
    ]);
    // West part: its building, dwelling, household, person, plus the household with no dwelling on record and its person.
    expect(r.grids[0]!.contents).toEqual({ buildings: 1, dwellings: 1, households: 2, persons: 2, openCases: 0 });
    expect(r.grids[1]!.contents).toEqual({ buildings: 1, dwellings: 1, households: 1, persons: 1, openCases: 0 });
    expect(r.unlocated).toMatchObject({ households: 1, persons: 1 });
    expect(r.organizations).toEqual([{ id: branchA1, name: "甲社区第一网格党支部", kind: "gridPartyBranch", target: null }]);
    expect(await snapshot()).toEqual(before);
  });

  it("splits a grid along a line: parts, lineage, contents by location, grants copied, old grid retired", async () => {
    const res = await t.as(workerA, "POST", `/api/areas/${s.gridA1}/split`, {
      cutLine: cut,
      parts: [{ name: "幸福西网格" }, { name: "幸福东网格", gridType: "dedicated" }],
      organizations: [{ id: branchA1, part: 1 }],
    });
    expect(res.statusCode).toBe(201);
    const r = res.json() as Reshape;
    westGrid = r.grids[0]!.id!;
    eastGrid = r.grids[1]!.id!;
    expect(r.effectiveOn).toBe(chinaDateOf(new Date()));
    expect(r.grantsCopied).toBe(2);

    for (const [table, id] of [["buildings", west.building], ["dwellings", west.dwelling], ["households", west.household], ["persons", west.person]] as const) {
      expect(await gridOf(table, id), table).toBe(westGrid);
    }
    for (const [table, id] of [["buildings", east.building], ["dwellings", east.dwelling], ["households", east.household], ["persons", east.person]] as const) {
      expect(await gridOf(table, id), table).toBe(eastGrid);
    }
    expect(await gridOf("households", s.householdA1)).toBe(westGrid);
    expect(await gridOf("persons", s.personA1)).toBe(westGrid);
    const grants = await t.database.query<{ area_id: string }>("select area_id from role_grants where user_id = $1 order by area_id", [gridWorkerId]);
    expect(grants.map((g) => g.area_id).sort()).toEqual([s.gridA1, westGrid, eastGrid].sort());
    const [org] = await t.database.query<{ area_id: string }>("select area_id from organizations where id = $1", [branchA1]);
    expect(org!.area_id).toBe(eastGrid);
    const lineage = await t.database.query<{ kind: string; to_area_id: string }>("select kind, to_area_id from area_lineage where from_area_id = $1", [s.gridA1]);
    expect(lineage.map((l) => l.kind)).toEqual(["split", "split"]);
    const audit = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'grid.split' and entity_id = $1", [s.gridA1]);
    expect(audit[0]!.n).toBe("1");

    // The current tree and the point index no longer know the old grid …
    const community = (await t.as(workerA, "GET", `/api/areas/${s.communityA}`)).json() as { area: { childCount: number }; children: { id: string }[] };
    expect(community.children.map((c) => c.id).sort()).toEqual([s.gridA2, westGrid, eastGrid].sort());
    expect(community.area.childCount).toBe(3);
    const now = (await t.as(admin, "GET", "/api/areas/locate?lng=104.002&lat=30.005")).json() as { grid: { id: string } };
    expect(now.grid.id).toBe(westGrid);
    const geo = (await t.as(workerA, "GET", `/api/areas/${s.communityA}/geojson`)).json() as { features: { properties: { id: string } }[] };
    expect(geo.features.map((f) => f.properties.id)).not.toContain(s.gridA1);
    const topo = (await t.as(workerA, "GET", `/api/areas/${s.communityA}/topology`)).json() as { ok: boolean };
    expect(topo.ok).toBe(true);
    // … but history does: yesterday the point lay in the old grid, and the old grid still answers.
    const yesterday = dayBefore(1);
    const then = (await t.as(admin, "GET", `/api/areas/locate?lng=104.002&lat=30.005&at=${yesterday}`)).json() as { grid: { id: string } };
    expect(then.grid.id).toBe(s.gridA1);
    const past = (await t.as(workerA, "GET", `/api/areas/${s.communityA}?at=${yesterday}`)).json() as { children: { id: string }[] };
    expect(past.children.map((c) => c.id).sort()).toEqual([s.gridA1, s.gridA2].sort());
    const pastGeo = (await t.as(workerA, "GET", `/api/areas/${s.communityA}/geojson?at=${yesterday}`)).json() as { features: { properties: { id: string } }[] };
    expect(pastGeo.features.map((f) => f.properties.id)).toContain(s.gridA1);
    const old = await t.as(workerA, "GET", `/api/areas/${s.gridA1}`);
    expect(old.statusCode).toBe(200);
    expect(old.json()).toMatchObject({ area: { validTo: chinaDateOf(new Date()), successors: [{ kind: "split" }, { kind: "split" }] } });
    const history = (await t.as(workerA, "GET", `/api/areas/${eastGrid}/history`)).json() as { versions: { reason: string; validFrom: string; validTo: string | null }[]; predecessors: { area: { id: string } }[] };
    expect(history.versions).toEqual([expect.objectContaining({ reason: "split", validFrom: chinaDateOf(new Date()), validTo: null })]);
    expect(history.predecessors.map((p) => p.area.id)).toEqual([s.gridA1]);
    const oldHistory = (await t.as(workerA, "GET", `/api/areas/${s.gridA1}/history`)).json() as { versions: { validTo: string | null }[] };
    expect(oldHistory.versions.map((v) => v.validTo)).toEqual([chinaDateOf(new Date())]);

    // A retired grid cannot be split, redrawn or renamed again.
    expect((await t.as(workerA, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut })).json()).toMatchObject({ code: "grid_retired" });
    expect((await t.as(workerA, "PATCH", `/api/areas/${s.gridA1}`, { name: "新名称" })).statusCode).toBe(409);
  });

  it("rejects parts that overlap, leave a gap, reach outside, or are malformed, and a line that misses — changing nothing", async () => {
    const before = await snapshot();
    const cases: [unknown, RegExp][] = [
      [{ parts: [{ name: "北甲", boundary: rect(104, 30.01, 104.006, 30.02) }, { name: "北乙", boundary: rect(104.004, 30.01, 104.01, 30.02) }] }, /「北甲」与「北乙」重叠 \d+\.\d 平方米/],
      [{ parts: [{ name: "北甲", boundary: rect(104, 30.01, 104.004, 30.02) }, { name: "北乙", boundary: rect(104.006, 30.01, 104.01, 30.02) }] }, /没有覆盖原网格「甲社区第二网格」的全部范围：有 \d+\.\d 平方米未被覆盖/],
      [{ parts: [{ name: "北甲", boundary: rect(103.999, 30.01, 104.005, 30.02) }, { name: "北乙", boundary: rect(104.005, 30.01, 104.01, 30.02) }] }, /「北甲」有 \d+\.\d 平方米超出原网格/],
      [
        { parts: [{ name: "北甲", boundary: { type: "Polygon", coordinates: [[[104, 30.01], [104.005, 30.02], [104.005, 30.01], [104, 30.02], [104, 30.01]]] } }, { name: "北乙", boundary: rect(104.005, 30.01, 104.01, 30.02) }] },
        /「北甲」的外环自相交/,
      ],
      [{ parts: [{ name: "北甲", boundary: { type: "Polygon", coordinates: [[[104, 30.01], [104.005, 30.01], [104.005, 30.02], [104, 30.02]]] } }, { name: "北乙", boundary: rect(104.005, 30.01, 104.01, 30.02) }] }, /未闭合/],
      [{ cutLine: { type: "LineString", coordinates: [[104.02, 30.0], [104.03, 30.03]] } }, /切割线没有把网格「甲社区第二网格」分成两部分以上/],
      [{ parts: [{ name: "唯一", boundary: rect(104, 30.01, 104.01, 30.02) }] }, /至少需要 2 个部分/],
    ];
    for (const [body, message] of cases) {
      const res = await t.as(workerA, "POST", `/api/areas/${s.gridA2}/split`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: "grid_split_invalid" });
      expect((res.json() as { message: string }).message).toMatch(message);
    }
    const future = await t.as(workerA, "POST", `/api/areas/${s.gridA2}/split`, { cutLine: cut, effectiveOn: "2999-01-01" });
    expect(future.statusCode).toBe(400);
    expect(future.json()).toMatchObject({ code: "validation_failed", field: "effectiveOn" });
    const taken = await t.as(workerA, "POST", `/api/areas/${s.gridA2}/split`, {
      parts: [{ name: "北甲", code: "990301001001003", boundary: rect(104, 30.01, 104.005, 30.02) }, { name: "北乙", boundary: rect(104.005, 30.01, 104.01, 30.02) }],
    });
    expect(taken.statusCode).toBe(409);
    expect(await snapshot()).toEqual(before);
  });

  it("splits by given parts as of a past day: the lookup on that day already answers the parts", async () => {
    const twoDaysAgo = dayBefore(2);
    const res = await t.as(admin, "POST", `/api/areas/${s.gridA2}/split`, {
      parts: [
        { name: "北甲网格", code: "990301001001010", boundary: rect(104, 30.01, 104.005, 30.02) },
        { name: "北乙网格", boundary: rect(104.005, 30.01, 104.01, 30.02) },
      ],
      effectiveOn: twoDaysAgo,
    });
    expect(res.statusCode).toBe(201);
    const r = res.json() as Reshape;
    expect(r.grids.map((g) => g.code)).toEqual(["990301001001010", "990301001001011"]);
    expect(((await t.as(admin, "GET", `/api/areas/locate?lng=104.007&lat=30.015&at=${twoDaysAgo}`)).json() as { grid: { id: string } }).grid.id).toBe(r.grids[1]!.id);
    expect(((await t.as(admin, "GET", `/api/areas/locate?lng=104.007&lat=30.015&at=${dayBefore(3)}`)).json() as { grid: { id: string } }).grid.id).toBe(s.gridA2);
    expect(((await t.as(admin, "GET", "/api/areas/locate?lng=104.007&lat=30.015")).json() as { grid: { id: string } }).grid.id).toBe(r.grids[1]!.id);
  });

  it("refuses to merge grids that do not touch or lie in two communities, changing nothing", async () => {
    const [northWest] = await t.database.query<{ id: string }>("select id from areas where code = '990301001001010'");
    const before = await snapshot();
    // The west part of the south and the east part of the north meet only at one point.
    const [northEast] = await t.database.query<{ id: string }>("select id from areas where code = '990301001001011'");
    const apart = await t.as(workerA, "POST", "/api/areas/merge", { gridIds: [westGrid, northEast!.id], name: "合并网格" });
    expect(apart.statusCode).toBe(400);
    expect(apart.json()).toMatchObject({ code: "grid_merge_invalid" });
    expect((apart.json() as { message: string }).message).toMatch(/不相邻.*「幸福西网格」.*「北乙网格」/);
    const twoCommunities = await t.as(admin, "POST", "/api/areas/merge", { gridIds: [eastGrid, s.gridB1], name: "合并网格" });
    expect(twoCommunities.statusCode).toBe(400);
    expect((twoCommunities.json() as { message: string }).message).toMatch(/不属于同一个社区/);
    const otherCommunity = await t.as(workerA, "POST", "/api/areas/merge", { gridIds: [eastGrid, s.gridB1], name: "合并网格" });
    expect(otherCommunity.statusCode).toBe(404);
    const one = await t.as(workerA, "POST", "/api/areas/merge", { gridIds: [westGrid, westGrid], name: "合并网格" });
    expect(one.statusCode).toBe(400);
    expect(await snapshot()).toEqual(before);
    expect(northWest).toBeDefined();
  });

  it("merges neighbouring grids: one polygon, contents and grants moved, party branch re-pointed on request", async () => {
    const [b2] = await t.database.query<{ id: string }>("select id from areas where code = '990301001002002'");
    const bGridWorker = await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridB1 });
    const preview = (await t.as(workerB, "POST", "/api/areas/merge", { gridIds: [s.gridB1, b2!.id], name: "乙社区合并网格", dryRun: true })).json() as Reshape;
    expect(preview.organizations).toEqual([{ id: branchB1, name: "乙社区第一网格党支部", kind: "gridPartyBranch", target: null }]);
    expect(preview.grids[0]!.contents.households).toBe(1);
    const res = await t.as(workerB, "POST", "/api/areas/merge", { gridIds: [s.gridB1, b2!.id], name: "乙社区合并网格", gridType: "dedicated", repointOrganizations: true });
    expect(res.statusCode).toBe(201);
    const merged = (res.json() as Reshape).grids[0]!;
    expect(merged.code).toBe("990301001002003");
    expect(await gridOf("households", s.householdB1)).toBe(merged.id);
    const [org] = await t.database.query<{ area_id: string }>("select area_id from organizations where id = $1", [branchB1]);
    expect(org!.area_id).toBe(merged.id);
    const grants = await t.database.query<{ area_id: string }>("select area_id from role_grants where user_id = $1", [bGridWorker.id]);
    expect(grants.map((g) => g.area_id)).toContain(merged.id);
    const community = (await t.as(workerB, "GET", `/api/areas/${s.communityB}`)).json() as { children: { id: string }[] };
    expect(community.children.map((c) => c.id)).toEqual([merged.id]);
    const geo = (await t.as(workerB, "GET", `/api/areas/${s.communityB}/geojson`)).json() as { features: { geometry: { type: string; coordinates: number[][][] }; properties: { id: string } }[] };
    const f = geo.features.find((x) => x.properties.id === merged.id)!;
    expect(f.geometry.type).toBe("Polygon");
    expect(f.geometry.coordinates).toHaveLength(1);
    expect(((await t.as(admin, "GET", "/api/areas/locate?lng=104.015&lat=30.015")).json() as { grid: { id: string } }).grid.id).toBe(merged.id);
    const history = (await t.as(workerB, "GET", `/api/areas/${merged.id}/history`)).json() as { predecessors: { kind: string; area: { id: string } }[] };
    expect(history.predecessors.map((p) => p.area.id).sort()).toEqual([s.gridB1, b2!.id].sort());
  });

  it("redraws a grid as of a day: the old boundary answers before it; a day before the current version is refused", async () => {
    const [merged] = await t.database.query<{ id: string }>("select id from areas where code = '990301001002003'");
    const smaller = rect(104.01, 30, 104.02, 30.015);
    const early = await t.as(workerB, "PATCH", `/api/areas/${merged!.id}`, { boundary: smaller, effectiveOn: dayBefore(1) });
    expect(early.statusCode).toBe(400);
    expect((early.json() as { message: string }).message).toMatch(/现行边界自 \d{4}-\d{2}-\d{2} 起生效，生效日期不能早于该日/);
    // The same day as the merge: the day's version is replaced, not stacked.
    expect((await t.as(workerB, "PATCH", `/api/areas/${merged!.id}`, { boundary: smaller })).statusCode).toBe(200);
    const versions = await t.database.query<{ reason: string }>("select reason from area_boundary_versions where area_id = $1", [merged!.id]);
    expect(versions).toEqual([{ reason: "redrawn" }]);
    expect((await t.as(admin, "GET", "/api/areas/locate?lng=104.015&lat=30.018")).json()).toMatchObject({ code: "outside_grids" });
    // A grid of community A redrawn as of yesterday: two days ago the point still lay inside it.
    const [north] = await t.database.query<{ id: string }>("select id from areas where code = '990301001001011'");
    const redraw = await t.as(workerA, "PATCH", `/api/areas/${north!.id}`, { boundary: rect(104.005, 30.01, 104.01, 30.018), effectiveOn: dayBefore(1) });
    expect(redraw.statusCode).toBe(200);
    const history = (await t.as(workerA, "GET", `/api/areas/${north!.id}/history`)).json() as { versions: { reason: string; validFrom: string; validTo: string | null }[] };
    expect(history.versions).toEqual([
      expect.objectContaining({ reason: "split", validFrom: dayBefore(2), validTo: dayBefore(1) }),
      expect.objectContaining({ reason: "redrawn", validFrom: dayBefore(1), validTo: null }),
    ]);
    expect(((await t.as(admin, "GET", `/api/areas/locate?lng=104.007&lat=30.019&at=${dayBefore(2)}`)).json() as { grid: { id: string } }).grid.id).toBe(north!.id);
    expect((await t.as(admin, "GET", `/api/areas/locate?lng=104.007&lat=30.019&at=${dayBefore(1)}`)).json()).toMatchObject({ code: "outside_grids" });
  });
});
