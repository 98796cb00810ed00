/** 12345 hotline import: over HTTP on both engines, and `gongzhi import hotline` as a person runs it. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { cliTargets, gongzhi } from "../../../test-support/cli.js";
import { generateDataKeysValue } from "../../../platform/pii/keys.js";
import { decryptField } from "../../../platform/pii/crypto.js";
import { dueAfter } from "../calendar.js";
import { parseCallTime } from "./hotline-import.js";

/** "YYYY-MM-DD HH:mm" in China time, `hoursAgo` before now (whole minutes). */
function callTime(hoursAgo: number): { text: string; at: Date } {
  const at = new Date(Math.floor((Date.now() - hoursAgo * 3_600_000) / 60_000) * 60_000);
  const local = new Date(at.getTime() + 8 * 3_600_000).toISOString();
  return { text: `${local.slice(0, 10)} ${local.slice(11, 16)}`, at };
}

const header = "工单编号,来电时间,诉求类别,诉求内容,经度,纬度,地址,联系人,联系电话,紧急程度";

interface Problem {
  row: number;
  column?: string;
  code?: string;
  message: string;
}

describe("parseCallTime", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  it("reads the usual ways of writing a call time as China time", () => {
    for (const v of ["2026-11-20 09:15", "2026/11/20 9:15", "2026年11月20日 09:15", "2026-11-20 09:15:00", "2026-11-20T09:15:00+08:00", "2026-11-20T01:15:00Z"]) {
      const r = parseCallTime(v, now);
      expect(r.ok && r.value.toISOString(), v).toBe("2026-11-20T01:15:00.000Z");
    }
  });
  it("refuses bad, impossible and future times", () => {
    expect(parseCallTime("2026-11-20", now)).toMatchObject({ ok: false, code: "datetime_format" });
    expect(parseCallTime("昨天下午", now)).toMatchObject({ ok: false, code: "datetime_format" });
    expect(parseCallTime("2026-02-30 10:00", now)).toMatchObject({ ok: false, code: "datetime_invalid" });
    expect(parseCallTime("2026-11-20 24:10", now)).toMatchObject({ ok: false, code: "datetime_invalid" });
    expect(parseCallTime("2026-11-23 10:00", now)).toMatchObject({ ok: false, code: "datetime_future" });
  });
});

describe.each(testEngines())("12345 hotline import over HTTP on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let streetAdmin: Session;
  let streetAdminId: string;
  let workerA: Session;
  let workerB: Session;
  let gridWorker: Session;

  const counts = async () =>
    (
      await t.database.query<Record<string, string>>(
        `select (select count(*) from cases)::text as cases, (select count(*) from case_events)::text as events, (select count(*) from audit_entries)::text as audits`,
      )
    )[0]!;
  const upload = (session: Session, csv: string, query = "", lang = "zh-CN") =>
    t.app.inject({
      method: "POST",
      url: `/api/imports/hotline?${query.startsWith("areaId=") ? query : `areaId=${s.street}${query}`}`,
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "text/csv", "x-file-name": encodeURIComponent("12345转办.csv"), "accept-language": lang },
      payload: Buffer.from(csv, "utf8"),
    });

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    cat = await seedCaseCatalogue(t.database.db, s);
    const admin = await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street });
    streetAdminId = admin.id;
    streetAdmin = await t.login(admin.username);
    workerA = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    workerB = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB })).username);
    gridWorker = await t.login((await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridA1 })).username);
  });
  afterAll(async () => t?.close());

  it("checks a good sheet on a dry run, then makes every ticket a case submitted at the time of the call", async () => {
    const c1 = callTime(30);
    const c2 = callTime(5);
    const csv = [
      header,
      `GD2026112000001,${c1.text},${cat.garbage.code},幸福路12号门口垃圾堆了三天没人清运,104.005,30.005,幸福路12号,张女士,13812345678,一般`,
      `GD2026112000002,${c2.text},占道经营,小区门口早上有人占道摆摊,104.015,30.005,,,,紧急`,
      `GD2026112000003,${c2.text},${cat.streetLight.code},路灯不亮已经一周,104.006,30.012,,,,`,
    ].join("\n");
    const before = await counts();
    const dry = await upload(streetAdmin, csv, "&dryRun=true");
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ ok: true, written: 0, summary: { total: 3, invalid: 0 }, cases: [] });
    expect(await counts()).toEqual(before);

    const res = await upload(streetAdmin, csv);
    expect(res.statusCode).toBe(200);
    const out = res.json<{ ok: boolean; written: number; cases: { row: number; ticket: string; caseId: string; caseNo: string }[] }>();
    expect(out).toMatchObject({ ok: true, written: 3 });
    expect(out.cases.map((c) => [c.row, c.ticket])).toEqual([
      [2, "GD2026112000001"],
      [3, "GD2026112000002"],
      [4, "GD2026112000003"],
    ]);
    expect(res.body).not.toContain("13812345678");
    const list = await t.database.query<{
      id: string;
      source: string;
      external_ref: string;
      submitted_at: Date;
      handle_due_at: Date;
      grid_id: string;
      level: string;
      urgency: string;
      recorded_by_user_id: string;
      reporter_user_id: string | null;
      contact_phone_enc: string | null;
      contact_phone_masked: string | null;
      location_text: string | null;
      status: string;
    }>("select * from cases where source = 'hotline' order by external_ref");
    expect(list.map((c) => [c.external_ref, c.grid_id, c.level, c.urgency, c.status])).toEqual([
      ["GD2026112000001", s.gridA1, "grid", "normal", "submitted"],
      ["GD2026112000002", s.gridB1, "community", "urgent", "submitted"],
      ["GD2026112000003", s.gridA2, "department", "normal", "submitted"],
    ]);
    const first = list[0]!;
    expect(new Date(first.submitted_at).toISOString()).toBe(c1.at.toISOString());
    expect(new Date(first.handle_due_at).toISOString()).toBe(dueAfter(c1.at, 4, "workingHours")!.toISOString());
    expect(first).toMatchObject({ recorded_by_user_id: streetAdminId, reporter_user_id: null, contact_phone_masked: "138****5678", location_text: "幸福路12号" });
    expect(decryptField(t.keyring, first.contact_phone_enc!, "cases.contact_phone")).toBe("13812345678");
    const after = await counts();
    // Each case: a submission event and its receipt; plus one entry for the import.
    expect(Number(after.events) - Number(before.events)).toBe(3);
    expect(Number(after.audits) - Number(before.audits)).toBe(4);
    const [imp] = await t.database.query<{ summary: { rows: number } }>("select summary from audit_entries where action = 'cases.hotline_import'");
    expect(imp!.summary.rows).toBe(3);

    // The same sheet again: every ticket is already in, nothing is written.
    const again = await upload(streetAdmin, csv);
    expect(again.statusCode).toBe(422);
    const problems = again.json<{ problems: Problem[] }>().problems;
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, "工单编号", "ticket_imported"],
      [3, "工单编号", "ticket_imported"],
      [4, "工单编号", "ticket_imported"],
    ]);
    expect(problems[0]!.message).toContain(out.cases[0]!.caseNo);
    expect(await counts()).toEqual(after);
  });

  it("refuses a sheet with bad rows, naming each row and column without the values, and writes nothing", async () => {
    const ok = callTime(2).text;
    const csv = [
      header,
      `HX-1,${ok},9999,类别不存在,104.005,30.005,,,,`,
      `HX-2,${ok},${cat.garbage.code},坐标在网格外,104.5,30.5,,,,`,
      `HX-3,${ok},${cat.garbage.code},电话不对,104.005,30.005,,李先生,1391234,`,
      `HX-4,${ok},${cat.garbage.code},,104.005,30.005,,,,`,
      `HX-5,明天上午,${cat.garbage.code},时间不对,104.005,30.005,,,,`,
      `HX-6,${callTime(-48).text},${cat.garbage.code},时间在将来,104.005,30.005,,,,`,
      `HX-7,${ok},${cat.garbage.code},重复工单一,104.005,30.005,,,,`,
      `HX-7,${ok},${cat.garbage.code},重复工单二,104.005,30.005,,,,`,
      `HX-9,${ok},${cat.garbage.code},紧急程度不对,104.005,30.005,,,,非常急`,
      `HX-10,${ok},${cat.garbage.code},这一行是好的,104.005,30.005,,,,`,
    ].join("\n");
    const before = await counts();
    const res = await upload(streetAdmin, csv);
    expect(res.statusCode).toBe(422);
    const body = res.json<{ code: string; message: string; problems: Problem[]; summary: { total: number; invalid: number } }>();
    expect(body.code).toBe("import_rejected");
    expect(body.message).toBe("共 10 行，其中 8 行有问题，未写入任何数据；请按报告修改后重新导入");
    expect(body.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, "诉求类别", "category_unknown"],
      [3, "经度", "point_outside_grids"],
      [4, "联系电话", "phone_format"],
      [5, "诉求内容", "required"],
      [6, "来电时间", "datetime_format"],
      [7, "来电时间", "datetime_future"],
      [9, "工单编号", "duplicate_in_file"],
      [10, "紧急程度", "urgency_invalid"],
    ]);
    expect(body.problems[0]!.message).toBe("第 2 行「诉求类别」没有这个诉求类别（应填写现行分类目录中小类的编码或名称）");
    expect(res.body).not.toContain("1391234");
    expect(res.body).not.toContain("李先生");
    expect(await counts()).toEqual(before);

    const en = await upload(streetAdmin, csv, "", "en");
    expect(en.json<{ problems: Problem[] }>().problems[1]!.message).toBe("Row 3, column “经度”: the point is not inside any grid; check the longitude and latitude (WGS 84)");
  });

  it("is for the street administrator and community workers of the area; a point outside the area is refused", async () => {
    const csv = [header, `QY-1,${callTime(1).text},${cat.garbage.code},乙社区的问题,104.015,30.005,,,,`].join("\n");
    const before = await counts();
    const outside = await upload(workerA, csv, `areaId=${s.communityA}`);
    expect(outside.statusCode).toBe(422);
    expect(outside.json<{ problems: Problem[] }>().problems[0]).toMatchObject({ row: 2, column: "经度", code: "point_outside_area" });
    expect(outside.json<{ problems: Problem[] }>().problems[0]!.message).toContain("乙社区第一网格");
    expect((await upload(workerB, csv, `areaId=${s.communityA}`)).statusCode).toBe(404);
    expect((await upload(gridWorker, csv, `areaId=${s.gridA1}`)).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    const fine = await upload(workerB, csv, `areaId=${s.communityB}`);
    expect(fine.statusCode).toBe(200);
    const template = await t.as(workerB, "GET", `/api/imports/hotline/template?areaId=${s.communityB}`);
    expect(template.statusCode).toBe(200);
    expect(template.headers["content-type"]).toContain("spreadsheetml");
  });

  it("refuses a file that is not a sheet", async () => {
    const res = await upload(streetAdmin, "");
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
  });
});

const { targets, tempDir, cleanup } = cliTargets("hotline");
afterAll(cleanup);

describe.each(targets)("gongzhi import hotline on $name", (target) => {
  it("imports a good sheet (dry run first) and refuses a bad one writing nothing", async () => {
    const env = { ...(await target.env()), GONGZHI_DATA_KEYS: generateDataKeysValue() };
    expect((await gongzhi(["migrate"], env)).code).toBe(0);
    const street = "00000000-0000-4000-8000-0000000000a1";
    const community = "00000000-0000-4000-8000-0000000000a2";
    const grid = "00000000-0000-4000-8000-0000000000a3";
    const boundary = JSON.stringify({ type: "Polygon", coordinates: [[[104, 30], [104.01, 30], [104.01, 30.01], [104, 30.01], [104, 30]]] });
    await target.query(
      env,
      `insert into areas (id, parent_id, level, code, name, path, depth, boundary, min_lng, min_lat, max_lng, max_lat) values
       ('${street}', null, 'street', '990101001', '测试街道', '/${street}/', 0, null, null, null, null, null),
       ('${community}', '${street}', 'community', '990101001001', '甲社区', '/${street}/${community}/', 1, null, null, null, null, null),
       ('${grid}', '${community}', 'grid', '990101001001001', '甲社区第一网格', '/${street}/${community}/${grid}/', 2, '${boundary}', 104, 30, 104.01, 30.01)`,
    );
    await target.query(
      env,
      "insert into case_catalogues (id, version, status, published_at) values ('00000000-0000-4000-8000-0000000000b1', 1, 'active', now())",
    );
    await target.query(
      env,
      "insert into case_categories (id, catalogue_id, parent_id, code, name) values ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-0000000000b1', null, '01', '市容环境')",
    );
    await target.query(
      env,
      `insert into case_categories (catalogue_id, parent_id, code, name, response_limit_value, response_limit_unit, handle_limit_value, handle_limit_unit, first_level, responsibility)
         values ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-0000000000b2', '0101', '暴露垃圾', 1, 'workingHours', 4, 'workingHours', 'grid', 'territory')`,
    );
    const added = await gongzhi(["user", "add", "wangjd", "--name", "王建东", "--role", "streetAdmin", "--area", "990101001", "--password-stdin"], env, "Yulin-street-2026\n");
    expect(added.code, added.stderr).toBe(0);
    const dir = tempDir("hotline");
    const good = path.join(dir, "12345.csv");
    fs.writeFileSync(good, [header, `CLI-1,${callTime(3).text},暴露垃圾,菜市场门口垃圾成堆,104.005,30.005,,,13900001111,`, `CLI-2,${callTime(2).text},0101,河边垃圾,104.006,30.006,,,,特急`].join("\n"));
    const dry = await gongzhi(["import", "hotline", good, "--area", "990101001", "--as", "wangjd", "--dry-run"], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/dry run: all 2 tickets are valid; nothing written/);
    expect(await target.query(env, "select count(*)::int as n from cases")).toEqual([{ n: 0 }]);
    const done = await gongzhi(["import", "hotline", good, "--area", "990101001", "--as", "wangjd"], env);
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/imported 2 hotline tickets as cases GZ\d{14}–GZ\d{14}/);
    expect(await target.query(env, "select external_ref, urgency, source from cases order by external_ref")).toEqual([
      { external_ref: "CLI-1", urgency: "normal", source: "hotline" },
      { external_ref: "CLI-2", urgency: "emergency", source: "hotline" },
    ]);

    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(bad, [header, `CLI-3,${callTime(1).text},暴露垃圾,好的一行,104.005,30.005,,,,`, `CLI-1,${callTime(1).text},暴露垃圾,已导入过,104.005,30.005,,,,`].join("\n"));
    const refused = await gongzhi(["import", "hotline", bad, "--area", "990101001", "--as", "wangjd"], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/第 3 行「工单编号」该工单已经导入过（案件 GZ\d{14}）/);
    expect(refused.stderr).toMatch(/import rejected: 1 of 2 rows have problems; nothing was written/);
    expect(await target.query(env, "select count(*)::int as n from cases")).toEqual([{ n: 2 }]);
  }, 600_000);
});
