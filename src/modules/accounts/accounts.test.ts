import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { rows } from "../../platform/db/index.js";
import { persons } from "../people/schema.js";
import { smsCodeMaxTries } from "./service.js";

const strongPassword = "Resident-2026";

describe.each(testEngines())("resident accounts on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let workerA: Session;
  let workerB: Session;
  let secondPersonA1: string;
  const log: string[] = [];
  let phoneSeq = 0;
  // Each test its own mobile and client address, so the per-mobile limits never meet between tests.
  const nextPhone = () => `139${String(10_000_000 + engine.name.length * 1_000_000 + ++phoneSeq).slice(-8)}`;

  const count = async (table: string, where = sql`true`) =>
    Number((await rows<{ n: string | number }>(t.database.db, sql`select count(*) as n from ${sql.raw(table)} where ${where}`))[0]!.n);

  /** Asks for a code and reads it from the server's log (GONGZHI_SMS=log), as a developer would. */
  const smsCode = async (phone: string) => {
    const res = await t.app.inject({ method: "POST", url: "/api/signup/sms-code", payload: { phone }, remoteAddress: `10.0.${engine.name.length}.${phoneSeq % 250}` });
    expect(res.statusCode, res.body).toBe(201);
    const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
    const line = [...log].reverse().find((l) => l.includes(masked));
    expect(line, "the code is written to the log").toBeDefined();
    return { verificationId: res.json<{ verificationId: string }>().verificationId, code: (JSON.parse(line!) as { code: string }).code };
  };

  const signup = (body: Record<string, unknown>) => t.app.inject({ method: "POST", url: "/api/signup", payload: body });
  const sessionOf = (res: { cookies: { name: string; value: string }[]; json<T>(): T }): Session => ({
    cookie: `gz_session=${res.cookies.find((c) => c.name === "gz_session")!.value}`,
    csrf: res.json<{ csrfToken: string }>().csrfToken,
  });
  const expectError = (res: { statusCode: number; body: string; json<T>(): T }, status: number, code: string, field?: string) => {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json<{ code: string; field?: string }>()).toMatchObject({ code, ...(field ? { field } : {}) });
  };

  /** A complete, valid sign-up to community A with a fresh mobile and a confirmed code. */
  const validBody = async (over: Record<string, unknown> = {}) => {
    const phone = (over.phone as string | undefined) ?? nextPhone();
    const { verificationId, code } = await smsCode(phone);
    return { username: `res_${randomUUID().slice(0, 8)}`, name: "张建国", password: strongPassword, phone, communityId: s.communityA, address: "幸福路12号3栋2单元502室", verificationId, smsCode: code, ...over };
  };

  beforeAll(async () => {
    t = await startTestApp(engine, { GONGZHI_SMS: "log", LOG_LEVEL: "warn", GONGZHI_LOGIN_RATE_LIMIT_PER_MINUTE: "10000" }, { logStream: { write: (line) => void log.push(line) } });
    s = await buildTinyStreet(t.database.db);
    cat = await seedCaseCatalogue(t.database.db, s);
    workerA = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    workerB = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB })).username);
    const [p] = await t.database.db
      .insert(persons)
      .values({ householdId: s.householdA1, gridId: s.gridA1, name: "张小明", gender: "male", birthYear: 1995, relation: "子女" })
      .returning({ id: persons.id });
    secondPersonA1 = p!.id;
  });
  afterAll(async () => t?.close());

  it("writes the SMS code to the log with the mobile masked, never in full, and keeps it hashed", async () => {
    const phone = nextPhone();
    const { verificationId, code } = await smsCode(phone);
    expect(code).toMatch(/^\d{6}$/);
    expect(log.join("\n")).not.toContain(phone);
    const [row] = await rows<{ code_hash: string; expires_at: Date | string; created_at: Date | string }>(t.database.db, sql`select code_hash, expires_at, created_at from phone_verifications where id = ${verificationId}`);
    expect(row!.code_hash).not.toContain(code);
    expect(new Date(row!.expires_at).getTime() - new Date(row!.created_at).getTime()).toBe(10 * 60_000);
  });

  it("limits codes per mobile: a second code within a minute is refused", async () => {
    const phone = nextPhone();
    await smsCode(phone);
    const again = await t.app.inject({ method: "POST", url: "/api/signup/sms-code", payload: { phone } });
    expectError(again, 429, "sms_rate_limited", "phone");
  });

  it("signs a resident up pending: resident role on the community, no person, may report and follow their own cases", async () => {
    const body = await validBody();
    const res = await signup(body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ status: string }>().status).toBe("pending");
    const resident = sessionOf(res);
    const me = await t.as(resident, "GET", "/api/auth/me");
    expect(me.json<{ user: { face: string; grants: { role: string; areaId: string }[] } }>().user).toMatchObject({ face: "resident", grants: [{ role: "resident", areaId: s.communityA }] });
    const mine = await t.as(resident, "GET", "/api/accounts/me");
    expect(mine.json()).toMatchObject({ status: "pending", communityId: s.communityA, householdId: null });
    // The mobile is stored encrypted, masked for lists.
    const [row] = await rows<{ phone_enc: string; phone_masked: string }>(t.database.db, sql`select phone_enc, phone_masked from signup_requests where name = '张建国' and phone_masked = ${`${body.phone.slice(0, 3)}****${body.phone.slice(-4)}`}`);
    expect(row!.phone_enc).not.toContain(body.phone);
    // Reports and follows their own case while pending.
    const report = await t.as(resident, "POST", "/api/cases", { categoryCode: cat.garbage.code, description: "楼道里堆满杂物", lng: 104.005, lat: 30.005 });
    expect(report.statusCode, report.body).toBe(201);
    const list = await t.as(resident, "GET", "/api/cases?mine=reported");
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(report.json<{ id: string }>().id);
    // A household is not theirs to read.
    expect((await t.as(resident, "GET", `/api/households/${s.householdA1}`)).statusCode).toBe(404);
  });

  it("refuses a wrong SMS code with the tries left, writes no user, and kills the code after 5 wrong tries", async () => {
    const body = await validBody();
    const wrong = body.smsCode === "000000" ? "111111" : "000000";
    expectError(await signup({ ...body, smsCode: wrong }), 400, "sms_code_wrong", "smsCode");
    expect(await count("users", sql`username = ${body.username}`)).toBe(0);
    for (let i = 2; i <= smsCodeMaxTries; i++) await signup({ ...body, smsCode: wrong });
    expectError(await signup(body), 400, "sms_code_expired", "smsCode");
    expect(await count("users", sql`username = ${body.username}`)).toBe(0);
  });

  it("refuses a sign-up without a code, a weak password, a duplicate username or mobile, a community outside the platform — nothing written", async () => {
    const before = await count("users");
    const signups = await count("signup_requests");
    const body = await validBody();
    expectError(await signup({ ...body, smsCode: undefined, verificationId: undefined }), 400, "sms_code_required", "smsCode");
    expectError(await signup({ ...body, password: "password" }), 400, "password_too_weak", "password");
    expectError(await signup({ ...body, communityId: randomUUID() }), 400, "community_unknown", "communityId");
    // A grid is not a community.
    expectError(await signup({ ...body, communityId: s.gridA1 }), 400, "community_unknown", "communityId");
    const taken = await createTestUser(t.database.db, { role: "resident", areaId: s.communityA });
    expectError(await signup({ ...body, username: taken.username.toUpperCase() }), 409, "conflict", "username");
    expect(await count("users")).toBe(before + 1);
    expect(await count("signup_requests")).toBe(signups);
    // The mobile of a pending sign-up cannot sign up again.
    expect((await signup(body)).statusCode).toBe(201);
    const again = await validBody();
    expectError(await signup({ ...again, phone: body.phone }), 409, "phone_taken", "phone");
  });

  it("lets the community's worker see pending sign-ups in scope, compare registry candidates, and link the account", async () => {
    const body = await validBody({ name: "张小明" });
    const res = await signup(body);
    expect(res.statusCode, res.body).toBe(201);
    const resident = sessionOf(res);
    const list = await t.as(workerA, "GET", "/api/accounts/signups?status=pending");
    const item = list.json<{ items: { id: string; name: string; phone: string; abilities: { decide: boolean } }[] }>().items.find((i) => i.name === "张小明");
    expect(item).toBeDefined();
    expect(item!.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(item!.abilities.decide).toBe(true);
    // Another community's worker neither lists nor opens it.
    const other = await t.as(workerB, "GET", "/api/accounts/signups");
    expect(other.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(item!.id);
    expect((await t.as(workerB, "GET", `/api/accounts/signups/${item!.id}/candidates`)).statusCode).toBe(404);
    // Candidates: the registry's 张小明 of community A, matched by name.
    const cand = await t.as(workerA, "GET", `/api/accounts/signups/${item!.id}/candidates`);
    expect(cand.statusCode, cand.body).toBe(200);
    const candidates = cand.json<{ candidates: { personId: string; matchedBy: string[]; linked: boolean }[] }>().candidates;
    expect(candidates).toEqual([expect.objectContaining({ personId: secondPersonA1, matchedBy: ["name"], linked: false })]);
    // A person of another community cannot be linked.
    const [pb] = await t.database.db.insert(persons).values({ householdId: s.householdB1, gridId: s.gridB1, name: "王国华", gender: "male", birthYear: 1960, relation: "户主" }).returning({ id: persons.id });
    expectError(await t.as(workerA, "POST", `/api/accounts/signups/${item!.id}/link`, { personId: pb!.id }), 400, "person_not_in_community", "personId");
    const linked = await t.as(workerA, "POST", `/api/accounts/signups/${item!.id}/link`, { personId: secondPersonA1 });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ status: "linked", personId: secondPersonA1 });
    // The resident now sees their household.
    const mine = await t.as(resident, "GET", "/api/accounts/me");
    expect(mine.json()).toMatchObject({ status: "linked", householdId: s.householdA1 });
    expect((await t.as(resident, "GET", `/api/households/${s.householdA1}`)).statusCode).toBe(200);
    // Decided once.
    expectError(await t.as(workerA, "POST", `/api/accounts/signups/${item!.id}/reject`, { reason: "不是本人" }), 409, "signup_decided");
    const audit = await count("audit_entries", sql`action = 'signup.link' and entity_id = ${item!.id}`);
    expect(audit).toBe(1);
  });

  it("refuses to link a person already linked to another account (person_already_linked), changing nothing", async () => {
    // personA1 has an account of their own.
    await createTestUser(t.database.db, { role: "resident", areaId: s.gridA1, personId: s.personA1 });
    const body = await validBody({ name: "张建国" });
    const res = await signup(body);
    const [{ id }] = (await rows<{ id: string }>(t.database.db, sql`select s.id from signup_requests s join users u on u.id = s.user_id where u.username = ${body.username}`)) as [{ id: string }];
    expect(res.statusCode).toBe(201);
    const cand = await t.as(workerA, "GET", `/api/accounts/signups/${id}/candidates`);
    expect(cand.json<{ candidates: { personId: string; linked: boolean }[] }>().candidates.find((c) => c.personId === s.personA1)?.linked).toBe(true);
    expectError(await t.as(workerA, "POST", `/api/accounts/signups/${id}/link`, { personId: s.personA1 }), 409, "person_already_linked", "personId");
    const [row] = await rows<{ status: string; person_id: string | null }>(t.database.db, sql`select status, person_id from signup_requests where id = ${id}`);
    expect(row).toEqual({ status: "pending", person_id: null });
  });

  it("rejects a sign-up with a reason the resident reads", async () => {
    const res = await signup(await validBody({ name: "查无此人" }));
    const resident = sessionOf(res);
    const list = await t.as(workerA, "GET", "/api/accounts/signups?status=pending");
    const item = list.json<{ items: { id: string; name: string }[] }>().items.find((i) => i.name === "查无此人")!;
    expectError(await t.as(workerA, "POST", `/api/accounts/signups/${item.id}/reject`, { reason: " " }), 400, "validation_failed", "reason");
    const rejected = await t.as(workerA, "POST", `/api/accounts/signups/${item.id}/reject`, { reason: "登记中查不到此人，请到社区居委会办理" });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((await t.as(resident, "GET", "/api/accounts/me")).json()).toMatchObject({ status: "rejected", rejectReason: "登记中查不到此人，请到社区居委会办理" });
  });

  it("reveals a sign-up's mobile in clear only for a purpose, audited", async () => {
    const body = await validBody({ name: "看号码" });
    await signup(body);
    const item = (await t.as(workerA, "GET", "/api/accounts/signups?status=pending")).json<{ items: { id: string; name: string }[] }>().items.find((i) => i.name === "看号码")!;
    const res = await t.as(workerA, "POST", `/api/accounts/signups/${item.id}/reveal-phone`, { purpose: "电话核实注册人身份" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ value: string }>().value).toBe(body.phone);
    expect(await count("audit_entries", sql`action = 'signup.reveal' and entity_id = ${item.id}`)).toBe(1);
    expect(await count("pii_reveals", sql`entity_id = ${item.id}`)).toBe(1);
    expect((await t.as(workerB, "POST", `/api/accounts/signups/${item.id}/reveal-phone`, { purpose: "电话核实注册人身份" })).statusCode).toBe(404);
  });

  it("links a resident at once with a household's invitation code; the code works once", async () => {
    const made = await t.as(workerA, "POST", "/api/accounts/invitations", { householdIds: [s.householdA2] });
    expect(made.statusCode, made.body).toBe(201);
    const inv = made.json<{ items: { code: string; address: string; communityName: string }[] }>().items[0]!;
    expect(inv.communityName).toBe("甲社区");
    expect(inv.address).toContain("14号1栋");
    expect(inv.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const [p] = await t.database.db.insert(persons).values({ householdId: s.householdA2, gridId: s.gridA2, name: "李秀英", gender: "female", birthYear: 1958, relation: "户主" }).returning({ id: persons.id });
    const preview = await t.app.inject({ method: "POST", url: "/api/signup/invitation", payload: { code: inv.code.toLowerCase().replace("-", "") } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({ communityName: "甲社区", members: [{ id: p!.id, name: "李**", relation: "户主" }] });
    expect(preview.body).not.toContain("李秀英");
    const body = await validBody({ name: "李秀英", communityId: undefined, address: undefined, invitationCode: inv.code });
    expectError(await signup({ ...body, personId: secondPersonA1 }), 400, "invitation_member_unknown", "personId");
    const res = await signup({ ...body, personId: p!.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: "linked" });
    expect((await t.as(sessionOf(res), "GET", "/api/accounts/me")).json()).toMatchObject({ status: "linked", householdId: s.householdA2 });
    // Used twice: refused, nothing written.
    const users = await count("users");
    const second = await validBody({ name: "李秀英", communityId: undefined, address: undefined, invitationCode: inv.code, personId: p!.id });
    expectError(await signup(second), 409, "invitation_used", "invitationCode");
    expect(await count("users")).toBe(users);
    const list = await t.as(workerA, "GET", "/api/accounts/invitations");
    expect(list.json<{ items: { status: string; hint: string }[] }>().items).toEqual(expect.arrayContaining([expect.objectContaining({ status: "used", hint: inv.code.slice(-2) })]));
    expect(list.body).not.toContain(inv.code);
  });

  it("refuses an expired code, a member already linked, a wrong code, and codes for another community's households", async () => {
    const made = await t.as(workerA, "POST", "/api/accounts/invitations", { householdIds: [s.householdA1] });
    const code = made.json<{ items: { code: string }[] }>().items[0]!.code;
    // personA1 is linked to an account (an earlier test gave them one, or this one does).
    if ((await count("users", sql`person_id = ${s.personA1}`)) === 0) await createTestUser(t.database.db, { role: "resident", areaId: s.gridA1, personId: s.personA1 });
    const users = await count("users");
    expectError(await signup(await validBody({ communityId: undefined, invitationCode: code, personId: s.personA1 })), 409, "person_already_linked", "personId");
    expectError(await signup(await validBody({ communityId: undefined, invitationCode: "ABCD-EFGH", personId: s.personA1 })), 400, "invitation_invalid", "invitationCode");
    await t.database.db.execute(sql`update invitation_codes set expires_at = now() - interval '1 day' where household_id = ${s.householdA1}`);
    expectError(await signup(await validBody({ communityId: undefined, invitationCode: code, personId: secondPersonA1 })), 400, "invitation_expired", "invitationCode");
    expect(await count("users")).toBe(users);
    const outside = await t.as(workerA, "POST", "/api/accounts/invitations", { householdIds: [s.householdA1, s.householdB1] });
    expectError(outside, 403, "invitation_household_outside", "householdIds");
    expect(await count("invitation_codes", sql`household_id = ${s.householdB1}`)).toBe(0);
  });
});
