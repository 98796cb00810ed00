/** `gongzhi import buildings …` through the real command: progress lines on stderr, the report, nothing written on problems. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../platform/db/index.js";
import { gongzhi } from "../../test-support/cli.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-ledger-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("gongzhi import <kind> on pglite", () => {
  it("imports a buildings ledger with progress lines, and refuses a bad one writing nothing", async () => {
    const env = { GONGZHI_DATA_DIR: dir };
    expect((await gongzhi(["migrate"], env)).code).toBe(0);
    const database = await openDatabase({ dataDir: path.join(dir, "pgdata") });
    const street = "00000000-0000-4000-8000-00000000000a";
    const community = "00000000-0000-4000-8000-00000000000b";
    const grid = "00000000-0000-4000-8000-00000000000c";
    const boundary = JSON.stringify({ type: "Polygon", coordinates: [[[104, 30], [104.01, 30], [104.01, 30.01], [104, 30.01], [104, 30]]] });
    await database.query(
      `insert into areas (id, parent_id, level, code, name, path, depth, boundary, min_lng, min_lat, max_lng, max_lat) values
       ('${street}', null, 'street', '990101001', '测试街道', '/${street}/', 0, null, null, null, null, null),
       ('${community}', '${street}', 'community', '990101001001', '甲社区', '/${street}/${community}/', 1, null, null, null, null, null),
       ('${grid}', '${community}', 'grid', '990101001001001', '甲社区第一网格', '/${street}/${community}/${grid}/', 2, '${boundary}', 104, 30, 104.01, 30.01)`,
    );
    await database.close();
    expect((await gongzhi(["user", "add", "zhangjs", "--name", "张建设", "--role", "communityWorker", "--area", "990101001001", "--password-stdin"], env, "Yulin-street-2026\n")).code).toBe(0);

    const good = path.join(dir, "楼栋.csv");
    fs.writeFileSync(good, "小区,楼栋名称,层数,单元数,经度,纬度\n玉林小区,1栋,6,2,104.002,30.002\n玉林小区,2栋,7,1,104.004,30.004\n");
    const dry = await gongzhi(["import", "buildings", good, "--area", "990101001001", "--as", "zhangjs", "--dry-run"], env);
    expect(dry.stderr).toContain("校验 2/2");
    expect(dry.stdout).toMatch(/dry run: all 2 rows are valid/);
    expect(dry.code).toBe(0);
    const done = await gongzhi(["import", "buildings", good, "--area", "990101001001", "--as", "zhangjs"], env);
    expect(done.stderr, done.stderr).toContain("写入 2/2");
    const lines = done.stderr.trim().split("\n");
    expect(lines.findIndex((l) => l.startsWith("校验"))).toBeLessThan(lines.findIndex((l) => l.startsWith("写入")));
    expect(done.stdout).toMatch(/imported 2 buildings/);
    expect(done.code).toBe(0);

    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(bad, "楼号,层数,经度,纬度,小区名\n3栋,6,104.003,30.003,玉林小区\n4栋,6,105,31,玉林小区\n");
    const mapping = path.join(dir, "mapping.json");
    fs.writeFileSync(mapping, JSON.stringify({ mapping: { compound: "小区名" } }));
    const report = path.join(dir, "report.xlsx");
    const refused = await gongzhi(["import", "buildings", bad, "--area", "990101001001", "--as", "zhangjs", "--mapping", mapping, "--report", report], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/第 3 行「经度」坐标不在任何网格内/);
    expect(refused.stderr).toMatch(/import rejected: 1 of 2 rows have problems; nothing was written/);
    expect(fs.existsSync(report)).toBe(true);
    const english = await gongzhi(["import", "buildings", bad, "--area", "990101001001", "--as", "zhangjs", "--mapping", mapping, "--lang", "en"], env);
    expect(english.code).toBe(1);
    expect(english.stderr).toMatch(/Row 3, column “经度”: the point is not inside any grid/);

    const check = await openDatabase({ dataDir: path.join(dir, "pgdata") });
    const [n] = await check.query<{ n: string }>("select count(*)::text as n from buildings");
    await check.close();
    expect(n!.n).toBe("2");
  }, 300_000);
});
