/**
 * 考核指标 on both engines: cases are put straight into the table with chosen times so every rate
 * has a value worked out by hand below; month edges in China time; zero denominators are null;
 * the composite and ranks; weights validation (nothing written) and precedence (nearest area over
 * the deployment, latest month at or before); scope (404 out of scope, department staff see their own).
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createArea, createTestUser, square, type TinyStreet } from "../../test-support/factories.js";
import { seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { areas } from "../areas/schema.js";
import { roleGrants, users } from "../../platform/auth/schema.js";
import { cases, caseSummons } from "../cases/schema.js";
import { caseCountOf, compositeScore, defaultUnitFor, monthRange, rankRows, resolveWeights, shiftMonth } from "./service.js";

interface Ratio {
  numerator: number;
  denominator: number;
  value: number | null;
}
interface Row {
  unitId: string;
  unitName: string;
  measures: Record<string, Ratio>;
  meanScore: number | null;
  meanHandlingHours: number | null;
  summonsOnBehalf: number | null;
  composite: number | null;
  caseCount: number;
  tooFewCases: boolean;
  rank: number | null;
  weightsFrom: { source: string; areaId: string | null; fromMonth: string | null };
}
interface View {
  month: string;
  unit: string;
  monthSource: string;
  latestMonthWithData: string | null;
  minCases: number;
  rankRule: { zh: string; en: string };
  formulas: { key: string; formula: { zh: string; en: string } }[];
  rows: Row[];
}

/** A China wall-clock time. */
const cst = (s: string) => new Date(`${s.replace(" ", "T")}:00+08:00`);
const frac = (r: Ratio | undefined) => (r ? [r.numerator, r.denominator, r.value] : undefined);

describe("month arithmetic", () => {
  it("takes China months as UTC+8 instants and shifts across years", () => {
    const r = monthRange("2026-03");
    expect(r.start.toISOString()).toBe("2026-02-28T16:00:00.000Z");
    expect(r.end.toISOString()).toBe("2026-03-31T16:00:00.000Z");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2025-12", 1)).toBe("2026-01");
  });
  it("scales the composite over the rates that have a denominator, inverts rework and repeats", () => {
    const m = { response: { numerator: 1, denominator: 2, value: 0.5 }, resolution: { numerator: 0, denominator: 0, value: null }, rework: { numerator: 1, denominator: 4, value: 0.25 } };
    expect(compositeScore(m, { response: 50, resolution: 25, rework: 25 })).toBe(58.33); // (50×0.5 + 25×0.75) / 75
    expect(compositeScore({ resolution: m.resolution }, { resolution: 100 })).toBeNull();
    const w = [
      { area_id: null, from_month: "2026-02", weights: { response: 100 } },
      { area_id: "b", from_month: "2026-01", weights: { resolution: 100 } },
    ];
    expect(resolveWeights(w, "/a/b/c/")).toMatchObject({ source: "area", areaId: "b" });
    expect(resolveWeights(w, "/a/x/")).toMatchObject({ source: "deployment", fromMonth: "2026-02" });
    expect(resolveWeights([], "/a/")).toMatchObject({ source: "builtIn", weights: { response: 10, resolution: 45, satisfaction: 45 } });
  });
});

describe("ranking rule: units with too few cases are listed apart", () => {
  const u = (unitName: string, composite: number | null, caseCount: number) => ({ unitName, composite, caseCount, tooFewCases: false, rank: null as number | null });
  const ranks = (list: ReturnType<typeof u>[]) => list.map((r) => [r.unitName, r.rank, r.tooFewCases]);

  it("does not rank a 100 % on one case above 94 % on sixteen", () => {
    expect(ranks(rankRows([u("一格", 100, 1), u("二格", 94, 16)], 5))).toEqual([
      ["二格", 1, false],
      ["一格", null, true],
    ]);
  });
  it("ranks a unit with exactly the minimum, shares ranks on ties (1, 1, 3), orders the unranked by cases", () => {
    const out = rankRows([u("甲", 80, 5), u("乙", 90, 7), u("丙", 90, 9), u("丁", 99, 4), u("戊", 70, 2), u("己", null, 0), u("庚", 60, 6)], 5);
    expect(ranks(out)).toEqual([
      ["丙", 1, false],
      ["乙", 1, false],
      ["甲", 3, false],
      ["庚", 4, false],
      ["丁", null, true],
      ["戊", null, true],
      ["己", null, false], // no composite: last, not marked as too few
    ]);
  });
  it("ranks nobody when every unit is below the minimum, and copes with none", () => {
    expect(ranks(rankRows([u("甲", 50, 1), u("乙", 100, 3)], 5))).toEqual([
      ["乙", null, true],
      ["甲", null, true],
    ]);
    expect(rankRows([], 5)).toEqual([]);
  });
  it("counts a unit's cases as the largest denominator among the weighted rates", () => {
    const m = { response: { numerator: 1, denominator: 16, value: 1 / 16 }, resolution: { numerator: 3, denominator: 4, value: 0.75 }, repeat: { numerator: 0, denominator: 30, value: 0 } };
    expect(caseCountOf(m, { response: 10, resolution: 45, satisfaction: 45 })).toBe(16);
    expect(caseCountOf(m, { resolution: 100, repeat: 0 })).toBe(4);
    expect(caseCountOf({}, { response: 100 })).toBe(0);
  });
  it("groups by the level below the area by default", () => {
    expect([1, 2, 3, 4].map(defaultUnitFor)).toEqual(["street", "community", "grid", "grid"]);
  });
});

describe.each(testEngines())("measures on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let districtId: string;
  let street2: string;
  let grid2: string;
  let analyst: Session;
  let streetAdmin: Session;
  let workerA: Session;
  let deptStaff: Session;
  let resident: Session;
  let sysAdmin: Session;
  const paths = new Map<string, string>();

  /** One case row with only the given times set; submitted in January unless said. */
  const put = async (o: Partial<typeof cases.$inferInsert> & { grid?: string }) => {
    const gridId = o.grid ?? s.gridA1;
    let path = paths.get(gridId);
    if (!path) {
      const [g] = await t.database.db.select({ path: areas.path }).from(areas).where(eq(areas.id, gridId));
      path = g!.path;
      paths.set(gridId, path);
    }
    const { grid: _grid, ...rest } = o;
    const [row] = await t.database.db
      .insert(cases)
      .values({
        caseNo: `M${randomUUID().replace(/-/g, "").slice(0, 15)}`,
        source: "resident",
        categoryId: cat.garbage.id,
        categoryCode: cat.garbage.code,
        description: "测试案件",
        status: "inProgress",
        level: "grid",
        gridId,
        areaPath: path,
        lng: 104.001,
        lat: 30.009,
        submittedAt: cst("2026-01-05 09:00"),
        ...rest,
      })
      .returning({ id: cases.id });
    return row!.id;
  };
  const get = async (who: Session, url: string) => {
    const res = await t.as(who, "GET", url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as View;
  };
  const row = (v: View, id: string) => v.rows.find((r) => r.unitId === id)!;
  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);

  beforeAll(async () => {
    t = await startTestApp(engine);
    const db = t.database.db;
    s = await buildTinyStreet(db, "990900");
    cat = await seedCaseCatalogue(db, s);
    districtId = cat.districtId;
    street2 = (await createArea(db, { parentId: districtId, level: "street", name: "第二街道", code: "99090102" })).id;
    const c2 = await createArea(db, { parentId: street2, level: "community", name: "丙社区", code: "99090102001" });
    grid2 = (await createArea(db, { parentId: c2.id, level: "grid", name: "丙社区第一网格", code: "99090102001001", boundary: square(104.1, 30, 0.01) })).id;

    analyst = await t.login((await createTestUser(db, { role: "districtAnalyst", areaId: districtId })).username);
    streetAdmin = await t.login((await createTestUser(db, { role: "streetAdmin", areaId: s.street })).username);
    workerA = await t.login((await createTestUser(db, { role: "communityWorker", areaId: s.communityA })).username);
    resident = await t.login((await createTestUser(db, { role: "resident", areaId: s.gridA1 })).username);
    sysAdmin = await t.login((await createTestUser(db, { role: "systemAdmin", areaId: s.city })).username);
    const ds = await createTestUser(db, { role: "departmentStaff", areaId: districtId });
    await db.update(roleGrants).set({ orgId: cat.departmentId }).where(eq(roleGrants.userId, ds.id));
    await db.update(users).set({ orgId: cat.departmentId }).where(eq(users.id, ds.id));
    deptStaff = await t.login(ds.username);

    // 响应率, grid A1, March 2026: 4 dispatched in March (one 00:30 on 1 March), 2 received in time → 2/4.
    await put({ dispatchedAt: cst("2026-03-02 09:00"), responseDueAt: cst("2026-03-02 10:00"), receivedAt: cst("2026-03-02 09:30") });
    await put({ dispatchedAt: cst("2026-03-02 09:00"), responseDueAt: cst("2026-03-02 10:00"), receivedAt: cst("2026-03-02 10:30") });
    await put({ dispatchedAt: cst("2026-03-03 09:00"), responseDueAt: cst("2026-03-03 10:00") });
    await put({ dispatchedAt: cst("2026-03-01 00:30"), responseDueAt: cst("2026-03-01 09:00"), receivedAt: cst("2026-03-01 08:00") });
    // …and one at 23:30 on 28 February (China time): February's, received in time.
    await put({ dispatchedAt: cst("2026-02-28 23:30"), responseDueAt: cst("2026-03-01 09:00"), receivedAt: cst("2026-03-01 08:00") });
    // Grid A2: 1 dispatched, in time → 1/1 (the department's case below).

    // 解决率 / 满意率, A1: 4 rated in March: resolved 2/4; satisfied+basic 3/4 (1/4 without basic).
    await put({ status: "rated", ratedAt: cst("2026-03-05 10:00"), rating: "satisfied", resolved: true });
    await put({ status: "rated", ratedAt: cst("2026-03-06 10:00"), rating: "basic", resolved: true });
    await put({ status: "rated", ratedAt: cst("2026-03-07 10:00"), rating: "dissatisfied", resolved: false });
    await put({ status: "rated", ratedAt: cst("2026-03-31 23:59"), rating: "basic", resolved: false });
    await put({ status: "rated", ratedAt: cst("2026-04-01 00:01"), rating: "satisfied", resolved: true }); // April

    // 按期结案率 / 结案率, A1: due in March: 3 counted (cancelled and parked left out); 1 closed in time, 2 closed.
    await put({ status: "closed", handleDueAt: cst("2026-03-10 18:00"), closedAt: cst("2026-03-09 12:00") });
    await put({ status: "closed", handleDueAt: cst("2026-03-10 18:00"), closedAt: cst("2026-03-12 12:00"), reworkCount: 1 });
    await put({ status: "inProgress", handleDueAt: cst("2026-03-20 18:00") });
    await put({ status: "cancelled", handleDueAt: cst("2026-03-20 18:00") });
    await put({ status: "parked", handleDueAt: cst("2026-03-05 18:00") });
    // 返工率, A1: closed in March: the two above and one more with rework → 2/3.
    await put({ status: "closed", handleDueAt: cst("2026-02-20 18:00"), closedAt: cst("2026-03-15 12:00"), reworkCount: 2 });

    // 重复投诉率, A1: 6 submitted in March, 4 repeats.
    await put({ submittedAt: cst("2026-02-20 09:00"), lng: 104.0055, lat: 30.005 }); // earlier, February
    await put({ submittedAt: cst("2026-03-05 09:00"), lng: 104.005, lat: 30.005 }); // repeat: ~48 m from the February one
    await put({ submittedAt: cst("2026-03-06 09:00"), lng: 104.0052, lat: 30.0051 }); // repeat: ~22 m from the one before
    await put({ submittedAt: cst("2026-02-25 09:00"), lng: 104.008, lat: 30.008, categoryId: cat.streetVending.id, categoryCode: cat.streetVending.code });
    await put({ submittedAt: cst("2026-03-05 09:00"), lng: 104.008, lat: 30.008 }); // not: the earlier one is another sub-category
    await put({ submittedAt: cst("2026-02-10 09:00"), lng: 104.002, lat: 30.002, categoryId: cat.streetVending.id, categoryCode: cat.streetVending.code });
    await put({ submittedAt: cst("2026-03-20 09:00"), lng: 104.002, lat: 30.002, categoryId: cat.streetVending.id, categoryCode: cat.streetVending.code }); // not: 38 days
    const first = await put({ submittedAt: cst("2026-01-02 09:00"), lng: 104.009, lat: 30.001 });
    await put({ submittedAt: cst("2026-03-21 09:00"), lng: 104.002, lat: 30.009, categoryId: cat.streetLight.id, categoryCode: cat.streetLight.code, repeatOfId: first }); // marked at intake
    await put({ submittedAt: cst("2026-02-27 09:00"), lng: 104.004, lat: 30.0041 });
    await put({ submittedAt: cst("2026-03-02 09:00"), lng: 104.004, lat: 30.0039 }); // repeat: ~22 m, across a cell edge

    // Street 2: one case dispatched in March, received late → response 0/1.
    await put({ grid: grid2, lng: 104.105, lat: 30.005, dispatchedAt: cst("2026-03-04 09:00"), responseDueAt: cst("2026-03-04 10:00"), receivedAt: cst("2026-03-04 12:00") });

    // Department 1: one case it handles, dispatched in March, in time; summons: 3 in March.
    await put({ grid: s.gridA2, lng: 104.005, lat: 30.015, level: "department", handlingOrgId: cat.departmentId, dispatchedAt: cst("2026-03-02 09:00"), responseDueAt: cst("2026-03-02 13:00"), receivedAt: cst("2026-03-02 10:00") });
    const caseId = await put({ submittedAt: cst("2026-03-01 08:00"), lng: 104.0095, lat: 30.0005, categoryId: cat.streetLight.id, categoryCode: cat.streetLight.code });
    const summon = (v: Partial<typeof caseSummons.$inferInsert>) =>
      db.insert(caseSummons).values({ whistleId: randomUUID(), caseId, departmentOrgId: cat.departmentId, reportInDueAt: cst("2026-03-04 09:00"), ...v } as typeof caseSummons.$inferInsert);
    await summon({ createdAt: cst("2026-03-03 09:00"), reportInDueAt: cst("2026-03-04 09:00"), reportedInAt: cst("2026-03-03 15:00"), status: "finished", finishedAt: cst("2026-03-06 09:00"), score: 5 });
    await summon({ createdAt: cst("2026-03-10 09:00"), reportInDueAt: cst("2026-03-11 09:00"), reportedInAt: cst("2026-03-12 09:00"), status: "reportedIn", score: 3 });
    await summon({ createdAt: cst("2026-03-15 09:00"), reportInDueAt: cst("2026-03-16 09:00") });
    await summon({ createdAt: cst("2026-02-20 09:00"), reportInDueAt: cst("2026-02-21 09:00"), reportedInAt: cst("2026-02-20 10:00") });
    // Withdrawn: not counted at all; recorded on its behalf: summoned, not finished by it, listed apart.
    await summon({ createdAt: cst("2026-03-16 09:00"), reportInDueAt: cst("2026-03-17 09:00"), reportedInAt: cst("2026-03-16 10:00"), status: "withdrawn", endedAt: cst("2026-03-16 11:00"), endReason: "召集有误" });
    await summon({ createdAt: cst("2026-03-18 09:00"), reportInDueAt: cst("2026-03-19 09:00"), status: "finished", finishedAt: cst("2026-03-18 12:00"), recordedOnBehalf: true });
  });
  afterAll(async () => t?.close());

  it("counts each rate of a grid by its formula, with China month edges", async () => {
    const v = await get(streetAdmin, `/api/measures?unit=grid&areaId=${s.street}&month=2026-03`);
    const a1 = row(v, s.gridA1);
    expect(frac(a1.measures.response)).toEqual([2, 4, 0.5]);
    expect(frac(a1.measures.resolution)).toEqual([2, 4, 0.5]);
    expect(frac(a1.measures.satisfaction)).toEqual([3, 4, 0.75]);
    expect(frac(a1.measures.onTimeClosing)).toEqual([1, 3, 1 / 3]);
    expect(frac(a1.measures.closing)).toEqual([2, 3, 2 / 3]);
    expect(frac(a1.measures.rework)).toEqual([2, 3, 2 / 3]);
    expect(frac(a1.measures.repeat)).toEqual([4, 7, 4 / 7]); // 6 above + the summoned case submitted on 1 March
    expect(a1.measures.reportIn).toBeUndefined();
    // 10 × 0.5 + 45 × 0.5 + 45 × 0.75 (built-in weights)
    expect(a1.composite).toBe(61.25);
    expect(a1.weightsFrom.source).toBe("builtIn");
    expect(v.formulas.find((f) => f.key === "satisfaction")!.formula.zh).toContain("基本满意");

    const a2 = row(v, s.gridA2);
    expect(frac(a2.measures.response)).toEqual([1, 1, 1]);
    expect(a2.measures.resolution!.value).toBeNull();
    expect(a2.composite).toBe(100);
    // Grids with nothing: every rate null, no composite, no rank, listed last.
    const b1 = row(v, s.gridB1);
    for (const r of Object.values(b1.measures)) expect(r).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(b1.composite).toBeNull();
    expect(b1.rank).toBeNull();
    // A2's 100 % rests on one case, A1's on four: both below the minimum of 5, listed unranked, most cases first.
    expect(v.minCases).toBe(5);
    expect(v.rows.map((r) => [r.unitId, r.caseCount, r.tooFewCases, r.rank]).slice(0, 2)).toEqual([
      [s.gridA1, 4, true, null],
      [s.gridA2, 1, true, null],
    ]);
    expect(v.rows.map((r) => r.rank)).toEqual([null, null, null, null]);
    expect(v.rankRule.zh).toContain("少于 5 件");
  });

  it("leaves 基本满意 out of satisfaction when asked, and counts February apart", async () => {
    const v = await get(streetAdmin, `/api/measures?unit=grid&areaId=${s.communityA}&month=2026-03&basicCounts=false`);
    expect(frac(row(v, s.gridA1).measures.satisfaction)).toEqual([1, 4, 0.25]);
    expect(v.formulas.find((f) => f.key === "satisfaction")!.formula.zh).toContain("基本满意不计入");
    const feb = await get(streetAdmin, `/api/measures?unit=grid&areaId=${s.communityA}&month=2026-02`);
    expect(frac(row(feb, s.gridA1).measures.response)).toEqual([1, 1, 1]);
  });

  it("adds up grids into communities and streets, and ranks the streets of the district", async () => {
    const v = await get(analyst, `/api/measures?unit=community&areaId=${districtId}&month=2026-03`);
    const a = row(v, s.communityA);
    expect(frac(a.measures.response)).toEqual([3, 5, 0.6]);
    expect(row(v, s.communityB).composite).toBeNull();
    const r = await get(analyst, `/api/measures/rankings?level=street&month=2026-03`);
    expect(r.rows.map((x) => [x.unitId, x.composite, x.caseCount, x.rank])).toEqual([
      [s.street, 62.25, 5, 1], // 10 × 0.6 + 45 × 0.5 + 45 × 0.75; exactly the minimum of 5 cases: ranked
      [street2, 0, 1, null], // one case: too few to rank
    ]);
    // A street administrator sees the ranking of their district too.
    const mine = await get(streetAdmin, `/api/measures/rankings?level=street&month=2026-03`);
    expect(mine.rows.map((x) => x.unitId)).toEqual([s.street, street2]);
  });

  it("measures departments by their cases and summons; department staff see their own", async () => {
    const v = await get(analyst, `/api/measures?unit=department&areaId=${districtId}&month=2026-03`);
    const d = row(v, cat.departmentId);
    expect(frac(d.measures.response)).toEqual([1, 1, 1]);
    expect(frac(d.measures.reportIn)).toEqual([2, 4, 2 / 4]);
    expect(frac(d.measures.onTimeReportIn)).toEqual([1, 4, 1 / 4]);
    expect(frac(d.measures.completion)).toEqual([1, 4, 1 / 4]);
    expect(d.summonsOnBehalf).toBe(1);
    expect(d.meanScore).toBe(4);
    expect(d.meanHandlingHours).toBe(72);
    const d2 = row(v, cat.secondDepartmentId);
    expect(d2.measures.reportIn!.value).toBeNull();
    expect(d2.composite).toBeNull();

    const own = await get(deptStaff, `/api/measures?unit=department&month=2026-03`);
    expect(own.rows.map((x) => x.unitId)).toEqual([cat.departmentId]);
    const ranking = await get(deptStaff, `/api/measures/rankings?level=department&month=2026-03`);
    expect(ranking.rows.map((x) => x.unitId)).toEqual([cat.departmentId]);
    const trend = await t.as(deptStaff, "GET", `/api/measures/trend?unitId=${cat.secondDepartmentId}&month=2026-03`);
    expect(trend.statusCode).toBe(404);
  });

  it("ranks a grid with enough cases above one with a perfect rate on one case, each with its count", async () => {
    // May 2026: A1 has 6 dispatched, 5 received in time (83 %); A2 one, in time (100 %).
    for (let i = 0; i < 6; i++) {
      await put({ submittedAt: cst("2026-05-04 08:00"), lng: 104.001 + i * 0.004, dispatchedAt: cst("2026-05-04 09:00"), responseDueAt: cst("2026-05-04 10:00"), receivedAt: cst(i < 5 ? "2026-05-04 09:30" : "2026-05-04 11:00") });
    }
    await put({ grid: s.gridA2, submittedAt: cst("2026-05-06 08:00"), lng: 104.005, lat: 30.015, dispatchedAt: cst("2026-05-06 09:00"), responseDueAt: cst("2026-05-06 10:00"), receivedAt: cst("2026-05-06 09:10") });
    const v = await get(streetAdmin, `/api/measures?unit=grid&areaId=${s.communityA}&month=2026-05`);
    expect(v.rows.map((r) => [r.unitId, r.composite, r.caseCount, r.tooFewCases, r.rank])).toEqual([
      [s.gridA1, 83.33, 6, false, 1],
      [s.gridA2, 100, 1, true, null],
    ]);
  });

  it("opens without a month on the latest month with cases, and names one when the month asked has none", async () => {
    // A community worker asking for nothing: their community's grids, in the latest month with cases (May).
    const v = await get(workerA, `/api/measures`);
    expect([v.unit, v.month, v.monthSource, v.latestMonthWithData]).toEqual(["grid", "2026-05", "latestWithData", null]);
    expect(v.rows.find((r) => r.unitId === s.gridA1)!.caseCount).toBe(6);
    // A month without cases points to the nearest earlier month that has them…
    const empty = await get(workerA, `/api/measures?unit=grid&month=2026-09`);
    expect([empty.month, empty.monthSource, empty.latestMonthWithData]).toEqual(["2026-09", "requested", "2026-05"]);
    // …and one before any case to the latest.
    const before = await get(workerA, `/api/measures?unit=grid&month=2025-06`);
    expect(before.latestMonthWithData).toBe("2026-05");
    // A month with figures names none; street 2 has March only.
    expect((await get(workerA, `/api/measures?unit=grid&month=2026-03`)).latestMonthWithData).toBeNull();
    const streets = await get(analyst, `/api/measures/rankings?level=street`);
    expect([streets.month, streets.monthSource]).toEqual(["2026-05", "latestWithData"]);
    // Department staff default to their department.
    const own = await get(deptStaff, `/api/measures`);
    expect([own.unit, own.rows.map((r) => r.unitId)]).toEqual(["department", [cat.departmentId]]);
  });

  it("gives a unit's trend month by month", async () => {
    const res = await t.as(workerA, "GET", `/api/measures/trend?unitId=${s.gridA1}&month=2026-03&months=3`);
    expect(res.statusCode, res.body).toBe(200);
    const tr = res.json() as { points: { month: string; measures: Record<string, Ratio>; composite: number | null }[] };
    expect(tr.points.map((p) => p.month)).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(tr.points[0]!.measures.response!.value).toBeNull();
    expect(frac(tr.points[1]!.measures.response)).toEqual([1, 1, 1]);
    expect(tr.points[2]!.composite).toBe(61.25);
  });

  it("keeps measures in scope: 404 outside, 403 without a measures role, bad input named", async () => {
    expect((await t.as(workerA, "GET", `/api/measures?unit=grid&areaId=${s.street}&month=2026-03`)).statusCode).toBe(404);
    expect((await t.as(workerA, "GET", `/api/measures?unit=grid&areaId=${s.communityB}&month=2026-03`)).statusCode).toBe(404);
    const own = await get(workerA, `/api/measures?unit=grid&month=2026-03`);
    expect(own.rows.map((r) => r.unitId).sort()).toEqual([s.gridA1, s.gridA2].sort());
    expect((await t.as(streetAdmin, "GET", `/api/measures?unit=street&areaId=${street2}&month=2026-03`)).statusCode).toBe(404);
    expect((await t.as(streetAdmin, "GET", `/api/measures/trend?unitId=${grid2}`)).statusCode).toBe(404);
    expect((await t.as(resident, "GET", `/api/measures?unit=grid&month=2026-03`)).statusCode).toBe(403);
    expect((await t.as(resident, "GET", `/api/measures?unit=grid&areaId=${s.gridA1}&month=2026-03`)).statusCode).toBe(404);
    expect((await t.as(null, "GET", `/api/measures?unit=grid&month=2026-03`)).statusCode).toBe(401);
    const badMonth = await t.as(streetAdmin, "GET", `/api/measures?unit=grid&month=2026-13`);
    expect(badMonth.statusCode).toBe(400);
    const small = await t.as(streetAdmin, "GET", `/api/measures?unit=street&areaId=${s.communityA}&month=2026-03`);
    expect(small.statusCode).toBe(400);
    expect(small.json()).toMatchObject({ code: "validation_failed", field: "unit" });
  });

  it("validates weights and writes nothing when they are wrong", async () => {
    const before = { weights: await count("measure_weights"), audit: await count("audit_entries") };
    const put = (who: Session, body: unknown) => t.as(who, "PUT", "/api/measures/weights", body);
    const sum = await put(streetAdmin, { areaId: s.street, fromMonth: "2026-03", weights: { response: 10, resolution: 40, satisfaction: 40 } });
    expect(sum.statusCode).toBe(400);
    expect(sum.json()).toMatchObject({ code: "measure_weights_invalid", field: "weights" });
    expect((sum.json() as { message: string }).message).toContain("合计应为 100");
    const neg = await put(streetAdmin, { areaId: s.street, fromMonth: "2026-03", weights: { response: -10, resolution: 60, satisfaction: 50 } });
    expect(neg.json()).toMatchObject({ code: "measure_weights_invalid", field: "weights.response" });
    const unknown = await put(streetAdmin, { areaId: s.street, fromMonth: "2026-03", weights: { speed: 100 } });
    expect(unknown.json()).toMatchObject({ code: "measure_weights_invalid", field: "weights.speed" });
    expect((await put(streetAdmin, { areaId: s.street, fromMonth: "2026-3", weights: { response: 100 } })).statusCode).toBe(400);
    expect((await put(workerA, { areaId: s.communityA, fromMonth: "2026-03", weights: { response: 100 } })).statusCode).toBe(403);
    expect((await put(streetAdmin, { areaId: null, fromMonth: "2026-03", weights: { response: 100 } })).statusCode).toBe(403);
    expect((await put(streetAdmin, { areaId: street2, fromMonth: "2026-03", weights: { response: 100 } })).statusCode).toBe(404);
    expect({ weights: await count("measure_weights"), audit: await count("audit_entries") }).toEqual(before);
  });

  it("takes the nearest area's latest weights at or before the month, else the deployment's", async () => {
    const put = async (who: Session, body: unknown) => {
      const res = await t.as(who, "PUT", "/api/measures/weights", body);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { effective: { source: string; fromMonth: string } };
    };
    await put(sysAdmin, { areaId: null, fromMonth: "2026-01", weights: { response: 20, resolution: 40, satisfaction: 40 } });
    await put(sysAdmin, { areaId: null, fromMonth: "2026-03", weights: { response: 30, resolution: 35, satisfaction: 35 } });
    await put(streetAdmin, { areaId: s.communityA, fromMonth: "2026-02", weights: { resolution: 50, satisfaction: 50 } });
    const set = await put(streetAdmin, { areaId: s.street, fromMonth: "2026-04", weights: { response: 100 } });
    expect(set.effective).toMatchObject({ source: "area", fromMonth: "2026-04" });

    const march = await get(streetAdmin, `/api/measures?unit=grid&areaId=${s.street}&month=2026-03`);
    const a1 = row(march, s.gridA1);
    expect(a1.weightsFrom).toMatchObject({ source: "area", areaId: s.communityA, fromMonth: "2026-02" });
    expect(a1.composite).toBe(62.5); // 50 × 0.5 + 50 × 0.75
    expect(row(march, s.gridB1).weightsFrom).toMatchObject({ source: "deployment", fromMonth: "2026-03" });
    const feb = await get(streetAdmin, `/api/measures?unit=grid&areaId=${s.street}&month=2026-02`);
    expect(row(feb, s.gridB1).weightsFrom).toMatchObject({ source: "deployment", fromMonth: "2026-01" });
    expect(row(feb, s.gridA1).weightsFrom).toMatchObject({ source: "area", areaId: s.communityA });
    const april = await get(streetAdmin, `/api/measures?unit=grid&areaId=${s.street}&month=2026-04`);
    expect(row(april, s.gridB1).weightsFrom).toMatchObject({ source: "area", areaId: s.street });
    expect(row(april, s.gridA1).weightsFrom).toMatchObject({ source: "area", areaId: s.communityA });
    // Streets rank with the weights in force for them: street 1's own row starts in April.
    const ranking = await get(analyst, `/api/measures/rankings?level=street&month=2026-03`);
    expect(row(ranking, s.street).composite).toBe(61.75); // the deployment's March row: 30 × 0.6 + 35 × 0.5 + 35 × 0.75
    // Setting the same area and month again replaces it, with an audit entry each time.
    const audit = await count("audit_entries");
    await put(streetAdmin, { areaId: s.street, fromMonth: "2026-04", weights: { response: 50, satisfaction: 50 } });
    expect(await count("audit_entries")).toBe(audit + 1);
    const w = await t.as(streetAdmin, "GET", `/api/measures/weights?areaId=${s.street}&month=2026-05`);
    expect(w.json()).toMatchObject({ canEdit: true, effective: { source: "area", weights: { response: 50, satisfaction: 50 } }, history: [{ fromMonth: "2026-04" }] });
    const ro = await t.as(workerA, "GET", `/api/measures/weights?areaId=${s.communityA}&month=2026-03`);
    expect(ro.json()).toMatchObject({ canEdit: false, effective: { source: "area", areaId: s.communityA } });
  });
});
