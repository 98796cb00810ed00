/**
 * `gongzhi import grids` as a person runs it: a real process on the embedded database and, with
 * TEST_DATABASE_URL, on PostgreSQL. A bad feature is named and nothing is written; a good file is.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliTargets, gongzhi } from "../../test-support/cli.js";

const { targets, tempDir, cleanup } = cliTargets("grids");
afterAll(cleanup);

const rect = (w: number, s: number, e: number, n: number) => ({ type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const community = "00000000-0000-4000-8000-0000000000c1";

describe.each(targets)("gongzhi import grids on $name", (target) => {
  it("names the bad feature and writes nothing, then imports a good file", async () => {
    const env = await target.env();
    expect((await gongzhi(["migrate"], env)).code).toBe(0);
    await target.query(
      env,
      `insert into areas (id, level, code, name, path, depth, boundary, min_lng, min_lat, max_lng, max_lat)
       values ('${community}', 'community', '510107005001', '玉林北路社区', '/${community}/', 0, '${JSON.stringify(rect(104, 30, 104.01, 30.01))}', 104, 30, 104.01, 30.01)`,
    );
    const added = await gongzhi(["user", "add", "zhangwei", "--name", "张伟", "--role", "communityWorker", "--area", "510107005001", "--password-stdin"], env, "Yulin-street-2026\n");
    expect(added.code).toBe(0);
    const dir = tempDir("geojson");
    const bad = path.join(dir, "bad.geojson");
    fs.writeFileSync(
      bad,
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          { type: "Feature", properties: { name: "北网格" }, geometry: rect(104, 30.005, 104.01, 30.01) },
          { type: "Feature", properties: { name: "南网格" }, geometry: { type: "Polygon", coordinates: [[[104, 30], [104.01, 30], [104.01, 30.005], [104, 30.005]]] } },
        ],
      }),
    );
    const rejected = await gongzhi(["import", "grids", bad, "--community", "510107005001", "--as", "zhangwei"], env);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/第 2 个要素「南网格」的外环未闭合/);
    expect(rejected.stderr).toMatch(/import rejected: 1 of 2 features have problems; nothing was written/);
    const english = await gongzhi(["import", "grids", bad, "--community", "510107005001", "--as", "zhangwei"], { ...env, LANG: "en_US.UTF-8" });
    expect(english.code).toBe(1);
    expect(english.stderr).toMatch(/Feature 2 \(“南网格”\): the outer ring is not closed/);
    expect(await target.query(env, "select count(*)::int as n from areas where level = 'grid'")).toEqual([{ n: 0 }]);

    const good = path.join(dir, "good.geojson");
    fs.writeFileSync(
      good,
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          { type: "Feature", properties: { name: "北网格", type: "综合" }, geometry: rect(104, 30.005, 104.01, 30.01) },
          { type: "Feature", properties: { name: "南网格", type: "专属" }, geometry: rect(104, 30, 104.01, 30.005) },
        ],
      }),
    );
    const dry = await gongzhi(["import", "grids", good, "--community", "510107005001", "--as", "zhangwei", "--dry-run"], env);
    expect(dry.stdout).toMatch(/dry run: all 2 features are valid/);
    expect(await target.query(env, "select count(*)::int as n from areas where level = 'grid'")).toEqual([{ n: 0 }]);
    const done = await gongzhi(["import", "grids", good, "--community", "510107005001", "--as", "zhangwei"], env);
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/imported 2 grids: 2 new, 0 redrawn, 0 retired/);
    const grids = await target.query(env, "select code, name, grid_type from areas where level = 'grid' order by code");
    expect(grids).toEqual([
      { code: "510107005001001", name: "北网格", grid_type: "comprehensive" },
      { code: "510107005001002", name: "南网格", grid_type: "dedicated" },
    ]);
    expect(await target.query(env, "select count(*)::int as n from area_boundary_versions where reason = 'imported'")).toEqual([{ n: 2 }]);
    const noCommunity = await gongzhi(["import", "grids", good, "--as", "zhangwei"], env);
    expect(noCommunity.code).toBe(1);
    expect(noCommunity.stderr).toMatch(/--community/);
  }, 300_000);

  it("repairs when asked: the dry run lists each change, the import writes the repaired shapes", async () => {
    const env = await target.env();
    expect((await gongzhi(["migrate"], env)).code).toBe(0);
    await target.query(
      env,
      `insert into areas (id, level, code, name, path, depth, boundary, min_lng, min_lat, max_lng, max_lat)
       values ('${community}', 'community', '510107005001', '玉林北路社区', '/${community}/', 0, '${JSON.stringify(rect(104, 30, 104.01, 30.01))}', 104, 30, 104.01, 30.01)`,
    );
    expect((await gongzhi(["user", "add", "zhangwei", "--name", "张伟", "--role", "communityWorker", "--area", "510107005001", "--password-stdin"], env, "Yulin-street-2026\n")).code).toBe(0);
    const file = path.join(tempDir("geojson"), "overlap.geojson");
    // 南网格 reaches 1e-6° (about 0.11 m) into 北网格 along its whole width: about 107 m² shared.
    fs.writeFileSync(
      file,
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          { type: "Feature", properties: { name: "北网格" }, geometry: rect(104, 30.005, 104.01, 30.01) },
          { type: "Feature", properties: { name: "南网格" }, geometry: rect(104, 30, 104.01, 30.005001) },
        ],
      }),
    );
    const args = ["import", "grids", file, "--community", "510107005001", "--as", "zhangwei"];
    const dry = await gongzhi([...args, "--repair", "--repair-max-m2", "200", "--dry-run"], env);
    expect(dry.stderr).toBe("");
    expect(dry.stdout).toMatch(/^已修复：第 2 个要素「南网格」与第 1 个要素「北网格」重叠的 \d+\.\d 平方米划归第 1 个要素「北网格」/m);
    expect(dry.stdout).toMatch(/dry run: all 2 features are valid \(2 new, 0 redrawn, 0 retired, 1 repaired\); nothing written/);
    expect(await target.query(env, "select count(*)::int as n from areas where level = 'grid'")).toEqual([{ n: 0 }]);
    const done = await gongzhi([...args, "--repair", "--repair-max-m2", "200"], { ...env, LANG: "en_US.UTF-8" });
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^repaired: Feature 2 \(“南网格”\): the \d+\.\d m² it shared with feature 1/m);
    expect(done.stdout).toMatch(/imported 2 grids: 2 new, 0 redrawn, 0 retired, 1 repaired as of/);
    const [south] = await target.query(env, "select boundary from areas where name = '南网格'");
    const lats = new Set((south!.boundary as { coordinates: number[][][] }).coordinates[0]!.map((p) => p[1]));
    expect([...lats].sort()).toEqual([30, 30.005]);
  }, 300_000);
});
