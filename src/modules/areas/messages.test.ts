/**
 * Feature-level messages of grid edits in two languages: the pure checks carry a code, the Chinese
 * and the English; over HTTP (both engines) `Accept-Language: en` gets the English, and the CLI
 * follows `LANG`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliLang } from "../../platform/errors.js";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { actorOf } from "../../platform/auth/service.js";
import type { Geometry } from "./geo.js";
import { part } from "./messages.js";
import { lineIssue, partitionIssues, partitionProblems } from "./partition.js";
import { polygonProblems, topologyReport } from "./topology.js";
import { GridImportCliError, runGridImport } from "./grid-import-cli.js";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const rect = (w: number, s: number, e: number, n: number): Geometry => ({ type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const bowTie: Geometry = { type: "Polygon", coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] };

describe("grid messages (pure)", () => {
  it("names the feature and ring in both languages", () => {
    const [p] = polygonProblems(bowTie, part("subject_feature_named", { n: 2, name: "南网格" }));
    expect(p).toMatchObject({ code: "self_intersection" });
    expect(p!.message).toBe("第 2 个要素「南网格」的外环自相交：第 1 条边与第 3 条边相交于 [0.5, 0.5]");
    expect(p!.messageEn).toBe("Feature 2 (“南网格”): the outer ring crosses itself: edges 1 and 3 meet at [0.5, 0.5]");
    const hole: Geometry = {
      type: "MultiPolygon",
      coordinates: [
        [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
        [[[2, 2], [3, 2], [3, 3], [2, 3], [2, 2]], [[5, 5], [6, 5], [6, 6], [5, 5]]],
      ],
    };
    const stray = polygonProblems(hole).find((x) => x.code === "hole_outside_shell")!;
    expect(stray.message).toMatch(/^边界的第 2 个多边形的第 1 个内环不在外环之内/);
    expect(stray.messageEn).toMatch(/^The boundary: inner ring 1 of polygon 2 is not inside the outer ring: vertex \[5, 5\]/);
  });

  it("reports overlaps, gaps and parts outside in English beside the Chinese", () => {
    const community = rect(104, 30, 104.01, 30.01);
    const r = topologyReport(
      community,
      [
        { id: "a", code: "001", name: "东网格", geometry: rect(104, 30, 104.006, 30.005) },
        { id: "b", code: "002", name: "西网格", geometry: rect(104.005, 30, 104.012, 30.005) },
      ],
      { communityName: "翠苑社区" },
    );
    expect(r.overlaps[0]!.message).toMatch(/^网格「东网格」（001）与网格「西网格」（002）重叠 \d+\.\d 平方米$/);
    expect(r.overlaps[0]!.messageEn).toMatch(/^Grid “东网格” \(001\) and grid “西网格” \(002\) overlap by \d+\.\d m²$/);
    expect(r.gaps[0]!.messageEn).toMatch(/^\d+\.\d m² of community “翠苑社区” belong to no grid, within \[/);
    expect(r.outside[0]!.messageEn).toMatch(/^Grid “西网格” \(002\) has \d+\.\d m² outside the boundary of community “翠苑社区”$/);
  });

  it("explains bad splits and cutting lines in both languages, the Chinese unchanged", () => {
    const grid = rect(0, 0, 0.01, 0.01);
    const parts = [
      { name: "甲", boundary: rect(0, 0, 0.006, 0.01) },
      { name: "乙", boundary: rect(0.005, 0, 0.011, 0.01) },
    ];
    const issues = partitionIssues(grid, "老网格", parts);
    expect(issues.map((i) => i.zh)).toEqual(partitionProblems(grid, "老网格", parts));
    expect(issues.map((i) => i.code)).toEqual(["parts_overlap", "part_outside_grid"]);
    expect(issues[1]!.en).toMatch(/^The new grid “乙” has \d+\.\d m² outside the grid “老网格” it replaces$/);
    expect(lineIssue({ type: "LineString", coordinates: [[0, 0], [0, 0]] })).toEqual({ code: "line_repeated_point", zh: "切割线第 1 点与第 2 点重合", en: "Points 1 and 2 of the cutting line are the same" });
  });

  it("takes the command line's language from LANG or LC_ALL", () => {
    expect(cliLang({})).toBe("zh-CN");
    expect(cliLang({ LANG: "zh_CN.UTF-8" })).toBe("zh-CN");
    expect(cliLang({ LANG: "en_US.UTF-8" })).toBe("en");
    expect(cliLang({ LANG: "en_US.UTF-8", LC_ALL: "zh_CN.UTF-8" })).toBe("zh-CN");
    expect(cliLang({ LC_ALL: "C", LANG: "en_GB.UTF-8" })).toBe("zh-CN");
  });
});

describe.each(testEngines())("grid messages over HTTP on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  let workerId: string;
  const send = (method: "GET" | "POST", url: string, body: unknown, lang?: string) =>
    t.app.inject({
      method,
      url,
      headers: {
        cookie: worker.cookie,
        ...(method === "POST" ? { "x-csrf-token": worker.csrf, "content-type": "application/json" } : {}),
        ...(lang ? { "accept-language": lang } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
  const features = {
    type: "FeatureCollection",
    features: [
      { type: "Feature", properties: { name: "自相交网格" }, geometry: { type: "Polygon", coordinates: [[[104, 30], [104.005, 30.01], [104.005, 30], [104, 30.01], [104, 30]]] } },
      { type: "Feature", properties: { name: "重叠网格" }, geometry: rect(104, 30, 104.004, 30.004) },
      { type: "Feature", properties: {}, geometry: rect(104, 30.015, 104.001, 30.016) },
    ],
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "991000");
    const w = await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA });
    workerId = w.id;
    worker = await t.login(w.username);
  });
  afterAll(async () => t?.close());

  it("reports a grid import's features in English when asked, with codes", async () => {
    const url = `/api/imports/grids?communityId=${s.communityA}`;
    const zh = await send("POST", url, features);
    expect(zh.statusCode).toBe(422);
    const zhMessages = (zh.json() as { problems: { message: string }[] }).problems.map((p) => p.message);
    expect(zhMessages[0]).toMatch(/^第 1 个要素「自相交网格」的外环自相交/);
    const en = await send("POST", url, features, "en");
    expect(en.statusCode).toBe(422);
    const body = en.json() as { message: string; problems: { feature: number; code: string; message: string; messageEn?: string }[] };
    expect(body.message).toMatch(/^3 of 3 grid features have problems/);
    expect(body.problems.map((p) => [p.feature, p.code])).toEqual([
      [1, "self_intersection"],
      [2, "feature_overlaps_grid"],
      [3, "feature_name_missing"],
    ]);
    expect(body.problems[0]!.message).toMatch(/^Feature 1 \(“自相交网格”\): the outer ring crosses itself: edges \d and \d meet at \[/);
    expect(body.problems[1]!.message).toMatch(/^Feature 2 \(“重叠网格”\) overlaps the current grid “甲社区第一网格” by \d+\.\d m²/);
    expect(body.problems[2]!.message).toBe("Feature 3 has no grid name (properties.name)");
    expect(body.problems.every((p) => p.messageEn === undefined)).toBe(true);
  });

  it("gives the details of refused grid edits and the topology report in English", async () => {
    const split = await send("POST", `/api/areas/${s.gridA1}/split`, { parts: [] }, "en");
    expect(split.statusCode).toBe(400);
    expect(split.json()).toMatchObject({ code: "grid_split_invalid", message: "The grid cannot be split: A split needs at least 2 parts (or a cutting line)" });
    const splitZh = await send("POST", `/api/areas/${s.gridA1}/split`, { parts: [] });
    expect((splitZh.json() as { message: string }).message).toBe("无法拆分网格：拆分至少需要 2 个部分（或一条切割线）");
    const merge = await send("POST", "/api/areas/merge", { gridIds: [s.gridA1, s.gridB1], name: "合并网格", gridType: "comprehensive" }, "en");
    expect(merge.statusCode).toBe(404); // 乙社区 is out of the worker's scope: nothing revealed
    const overlap = await send("POST", "/api/areas", { communityId: s.communityA, name: "新网格", gridType: "comprehensive", boundary: rect(104, 30, 104.004, 30.004) }, "en");
    expect(overlap.statusCode).toBe(400);
    expect((overlap.json() as { message: string }).message).toMatch(/^The request is invalid: Grid “新网格” overlaps “甲社区第一网格” by \d+ m²$/);
    const future = await send("POST", `/api/areas/${s.gridA1}/split`, { cutLine: { type: "LineString", coordinates: [[104.005, 29.995], [104.005, 30.0125]] }, effectiveOn: "2999-01-01" }, "en");
    expect((future.json() as { message: string }).message).toMatch(/^The request is invalid: The effective date 2999-01-01 is after today/);

    // A gap in 甲社区: its second grid shrunk by hand.
    await t.database.query("update areas set boundary = $1::jsonb, max_lat = 30.015 where id = $2", [JSON.stringify(rect(104, 30.01, 104.01, 30.015)), s.gridA2]);
    const topo = await send("GET", `/api/areas/${s.communityA}/topology`, undefined, "en");
    expect(topo.statusCode).toBe(200);
    const report = topo.json() as { ok: boolean; gaps: { message: string; messageEn?: string }[] };
    expect(report.ok).toBe(false);
    expect(report.gaps[0]!.message).toMatch(/^\d+\.\d m² of community “甲社区” belong to no grid/);
    expect(report.gaps[0]!.messageEn).toBeUndefined();
    const topoZh = (await send("GET", `/api/areas/${s.communityA}/topology`, undefined)).json() as { gaps: { message: string }[] };
    expect(topoZh.gaps[0]!.message).toMatch(/^社区「甲社区」有 \d+\.\d 平方米不属于任何网格/);
  });

  it("writes the CLI's feature lines in the language given", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grids-"));
    const file = path.join(dir, "grids.geojson");
    fs.writeFileSync(file, JSON.stringify(features));
    const actor = await actorOf(t.database.db, workerId);
    for (const [lang, first] of [
      ["en", /^ {2}Feature 1 \(“自相交网格”\): the outer ring crosses itself/],
      ["zh-CN", /^ {2}第 1 个要素「自相交网格」的外环自相交/],
    ] as const) {
      const lines: string[] = [];
      await expect(runGridImport(t.database.db, actor, { file, community: s.communityA }, (l) => lines.push(l), lang)).rejects.toBeInstanceOf(GridImportCliError);
      expect(lines[0]).toMatch(first);
      expect(lines).toHaveLength(3);
    }
  });
});
