/**
 * Row messages of ledger imports in the request's language, on both engines: Chinese by default
 * (unchanged), English with `Accept-Language: en`, each with a stable code and never a personal
 * value. And buildings land only in grids in force: after a split, a point in a part goes to the
 * part, not to the retired grid.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { makeIdNumber } from "../../platform/pii/validate.js";
import { actorOf } from "../../platform/auth/service.js";
import { GridIndex } from "../../modules/areas/index.js";
import { importLedger } from "./import.js";
import { ImportJobs, localizeJob } from "./jobs.js";

type Problem = { row: number; field?: string; column?: string; code?: string; reason: string; message: string; messageEn?: string };

describe.each(testEngines())("ledger messages in two languages on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  let workerId: string;
  const upload = (kind: string, csv: string, opts: { lang?: string; query?: string; areaId?: string } = {}) =>
    t.app.inject({
      method: "POST",
      url: `/api/imports/${kind}?areaId=${opts.areaId ?? s.communityA}${opts.query ?? ""}`,
      headers: {
        cookie: worker.cookie,
        "x-csrf-token": worker.csrf,
        "content-type": "text/csv",
        "x-file-name": encodeURIComponent("台账.csv"),
        ...(opts.lang ? { "accept-language": opts.lang } : {}),
      },
      payload: csv,
    });
  const good = makeIdNumber("990107", "1948-05-06", 13);
  const other = makeIdNumber("990107", "1960-01-02", 24);
  const badCheck = `${good.slice(0, 17)}${good.endsWith("0") ? "1" : "0"}`;
  const csv = [
    "姓名,性别,身份证号,联系电话,与户主关系,住址",
    `王建国,男,${good},13812345678,户主,没有这个地址1号`, // row 2: no household at this address
    `李秀英,未知,${badCheck},13812345679,配偶,没有这个地址1号`, // row 3: gender, check digit
    `,男,${other},,子女,没有这个地址1号`, // row 4: name empty
    `张伟,男,${good},,户主,没有这个地址2号`, // row 5: the same ID number as row 2
  ].join("\n");

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "990800");
    const w = await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA });
    workerId = w.id;
    worker = await t.login(w.username);
  });
  afterAll(async () => t?.close());

  it("answers row problems in Chinese by default and in English when asked, with the same codes", async () => {
    const zh = await upload("persons", csv);
    expect(zh.statusCode).toBe(422);
    const zhProblems = (zh.json() as { problems: Problem[] }).problems;
    expect(zhProblems.map((p) => p.message)).toEqual([
      "第 2 行「住址」本辖区没有这个住址的户，请先登记户或核对住址",
      "第 3 行「性别」性别应填写“男”或“女”",
      "第 3 行「身份证号」身份证号码校验位不正确，请逐位核对",
      "第 4 行「姓名」不能为空",
      "第 5 行「住址」本辖区没有这个住址的户，请先登记户或核对住址",
      "第 5 行「身份证号」与第 2 行重复",
    ]);
    // The English copy is not sent to a Chinese reader.
    expect(zhProblems.every((p) => p.messageEn === undefined)).toBe(true);

    const en = await upload("persons", csv, { lang: "en-US,en;q=0.9" });
    expect(en.statusCode).toBe(422);
    const body = en.json() as { message: string; problems: Problem[] };
    expect(body.message).toMatch(/^4 of 4 rows have problems; nothing was written/);
    expect(body.problems.map((p) => p.message)).toEqual([
      "Row 2, column “住址”: no household of the area has this address; register the household first or check the address",
      "Row 3, column “性别”: gender must be “男” (male) or “女” (female)",
      "Row 3, column “身份证号”: the check digit of the ID number is wrong; check it digit by digit",
      "Row 4, column “姓名”: must not be empty",
      "Row 5, column “住址”: no household of the area has this address; register the household first or check the address",
      "Row 5, column “身份证号”: repeats row 2",
    ]);
    expect(body.problems.map((p) => p.code)).toEqual(["household_not_found", "gender_invalid", "id_checksum", "required", "household_not_found", "duplicate_in_file"]);
    expect(zhProblems.map((p) => p.code)).toEqual(body.problems.map((p) => p.code));
    expect(body.problems[1]!.reason).toBe("gender must be “男” (male) or “女” (female)");
    // No personal value in either language: ID numbers, names, addresses.
    for (const text of [JSON.stringify(body.problems), JSON.stringify(zhProblems)]) {
      for (const secret of [good, badCheck, other, good.slice(6, 14), "王建国", "李秀英", "没有这个地址"]) expect(text).not.toContain(secret);
    }
  });

  it("gives English cell messages of the other ledgers with their parameters", async () => {
    const b = await upload("buildings", "小区,楼栋名称,层数,经度,纬度\n幸福小区,1栋,二百,104.005,30.005\n幸福小区,2栋,6,204.1,30.005\n幸福小区,3栋,6,104.015,30.005\n", { lang: "en" });
    expect(b.statusCode).toBe(422);
    expect((b.json() as { problems: Problem[] }).problems.map((p) => [p.row, p.code, p.message])).toEqual([
      [2, "integer_expected", "Row 2, column “层数”: must be a whole number (1–120)"],
      [3, "coordinate_range", "Row 3, column “经度”: the longitude must be between 73 and 136 (inside China, WGS 84)"],
      [4, "point_outside_area_in", "Row 4, column “经度”: the point lies outside the chosen area (in “乙社区第一网格”); check the longitude and latitude or choose another area"],
    ]);
    const h = await upload("households", "小区,楼栋,单元,房号,户主姓名,户人数\n幸福小区,9栋,1,502,王建国,3\n", { lang: "en" });
    expect(h.statusCode).toBe(422);
    expect((h.json() as { problems: Problem[] }).problems.map((p) => p.message)).toEqual([
      "Row 2, column “楼栋”: the chosen area has no “9栋” in “幸福小区”; import the buildings ledger first or check the compound and building names",
    ]);
  });

  it("localizes import jobs: problems and failures in the language asked", async () => {
    const jobs = new ImportJobs();
    const job = jobs.start({ ownerId: "u", kind: "persons", areaId: s.communityA, dryRun: true }, async () => ({
      ok: false,
      written: 0,
      summary: { total: 1, valid: 0, invalid: 1, problemCount: 1, omittedProblems: 0 },
      problems: [{ row: 2, column: "姓名", field: "name", code: "required", reason: "不能为空", reasonEn: "must not be empty", message: "第 2 行「姓名」不能为空", messageEn: "Row 2, column “姓名”: must not be empty" }],
      mapping: {},
      headers: ["姓名"],
    }));
    for (let i = 0; i < 50 && jobs.get(job.id, "u")!.phase !== "done"; i++) await new Promise((r) => setImmediate(r));
    const done = jobs.get(job.id, "u")!;
    expect(done.phase).toBe("done");
    expect(localizeJob(done, "en").outcome!.problems[0]).toEqual({ row: 2, column: "姓名", field: "name", code: "required", reason: "must not be empty", message: "Row 2, column “姓名”: must not be empty" });
    expect(localizeJob(done, "zh-CN").outcome!.problems[0]!.message).toBe("第 2 行「姓名」不能为空");
  });

  it("places a building in the part of a split grid, never in the retired grid", async () => {
    // An index loaded before the split that does not catch up (as another process might lag).
    const stale = new GridIndex();
    await stale.refresh(t.database.db);
    stale.refresh = async () => undefined;
    const cut = { type: "LineString", coordinates: [[104.005, 29.995], [104.005, 30.0125]] };
    const split = await t.as(worker, "POST", `/api/areas/${s.gridA1}/split`, { cutLine: cut });
    expect(split.statusCode, split.body).toBe(201);
    const parts = (split.json() as { grids: { id: string; name: string }[] }).grids;
    const [west] = await t.database.query<{ id: string }>("select id from areas where parent_id = $1 and level = 'grid' and min_lng < 104.004 and max_lat <= 30.0101 and valid_to is null", [s.communityA]);
    expect(parts.map((p) => p.id)).toContain(west!.id);
    const res = await upload("buildings", "小区,楼栋名称,层数,经度,纬度,所属网格\n拆分小区,1栋,6,104.002,30.004,\n");
    expect(res.statusCode, res.body).toBe(200);
    const [b] = await t.database.query<{ grid_id: string }>("select b.grid_id from buildings b join compounds c on c.id = b.compound_id where c.name = '拆分小区'");
    expect(b!.grid_id).toBe(west!.id);
    expect(b!.grid_id).not.toBe(s.gridA1);
    // Naming the retired grid is a mismatch with the grid in force there.
    const named = await upload("buildings", "小区,楼栋名称,层数,经度,纬度,所属网格\n拆分小区,2栋,6,104.002,30.004,甲社区第一网格\n", { lang: "en" });
    expect(named.statusCode).toBe(422);
    expect((named.json() as { problems: Problem[] }).problems[0]).toMatchObject({ code: "grid_mismatch", field: "grid" });
    // The stale index still finds the retired grid there: the row is refused, nothing lands in it.
    const actor = await actorOf(t.database.db, workerId);
    const outcome = await importLedger(t.database.db, t.keyring, actor, "buildings", {
      areaId: s.communityA,
      file: { bytes: Buffer.from("小区,楼栋名称,层数,经度,纬度\n拆分小区,3栋,6,104.002,30.004\n"), fileName: "楼栋.csv" },
      gridIndex: stale,
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.problems.map((p) => p.code)).toEqual(["point_in_retired_grid"]);
    const [inRetired] = await t.database.query<{ n: string }>("select count(*)::text as n from buildings where grid_id = $1", [s.gridA1]);
    expect(inRetired!.n).toBe("0");
  });
});
