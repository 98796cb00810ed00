/**
 * The unauthorized-access matrix: each actor tries reads and changes across two communities.
 * Out-of-scope records answer 404 (their existence is not revealed); readable but forbidden
 * changes answer 403; nothing out of scope changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { households } from "../../modules/people/schema.js";
import type { Role } from "./roles.js";

type Expect = 200 | 403 | 404;

describe.each(testEngines())("policy matrix on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let neighbourHousehold: string;
  const sessions: Partial<Record<string, Session>> = {};

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    // A neighbour in the resident's own grid: same grid, not the resident's record.
    const [n] = await t.database.db
      .insert(households)
      .values({ dwellingId: randomUUID(), gridId: s.gridA1, address: "测试市测试区测试街道幸福路12号3栋2单元601室", headName: "赵桂兰", size: 1 })
      .returning({ id: households.id });
    neighbourHousehold = n!.id;
    const make = async (key: string, role: Role, areaId: string, personId?: string) => {
      const u = await createTestUser(t.database.db, { role, areaId, ...(personId ? { personId } : {}) });
      sessions[key] = await t.login(u.username);
    };
    await make("workerA", "communityWorker", s.communityA);
    await make("gridWorkerA1", "gridWorker", s.gridA1);
    await make("resident", "resident", s.gridA1, s.personA1);
    await make("streetAdmin", "streetAdmin", s.street);
    await make("department", "departmentStaff", s.city);
    await make("analyst", "districtAnalyst", s.city);
  });
  afterAll(async () => t?.close());

  const who = (k: string) => sessions[k]!;

  const readCases: [string, () => string, Expect][] = [
    ["workerA", () => s.householdA1, 200],
    ["workerA", () => s.householdA2, 200],
    ["workerA", () => s.householdB1, 404],
    ["gridWorkerA1", () => s.householdA1, 200],
    ["gridWorkerA1", () => s.householdA2, 404],
    ["resident", () => s.householdA1, 200],
    ["resident", () => neighbourHousehold, 404],
    ["resident", () => s.householdB1, 404],
    ["streetAdmin", () => s.householdA1, 200],
    ["streetAdmin", () => s.householdB1, 200],
    ["department", () => s.householdA1, 404],
    ["analyst", () => s.householdB1, 200],
  ];
  it.each(readCases)("%s reading a household → %i", async (k, id, expected) => {
    const res = await t.as(who(k), "GET", `/api/households/${id()}`);
    expect(res.statusCode).toBe(expected);
    if (expected === 404) expect(res.json()).toMatchObject({ code: "not_found" });
  });

  it("a random id answers the same 404 as an out-of-scope one", async () => {
    const res = await t.as(who("workerA"), "GET", `/api/households/${randomUUID()}`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: "not_found" });
  });

  const writeCases: [string, () => string, Expect][] = [
    ["workerA", () => s.householdA2, 200],
    ["workerA", () => s.householdB1, 404],
    ["gridWorkerA1", () => s.householdA2, 404],
    ["resident", () => s.householdA1, 403],
    ["resident", () => s.householdB1, 404],
    ["streetAdmin", () => s.householdB1, 200],
    ["analyst", () => s.householdB1, 403],
    ["department", () => s.householdB1, 404],
  ];
  it.each(writeCases)("%s changing a household → %i, and nothing else changes", async (k, id, expected) => {
    const note = `note-${k}-${randomUUID().slice(0, 6)}`;
    const [before] = await t.database.query<{ note: string | null }>("select note from households where id = $1", [id()]);
    const res = await t.as(who(k), "PATCH", `/api/households/${id()}`, { note });
    expect(res.statusCode).toBe(expected);
    const [after] = await t.database.query<{ note: string | null }>("select note from households where id = $1", [id()]);
    expect(after!.note).toBe(expected === 200 ? note : before!.note);
  });

  it("lists only what is in scope", async () => {
    const list = async (k: string) => ((await t.as(who(k), "GET", "/api/households?pageSize=200")).json() as { items: { id: string }[] }).items.map((i) => i.id).sort();
    expect(await list("workerA")).toEqual([s.householdA1, s.householdA2, neighbourHousehold].sort());
    expect(await list("resident")).toEqual([s.householdA1]);
    expect(await list("streetAdmin")).toEqual([s.householdA1, s.householdA2, s.householdB1, neighbourHousehold].sort());
    expect(await list("department")).toEqual([]);
    const other = await t.as(who("workerA"), "GET", `/api/households?areaId=${s.communityB}`);
    expect(other.statusCode).toBe(404);
  });

  it("masks personal data in lists and for roles that do not need it; audits clear reads", async () => {
    const listed = (await t.as(who("workerA"), "GET", `/api/households?areaId=${s.gridA1}`)).json() as { items: { address: string; headName: string; masked: boolean }[] };
    for (const h of listed.items) {
      expect(h.masked).toBe(true);
      expect(h.address).not.toMatch(/[0-9]/);
      expect(h.headName).toMatch(/^.\*+$/);
    }
    const admin = (await t.as(who("streetAdmin"), "GET", `/api/households/${s.householdB1}`)).json() as { address: string; masked: boolean };
    expect(admin.masked).toBe(true);
    const before = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'household.readClear' and entity_id = $1", [s.householdA2]);
    const clear = (await t.as(who("workerA"), "GET", `/api/households/${s.householdA2}`)).json() as { address: string; masked: boolean; abilities: Record<string, boolean> };
    expect(clear.masked).toBe(false);
    expect(clear.address).toContain("14号");
    expect(clear.abilities).toMatchObject({ read: true, update: true });
    const after = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'household.readClear' and entity_id = $1", [s.householdA2]);
    expect(Number(after[0]!.n)).toBe(Number(before[0]!.n) + 1);
  });

  it("gives the staff's note on a household only to roles that may see its clear personal data, never in lists", async () => {
    const note = "户内能人：张军（川剧）";
    await t.database.query("update households set note = $1 where id = $2", [note, s.householdA1]);
    for (const k of ["workerA", "gridWorkerA1"]) {
      const res = await t.as(who(k), "GET", `/api/households/${s.householdA1}`);
      expect(res.json(), k).toMatchObject({ masked: false, note });
    }
    // The street administrator and the analyst read the household masked; the resident reads their own
    // household, but the note is written among staff. None of them gets it, nor any list.
    for (const k of ["streetAdmin", "analyst", "resident"]) {
      const res = await t.as(who(k), "GET", `/api/households/${s.householdA1}`);
      expect(res.statusCode, k).toBe(200);
      expect(res.json(), k).not.toHaveProperty("note");
      expect(res.body, k).not.toContain("张军");
    }
    for (const k of ["workerA", "gridWorkerA1", "streetAdmin", "analyst", "resident"]) {
      const list = await t.as(who(k), "GET", "/api/households?pageSize=200");
      expect(list.statusCode, k).toBe(200);
      expect(list.body, k).not.toContain("张军");
      for (const item of list.json<{ items: object[] }>().items) expect(item, k).not.toHaveProperty("note");
    }
  });

  const areaReads: [string, () => string, Expect][] = [
    ["workerA", () => s.communityA, 200],
    ["workerA", () => s.gridA2, 200],
    ["workerA", () => s.communityB, 404],
    ["workerA", () => s.gridB1, 404],
    ["workerA", () => s.street, 404],
    ["resident", () => s.gridA1, 200],
    ["resident", () => s.gridA2, 404],
    ["streetAdmin", () => s.communityB, 200],
    ["department", () => s.gridB1, 200],
  ];
  it.each(areaReads)("%s reading an area → %i", async (k, id, expected) => {
    const res = await t.as(who(k), "GET", `/api/areas/${id()}`);
    expect(res.statusCode).toBe(expected);
  });

  const areaWrites: [string, () => string, Expect][] = [
    ["workerA", () => s.gridA1, 200],
    ["workerA", () => s.communityA, 403],
    ["workerA", () => s.gridB1, 404],
    ["streetAdmin", () => s.communityB, 200],
    ["streetAdmin", () => s.street, 403],
    ["resident", () => s.gridA1, 403],
    ["department", () => s.gridA1, 403],
  ];
  it.each(areaWrites)("%s renaming an area → %i", async (k, id, expected) => {
    const [before] = await t.database.query<{ name: string }>("select name from areas where id = $1", [id()]);
    const res = await t.as(who(k), "PATCH", `/api/areas/${id()}`, { name: `${before!.name}（改）` });
    expect(res.statusCode).toBe(expected);
    const [after] = await t.database.query<{ name: string }>("select name from areas where id = $1", [id()]);
    expect(after!.name).toBe(expected === 200 ? `${before!.name}（改）` : before!.name);
  });

  it("answers 401 without a session on every data route", async () => {
    for (const url of ["/api/areas/roots", `/api/areas/${s.gridA1}`, `/api/areas/${s.gridA1}/geojson`, "/api/households", `/api/households/${s.householdA1}`, "/api/areas/locate?lng=104.005&lat=30.005"]) {
      const res = await t.as(null, "GET", url);
      expect(res.statusCode, url).toBe(401);
      expect(res.json()).toMatchObject({ code: "unauthenticated" });
    }
  });
});
