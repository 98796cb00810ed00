/**
 * 考核指标: the monthly measures of grids, communities, streets and departments, each with its
 * formula, and the composite score with weights configurable per jurisdiction and month.
 *
 * Everything is counted in SQL, one query per unit kind: cases are grouped by the unit's segment of
 * their grid path (`split_part(area_path, '/', depth + 2)`) or by the handling department, never in
 * a loop over units. Months are China months (Asia/Shanghai, UTC+8). A rate whose denominator is
 * zero is null ("—"), never 0 or 100.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { escapeLike } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { chinaDateOf } from "../../platform/calendar/index.js";
import { defaultRootGrant, departmentOrgIds, mayEditWeights, mayReadDepartmentTrend, mayReadDeploymentWeights, mayReadRanking, measurePolicy, seesOnlyOwnDepartmentsInRanking } from "./policy.js";
import { countCasesByUnit, latestCaseActivity, repeatRadiusM, repeatWindowDays, type CaseCountRow } from "../cases/index.js";

export const measureUnitKinds = ["grid", "community", "street", "department"] as const;
export type MeasureUnitKind = (typeof measureUnitKinds)[number];
type AreaUnitKind = Exclude<MeasureUnitKind, "department">;

export const measureKeys = ["response", "resolution", "satisfaction", "onTimeClosing", "closing", "rework", "repeat", "reportIn", "onTimeReportIn", "completion"] as const;
export type MeasureKey = (typeof measureKeys)[number];
/** Rates counted for every unit; the last three only for departments (吹哨报到). */
const caseMeasureKeys: readonly MeasureKey[] = ["response", "resolution", "satisfaction", "onTimeClosing", "closing", "rework", "repeat"];
const departmentOnlyKeys: readonly MeasureKey[] = ["reportIn", "onTimeReportIn", "completion"];

export interface Formula {
  key: MeasureKey;
  name: { zh: string; en: string };
  formula: { zh: string; en: string };
  /** Lower is better (返工率, 重复投诉率): the composite uses 1 − rate. */
  lowerIsBetter: boolean;
}

/** Built-in weights (Beijing 12345 "三率", 2019): 响应率 10, 解决率 45, 满意率 45. */
export const defaultWeights: Readonly<Partial<Record<MeasureKey, number>>> = Object.freeze({ response: 10, resolution: 45, satisfaction: 45 });

export { repeatRadiusM, repeatWindowDays };

export function measureFormulas(basicCounts = true): Formula[] {
  const f = (key: MeasureKey, zhName: string, enName: string, zh: string, en: string, lowerIsBetter = false): Formula => ({
    key,
    name: { zh: zhName, en: enName },
    formula: { zh, en },
    lowerIsBetter,
  });
  return [
    f(
      "response",
      "响应率",
      "Response rate",
      "本月派遣的案件中按时签收（签收时间不晚于响应时限）的件数 ÷ 本月派遣的案件数",
      "cases dispatched this month that were received by their response deadline ÷ cases dispatched this month",
    ),
    f("resolution", "解决率", "Resolution rate", "本月回访评价中答“已解决”的件数 ÷ 本月回访评价的件数", "cases rated this month as resolved ÷ cases rated this month"),
    basicCounts
      ? f("satisfaction", "满意率", "Satisfaction rate", "本月评价为“满意”或“基本满意”的件数 ÷ 本月回访评价的件数", "cases rated this month satisfied or basically satisfied ÷ cases rated this month")
      : f("satisfaction", "满意率", "Satisfaction rate", "本月评价为“满意”的件数 ÷ 本月回访评价的件数（基本满意不计入）", "cases rated this month satisfied ÷ cases rated this month (basically satisfied not counted)"),
    f(
      "onTimeClosing",
      "按期结案率",
      "On-time closing rate",
      "办理时限落在本月的应结案件中，在时限内结案的件数 ÷ 应结案件数（不含不予受理、已合并、已撤销、挂账）",
      "cases due this month closed by their deadline ÷ cases due this month (rejected, merged, cancelled and parked cases excluded)",
    ),
    f(
      "closing",
      "结案率",
      "Closing rate",
      "办理时限落在本月的应结案件中，已结案（不论早晚）的件数 ÷ 应结案件数",
      "cases due this month that are closed (at any time) ÷ cases due this month",
    ),
    f("rework", "返工率", "Rework rate", "本月结案的案件中核查不通过、返工过的件数 ÷ 本月结案的件数", "cases closed this month that were sent back for rework ÷ cases closed this month", true),
    f(
      "repeat",
      "重复投诉率",
      "Repeat-complaint rate",
      `本月受理的案件中重复投诉的件数 ÷ 本月受理的件数；重复投诉指此前 ${repeatWindowDays} 天内在 ${repeatRadiusM} 米以内已有同一小类的案件（不论反映人），或受理时已标为重复`,
      `cases submitted this month that repeat an earlier one ÷ cases submitted this month; a repeat has an earlier case of the same sub-category within ${repeatRadiusM} m and ${repeatWindowDays} days before (whoever reported it), or was marked as a repeat at intake`,
      true,
    ),
    f(
      "reportIn",
      "报到率",
      "Report-in rate",
      "本月被吹哨召集的次数中已报到的次数 ÷ 本月被召集的次数（已撤回、免予报到的不计）",
      "summons created this month that were reported in ÷ summons created this month (withdrawn and excused ones left out)",
    ),
    f(
      "onTimeReportIn",
      "按时报到率",
      "On-time report-in rate",
      "本月被召集的次数中在报到时限内报到的次数 ÷ 本月被召集的次数（已撤回、免予报到的不计）",
      "summons created this month reported in by their deadline ÷ summons created this month (withdrawn and excused ones left out)",
    ),
    f(
      "completion",
      "办结率",
      "Completion rate",
      "本月被召集的次数中部门自己办结的次数 ÷ 本月被召集的次数（已撤回、免予报到的不计；街乡代为登记的计入分母、不计入分子，另列“代为登记”）",
      "summons created this month that the department finished itself ÷ summons created this month (withdrawn and excused left out; parts recorded on its behalf count in the denominator only and are listed apart)",
    ),
  ];
}

export const compositeFormula = {
  zh: "综合得分 = Σ 权重 × 指标（返工率、重复投诉率取 1 − 指标），权重合计 100；某项指标分母为 0 时不计入，其余权重按比例放大",
  en: "composite = Σ weight × rate (1 − rate for rework and repeat complaints), weights summing to 100; a rate with a zero denominator is left out and the other weights are scaled up",
};

export interface Ratio {
  numerator: number;
  denominator: number;
  /** numerator ÷ denominator, null when the denominator is 0. */
  value: number | null;
}

export interface EffectiveWeights {
  /** Where the weights come from: a row for an area (the unit's own or an ancestor), the deployment row, or the built-in default. */
  source: "area" | "deployment" | "builtIn";
  areaId: string | null;
  fromMonth: string | null;
  weights: Partial<Record<MeasureKey, number>>;
}

export interface MeasureRow {
  unitId: string;
  unitName: string;
  unitKind: MeasureUnitKind;
  measures: Partial<Record<MeasureKey, Ratio>>;
  /** Departments: the summoning streets' mean score (1–5) and mean hours from summons to finished. */
  meanScore: number | null;
  meanHandlingHours: number | null;
  /** Departments: summons of the month whose part the summoning side recorded for them (代为登记); not in 办结率. */
  summonsOnBehalf: number | null;
  composite: number | null;
  /** 办件量: the largest denominator among the rates weighted in the composite (usually the cases dispatched this month). */
  caseCount: number;
  /** Fewer cases than the minimum: listed after the ranked units, without a rank. */
  tooFewCases: boolean;
  rank: number | null;
  weightsFrom: EffectiveWeights;
}

export interface MonthRange {
  month: string;
  start: Date;
  end: Date;
}

const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The China month "YYYY-MM" as [start, end) instants (UTC+8 has no daylight saving). */
export function monthRange(month: string): MonthRange {
  const m = monthPattern.exec(month);
  if (!m) throw new AppError("validation_failed", { detail: "month 应为 YYYY-MM" }, "month");
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const start = new Date(Date.UTC(y, mo - 1, 1) - 8 * 3600_000);
  const end = new Date(Date.UTC(y, mo, 1) - 8 * 3600_000);
  return { month, start, end };
}

export function currentMonth(now = new Date()): string {
  return chinaDateOf(now).slice(0, 7);
}

export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + by;
  return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, "0")}`;
}

function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

function measuresOf(c: CaseCountRow, kind: MeasureUnitKind, basicCounts: boolean): Partial<Record<MeasureKey, Ratio>> {
  const out: Partial<Record<MeasureKey, Ratio>> = {
    response: ratio(c.responded, c.dispatched),
    resolution: ratio(c.resolved, c.rated),
    satisfaction: ratio(c.satisfied + (basicCounts ? c.basic : 0), c.rated),
    onTimeClosing: ratio(c.due_closed_on_time, c.due),
    closing: ratio(c.due_closed, c.due),
    rework: ratio(c.reworked, c.closed),
    repeat: ratio(c.repeats, c.submitted),
  };
  if (kind === "department") {
    out.reportIn = ratio(c.reported_in, c.summons);
    out.onTimeReportIn = ratio(c.reported_in_on_time, c.summons);
    out.completion = ratio(c.finished, c.summons);
  }
  return out;
}

const lowerIsBetter = new Set<MeasureKey>(["rework", "repeat"]);

/** Σ weight × rate over the rates that have a denominator, scaled to the weights used; 0–100. */
export function compositeScore(measures: Partial<Record<MeasureKey, Ratio>>, weights: Partial<Record<MeasureKey, number>>): number | null {
  let sum = 0;
  let used = 0;
  let total = 0;
  for (const [key, w] of Object.entries(weights) as [MeasureKey, number][]) {
    if (!w) continue;
    total += w;
    const v = measures[key]?.value;
    if (v === null || v === undefined) continue;
    sum += w * (lowerIsBetter.has(key) ? 1 - v : v);
    used += w;
  }
  if (used === 0 || total === 0) return null;
  return Math.round(((sum / used) * 100 + Number.EPSILON) * 100) / 100;
}

/** Default least number of cases a unit needs in a month to be ranked (GONGZHI_MEASURES_MIN_CASES). */
export const defaultMinCases = 5;

/**
 * 办件量 of a unit: the largest denominator among the rates that carry weight in its composite — the
 * number of cases its composite rests on (with the built-in weights: cases dispatched or rated).
 */
export function caseCountOf(measures: Partial<Record<MeasureKey, Ratio>>, weights: Partial<Record<MeasureKey, number>>): number {
  let n = 0;
  for (const [key, w] of Object.entries(weights) as [MeasureKey, number][]) {
    if (w) n = Math.max(n, measures[key]?.denominator ?? 0);
  }
  return n;
}

type Rankable = Pick<MeasureRow, "unitName" | "composite" | "caseCount" | "tooFewCases" | "rank">;

/**
 * Competition ranking (1, 1, 3) by composite, highest first, of the units with at least `minCases`
 * cases: a 100 % on one case must not outrank 94 % on sixteen. Units with a composite but fewer
 * cases follow, unranked and marked `tooFewCases` (most cases first); units without a composite last.
 */
export function rankRows<T extends Rankable>(list: T[], minCases: number): T[] {
  const byName = (a: T, b: T) => a.unitName.localeCompare(b.unitName, "zh-CN");
  for (const r of list) {
    r.rank = null;
    r.tooFewCases = r.composite !== null && r.caseCount < minCases;
  }
  const ranked = list.filter((r) => r.composite !== null && !r.tooFewCases).sort((a, b) => b.composite! - a.composite! || byName(a, b));
  ranked.forEach((r, i) => {
    r.rank = i > 0 && ranked[i - 1]!.composite === r.composite ? ranked[i - 1]!.rank : i + 1;
  });
  const few = list.filter((r) => r.tooFewCases).sort((a, b) => b.caseCount - a.caseCount || byName(a, b));
  const rest = list.filter((r) => r.composite === null).sort(byName);
  return [...ranked, ...few, ...rest];
}

// ---------------------------------------------------------------- weights

interface WeightRow {
  area_id: string | null;
  from_month: string;
  weights: Partial<Record<MeasureKey, number>>;
}

/** The weights rows in force at `month` (from_month ≤ month), latest first. */
async function weightRowsAt(db: Db, month: string): Promise<WeightRow[]> {
  return rows<WeightRow>(db, sql`select area_id, from_month, weights from measure_weights where from_month <= ${month} order by from_month desc`);
}

/**
 * The weights for a unit at a month: the latest row at or before the month of the nearest area on
 * the unit's path (itself, then its ancestors), else of the deployment (no area), else built-in.
 */
export function resolveWeights(weightRows: readonly WeightRow[], unitPath: string | null): EffectiveWeights {
  const ids = unitPath ? unitPath.split("/").filter(Boolean).reverse() : [];
  for (const id of ids) {
    const r = weightRows.find((w) => w.area_id === id);
    if (r) return { source: "area", areaId: id, fromMonth: r.from_month, weights: r.weights };
  }
  const d = weightRows.find((w) => w.area_id === null);
  if (d) return { source: "deployment", areaId: null, fromMonth: d.from_month, weights: d.weights };
  return { source: "builtIn", areaId: null, fromMonth: null, weights: { ...defaultWeights } };
}

/** Checks a weights object: known keys, non-negative numbers, summing to 100. */
export function validateWeights(weights: Record<string, unknown>): Partial<Record<MeasureKey, number>> {
  const out: Partial<Record<MeasureKey, number>> = {};
  let sum = 0;
  for (const [key, v] of Object.entries(weights)) {
    if (!(measureKeys as readonly string[]).includes(key)) {
      throw new AppError("measure_weights_invalid", { detail: { code: "unknown", zh: `没有“${key}”这项指标`, en: `there is no measure "${key}"` } }, `weights.${key}`);
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new AppError("measure_weights_invalid", { detail: { code: "negative", zh: "权重必须是不小于 0 的数", en: "a weight must be a number of 0 or more" } }, `weights.${key}`);
    }
    if (v > 0) out[key as MeasureKey] = v;
    sum += v;
  }
  if (Math.abs(sum - 100) > 1e-6) {
    throw new AppError("measure_weights_invalid", { detail: { code: "sum", zh: `各项权重合计应为 100，现在是 ${round2(sum)}`, en: `the weights must add up to 100, not ${round2(sum)}` } }, "weights");
  }
  return out;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

// ---------------------------------------------------------------- scope

interface AreaRow {
  id: string;
  name: string;
  level: string;
  path: string;
  depth: number;
}

async function loadArea(db: Db, id: string): Promise<AreaRow | undefined> {
  const [a] = await rows<AreaRow>(db, sql`select id, name, level, path, depth from areas where id = ${id}`);
  return a;
}

/** The district (depth 1) on a path, or the path itself when it is shallower. */
function districtPathOf(path: string): string {
  const ids = path.split("/").filter(Boolean);
  return ids.length <= 2 ? path : `/${ids.slice(0, 2).join("/")}/`;
}

// ---------------------------------------------------------------- computing

export interface ComputeOptions {
  unit: MeasureUnitKind;
  month: string;
  /** Area units: those under this path (the area itself when it is of the unit's level). Departments: those whose area is on it, above or below. */
  rootPath: string;
  /** Departments: only these (department staff see their own). */
  departmentIds?: readonly string[] | undefined;
  /** 基本满意 counts as satisfied (default, as in Beijing). */
  basicCounts?: boolean;
  /** Least 办件量 to be ranked (default 5). */
  minCases?: number;
}

const depthOfLevel: Record<AreaUnitKind, number> = { street: 2, community: 3, grid: 4 };

/** The departments related to an area (its own, above or below it) not dissolved by `dayStart`; `only` limits them. */
async function departmentUnits(db: Db, rootPath: string, dayStart: string, only: readonly string[] | undefined) {
  return rows<{ id: string; name: string; path: string | null }>(
    db,
    sql`select o.id::text as id, o.name, a.path
        from organizations o left join areas a on a.id = o.area_id
        where o.kind = 'department'
          and (o.dissolved_on is null or o.dissolved_on > ${dayStart}::date)
          and (a.path is null or a.path like ${`${escapeLike(rootPath)}%`} or ${rootPath} like a.path || '%')
          ${only ? (only.length ? sql`and o.id::text in (${sqlList(only)})` : sql`and false`) : sql``}
        order by o.name`,
  );
}

/**
 * The latest China month up to `upTo` in which a case of the area (or of the departments) was
 * submitted, dispatched, rated or closed; null when there is none.
 */
async function latestMonthWithCases(db: Db, upTo: string, scope: { rootPath: string; unit: MeasureUnitKind; departmentIds?: readonly string[] | undefined }): Promise<string | null> {
  const before = monthRange(upTo).end;
  let at: Date | null;
  if (scope.unit === "department") {
    const units = await departmentUnits(db, scope.rootPath, `${upTo}-01`, scope.departmentIds);
    at = await latestCaseActivity(db, before, { departmentIds: units.map((u) => u.id) });
  } else {
    at = await latestCaseActivity(db, before, { areaPrefix: scope.rootPath, depth: depthOfLevel[scope.unit] });
  }
  return at ? chinaDateOf(at).slice(0, 7) : null;
}

/** A row has figures when any of its rates has a denominator. */
function hasFigures(list: readonly MeasureRow[]): boolean {
  return list.some((r) => Object.values(r.measures).some((m) => (m?.denominator ?? 0) > 0));
}

/**
 * 月度考核: the measures of every unit of a kind under a root for one month, with composite
 * scores and ranks. One counts query for all units.
 */
export async function computeMonthlyMeasures(db: Db, opts: ComputeOptions): Promise<MeasureRow[]> {
  const range = monthRange(opts.month);
  const basicCounts = opts.basicCounts ?? true;
  const weightRows = await weightRowsAt(db, opts.month);
  const dayStart = `${opts.month}-01`;
  const dayEnd = `${shiftMonth(opts.month, 1)}-01`;
  let units: { id: string; name: string; path: string | null }[];
  let counts: CaseCountRow[];
  if (opts.unit === "department") {
    units = await departmentUnits(db, opts.rootPath, dayStart, opts.departmentIds);
    if (units.length === 0) return [];
    counts = await countCasesByUnit(db, range, { departmentIds: units.map((u) => u.id) });
  } else {
    const depth = depthOfLevel[opts.unit];
    units = await rows<{ id: string; name: string; path: string }>(
      db,
      sql`select a.id::text as id, a.name, a.path from areas a
          where a.level = ${opts.unit} and a.path like ${`${escapeLike(opts.rootPath)}%`}
            and (a.valid_from is null or a.valid_from < ${dayEnd}::date) and (a.valid_to is null or a.valid_to > ${dayStart}::date)
          order by a.sort_order, a.code, a.name`,
    );
    if (units.length === 0) return [];
    counts = await countCasesByUnit(db, range, { areaPrefix: opts.rootPath, depth });
  }
  const byUnit = new Map(counts.map((c) => [c.unit, c]));
  const empty = (unit: string): CaseCountRow => ({
    unit,
    dispatched: 0,
    responded: 0,
    rated: 0,
    resolved: 0,
    satisfied: 0,
    basic: 0,
    due: 0,
    due_closed_on_time: 0,
    due_closed: 0,
    closed: 0,
    reworked: 0,
    submitted: 0,
    repeats: 0,
    summons: 0,
    reported_in: 0,
    reported_in_on_time: 0,
    finished: 0,
    on_behalf: 0,
    mean_score: null,
    mean_handling_hours: null,
  });
  const list: MeasureRow[] = units.map((u) => {
    const c = byUnit.get(u.id) ?? empty(u.id);
    const measures = measuresOf(c, opts.unit, basicCounts);
    const weightsFrom = resolveWeights(weightRows, u.path);
    return {
      caseCount: caseCountOf(measures, weightsFrom.weights),
      tooFewCases: false,
      unitId: u.id,
      unitName: u.name,
      unitKind: opts.unit,
      measures,
      meanScore: c.mean_score === null ? null : round2(Number(c.mean_score)),
      meanHandlingHours: c.mean_handling_hours === null ? null : round2(Number(c.mean_handling_hours)),
      summonsOnBehalf: opts.unit === "department" ? Number(c.on_behalf) : null,
      composite: compositeScore(measures, weightsFrom.weights),
      rank: null,
      weightsFrom,
    };
  });
  return rankRows(list, opts.minCases ?? defaultMinCases);
}

// ---------------------------------------------------------------- services for the routes

export interface MeasuresView {
  month: string;
  unit: MeasureUnitKind;
  area: { id: string; name: string; level: string } | null;
  basicCounts: boolean;
  formulas: Formula[];
  composite: { zh: string; en: string };
  rows: MeasureRow[];
  /** How the month was chosen: asked for, or (none asked) the latest month with cases, else the current month. */
  monthSource: "requested" | "latestWithData" | "current";
  /** When the month shown has no figures: the latest earlier month that has (null: none, or the month has figures). */
  latestMonthWithData: string | null;
  /** Least 办件量 a unit needs to be ranked. */
  minCases: number;
  /** The ranking rule in words (zh + en), for the line under the table. */
  rankRule: { zh: string; en: string };
}

export function rankRuleText(minCases: number): { zh: string; en: string } {
  return {
    zh: `按综合得分排名（并列同名次）；本月办件量少于 ${minCases} 件的单位样本不足，不参与排名，列在其后`,
    en: `ranked by composite (ties share a rank); units with fewer than ${minCases} cases this month have too few cases to rank and are listed after`,
  };
}

interface MonthChoice {
  month: string;
  monthSource: MeasuresView["monthSource"];
}

/**
 * The month of a page: the one asked for, else the latest month (up to now) with cases in scope, so
 * a page opened without a month lands on figures rather than an empty current month.
 */
async function chooseMonth(db: Db, asked: string | undefined, scope: Parameters<typeof latestMonthWithCases>[2]): Promise<MonthChoice> {
  if (asked) {
    monthRange(asked);
    return { month: asked, monthSource: "requested" };
  }
  const latest = await latestMonthWithCases(db, currentMonth(), scope);
  return latest ? { month: latest, monthSource: "latestWithData" } : { month: currentMonth(), monthSource: "current" };
}

/** The view; when the month has no figures, it names the latest earlier month that has. */
async function finishView(
  db: Db,
  choice: MonthChoice,
  unit: MeasureUnitKind,
  area: AreaRow | null,
  basicCounts: boolean,
  list: MeasureRow[],
  minCases: number,
  scope: Parameters<typeof latestMonthWithCases>[2],
): Promise<MeasuresView> {
  let latest: string | null = null;
  if (!hasFigures(list) && choice.monthSource !== "current") {
    // The nearest earlier month with cases, else (the month is before any case) the latest one.
    latest = (await latestMonthWithCases(db, shiftMonth(choice.month, -1), scope)) ?? (await latestMonthWithCases(db, currentMonth(), scope));
    if (latest === choice.month) latest = null;
  }
  return viewOf(choice, unit, area, basicCounts, list, minCases, latest);
}

function viewOf(choice: MonthChoice, unit: MeasureUnitKind, area: AreaRow | null, basicCounts: boolean, list: MeasureRow[], minCases: number, latestMonthWithData: string | null): MeasuresView {
  const keys = unit === "department" ? [...caseMeasureKeys, ...departmentOnlyKeys] : caseMeasureKeys;
  return {
    month: choice.month,
    monthSource: choice.monthSource,
    latestMonthWithData,
    minCases,
    rankRule: rankRuleText(minCases),
    unit,
    area: area ? { id: area.id, name: area.name, level: area.level } : null,
    basicCounts,
    formulas: measureFormulas(basicCounts).filter((f) => keys.includes(f.key)),
    composite: compositeFormula,
    rows: list,
  };
}

/**
 * The area a page is about: the given one if the actor may read measures there (404 otherwise),
 * else the actor's outermost grant.
 */
async function readableRoot(db: Db, actor: Actor, areaId: string | undefined, kind: "areas" | "departments"): Promise<AreaRow> {
  if (areaId) {
    const a = await loadArea(db, areaId);
    const rule = kind === "departments" ? measurePolicy.readDepartments : measurePolicy.read;
    if (!a || !rule(actor, { areaPath: a.path })) throw new AppError("not_found", {}, "areaId");
    return a;
  }
  const g = defaultRootGrant(actor, kind);
  if (!g) throw new AppError("forbidden");
  return (await loadArea(db, g.areaId))!;
}

/** The unit a page groups by when none is asked: the level below the area (a community's grids, a street's communities). */
export function defaultUnitFor(depth: number): AreaUnitKind {
  if (depth <= 1) return "street";
  if (depth === 2) return "community";
  return "grid";
}

/** GET /api/measures: the units of a kind under an area (or the departments related to it). */
export async function listMeasures(
  db: Db,
  actor: Actor,
  q: { unit?: MeasureUnitKind | undefined; areaId?: string | undefined; month?: string | undefined; basicCounts?: boolean | undefined },
  minCases = defaultMinCases,
): Promise<MeasuresView> {
  if (q.month) monthRange(q.month);
  const basicCounts = q.basicCounts ?? true;
  // No unit asked: department staff who read nothing else get their department, others the level below their area.
  const unit = q.unit ?? (defaultRootGrant(actor, "areas") ? undefined : "department");
  if (unit === "department") {
    const area = await readableRoot(db, actor, q.areaId, "departments");
    // Department staff who read nothing else see their own department only.
    const onlyOwn = !measurePolicy.readAllDepartments(actor, { areaPath: area.path });
    const scope = { unit, rootPath: area.path, departmentIds: onlyOwn ? departmentOrgIds(actor) : undefined };
    const choice = await chooseMonth(db, q.month, scope);
    const list = await computeMonthlyMeasures(db, { ...scope, month: choice.month, basicCounts, minCases });
    return finishView(db, choice, "department", area, basicCounts, list, minCases, scope);
  }
  const area = await readableRoot(db, actor, q.areaId, "areas");
  const kind = unit ?? defaultUnitFor(area.depth);
  if (area.depth > depthOfLevel[kind]) {
    throw new AppError("validation_failed", { detail: { code: "unit", zh: "所选区域比统计单位更小", en: "the area is smaller than the unit" } }, "unit");
  }
  const scope = { unit: kind, rootPath: area.path };
  const choice = await chooseMonth(db, q.month, scope);
  const list = await computeMonthlyMeasures(db, { ...scope, month: choice.month, basicCounts, minCases });
  return finishView(db, choice, kind, area, basicCounts, list, minCases, scope);
}

/**
 * GET /api/measures/rankings: streets ranked within the district (a street or community reader
 * sees the ranking of their district, as published monthly), or departments.
 */
export async function rankMeasures(
  db: Db,
  actor: Actor,
  q: { level: "street" | "department"; month?: string | undefined; areaId?: string | undefined },
  minCases = defaultMinCases,
): Promise<MeasuresView> {
  if (q.month) monthRange(q.month);
  let root: AreaRow;
  if (q.areaId) {
    const a = await loadArea(db, q.areaId);
    // A ranking is readable from its district down: the root may be the district above a grant.
    if (!a || !mayReadRanking(actor, q.level, { areaPath: a.path, depth: a.depth })) {
      throw new AppError("not_found", {}, "areaId");
    }
    root = a;
  } else {
    const g = defaultRootGrant(actor, q.level === "department" ? "departments" : "areas");
    if (!g) throw new AppError("forbidden");
    const path = districtPathOf(g.areaPath);
    const id = path.split("/").filter(Boolean).at(-1)!;
    root = (await loadArea(db, id))!;
  }
  const scope =
    q.level === "department"
      ? { unit: "department" as const, rootPath: root.path, departmentIds: seesOnlyOwnDepartmentsInRanking(actor) ? departmentOrgIds(actor) : undefined }
      : { unit: "street" as const, rootPath: root.path };
  const choice = await chooseMonth(db, q.month, scope);
  const list = await computeMonthlyMeasures(db, { ...scope, month: choice.month, minCases });
  return finishView(db, choice, scope.unit, root, true, list, minCases, scope);
}

export interface TrendView {
  unitId: string;
  unitName: string;
  unitKind: MeasureUnitKind;
  formulas: Formula[];
  points: { month: string; measures: Partial<Record<MeasureKey, Ratio>>; composite: number | null }[];
}

/** GET /api/measures/trend: one unit (an area or a department) over the last `months` months up to `month`. */
export async function measureTrend(db: Db, actor: Actor, q: { unitId: string; months?: number | undefined; month?: string | undefined }): Promise<TrendView> {
  const last = q.month ?? currentMonth();
  monthRange(last);
  const n = q.months ?? 6;
  const months = Array.from({ length: n }, (_, i) => shiftMonth(last, i - n + 1));
  const area = await loadArea(db, q.unitId);
  let kind: MeasureUnitKind;
  let rootPath: string;
  let departmentIds: string[] | undefined;
  let name: string;
  if (area) {
    if (!measurePolicy.read(actor, { areaPath: area.path })) throw new AppError("not_found", {}, "unitId");
    if (!["street", "community", "grid"].includes(area.level)) {
      throw new AppError("validation_failed", { detail: { code: "unit", zh: "只能查看街道、社区、网格或部门的趋势", en: "trends are for streets, communities, grids and departments" } }, "unitId");
    }
    kind = area.level as AreaUnitKind;
    rootPath = area.path;
    name = area.name;
  } else {
    const [o] = await rows<{ id: string; name: string; path: string | null }>(
      db,
      sql`select o.id::text as id, o.name, a.path from organizations o left join areas a on a.id = o.area_id where o.id = ${q.unitId} and o.kind = 'department'`,
    );
    if (!o || !mayReadDepartmentTrend(actor, { id: o.id, areaPath: o.path })) throw new AppError("not_found", {}, "unitId");
    kind = "department";
    rootPath = o.path ?? "/";
    departmentIds = [o.id];
    name = o.name;
  }
  const results = await Promise.all(months.map((month) => computeMonthlyMeasures(db, { unit: kind, month, rootPath, departmentIds })));
  const points = results.map((list, i) => {
    const r = list.find((x) => x.unitId === q.unitId);
    return { month: months[i]!, measures: r?.measures ?? {}, composite: r?.composite ?? null };
  });
  const keys = kind === "department" ? [...caseMeasureKeys, ...departmentOnlyKeys] : caseMeasureKeys;
  return { unitId: q.unitId, unitName: name, unitKind: kind, formulas: measureFormulas().filter((f) => keys.includes(f.key)), points };
}

export interface WeightsView {
  areaId: string | null;
  month: string;
  effective: EffectiveWeights;
  /** Rows set for this area (or for the deployment when no area), latest first. */
  history: { fromMonth: string; weights: Partial<Record<MeasureKey, number>>; setAt: string }[];
  canEdit: boolean;
  defaults: Partial<Record<MeasureKey, number>>;
}

/** GET /api/measures/weights: the weights in force for an area (or the deployment) at a month. */
export async function getWeights(db: Db, actor: Actor, q: { areaId?: string | undefined; month?: string | undefined }): Promise<WeightsView> {
  const month = q.month ?? currentMonth();
  monthRange(month);
  let path: string | null = null;
  if (q.areaId) {
    const a = await loadArea(db, q.areaId);
    if (!a || !measurePolicy.readWeights(actor, { areaPath: a.path })) throw new AppError("not_found", {}, "areaId");
    path = a.path;
  } else if (!mayReadDeploymentWeights(actor)) {
    throw new AppError("forbidden");
  }
  const effective = resolveWeights(await weightRowsAt(db, month), path);
  const history = await rows<{ from_month: string; weights: Partial<Record<MeasureKey, number>>; created_at: string }>(
    db,
    sql`select from_month, weights, created_at::text as created_at from measure_weights
        where ${q.areaId ? sql`area_id = ${q.areaId}` : sql`area_id is null`} order by from_month desc`,
  );
  return {
    areaId: q.areaId ?? null,
    month,
    effective,
    history: history.map((h) => ({ fromMonth: h.from_month, weights: h.weights, setAt: h.created_at })),
    canEdit: mayEditWeights(actor, path === null ? null : { areaPath: path }),
    defaults: { ...defaultWeights },
  };
}

/** PUT /api/measures/weights: sets the weights of an area (or the deployment) from a month on. */
export async function setWeights(db: Db, actor: Actor, input: { areaId: string | null; fromMonth: string; weights: Record<string, number> }): Promise<WeightsView> {
  monthRange(input.fromMonth);
  let path: string | null = null;
  if (input.areaId) {
    const a = await loadArea(db, input.areaId);
    if (!a || !measurePolicy.readWeights(actor, { areaPath: a.path })) throw new AppError("not_found", {}, "areaId");
    path = a.path;
  }
  if (!mayEditWeights(actor, path === null ? null : { areaPath: path })) throw new AppError("forbidden");
  const weights = validateWeights(input.weights);
  await db.transaction(async (tx) => {
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into measure_weights (area_id, from_month, weights, set_by)
          values (${input.areaId}, ${input.fromMonth}, ${JSON.stringify(weights)}::jsonb, ${actor.userId})
          on conflict (coalesce(area_id::text, ''), from_month) do update set weights = excluded.weights, set_by = excluded.set_by, created_at = now()
          returning id::text as id`,
    );
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "measures.weights.set",
      entityType: "measure_weights",
      entityId: row!.id,
      change: { areaId: input.areaId, fromMonth: input.fromMonth, weights },
      summary: { fromMonth: input.fromMonth },
    });
  });
  return getWeights(db, actor, { areaId: input.areaId ?? undefined, month: input.fromMonth });
}
