import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, testPassword, type TinyStreet } from "../../test-support/factories.js";
import { createApiKey, createUser, maxFailedLogins } from "./service.js";
import { passwordProblem } from "./password.js";

describe("password policy", () => {
  it("needs 8 characters of 3 kinds", () => {
    expect(passwordProblem("Ab1!")).toBe("too_short");
    expect(passwordProblem("abcdefgh")).toBe("too_few_kinds");
    expect(passwordProblem("abcdefg1")).toBe("too_few_kinds");
    expect(passwordProblem("abcdef1!")).toBeUndefined();
    expect(passwordProblem("Abcdefg1")).toBeUndefined();
    expect(passwordProblem("密码密码密码Aa")).toBeUndefined();
    expect(passwordProblem("密码密码密码密码a")).toBe("too_few_kinds");
  });
});

describe.each(testEngines())("authentication on $name", (engine) => {
  let t: TestApp;
  let street: TinyStreet;
  let worker: { id: string; username: string };
  beforeAll(async () => {
    t = await startTestApp(engine);
    street = await buildTinyStreet(t.database.db);
    worker = await createTestUser(t.database.db, { role: "communityWorker", areaId: street.communityA });
  });
  afterAll(async () => t?.close());

  it("logs in, returns the user and a CSRF token, sets an httpOnly SameSite cookie", async () => {
    const res = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: worker.username, password: testPassword } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { user: { username: string; face: string; grants: { role: string; roleLabel: string }[] }; csrfToken: string };
    expect(body.user.username).toBe(worker.username);
    expect(body.user.face).toBe("console");
    expect(body.user.grants[0]).toMatchObject({ role: "communityWorker", roleLabel: "社区工作者" });
    expect(body.csrfToken.length).toBeGreaterThan(20);
    const setCookie = String(res.headers["set-cookie"]);
    expect(setCookie).toMatch(/gz_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(res.headers["x-request-id"]).toBeTruthy();
  });

  it("answers wrong credentials with invalid_credentials, same for unknown users", async () => {
    const wrong = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: worker.username, password: "Wrong-pass-1" } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: "invalid_credentials", message: "用户名或密码不正确" });
    const unknown = await t.app.inject({ method: "POST", url: "/api/auth/login", headers: { "accept-language": "en-US,en;q=0.9" }, payload: { username: "nobody_here", password: "Wrong-pass-1" } });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toMatchObject({ code: "invalid_credentials", message: "Wrong username or password" });
  });

  it("locks the account after repeated failures, even against the right password", async () => {
    const victim = await createTestUser(t.database.db, { role: "gridWorker", areaId: street.gridA1 });
    for (let i = 0; i < maxFailedLogins - 1; i++) {
      const r = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: victim.username, password: "Wrong-pass-1" } });
      expect(r.json()).toMatchObject({ code: "invalid_credentials" });
    }
    const last = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: victim.username, password: "Wrong-pass-1" } });
    expect(last.statusCode).toBe(423);
    expect(last.json()).toMatchObject({ code: "account_locked" });
    const right = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: victim.username, password: testPassword } });
    expect(right.statusCode).toBe(423);
    // The lockout is recorded in the audit log.
    const entries = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'user.lock' and entity_id = $1", [victim.id]);
    expect(entries[0]!.n).toBe("1");
  });

  it("counts concurrent wrong passwords atomically: 32 at once lock the account after the 5th", async () => {
    const victim = await createTestUser(t.database.db, { role: "gridWorker", areaId: street.gridA1 });
    // From 32 addresses, as an attacker would spread them past the per-client login limit.
    const answers = await Promise.all(
      Array.from({ length: 32 }, (_, i) =>
        t.app.inject({ method: "POST", url: "/api/auth/login", remoteAddress: `10.9.0.${i + 1}`, payload: { username: victim.username, password: `Wrong-pass-${i}` } }),
      ),
    );
    const codes = answers.map((r) => (r.json() as { code: string }).code);
    expect(codes.filter((c) => c === "invalid_credentials")).toHaveLength(maxFailedLogins - 1);
    expect(codes.filter((c) => c === "account_locked")).toHaveLength(32 - (maxFailedLogins - 1));
    const [row] = await t.database.query<{ locked: boolean; failed: number }>(
      "select locked_until > now() as locked, failed_logins as failed from users where id = $1",
      [victim.id],
    );
    expect(row).toMatchObject({ locked: true, failed: 0 });
    const locks = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'user.lock' and entity_id = $1", [victim.id]);
    expect(locks[0]!.n).toBe("1");
    const right = await t.app.inject({ method: "POST", url: "/api/auth/login", remoteAddress: "10.9.1.1", payload: { username: victim.username, password: testPassword } });
    expect(right.statusCode).toBe(423);
  });

  it("rejects malformed input with 400 and the error shape", async () => {
    const missing = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "x" } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: "validation_failed", field: "password" });
    const extra = await t.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "x", password: "y", admin: true } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ code: "validation_failed", field: "admin" });
    const badJson = await t.app.inject({ method: "POST", url: "/api/auth/login", headers: { "content-type": "application/json" }, payload: "{not json" });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toMatchObject({ code: "invalid_json" });
    const badId = await t.as(await t.login(worker.username), "GET", "/api/areas/not-a-uuid");
    expect(badId.statusCode).toBe(400);
    expect(badId.json()).toMatchObject({ code: "validation_failed", field: "id" });
  });

  it("requires the CSRF token on writes made with the session cookie", async () => {
    const s = await t.login(worker.username);
    const noToken = await t.app.inject({ method: "PATCH", url: `/api/households/${street.householdA1}`, headers: { cookie: s.cookie }, payload: { note: "x" } });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ code: "csrf_missing" });
    const badToken = await t.app.inject({ method: "PATCH", url: `/api/households/${street.householdA1}`, headers: { cookie: s.cookie, "x-csrf-token": "forged" }, payload: { note: "x" } });
    expect(badToken.statusCode).toBe(403);
    expect(badToken.json()).toMatchObject({ code: "csrf_invalid" });
    const [before] = await t.database.query<{ note: string | null }>("select note from households where id = $1", [street.householdA1]);
    expect(before!.note).toBeNull();
    const ok = await t.as(s, "PATCH", `/api/households/${street.householdA1}`, { note: "独居老人，每周探访" });
    expect(ok.statusCode).toBe(200);
  });

  it("tells an expired session apart from no session, and logout ends the session", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/auth/me" })).json()).toMatchObject({ code: "unauthenticated" });
    const s = await t.login(worker.username);
    expect((await t.as(s, "GET", "/api/auth/me")).statusCode).toBe(200);
    await t.database.db.execute(sql`update sessions set expires_at = now() - interval '1 minute' where user_id = ${worker.id}`);
    const expired = await t.as(s, "GET", "/api/areas/roots");
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: "session_expired" });
    const s2 = await t.login(worker.username);
    expect((await t.as(s2, "POST", "/api/auth/logout")).statusCode).toBe(204);
    const after = await t.as(s2, "GET", "/api/areas/roots");
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: "unauthenticated" });
  });

  it("accepts API keys for machine clients without CSRF, rejects unknown keys", async () => {
    const key = await createApiKey(t.database.db, { userId: worker.id, name: "12345 bridge" });
    const ok = await t.app.inject({ method: "GET", url: "/api/areas/roots", headers: { authorization: `Bearer ${key.key}` } });
    expect(ok.statusCode).toBe(200);
    const write = await t.app.inject({ method: "PATCH", url: `/api/households/${street.householdA2}`, headers: { authorization: `Bearer ${key.key}` }, payload: { note: "来自热线" } });
    expect(write.statusCode).toBe(200);
    const bad = await t.app.inject({ method: "GET", url: "/api/areas/roots", headers: { "x-api-key": "gzk_00000000_nope" } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({ code: "invalid_api_key" });
    const [row] = await t.database.query<{ key_hash: string }>("select key_hash from api_keys where id = $1", [key.id]);
    expect(row!.key_hash).not.toContain(key.key);
  });

  it("enforces the password policy and unique usernames when creating users", async () => {
    await expect(createUser(t.database.db, { username: "weakling", displayName: "弱", password: "password" }, { kind: "system" })).rejects.toMatchObject({ code: "password_too_weak" });
    await createUser(t.database.db, { username: "Unique_1", displayName: "唯一", password: "Strong-pass-1" }, { kind: "system" });
    await expect(createUser(t.database.db, { username: "unique_1", displayName: "重复", password: "Strong-pass-1" }, { kind: "system" })).rejects.toMatchObject({ code: "conflict" });
    const [hash] = await t.database.query<{ password_hash: string }>("select password_hash from users where username = 'Unique_1'");
    expect(hash!.password_hash.startsWith("$argon2id$")).toBe(true);
  });

  it("sends HSTS and upgrade-insecure-requests only when the deployment says it is behind HTTPS", async () => {
    const plain = await t.app.inject({ method: "GET", url: "/api/health" });
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    expect(plain.headers["content-security-policy"]).not.toMatch(/upgrade-insecure-requests/);
    const secure = await startTestApp(engine, { GONGZHI_HTTPS: "true" });
    try {
      const res = await secure.app.inject({ method: "GET", url: "/api/health" });
      expect(res.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(res.headers["content-security-policy"]).toMatch(/upgrade-insecure-requests/);
      const own = await buildTinyStreet(secure.database.db);
      const user = await createTestUser(secure.database.db, { role: "communityWorker", areaId: own.communityA });
      const login = await secure.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: user.username, password: testPassword } });
      expect(login.statusCode).toBe(200);
      expect(String(login.headers["set-cookie"])).toMatch(/; Secure/i);
    } finally {
      await secure.close();
    }
  });

  it("serves health, OpenAPI, security headers and a JSON 404", async () => {
    const health = await t.app.inject({ method: "GET", url: "/api/health" });
    expect(health.json()).toMatchObject({ status: "ok", database: engine.name });
    expect(health.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(health.headers["x-content-type-options"]).toBe("nosniff");
    const spec = await t.app.inject({ method: "GET", url: "/docs/json" });
    expect(spec.statusCode).toBe(200);
    const paths = Object.keys((spec.json() as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(expect.arrayContaining(["/api/auth/login", "/api/areas/{id}", "/api/households/{id}"]));
    const nf = await t.app.inject({ method: "GET", url: "/api/nothing-here" });
    expect(nf.statusCode).toBe(404);
    expect(nf.json()).toMatchObject({ code: "route_not_found" });
  });

  it("with the session cache on, logout still ends the session at once and CSRF is still checked", async () => {
    const cached = await startTestApp({ name: engine.name, open: async () => t.database }, { GONGZHI_SESSION_CACHE_MS: "60000" });
    const s = await cached.login(worker.username);
    expect((await cached.as(s, "GET", "/api/areas/roots")).statusCode).toBe(200);
    const noCsrf = await cached.app.inject({ method: "PATCH", url: `/api/households/${street.householdA1}`, headers: { cookie: s.cookie }, payload: { note: "x" } });
    expect(noCsrf.json()).toMatchObject({ code: "csrf_missing" });
    expect((await cached.as(s, "POST", "/api/auth/logout")).statusCode).toBe(204);
    const after = await cached.as(s, "GET", "/api/areas/roots");
    expect(after.statusCode).toBe(401);
    await cached.app.close();
  });

  it("throttles logins per client with rate_limited and a Retry-After", async () => {
    const limited = await startTestApp({ name: engine.name, open: async () => t.database }, { GONGZHI_LOGIN_RATE_LIMIT_PER_MINUTE: "3" });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await limited.app.inject({ method: "POST", url: "/api/auth/login", payload: { username: "nobody_here", password: "Wrong-pass-1" } });
      codes.push(r.statusCode);
      if (i === 3) {
        expect(r.json()).toMatchObject({ code: "rate_limited" });
        expect(Number(r.headers["retry-after"])).toBeGreaterThan(0);
      }
    }
    expect(codes).toEqual([401, 401, 401, 429]);
    await limited.app.close();
  });
});
