import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../../test-support/cases.js";
import { actorOf } from "../../../platform/auth/service.js";
import { submitCase } from "./intake.js";
import { decryptField } from "../../../platform/pii/crypto.js";
import { makeIdNumber } from "../../../platform/pii/validate.js";
import { encryptContact } from "../../people/persons.js";
import { dueAfter } from "../calendar.js";
import { routeCase } from "./routing.js";
import { excerptOf } from "./similar.js";
import { solidPng } from "../../../test-support/images.js";

interface Receipt {
  id: string;
  caseNo: string;
  status: string;
  gridId: string;
  gridName: string;
  level: string;
  responseDueAt: string | null;
  handleDueAt: string | null;
  receiptEntryId: number | null;
}

describe("routeCase", () => {
  const path = "/c/d/s/com/g/";
  it("sends owner-first categories with a department to it, the rest to the area of their first level", () => {
    expect(routeCase({ responsibility: "owner", departmentOrgId: "dep", firstLevel: "grid" }, path)).toEqual({ level: "department", handlingAreaId: null, handlingOrgId: "dep" });
    expect(routeCase({ responsibility: "territory", departmentOrgId: null, firstLevel: "community" }, path)).toEqual({ level: "community", handlingAreaId: "com", handlingOrgId: null });
    expect(routeCase({ responsibility: null, departmentOrgId: null, firstLevel: null }, path)).toEqual({ level: "grid", handlingAreaId: "g", handlingOrgId: null });
    // A department level without a department falls back to the street (the hub).
    expect(routeCase({ responsibility: "owner", departmentOrgId: null, firstLevel: "department" }, path)).toEqual({ level: "street", handlingAreaId: "s", handlingOrgId: null });
  });

  it("shows the first words of a description with digits hidden", () => {
    expect(excerptOf("3栋2单元门口垃圾，电话13812345678")).toBe("*栋*单元门口垃圾，电话***********");
    expect([...excerptOf("很".repeat(60))].length).toBe(41);
  });
});

describe.each(testEngines())("case intake on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let residentUser: { id: string; username: string };
  let resident: Session;
  let otherResident: Session;
  let gridWorkerA1: Session;
  let gridWorkerA1User: { id: string; username: string };
  let workerA: Session;
  let workerB: Session;
  const here = { lng: 104.005, lat: 30.005 };

  const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const counts = async () => {
    const [r] = await q<Record<string, string>>(
      `select (select count(*) from cases)::text as cases, (select count(*) from case_events)::text as events,
              (select count(*) from audit_entries)::text as audits, (select count(*) from case_photos where case_id is not null)::text as attached`,
    );
    return r!;
  };
  const upload = async (session: Session, bytes: Buffer, type = "image/png") => {
    const res = await t.app.inject({ method: "POST", url: "/api/case-photos", headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": type }, payload: bytes });
    return res;
  };
  const report = (session: Session, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t.app.inject({ method: "POST", url: "/api/cases", headers: { cookie: session.cookie, "x-csrf-token": session.csrf, ...headers }, payload: body });
  const garbage = (extra: Record<string, unknown> = {}) => ({ categoryCode: cat.garbage.code, description: "3栋门口的垃圾桶两天没清运，味道很大。", ...here, ...extra });

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    cat = await seedCaseCatalogue(t.database.db, s);
    const db = t.database.db;
    residentUser = await createTestUser(db, { role: "resident", areaId: s.gridA1, personId: s.personA1, username: `res_${engine.name}` });
    resident = await t.login(residentUser.username);
    otherResident = await t.login((await createTestUser(db, { role: "resident", areaId: s.gridB1 })).username);
    gridWorkerA1User = await createTestUser(db, { role: "gridWorker", areaId: s.gridA1 });
    gridWorkerA1 = await t.login(gridWorkerA1User.username);
    workerA = await t.login((await createTestUser(db, { role: "communityWorker", areaId: s.communityA })).username);
    workerB = await t.login((await createTestUser(db, { role: "communityWorker", areaId: s.communityB })).username);
  });
  afterAll(async () => t?.close());

  it("takes a resident's report with a photo: grid, routing, deadlines, receipt, photo attached", async () => {
    const photo = await upload(resident, solidPng(640, 480));
    expect(photo.statusCode).toBe(201);
    const photoId = photo.json<{ id: string }>().id;
    const res = await report(resident, garbage({ photoIds: [photoId], locationText: "幸福路12号3栋门口" }));
    expect(res.statusCode).toBe(201);
    const r = res.json<Receipt>();
    expect(r).toMatchObject({ status: "submitted", gridId: s.gridA1, gridName: "甲社区第一网格", level: "grid" });
    expect(r.caseNo).toMatch(/^GZ\d{8}\d{6}$/);
    expect(typeof r.receiptEntryId).toBe("number");
    const [row] = await q<{ source: string; reporter_user_id: string; reporter_person_id: string; handling_area_id: string; submitted_at: Date; response_due_at: Date; handle_due_at: Date; community_id: string; street_id: string }>(
      "select * from cases where id = $1",
      [r.id],
    );
    expect(row).toMatchObject({ source: "resident", reporter_user_id: residentUser.id, reporter_person_id: s.personA1, handling_area_id: s.gridA1, community_id: s.communityA, street_id: s.street });
    const submittedAt = new Date(row!.submitted_at);
    expect(new Date(row!.response_due_at).toISOString()).toBe(dueAfter(submittedAt, 1, "workingHours")!.toISOString());
    expect(new Date(row!.handle_due_at).toISOString()).toBe(dueAfter(submittedAt, 4, "workingHours")!.toISOString());
    expect(r.handleDueAt).toBe(new Date(row!.handle_due_at).toISOString());
    const [p] = await q<{ case_id: string }>("select case_id from case_photos where id = $1", [photoId]);
    expect(p!.case_id).toBe(r.id);
    const events = await q<{ action: string; to_status: string; evidence: string[] }>("select action, to_status, evidence from case_events where case_id = $1 order by id", [r.id]);
    expect(events).toEqual([{ action: "submit", to_status: "submitted", evidence: [photoId] }]);
    const [audit] = await q<{ action: string; summary: Record<string, unknown> }>("select action, summary from audit_entries where id = $1", [r.receiptEntryId]);
    expect(audit!.action).toBe("case.submit");
    expect(JSON.stringify(audit!.summary)).not.toContain("垃圾桶");
    expect(JSON.stringify(audit!.summary)).not.toContain("幸福路");

    // The photo is the reporter's and the handlers' to see, not another community's or resident's.
    const own = await t.as(resident, "GET", `/api/case-photos/${photoId}`);
    expect(own.statusCode).toBe(200);
    expect(own.headers["content-type"]).toBe("image/png");
    expect(own.headers["cache-control"]).toContain("private");
    // The stored photo (re-encoded on upload) is what is served.
    expect(createHash("sha256").update(own.rawPayload).digest("hex")).toBe(photo.json<{ sha256: string }>().sha256);
    expect((await t.as(workerA, "GET", `/api/case-photos/${photoId}`)).statusCode).toBe(200);
    expect((await t.as(workerB, "GET", `/api/case-photos/${photoId}`)).statusCode).toBe(404);
    expect((await t.as(otherResident, "GET", `/api/case-photos/${photoId}`)).statusCode).toBe(404);
  });

  it("routes by category: owner first to the department, community first to the community", async () => {
    const light = await report(resident, { categoryCode: cat.streetLight.code, description: "路灯不亮了", ...here });
    expect(light.statusCode).toBe(201);
    expect(light.json()).toMatchObject({ level: "department" });
    const [l] = await q<{ handling_org_id: string; handling_area_id: string | null }>("select handling_org_id, handling_area_id from cases where id = $1", [light.json<Receipt>().id]);
    expect(l).toEqual({ handling_org_id: cat.departmentId, handling_area_id: null });
    const vending = await report(resident, { categoryCode: cat.streetVending.code, description: "小区门口占道摆摊", ...here });
    expect(vending.json()).toMatchObject({ level: "community" });
    const [v] = await q<{ handling_area_id: string }>("select handling_area_id from cases where id = $1", [vending.json<Receipt>().id]);
    expect(v!.handling_area_id).toBe(s.communityA);
  });

  it("keeps an anonymous reporter's phone encrypted, masked for display, and out of the answer and the log entries", async () => {
    const phone = "13812345678";
    const res = await report(resident, garbage({ anonymous: true, contactName: "王先生", contactPhone: phone }));
    expect(res.statusCode).toBe(201);
    expect(res.body).not.toContain(phone);
    const id = res.json<Receipt>().id;
    const [row] = await q<{ anonymous: boolean; reporter_user_id: string; contact_phone_enc: string; contact_phone_masked: string; contact_phone_hash: string; all: string }>(
      "select c.*, row_to_json(c)::text as all from cases c where id = $1",
      [id],
    );
    expect(row!.anonymous).toBe(true);
    // Kept so the reporter can follow and rate the case.
    expect(row!.reporter_user_id).toBe(residentUser.id);
    expect(row!.contact_phone_masked).toBe("138****5678");
    expect(row!.contact_phone_enc.startsWith("v1.")).toBe(true);
    expect(row!.contact_phone_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.all).not.toContain(phone);
    expect(row!.all).not.toContain("12345678");
    expect(decryptField(t.keyring, row!.contact_phone_enc, "cases.contact_phone")).toBe(phone);
    const trail = await q<{ t: string }>("select coalesce(string_agg(coalesce(summary::text, ''), ' '), '') as t from audit_entries where entity_id = $1", [id]);
    const events = await q<{ t: string }>("select coalesce(string_agg(data::text || coalesce(note, ''), ' '), '') as t from case_events where case_id = $1", [id]);
    expect(trail[0]!.t + events[0]!.t).not.toContain("5678");
  });

  it("registers a grid worker's patrol report in their own grid at once; elsewhere it waits for acceptance", async () => {
    const own = await report(gridWorkerA1, garbage({ description: "巡查发现楼道堆放杂物" }));
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ status: "registered", gridId: s.gridA1 });
    const [row] = await q<{ source: string; recorded_by_user_id: string; reporter_user_id: string | null; registered_at: Date | null }>(
      "select source, recorded_by_user_id, reporter_user_id, registered_at from cases where id = $1",
      [own.json<Receipt>().id],
    );
    expect(row).toMatchObject({ source: "patrol", recorded_by_user_id: gridWorkerA1User.id, reporter_user_id: null });
    expect(row!.registered_at).not.toBeNull();
    const events = await q<{ action: string }>("select action from case_events where case_id = $1 order by id", [own.json<Receipt>().id]);
    expect(events.map((e) => e.action)).toEqual(["submit", "register"]);

    const elsewhere = await report(gridWorkerA1, garbage({ lng: 104.015, lat: 30.005 }));
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json()).toMatchObject({ status: "submitted", gridId: s.gridB1 });
  });

  it("records a report on behalf of a resident in the worker's scope, and refuses one outside it", async () => {
    const res = await report(workerA, garbage({ reporterPersonId: s.personA1, contactPhone: "028-85123456" }));
    expect(res.statusCode).toBe(201);
    const [row] = await q<{ source: string; reporter_person_id: string; reporter_user_id: string; contact_phone_masked: string }>(
      "select source, reporter_person_id, reporter_user_id, contact_phone_masked from cases where id = $1",
      [res.json<Receipt>().id],
    );
    // The resident has an account: they follow and rate it like their own report.
    expect(row).toMatchObject({ source: "onBehalf", reporter_person_id: s.personA1, reporter_user_id: residentUser.id });
    expect(row!.contact_phone_masked).not.toContain("8512");
    // The name is the registry's; the worker sees it masked, as a handler sees a reporter's name.
    const [person] = await q<{ name: string }>("select name from persons where id = $1", [s.personA1]);
    const [named] = await q<{ contact_name: string }>("select contact_name from cases where id = $1", [res.json<Receipt>().id]);
    expect(named!.contact_name).toBe(person!.name);
    const detail = (await t.as(workerA, "GET", `/api/cases/${res.json<Receipt>().id}`)).json<{ reporter: { name: string | null } }>();
    expect(detail.reporter.name).not.toBeNull();
    expect(detail.reporter.name).not.toBe(person!.name);
    expect(detail.reporter.name!.startsWith([...person!.name][0]!)).toBe(true);

    const before = await counts();
    const out = await report(workerB, garbage({ reporterPersonId: s.personA1 }));
    expect(out.statusCode).toBe(404);
    expect(out.json()).toMatchObject({ code: "not_found", field: "reporterPersonId" });
    const notWorker = await report(resident, garbage({ reporterPersonId: s.personA1 }));
    expect(notWorker.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("finds the resident a worker reports for by ID number: masked name and grid, in scope only, no clear read", async () => {
    const idNumber = makeIdNumber("510107", "1968-05-12", 11);
    await q("update persons set id_number_hash = $1 where id = $2", [encryptContact(t.keyring, { idNumber }).idNumberHash, s.personA1]);
    const audits = async () => Number((await q<{ n: string }>("select count(*)::text as n from audit_entries"))[0]!.n);
    const before = await audits();
    const found = await t.as(workerA, "POST", "/api/cases/reporting-person", { idNumber });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({ id: s.personA1, name: "张**", gridName: "甲社区第一网格" });
    expect(found.headers["cache-control"]).toBe("no-store");
    expect(found.body).not.toContain("张建国");
    expect(await audits()).toBe(before);
    // The grid worker of that grid finds them too; a worker of another community does not (as if unknown).
    expect((await t.as(gridWorkerA1, "POST", "/api/cases/reporting-person", { idNumber })).statusCode).toBe(200);
    const elsewhere = await t.as(workerB, "POST", "/api/cases/reporting-person", { idNumber });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json()).toMatchObject({ code: "not_found", field: "idNumber" });
    expect((await t.as(workerA, "POST", "/api/cases/reporting-person", { idNumber: makeIdNumber("510107", "1970-01-01", 12) })).statusCode).toBe(404);
    const mistyped = await t.as(workerA, "POST", "/api/cases/reporting-person", { idNumber: `${idNumber.slice(0, 17)}${idNumber[17] === "1" ? "2" : "1"}` });
    expect(mistyped.statusCode).toBe(400);
    expect(mistyped.json()).toMatchObject({ code: "validation_failed", field: "idNumber" });
    expect(mistyped.body).not.toContain(idNumber.slice(0, 17));
    expect((await t.as(resident, "POST", "/api/cases/reporting-person", { idNumber })).statusCode).toBe(403);
  });

  it("refuses every bad input with a clear code and field, and writes nothing", async () => {
    const before = await counts();
    const expectError = async (res: Awaited<ReturnType<typeof report>>, status: number, code: string, field?: string) => {
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code, ...(field ? { field } : {}) });
    };
    await expectError(await report(resident, garbage({ categoryCode: "9999" })), 400, "case_unknown_category", "categoryCode");
    // A top-level category (大类) is not a category to report under.
    await expectError(await report(resident, garbage({ categoryCode: "01" })), 400, "case_unknown_category", "categoryCode");
    const outside = await report(resident, garbage({ lng: 104.5, lat: 30.5 }), { "accept-language": "en" });
    await expectError(outside, 404, "outside_grids", "lng");
    expect(outside.json<{ message: string }>().message).toBe("This location is not inside any grid");
    await expectError(await report(resident, { categoryCode: cat.garbage.code, description: "没有位置" }), 400, "validation_failed", "lng");
    await expectError(await report(resident, garbage({ description: "   " })), 400, "validation_failed", "description");
    await expectError(await report(resident, garbage({ contactPhone: "12345" })), 400, "validation_failed", "contactPhone");
    await expectError(await report(resident, garbage({ buildingId: "00000000-0000-4000-8000-000000000000" })), 404, "not_found", "buildingId");

    // A photo uploaded by someone else, one that does not exist, one already attached.
    const foreign = (await upload(otherResident, solidPng(10, 10))).json<{ id: string }>().id;
    await expectError(await report(resident, garbage({ photoIds: [foreign] })), 400, "case_photo_invalid", "photoIds");
    await expectError(await report(resident, garbage({ photoIds: ["00000000-0000-4000-8000-000000000000"] })), 400, "case_photo_invalid", "photoIds");
    const mine = (await upload(resident, solidPng(10, 10))).json<{ id: string }>().id;
    // A good photo with a bad one: the good one stays unattached too.
    await expectError(await report(resident, garbage({ photoIds: [mine, foreign] })), 400, "case_photo_invalid");
    expect(await counts()).toEqual(before);
    const [still] = await q<{ case_id: string | null }>("select case_id from case_photos where id = $1", [mine]);
    expect(still!.case_id).toBeNull();
  });

  it("answers a repeated idempotency key with the first case's number, also when both arrive at once", async () => {
    const first = await report(resident, garbage(), { "idempotency-key": "form-abc-1" });
    expect(first.statusCode).toBe(201);
    const caseNo = first.json<Receipt>().caseNo;
    const before = await counts();
    const again = await report(resident, garbage());
    expect(again.statusCode).toBe(201);
    const after = await counts();
    const repeat = await report(resident, garbage({ idempotencyKey: "form-abc-1" }));
    expect(repeat.statusCode).toBe(409);
    expect(repeat.json()).toMatchObject({ code: "case_duplicate_submission", field: "idempotencyKey" });
    expect(repeat.json<{ message: string }>().message).toContain(caseNo);
    expect(await counts()).toEqual(after);
    expect(Number(after.cases)).toBe(Number(before.cases) + 1);
    // The same key from another person is another submission.
    expect((await report(otherResident, garbage(), { "idempotency-key": "form-abc-1" })).statusCode).toBe(201);

    const start = await counts();
    const both = await Promise.all([report(resident, garbage(), { "idempotency-key": "race-1" }), report(resident, garbage(), { "idempotency-key": "race-1" })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const loser = both.find((r) => r.statusCode === 409)!;
    expect(loser.json()).toMatchObject({ code: "case_duplicate_submission" });
    expect(loser.json<{ message: string }>().message).toContain(both.find((r) => r.statusCode === 201)!.json<Receipt>().caseNo);
    const end = await counts();
    expect(Number(end.cases)).toBe(Number(start.cases) + 1);
    expect(Number(end.events)).toBe(Number(start.events) + 1);
  });

  it("numbers cases of a day in sequence, without gaps or repeats under concurrent submissions", async () => {
    const res = await Promise.all(Array.from({ length: 6 }, (_, i) => report(i % 2 ? resident : otherResident, garbage())));
    expect(res.every((r) => r.statusCode === 201)).toBe(true);
    const nos = res.map((r) => r.json<Receipt>().caseNo);
    expect(new Set(nos).size).toBe(6);
    const seq = nos.map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(seq.at(-1)! - seq[0]!).toBe(5);
  });

  it("checks the answers to a category's questions (附加信息): required, choices, numbers; stores them tidied", async () => {
    const questions = [
      { code: "blocks_traffic", variable: true, datatype: "singlevaluelist", required: true, description: "是否挡住道路通行", order: 1, values: [{ key: "yes", name: "是" }, { key: "no", name: "否" }] },
      { code: "count", variable: true, datatype: "number", required: false, description: "大概有几袋", order: 2 },
    ];
    await q("update case_categories set attributes = $1::jsonb where id = $2", [JSON.stringify(questions), cat.garbage.id]);
    try {
      const before = await counts();
      const missing = await report(resident, garbage());
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ code: "validation_failed", field: "attributes.blocks_traffic" });
      expect(missing.json<{ message: string }>().message).toContain("是否挡住道路通行");
      const badChoice = await report(resident, garbage({ attributes: { blocks_traffic: "maybe" } }));
      expect(badChoice.json()).toMatchObject({ code: "validation_failed", field: "attributes.blocks_traffic" });
      const badNumber = await report(resident, garbage({ attributes: { blocks_traffic: "yes", count: "三袋" } }));
      expect(badNumber.json()).toMatchObject({ code: "validation_failed", field: "attributes.count" });
      const unknown = await report(resident, garbage({ attributes: { blocks_traffic: "yes", colour: "red" } }));
      expect(unknown.json()).toMatchObject({ code: "validation_failed", field: "attributes.colour" });
      expect(await counts()).toEqual(before);

      const ok = await report(gridWorkerA1, garbage({ attributes: { blocks_traffic: " yes ", count: "3" } }));
      expect(ok.statusCode).toBe(201);
      const [row] = await q<{ attributes: Record<string, unknown> }>("select attributes from cases where id = $1", [ok.json<Receipt>().id]);
      expect(row!.attributes).toEqual({ blocks_traffic: "yes", count: 3 });
      // The case page shows them as text under their questions.
      const detail = (await t.as(gridWorkerA1, "GET", `/api/cases/${ok.json<Receipt>().id}`)).json<{ answers: unknown }>();
      expect(detail.answers).toEqual([
        { code: "blocks_traffic", question: "是否挡住道路通行", answer: "是" },
        { code: "count", question: "大概有几袋", answer: "3" },
      ]);
    } finally {
      await q("update case_categories set attributes = '[]'::jsonb where id = $1", [cat.garbage.id]);
    }
  });

  it("skips a case number already taken (the demo's, or a wrapped sequence) and takes the next", async () => {
    const first = await report(resident, garbage());
    expect(first.statusCode).toBe(201);
    const no = first.json<Receipt>().caseNo;
    const prefix = no.slice(0, -6);
    const next = (k: number) => `${prefix}${String((Number(no.slice(-6)) + k) % 1_000_000).padStart(6, "0")}`;
    // Another case already holds the number the sequence hands out next.
    const taken = await insertCase(t.database.db, s, cat.garbage);
    await q("update cases set case_no = $1 where id = $2", [next(1), taken.id]);
    const before = await counts();
    const second = await report(resident, garbage());
    expect(second.statusCode).toBe(201);
    expect(second.json<Receipt>().caseNo).toBe(next(2));
    const after = await counts();
    expect(Number(after.cases)).toBe(Number(before.cases) + 1);
    expect(Number(after.events)).toBe(Number(before.events) + 1);
  });

  it("refuses a hotline ticket already taken in (two imports at once) with the first case's number, writing nothing", async () => {
    const worker = await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA });
    const actor = await actorOf(t.database.db, worker.id);
    const ctx = { gridIndex: t.app.ctx.gridIndex, keyring: t.keyring };
    const input = { source: "hotline" as const, categoryCode: cat.garbage.code, description: "市民来电反映小区门口垃圾堆放。", ...here, externalRef: `RX${engine.name}001` };
    const first = await submitCase(t.database.db, ctx, actor, input);
    const before = await counts();
    const again = submitCase(t.database.db, ctx, actor, input);
    await expect(again).rejects.toMatchObject({ code: "case_duplicate_submission", field: "externalRef", params: { caseNo: first.caseNo } });
    expect(await counts()).toEqual(before);
  });

  it("offers open cases of the same category nearby, without personal data", async () => {
    const a = await report(resident, garbage({ description: "幸福路12号门口垃圾堆了三天，电话13900001111", lng: 104.0051, lat: 30.0051 }));
    const near = await t.as(resident, "GET", `/api/cases/similar?categoryCode=${cat.garbage.code}&lng=104.0052&lat=30.0052`);
    expect(near.statusCode).toBe(200);
    const items = near.json<{ items: { kind: string; id: string; caseNo: string; distanceM: number; excerpt: string; status: string }[] }>().items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(5);
    // The reporter reads their own case, so it comes in full (digits of the description hidden).
    expect(items[0]!.id).toBe(a.json<Receipt>().id);
    expect(items[0]!.distanceM).toBeLessThan(20);
    expect(Object.keys(items[0]!).sort()).toEqual(["caseNo", "distanceM", "excerpt", "id", "kind", "status", "statusLabel", "submittedAt"]);
    expect(near.body).not.toContain("13900001111");
    expect(near.body).not.toContain("12号");
    for (let i = 1; i < items.length; i++) {
      const [prev, cur] = [items[i - 1]!, items[i]!];
      if (prev.kind === "case" && cur.kind === "case") expect(cur.distanceM).toBeGreaterThanOrEqual(prev.distanceM);
    }
    // Another category, or 1 km away: nothing.
    const other = await t.as(resident, "GET", `/api/cases/similar?categoryCode=${cat.streetVending.code}&lng=104.0052&lat=30.0052`);
    expect(other.json<{ items: { id?: string }[] }>().items.map((i) => i.id)).not.toContain(a.json<Receipt>().id);
    const far = await t.as(resident, "GET", `/api/cases/similar?categoryCode=${cat.garbage.code}&lng=104.0091&lat=30.0091`);
    expect(far.json<{ items: unknown[] }>().items).toEqual([]);
    expect((await t.as(null, "GET", `/api/cases/similar?categoryCode=${cat.garbage.code}&lng=104&lat=30`)).statusCode).toBe(401);
  });

  it("tells another resident of similar cases only as the public board does, and staff only of cases they may read", async () => {
    const a = (await report(resident, garbage({ description: "张伟家门口垃圾堆了三天", lng: 104.0051, lat: 30.0051 }))).json<Receipt>();
    const url = `/api/cases/similar?categoryCode=${cat.garbage.code}&lng=104.0052&lat=30.0052`;
    // A resident of community B: category phrase, grid, status and day — no number, words, id or distance.
    const seen = await t.as(otherResident, "GET", url);
    expect(seen.statusCode).toBe(200);
    const items = seen.json<{ items: Record<string, unknown>[] }>().items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(["gridName", "kind", "status", "statusLabel", "submittedOn", "summary"]);
      expect(item).toMatchObject({ kind: "board", gridName: "甲社区第一网格" });
      expect((item.summary as { zh: string }).zh).toMatch(/^[^「]+的「暴露垃圾」问题$/);
      expect(item.submittedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(seen.body).not.toContain(a.caseNo);
    expect(seen.body).not.toContain(a.id);
    expect(seen.body).not.toContain("张伟");
    // A community worker of B is told of nothing in community A; A's staff see the case in full.
    expect((await t.as(workerB, "GET", url)).json<{ items: unknown[] }>().items).toEqual([]);
    for (const staff of [workerA, gridWorkerA1]) {
      const found = (await t.as(staff, "GET", url)).json<{ items: { kind: string; id: string; caseNo: string }[] }>().items;
      expect(found).toContainEqual(expect.objectContaining({ kind: "case", id: a.id, caseNo: a.caseNo }));
    }
  });

  it("merges a duplicate into an open case of the same category (dispatchers only), and refuses bad merges", async () => {
    const target = (await report(resident, garbage({ description: "垃圾桶满了" }))).json<Receipt>();
    const dup = (await report(otherResident, garbage({ description: "垃圾桶满了没人管", lng: 104.0052 }))).json<Receipt>();
    const other = (await report(resident, { categoryCode: cat.streetVending.code, description: "占道", ...here })).json<Receipt>();
    const before = await counts();
    const bad = async (session: Session, id: string, body: Record<string, unknown>, status: number, code: string) => {
      const res = await t.as(session, "POST", `/api/cases/${id}/merge`, body);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code });
      return res;
    };
    await bad(workerA, dup.id, { intoId: dup.id }, 400, "case_merge_invalid");
    const diff = await bad(workerA, dup.id, { intoId: other.id }, 400, "case_merge_invalid");
    expect(diff.json<{ message: string }>().message).toContain("类别不同");
    await bad(gridWorkerA1, dup.id, { intoId: target.id }, 403, "forbidden");
    await bad(workerB, dup.id, { intoId: target.id }, 404, "not_found");
    await bad(resident, target.id, { intoId: dup.id }, 403, "forbidden");
    await bad(workerA, dup.id, { intoId: "00000000-0000-4000-8000-000000000000" }, 404, "not_found");
    expect(await counts()).toEqual(before);

    const ok = await t.as(workerA, "POST", `/api/cases/${dup.id}/merge`, { intoId: target.id, note: "同一处垃圾桶" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: dup.id, status: "merged", mergedIntoId: target.id, intoCaseNo: target.caseNo });
    const [ev] = await q<{ action: string; data: Record<string, unknown>; note: string }>("select action, data, note from case_events where case_id = $1 order by id desc limit 1", [dup.id]);
    expect(ev).toMatchObject({ action: "merge", data: { intoCaseNo: target.caseNo }, note: "同一处垃圾桶" });
    // A merged case is no target, and a merged case cannot be merged again.
    const third = (await report(resident, garbage())).json<Receipt>();
    const into = await bad(workerA, third.id, { intoId: dup.id }, 400, "case_merge_invalid");
    expect(into.json<{ message: string }>().message).toContain("已被合并");
    await bad(workerA, dup.id, { intoId: third.id }, 409, "case_illegal_transition");
    // Merged cases are no longer offered as similar.
    const near = await t.as(workerA, "GET", `/api/cases/similar?categoryCode=${cat.garbage.code}&lng=104.0052&lat=30.005`);
    expect(near.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(dup.id);
  });
});
