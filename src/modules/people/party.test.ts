import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { persons } from "./schema.js";

interface Member {
  id: string;
  name: string;
  status: string;
  partyOrgId: string | null;
  outsideOrgName: string | null;
  workUnit: string | null;
  reportInCommunityId: string | null;
  reportInConfirmedOn: string | null;
}

describe.each(testEngines())("party members and the 双找 funnel ($name)", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let street: Session;
  let workerA: Session;
  let workerB: Session;
  let gridWorkerA: Session;
  let resident: Session;
  const ids: Record<string, string> = {};

  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
  const auditCount = async (action: string) => Number((await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = $1", [action]))[0]!.n);
  const org = async (who: Session, body: Record<string, unknown>) => {
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
    resident = await t.login((await createTestUser(t.database.db, { role: "resident", areaId: s.gridA1, personId: s.personA1 })).username);
    ids.committeeStreet = await org(street, { kind: "streetWorkingCommittee", name: "测试街道党工委", parentId: null, areaId: s.street });
    ids.committeeA = await org(workerA, { kind: "communityPartyCommittee", name: "甲社区党委", parentId: ids.committeeStreet, areaId: s.communityA });
    ids.branchA1 = await org(workerA, { kind: "gridPartyBranch", name: "甲社区第一网格党支部", parentId: ids.committeeA, areaId: s.gridA1 });
    ids.residents = await org(workerA, { kind: "residentsCommittee", name: "甲社区居民委员会", parentId: ids.committeeA, areaId: s.communityA });
    ids.committeeB = await org(workerB, { kind: "communityPartyCommittee", name: "乙社区党委", parentId: ids.committeeStreet, areaId: s.communityB });
    const mk = async (householdId: string, gridId: string, name: string, birthYear: number) => {
      const [p] = await t.database.db.insert(persons).values({ id: randomUUID(), householdId, gridId, name, gender: "female", birthYear, relation: "配偶" }).returning({ id: persons.id });
      return p!.id;
    };
    ids.personA2 = await mk(s.householdA2, s.gridA2, "李秀英", 1980);
    ids.personA3 = await mk(s.householdA2, s.gridA2, "陈晓梅", 1990);
    ids.personB1 = await mk(s.householdB1, s.gridB1, "王国华", 1972);
  });
  afterAll(async () => t?.close());

  it("makes a person a party member, once; another community's worker cannot", async () => {
    const res = await t.as(workerA, "POST", "/api/party/members", { personId: ids.personA2, status: "inService", joinedOn: "2008-07-01", partyOrgId: ids.branchA1, workUnit: "测试区教育局" });
    expect(res.statusCode, res.body).toBe(201);
    ids.memberA2 = (res.json() as { id: string }).id;
    expect((await t.as(workerA, "POST", "/api/party/members", { personId: ids.personA2, status: "retired" })).statusCode).toBe(409);
    expect((await t.as(workerB, "POST", "/api/party/members", { personId: ids.personA3, status: "inService" })).statusCode).toBe(404);
    expect((await t.as(gridWorkerA, "POST", "/api/party/members", { personId: s.personA1, status: "inService" })).statusCode).toBe(403);
    const future = await t.as(workerA, "POST", "/api/party/members", { personId: ids.personA3, status: "inService", joinedOn: "2999-07-01" });
    expect(future.json()).toMatchObject({ code: "validation_failed", field: "joinedOn" });
    const notParty = await t.as(workerA, "POST", "/api/party/members", { personId: ids.personA3, status: "inService", partyOrgId: ids.residents });
    expect(notParty.json()).toMatchObject({ code: "validation_failed", field: "partyOrgId" });
    const otherCommunity = await t.as(workerA, "POST", "/api/party/members", { personId: ids.personA3, status: "inService", partyOrgId: ids.committeeB });
    expect(otherCommunity.statusCode).toBe(404);
    expect(await count("party_members")).toBe(1);
    expect(await auditCount("partyMember.create")).toBe(1);
  });

  it("edits status, relation and report-in with consistent rules", async () => {
    const retiredWithReportIn = await t.as(workerA, "PATCH", `/api/party/members/${ids.memberA2}`, { status: "retired", reportInCommunityId: s.communityA });
    expect(retiredWithReportIn.json()).toMatchObject({ code: "validation_failed", field: "reportInCommunityId" });
    expect((await t.as(workerA, "PATCH", `/api/party/members/${ids.memberA2}`, { reportInCommunityId: s.communityA })).statusCode).toBe(204);
    const m = (await t.as(workerA, "GET", `/api/party/members/${ids.memberA2}`)).json() as Member;
    expect(m.name).toBe("李秀英");
    expect(m.reportInCommunityId).toBe(s.communityA);
    expect(m.reportInConfirmedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const both = await t.as(workerA, "PATCH", `/api/party/members/${ids.memberA2}`, { outsideOrgName: "某公司党委" });
    expect(both.json()).toMatchObject({ field: "outsideOrgName" });
    expect((await t.as(workerB, "PATCH", `/api/party/members/${ids.memberA2}`, { status: "retired" })).statusCode).toBe(404);
    expect((await t.as(workerB, "GET", `/api/party/members/${ids.memberA2}`)).statusCode).toBe(404);
    expect((await t.as(gridWorkerA, "PATCH", `/api/party/members/${ids.memberA2}`, { status: "retired" })).statusCode).toBe(404);
    const [row] = await t.database.query<{ status: string }>("select status from party_members where id = $1", [ids.memberA2]);
    expect(row!.status).toBe("inService");
    expect(await auditCount("partyMember.update")).toBe(1);
  });

  it("lists members by area with filters, names masked", async () => {
    const list = async (q: string) => (await t.as(workerA, "GET", `/api/party/members?areaId=${s.communityA}${q}`)).json() as { items: Member[]; total: number };
    const all = await list("");
    expect(all.total).toBe(1);
    expect(all.items[0]!.name).toBe("李**");
    expect((await list("&reportedIn=true")).total).toBe(1);
    expect((await list("&reportedIn=false")).total).toBe(0);
    expect((await list("&status=retired")).total).toBe(0);
    expect((await list("&relation=inside")).total).toBe(1);
    expect((await list("&relation=outside")).total).toBe(0);
    expect((await list("&notInGrid=true")).total).toBe(0);
    expect((await t.as(workerB, "GET", `/api/party/members?areaId=${s.communityA}`)).statusCode).toBe(404);
    const bList = (await t.as(workerB, "GET", "/api/party/members")).json() as { total: number };
    expect(bList.total).toBe(0);
    const person = (await t.as(workerA, "GET", `/api/persons/${ids.personA3}/party-member`)).json() as { member: Member | null; canCreate: boolean };
    expect(person).toEqual({ member: null, canCreate: true });
    expect((await t.as(workerB, "GET", `/api/persons/${ids.personA3}/party-member`)).statusCode).toBe(404);
  });

  it("lets a resident register themself (phone encrypted), once; only themself; and follow it", async () => {
    const before = await count("party_registrations");
    const other = await t.as(resident, "POST", "/api/party/registrations", { kind: "reportIn", personId: ids.personA3, communityId: s.communityA, orgName: "某公司党委" });
    expect([403, 404]).toContain(other.statusCode);
    expect(await count("party_registrations")).toBe(before);
    const res = await t.as(resident, "POST", "/api/party/registrations", {
      kind: "reportIn",
      phone: "13812345678",
      orgName: "测试区教育局机关党委",
      workUnit: "测试区第一中学",
      skills: ["书法", "法律咨询"],
      message: "想参加社区志愿服务",
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.regResident = (res.json() as { id: string }).id;
    const [row] = await t.database.query<{ phone_enc: string; phone_masked: string; community_id: string; person_id: string; name: string }>(
      "select phone_enc, phone_masked, community_id, person_id, name from party_registrations where id = $1",
      [ids.regResident],
    );
    expect(row!.phone_enc).not.toContain("13812345678");
    expect(row!.phone_masked).toBe("138****5678");
    expect(row).toMatchObject({ community_id: s.communityA, person_id: s.personA1, name: "张建国" });
    const dup = await t.as(resident, "POST", "/api/party/registrations", { kind: "floating", orgName: "另一个党组织" });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: "registration_pending" });
    const mine = (await t.as(resident, "GET", "/api/party/registrations/mine")).json() as { items: { id: string; status: string; phone: string }[] };
    expect(mine.items.map((r) => [r.id, r.status, r.phone])).toEqual([[ids.regResident, "registered", "138****5678"]]);
    expect((await t.as(resident, "GET", `/api/party/registrations/${ids.regResident}`)).statusCode).toBe(200);
    expect((await t.as(resident, "GET", `/api/party/registrations?areaId=${s.communityA}`)).statusCode).toBe(404);
    expect((await t.as(resident, "POST", `/api/party/registrations/${ids.regResident}/confirm`, {})).statusCode).toBe(403);
  });

  it("lets a worker register a member they found; duplicates by phone are refused", async () => {
    const found = await t.as(workerA, "POST", "/api/party/registrations", { kind: "floating", communityId: s.communityA, name: "赵磊", phone: "13900001111", orgName: "河南省某县某镇党委" });
    expect(found.statusCode, found.body).toBe(201);
    ids.regFound = (found.json() as { id: string }).id;
    const dup = await t.as(workerA, "POST", "/api/party/registrations", { kind: "floating", communityId: s.communityA, name: "赵磊", phone: "139 0000 1111", orgName: "河南省某县某镇党委" });
    expect(dup.json()).toMatchObject({ code: "registration_pending" });
    expect((await t.as(workerB, "POST", "/api/party/registrations", { kind: "floating", communityId: s.communityA, name: "赵磊", orgName: "某党委" })).statusCode).toBe(404);
    const other = await t.as(workerA, "POST", "/api/party/registrations", { kind: "floating", communityId: s.communityA, personId: ids.personA3, orgName: "浙江省某市某区某街道党工委" });
    expect(other.statusCode).toBe(201);
    ids.regFloating = (other.json() as { id: string }).id;
    // A resident reads only their own registrations.
    expect((await t.as(resident, "GET", `/api/party/registrations/${ids.regFound}`)).statusCode).toBe(404);
    const mine = (await t.as(resident, "GET", "/api/party/registrations/mine")).json() as { items: { id: string }[] };
    expect(mine.items.map((r) => r.id)).toEqual([ids.regResident]);
  });

  it("keeps the queue to the community: grid worker reads but cannot confirm; B's worker sees nothing", async () => {
    // A grid worker's scope is their grid: they read the registrations of its residents, not the community's whole queue.
    expect((await t.as(gridWorkerA, "GET", `/api/party/registrations?areaId=${s.communityA}`)).statusCode).toBe(404);
    const queue = (await t.as(gridWorkerA, "GET", `/api/party/registrations?areaId=${s.gridA1}`)).json() as { items: { id: string; abilities: { decide: boolean } }[] };
    expect(queue.items.map((r) => [r.id, r.abilities.decide])).toEqual([[ids.regResident, false]]);
    const own = (await t.as(workerA, "GET", `/api/party/registrations?areaId=${s.communityA}&status=registered`)).json() as { items: { id: string; name: string; abilities: { decide: boolean } }[] };
    expect(own.items).toHaveLength(3);
    expect(own.items.every((r) => r.abilities.decide)).toBe(true);
    expect(own.items.map((r) => r.name)).toContain("赵磊");
    expect((await t.as(gridWorkerA, "GET", `/api/party/registrations/${ids.regResident}`)).statusCode).toBe(200);
    expect((await t.as(gridWorkerA, "POST", `/api/party/registrations/${ids.regResident}/confirm`, {})).statusCode).toBe(403);
    expect((await t.as(workerB, "POST", `/api/party/registrations/${ids.regResident}/confirm`, {})).statusCode).toBe(404);
    expect((await t.as(workerB, "GET", `/api/party/registrations/${ids.regResident}`)).statusCode).toBe(404);
  });

  it("confirms a report-in: the member record is created with the report-in community; confirming twice is refused", async () => {
    const res = await t.as(workerA, "POST", `/api/party/registrations/${ids.regResident}/confirm`, { note: "欢迎报到" });
    expect(res.statusCode, res.body).toBe(200);
    const { partyMemberId } = res.json() as { partyMemberId: string };
    const m = (await t.as(workerA, "GET", `/api/party/members/${partyMemberId}`)).json() as Member;
    expect(m).toMatchObject({ status: "inService", reportInCommunityId: s.communityA, outsideOrgName: "测试区教育局机关党委", workUnit: "测试区第一中学", partyOrgId: null });
    expect(m.reportInConfirmedOn).not.toBeNull();
    const twice = await t.as(workerA, "POST", `/api/party/registrations/${ids.regResident}/confirm`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: "registration_decided" });
    const mine = (await t.as(resident, "GET", "/api/party/registrations/mine")).json() as { items: { status: string; decisionNote: string }[] };
    expect(mine.items[0]).toMatchObject({ status: "confirmed", decisionNote: "欢迎报到" });
    const again = await t.as(resident, "POST", "/api/party/registrations", { kind: "reportIn", orgName: "测试区教育局机关党委" });
    expect(again.statusCode).toBe(409);
  });

  it("needs a resident record to confirm a member found by name; confirms a floating member under a branch", async () => {
    const before = await count("party_members");
    const noPerson = await t.as(workerA, "POST", `/api/party/registrations/${ids.regFound}/confirm`, {});
    expect(noPerson.json()).toMatchObject({ code: "validation_failed", field: "personId" });
    const wrongBranch = await t.as(workerA, "POST", `/api/party/registrations/${ids.regFloating}/confirm`, { partyOrgId: ids.committeeB });
    expect(wrongBranch.statusCode).toBe(404);
    expect(await count("party_members")).toBe(before);
    const [pending] = await t.database.query<{ status: string }>("select status from party_registrations where id = $1", [ids.regFloating]);
    expect(pending!.status).toBe("registered");
    const ok = await t.as(workerA, "POST", `/api/party/registrations/${ids.regFloating}/confirm`, { partyOrgId: ids.branchA1 });
    expect(ok.statusCode, ok.body).toBe(200);
    const m = (await t.as(workerA, "GET", `/api/party/members/${(ok.json() as { partyMemberId: string }).partyMemberId}`)).json() as Member;
    expect(m).toMatchObject({ status: "floating", outsideOrgName: "浙江省某市某区某街道党工委", partyOrgId: ids.branchA1, reportInCommunityId: null });
  });

  it("declines with a note and counts the funnel with its formula", async () => {
    const noNote = await t.as(workerA, "POST", `/api/party/registrations/${ids.regFound}/decline`, { note: "  " });
    expect(noNote.statusCode).toBe(400);
    expect((await t.as(workerA, "POST", `/api/party/registrations/${ids.regFound}/decline`, { note: "经核实，组织关系已转往外省" })).statusCode).toBe(204);
    expect((await t.as(workerA, "POST", `/api/party/registrations/${ids.regFound}/decline`, { note: "再次" })).statusCode).toBe(409);
    await t.as(workerB, "POST", "/api/party/registrations", { kind: "reportIn", communityId: s.communityB, personId: ids.personB1, orgName: "某医院党委" });
    const funnel = (await t.as(street, "GET", `/api/areas/${s.street}/party/funnel`)).json() as {
      total: { registered: number; pending: number; confirmed: number; declined: number; confirmationRate: { ratio: number; numerator: number; denominator: number; formula: string } };
      communities: { communityId: string; registered: number; pending: number }[];
    };
    expect(funnel.total).toMatchObject({ registered: 4, pending: 1, confirmed: 2, declined: 1 });
    expect(funnel.total.confirmationRate).toMatchObject({ numerator: 2, denominator: 3, formula: "已确认数 / 已处理数（已确认 + 未予确认）" });
    expect(funnel.total.confirmationRate.ratio).toBeCloseTo(2 / 3);
    expect(funnel.communities.find((c) => c.communityId === s.communityB)).toMatchObject({ registered: 1, pending: 1 });
    expect((await t.as(workerB, "GET", `/api/areas/${s.communityA}/party/funnel`)).statusCode).toBe(404);
    expect(await auditCount("partyRegistration.register")).toBe(4);
    expect(await auditCount("partyRegistration.confirm")).toBe(2);
    expect(await auditCount("partyRegistration.decline")).toBe(1);
  });

  it("gives free text about a member (their message, the decision note) only with the clear name", async () => {
    const clear = (await t.as(workerA, "GET", `/api/party/registrations/${ids.regFound}`)).json() as { name: string; decisionNote: string | null };
    expect(clear).toMatchObject({ name: "赵磊", decisionNote: "经核实，组织关系已转往外省" });
    expect((await t.as(workerA, "GET", `/api/party/registrations/${ids.regResident}`)).json()).toMatchObject({ message: "想参加社区志愿服务", decisionNote: "欢迎报到" });
    // The street administrator reads (and decides) the queue with names masked: no free text either.
    const one = await t.as(street, "GET", `/api/party/registrations/${ids.regResident}`);
    expect(one.json()).toMatchObject({ name: "张**", message: null, decisionNote: null });
    const queue = await t.as(street, "GET", `/api/party/registrations?areaId=${s.communityA}`);
    expect(queue.statusCode).toBe(200);
    for (const text of ["赵磊", "经核实", "想参加", "欢迎报到"]) expect(queue.body).not.toContain(text);
  });

  it("lets a grid worker register a member found on their rounds with their own community only, and read it back", async () => {
    const before = await count("party_registrations");
    const elsewhere = await t.as(gridWorkerA, "POST", "/api/party/registrations", { kind: "floating", communityId: s.communityB, name: "刘建军", orgName: "四川省某县某镇党委" });
    expect(elsewhere.statusCode).toBe(404);
    expect(await count("party_registrations")).toBe(before);
    const found = await t.as(gridWorkerA, "POST", "/api/party/registrations", { kind: "floating", communityId: s.communityA, name: "刘建军", orgName: "四川省某县某镇党委" });
    expect(found.statusCode, found.body).toBe(201);
    const id = (found.json() as { id: string }).id;
    expect((await t.as(gridWorkerA, "GET", `/api/party/registrations/${id}`)).statusCode).toBe(200);
    expect((await t.as(gridWorkerA, "POST", `/api/party/registrations/${id}/confirm`, {})).statusCode).toBe(403);
    expect(await count("party_registrations")).toBe(before + 1);
  });
});
