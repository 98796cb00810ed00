/**
 * measures: the monthly measures (response, resolution, satisfaction, on-time closing, closing,
 * rework, repeat complaints) of every street of a district for one month, over generated cases —
 * 1,000,000 by default, 40 streets × 10 communities × 8 grids, twelve months (July 2025 – June
 * 2026), with dispatch, response, closing and rating times and summons of 30 departments —
 * written with bulk SQL (generate_series) straight into `cases`.
 *
 * Ours: `computeMonthlyMeasures` (units, weights, the counts query, rates, composite, ranks).
 * Reference, in the same run: one hand-written SQL query giving the same counts per street
 * (grouped by `street_id` rather than the path segment, the same neighbouring-cell join for
 * repeats). Both must give the same numbers ("agree"). Best of `runs` each, alternating.
 *
 * PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test) in a fresh
 * database dropped afterwards; PGlite too with `--pglite` (generation alone takes minutes there).
 * Usage: npm run bench -- measures [cases=1000000] [runs=3] [--pglite]
 */
import { randomUUID } from "node:crypto";
import { migrate, openDatabase, rows, sql, type Database } from "../src/platform/db/index.js";
import { withScratchDatabase } from "./support/scratch.js";
import { computeMonthlyMeasures, monthRange, type MeasureRow } from "../src/modules/measures/index.js";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
/** PGlite takes several minutes just to generate a million cases: opt in with --pglite. */
const withPglite = process.argv.includes("--pglite");
const n = Number(args[0] ?? 1_000_000);
const runs = Math.max(1, Number(args[1] ?? 3));
const month = "2026-03";
const streetsN = 40;
const communitiesPerStreet = 10;
const gridsPerCommunity = 8;
const departmentsN = 30;

interface Counts {
  dispatched: number;
  responded: number;
  rated: number;
  resolved: number;
  satisfiedOrBasic: number;
  due: number;
  dueOnTime: number;
  dueClosed: number;
  closed: number;
  reworked: number;
  submitted: number;
  repeats: number;
}

async function generate(database: Database): Promise<{ districtPath: string }> {
  const db = database.db;
  const cityId = randomUUID();
  const districtId = randomUUID();
  const areaRows: { id: string; parent_id: string | null; level: string; name: string; code: string; path: string; depth: number; sort: number }[] = [];
  areaRows.push({ id: cityId, parent_id: null, level: "city", name: "基准市", code: "98", path: `/${cityId}/`, depth: 0, sort: 0 });
  const districtPath = `/${cityId}/${districtId}/`;
  areaRows.push({ id: districtId, parent_id: cityId, level: "district", name: "基准区", code: "9801", path: districtPath, depth: 1, sort: 0 });
  for (let s = 0; s < streetsN; s++) {
    const sid = randomUUID();
    const sPath = `${districtPath}${sid}/`;
    areaRows.push({ id: sid, parent_id: districtId, level: "street", name: `第${s + 1}街道`, code: `9801${String(s).padStart(3, "0")}`, path: sPath, depth: 2, sort: s });
    for (let c = 0; c < communitiesPerStreet; c++) {
      const cid = randomUUID();
      const cPath = `${sPath}${cid}/`;
      const cCode = `9801${String(s).padStart(3, "0")}${String(c).padStart(3, "0")}`;
      areaRows.push({ id: cid, parent_id: sid, level: "community", name: `第${s + 1}街道第${c + 1}社区`, code: cCode, path: cPath, depth: 3, sort: c });
      for (let g = 0; g < gridsPerCommunity; g++) {
        const gid = randomUUID();
        areaRows.push({ id: gid, parent_id: cid, level: "grid", name: `第${g + 1}网格`, code: `${cCode}${String(g).padStart(3, "0")}`, path: `${cPath}${gid}/`, depth: 4, sort: g });
      }
    }
  }
  for (let i = 0; i < areaRows.length; i += 500) {
    const chunk = areaRows.slice(i, i + 500);
    await db.execute(
      sql`insert into areas (id, parent_id, level, name, code, path, depth, sort_order) values ${sql.join(
        chunk.map((a) => sql`(${a.id}, ${a.parent_id}, ${a.level}, ${a.name}, ${a.code}, ${a.path}, ${a.depth}, ${a.sort})`),
        sql`, `,
      )}`,
    );
  }
  const [cat] = await rows<{ id: string }>(db, sql`insert into case_catalogues (version, status, published_at) values (1, 'active', now()) returning id::text as id`);
  await db.execute(sql`insert into case_categories (catalogue_id, code, name) select ${cat!.id}, lpad(k::text, 4, '0'), '类别' || k from generate_series(1, 20) k`);
  await db.execute(sql`insert into organizations (kind, name, area_id, path) select 'department', '基准区第' || k || '局', ${districtId}, '/' from generate_series(1, ${departmentsN}) k`);
  // Grids numbered 0…3199 on a 64-wide lattice of 0.005° squares; categories 0…19; departments 0…29.
  await db.execute(sql`create table bench_grids as
    select (row_number() over (order by a.code) - 1)::int as gi, a.id, a.path, a.parent_id as community_id, p.parent_id as street_id
    from areas a join areas p on p.id = a.parent_id where a.level = 'grid'`);
  await db.execute(sql`create table bench_cats as select (row_number() over (order by code) - 1)::int as ki, id, code from case_categories where parent_id is null`);
  await db.execute(sql`create table bench_depts as select (row_number() over (order by name) - 1)::int as di, id from organizations where kind = 'department'`);
  const grids = streetsN * communitiesPerStreet * gridsPerCommunity;
  const batch = 250_000;
  for (let from = 1; from <= n; from += batch) {
    const to = Math.min(n, from + batch - 1);
    await db.execute(sql`
      insert into cases (case_no, source, category_id, category_code, description, status, level, handling_area_id, handling_org_id,
        grid_id, area_path, community_id, street_id, lng, lat, submitted_at, registered_at, dispatched_at, response_due_at, received_at,
        handle_due_at, closed_at, closed_on_time, rework_count, rating, resolved, rated_at)
      with x as (
        select i, floor(random() * ${grids})::int as gi, floor(random() * 20)::int as ki, floor(random() * ${departmentsN})::int as di,
          timestamptz '2025-07-01 00:00+08' + random() * interval '365 days' as sub,
          random() as rd, random() as rr, random() as rc, random() as rt, random() as rw, random() as rx, random() as rl, random() as px, random() as py
        from generate_series(${from}::int, ${to}::int) i
      ), y as (
        select x.*,
          case when rd < 0.92 then sub + rd * interval '4 hours' end as disp,
          rd < 0.92 and rr < 0.96 as got, rd < 0.92 and rr < 0.96 and rc < 0.88 as done, rd < 0.92 and rr < 0.96 and rc < 0.88 and rt < 0.75 as rated
        from x
      )
      select 'B' || lpad(y.i::text, 10, '0'), 'resident', k.id, k.code, '基准案件', 
        case when rated then 'rated' when done then 'closed' when got then 'inProgress' when disp is not null then 'dispatched' when rd > 0.97 then 'rejected' else 'submitted' end,
        case when rl < 0.15 then 'department' else 'grid' end,
        case when rl < 0.15 then null else g.id end,
        case when rl < 0.15 then d.id end,
        g.id, g.path, g.community_id, g.street_id,
        104 + (g.gi % 64) * 0.005 + px * 0.005, 30 + (g.gi / 64) * 0.005 + py * 0.005,
        sub, sub + interval '10 minutes', disp, disp + interval '2 hours',
        case when got then disp + rr * interval '2 hours 30 minutes' end,
        disp + interval '3 days',
        case when done then disp + rc * interval '4 days' end,
        case when done then rc * 4 <= 3 end,
        case when done and rx < 0.05 then 1 else 0 end,
        case when rated then (case when rw < 0.8 then 'satisfied' when rw < 0.92 then 'basic' else 'dissatisfied' end) end,
        case when rated then rw < 0.9 end,
        case when rated then disp + rc * interval '4 days' + interval '1 day' end
      from y join bench_grids g on g.gi = y.gi join bench_cats k on k.ki = y.ki join bench_depts d on d.di = y.di`);
  }
  await db.execute(sql`
    insert into case_summons (whistle_id, case_id, department_org_id, status, report_in_due_at, reported_in_at, finished_at, score, created_at)
    select gen_random_uuid(), c.id, d.id,
      case when r2 < 0.7 then 'finished' when r1 < 0.9 then 'reportedIn' else 'summoned' end,
      c.dispatched_at + interval '1 day',
      case when r1 < 0.9 then c.dispatched_at + r1 * interval '30 hours' end,
      case when r1 < 0.9 and r2 < 0.7 then c.dispatched_at + interval '2 days' + r2 * interval '3 days' end,
      case when r1 < 0.9 and r2 < 0.7 then 1 + floor(r3 * 5)::int end,
      c.dispatched_at
    from (select id, dispatched_at, random() as r0, random() as r1, random() as r2, random() as r3, floor(random() * ${departmentsN})::int as di
          from cases where dispatched_at is not null) c
    join bench_depts d on d.di = c.di
    where c.r0 < 0.06`);
  for (const t of ["bench_grids", "bench_cats", "bench_depts"]) await db.execute(sql.raw(`drop table ${t}`));
  await db.execute(sql`analyze`);
  return { districtPath };
}

/** The reference: the same counts per street in one query, written directly. */
async function reference(database: Database, districtPath: string, tuned = false): Promise<Map<string, Counts>> {
  const { start, end } = monthRange(month);
  const s = start.toISOString();
  const e = end.toISOString();
  const query = (text: string, params: unknown[]) =>
    tuned
      ? database.db.transaction(async (tx) => {
          await tx.execute(sql`set local jit = off`);
          await tx.execute(sql`set local work_mem = '64MB'`);
          return rows<Record<string, string | number>>(tx, sql.raw(bind(text, params)));
        })
      : database.query<Record<string, string | number>>(text, params);
  const list = await query(
    `with m_cases as (
       select * from cases
       where area_path like $3 and (dispatched_at >= $1 and dispatched_at < $2 or rated_at >= $1 and rated_at < $2
         or handle_due_at >= $1 and handle_due_at < $2 or closed_at >= $1 and closed_at < $2 or submitted_at >= $1 and submitted_at < $2)
     ), per_street as (
       select street_id,
         count(*) filter (where dispatched_at >= $1 and dispatched_at < $2) as dispatched,
         count(*) filter (where dispatched_at >= $1 and dispatched_at < $2 and received_at <= coalesce(response_due_at, received_at)) as responded,
         count(*) filter (where rated_at >= $1 and rated_at < $2) as rated,
         count(*) filter (where rated_at >= $1 and rated_at < $2 and resolved) as resolved,
         count(*) filter (where rated_at >= $1 and rated_at < $2 and rating in ('satisfied', 'basic')) as satisfied_or_basic,
         count(*) filter (where handle_due_at >= $1 and handle_due_at < $2 and status not in ('rejected', 'merged', 'cancelled', 'parked')) as due,
         count(*) filter (where handle_due_at >= $1 and handle_due_at < $2 and status not in ('rejected', 'merged', 'cancelled', 'parked') and closed_at <= handle_due_at) as due_on_time,
         count(*) filter (where handle_due_at >= $1 and handle_due_at < $2 and status not in ('rejected', 'merged', 'cancelled', 'parked') and closed_at is not null) as due_closed,
         count(*) filter (where closed_at >= $1 and closed_at < $2) as closed,
         count(*) filter (where closed_at >= $1 and closed_at < $2 and rework_count > 0) as reworked,
         count(*) filter (where submitted_at >= $1 and submitted_at < $2) as submitted
       from m_cases group by street_id
     ), new9 as (
       select n.id, n.street_id, n.category_code, n.submitted_at, n.lng, n.lat,
         (floor(n.lat / 0.002)::bigint + oy) * 1000000 + floor(n.lng / 0.003)::bigint + ox as cell
       from cases n, generate_series(-1, 1) oy, generate_series(-1, 1) ox
       where n.area_path like $3 and n.submitted_at >= $1 and n.submitted_at < $2
     ), window_cases as (
       select id, category_code, submitted_at, lng, lat, floor(lat / 0.002)::bigint * 1000000 + floor(lng / 0.003)::bigint as cell
       from cases where submitted_at >= $1::timestamptz - interval '30 days' and submitted_at < $2
     ), repeats as (
       select street_id, count(distinct id) as repeats from (
         select n.id, n.street_id from new9 n
           join window_cases w on w.category_code = n.category_code and w.cell = n.cell
         where w.id <> n.id and w.submitted_at < n.submitted_at and w.submitted_at >= n.submitted_at - interval '30 days'
           and power((w.lng - n.lng) * 111320 * cos(radians(n.lat)), 2) + power((w.lat - n.lat) * 110574, 2) <= 40000
         union all
         select id, street_id from cases where repeat_of_id is not null and area_path like $3 and submitted_at >= $1 and submitted_at < $2
       ) r group by street_id
     )
     select a.id::text as street, ps.*, coalesce(r.repeats, 0) as repeats
     from areas a left join per_street ps on ps.street_id = a.id left join repeats r on r.street_id = a.id
     where a.level = 'street' and a.path like $3`,
    [s, e, `${districtPath}%`],
  );
  const out = new Map<string, Counts>();
  for (const r of list) {
    const v = (k: string) => Number(r[k] ?? 0);
    out.set(String(r.street), {
      dispatched: v("dispatched"),
      responded: v("responded"),
      rated: v("rated"),
      resolved: v("resolved"),
      satisfiedOrBasic: v("satisfied_or_basic"),
      due: v("due"),
      dueOnTime: v("due_on_time"),
      dueClosed: v("due_closed"),
      closed: v("closed"),
      reworked: v("reworked"),
      submitted: v("submitted"),
      repeats: v("repeats"),
    });
  }
  return out;
}

/** Inlines $n parameters (ISO times and a path of uuids: no quotes inside) for the tuned run. */
function bind(text: string, params: unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, i: string) => `'${String(params[Number(i) - 1])}'`);
}

function countsOf(r: MeasureRow): Counts {
  const m = r.measures;
  return {
    dispatched: m.response!.denominator,
    responded: m.response!.numerator,
    rated: m.resolution!.denominator,
    resolved: m.resolution!.numerator,
    satisfiedOrBasic: m.satisfaction!.numerator,
    due: m.onTimeClosing!.denominator,
    dueOnTime: m.onTimeClosing!.numerator,
    dueClosed: m.closing!.numerator,
    closed: m.rework!.denominator,
    reworked: m.rework!.numerator,
    submitted: m.repeat!.denominator,
    repeats: m.repeat!.numerator,
  };
}

async function run(label: string, database: Database): Promise<{ ours: number; ref: number }> {
  await migrate(database);
  const g0 = performance.now();
  const { districtPath } = await generate(database);
  const [stats] = await database.query<{ cases: string; summons: string; in_month: string }>(
    `select (select count(*) from cases)::text as cases, (select count(*) from case_summons)::text as summons,
       (select count(*) from cases where submitted_at >= $1 and submitted_at < $2)::text as in_month`,
    [monthRange(month).start.toISOString(), monthRange(month).end.toISOString()],
  );
  console.log(`${label}: generated ${stats!.cases} cases and ${stats!.summons} summons over ${streetsN} streets in ${((performance.now() - g0) / 1000).toFixed(1)} s; ${stats!.in_month} submitted in ${month}`);
  let ours = Infinity;
  let ref = Infinity;
  let oursRows: MeasureRow[] = [];
  let refRows = new Map<string, Counts>();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    oursRows = await computeMonthlyMeasures(database.db, { unit: "street", month, rootPath: districtPath });
    ours = Math.min(ours, performance.now() - t0);
    const t1 = performance.now();
    refRows = await reference(database, districtPath);
    ref = Math.min(ref, performance.now() - t1);
  }
  // For the record: the reference run with the settings computeMonthlyMeasures uses (no JIT, 64 MB work_mem).
  const t2 = performance.now();
  const tunedRows = await reference(database, districtPath, true);
  const tuned = performance.now() - t2;
  let agree = oursRows.length === streetsN && tunedRows.size === streetsN && refRows.size === streetsN;
  for (const r of oursRows) {
    const a = countsOf(r);
    const b = refRows.get(r.unitId);
    if (!b || JSON.stringify(a) !== JSON.stringify(b) || JSON.stringify(b) !== JSON.stringify(tunedRows.get(r.unitId))) {
      agree = false;
      console.log(`${label}: DISAGREE on ${r.unitName}: ours ${JSON.stringify(a)} reference ${JSON.stringify(b)}`);
      break;
    }
  }
  const top = oursRows[0]!;
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(2)} %`);
  console.log(
    `${label}: ${agree ? "agree" : "DISAGREE"} on all ${oursRows.length} streets; first: ${top.unitName} composite ${top.composite} (response ${pct(top.measures.response?.value)}, resolution ${pct(top.measures.resolution?.value)}, satisfaction ${pct(top.measures.satisfaction?.value)}, on-time ${pct(top.measures.onTimeClosing?.value)}, rework ${pct(top.measures.rework?.value)}, repeat ${pct(top.measures.repeat?.value)})`,
  );
  console.log(`${label}: computeMonthlyMeasures ${ours.toFixed(0)} ms; hand-written SQL ${ref.toFixed(0)} ms (best of ${runs}, server settings); the same SQL with no JIT and 64 MB work_mem ${tuned.toFixed(0)} ms (once)`);
  if (!agree) process.exitCode = 1;
  return { ours, ref };
}

const results: { label: string; ours: number; ref: number }[] = [];
if (withPglite) {
  const embedded = await openDatabase({});
  try {
    results.push({ label: "pglite", ...(await run("pglite", embedded)) });
  } finally {
    await embedded.close();
  }
} else {
  console.log(`pglite: skipped (generating ${n} cases in the embedded engine takes several minutes; add --pglite to measure it too)`);
}
const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
results.push({ label: "postgres", ...(await withScratchDatabase(url, (served) => run("postgres", served))) });
for (const r of results) console.log(`${r.label}: ours ${r.ours.toFixed(0)} ms; reference ${r.ref.toFixed(0)} ms; ratio ${(r.ref / r.ours).toFixed(3)}`);
const last = results[results.length - 1]!;
console.log(`measures: ${last.ours.toFixed(0)} ms (${last.label}, ${n} cases, all ${streetsN} streets, one month); reference ${last.ref.toFixed(0)} ms; ratio ${(last.ref / last.ours).toFixed(3)}`);
