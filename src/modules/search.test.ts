import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../test-support/app.js";
import { demoPassword, loadDemoStreet } from "../tools/demo/index.js";
import { decryptField } from "../platform/pii/crypto.js";
import { maskName } from "../platform/mask.js";
import { indexWords, queryWords, tsqueryOf, tsvectorOf } from "../platform/search/index.js";
import { rows } from "../platform/db/index.js";
import { sql } from "drizzle-orm";

interface Hit {
  kind: string;
  id: string;
  title: string;
  detail: string;
  masked: boolean;
}
interface Answer {
  groups: { kind: string; items: Hit[]; more: boolean }[];
}

describe("Chinese words for search", () => {
  it("cuts a description into the words a person types", () => {
    expect(indexWords("楼上卫生间漏水严重")).toEqual(expect.arrayContaining(["楼上", "卫生间", "卫生", "漏水", "严重"]));
    expect(indexWords("空地上堆了一大堆渣土，下雨全冲到路上")).toContain("渣土");
    expect(queryWords("漏水")).toEqual(["漏水"]);
    // Punctuation and spaces are no words; Latin letters are kept in lower case.
    expect(queryWords("  渣土， GZ2026 ")).toEqual(["渣土", "gz2026"]);
  });

  it("builds no query from nothing searchable, and quotes what it is given", () => {
    expect(tsqueryOf([])).toBeUndefined();
    expect(tsqueryOf(queryWords("，。！"))).toBeUndefined();
  });
});

describe.each(testEngines())("the search box on $name", (engine) => {
  let t: TestApp;
  let street: Session;
  let grid: Session;
  let dept: Session;
  let gridPath: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    await loadDemoStreet(t.database, { keyring: t.keyring });
    street = await t.login("streetadmin", demoPassword);
    grid = await t.login("gridworker", demoPassword);
    dept = await t.login("deptstaff", demoPassword);
    const [g] = await t.database.query<{ path: string }>(
      "select a.path from role_grants r join users u on u.id = r.user_id join areas a on a.id = r.area_id where u.username = 'gridworker' and r.role = 'gridWorker'",
    );
    gridPath = g!.path;
  }, 300_000);
  afterAll(async () => t?.close());

  const search = async (who: Session, q: string, extra: object = {}) => {
    const res = await t.as(who, "POST", "/api/search", { q, ...extra });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Answer;
  };
  const hitsOf = (a: Answer, kind: string) => a.groups.find((g) => g.kind === kind)?.items ?? [];

  it("matches segmented words on both engines (漏水 in 楼上卫生间漏水严重, 渣土 in 渣土车)", async () => {
    const match = async (text: string, q: string) => {
      const [r] = await rows<{ m: boolean }>(t.database.db, sql`select ${tsvectorOf(indexWords(text))} @@ ${tsqueryOf(queryWords(q))!} as m`);
      return r!.m;
    };
    expect(await match("楼上卫生间漏水严重", "漏水")).toBe(true);
    expect(await match("楼上卫生间漏水严重", "卫生间 漏水")).toBe(true);
    expect(await match("工地半夜还有渣土车进出", "渣土")).toBe(true);
    expect(await match("楼上卫生间漏水严重", "渣土")).toBe(false);
    // A quote or a tsquery operator typed is a character, not syntax.
    expect(await match("楼上卫生间漏水严重", "漏水' | '渣土")).toBe(false);
    expect(await match("楼上卫生间漏水严重", "漏水 | 渣土")).toBe(false);
  });

  it("finds in the case list every case whose description holds 渣土, and only those", async () => {
    const res = await t.as(street, "GET", `/api/cases?q=${encodeURIComponent("渣土")}&pageSize=100`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: { description: string }[]; total: number };
    const [{ n }] = (await t.database.query<{ n: number }>("select count(*)::int as n from cases where description like '%渣土%'")) as [{ n: number }];
    expect(n).toBeGreaterThan(0);
    expect(body.total).toBe(n);
    for (const c of body.items) expect(c.description).toContain("渣土");
  });

  it("finds cases by words and by number, within the asker's scope", async () => {
    const all = hitsOf(await search(street, "漏水", { kind: "case", limit: 50 }), "case");
    expect(all.length).toBeGreaterThan(0);
    for (const h of all) expect(h.title).toContain("漏水");

    const [c] = await t.database.query<{ id: string; case_no: string }>("select id, case_no from cases order by submitted_at desc limit 1");
    const byNo = hitsOf(await search(street, c!.case_no), "case");
    expect(byNo.map((h) => h.id)).toEqual([c!.id]);
    expect(hitsOf(await search(street, c!.case_no.toLowerCase().slice(0, 12), { kind: "case" }), "case").length).toBeGreaterThan(0);
  });

  it("shows a grid worker only the cases of their grid (and their own reports)", async () => {
    const word = "垃圾";
    const inStreet = hitsOf(await search(street, word, { kind: "case", limit: 50 }), "case");
    const inGrid = hitsOf(await search(grid, word, { kind: "case", limit: 50 }), "case");
    const outside = await t.database.query<{ id: string }>(
      "select c.id from cases c join users u on u.username = 'gridworker' where c.description like '%垃圾%' and c.area_path not like $1 and c.reporter_user_id is distinct from u.id",
      [`${gridPath}%`],
    );
    expect(outside.length).toBeGreaterThan(0);
    expect(inStreet.length).toBeGreaterThan(inGrid.length);
    const outsideIds = new Set(outside.map((r) => r.id));
    for (const h of inGrid) expect(outsideIds.has(h.id)).toBe(false);
  });

  it("shows a department only the cases it handles or is summoned to", async () => {
    const words = ["工地", "垃圾", "漏水", "广告", "占道"];
    let seen = 0;
    let streetSees = 0;
    for (const w of words) {
      for (const h of hitsOf(await search(dept, w, { kind: "case", limit: 50 }), "case")) {
        seen++;
        expect((await t.as(dept, "GET", `/api/cases/${h.id}`)).statusCode).toBe(200);
      }
      streetSees += hitsOf(await search(street, w, { kind: "case", limit: 50 }), "case").length;
    }
    expect(seen).toBeGreaterThan(0);
    expect(streetSees).toBeGreaterThan(seen);
    // Persons and households are not a department's to see.
    const [p] = await t.database.query<{ name: string }>("select name from persons where household_id is not null limit 1");
    expect(hitsOf(await search(dept, p!.name), "person")).toEqual([]);
  });

  it("finds a person by name, masked, and never sends the clear name", async () => {
    const [p] = await t.database.query<{ id: string; name: string }>(
      "select p.id, p.name from persons p where p.household_id is not null and (select count(*) from persons q where q.name = p.name) = 1 and length(p.name) >= 2 order by p.id limit 1",
    );
    const res = await t.as(street, "POST", "/api/search", { q: p!.name });
    const persons = hitsOf(res.json() as Answer, "person");
    expect(persons.map((h) => h.id)).toContain(p!.id);
    const hit = persons.find((h) => h.id === p!.id)!;
    expect(hit.title).toBe(maskName(p!.name));
    expect(hit.masked).toBe(true);
    expect(res.body).not.toContain(p!.name);
  });

  it("finds a person by ID number (still), masked, in scope only", async () => {
    const [inGrid] = await t.database.query<{ id: string; id_number_enc: string }>(
      "select p.id, p.id_number_enc from persons p join areas g on g.id = p.grid_id where g.path like $1 and p.id_number_enc is not null limit 1",
      [`${gridPath}%`],
    );
    const [outGrid] = await t.database.query<{ id: string; id_number_enc: string }>(
      "select p.id, p.id_number_enc from persons p join areas g on g.id = p.grid_id where g.path not like $1 and p.id_number_enc is not null limit 1",
      [`${gridPath}%`],
    );
    const mine = decryptField(t.keyring, inGrid!.id_number_enc, "persons.id_number");
    const theirs = decryptField(t.keyring, outGrid!.id_number_enc, "persons.id_number");
    const res = await t.as(grid, "POST", "/api/search", { q: mine });
    expect(hitsOf(res.json() as Answer, "person").map((h) => h.id)).toEqual([inGrid!.id]);
    expect(res.body).not.toContain(mine);
    expect(hitsOf(await search(grid, theirs), "person")).toEqual([]);
    // The street administrator finds the other grid's person; the exact-lookup route still answers too.
    expect(hitsOf(await search(street, theirs), "person").map((h) => h.id)).toEqual([outGrid!.id]);
    expect((await t.as(street, "POST", "/api/persons/search", { idNumber: theirs })).statusCode).toBe(200);
  });

  it("finds households by their place, digits only for the grid's own workers", async () => {
    const [h] = await t.database.query<{ id: string; compound: string; building: string; unit: string; room: string }>(
      `select h.id, c.name as compound, b.name as building, u.name as unit, d.room_no as room from households h join areas g on g.id = h.grid_id
       join dwellings d on d.id = h.dwelling_id join building_units u on u.id = d.unit_id join buildings b on b.id = d.building_id
       join compounds c on c.id = b.compound_id where g.path like $1 order by h.id limit 1`,
      [`${gridPath}%`],
    );
    const q = `${h!.compound}${h!.building}${h!.unit}${h!.room}`;
    const mine = hitsOf(await search(grid, q, { kind: "household" }), "household");
    expect(mine.map((x) => x.id)).toContain(h!.id);
    expect(mine[0]!.title).toMatch(/\d/);
    // The street reads the household masked: a number typed finds nothing it would show as *.
    expect(hitsOf(await search(street, q, { kind: "household" }), "household")).toEqual([]);
  });

  it("finds buildings and organizations by name", async () => {
    const [b] = await t.database.query<{ id: string; compound: string; name: string }>(
      "select b.id, c.name as compound, b.name from buildings b join compounds c on c.id = b.compound_id order by b.id limit 1",
    );
    expect(hitsOf(await search(street, `${b!.compound} ${b!.name}`, { kind: "building", limit: 50 }), "building").map((x) => x.id)).toContain(b!.id);
    const [o] = await t.database.query<{ id: string; name: string }>("select id, name from organizations where dissolved_on is null and area_id is not null order by id limit 1");
    expect(hitsOf(await search(street, o!.name, { kind: "organization", limit: 50 }), "organization").map((x) => x.id)).toContain(o!.id);
  });

  it("refuses an empty or overlong query, and asks for a login", async () => {
    for (const q of ["   ", "", "渣".repeat(61)]) {
      const res = await t.as(street, "POST", "/api/search", { q });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { code: string }).code).toBe("validation_failed");
    }
    expect((await t.as(street, "POST", "/api/search", { q: "渣土", kind: "nothing" })).statusCode).toBe(400);
    expect((await t.as(null, "POST", "/api/search", { q: "渣土" })).statusCode).toBe(401);
  });
});
