/**
 * search: the search box (POST /api/search: persons, households, buildings, organizations, cases)
 * and the case list's keyword (GET /api/cases?q=, with its total) over a district of 100,000
 * persons and 200,000 cases — 10 streets × 10 communities × 8 grids — generated with bulk SQL.
 * Case descriptions come from 40 sentences of residents' words (渣土, 漏水, 井盖…), drawn unevenly
 * so some words are common and some rare; their words are cut once per sentence by the same
 * `indexWords` intake uses.
 *
 * Ours: every module's search provider, as the route runs them, plus `listCases` with the keyword,
 * for a district analyst (the whole district in scope). Reference, in the same run: the same
 * questions as a plain ILIKE scan of descriptions and places (what a keyword search without the
 * words index would be). Each query is timed best of `runs`, alternating; the figures are sums
 * over the query set.
 *
 * PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a fresh
 * database dropped afterwards; PGlite too with `--pglite`.
 * Usage: npm run bench -- search [persons=100000] [cases=200000] [runs=5] [--pglite]
 */
import { randomUUID } from "node:crypto";
import { migrate, openDatabase, rows, sql, type Database } from "../src/platform/db/index.js";
import { withScratchDatabase } from "./support/scratch.js";
import { modules } from "../src/modules/index.js";
import { listCases } from "../src/modules/cases/lifecycle/queries.js";
import { indexWords, queryWords, type SearchProvider } from "../src/platform/search/index.js";
import { generateDataKeysValue, parseDataKeys } from "../src/platform/pii/keys.js";
import type { Actor } from "../src/platform/auth/actor.js";

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const withPglite = process.argv.includes("--pglite");
const personsN = Number(args[0] ?? 100_000);
const casesN = Number(args[1] ?? 200_000);
const runs = Math.max(1, Number(args[2] ?? 5));
const streetsN = 10;
const communitiesPerStreet = 10;
const gridsPerCommunity = 8;

const sentences = [
  "小区门口的空地上堆了一大堆渣土，下雨全冲到路上",
  "工地半夜还有渣土车进出，声音很大",
  "楼上卫生间漏水严重，我家天花板都发霉了",
  "隔壁家的水管漏水渗到我家墙里",
  "路口的井盖松动了，车压过去哐当响",
  "垃圾桶满了好几天没人清运，气味很大",
  "楼道里堆满了杂物，影响消防通道",
  "路灯不亮已经一个星期了，晚上很黑",
  "小区里有人遛狗不牵绳，吓到小孩",
  "店铺把桌椅摆到人行道上经营",
  "电动车在楼道里充电，很危险",
  "绿化带里的树枝断了挂在半空",
  "下水道堵塞，污水冒到路面上",
  "广场舞音乐太吵，晚上十点还没停",
  "墙上贴满了小广告，很难看",
  "共享单车乱停乱放，挡住了出口",
  "楼下餐馆油烟直排，熏得没法开窗",
  "小区门禁坏了，陌生人随便进出",
  "道路上有个大坑，骑车容易摔倒",
  "公厕没人打扫，很脏",
  "有人在绿地里焚烧树叶，冒烟",
  "电梯经常停运，老人上下楼困难",
  "屋顶防水层老化，一下雨就渗水",
  "外墙瓷砖脱落，砸到楼下的车",
  "地下车库积水，车开不进去",
  "消防栓被圈在围墙里，用不了",
  "流浪猫太多，晚上叫得睡不着",
  "快递堆在单元门口没人管",
  "空调外机滴水滴到楼下阳台",
  "施工围挡倒了，占了半条路",
  "小区里的健身器材坏了很久",
  "河道里漂着很多垃圾",
  "有人私拉电线给电动车充电",
  "楼顶有人种菜，浇水漏到楼下",
  "路边的广告牌摇摇欲坠",
  "窨井盖缺失，很危险",
  "装修垃圾随意堆放在楼道",
  "地面油污很多，容易滑倒",
  "夜里有货车鸣笛，影响休息",
  "老旧小区的化粪池满溢",
];
const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗".split("");
const given = "建国秀英明华丽军芳伟静敏强磊洋艳勇杰娟涛超霞平刚桂兰".split("");

interface Query {
  label: string;
  text: string;
}

async function generate(database: Database): Promise<{ districtPath: string; districtId: string; caseNo: string; name: string }> {
  const db = database.db;
  const cityId = randomUUID();
  const districtId = randomUUID();
  const districtPath = `/${cityId}/${districtId}/`;
  const areaRows: { id: string; parent_id: string | null; level: string; name: string; code: string; path: string; depth: number; sort: number }[] = [
    { id: cityId, parent_id: null, level: "city", name: "基准市", code: "97", path: `/${cityId}/`, depth: 0, sort: 0 },
    { id: districtId, parent_id: cityId, level: "district", name: "基准区", code: "9701", path: districtPath, depth: 1, sort: 0 },
  ];
  for (let s = 0; s < streetsN; s++) {
    const sid = randomUUID();
    const sPath = `${districtPath}${sid}/`;
    areaRows.push({ id: sid, parent_id: districtId, level: "street", name: `第${s + 1}街道`, code: `9701${String(s).padStart(3, "0")}`, path: sPath, depth: 2, sort: s });
    for (let c = 0; c < communitiesPerStreet; c++) {
      const cid = randomUUID();
      const cPath = `${sPath}${cid}/`;
      const cCode = `9701${String(s).padStart(3, "0")}${String(c).padStart(3, "0")}`;
      areaRows.push({ id: cid, parent_id: sid, level: "community", name: `第${s + 1}街道第${c + 1}社区`, code: cCode, path: cPath, depth: 3, sort: c });
      for (let g = 0; g < gridsPerCommunity; g++) {
        const gid = randomUUID();
        areaRows.push({ id: gid, parent_id: cid, level: "grid", name: `第${g + 1}网格`, code: `${cCode}${String(g).padStart(3, "0")}`, path: `${cPath}${gid}/`, depth: 4, sort: g });
      }
    }
  }
  for (let i = 0; i < areaRows.length; i += 500) {
    await db.execute(
      sql`insert into areas (id, parent_id, level, name, code, path, depth, sort_order) values ${sql.join(
        areaRows.slice(i, i + 500).map((a) => sql`(${a.id}, ${a.parent_id}, ${a.level}, ${a.name}, ${a.code}, ${a.path}, ${a.depth}, ${a.sort})`),
        sql`, `,
      )}`,
    );
  }
  await db.execute(sql`create table bench_grids as
    select (row_number() over (order by a.code) - 1)::int as gi, a.id, a.path, a.parent_id as community_id, p.parent_id as street_id
    from areas a join areas p on p.id = a.parent_id where a.level = 'grid' and a.path like ${`${districtPath}%`}`);
  const grids = streetsN * communitiesPerStreet * gridsPerCommunity;
  // The sentences with their words, cut once each by intake's own indexWords.
  await db.execute(sql`create table bench_sentences (si int, description text, words text[])`);
  await db.execute(
    sql`insert into bench_sentences values ${sql.join(
      sentences.map((s, i) => sql`(${i}, ${s}, ${`{${indexWords(s).map((w) => `"${w}"`).join(",")}}`}::text[])`),
      sql`, `,
    )}`,
  );
  const [cat] = await rows<{ id: string }>(db, sql`insert into case_catalogues (version, status, published_at) values (1, 'active', now()) returning id::text as id`);
  const [k] = await rows<{ id: string }>(db, sql`insert into case_categories (catalogue_id, code, name) values (${cat!.id}, '0101', '基准类别') returning id::text as id`);
  // Persons: households of 2 (one row per person here; the household's address on it).
  await db.execute(sql`
    insert into households (id, dwelling_id, grid_id, address, head_name, size)
    select gen_random_uuid(), gen_random_uuid(), g.id, '基准路' || (i % 300) || '号' || (i % 40) || '栋' || (i % 6 + 1) || '单元' || (i % 30 + 101) || '室', '户主', 2
    from generate_series(1, ${Math.ceil(personsN / 2)}::int) i join bench_grids g on g.gi = i % ${grids}`);
  await db.execute(sql`
    insert into persons (household_id, grid_id, name, gender, birth_year, relation)
    select h.id, h.grid_id, (${`{${surnames.join(",")}}`}::text[])[1 + floor(random() * ${surnames.length})::int]
        || (${`{${given.join(",")}}`}::text[])[1 + floor(random() * ${given.length})::int]
        || (${`{${given.join(",")}}`}::text[])[1 + floor(random() * ${given.length})::int],
      case when random() < 0.5 then 'male' else 'female' end, 1930 + floor(random() * 90)::int, case when r = 1 then '户主' else '配偶' end
    from households h, generate_series(1, 2) r`);
  // Cases: sentences drawn unevenly (the first ones often, the last ones rarely).
  await db.execute(sql`
    insert into cases (case_no, source, category_id, category_code, description, status, level, handling_area_id, grid_id, area_path,
      community_id, street_id, lng, lat, submitted_at, search_words)
    select 'B' || lpad(x.i::text, 10, '0'), 'resident', ${k!.id}, '0101', s.description, 'dispatched', 'grid', g.id, g.id, g.path,
      g.community_id, g.street_id, 104.05, 30.65, now() - random() * interval '730 days', array_to_tsvector(s.words)
    from (select i, floor(random() * ${grids})::int as gi, floor(power(random(), 1.6) * ${sentences.length})::int as si
          from generate_series(1, ${casesN}::int) i) x
    join bench_grids g on g.gi = x.gi join bench_sentences s on s.si = x.si`);
  for (const t of ["bench_grids", "bench_sentences"]) await db.execute(sql.raw(`drop table ${t}`));
  await db.execute(sql`analyze`);
  const [one] = await rows<{ case_no: string }>(db, sql`select case_no from cases order by random() limit 1`);
  const [p] = await rows<{ name: string }>(db, sql`select name from persons order by random() limit 1`);
  return { districtPath, districtId, caseNo: one!.case_no, name: p!.name };
}

/** The reference: the same questions as ILIKE scans (cases' words; the rest as ours). */
async function referenceSearch(database: Database, districtPath: string, text: string, limit: number): Promise<number> {
  const pattern = `%${text}%`;
  const inDistrict = `${districtPath}%`;
  const hits = await database.query<{ id: string }>(
    `select id from cases where area_path like $1 and (case_no like upper($3) || '%' or description ilike $2 or location_text ilike $2)
     order by submitted_at desc limit $4`,
    [inDistrict, pattern, text, limit + 1],
  );
  const persons = await database.query<{ id: string }>(
    `select p.id from persons p join areas g on g.id = p.grid_id where g.path like $1 and p.household_id is not null and p.name ilike $2 limit $3`,
    [inDistrict, `${text}%`, limit + 1],
  );
  const households = await database.query<{ id: string }>(
    `select h.id from households h join areas g on g.id = h.grid_id where g.path like $1 and h.address ilike $2 limit $3`,
    [inDistrict, pattern, limit + 1],
  );
  return hits.length + persons.length + households.length;
}

async function referenceList(database: Database, districtPath: string, text: string): Promise<number> {
  const list = await database.query<{ id: string; total: string }>(
    `select id, count(*) over () as total from cases where area_path like $1 and (case_no like upper($3) || '%' or description ilike $2 or location_text ilike $2)
     order by submitted_at desc limit 20`,
    [`${districtPath}%`, `%${text}%`, text],
  );
  return Number(list[0]?.total ?? 0);
}

async function run(label: string, database: Database): Promise<{ ours: number; ref: number }> {
  await migrate(database);
  const g0 = performance.now();
  const { districtPath, districtId, caseNo, name } = await generate(database);
  const [stats] = await database.query<{ persons: string; cases: string }>(`select (select count(*) from persons)::text as persons, (select count(*) from cases)::text as cases`);
  console.log(`${label}: generated ${stats!.persons} persons and ${stats!.cases} cases in ${((performance.now() - g0) / 1000).toFixed(1)} s`);
  const keyring = parseDataKeys(generateDataKeysValue());
  const providers: SearchProvider[] = modules.flatMap((m) => (m.search ? [m.search] : []));
  const actor: Actor = {
    kind: "user",
    userId: randomUUID(),
    username: "bench",
    displayName: "bench",
    locale: "zh-CN",
    personId: null,
    householdId: null,
    orgId: null,
    grants: [{ role: "districtAnalyst", areaId: districtId, areaPath: districtPath, areaName: "基准区", areaLevel: "district", orgId: null }],
  };
  const queries: Query[] = [
    { label: "common word", text: "渣土" },
    { label: "word", text: "漏水" },
    { label: "rare word", text: "化粪池" },
    { label: "two words", text: "楼上 漏水" },
    { label: "name", text: name },
    { label: "case number", text: caseNo },
  ];
  const limit = 5;
  let oursTotal = 0;
  let refTotal = 0;
  for (const q of queries) {
    let ours = Infinity;
    let ref = Infinity;
    let oursCount = 0;
    let refCount = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const query = { text: q.text, words: queryWords(q.text), limit, keyring, lang: "zh-CN" as const };
      let found = 0;
      const parts: string[] = [];
      for (const p of providers) {
        const p0 = performance.now();
        found += (await p.search(database.db, actor, query)).length;
        parts.push(`${p.kinds.join("+")} ${(performance.now() - p0).toFixed(0)}`);
      }
      const l0 = performance.now();
      const list = await listCases(database.db, actor, { q: q.text, pageSize: 20 });
      parts.push(`list ${(performance.now() - l0).toFixed(0)}`);
      if (process.argv.includes("--parts") && i === runs - 1) console.log(`  ${parts.join(", ")} ms`);
      ours = Math.min(ours, performance.now() - t0);
      oursCount = list.total;
      void found;
      const t1 = performance.now();
      await referenceSearch(database, districtPath, q.text, limit);
      refCount = await referenceList(database, districtPath, q.text);
      ref = Math.min(ref, performance.now() - t1);
    }
    oursTotal += ours;
    refTotal += ref;
    console.log(`${label}: ${q.label} (${q.text}): ours ${ours.toFixed(1)} ms, ${oursCount} cases listed; ILIKE ${ref.toFixed(1)} ms, ${refCount} cases listed`);
  }
  return { ours: oursTotal, ref: refTotal };
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
  console.log("pglite: skipped (add --pglite to measure it too)");
}
const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
results.push({ label: "postgres", ...(await withScratchDatabase(url, (served) => run("postgres", served))) });
for (const r of results) console.log(`${r.label}: ours ${r.ours.toFixed(0)} ms; reference ${r.ref.toFixed(0)} ms; ratio ${(r.ref / r.ours).toFixed(3)}`);
const last = results[results.length - 1]!;
console.log(
  `search: ${last.ours.toFixed(0)} ms (${last.label}, ${personsN} persons, ${casesN} cases, six queries: search box and case list with total); reference ${last.ref.toFixed(0)} ms; ratio ${(last.ref / last.ours).toFixed(3)}`,
);
