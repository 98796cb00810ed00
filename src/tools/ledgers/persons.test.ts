import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { makeIdNumber } from "../../platform/pii/validate.js";
import { writeXlsx } from "../../platform/tabular/index.js";

const A1 = "测试市测试区测试街道幸福路12号3栋2单元502室";
const A2 = "测试市测试区测试街道幸福路14号1栋1单元101室";

describe.each(testEngines())("persons ledger import on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  const upload = (body: Buffer | string, opts: { fileName?: string; areaId?: string; dryRun?: boolean; contentType?: string; mapping?: Record<string, string | null>; ignore?: string[] } = {}) =>
    t.app.inject({
      method: "POST",
      url: `/api/imports/persons?areaId=${opts.areaId ?? s.communityA}${opts.dryRun ? "&dryRun=true" : ""}`,
      headers: {
        cookie: worker.cookie,
        "x-csrf-token": worker.csrf,
        "content-type": opts.contentType ?? "text/csv",
        "x-file-name": encodeURIComponent(opts.fileName ?? "人员台账.csv"),
        ...(opts.mapping ? { "x-column-mapping": encodeURIComponent(JSON.stringify(opts.mapping)) } : {}),
        ...(opts.ignore ? { "x-ignore-columns": encodeURIComponent(JSON.stringify(opts.ignore)) } : {}),
      },
      payload: body,
    });
  const count = async () => Number((await t.database.query<{ n: string }>("select count(*)::text as n from persons"))[0]!.n);
  const id1 = makeIdNumber("990107", "1948-05-06", 13);
  const id2 = makeIdNumber("990107", "1951-11-20", 24);
  const id3 = makeIdNumber("990107", "2012-02-29", 35);

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    worker = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
  });
  afterAll(async () => t?.close());

  it("validates a clean ledger in a dry run, then writes every row, encrypted", async () => {
    const csv = `姓名,性别,公民身份号码,手机号,与户主关系,家庭住址,人员类别\n王秀英,女,${id2},13800001111,配偶,${A1},独居老人\n李建国,男,${id1},,户主,${A2},退役军人、志愿者\n李小雨,男,${id3},,孙子女,${A2},\n`;
    const before = await count();
    const dry = await upload(csv, { dryRun: true });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ ok: true, written: 0, mapping: { idNumber: "公民身份号码", address: "家庭住址", tags: "人员类别" } });
    expect(await count()).toBe(before);
    const res = await upload(csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, written: 3 });
    expect(await count()).toBe(before + 3);
    const [p] = await t.database.query<{ id_number_enc: string; id_number_masked: string; tags: string[]; birth_year: number; household_id: string }>(
      "select id_number_enc, id_number_masked, tags, birth_year, household_id from persons where name = '李建国'",
    );
    expect(p!.id_number_enc).not.toContain(id1);
    expect(p!.id_number_masked).toBe(`9901**********${id1.slice(-4)}`);
    expect(p!.tags).toEqual(["veteran", "volunteer"]);
    expect(p!.birth_year).toBe(1948);
    expect(p!.household_id).toBe(s.householdA2);
  });

  it("rejects the whole file when any row is bad, naming each row and column without the values", async () => {
    const badSum = `${id1.slice(0, 17)}${id1.endsWith("1") ? "2" : "1"}`;
    const fresh = makeIdNumber("990107", "1970-01-01", 47);
    const csv = [
      "姓名,性别,身份证号,联系电话,与户主关系,住址",
      `赵桂兰,女,${makeIdNumber("990107", "1955-03-03", 22)},13800002222,户主,${A1}`,
      `钱国华,男,${badSum},,户主,${A1}`,
      `孙建军,男,${fresh},,户主,测试市不存在的地址1号`,
      `周红梅,女,${fresh},,配偶,${A1}`,
      `吴晓明,女,${makeIdNumber("990107", "1980-08-08", 51)},,户主,${A1}`,
      `郑立新,男,${id1},,户主,${A1}`,
      `冯丽,女,${makeIdNumber("990107", "1990-09-09", 62)},12345,子女,${A1}`,
    ].join("\n");
    const before = await count();
    const res = await upload(csv);
    expect(res.statusCode).toBe(422);
    const body = res.json() as { code: string; message: string; written: number; problems: { row: number; field?: string; message: string }[] };
    expect(body.code).toBe("import_rejected");
    expect(body.written).toBe(0);
    const byRow = (row: number) => body.problems.filter((p) => p.row === row).map((p) => p.field);
    expect(byRow(2)).toEqual([]);
    expect(byRow(3)).toEqual(["idNumber"]);
    expect(byRow(4)).toEqual(["address"]);
    expect(byRow(5)).toContain("idNumber"); // same number as row 4
    expect(byRow(6)).toEqual(["gender"]); // the 17th digit says male
    expect(byRow(7)).toEqual(["idNumber"]); // already in the registry
    expect(byRow(8)).toEqual(["phone"]);
    expect(body.message).toMatch(/未写入任何数据/);
    expect(res.body).not.toContain(badSum.slice(6, 14));
    expect(res.body).not.toContain(fresh.slice(6, 14));
    expect(res.body).not.toContain("13800002222");
    expect(await count()).toBe(before);
  });

  it("reads .xlsx ledgers too", async () => {
    const xlsx = await writeXlsx({
      sheetName: "人员",
      columns: [
        { header: "姓名", key: "name" },
        { header: "身份证号", key: "id" },
        { header: "与户主关系", key: "rel" },
        { header: "住址", key: "addr" },
      ],
      rows: [{ name: "陈淑珍", id: makeIdNumber("990107", "1946-12-12", 72), rel: "父母", addr: A1 }],
    });
    const res = await upload(xlsx, { fileName: "台账.xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ written: 1 });
  });

  it("answers wrong files, empty files, unknown columns and other communities clearly", async () => {
    const before = await count();
    const pdf = await upload(Buffer.from("%PDF-1.7\n..."), { fileName: "scan.pdf", contentType: "application/octet-stream" });
    expect(pdf.statusCode).toBe(415);
    expect(pdf.json()).toMatchObject({ code: "unsupported_file_type" });
    const empty = await upload("");
    expect(empty.statusCode).toBe(400);
    const unknown = await upload(`姓名,身份证号,与户主关系,住址,宠物\n张三,${makeIdNumber("990107", "1960-06-06", 81)},户主,${A1},猫\n`);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: "invalid_mapping" });
    expect((unknown.json() as { message: string }).message).toContain("宠物");
    const other = await upload(`姓名,身份证号,与户主关系,住址\n张三,${makeIdNumber("990107", "1960-06-06", 81)},户主,${A1}\n`, { areaId: s.communityB });
    expect(other.statusCode).toBe(404);
    expect(await count()).toBe(before);
  });
});
