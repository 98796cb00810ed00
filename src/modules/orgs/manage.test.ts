import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { placementProblem } from "./manage.js";
import type { OrgKind } from "./kinds.js";

describe("placement of organization kinds", () => {
  const street = { level: "street", path: "/c/d/s/" };
  const community = { level: "community", path: "/c/d/s/a/" };
  const grid = { level: "grid", path: "/c/d/s/a/g/" };
  const committee = { kind: "communityPartyCommittee", areaPath: community.path, dissolvedOn: null };
  it("accepts the party line and community bodies where they belong", () => {
    expect(placementProblem("streetWorkingCommittee", null, street)).toBeUndefined();
    expect(placementProblem("communityPartyCommittee", { kind: "streetWorkingCommittee", areaPath: street.path, dissolvedOn: null }, community)).toBeUndefined();
    expect(placementProblem("gridPartyBranch", committee, grid)).toBeUndefined();
    expect(placementProblem("buildingPartyGroup", { kind: "gridPartyBranch", areaPath: grid.path, dissolvedOn: null }, grid)).toBeUndefined();
    expect(placementProblem("interestPartyGroup", committee, community)).toBeUndefined();
    expect(placementProblem("residentsCommittee", committee, community)).toBeUndefined();
    expect(placementProblem("socialOrg", null, community)).toBeUndefined();
  });
  it("names what is wrong: parent kind, level, area outside the parent, dissolved parent, departments", () => {
    const branchUnderStreet = placementProblem("gridPartyBranch", { kind: "streetWorkingCommittee", areaPath: street.path, dissolvedOn: null }, grid);
    expect(branchUnderStreet).toMatchObject({ code: "org_wrong_parent", field: "parentId" });
    expect(branchUnderStreet?.params.detail).toContain("社区(大)党委");
    expect(placementProblem("gridPartyBranch", null, grid)).toMatchObject({ field: "parentId" });
    expect(placementProblem("communityPartyCommittee", { kind: "streetWorkingCommittee", areaPath: street.path, dissolvedOn: null }, grid)).toMatchObject({ field: "areaId" });
    expect(placementProblem("gridPartyBranch", committee, { level: "grid", path: "/c/d/s/b/g/" })).toMatchObject({ field: "areaId" });
    expect(placementProblem("interestPartyGroup", { ...committee, dissolvedOn: "2026-01-01" }, community)).toMatchObject({ field: "parentId" });
    expect(placementProblem("department", null, community)).toMatchObject({ field: "areaId" });
    expect(placementProblem("department", null, { level: "district", path: "/c/d/" })).toBeUndefined();
    expect(placementProblem("department", committee, { level: "district", path: "/c/d/" })).toMatchObject({ field: "parentId" });
  });
});

describe.each(testEngines())("organizations: create, change, dissolve, posts ($name)", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let street: Session;
  let workerA: Session;
  let workerB: Session;
  let gridWorkerA: Session;
  const ids: Record<string, string> = {};

  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
  const auditCount = async (action: string) => Number((await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = $1", [action]))[0]!.n);
  const create = async (who: Session, body: Record<string, unknown>) => t.as(who, "POST", "/api/organizations", body);
  const created = async (who: Session, body: Record<string, unknown>) => {
    const res = await create(who, body);
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
  });
  afterAll(async () => t?.close());

  it("serves the placement rules the create form offers (departments at a district; labels in the request's language; login needed)", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/org-kinds" })).statusCode).toBe(401);
    const res = await t.as(workerA, "GET", "/api/org-kinds");
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: { kind: string; label: string; party: boolean; parents: (string | null)[]; levels: string[] }[] }).items;
    expect(items.find((k) => k.kind === "department")).toMatchObject({ parents: [null], levels: ["district"] });
    expect(items.find((k) => k.kind === "gridPartyBranch")).toEqual({ kind: "gridPartyBranch", label: "网格党支部", party: true, parents: ["communityPartyCommittee"], levels: ["grid"] });
    // Every rule the form is given is one the server accepts: a body of each kind placed as its rule says passes placementProblem.
    for (const k of items) expect(placementProblem(k.kind as OrgKind, k.parents[0] ? { kind: k.parents[0], areaPath: "/c/", dissolvedOn: null } : null, { level: k.levels[0]!, path: "/c/x/" }), k.kind).toBeUndefined();
    const en = await t.app.inject({ method: "GET", url: "/api/org-kinds", headers: { cookie: workerA.cookie, "accept-language": "en" } });
    expect((en.json() as { items: { kind: string; label: string }[] }).items.find((k) => k.kind === "socialOrg")?.label).toMatch(/[a-z]/);
  });

  it("builds the party line 工委 → 社区党委 → 网格党支部 → 楼道党小组 and the community bodies", async () => {
    ids.committeeStreet = await created(street, { kind: "streetWorkingCommittee", name: "测试街道党工委", parentId: null, areaId: s.street });
    ids.committeeA = await created(workerA, { kind: "communityPartyCommittee", name: "甲社区党委", parentId: ids.committeeStreet, areaId: s.communityA });
    ids.branchA1 = await created(workerA, { kind: "gridPartyBranch", name: "甲社区第一网格党支部", parentId: ids.committeeA, areaId: s.gridA1 });
    ids.groupA1 = await created(workerA, { kind: "buildingPartyGroup", name: "幸福里3栋楼道党小组", parentId: ids.branchA1, areaId: s.gridA1 });
    ids.interest = await created(workerA, { kind: "interestPartyGroup", name: "甲社区书画兴趣党小组", parentId: ids.committeeA, areaId: s.communityA });
    ids.residents = await created(workerA, { kind: "residentsCommittee", name: "甲社区居民委员会", parentId: ids.committeeA, areaId: s.communityA });
    ids.station = await created(workerA, { kind: "workStation", name: "甲社区工作站", parentId: ids.committeeA, areaId: s.communityA });
    ids.social = await created(workerA, { kind: "socialOrg", name: "邻里互助社", parentId: null, areaId: s.communityA });
    ids.unit = await created(workerA, { kind: "coBuildingUnit", name: "测试区人民医院", parentId: ids.committeeA, areaId: s.communityA });
    ids.committeeB = await created(workerB, { kind: "communityPartyCommittee", name: "乙社区党委", parentId: ids.committeeStreet, areaId: s.communityB });

    const tree = (await t.as(street, "GET", `/api/organizations?areaId=${s.street}`)).json() as { items: { id: string; parentId: string | null; kind: string; incubation: string | null }[] };
    expect(tree.items.find((o) => o.id === ids.groupA1)?.parentId).toBe(ids.branchA1);
    expect(tree.items.find((o) => o.id === ids.social)?.incubation).toBe("incubating");
    const [paths] = await t.database.query<{ path: string }>("select path from organizations where id = $1", [ids.groupA1]);
    expect(paths!.path).toBe(`/${ids.committeeStreet}/${ids.committeeA}/${ids.branchA1}/${ids.groupA1}/`);
    expect(await auditCount("organization.create")).toBe(10);
  });

  it("refuses a wrong parent kind, a wrong level and an area outside the parent, writing nothing", async () => {
    const before = await count("organizations");
    const auditsBefore = await count("audit_entries");
    const wrongParent = await create(workerA, { kind: "gridPartyBranch", name: "错挂支部", parentId: ids.committeeStreet, areaId: s.gridA2 });
    expect(wrongParent.statusCode).toBe(400);
    expect(wrongParent.json()).toMatchObject({ code: "org_wrong_parent", field: "parentId" });
    expect((wrongParent.json() as { message: string }).message).toContain("网格党支部");
    const wrongLevel = await create(workerA, { kind: "interestPartyGroup", name: "错层小组", parentId: ids.committeeA, areaId: s.gridA2 });
    expect(wrongLevel.json()).toMatchObject({ code: "org_wrong_parent", field: "areaId" });
    const outside = await create(street, { kind: "gridPartyBranch", name: "越界支部", parentId: ids.committeeA, areaId: s.gridB1 });
    expect(outside.json()).toMatchObject({ code: "org_wrong_parent", field: "areaId" });
    const incubationOnStation = await create(workerA, { kind: "workStation", name: "第二工作站", parentId: null, areaId: s.communityA, incubation: "incubating" });
    expect(incubationOnStation.json()).toMatchObject({ code: "org_not_social" });
    const dup = await create(workerA, { kind: "workStation", name: "甲社区工作站", parentId: ids.committeeA, areaId: s.communityA });
    expect(dup.statusCode).toBe(409);
    expect(await count("organizations")).toBe(before);
    expect(await count("audit_entries")).toBe(auditsBefore);
  });

  it("keeps each role to its scope: B's worker cannot see or change A's bodies; a grid worker reads but cannot change", async () => {
    expect((await t.as(workerB, "GET", `/api/organizations/${ids.committeeA}`)).statusCode).toBe(404);
    expect((await t.as(workerB, "PATCH", `/api/organizations/${ids.residents}`, { name: "改名" })).statusCode).toBe(404);
    expect((await t.as(workerB, "GET", `/api/organizations/${ids.committeeA}/posts`)).statusCode).toBe(404);
    expect((await create(workerB, { kind: "socialOrg", name: "越权组织", parentId: null, areaId: s.communityA })).statusCode).toBe(404);
    expect((await t.as(workerB, "GET", `/api/areas/${s.communityA}/cross-appointments`)).statusCode).toBe(404);
    const read = await t.as(gridWorkerA, "GET", `/api/organizations/${ids.branchA1}`);
    expect(read.statusCode).toBe(200);
    expect((read.json() as { abilities: { manage: boolean } }).abilities.manage).toBe(false);
    expect((await t.as(gridWorkerA, "PATCH", `/api/organizations/${ids.branchA1}`, { name: "改名" })).statusCode).toBe(403);
    const mine = await t.as(workerA, "GET", `/api/organizations/${ids.committeeA}`);
    const body = mine.json() as { abilities: { manage: boolean }; children: { id: string }[]; childKinds: string[]; parent: { id: string } };
    expect(body.abilities.manage).toBe(true);
    expect(body.parent.id).toBe(ids.committeeStreet);
    expect(body.children.map((c) => c.id)).toEqual(expect.arrayContaining([ids.branchA1, ids.interest, ids.residents, ids.station, ids.unit]));
    expect(body.childKinds).toEqual(expect.arrayContaining(["gridPartyBranch", "interestPartyGroup", "socialOrg"]));
  });

  it("renames, sets incubation only on social organizations, sets a supervisor without loops", async () => {
    expect((await t.as(workerA, "PATCH", `/api/organizations/${ids.residents}`, { name: "甲社区居委会" })).statusCode).toBe(204);
    const notSocial = await t.as(workerA, "PATCH", `/api/organizations/${ids.station}`, { incubation: "graduated" });
    expect(notSocial.statusCode).toBe(400);
    expect(notSocial.json()).toMatchObject({ code: "org_not_social", field: "incubation" });
    expect((await t.as(workerA, "PATCH", `/api/organizations/${ids.social}`, { incubation: "graduated" })).statusCode).toBe(204);
    expect((await t.as(workerA, "PATCH", `/api/organizations/${ids.station}`, { supervisorId: ids.residents })).statusCode).toBe(204);
    const loop = await t.as(workerA, "PATCH", `/api/organizations/${ids.residents}`, { supervisorId: ids.station });
    expect(loop.statusCode).toBe(400);
    expect(loop.json()).toMatchObject({ field: "supervisorId" });
    expect((await t.as(workerA, "PATCH", `/api/organizations/${ids.station}`, { supervisorId: ids.committeeB })).statusCode).toBe(404);
    const detail = (await t.as(workerA, "GET", `/api/organizations/${ids.residents}`)).json() as { name: string; supervises: { id: string }[] };
    expect(detail.name).toBe("甲社区居委会");
    expect(detail.supervises.map((o) => o.id)).toEqual([ids.station]);
    const [row] = await t.database.query<{ incubation: string }>("select incubation from organizations where id = $1", [ids.social]);
    expect(row!.incubation).toBe("graduated");
    expect(await auditCount("organization.update")).toBe(3);
  });

  it("adds and ends posts; lists cross-appointments; refuses unknown persons and duplicates", async () => {
    const before = await count("posts");
    const unknown = await t.as(workerA, "POST", `/api/organizations/${ids.committeeA}/posts`, { personId: "00000000-0000-4000-8000-000000000001", title: "书记", partTime: false });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ field: "personId" });
    expect(await count("posts")).toBe(before);
    const secretary = await t.as(workerA, "POST", `/api/organizations/${ids.committeeA}/posts`, { personId: s.personA1, title: "书记", partTime: false, startedOn: "2024-01-05" });
    expect(secretary.statusCode).toBe(201);
    ids.postSecretary = (secretary.json() as { id: string }).id;
    const director = await t.as(workerA, "POST", `/api/organizations/${ids.residents}/posts`, { personId: s.personA1, title: "主任", partTime: false, startedOn: "2024-01-05" });
    expect(director.statusCode).toBe(201);
    ids.postDirector = (director.json() as { id: string }).id;
    expect((await t.as(workerA, "POST", `/api/organizations/${ids.residents}/posts`, { personId: s.personA1, title: "主任", partTime: false })).statusCode).toBe(409);
    // B's worker cannot give A's resident a post in B.
    expect((await t.as(workerB, "POST", `/api/organizations/${ids.committeeB}/posts`, { personId: s.personA1, title: "委员", partTime: true })).statusCode).toBe(404);

    const cross = (await t.as(workerA, "GET", `/api/areas/${s.communityA}/cross-appointments`)).json() as { items: { personId: string; personName: string; posts: { orgId: string; title: string }[] }[] };
    expect(cross.items).toHaveLength(1);
    expect(cross.items[0]!.personName).toBe("张建国");
    expect(cross.items[0]!.posts.map((p) => p.title).sort()).toEqual(["主任", "书记"]);
    const ofPerson = (await t.as(workerA, "GET", `/api/persons/${s.personA1}/posts`)).json() as { items: { orgId: string }[] };
    expect(ofPerson.items.map((p) => p.orgId).sort()).toEqual([ids.committeeA, ids.residents].sort());

    const early = await t.as(workerA, "POST", `/api/posts/${ids.postDirector}/end`, { endedOn: "2023-12-31" });
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({ field: "endedOn" });
    // A grid worker's scope is their grid: the community's bodies lie outside it.
    expect((await t.as(gridWorkerA, "POST", `/api/posts/${ids.postDirector}/end`, { endedOn: "2025-06-30" })).statusCode).toBe(404);
    expect((await t.as(workerA, "POST", `/api/posts/${ids.postDirector}/end`, { endedOn: "2025-06-30" })).statusCode).toBe(204);
    expect((await t.as(workerA, "POST", `/api/posts/${ids.postDirector}/end`, { endedOn: "2025-07-01" })).statusCode).toBe(409);
    const after = (await t.as(workerA, "GET", `/api/areas/${s.communityA}/cross-appointments`)).json() as { items: unknown[] };
    expect(after.items).toHaveLength(0);
    const history = (await t.as(workerA, "GET", `/api/organizations/${ids.residents}/posts?includeEnded=true`)).json() as { items: { endedOn: string | null }[] };
    expect(history.items.map((p) => p.endedOn)).toEqual(["2025-06-30"]);
    expect(await auditCount("post.add")).toBe(2);
    expect(await auditCount("post.end")).toBe(1);
  });

  it("seats a co-building unit's member part-time in the 大党委, as a new person without a household", async () => {
    const personsBefore = await count("persons");
    const wrongUnit = await t.as(workerA, "POST", `/api/organizations/${ids.committeeA}/committee-seats`, {
      coBuildingUnitId: ids.social,
      person: { name: "刘志强", gender: "male", birthYear: 1975 },
      title: "兼职委员",
      unitTitle: "党委书记",
    });
    expect(wrongUnit.statusCode).toBe(400);
    expect(wrongUnit.json()).toMatchObject({ field: "coBuildingUnitId" });
    expect(await count("persons")).toBe(personsBefore);
    const notCommittee = await t.as(workerA, "POST", `/api/organizations/${ids.branchA1}/committee-seats`, { coBuildingUnitId: ids.unit, person: { personId: s.personA1 }, title: "兼职委员", unitTitle: "院长" });
    expect(notCommittee.statusCode).toBe(400);

    const res = await t.as(workerA, "POST", `/api/organizations/${ids.committeeA}/committee-seats`, {
      coBuildingUnitId: ids.unit,
      person: { name: "刘志强", gender: "male", birthYear: 1975 },
      title: "兼职委员",
      unitTitle: "党委书记",
      startedOn: "2025-03-01",
    });
    expect(res.statusCode, res.body).toBe(201);
    const seat = res.json() as { personId: string; postId: string; unitPostId: string };
    const [person] = await t.database.query<{ household_id: string | null; grid_id: string | null; name: string }>("select household_id, grid_id, name from persons where id = $1", [seat.personId]);
    expect(person).toEqual({ household_id: null, grid_id: null, name: "刘志强" });
    const posts = await t.database.query<{ org_id: string; part_time: boolean; title: string }>("select org_id, part_time, title from posts where person_id = $1 order by part_time", [seat.personId]);
    expect(posts).toEqual([
      { org_id: ids.unit, part_time: false, title: "党委书记" },
      { org_id: ids.committeeA, part_time: true, title: "兼职委员" },
    ]);
    const cross = (await t.as(workerA, "GET", `/api/areas/${s.communityA}/cross-appointments`)).json() as { items: { personId: string; personInRegistry: boolean }[] };
    expect(cross.items).toEqual([expect.objectContaining({ personId: seat.personId, personInRegistry: false })]);
    // The person known only by posts is readable through them.
    expect((await t.as(workerA, "GET", `/api/persons/${seat.personId}/posts`)).statusCode).toBe(200);
    expect((await t.as(workerB, "GET", `/api/persons/${seat.personId}/posts`)).statusCode).toBe(404);
    // The street admin sees the names; B's worker does not see A at all.
    expect(await auditCount("person.createForPost")).toBe(1);
  });

  it("dissolves only bodies without live children or open posts; dissolved bodies leave the tree and cannot be changed", async () => {
    const withChildren = await t.as(workerA, "POST", `/api/organizations/${ids.committeeA}/dissolve`, { dissolvedOn: "2026-01-01" });
    expect(withChildren.statusCode).toBe(409);
    expect(withChildren.json()).toMatchObject({ code: "org_has_dependents" });
    const withPosts = await t.as(workerA, "POST", `/api/organizations/${ids.unit}/dissolve`, { dissolvedOn: "2026-01-01" });
    expect(withPosts.statusCode).toBe(409);
    expect((withPosts.json() as { message: string }).message).toContain("1 个在任职务");
    const future = await t.as(workerA, "POST", `/api/organizations/${ids.interest}/dissolve`, { dissolvedOn: "2999-01-01" });
    expect(future.statusCode).toBe(400);
    const [{ dissolved_on: untouched }] = (await t.database.query<{ dissolved_on: unknown }>("select dissolved_on from organizations where id = $1", [ids.interest])) as [{ dissolved_on: unknown }];
    expect(untouched).toBeNull();

    expect((await t.as(workerA, "POST", `/api/organizations/${ids.interest}/dissolve`, { dissolvedOn: "2026-01-01" })).statusCode).toBe(204);
    const tree = (await t.as(workerA, "GET", `/api/organizations?areaId=${s.communityA}`)).json() as { items: { id: string }[] };
    expect(tree.items.some((o) => o.id === ids.interest)).toBe(false);
    const again = await t.as(workerA, "PATCH", `/api/organizations/${ids.interest}`, { name: "复活" });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "org_dissolved" });
    // Its supervisor relation goes with a dissolved supervisor.
    await t.as(workerA, "POST", `/api/posts/${ids.postSecretary}/end`, { endedOn: "2026-01-01" });
    expect((await t.as(workerA, "POST", `/api/organizations/${ids.residents}/dissolve`, { dissolvedOn: "2026-01-02" })).statusCode).toBe(204);
    const [station] = await t.database.query<{ supervisor_id: string | null }>("select supervisor_id from organizations where id = $1", [ids.station]);
    expect(station!.supervisor_id).toBeNull();
    expect(await auditCount("organization.dissolve")).toBe(2);
  });

  it("reports a grid whose branch was dissolved as a grid without a party organization", async () => {
    const before = (await t.as(street, "GET", `/api/areas/${s.street}/red-grid/coverage/grids`)).json() as { items: { gridId: string; grids: { ratio: number | null } }[] };
    expect(before.items).toHaveLength(4);
    expect(before.items.find((g) => g.gridId === s.gridA1)?.grids.ratio).toBe(1);
    expect(before.items.find((g) => g.gridId === s.gridA2)?.grids.ratio).toBe(0);
    await t.as(workerA, "POST", `/api/organizations/${ids.groupA1}/dissolve`, { dissolvedOn: "2026-01-01" });
    expect((await t.as(workerA, "POST", `/api/organizations/${ids.branchA1}/dissolve`, { dissolvedOn: "2026-01-01" })).statusCode).toBe(204);
    const after = (await t.as(street, "GET", `/api/areas/${s.street}/red-grid/coverage/grids`)).json() as { items: { gridId: string; grids: { ratio: number | null } }[] };
    expect(after.items.find((g) => g.gridId === s.gridA1)?.grids.ratio).toBe(0);
  });
});
