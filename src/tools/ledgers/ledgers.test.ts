/**
 * Ledger imports of households, party members and buildings, import jobs and exports, on both
 * engines. Each engine gets its own tiny street; counts are read from the tables, so "nothing
 * written" is checked, not assumed.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { makeIdNumber } from "../../platform/pii/validate.js";
import { readTable } from "../../platform/tabular/index.js";
import { actorOf } from "../../platform/auth/service.js";
import { organizations } from "../../modules/orgs/schema.js";
import { importLedger, type ImportStage } from "./import.js";
import { ImportJobs } from "./jobs.js";

type Problem = { row: number; field?: string; column?: string; message: string };

describe.each(testEngines())("ledger imports and exports on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  let workerId: string;
  let admin: Session;
  let otherWorker: Session;
  const upload = (kind: string, body: Buffer | string, opts: { as?: Session; fileName?: string; areaId?: string; query?: string; contentType?: string; mapping?: Record<string, string | null>; ignore?: string[] } = {}) => {
    const who = opts.as ?? worker;
    return t.app.inject({
      method: "POST",
      url: `/api/imports/${kind}?areaId=${opts.areaId ?? s.communityA}${opts.query ?? ""}`,
      headers: {
        cookie: who.cookie,
        "x-csrf-token": who.csrf,
        "content-type": opts.contentType ?? "text/csv",
        "x-file-name": encodeURIComponent(opts.fileName ?? "台账.csv"),
        ...(opts.mapping ? { "x-column-mapping": encodeURIComponent(JSON.stringify(opts.mapping)) } : {}),
        ...(opts.ignore ? { "x-ignore-columns": encodeURIComponent(JSON.stringify(opts.ignore)) } : {}),
      },
      payload: body,
    });
  };
  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
  const counts = async () => ({
    compounds: await count("compounds"),
    buildings: await count("buildings"),
    units: await count("building_units"),
    dwellings: await count("dwellings"),
    households: await count("households"),
    persons: await count("persons"),
    members: await count("party_members"),
  });
  const problemsOf = (res: { json(): unknown }) => (res.json() as { problems: Problem[] }).problems;
  const fieldsOfRow = (problems: Problem[], row: number) => problems.filter((p) => p.row === row).map((p) => p.field);

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    const w = await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA });
    workerId = w.id;
    worker = await t.login(w.username);
    admin = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    otherWorker = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
  });
  afterAll(async () => t?.close());

  describe("buildings", () => {
    it("places each building in the grid of its point, creating the compound and its units", async () => {
      const before = await counts();
      const csv = "小区,小区地址,楼栋名称,层数,单元数,经度,纬度\n幸福小区,测试市测试区测试街道幸福路12号,1栋,6,2,104.005,30.005\n幸福小区,,2栋,7层,1,104.005,30.015\n";
      const dry = await upload("buildings", csv, { query: "&dryRun=true" });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(await counts()).toEqual(before);
      const res = await upload("buildings", csv);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, written: 2 });
      const rows = await t.database.query<{ name: string; grid_id: string; floors: number; units: string; compound: string }>(
        "select b.name, b.grid_id, b.floors, (select count(*) from building_units u where u.building_id = b.id)::text as units, c.name as compound from buildings b join compounds c on c.id = b.compound_id order by b.name",
      );
      expect(rows).toEqual([
        { name: "1栋", grid_id: s.gridA1, floors: 6, units: "2", compound: "幸福小区" },
        { name: "2栋", grid_id: s.gridA2, floors: 7, units: "1", compound: "幸福小区" },
      ]);
      expect((await counts()).compounds).toBe(before.compounds + 1);
    });

    it("refuses points outside every grid or outside the area, duplicates and a wrong grid, writing nothing", async () => {
      const before = await counts();
      const csv = [
        "小区,楼栋名称,层数,经度,纬度,所属网格",
        "幸福小区,3栋,6,104.005,30.005,甲社区第一网格",
        "幸福小区,4栋,6,110.5,35.5,",
        "幸福小区,5栋,6,104.015,30.005,",
        "幸福小区,3栋,6,104.006,30.006,",
        "幸福小区,1栋,6,104.006,30.006,",
        "幸福小区,6栋,6,104.006,30.006,甲社区第二网格",
        "幸福小区,7栋,六,200,30.006,",
      ].join("\n");
      const res = await upload("buildings", csv);
      expect(res.statusCode).toBe(422);
      const p = problemsOf(res);
      expect(fieldsOfRow(p, 2)).toEqual([]);
      expect(fieldsOfRow(p, 3)).toEqual(["lng"]);
      expect(p.find((x) => x.row === 3)!.message).toMatch(/第 3 行.*不在任何网格内/);
      expect(p.find((x) => x.row === 4)!.message).toMatch(/所选区域之外（「乙社区第一网格」）/);
      expect(p.filter((x) => x.row === 5).map((x) => x.message)).toEqual(["第 5 行：「小区、楼栋名称」与第 2 行相同"]);
      expect(fieldsOfRow(p, 6)).toEqual(["name"]); // already registered
      expect(fieldsOfRow(p, 7)).toEqual(["grid"]);
      expect(fieldsOfRow(p, 8).sort()).toEqual(["floors", "lng"]);
      expect(await counts()).toEqual(before);
    });
  });

  describe("households", () => {
    const head1 = makeIdNumber("990107", "1960-03-04", 11);
    const head2 = makeIdNumber("990107", "1972-08-09", 22);

    it("creates the missing units and dwellings under registered buildings", async () => {
      const before = await counts();
      const csv = `小区,楼栋,单元,房号,户主姓名,户主身份证号,户人数,备注\n幸福小区,1栋,1,502,陈淑珍,${head1},3,独居\n幸福小区,1栋,3单元,101,刘志强,${head2},2,\n幸福小区,2栋,1单元,701,赵桂兰,,1,\n`;
      const res = await upload("households", csv);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, written: 3 });
      const after = await counts();
      expect(after.households).toBe(before.households + 3);
      expect(after.dwellings).toBe(before.dwellings + 3);
      expect(after.units).toBe(before.units + 1); // 1栋 had 1单元 and 2单元; 3单元 is new
      const [h] = await t.database.query<{ address: string; grid_id: string; floor: number; note: string }>(
        "select h.address, h.grid_id, d.floor, h.note from households h join dwellings d on d.id = h.dwelling_id where h.head_name = '陈淑珍'",
      );
      expect(h).toEqual({ address: "测试市测试区测试街道幸福路12号幸福小区1栋1单元502室", grid_id: s.gridA1, floor: 5, note: "独居" });
      expect(res.body).not.toContain(head1);
    });

    it("refuses a household in two dwellings, naming both rows, and other bad rows, writing nothing", async () => {
      // A head already registered as a person, living in another household.
      const elsewhere = makeIdNumber("990107", "1958-12-12", 99);
      const person = await upload("persons", `姓名,身份证号,与户主关系,住址\n冯丽,${elsewhere},户主,测试市测试区测试街道幸福路14号1栋1单元101室\n`);
      expect(person.statusCode, person.body).toBe(200);
      const before = await counts();
      const badSum = `${head1.slice(0, 17)}${head1.endsWith("1") ? "2" : "1"}`;
      const fresh = makeIdNumber("990107", "1980-01-02", 33);
      const csv = [
        "小区,楼栋,单元,楼层,房号,户主姓名,户主身份证号,户人数",
        `幸福小区,1栋,2,3,301,王国华,${fresh},4`,
        `幸福小区,1栋,2,4,402,王国华,${fresh},4`,
        `幸福小区,1栋,2,3,302,孙建军,${badSum},2`,
        "幸福小区,9栋,1,3,301,周红梅,,2",
        "幸福小区,1栋,1,5,502,吴晓明,,2",
        "幸福小区,1栋,1,9,901,郑立新,,2",
        `幸福小区,1栋,2,3,303,冯丽,${elsewhere},2`,
        "幸福小区,1栋,2,3,301,钱国华,,2",
      ].join("\n");
      const res = await upload("households", csv);
      expect(res.statusCode).toBe(422);
      const p = problemsOf(res);
      expect(fieldsOfRow(p, 2)).toEqual([]);
      expect(fieldsOfRow(p, 3)).toEqual(["headIdNumber"]);
      expect(p.find((x) => x.row === 3)!.message).toMatch(/^第 3 行.*与第 2 行是同一户.*房屋不同/);
      expect(fieldsOfRow(p, 4)).toEqual(["headIdNumber"]); // checksum
      expect(fieldsOfRow(p, 5)).toEqual(["building"]);
      expect(fieldsOfRow(p, 6)).toEqual(["roomNo"]); // occupied
      expect(fieldsOfRow(p, 7)).toEqual(["floor"]); // the building has 6 floors
      expect(fieldsOfRow(p, 8)).toEqual(["headIdNumber"]); // head already lives elsewhere
      expect(p.find((x) => x.row === 9)!.message).toMatch(/与第 2 行相同/);
      for (const v of [fresh, badSum, elsewhere]) expect(res.body).not.toContain(v.slice(6, 14));
      expect(res.body).not.toContain("王国华");
      expect(await counts()).toEqual(before);
    });

    it("answers a wrong file type, an empty file and an unknown column clearly, writing nothing", async () => {
      const before = await counts();
      const png = await upload("households", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), { contentType: "application/octet-stream", fileName: "photo.png" });
      expect(png.statusCode).toBe(415);
      expect(png.json()).toMatchObject({ code: "unsupported_file_type" });
      const empty = await upload("households", "");
      expect(empty.statusCode).toBe(400);
      expect(empty.json()).toMatchObject({ code: "empty_file" });
      const csv = "小区,楼栋,单元,房号,户主姓名,户人数,宠物\n幸福小区,1栋,2,305,李淑芬,2,猫\n";
      const unknown = await upload("households", csv);
      expect(unknown.statusCode).toBe(400);
      const body = unknown.json() as { code: string; message: string; issues: { code: string; column?: string }[] };
      expect(body.code).toBe("invalid_mapping");
      expect(body.issues).toContainEqual(expect.objectContaining({ code: "unmapped_column", column: "宠物" }));
      // A mapping naming a column the file does not have.
      const wrong = await upload("households", csv, { mapping: { note: "说明栏" }, ignore: ["宠物"] });
      expect(wrong.statusCode).toBe(400);
      expect((wrong.json() as { issues: unknown[] }).issues).toEqual([expect.objectContaining({ code: "unknown_column", field: "note", column: "说明栏" })]);
      // Ignoring the column on purpose lets the same file through.
      const ignored = await upload("households", csv, { ignore: ["宠物"], query: "&dryRun=true" });
      expect(ignored.statusCode, ignored.body).toBe(200);
      expect(await counts()).toEqual(before);
    });

    it("previews headers and the suggested mapping without cell values", async () => {
      const res = await upload("households", "小区名称,楼号,单元,室号,户主,人口数,宠物\n幸福小区,1栋,2,305,李淑芬,2,猫\n", { query: "" }).then(() =>
        t.app.inject({
          method: "POST",
          url: `/api/imports/households/preview?areaId=${s.communityA}`,
          headers: { cookie: worker.cookie, "x-csrf-token": worker.csrf, "content-type": "text/csv" },
          payload: "小区名称,楼号,单元,室号,户主,人口数,宠物\n幸福小区,1栋,2,305,李淑芬,2,猫\n",
        }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        rowCount: 1,
        suggestion: { compound: "小区名称", building: "楼号", unit: "单元", roomNo: "室号", headName: "户主", size: "人口数", floor: null },
        unknownHeaders: ["宠物"],
        missingRequired: [],
      });
      expect(res.body).not.toContain("李淑芬");
    });
  });

  describe("party members", () => {
    const m1 = makeIdNumber("990107", "1950-01-01", 41);
    const m2 = makeIdNumber("990107", "1985-05-05", 52);
    const m3 = makeIdNumber("990107", "1990-10-10", 63);
    const outsider = makeIdNumber("990107", "1991-11-11", 74);
    let orgId: string;

    beforeAll(async () => {
      const A1 = "测试市测试区测试街道幸福路12号3栋2单元502室";
      const B1 = "测试市测试区测试街道和平路8号5栋3单元301室";
      const persons = `姓名,身份证号,与户主关系,住址\n马秀兰,${m1},户主,${A1}\n胡志刚,${m2},子女,${A1}\n林晓燕,${m3},子女,${A1}\n`;
      expect((await upload("persons", persons)).statusCode).toBe(200);
      expect((await upload("persons", `姓名,身份证号,与户主关系,住址\n高德明,${outsider},其他,${B1}\n`, { as: admin, areaId: s.communityB })).statusCode).toBe(200);
      const [o] = await t.database.db.insert(organizations).values({ kind: "communityPartyCommittee", name: "甲社区党委", areaId: s.communityA, path: "/" }).returning({ id: organizations.id });
      orgId = o!.id;
    });

    it("matches persons by ID number, organizations by name, and keeps unknown ones as outside organizations", async () => {
      const before = await counts();
      const csv = `身份证号,姓名,党组织,状态,入党日期,工作单位,报到社区\n${m1},马秀兰,甲社区党委,离退休,1975年7月1日,,\n${m2},,某某科技有限公司党委,在职,2010/6/30,某某科技有限公司,甲社区\n`;
      const res = await upload("party-members", csv);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ ok: true, written: 2 });
      expect((await counts()).members).toBe(before.members + 2);
      const list = await t.database.query<{ party_org_id: string | null; outside_org_name: string | null; status: string; joined_on: string; report_in_community_id: string | null; work_unit: string | null }>(
        "select m.party_org_id, m.outside_org_name, m.status, m.joined_on::text as joined_on, m.report_in_community_id, m.work_unit from party_members m order by m.joined_on",
      );
      expect(list).toEqual([
        { party_org_id: orgId, outside_org_name: null, status: "retired", joined_on: "1975-07-01", report_in_community_id: null, work_unit: null },
        { party_org_id: null, outside_org_name: "某某科技有限公司党委", status: "inService", joined_on: "2010-06-30", report_in_community_id: s.communityA, work_unit: "某某科技有限公司" },
      ]);
    });

    it("refuses unknown, invalid, duplicate and mismatched members without echoing the numbers", async () => {
      const before = await counts();
      const unknown = makeIdNumber("990107", "1970-07-07", 85);
      const badSum = `${m3.slice(0, 17)}${m3.endsWith("1") ? "2" : "1"}`;
      const csv = [
        "身份证号,姓名,党组织,状态,入党日期,报到社区",
        `${m3},林晓燕,甲社区党委,在职,2015-07-01,`,
        `${unknown},,甲社区党委,在职,,`,
        `${badSum},,甲社区党委,在职,,`,
        `${m1},,甲社区党委,离退休,,`,
        `${m3},,甲社区党委,流动,,`,
        `${outsider},,甲社区党委,在职,,`,
        `${m3.slice(0, -1)}${m3.slice(-1)},王小明,甲社区党委,预备,2099-01-01,丙社区`,
      ].join("\n");
      const res = await upload("party-members", csv);
      expect(res.statusCode).toBe(422);
      const p = problemsOf(res);
      expect(fieldsOfRow(p, 2)).toEqual([]);
      expect(fieldsOfRow(p, 3)).toEqual(["idNumber"]);
      expect(p.find((x) => x.row === 3)!.message).toMatch(/人员库中没有/);
      expect(fieldsOfRow(p, 4)).toEqual(["idNumber"]);
      expect(p.find((x) => x.row === 5)!.message).toMatch(/已登记为党员/);
      expect(p.find((x) => x.row === 6)!.message).toMatch(/与第 2 行重复/);
      expect(p.find((x) => x.row === 7)!.message).toMatch(/不住在所选区域内/);
      expect(fieldsOfRow(p, 8).sort()).toEqual(["idNumber", "joinedOn", "status"]); // the same number as row 2, a status unknown, a date ahead
      for (const v of [unknown, badSum, m1, m3, outsider]) expect(res.body).not.toContain(v.slice(6, 14));
      expect(res.body).not.toContain("王小明");
      expect(await counts()).toEqual(before);
    });
  });

  describe("progress and jobs", () => {
    it("reports progress in order — read, validate, then rows written inside the transaction", async () => {
      const actor = await actorOf(t.database.db, workerId);
      const csv = ["小区,楼栋名称,层数,经度,纬度", ...[1, 2, 3, 4, 5].map((i) => `进度小区,${i}号楼,5,104.00${i},30.002`)].join("\n");
      const events: { stage: ImportStage; done: number; total?: number }[] = [];
      const outcome = await importLedger(t.database.db, t.keyring, actor, "buildings", {
        areaId: s.communityA,
        file: { bytes: Buffer.from(csv), fileName: "b.csv" },
        writeChunk: 2,
        onProgress: (stage, done, total) => events.push({ stage, done, ...(total === undefined ? {} : { total }) }),
      });
      expect(outcome).toMatchObject({ ok: true, written: 5 });
      const stages = events.map((e) => e.stage);
      const order = ["read", "validate", "write"];
      expect(stages.map((x) => order.indexOf(x))).toEqual([...stages.map((x) => order.indexOf(x))].sort((a, b) => a - b));
      expect(events.filter((e) => e.stage === "validate").at(-1)).toEqual({ stage: "validate", done: 5, total: 5 });
      expect(events.filter((e) => e.stage === "write")).toEqual([
        { stage: "write", done: 2, total: 5 },
        { stage: "write", done: 4, total: 5 },
        { stage: "write", done: 5, total: 5 },
      ]);
    });

    it("runs an async import as a job visible only to its owner, with a downloadable report", async () => {
      const waitFor = async (id: string, who: Session) => {
        for (;;) {
          const r = await t.as(who, "GET", `/api/imports/jobs/${id}`);
          const job = r.json() as { phase: string };
          if (r.statusCode !== 200 || job.phase === "done" || job.phase === "failed") return r;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      const before = await counts();
      const good = await upload("buildings", "小区,楼栋名称,层数,经度,纬度\n任务小区,1号楼,5,104.003,30.003\n", { query: "&async=true" });
      expect(good.statusCode, good.body).toBe(202);
      const jobId = (good.json() as { id: string }).id;
      expect((await t.as(otherWorker, "GET", `/api/imports/jobs/${jobId}`)).statusCode).toBe(404);
      const done = await waitFor(jobId, worker);
      expect(done.json()).toMatchObject({ phase: "done", kind: "buildings", dryRun: false, outcome: { ok: true, written: 1 }, error: null });
      expect((await counts()).buildings).toBe(before.buildings + 1);
      expect((await t.as(otherWorker, "GET", `/api/imports/jobs/${jobId}`)).statusCode).toBe(404);

      const bad = await upload("buildings", "小区,楼栋名称,层数,经度,纬度\n任务小区,2号楼,5,120,40\n", { query: "&async=true&dryRun=true" });
      const failedRows = await waitFor((bad.json() as { id: string }).id, worker);
      expect(failedRows.json()).toMatchObject({ phase: "done", outcome: { ok: false, summary: { invalid: 1 } } });
      const report = await t.as(worker, "GET", `/api/imports/jobs/${(bad.json() as { id: string }).id}/report`);
      expect(report.statusCode).toBe(200);
      const table = await readTable({ bytes: report.rawPayload, fileName: "r.xlsx" });
      expect(table.headers).toEqual(["行号", "列", "问题"]);
      expect(table.rows[0]![0]).toBe("2");

      const empty = await upload("buildings", "", { query: "&async=true" });
      const failed = await waitFor((empty.json() as { id: string }).id, worker);
      expect(failed.json()).toMatchObject({ phase: "failed", error: { code: "empty_file" }, outcome: null });
      // Out of scope is answered at once, not as a job.
      expect((await upload("buildings", "x", { areaId: s.communityB, query: "&async=true" })).statusCode).toBe(404);
    });

    it("drops finished jobs after their time to live", async () => {
      let now = 1_000;
      const jobs = new ImportJobs({ ttlMs: 100, now: () => now });
      const job = jobs.start({ ownerId: "u1", kind: "persons", areaId: "a", dryRun: true }, async (progress) => {
        progress("read", 1, 1);
        return { ok: true, written: 0, summary: { total: 1, valid: 1, invalid: 0, problemCount: 0, omittedProblems: 0 }, problems: [], mapping: {}, headers: [] };
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(jobs.get(job.id, "u1")?.phase).toBe("done");
      expect(jobs.get(job.id, "u2")).toBeUndefined();
      now += 101;
      expect(jobs.get(job.id, "u1")).toBeUndefined();
    });
  });

  describe("exports", () => {
    const xlsxOf = async (res: { rawPayload: Buffer }) => readTable({ bytes: res.rawPayload, fileName: "e.xlsx" });

    it("gives masked files to readers and clear files with a purpose to the roles allowed, audited", async () => {
      const auditCount = async (action: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from audit_entries where action = '${action}'`))[0]!.n);
      const masked = await t.as(admin, "GET", `/api/exports/persons?areaId=${s.communityA}`);
      expect(masked.statusCode, masked.body).toBe(200);
      expect(masked.headers["content-type"]).toContain("spreadsheetml");
      const mt = await xlsxOf(masked);
      expect(mt.headers).toEqual(["姓名", "性别", "身份证号", "联系电话", "与户主关系", "住址", "人员标签", "特长技能"]);
      const idCol = mt.headers.indexOf("身份证号");
      expect(mt.rows.length).toBeGreaterThan(0);
      for (const r of mt.rows) if (r[idCol]) expect(r[idCol]).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
      expect(mt.rows.map((r) => r[0])).toContain("马**");

      const refused = await t.as(admin, "POST", `/api/exports/persons`, { areaId: s.communityA, purpose: "入户走访核对" });
      expect(refused.statusCode).toBe(403);
      const noPurpose = await t.as(worker, "POST", `/api/exports/persons`, { areaId: s.communityA, purpose: "查" });
      expect(noPurpose.statusCode).toBe(400);
      const before = await auditCount("ledger.exportClear");
      const clear = await t.as(worker, "POST", `/api/exports/persons`, { areaId: s.communityA, purpose: "入户走访核对" });
      expect(clear.statusCode).toBe(200);
      const ct = await xlsxOf(clear);
      const ids = ct.rows.map((r) => r[idCol]);
      expect(ids).toContain(makeIdNumber("990107", "1950-01-01", 41));
      expect(ct.rows.map((r) => r[0])).toContain("马秀兰");
      expect(await auditCount("ledger.exportClear")).toBe(before + 1);
      const [entry] = await t.database.query<{ summary: Record<string, unknown> }>("select summary from audit_entries where action = 'ledger.exportClear' order by occurred_at desc limit 1");
      expect(entry!.summary).toMatchObject({ kind: "persons", rows: ct.rows.length, masked: false });
      expect(JSON.stringify(entry!.summary)).not.toContain("入户走访");
      const [reveal] = await t.database.query<{ purpose: string; field: string }>("select purpose, field from pii_reveals where field = 'export:persons'");
      expect(reveal).toEqual({ purpose: "入户走访核对", field: "export:persons" });
      expect((await t.as(otherWorker, "GET", `/api/exports/persons?areaId=${s.communityB}`)).statusCode).toBe(404);
    });

    it("round-trips: a clear export re-imports into the same rows", async () => {
      // Buildings of grid A1: export, remove, import the file again.
      const exported = await t.as(worker, "POST", `/api/exports/buildings`, { areaId: s.gridA1, purpose: "楼栋台账核对" });
      expect(exported.statusCode).toBe(200);
      const snapshot = async () =>
        t.database.query<{ compound: string; name: string; floors: number; lng: number; lat: number; units: string }>(
          `select c.name as compound, b.name, b.floors, b.lng, b.lat, (select count(*) from building_units u where u.building_id = b.id)::text as units
           from buildings b join compounds c on c.id = b.compound_id where b.grid_id = '${s.gridA1}' order by c.name, b.name`,
        );
      const beforeRows = await snapshot();
      expect(beforeRows.length).toBeGreaterThan(2);
      await t.database.query(`delete from building_units where building_id in (select id from buildings where grid_id = '${s.gridA1}')`);
      await t.database.query(`delete from households where dwelling_id in (select id from dwellings where grid_id = '${s.gridA1}')`);
      await t.database.query(`delete from dwellings where grid_id = '${s.gridA1}'`);
      await t.database.query(`delete from buildings where grid_id = '${s.gridA1}'`);
      const again = await upload("buildings", exported.rawPayload, { areaId: s.gridA1, fileName: "楼栋台账.xlsx", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
      expect(again.statusCode, again.body).toBe(200);
      expect(await snapshot()).toEqual(beforeRows);

      // Party members of community A: the clear file goes back in after the rows are removed.
      const members = await t.as(worker, "POST", `/api/exports/party-members`, { areaId: s.communityA, purpose: "党员台账核对" });
      const mBefore = await t.database.query<{ person_id: string; status: string; party_org_id: string | null; outside_org_name: string | null; joined_on: string }>(
        "select person_id, status, party_org_id, outside_org_name, joined_on::text as joined_on from party_members order by person_id",
      );
      await t.database.query("delete from party_members");
      const back = await upload("party-members", members.rawPayload, { fileName: "党员.xlsx", contentType: "application/octet-stream" });
      expect(back.statusCode, back.body).toBe(200);
      expect(await t.database.query("select person_id, status, party_org_id, outside_org_name, joined_on::text as joined_on from party_members order by person_id")).toEqual(mBefore);
    });

    it("round-trips households: the clear file goes back into the same dwellings", async () => {
      const exported = await t.as(worker, "POST", `/api/exports/households`, { areaId: s.gridA2, purpose: "户台账年度核对" });
      expect(exported.statusCode).toBe(200);
      const snapshot = async () =>
        t.database.query<{ dwelling_id: string; address: string; head_name: string; size: number; note: string | null }>(
          `select dwelling_id, address, head_name, size, note from households where grid_id = '${s.gridA2}' and dwelling_id in (select id from dwellings) order by address`,
        );
      const before = await snapshot();
      expect(before.length).toBeGreaterThan(0);
      await t.database.query(`delete from households where grid_id = '${s.gridA2}' and dwelling_id in (select id from dwellings)`);
      // The tiny street's own household has no dwelling row; its export row cannot go back and is left out.
      const table = await readTable({ bytes: exported.rawPayload, fileName: "户.xlsx" });
      const rows = table.rows.filter((r) => r[0] !== "");
      const csv = [table.headers.join(","), ...rows.map((r) => r.join(","))].join("\n");
      const again = await upload("households", csv, { areaId: s.gridA2 });
      expect(again.statusCode, again.body).toBe(200);
      expect(await snapshot()).toEqual(before);
    });

    it("exports households masked with the import's columns, without the staff's notes", async () => {
      await t.database.query("update households set note = '户内能人：张军（川剧）' where id = $1", [s.householdA1]);
      const analyst = await t.login((await createTestUser(t.database.db, { role: "districtAnalyst", areaId: s.street })).username);
      for (const who of [worker, analyst]) {
        const res = await t.as(who, "GET", `/api/exports/households?areaId=${s.communityA}`);
        expect(res.statusCode).toBe(200);
        const x = await xlsxOf(res);
        // Names and addresses are masked; the note (free text naming residents) is left out altogether.
        expect(x.headers).toEqual(["小区", "楼栋", "单元", "楼层", "房号", "户主姓名", "户主身份证号", "户人数", "住址"]);
        const addr = x.headers.indexOf("住址");
        for (const r of x.rows) expect(r[addr]).not.toMatch(/\d/);
        const cells = JSON.stringify(x.rows);
        expect(cells).not.toContain("刘志强");
        expect(cells).not.toContain("张军");
        expect(cells).not.toContain("能人");
      }
      // The clear file, for a role that may see clear personal data, keeps it.
      const clear = await xlsxOf(await t.as(worker, "POST", `/api/exports/households`, { areaId: s.communityA, purpose: "户台账年度核对" }));
      expect(clear.headers.at(-1)).toBe("备注");
      expect(clear.rows.map((r) => r.at(-1))).toContain("户内能人：张军（川剧）");
    });
  });

  it("lets readers who may not import see the area but not write to it", async () => {
    const gridWorker = await t.login((await createTestUser(t.database.db, { role: "gridWorker", areaId: s.communityA })).username);
    const before = await counts();
    const res = await upload("buildings", "小区,楼栋名称,层数,经度,纬度\n网格员小区,1栋,5,104.004,30.004\n", { as: gridWorker });
    expect(res.statusCode).toBe(403);
    expect((await upload("buildings", "x", { as: gridWorker, query: "&async=true" })).statusCode).toBe(403);
    expect((await t.as(gridWorker, "GET", `/api/exports/buildings?areaId=${s.communityA}`)).statusCode).toBe(200);
    expect(await counts()).toEqual(before);
  });

  it("gives an empty template with the ledger's columns", async () => {
    const res = await t.as(worker, "GET", "/api/imports/party-members/template");
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.getRow(1).values).toEqual([undefined, "身份证号", "姓名", "党组织", "状态", "入党日期", "工作单位", "报到社区"]);
  });
});
