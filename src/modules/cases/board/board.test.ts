import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { sealPending } from "../../../platform/audit/index.js";
import { cases } from "../schema.js";
import type { Board } from "./board.js";

const secretPhone = "13812345678";
const secretWords = "3栋2单元502室的李阿姨家门口堆满杂物，电话13812345678";

describe.each(testEngines())("public community board and case receipt on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let resident: Session;
  let otherResident: Session;
  let workerA: Session;
  let workerB: Session;
  let residentUserId: string;
  let reported: { id: string; caseNo: string };

  const board = async (communityId: string, query = "") => {
    const res = await t.as(null, "GET", `/api/public/communities/${communityId}/cases${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Board>();
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    cat = await seedCaseCatalogue(t.database.db, s);
    const u = await createTestUser(t.database.db, { role: "resident", areaId: s.gridA1, personId: s.personA1 });
    residentUserId = u.id;
    resident = await t.login(u.username);
    otherResident = await t.login((await createTestUser(t.database.db, { role: "resident", areaId: s.gridA2 })).username);
    workerA = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    workerB = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB })).username);
    // A resident's own report through the intake, with a contact phone and personal words.
    const res = await t.as(resident, "POST", "/api/cases", {
      categoryCode: cat.garbage.code,
      description: secretWords,
      lng: 104.00537,
      lat: 30.00462,
      locationText: "幸福路12号3栋",
      contactPhone: secretPhone,
    });
    expect(res.statusCode, res.body).toBe(201);
    reported = res.json<{ id: string; caseNo: string }>();
  });
  afterAll(async () => t?.close());

  it("lists communities for the picker without a login", async () => {
    const res = await t.as(null, "GET", "/api/public/communities");
    expect(res.statusCode).toBe(200);
    const items = res.json<{ items: { id: string; name: string; streetName: string }[] }>().items;
    expect(items).toEqual(expect.arrayContaining([{ id: s.communityA, name: "甲社区", streetName: "测试街道", districtName: "测试区" }]));
    expect(items.map((i) => i.id)).not.toContain(s.gridA1);
  });

  it("shows a community's cases, anonymised, with this month's figures; other communities' cases stay off", async () => {
    const inB = await insertCase(t.database.db, s, cat.garbage, { gridId: s.gridB1 });
    const closedOnTime = await insertCase(t.database.db, s, cat.streetVending, { status: "closed" });
    await t.database.db.update(cases).set({ closedAt: new Date(), closedOnTime: true }).where(eq(cases.id, closedOnTime.id));
    const closedLate = await insertCase(t.database.db, s, cat.streetVending, { status: "rated", gridId: s.gridA2 });
    await t.database.db.update(cases).set({ closedAt: new Date(), closedOnTime: false }).where(eq(cases.id, closedLate.id));
    const merged = await insertCase(t.database.db, s, cat.garbage, { status: "merged" });
    const overdue = await insertCase(t.database.db, s, cat.garbage, { status: "inProgress" });
    await t.database.db.update(cases).set({ handleDueAt: new Date(Date.now() - 3600_000) }).where(eq(cases.id, overdue.id));

    const b = await board(s.communityA);
    expect(b.community).toMatchObject({ id: s.communityA, name: "甲社区", streetName: "测试街道" });
    const nos = b.items.map((i) => i.caseNo);
    expect(nos).toEqual(expect.arrayContaining([reported.caseNo, closedOnTime.caseNo, closedLate.caseNo, overdue.caseNo]));
    expect(nos).not.toContain(inB.caseNo);
    expect(nos).not.toContain(merged.caseNo);
    expect(b.total).toBe(4);
    expect(b.summary).toEqual({ reported: 5, closed: 2, closedOnTime: 1, onTimeRate: 0.5 });
    expect(b.month).toMatch(/^\d{4}-\d\d$/);

    const mine = b.items.find((i) => i.caseNo === reported.caseNo)!;
    expect(mine).toMatchObject({
      categoryName: "暴露垃圾",
      summary: { zh: "居民反映的「暴露垃圾」问题" },
      status: "submitted",
      statusLabel: { zh: "待受理", en: "Submitted" },
      open: true,
      gridName: "甲社区第一网格",
      closedOn: null,
      onTime: null,
      overdue: false,
    });
    expect(mine.submittedOn).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(b.items.find((i) => i.caseNo === closedOnTime.caseNo)).toMatchObject({ open: false, onTime: true, statusLabel: { zh: "已结案" } });
    expect(b.items.find((i) => i.caseNo === closedLate.caseNo)).toMatchObject({ open: false, onTime: false, gridName: "甲社区第二网格" });
    expect(b.items.find((i) => i.caseNo === overdue.caseNo)).toMatchObject({ open: true, overdue: true });

    expect((await board(s.communityA, "?status=open")).items.map((i) => i.caseNo).sort()).toEqual([reported.caseNo, overdue.caseNo].sort());
    expect((await board(s.communityA, "?status=closed")).items.map((i) => i.caseNo).sort()).toEqual([closedOnTime.caseNo, closedLate.caseNo].sort());
    expect((await board(s.communityB)).items.map((i) => i.caseNo)).toEqual([inB.caseNo]);
    expect((await board(s.communityA, "?page=2")).items).toEqual([]);
  });

  it("keeps personal data off the board: no phone, no words, no building, no point", async () => {
    const res = await t.as(null, "GET", `/api/public/communities/${s.communityA}/cases`);
    for (const secret of [secretPhone, "李阿姨", "502室", "幸福路12号", "104.00537", "30.00462", residentUserId, reported.id]) {
      expect(res.body).not.toContain(secret);
    }
    expect(res.body).toContain(reported.caseNo);
  });

  it("answers 404 for what is not a community and 400 for a bad id or filter", async () => {
    expect((await t.as(null, "GET", `/api/public/communities/${s.gridA1}/cases`)).statusCode).toBe(404);
    expect((await t.as(null, "GET", `/api/public/communities/${s.street}/cases`)).statusCode).toBe(404);
    expect((await t.as(null, "GET", "/api/public/communities/00000000-0000-4000-8000-000000000000/cases")).statusCode).toBe(404);
    const bad = await t.as(null, "GET", "/api/public/communities/not-a-uuid/cases");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: "validation_failed" });
    expect((await t.as(null, "GET", `/api/public/communities/${s.communityA}/cases?status=pending`)).statusCode).toBe(400);
  });

  it("gives the reporter and the handlers the receipt once sealed, which the verifier accepts; others get 404", async () => {
    const url = `/api/cases/${reported.id}/receipt`;
    expect((await t.as(null, "GET", url)).statusCode).toBe(401);
    const pending = await t.as(resident, "GET", url);
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toMatchObject({ code: "audit_not_sealed" });
    await sealPending(t.database.db, { signer: t.auditSigner });
    const res = await t.as(resident, "GET", url);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ caseId: string; caseNo: string; receipt: { entry: { id: number; seq: number; action: string; entityId: string } }; steps: { action: string; auditEntryId: number; auditSeq: number }[] }>();
    expect(body).toMatchObject({ caseId: reported.id, caseNo: reported.caseNo });
    expect(body.receipt.entry).toMatchObject({ action: "case.submit", entityId: reported.id });
    expect(body.steps[0]).toMatchObject({ action: "submit", auditEntryId: body.receipt.entry.id, auditSeq: body.receipt.entry.seq });
    const verified = await t.as(resident, "POST", "/api/audit/receipts/verify", { receipt: body.receipt });
    expect(verified.json()).toEqual({ valid: true, checkpointOnRecord: true });
    const forged = await t.as(resident, "POST", "/api/audit/receipts/verify", { receipt: { ...body.receipt, entry: { ...body.receipt.entry, entityId: "00000000-0000-4000-8000-000000000000" } } });
    expect(forged.json()).toMatchObject({ valid: false });

    expect((await t.as(workerA, "GET", url)).statusCode).toBe(200);
    expect((await t.as(workerB, "GET", url)).statusCode).toBe(404);
    expect((await t.as(otherResident, "GET", url)).statusCode).toBe(404);
    expect((await t.as(resident, "GET", "/api/cases/00000000-0000-4000-8000-000000000000/receipt")).statusCode).toBe(404);
  });

  it("never hands out another entry as a case's receipt when audit row ids were swapped, and says the log is inconsistent", async () => {
    await sealPending(t.database.db, { signer: t.auditSigner });
    const url = `/api/cases/${reported.id}/receipt`;
    const before = (await t.as(resident, "GET", url)).json<{ receipt: { entry: { id: number } } }>().receipt.entry.id;
    const [other] = await t.database.query<{ id: unknown }>("select id from audit_entries where id <> $1 and seq is not null order by id desc limit 1", [before]);
    const otherId = Number(other!.id);
    await t.database.query("update audit_entries set id = -1 where id = $1", [before]);
    await t.database.query("update audit_entries set id = $1 where id = $2", [before, otherId]);
    await t.database.query("update audit_entries set id = $1 where id = -1", [otherId]);
    try {
      const res = await t.as(resident, "GET", url);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: "audit_log_inconsistent" });
      expect(res.body).not.toContain('"entry"');
      const admin = await t.login((await createTestUser(t.database.db, { role: "systemAdmin", areaId: null })).username);
      const [moved] = await t.database.query<{ seq: unknown }>("select seq from audit_entries where id = $1", [before]);
      const bySeq = await t.as(admin, "GET", `/api/audit/receipts/${String(moved!.seq)}`);
      expect(bySeq.statusCode).toBe(409);
      expect(bySeq.json()).toMatchObject({ code: "audit_log_inconsistent" });
    } finally {
      await t.database.query("update audit_entries set id = -1 where id = $1", [before]);
      await t.database.query("update audit_entries set id = $1 where id = $2", [before, otherId]);
      await t.database.query("update audit_entries set id = $1 where id = -1", [otherId]);
    }
    expect((await t.as(resident, "GET", url)).statusCode).toBe(200);
  });
});
