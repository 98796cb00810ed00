import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { makeIdNumber } from "../../platform/pii/validate.js";
import { checkTagsAndSkills } from "./persons.js";
import { todayInChina } from "./service.js";

interface Household {
  id: string;
  gridId: string;
  dwellingId: string;
  buildingId: string | null;
  address: string;
  headName: string;
  size: number;
  masked: boolean;
  redGridMember?: { memberId: string; name: string; pinned: boolean } | null;
}
interface Person {
  id: string;
  householdId: string | null;
  gridId: string | null;
  name: string;
  tags: string[];
  skills: string[];
  idNumber: string | null;
  relation: string;
}

describe("person tags and skills", () => {
  it("keeps tags in the vocabulary's order, refuses unknown tags and skills without the talent tag", () => {
    expect(checkTagsAndSkills(["volunteer", "talent", "talent"], [" 水电维修 ", "水电维修", ""])).toEqual({ tags: ["talent", "volunteer"], skills: ["水电维修"] });
    expect(() => checkTagsAndSkills(["richPerson"], [])).toThrow(expect.objectContaining({ code: "person_tag_unknown", field: "tags" }));
    expect(() => checkTagsAndSkills(["volunteer"], ["法律咨询"])).toThrow(expect.objectContaining({ code: "person_skills_need_talent", field: "skills" }));
  });
});

describe.each(testEngines())("households and persons: register, move, edit on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let workerA: Session;
  let workerB: Session;
  let gridWorkerA1: Session;
  let streetAdmin: Session;
  let resident: Session;
  /** Dwellings: two in grid A1 (same building), one in grid A2, one in community B. */
  const d: Record<"a1x" | "a1y" | "a2" | "b1", string> = { a1x: "", a1y: "", a2: "", b1: "" };
  let householdId: string;

  const count = async (table: string, where = "true", params: unknown[] = []) =>
    Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table} where ${where}`, params))[0]!.n);

  async function dwelling(session: Session, communityId: string, name: string, lng: number, lat: number, rooms: string[]): Promise<string[]> {
    const c = (await t.as(session, "POST", "/api/compounds", { communityId, name, address: "测试市测试区测试街道幸福路12号" })).json() as { id: string };
    const b = (await t.as(session, "POST", "/api/buildings", { compoundId: c.id, name: "3栋", floors: 6, lng, lat })).json() as { id: string };
    const u = (await t.as(session, "POST", `/api/buildings/${b.id}/units`, { name: "2单元" })).json() as { id: string };
    const out: string[] = [];
    for (const room of rooms) {
      const res = await t.as(session, "POST", `/api/units/${u.id}/dwellings`, { floor: Number(room[0]), roomNo: room });
      out.push((res.json() as { id: string }).id);
    }
    return out;
  }

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    const login = async (role: Parameters<typeof createTestUser>[1]["role"], areaId: string, personId?: string) =>
      t.login((await createTestUser(t.database.db, { role, areaId, ...(personId ? { personId } : {}) })).username);
    workerA = await login("communityWorker", s.communityA);
    workerB = await login("communityWorker", s.communityB);
    gridWorkerA1 = await login("gridWorker", s.gridA1);
    streetAdmin = await login("streetAdmin", s.street);
    resident = await login("resident", s.gridA1, s.personA1);
    const [a1x, a1y] = await dwelling(workerA, s.communityA, "幸福路12号院", 104.005, 30.005, ["502", "601"]);
    const [a2] = await dwelling(workerA, s.communityA, "锦绣苑", 104.005, 30.015, ["101"]);
    const [b1] = await dwelling(workerB, s.communityB, "和平里", 104.015, 30.005, ["301"]);
    Object.assign(d, { a1x: a1x!, a1y: a1y!, a2: a2!, b1: b1! });
  });
  afterAll(async () => t?.close());

  it("registers a household in a dwelling with an address composed from the place, and its move-in as history", async () => {
    const res = await t.as(gridWorkerA1, "POST", "/api/households", { dwellingId: d.a1x, headName: "周建平", size: 1, movedInOn: "2020-05-01" });
    expect(res.statusCode).toBe(201);
    const h = res.json() as Household;
    householdId = h.id;
    expect(h).toMatchObject({ gridId: s.gridA1, dwellingId: d.a1x, address: "测试市测试区测试街道幸福路12号院3栋2单元502室", headName: "周建平", masked: false, redGridMember: null });
    expect(h.buildingId).toBeTruthy();
    const moves = (await t.as(workerA, "GET", `/api/households/${h.id}/moves`)).json() as { items: { fromDwellingId: string | null; toDwellingId: string; toPlace: string; movedOn: string }[] };
    expect(moves.items).toEqual([expect.objectContaining({ fromDwellingId: null, toDwellingId: d.a1x, toPlace: "幸福路12号院 3栋 2单元 502室", movedOn: "2020-05-01" })]);
    expect(await count("audit_entries", "action = 'household.create' and entity_id = $1", [h.id])).toBe(1);
    const [audit] = await t.database.query<{ summary: unknown }>("select summary from audit_entries where action = 'household.create' and entity_id = $1", [h.id]);
    expect(JSON.stringify(audit)).not.toContain("周建平");
    expect(JSON.stringify(audit)).not.toContain("502");

    // Outside scope: a grid worker in another grid, the other community, a resident; a future move-in date.
    const before = await count("households");
    expect((await t.as(gridWorkerA1, "POST", "/api/households", { dwellingId: d.a2, headName: "某某", size: 1 })).json()).toMatchObject({ code: "not_found", field: "dwellingId" });
    expect((await t.as(workerB, "POST", "/api/households", { dwellingId: d.a1y, headName: "某某", size: 1 })).statusCode).toBe(404);
    expect((await t.as(resident, "POST", "/api/households", { dwellingId: d.a1y, headName: "某某", size: 1 })).statusCode).toBe(404);
    expect((await t.as(workerA, "POST", "/api/households", { dwellingId: d.a1y, headName: "某某", size: 1, movedInOn: "2999-01-01" })).json()).toMatchObject({
      code: "validation_failed",
      field: "movedInOn",
    });
    expect(await count("households")).toBe(before);
  });

  it("edits a household's head, size and note; the resident cannot", async () => {
    const res = await t.as(gridWorkerA1, "PATCH", `/api/households/${householdId}`, { headName: "周建平", size: 2, note: "独居，子女在外地" });
    expect(res.json()).toMatchObject({ size: 2, note: "独居，子女在外地" });
    expect((await t.as(resident, "PATCH", `/api/households/${householdId}`, { size: 3 })).statusCode).toBe(404);
    expect((await t.as(workerA, "PATCH", `/api/households/${householdId}`, {})).statusCode).toBe(400);
  });

  it("refuses a move into the same dwelling, before the last move, or out of scope, writing nothing", async () => {
    const before = await count("household_moves");
    const same = await t.as(workerA, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a1x, movedOn: "2024-03-01" });
    expect(same.statusCode).toBe(400);
    expect(same.json()).toMatchObject({ code: "household_move_same_dwelling", field: "toDwellingId" });
    const early = await t.as(workerA, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a1y, movedOn: "2019-12-31" });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({ code: "household_move_before_last", field: "movedOn" });
    expect((early.json() as { message: string }).message).toContain("2020-05-01");
    // Community A's worker cannot move a household into community B; a grid worker not out of their grid.
    expect((await t.as(workerA, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.b1, movedOn: "2024-03-01" })).json()).toMatchObject({ code: "not_found", field: "toDwellingId" });
    expect((await t.as(gridWorkerA1, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a2, movedOn: "2024-03-01" })).statusCode).toBe(404);
    expect((await t.as(workerB, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.b1, movedOn: "2024-03-01" })).statusCode).toBe(404);
    expect((await t.as(resident, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a1y, movedOn: "2024-03-01" })).statusCode).toBe(404);
    expect((await t.as(workerA, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a1y, movedOn: "2024-02-30" })).statusCode).toBe(400);
    expect(await count("household_moves")).toBe(before);
    const h = (await t.as(workerA, "GET", `/api/households/${householdId}`)).json() as Household;
    expect(h.dwellingId).toBe(d.a1x);
  });

  it("moves a household within its grid: history, dwelling and address change, the red grid link stays", async () => {
    const [member] = await t.database.query<{ id: string }>("insert into party_members (person_id, status) values ($1, 'retired') returning id", [s.personA1]);
    await t.database.query("insert into red_grid_assignments (household_id, member_id, reason, pinned) values ($1, $2, 'nearest', false)", [householdId, member!.id]);
    const detail = (await t.as(workerA, "GET", `/api/households/${householdId}`)).json() as Household;
    expect(detail.redGridMember).toEqual({ memberId: member!.id, name: "张建国", pinned: false });
    const masked = (await t.as(streetAdmin, "GET", `/api/households/${householdId}`)).json() as Household;
    expect(masked.redGridMember).toEqual({ memberId: member!.id, name: "张**", pinned: false });

    const res = await t.as(gridWorkerA1, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a1y, movedOn: "2024-03-01" });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { household: Household; move: { gridChanged: boolean }; redGrid: { dropped: boolean; pinnedKept: boolean } };
    expect(body.household).toMatchObject({ dwellingId: d.a1y, gridId: s.gridA1, address: "测试市测试区测试街道幸福路12号院3栋2单元601室" });
    expect(body.move.gridChanged).toBe(false);
    expect(body.redGrid).toEqual({ dropped: false, pinnedKept: false });
    expect(await count("red_grid_assignments", "household_id = $1", [householdId])).toBe(1);
  });

  it("moves a household into another grid: persons follow, an automatic red grid link is dropped, a pinned one is kept and flagged", async () => {
    await t.as(workerA, "POST", `/api/households/${householdId}/persons`, { name: "周小梅", gender: "female", birthYear: 1990, relation: "子女" });
    const res = await t.as(workerA, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a2, movedOn: "2025-06-15" });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { household: Household; move: { gridChanged: boolean }; redGrid: { dropped: boolean; pinnedKept: boolean } };
    expect(body.household.gridId).toBe(s.gridA2);
    expect(body.household.redGridMember).toBeNull();
    expect(body).toMatchObject({ move: { gridChanged: true }, redGrid: { dropped: true, pinnedKept: false } });
    const grids = await t.database.query<{ grid_id: string }>("select grid_id from persons where household_id = $1", [householdId]);
    expect(grids.map((g) => g.grid_id)).toEqual([s.gridA2]);
    expect(await count("red_grid_assignments", "household_id = $1", [householdId])).toBe(0);

    const [member] = await t.database.query<{ id: string }>("select id from party_members where person_id = $1", [s.personA1]);
    await t.database.query("insert into red_grid_assignments (household_id, member_id, reason, pinned) values ($1, $2, 'override', true)", [householdId, member!.id]);
    const back = (await t.as(workerA, "POST", `/api/households/${householdId}/move`, { toDwellingId: d.a1x, movedOn: "2025-06-15" })).json() as { redGrid: { dropped: boolean; pinnedKept: boolean }; household: Household };
    expect(back.redGrid).toEqual({ dropped: false, pinnedKept: true });
    expect(back.household.redGridMember).toMatchObject({ memberId: member!.id, pinned: true });

    const moves = (await t.as(workerA, "GET", `/api/households/${householdId}/moves`)).json() as { items: { fromDwellingId: string | null; toDwellingId: string; movedOn: string }[] };
    expect(moves.items.map((m) => [m.fromDwellingId, m.toDwellingId])).toEqual([
      [d.a2, d.a1x],
      [d.a1y, d.a2],
      [d.a1x, d.a1y],
      [null, d.a1x],
    ]);
    const masked = (await t.as(streetAdmin, "GET", `/api/households/${householdId}/moves`)).json() as { items: { toPlace: string }[] };
    expect(masked.items[0]!.toPlace).toBe("幸福路**号院 *栋 *单元 ***室");
    expect(await count("audit_entries", "action = 'household.move' and entity_id = $1", [householdId])).toBe(3);
    expect((await t.as(workerB, "GET", `/api/households/${householdId}/moves`)).statusCode).toBe(404);
  });

  it("adds a person with an ID number stored encrypted; the same ID number again is person_duplicate without saying whose", async () => {
    const idNumber = makeIdNumber("990107", "1985-04-12", 31);
    const sizeBefore = (await t.database.query<{ size: number }>("select size from households where id = $1", [householdId]))[0]!.size;
    const res = await t.as(gridWorkerA1, "POST", `/api/households/${householdId}/persons`, {
      name: "周建军",
      gender: "male",
      birthYear: 1985,
      relation: "兄弟姐妹",
      idNumber,
      tags: ["volunteer", "talent"],
      skills: ["水电维修"],
    });
    expect(res.statusCode).toBe(201);
    const p = res.json() as Person;
    expect(p).toMatchObject({ householdId, gridId: s.gridA1, idNumber: `9901**********${idNumber.slice(-4)}`, tags: ["talent", "volunteer"], skills: ["水电维修"] });
    expect(res.body).not.toContain(idNumber);
    const [row] = await t.database.query<{ id_number_enc: string; id_number_hash: string }>("select id_number_enc, id_number_hash from persons where id = $1", [p.id]);
    expect(row!.id_number_enc).not.toContain(idNumber);
    expect(row!.id_number_hash).toBeTruthy();
    expect((await t.database.query<{ size: number }>("select size from households where id = $1", [householdId]))[0]!.size).toBe(sizeBefore + 1);

    const before = await count("persons");
    const dup = await t.as(workerA, "POST", `/api/households/${householdId}/persons`, { name: "王某", gender: "male", birthYear: 1985, relation: "其他", idNumber });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: "person_duplicate", field: "idNumber" });
    expect(dup.body).not.toContain("周建军");
    expect(dup.body).not.toContain(idNumber);
    const mismatch = await t.as(workerA, "POST", `/api/households/${householdId}/persons`, { name: "王某", gender: "male", birthYear: 1986, relation: "其他", idNumber: makeIdNumber("990107", "1985-04-12", 41) });
    expect(mismatch.json()).toMatchObject({ code: "validation_failed", field: "idNumber" });
    const noTalent = await t.as(workerA, "POST", `/api/households/${householdId}/persons`, { name: "王某", gender: "male", birthYear: 1986, relation: "其他", skills: ["法律咨询"] });
    expect(noTalent.json()).toMatchObject({ code: "person_skills_need_talent" });
    expect((await t.as(workerB, "POST", `/api/households/${householdId}/persons`, { name: "王某", gender: "male", birthYear: 1986, relation: "其他" })).statusCode).toBe(404);
    expect(await count("persons")).toBe(before);
    expect((await t.as(workerA, "PATCH", `/api/persons/${p.id}/contact`, { idNumber })).statusCode).toBe(200);
    const dupContact = await t.as(workerA, "PATCH", `/api/persons/${s.personA1}/contact`, { idNumber });
    expect(dupContact.json()).toMatchObject({ code: "person_duplicate" });
  });

  it("edits tags and skills: unknown tags and skills without the talent tag change nothing", async () => {
    const unknown = await t.as(workerA, "PATCH", `/api/persons/${s.personA1}`, { tags: ["richPerson"] });
    expect(unknown.statusCode).toBe(400);
    const noTalent = await t.as(workerA, "PATCH", `/api/persons/${s.personA1}`, { tags: ["volunteer"], skills: ["理发"] });
    expect(noTalent.json()).toMatchObject({ code: "person_skills_need_talent", field: "skills" });
    const [row] = await t.database.query<{ tags: string[]; skills: string[] }>("select tags, skills from persons where id = $1", [s.personA1]);
    expect(row).toEqual({ tags: [], skills: [] });

    const ok = await t.as(gridWorkerA1, "PATCH", `/api/persons/${s.personA1}`, { tags: ["buildingHead", "talent", "elderlyAlone"], skills: ["理发", "调解"] });
    expect(ok.json()).toMatchObject({ tags: ["elderlyAlone", "buildingHead", "talent"], skills: ["理发", "调解"] });
    // Dropping the talent tag drops the skills with it.
    const dropped = await t.as(gridWorkerA1, "PATCH", `/api/persons/${s.personA1}`, { tags: ["buildingHead"] });
    expect(dropped.json()).toMatchObject({ tags: ["buildingHead"], skills: [] });
    const [audit] = await t.database.query<{ summary: unknown }>("select summary from audit_entries where action = 'person.update' and entity_id = $1 order by id desc limit 1", [s.personA1]);
    expect(JSON.stringify(audit!.summary)).not.toMatch(/buildingHead|elderlyAlone|lowIncome/);
    expect((await t.as(workerB, "PATCH", `/api/persons/${s.personA1}`, { tags: [] })).statusCode).toBe(404);
    expect((await t.as(streetAdmin, "PATCH", `/api/persons/${s.personA1}`, { tags: [] })).statusCode).toBe(403);
    expect((await t.as(resident, "PATCH", `/api/persons/${s.personA1}`, { tags: [] })).statusCode).toBe(403);
  });

  it("moves a person to another household and takes one out of their household, keeping the record", async () => {
    const [p] = await t.database.query<{ id: string }>("select id from persons where household_id = $1 and name = '周小梅'", [householdId]);
    const same = await t.as(workerA, "POST", `/api/persons/${p!.id}/move`, { toHouseholdId: householdId, relation: "子女" });
    expect(same.json()).toMatchObject({ code: "person_same_household" });
    expect((await t.as(workerA, "POST", `/api/persons/${p!.id}/move`, { toHouseholdId: s.householdB1, relation: "配偶" })).json()).toMatchObject({ code: "not_found", field: "toHouseholdId" });
    const moved = await t.as(workerA, "POST", `/api/persons/${p!.id}/move`, { toHouseholdId: s.householdA2, relation: "配偶" });
    expect(moved.json()).toMatchObject({ householdId: s.householdA2, gridId: s.gridA2, relation: "配偶" });
    expect(await count("audit_entries", "action = 'person.move' and entity_id = $1", [p!.id])).toBe(1);

    const left = await t.as(workerA, "POST", `/api/persons/${p!.id}/leave`, { reason: "movedAway", leftOn: todayInChina() });
    expect(left.statusCode).toBe(200);
    expect(left.json()).toMatchObject({ householdId: null, gridId: s.gridA2 });
    const [audit] = await t.database.query<{ summary: { reason: string; householdId: string } }>("select summary from audit_entries where action = 'person.leaveHousehold' and entity_id = $1", [p!.id]);
    expect(audit!.summary).toEqual({ reason: "movedAway", householdId: s.householdA2 });
    expect(await count("persons", "id = $1", [p!.id])).toBe(1);
    const list = (await t.as(workerA, "GET", `/api/persons?areaId=${s.gridA2}&pageSize=200`)).json() as { items: Person[] };
    expect(list.items.map((x) => x.id)).not.toContain(p!.id);
    const again = await t.as(workerA, "POST", `/api/persons/${p!.id}/leave`, { reason: "deceased" });
    expect(again.json()).toMatchObject({ code: "person_not_in_household" });
    expect((await t.as(workerA, "POST", `/api/persons/${p!.id}/leave`, { reason: "eloped" })).statusCode).toBe(400);
  });

  it("lists households with their place in the compound: clear for the grid's workers, so two rooms of one building differ; digits hidden for the street", async () => {
    const second = await t.as(workerA, "POST", "/api/households", { dwellingId: d.a1y, headName: "吴秀兰", size: 2 });
    expect(second.statusCode).toBe(201);
    const list = async (who: Session) =>
      ((await t.as(who, "GET", `/api/households?areaId=${s.gridA1}&page=1&pageSize=50`)).json() as { items: (Household & { place: string | null })[] }).items;
    const mine = await list(gridWorkerA1);
    const places = mine.filter((h) => h.place?.startsWith("幸福路12号院")).map((h) => h.place);
    expect(places).toEqual(expect.arrayContaining(["幸福路12号院 3栋 2单元 502室", "幸福路12号院 3栋 2单元 601室"]));
    // Names and the street address stay masked in the list, whoever asks.
    expect(mine.every((h) => h.masked && h.address.includes("*"))).toBe(true);
    const street = await list(streetAdmin);
    expect(street.filter((h) => h.place?.startsWith("幸福路")).map((h) => h.place)).toEqual(expect.arrayContaining(["幸福路**号院 *栋 *单元 ***室"]));
    expect(street.some((h) => h.place?.includes("502"))).toBe(false);
  });
});
