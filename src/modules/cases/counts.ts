/**
 * The case counts the measures module (考核指标) is computed from — part of cases' public read API
 * (`index.ts`): other modules read cases through these functions, never through cases' tables.
 *
 * Everything is counted in SQL, one query per call: cases are grouped by the unit's segment of their
 * grid path (`split_part(area_path, '/', depth + 2)`) or by the handling department, never in a loop
 * over units.
 */
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";

/** Repeat complaints: same sub-category, an earlier case within this many metres and days. */
export const repeatRadiusM = 200;
export const repeatWindowDays = 30;

/** A period [start, end). */
export interface CountPeriod {
  start: Date;
  end: Date;
}

export type CaseCountsGrouping =
  /** Cases under `areaPrefix`, grouped by the id of their grid path's area at `depth` (city 0 … grid 4). */
  | { areaPrefix: string; depth: number }
  /** Cases handled by these departments, grouped by department, with the departments' summons (吹哨报到). */
  | { departmentIds: readonly string[] };

/**
 * The counts of each unit over a period: dispatched/responded, rated/resolved/satisfied/basic,
 * due/closed (on time), closed/reworked, submitted/repeats, and for departments their summons.
 * Units without a case in the period are absent. Numbers are numbers on both engines.
 */
export async function countCasesByUnit(db: Db, period: CountPeriod, by: CaseCountsGrouping): Promise<CaseCountRow[]> {
  if ("departmentIds" in by) {
    if (by.departmentIds.length === 0) return [];
    const ids = sql.join(by.departmentIds.map((id) => sql`${id}`), sql`, `);
    return analytic(db, countsQuery({ unit: sql`c.handling_org_id::text`, filter: sql`c.handling_org_id::text in (${ids})` }, period, sql`s.department_org_id::text`));
  }
  return analytic(db, countsQuery(areaGrouping(by.areaPrefix, by.depth), period, null));
}

/**
 * The latest instant before `before` at which a case of the grouping was submitted, dispatched,
 * rated or closed, or null: the measures pages open on the latest month that has figures.
 */
export async function latestCaseActivity(db: Db, before: Date, by: CaseCountsGrouping): Promise<Date | null> {
  let filter: SQL;
  if ("departmentIds" in by) {
    if (by.departmentIds.length === 0) return null;
    filter = sql`c.handling_org_id::text in (${sql.join(by.departmentIds.map((id) => sql`${id}`), sql`, `)})`;
  } else {
    filter = areaGrouping(by.areaPrefix, by.depth).filter;
  }
  const b = before.toISOString();
  // greatest() skips nulls; each column is bounded so a later event does not hide an earlier month.
  const lt = (col: string) => sql`case when c.${sql.raw(col)} < ${b}::timestamptz then c.${sql.raw(col)} end`;
  const [r] = await rows<{ ms: number | string | null }>(
    db,
    sql`select (extract(epoch from max(greatest(${lt("submitted_at")}, ${lt("dispatched_at")}, ${lt("rated_at")}, ${lt("closed_at")}))) * 1000)::float8 as ms
        from cases c where (${filter}) and c.submitted_at < ${b}::timestamptz`,
  );
  return r?.ms === null || r?.ms === undefined ? null : new Date(Number(r.ms));
}

/** Counts of one unit (an area or a department) over one period, as the SQL returns them. */
export interface CaseCountRow {
  unit: string;
  dispatched: number;
  responded: number;
  rated: number;
  resolved: number;
  satisfied: number;
  basic: number;
  due: number;
  due_closed_on_time: number;
  due_closed: number;
  closed: number;
  reworked: number;
  submitted: number;
  repeats: number;
  summons: number;
  reported_in: number;
  reported_in_on_time: number;
  /** Finished by the department itself; `on_behalf` were recorded for it by the summoning side (代为登记). */
  finished: number;
  on_behalf: number;
  mean_score: number | null;
  mean_handling_hours: number | null;
}

/**
 * Where the cases of a kind of unit are found: `unit` is the SQL expression naming a case's unit,
 * `filter` limits the cases read.
 */
interface UnitGrouping {
  unit: SQL;
  filter: SQL;
}

/**
 * Repeats are found on ~200 m cells (0.002° of latitude × 0.003° of longitude, wide enough up to
 * 53° N): a case's own cell and its 8 neighbours hold every earlier case within 200 m, and
 * (sub-category, cell) is one equality the database can hash-join on.
 */
const cellStride = sql.raw("1000000");

const excludedFromDue = sql`('rejected', 'merged', 'cancelled', 'parked')`;

/**
 * The counts SQL: one scan of the cases touching the month (FILTER aggregates), the repeats by a
 * hash join on (sub-category, ~200 m cell) with the 9 neighbouring cells, and for departments the
 * summons.
 */
function countsQuery(g: UnitGrouping, range: CountPeriod, summonsUnit: SQL | null): SQL {
  const s = range.start.toISOString();
  const e = range.end.toISOString();
  const inM = (col: string) => sql`(c.${sql.raw(col)} >= ${s}::timestamptz and c.${sql.raw(col)} < ${e}::timestamptz)`;
  const summons = summonsUnit
    ? sql`, sm as (
        select ${summonsUnit} as unit,
          count(*) filter (where s.status not in ('withdrawn', 'excused'))::int as summons,
          count(*) filter (where s.reported_in_at is not null and s.status not in ('withdrawn', 'excused'))::int as reported_in,
          count(*) filter (where s.reported_in_at is not null and s.reported_in_at <= s.report_in_due_at and s.status not in ('withdrawn', 'excused'))::int as reported_in_on_time,
          count(*) filter (where s.finished_at is not null and not s.recorded_on_behalf)::int as finished,
          count(*) filter (where s.recorded_on_behalf)::int as on_behalf,
          avg(s.score)::float8 as mean_score,
          (avg(extract(epoch from (s.finished_at - s.created_at))) filter (where s.finished_at is not null and not s.recorded_on_behalf) / 3600)::float8 as mean_handling_hours
        from case_summons s
        where s.created_at >= ${s}::timestamptz and s.created_at < ${e}::timestamptz
        group by 1)`
    : sql``;
  return sql`
    with agg as (
      select ${g.unit} as unit,
        count(*) filter (where ${inM("dispatched_at")})::int as dispatched,
        count(*) filter (where ${inM("dispatched_at")} and c.received_at is not null and (c.response_due_at is null or c.received_at <= c.response_due_at))::int as responded,
        count(*) filter (where ${inM("rated_at")})::int as rated,
        count(*) filter (where ${inM("rated_at")} and c.resolved)::int as resolved,
        count(*) filter (where ${inM("rated_at")} and c.rating = 'satisfied')::int as satisfied,
        count(*) filter (where ${inM("rated_at")} and c.rating = 'basic')::int as basic,
        count(*) filter (where ${inM("handle_due_at")} and c.status not in ${excludedFromDue})::int as due,
        count(*) filter (where ${inM("handle_due_at")} and c.status not in ${excludedFromDue} and c.closed_at is not null and c.closed_at <= c.handle_due_at)::int as due_closed_on_time,
        count(*) filter (where ${inM("handle_due_at")} and c.status not in ${excludedFromDue} and c.closed_at is not null)::int as due_closed,
        count(*) filter (where ${inM("closed_at")})::int as closed,
        count(*) filter (where ${inM("closed_at")} and c.rework_count > 0)::int as reworked,
        count(*) filter (where ${inM("submitted_at")})::int as submitted
      from cases c
      where (${g.filter})
        and (${inM("dispatched_at")} or ${inM("rated_at")} or ${inM("handle_due_at")} or ${inM("closed_at")} or ${inM("submitted_at")})
      group by 1
    ),
    m as (
      select c.id, ${g.unit} as unit, c.category_code, c.submitted_at, c.lng, c.lat, c.repeat_of_id,
        floor(c.lat / 0.002)::bigint as cy, floor(c.lng / 0.003)::bigint as cx
      from cases c
      where (${g.filter}) and ${inM("submitted_at")}
    ),
    m9 as (
      select m.id, m.unit, m.category_code, m.submitted_at, m.lng, m.lat, (m.cy + dy.d) * ${cellStride} + (m.cx + dx.d) as cell
      from m cross join (values (-1), (0), (1)) as dy(d) cross join (values (-1), (0), (1)) as dx(d)
    ),
    p as (
      select c.id, c.category_code, c.submitted_at, c.lng, c.lat, floor(c.lat / 0.002)::bigint * ${cellStride} + floor(c.lng / 0.003)::bigint as cell
      from cases c
      where c.submitted_at >= ${s}::timestamptz - interval '${sql.raw(String(repeatWindowDays))} days' and c.submitted_at < ${e}::timestamptz
    ),
    rep as (
      select unit, count(*)::int as repeats from (
        select m.id, m.unit from m9 as m
          join p on p.category_code = m.category_code and p.cell = m.cell
        where p.id <> m.id
          and p.submitted_at < m.submitted_at
          and p.submitted_at >= m.submitted_at - interval '${sql.raw(String(repeatWindowDays))} days'
          and ((p.lng - m.lng) * 111320 * cos(radians(m.lat))) * ((p.lng - m.lng) * 111320 * cos(radians(m.lat)))
            + ((p.lat - m.lat) * 110574) * ((p.lat - m.lat) * 110574) <= ${repeatRadiusM * repeatRadiusM}
        union
        select m.id, m.unit from m where m.repeat_of_id is not null
      ) r group by unit
    )${summons}
    select coalesce(a.unit, rep.unit${summonsUnit ? sql`, sm.unit` : sql``})::text as unit,
      coalesce(a.dispatched, 0) as dispatched, coalesce(a.responded, 0) as responded,
      coalesce(a.rated, 0) as rated, coalesce(a.resolved, 0) as resolved, coalesce(a.satisfied, 0) as satisfied, coalesce(a.basic, 0) as basic,
      coalesce(a.due, 0) as due, coalesce(a.due_closed_on_time, 0) as due_closed_on_time, coalesce(a.due_closed, 0) as due_closed,
      coalesce(a.closed, 0) as closed, coalesce(a.reworked, 0) as reworked,
      coalesce(a.submitted, 0) as submitted, coalesce(rep.repeats, 0) as repeats,
      ${
        summonsUnit
          ? sql`coalesce(sm.summons, 0) as summons, coalesce(sm.reported_in, 0) as reported_in, coalesce(sm.reported_in_on_time, 0) as reported_in_on_time,
                coalesce(sm.finished, 0) as finished, coalesce(sm.on_behalf, 0) as on_behalf, sm.mean_score, sm.mean_handling_hours`
          : sql`0 as summons, 0 as reported_in, 0 as reported_in_on_time, 0 as finished, 0 as on_behalf, null::float8 as mean_score, null::float8 as mean_handling_hours`
      }
    from agg a
    full join rep on rep.unit = a.unit
    ${summonsUnit ? sql`full join sm on sm.unit = coalesce(a.unit, rep.unit)` : sql``}`;
}

/** The area segment of a case's grid path at `depth` (city 0, district 1, street 2, community 3, grid 4). */
function areaGrouping(prefix: string, depth: number): UnitGrouping {
  return {
    unit: sql`split_part(c.area_path, '/', ${depth + 2})`,
    filter: sql`c.area_path like ${`${escapeLike(prefix)}%`}`,
  };
}

/**
 * Runs the counts query with settings for one large aggregate: no JIT (compiling it costs more
 * than the query on a million cases) and room to hash the repeat join in memory.
 */
async function analytic(db: Db, query: SQL): Promise<CaseCountRow[]> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    await tx.execute(sql`set local work_mem = '64MB'`);
    return (await rows<CaseCountRow>(tx, query)).map(normalize);
  });
}

/** Counts arrive as numbers or (bigint on some drivers) strings. */
function normalize(c: CaseCountRow): CaseCountRow {
  const out = { ...c } as Record<string, unknown>;
  for (const [k, v] of Object.entries(c)) if (k !== "unit" && k !== "mean_score" && k !== "mean_handling_hours") out[k] = Number(v);
  return out as unknown as CaseCountRow;
}

