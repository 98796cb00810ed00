/**
 * User administration (用户与权限) over HTTP on both engines: who may see and manage whom, grants
 * within the granter's reach, bad input that writes nothing, person links, disable, password
 * resets, own password change, sessions and lockouts. The session cache is on, so a disabled
 * user's or ended session's cached check must be forgotten.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, testPassword, type TinyStreet } from "../../test-support/factories.js";
import { rows } from "../db/index.js";
import { organizations } from "../../modules/orgs/schema.js";
import { roleGrants } from "./schema.js";
import { maxFailedLogins } from "./service.js";
import { resetPassword } from "./admin.js";
import { actorOf } from "./service.js";

interface AdminUser {
  id: string;
  username: string;
  disabled: boolean;
  mustChangePassword: boolean;
  personLinked: boolean;
  orgId: string | null;
  lockedUntil: string | null;
  failedLogins: number;
  grants: { id: string; role: string; areaId: string | null; orgId: string | null; revocable: boolean }[];
  abilities: { manage: boolean };
}

describe.each(testEngines())("user administration on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let foreign: TinyStreet;
  let sys: Session;
  let street: Session;
  let worker: Session;
  let department = "";
  let foreignDepartment = "";
  let n = 0;
  const uname = (p = "staff") => `${p}_${++n}_${randomUUID().slice(0, 6)}`;

  const count = async (table: string) => Number((await rows<{ n: string }>(t.database.db, sql.raw(`select count(*)::text as n from ${table}`)))[0]!.n);
  const create = (session: Session, body: Record<string, unknown>) => t.as(session, "POST", "/api/users", body);
  const created = async (session: Session, body: Record<string, unknown>) => {
    const res = await create(session, body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ user: AdminUser; temporaryPassword: string | null }>();
  };
  const loginRaw = (username: string, password: string) => t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });

  beforeAll(async () => {
    t = await startTestApp(engine, { GONGZHI_SESSION_CACHE_MS: "60000", GONGZHI_LOGIN_RATE_LIMIT_PER_MINUTE: "100000" });
    const db = t.database.db;
    s = await buildTinyStreet(db);
    foreign = await buildTinyStreet(db, "980000");
    const dept = async (areaId: string, name: string) => {
      const id = randomUUID();
      await db.insert(organizations).values({ id, kind: "department", name, areaId, path: `/${id}/` });
      return id;
    };
    department = await dept(s.street, "街道城管中队");
    foreignDepartment = await dept(foreign.street, "外地城管中队");
    sys = await t.login((await createTestUser(db, { role: "systemAdmin", areaId: s.city })).username);
    street = await t.login((await createTestUser(db, { role: "streetAdmin", areaId: s.street })).username);
    worker = await t.login((await createTestUser(db, { role: "communityWorker", areaId: s.communityA })).username);
  });
  afterAll(async () => t?.close());

  it("creates a staff login with a temporary password shown once, to be changed at first login, audited without it", async () => {
    const username = uname();
    const before = await count("users");
    const body = await created(street, { username, displayName: "李红梅", grants: [{ role: "communityWorker", areaId: s.communityA }] });
    expect(await count("users")).toBe(before + 1);
    expect(body.temporaryPassword).toMatch(/^[A-Z]{4}-\d{4}-[a-z]{4}$/);
    expect(body.user).toMatchObject({ username, mustChangePassword: true, disabled: false, abilities: { manage: true } });
    expect(body.user.grants).toEqual([expect.objectContaining({ role: "communityWorker", areaId: s.communityA, revocable: true })]);
    const audit = await rows<{ action: string; summary: unknown }>(t.database.db, sql`select action, summary from audit_entries where entity_id = ${body.user.id}`);
    expect(audit.map((a) => a.action)).toEqual(["user.create"]);
    expect(JSON.stringify(audit)).not.toContain(body.temporaryPassword!);
    // The user logs in with it and must change it before anything else.
    const login = await loginRaw(username, body.temporaryPassword!);
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ user: { mustChangePassword: true } });
  });

  it("refuses a duplicate username (any case) with field username, writing nothing", async () => {
    const username = uname();
    await created(street, { username, displayName: "王芳", password: "Strong-pass-1", grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    const before = [await count("users"), await count("role_grants"), await count("audit_entries")];
    const res = await create(street, { username: username.toUpperCase(), displayName: "王芳", password: "Strong-pass-1", grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "username_taken", field: "username" });
    expect([await count("users"), await count("role_grants"), await count("audit_entries")]).toEqual(before);
  });

  it("refuses a weak password with password_too_weak on field password, writing nothing", async () => {
    const before = await count("users");
    const res = await create(street, { username: uname(), displayName: "王芳", password: "abcdefgh", grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "password_too_weak", field: "password" });
    expect(await count("users")).toBe(before);
  });

  it("refuses roles outside the granter's reach with the field, writing nothing", async () => {
    const before = [await count("users"), await count("role_grants")];
    const cases: [Session, Record<string, unknown>[], number, string, string][] = [
      [street, [{ role: "systemAdmin", areaId: s.street }], 403, "grant_out_of_scope", "grants.0.role"],
      [street, [{ role: "communityWorker", areaId: foreign.communityA }], 403, "grant_out_of_scope", "grants.0.areaId"],
      [street, [{ role: "gridWorker", areaId: s.gridA1 }, { role: "districtAnalyst", areaId: s.city }], 403, "grant_out_of_scope", "grants.1.areaId"],
      [street, [{ role: "departmentStaff", orgId: foreignDepartment }], 403, "grant_out_of_scope", "grants.0.orgId"],
      [sys, [{ role: "communityWorker", areaId: foreign.communityA }], 403, "grant_out_of_scope", "grants.0.areaId"],
      [street, [{ role: "gridWorker", areaId: s.communityA }], 400, "grant_invalid", "grants.0.areaId"],
      [street, [{ role: "departmentStaff", areaId: s.street }], 400, "grant_invalid", "grants.0.orgId"],
      [street, [{ role: "resident", areaId: s.gridA1 }], 400, "grant_invalid", "grants.0.role"],
      [street, [{ role: "gridWorker", areaId: randomUUID() }], 400, "grant_invalid", "grants.0.areaId"],
      [street, [{ role: "chief", areaId: s.gridA1 }], 400, "validation_failed", "grants.0.role"],
    ];
    for (const [who, grants, status, code, field] of cases) {
      const res = await create(who, { username: uname(), displayName: "张伟", grants });
      expect(res.statusCode, JSON.stringify(grants)).toBe(status);
      expect(res.json(), JSON.stringify(grants)).toMatchObject({ code, field });
    }
    expect([await count("users"), await count("role_grants")]).toEqual(before);
  });

  it("lets a street administrator give a street department a login, and a system administrator grant systemAdmin", async () => {
    const d = await created(street, { username: uname("dept"), displayName: "城管中队", grants: [{ role: "departmentStaff", orgId: department }] });
    expect(d.user.grants[0]).toMatchObject({ role: "departmentStaff", orgId: department, areaId: s.street });
    expect(d.user.orgId).toBe(department);
    const a = await created(sys, { username: uname("admin"), displayName: "系统管理员二", grants: [{ role: "systemAdmin", areaId: s.street }] });
    expect(a.user.grants[0]!.role).toBe("systemAdmin");
    // The street administrator may not see or touch that system administrator.
    expect((await t.as(street, "GET", `/api/users/${a.user.id}`)).json()).toMatchObject({ abilities: { manage: false } });
    const reset = await t.as(street, "POST", `/api/users/${a.user.id}/password-reset`, { mode: "temporary" });
    expect(reset.statusCode).toBe(403);
  });

  it("answers other roles 403 on the list and creation, and users out of reach 404", async () => {
    expect((await t.as(worker, "GET", "/api/users")).statusCode).toBe(403);
    expect((await create(worker, { username: uname(), displayName: "x", grants: [{ role: "gridWorker", areaId: s.gridA1 }] })).statusCode).toBe(403);
    const other = await createTestUser(t.database.db, { role: "communityWorker", areaId: foreign.communityA });
    expect((await t.as(street, "GET", `/api/users/${other.id}`)).statusCode).toBe(404);
    expect((await t.as(street, "POST", `/api/users/${other.id}/disable`)).statusCode).toBe(404);
    expect((await t.as(worker, "GET", `/api/users/${other.id}`)).statusCode).toBe(404);
  });

  it("lists users in reach, searched by name, role, area, disabled; paged", async () => {
    const tag = randomUUID().slice(0, 6);
    const a = await created(street, { username: `list_${tag}_a`, displayName: `赵${tag}`, grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    await created(street, { username: `list_${tag}_b`, displayName: "钱多", grants: [{ role: "communityWorker", areaId: s.communityB }] });
    await createTestUser(t.database.db, { role: "gridWorker", areaId: foreign.gridA1, username: `list_${tag}_foreign` });
    const list = async (session: Session, q: string) => (await t.as(session, "GET", `/api/users?${q}`)).json<{ items: AdminUser[]; total: number }>();
    expect((await list(street, `q=list_${tag}`)).items.map((u) => u.username)).toEqual([`list_${tag}_a`, `list_${tag}_b`]);
    expect((await list(street, `q=${encodeURIComponent(`赵${tag}`)}`)).items.map((u) => u.username)).toEqual([`list_${tag}_a`]);
    expect((await list(street, `q=list_${tag}&role=communityWorker`)).items.map((u) => u.username)).toEqual([`list_${tag}_b`]);
    expect((await list(street, `q=list_${tag}&areaId=${s.communityA}`)).items.map((u) => u.username)).toEqual([`list_${tag}_a`]);
    const page = await list(street, `q=list_${tag}&pageSize=1&page=2`);
    expect([page.total, page.items.map((u) => u.username)]).toEqual([2, [`list_${tag}_b`]]);
    expect((await t.as(street, "POST", `/api/users/${a.user.id}/disable`)).statusCode).toBe(200);
    expect((await list(street, `q=list_${tag}&disabled=true`)).items.map((u) => u.username)).toEqual([`list_${tag}_a`]);
    expect((await list(street, `q=list_${tag}&disabled=false`)).items.map((u) => u.username)).toEqual([`list_${tag}_b`]);
    // A system administrator of the other city's... none: the foreign login shows to nobody here.
    expect((await list(sys, `q=list_${tag}`)).total).toBe(2);
  });

  it("adds and revokes grants within reach; a grant outside it stays", async () => {
    const u = await created(street, { username: uname(), displayName: "孙丽", grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    const added = await t.as(street, "POST", `/api/users/${u.user.id}/grants`, { role: "communityWorker", areaId: s.communityB });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json<AdminUser>().grants.map((g) => g.role)).toEqual(["gridWorker", "communityWorker"]);
    const again = await t.as(street, "POST", `/api/users/${u.user.id}/grants`, { role: "communityWorker", areaId: s.communityB });
    expect(again.json()).toMatchObject({ code: "grant_exists" });
    const sysGrant = await t.as(street, "POST", `/api/users/${u.user.id}/grants`, { role: "systemAdmin", areaId: s.street });
    expect(sysGrant.json()).toMatchObject({ code: "grant_out_of_scope", field: "role" });
    // A district grant the street administrator could not give: the user is seen, not managed, and that grant stays.
    await t.database.db.insert(roleGrants).values({ userId: u.user.id, role: "districtAnalyst", areaId: s.city });
    const seen = (await t.as(street, "GET", `/api/users/${u.user.id}`)).json<AdminUser>();
    expect(seen.abilities.manage).toBe(false);
    const district = seen.grants.find((g) => g.role === "districtAnalyst")!;
    expect(district.revocable).toBe(false);
    expect((await t.as(street, "DELETE", `/api/users/${u.user.id}/grants/${district.id}`)).statusCode).toBe(403);
    const grid = seen.grants.find((g) => g.role === "gridWorker")!;
    expect((await t.as(street, "DELETE", `/api/users/${u.user.id}/grants/${grid.id}`)).statusCode).toBe(204);
    const after = (await t.as(sys, "GET", `/api/users/${u.user.id}`)).json<AdminUser>();
    expect(after.grants.map((g) => g.role).sort()).toEqual(["communityWorker", "districtAnalyst"]);
    const actions = await rows<{ action: string }>(t.database.db, sql`select action from audit_entries where entity_id = ${u.user.id} order by id`);
    expect(actions.map((a) => a.action)).toEqual(["user.create", "user.grant", "user.revoke"]);
  });

  it("links a registry person in reach, once: another login on the same person is person_already_linked", async () => {
    const a = await created(street, { username: uname(), displayName: "张建国", grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    const b = await created(street, { username: uname(), displayName: "张建国", grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    const linked = await t.as(street, "PUT", `/api/users/${a.user.id}/person`, { personId: s.personA1 });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toMatchObject({ personLinked: true });
    const twice = await t.as(street, "PUT", `/api/users/${b.user.id}/person`, { personId: s.personA1 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: "person_already_linked", field: "personId" });
    const create2 = await create(street, { username: uname(), displayName: "张建国", personId: s.personA1, grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    expect(create2.json()).toMatchObject({ code: "person_already_linked", field: "personId" });
    const far = await t.as(street, "PUT", `/api/users/${b.user.id}/person`, { personId: foreign.personA1 });
    expect(far.json()).toMatchObject({ code: "person_not_found", field: "personId" });
    const none = await t.as(street, "PUT", `/api/users/${b.user.id}/person`, { personId: randomUUID() });
    expect(none.json()).toMatchObject({ code: "person_not_found", field: "personId" });
    // Relinking the same login to its own person is no conflict; unlinking frees the person.
    expect((await t.as(street, "PUT", `/api/users/${a.user.id}/person`, { personId: s.personA1 })).statusCode).toBe(200);
    expect((await t.as(street, "PUT", `/api/users/${a.user.id}/person`, { personId: null })).json()).toMatchObject({ personLinked: false });
    expect((await t.as(street, "PUT", `/api/users/${b.user.id}/person`, { personId: s.personA1 })).statusCode).toBe(200);
  });

  it("disabling ends the user's sessions at once (cached ones too); enabling lets them in again", async () => {
    const username = uname();
    const u = await created(street, { username, displayName: "周强", password: "Strong-pass-1", grants: [{ role: "communityWorker", areaId: s.communityA }] });
    await t.database.db.execute(sql`update users set must_change_password = false where id = ${u.user.id}`);
    const session = await t.login(username, "Strong-pass-1");
    expect((await t.as(session, "GET", "/api/auth/me")).statusCode).toBe(200);
    expect((await t.as(session, "GET", "/api/areas/roots")).statusCode).not.toBe(401); // cached now
    const off = await t.as(street, "POST", `/api/users/${u.user.id}/disable`);
    expect(off.json()).toMatchObject({ disabled: true, activeSessions: 0 });
    expect((await t.as(session, "GET", "/api/areas/roots")).statusCode).toBe(401);
    expect((await loginRaw(username, "Strong-pass-1")).json()).toMatchObject({ code: "account_disabled" });
    expect((await t.as(street, "POST", `/api/users/${u.user.id}/enable`)).json()).toMatchObject({ disabled: false });
    expect((await loginRaw(username, "Strong-pass-1")).statusCode).toBe(200);
  });

  it("refuses disabling oneself", async () => {
    const me = (await t.as(street, "GET", "/api/auth/me")).json<{ user: { id: string } }>().user.id;
    const res = await t.as(street, "POST", `/api/users/${me}/disable`);
    expect(res.json()).toMatchObject({ code: "cannot_disable_self" });
  });

  it("a temporary password opens only the password change; wrong current, same or weak new passwords are refused", async () => {
    const username = uname();
    const u = await created(street, { username, displayName: "吴敏", password: "Strong-pass-1", grants: [{ role: "communityWorker", areaId: s.communityA }] });
    const old = await t.login(username, "Strong-pass-1");
    const reset = await t.as(street, "POST", `/api/users/${u.user.id}/password-reset`, { mode: "temporary" });
    expect(reset.statusCode).toBe(200);
    expect(reset.headers["cache-control"]).toBe("no-store");
    const temp = reset.json<{ temporaryPassword: string }>().temporaryPassword;
    expect((await t.as(old, "GET", "/api/auth/me")).statusCode).toBe(401);
    expect((await loginRaw(username, "Strong-pass-1")).statusCode).toBe(401);
    const session = await t.login(username, temp);
    expect((await t.as(session, "GET", "/api/areas/roots")).json()).toMatchObject({ code: "password_change_required" });
    const change = (body: object) => t.as(session, "POST", "/api/auth/password", body);
    expect((await change({ currentPassword: "Wrong-pass-1", newPassword: "New-pass-2026" })).json()).toMatchObject({ code: "wrong_current_password", field: "currentPassword" });
    expect((await change({ currentPassword: temp, newPassword: temp })).json()).toMatchObject({ code: "password_unchanged", field: "newPassword" });
    expect((await change({ currentPassword: temp, newPassword: "short1A" })).json()).toMatchObject({ code: "password_too_weak", field: "newPassword" });
    expect((await change({ currentPassword: temp, newPassword: "New-pass-2026" })).statusCode).toBe(204);
    expect((await t.as(session, "GET", "/api/auth/me")).json()).toMatchObject({ user: { mustChangePassword: false } });
    expect((await t.as(session, "GET", "/api/areas/roots")).statusCode).toBe(200);
    expect((await loginRaw(username, "New-pass-2026")).statusCode).toBe(200);
    const audit = await rows<{ action: string; summary: unknown }>(t.database.db, sql`select action, summary from audit_entries where entity_id = ${u.user.id} order by id`);
    expect(audit.map((a) => a.action)).toEqual(["user.create", "user.resetPassword", "user.changePassword"]);
    expect(JSON.stringify(audit)).not.toContain(temp);
  });

  it("a one-time reset link sets a password once, before it expires; a weak one leaves the link usable", async () => {
    const username = uname();
    const u = await created(street, { username, displayName: "郑洁", grants: [{ role: "gridWorker", areaId: s.gridA2 }] });
    const res = await t.as(street, "POST", `/api/users/${u.user.id}/password-reset`, { mode: "link" });
    const link = res.json<{ resetPath: string; expiresAt: string }>();
    expect(link.resetPath).toMatch(/^\/reset\/[\w-]{40,}$/);
    const token = link.resetPath.slice("/reset/".length);
    const stored = await rows<{ token_hash: string }>(t.database.db, sql`select token_hash from password_reset_tokens where user_id = ${u.user.id}`);
    expect(stored[0]!.token_hash).not.toContain(token);
    const use = (password: string, tk = token) => t.app.inject({ method: "POST", url: "/api/auth/password-reset", payload: { token: tk, password } });
    expect((await use("weakweak")).json()).toMatchObject({ code: "password_too_weak", field: "password" });
    expect((await use("Link-pass-2026")).statusCode).toBe(204);
    expect((await use("Link-pass-2027")).json()).toMatchObject({ code: "reset_link_invalid", field: "token" });
    expect((await use("Link-pass-2027", "no-such-token")).json()).toMatchObject({ code: "reset_link_invalid" });
    const login = await loginRaw(username, "Link-pass-2026");
    expect(login.json()).toMatchObject({ user: { mustChangePassword: false } });
    // A link made a day and more ago has expired.
    const admin = await actorOf(t.database.db, (await t.as(street, "GET", "/api/auth/me")).json<{ user: { id: string } }>().user.id);
    const stale = await resetPassword(t.database.db, admin, u.user.id, "link", new Date(Date.now() - 25 * 3600_000));
    if (stale.mode !== "link") throw new Error("link expected");
    expect((await use("Link-pass-2028", stale.token)).json()).toMatchObject({ code: "reset_link_invalid" });
    const audit = await rows<{ summary: unknown }>(t.database.db, sql`select summary from audit_entries where entity_id = ${u.user.id}`);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("lists a user's sessions and ends one or all", async () => {
    const username = uname();
    const u = await created(street, { username, displayName: "冯刚", password: "Strong-pass-1", grants: [{ role: "communityWorker", areaId: s.communityA }] });
    await t.database.db.execute(sql`update users set must_change_password = false where id = ${u.user.id}`);
    const one = await t.login(username, "Strong-pass-1");
    const two = await t.login(username, "Strong-pass-1");
    const three = await t.login(username, "Strong-pass-1");
    const list = (await t.as(street, "GET", `/api/users/${u.user.id}/sessions`)).json<{ items: { id: string; createdAt: string; lastSeenAt: string; current: boolean }[] }>();
    expect(list.items).toHaveLength(3);
    expect(typeof list.items[0]!.createdAt === "string" && typeof list.items[0]!.lastSeenAt === "string").toBe(true);
    expect(list.items.some((i) => i.current)).toBe(false);
    await t.as(one, "GET", "/api/areas/roots");
    const mine = (await t.as(one, "GET", "/api/auth/me")).json<{ csrfToken: string }>();
    expect(mine.csrfToken).toBeTruthy();
    const ids = list.items.map((i) => i.id);
    const [sessionOne] = await rows<{ id: string }>(t.database.db, sql`select id from sessions where user_id = ${u.user.id} order by created_at, id limit 1`);
    expect(ids).toContain(sessionOne!.id);
    // Ending one: the session cache forgets, the others stay.
    const endOne = await t.as(street, "DELETE", `/api/users/${u.user.id}/sessions/${sessionOne!.id}`);
    expect(endOne.json()).toMatchObject({ ended: 1 });
    const alive = [one, two, three].map(async (x) => (await t.as(x, "GET", "/api/auth/me")).statusCode);
    expect((await Promise.all(alive)).sort()).toEqual([200, 200, 401]);
    expect((await t.as(street, "DELETE", `/api/users/${u.user.id}/sessions/${sessionOne!.id}`)).statusCode).toBe(404);
    expect((await t.as(street, "DELETE", `/api/users/${u.user.id}/sessions`)).json()).toMatchObject({ ended: 2 });
    for (const x of [one, two, three]) expect((await t.as(x, "GET", "/api/auth/me")).statusCode).toBe(401);
  });

  it("shows and clears a lockout", async () => {
    const username = uname();
    const u = await created(street, { username, displayName: "陈静", password: "Strong-pass-1", grants: [{ role: "gridWorker", areaId: s.gridA1 }] });
    for (let i = 0; i < maxFailedLogins; i++) await loginRaw(username, "Wrong-pass-1");
    expect((await loginRaw(username, "Strong-pass-1")).json()).toMatchObject({ code: "account_locked" });
    const seen = (await t.as(street, "GET", `/api/users/${u.user.id}`)).json<AdminUser>();
    expect(seen.lockedUntil).not.toBeNull();
    const locked = (await t.as(street, "GET", `/api/users?locked=true&q=${username}`)).json<{ items: AdminUser[] }>();
    expect(locked.items.map((x) => x.id)).toEqual([u.user.id]);
    expect((await t.as(worker, "POST", `/api/users/${u.user.id}/unlock`)).statusCode).toBe(404);
    const cleared = await t.as(street, "POST", `/api/users/${u.user.id}/unlock`);
    expect(cleared.json()).toMatchObject({ lockedUntil: null, failedLogins: 0 });
    expect((await loginRaw(username, "Strong-pass-1")).statusCode).toBe(200);
  });

  it("answers a user without a session no password change", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/auth/password", payload: { currentPassword: testPassword, newPassword: "New-pass-2026" } });
    expect(res.statusCode).toBe(401);
  });
});
