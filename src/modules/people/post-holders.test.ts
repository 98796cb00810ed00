/**
 * Persons recorded only for a post (大党委 part-time members from co-building units): no household,
 * no grid, readable through the bodies they hold posts in — and only there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../platform/auth/actor.js";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { personPolicy, postHolderInScopeOf, type PersonRecord } from "./policy.js";

describe("person policy for post-only persons", () => {
  const actor = (role: Actor["grants"][number]["role"], areaPath: string): Actor =>
    ({ kind: "user", userId: "u", personId: null, householdId: null, grants: [{ role, areaPath }] }) as unknown as Actor;
  const seatHolder: PersonRecord = { id: "p", areaPath: "", postAreaPaths: ["/c/d/s/a/"] };
  const resident: PersonRecord = { id: "r", areaPath: "/c/d/s/b/g/", postAreaPaths: ["/c/d/s/a/"] };

  it("lets the community of the body read (and name) the seat holder; not another community or a grid worker", () => {
    expect(personPolicy.read(actor("communityWorker", "/c/d/s/a/"), seatHolder)).toBe(true);
    expect(personPolicy.readClear(actor("communityWorker", "/c/d/s/a/"), seatHolder)).toBe(true);
    expect(personPolicy.read(actor("streetAdmin", "/c/d/s/"), seatHolder)).toBe(true);
    expect(personPolicy.readClear(actor("streetAdmin", "/c/d/s/"), seatHolder)).toBe(false);
    expect(personPolicy.read(actor("communityWorker", "/c/d/s/b/"), seatHolder)).toBe(false);
    expect(personPolicy.read(actor("gridWorker", "/c/d/s/a/g/"), seatHolder)).toBe(false);
    expect(personPolicy.update(actor("communityWorker", "/c/d/s/a/"), seatHolder)).toBe(false);
    expect(personPolicy.reveal(actor("communityWorker", "/c/d/s/a/"), seatHolder)).toBe(false);
  });

  it("never reads a resident through their posts: their grid decides", () => {
    expect(postHolderInScopeOf("communityWorker")(actor("communityWorker", "/c/d/s/a/"), resident)).toBe(false);
    expect(personPolicy.read(actor("communityWorker", "/c/d/s/a/"), resident)).toBe(false);
    expect(personPolicy.read(actor("communityWorker", "/c/d/s/b/"), resident)).toBe(true);
  });

  it("reads nobody through an empty list of posts", () => {
    expect(personPolicy.read(actor("streetAdmin", "/c/d/s/"), { id: "x", areaPath: "", postAreaPaths: [] })).toBe(false);
  });
});

describe.each(testEngines())("GET /api/persons/:id for a 大党委 seat holder without a household ($name)", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let workerA: Session;
  let workerB: Session;
  let gridWorkerA: Session;
  let street: Session;
  let department: Session;
  let seatPersonId: string;
  let committeeA: string;
  let hospital: string;

  const auditCount = async (action: string, entityId: string) =>
    Number((await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = $1 and entity_id = $2", [action, entityId]))[0]!.n);
  const created = async (who: Session, body: Record<string, unknown>) => {
    const res = await t.as(who, "POST", "/api/organizations", body);
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    street = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    workerA = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    workerB = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB })).username);
    gridWorkerA = await t.login((await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridA1 })).username);
    department = await t.login((await createTestUser(t.database.db, { role: "departmentStaff", areaId: s.city })).username);
    const working = await created(street, { kind: "streetWorkingCommittee", name: "测试街道党工委", parentId: null, areaId: s.street });
    committeeA = await created(workerA, { kind: "communityPartyCommittee", name: "甲社区党委", parentId: working, areaId: s.communityA });
    hospital = await created(workerA, { kind: "coBuildingUnit", name: "测试区人民医院", parentId: committeeA, areaId: s.communityA });
    const seat = await t.as(workerA, "POST", `/api/organizations/${committeeA}/committee-seats`, {
      coBuildingUnitId: hospital,
      person: { name: "刘志强", gender: "male", birthYear: 1975 },
      title: "兼职委员",
      unitTitle: "党委书记",
    });
    expect(seat.statusCode, seat.body).toBe(201);
    seatPersonId = (seat.json() as { personId: string }).personId;
  });
  afterAll(async () => t?.close());

  it("is read by the worker of the community where the seat is, with the name in clear (audited) and no edits", async () => {
    const before = await auditCount("person.readClear", seatPersonId);
    const res = await t.as(workerA, "GET", `/api/persons/${seatPersonId}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      id: seatPersonId,
      householdId: null,
      gridId: null,
      gridName: null,
      name: "刘志强",
      masked: false,
      abilities: { read: true, readClear: true, update: false, reveal: false },
    });
    expect(await auditCount("person.readClear", seatPersonId)).toBe(before + 1);
  });

  it("answers 404 to another community's worker and to a grid worker of the community", async () => {
    expect((await t.as(workerB, "GET", `/api/persons/${seatPersonId}`)).statusCode).toBe(404);
    expect((await t.as(gridWorkerA, "GET", `/api/persons/${seatPersonId}`)).statusCode).toBe(404);
    expect((await t.as(workerB, "PATCH", `/api/persons/${seatPersonId}`, { tags: ["volunteer"] })).statusCode).toBe(404);
  });

  it("shows the street admin a masked name", async () => {
    const res = await t.as(street, "GET", `/api/persons/${seatPersonId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ masked: true });
    expect((res.json() as { name: string }).name).not.toBe("刘志强");
  });

  it("refuses edits and reveals by the community (403) and changes nothing", async () => {
    const edit = await t.as(workerA, "PATCH", `/api/persons/${seatPersonId}`, { tags: ["volunteer"] });
    expect(edit.statusCode).toBe(403);
    const reveal = await t.as(workerA, "POST", `/api/persons/${seatPersonId}/reveal`, { field: "phone", purpose: "联系兼职委员开会" });
    expect(reveal.statusCode).toBe(403);
    const [row] = await t.database.query<{ tags: string[] }>("select tags from persons where id = $1", [seatPersonId]);
    expect(row!.tags).toEqual([]);
  });

  it("has a person page that works: party-member answer (not a member) and posts, for the community only", async () => {
    const party = await t.as(workerA, "GET", `/api/persons/${seatPersonId}/party-member`);
    expect(party.statusCode, party.body).toBe(200);
    expect(party.json()).toEqual({ member: null, canCreate: false });
    expect((await t.as(workerB, "GET", `/api/persons/${seatPersonId}/party-member`)).statusCode).toBe(404);
    const posts = await t.as(workerA, "GET", `/api/persons/${seatPersonId}/posts`);
    expect(posts.statusCode).toBe(200);
    expect((posts.json() as { items: { title: string }[] }).items.map((p) => p.title).sort()).toEqual(["党委书记", "兼职委员"].sort());
  });

  it("is not listed among the community's residents", async () => {
    const res = await t.as(workerA, "GET", `/api/persons?areaId=${s.communityA}&page=1&pageSize=100`);
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as { items: { id: string }[] }).items.map((p) => p.id)).not.toContain(seatPersonId);
  });

  it("gives holders' ids and names through posts only as the person page would: departments get neither", async () => {
    // A resident of grid A1 holds two posts too (交叉任职).
    for (const org of [committeeA, hospital]) {
      const add = await t.as(workerA, "POST", `/api/organizations/${org}/posts`, { personId: s.personA1, title: "委员", partTime: true });
      expect(add.statusCode, add.body).toBe(201);
    }
    type Post = { personId: string | null; personName: string };
    const posts = async (who: Session) => {
      const res = await t.as(who, "GET", `/api/organizations/${committeeA}/posts`);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: Post[] }).items;
    };
    // The community's worker reads both persons: ids and clear names.
    expect((await posts(workerA)).map((p) => [p.personId, p.personName]).sort()).toEqual(
      [
        [seatPersonId, "刘志强"],
        [s.personA1, "张建国"],
      ].sort(),
    );
    // The street reads both persons, masked as on their person pages.
    expect((await posts(street)).map((p) => [p.personId, p.personName]).sort()).toEqual(
      [
        [seatPersonId, "刘**"],
        [s.personA1, "张**"],
      ].sort(),
    );
    // A department reads the body, but no person of the community: no id, masked names.
    const seen = await t.as(department, "GET", `/api/organizations/${committeeA}/posts`);
    expect((seen.json() as { items: Post[] }).items.map((p) => [p.personId, p.personName]).sort()).toEqual(
      [
        [null, "刘**"],
        [null, "张**"],
      ].sort(),
    );
    for (const id of [seatPersonId, s.personA1]) {
      expect(seen.body).not.toContain(id);
      expect((await t.as(department, "GET", `/api/persons/${id}/posts`)).statusCode).toBe(404);
      expect((await t.as(department, "GET", `/api/persons/${id}`)).statusCode).toBe(404);
    }
    const cross = await t.as(department, "GET", `/api/areas/${s.communityA}/cross-appointments`);
    expect(cross.statusCode, cross.body).toBe(200);
    const crossItems = (cross.json() as { items: { personId: string | null; personName: string; posts: Post[] }[] }).items;
    expect(crossItems.map((c) => [c.personId, c.personName, c.posts.length]).sort()).toEqual(
      [
        [null, "刘**", 2],
        [null, "张**", 2],
      ].sort(),
    );
    for (const id of [seatPersonId, s.personA1]) expect(cross.body).not.toContain(id);
    // The community's worker still sees who holds what.
    const own = (await t.as(workerA, "GET", `/api/areas/${s.communityA}/cross-appointments`)).json() as { items: { personId: string | null }[] };
    expect(own.items.map((c) => c.personId).sort()).toEqual([seatPersonId, s.personA1].sort());
  });
});
