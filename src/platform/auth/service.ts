/**
 * Users, login with throttling and lockout, web sessions with CSRF tokens, API keys.
 * Tokens are random; only their SHA-256 is stored, so a database leak yields no usable session.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { rows, sqlList } from "../db/index.js";
import { AppError } from "../errors.js";
import { recordAudit, sha256Hex } from "../audit/service.js";
import { isRole, type Role } from "../policy/roles.js";
import { hashPassword, passwordProblem, verifyPassword } from "./password.js";
import { apiKeys, roleGrants, sessions, users } from "./schema.js";
import type { Actor, Grant } from "./actor.js";
import type { AreaLevel } from "../area-tree.js";

export const maxFailedLogins = 5;
export const lockoutMinutes = 15;

// Verifying against a real hash when the user does not exist keeps the response time the same,
// so timing does not reveal which usernames exist.
let dummyHash: Promise<string> | undefined;
function getDummyHash(): Promise<string> {
  dummyHash ??= hashPassword("not-a-real-password-Aa1!");
  return dummyHash;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  personId?: string | null;
  orgId?: string | null;
  grants?: { role: Role; areaId?: string | null; orgId?: string | null }[];
}

/** Creates a user with its grants; enforces the password policy and unique usernames. */
export async function createUser(db: Db, input: CreateUserInput, actor: { kind: "user" | "system"; id?: string }): Promise<{ id: string }> {
  if (!/^[A-Za-z0-9_.-]{3,64}$/.test(input.username)) {
    throw new AppError("validation_failed", { detail: "username: 3–64 letters, digits, _ . -" }, "username");
  }
  const problem = passwordProblem(input.password);
  if (problem) throw new AppError("password_too_weak", {}, "password");
  for (const g of input.grants ?? []) {
    if (!isRole(g.role)) throw new AppError("validation_failed", { detail: `unknown role ${String(g.role)}` }, "role");
  }
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const existing = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.username}) = lower(${input.username})`);
    if (existing.length > 0) throw new AppError("conflict", { detail: input.username }, "username");
    const [user] = await tx
      .insert(users)
      .values({
        username: input.username,
        displayName: input.displayName,
        passwordHash,
        personId: input.personId ?? null,
        orgId: input.orgId ?? null,
      })
      .returning({ id: users.id });
    for (const g of input.grants ?? []) {
      await tx.insert(roleGrants).values({ userId: user!.id, role: g.role, areaId: g.areaId ?? null, orgId: g.orgId ?? null });
    }
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.id ?? null },
      action: "user.create",
      entityType: "user",
      entityId: user!.id,
      change: { username: input.username, displayName: input.displayName, grants: input.grants ?? [] },
      summary: { username: input.username, roles: (input.grants ?? []).map((g) => g.role) },
    });
    return { id: user!.id };
  });
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  userId: string;
  expiresAt: Date;
}

/** Checks credentials; counts failures and locks the account after `maxFailedLogins`. */
export async function login(db: Db, opts: { username: string; password: string; idleMinutes: number; now?: Date }): Promise<LoginResult> {
  const now = opts.now ?? new Date();
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${opts.username})`);
  if (!user || !user.passwordHash) {
    await verifyPassword(await getDummyHash(), opts.password);
    throw new AppError("invalid_credentials");
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    throw new AppError("account_locked", { until: formatChinaTime(user.lockedUntil) });
  }
  const ok = await verifyPassword(user.passwordHash, opts.password);
  if (!ok) {
    // One statement counts the failure and, on the last allowed one, locks: concurrent wrong
    // passwords are serialised by the row lock, so exactly `maxFailedLogins` of them are counted
    // and every later one (or one that read the row before the lock) is refused as locked.
    const until = new Date(now.getTime() + lockoutMinutes * 60_000);
    // The refusal is thrown after the transaction: throwing inside it would roll the lock back.
    const lockedAt = await db.transaction(async (tx): Promise<Date | null> => {
      const [counted] = await tx
        .update(users)
        .set({
          failedLogins: sql`case when ${users.failedLogins} + 1 >= ${maxFailedLogins} then 0 else ${users.failedLogins} + 1 end`,
          lockedUntil: sql`case when ${users.failedLogins} + 1 >= ${maxFailedLogins} then ${until.toISOString()}::timestamptz else ${users.lockedUntil} end`,
        })
        .where(and(eq(users.id, user.id), notLockedAt(now)))
        .returning({ lockedUntil: users.lockedUntil });
      if (!counted) return lockedUntilOf(tx, user.id, until);
      if (!counted.lockedUntil || counted.lockedUntil <= now) return null;
      await recordAudit(tx, {
        actor: { kind: "system" },
        action: "user.lock",
        entityType: "user",
        entityId: user.id,
        change: { lockedUntil: counted.lockedUntil.toISOString(), reason: "failed_logins" },
      });
      return counted.lockedUntil;
    });
    if (lockedAt) throw new AppError("account_locked", { until: formatChinaTime(lockedAt) });
    throw new AppError("invalid_credentials");
  }
  if (user.disabled) throw new AppError("account_disabled");
  const sessionToken = randomBytes(32).toString("base64url");
  const csrfToken = randomBytes(24).toString("base64url");
  const expiresAt = new Date(now.getTime() + opts.idleMinutes * 60_000);
  const lockedMeanwhile = await db.transaction(async (tx): Promise<Date | null> => {
    // The right password does not open an account that a concurrent failure has just locked.
    const [cleared] = await tx
      .update(users)
      .set({ failedLogins: 0, lockedUntil: null })
      .where(and(eq(users.id, user.id), notLockedAt(now)))
      .returning({ id: users.id });
    if (!cleared) return lockedUntilOf(tx, user.id, now);
    const [s] = await tx
      .insert(sessions)
      .values({ tokenHash: sha256Hex(sessionToken), userId: user.id, csrfToken, expiresAt, createdAt: now, lastSeenAt: now })
      .returning({ id: sessions.id });
    await recordAudit(tx, {
      actor: { kind: "user", id: user.id },
      action: "session.create",
      entityType: "session",
      entityId: s!.id,
      change: { userId: user.id },
    });
    return null;
  });
  if (lockedMeanwhile) throw new AppError("account_locked", { until: formatChinaTime(lockedMeanwhile) });
  return { sessionToken, csrfToken, userId: user.id, expiresAt };
}

function notLockedAt(now: Date) {
  return sql`(${users.lockedUntil} is null or ${users.lockedUntil} <= ${now.toISOString()}::timestamptz)`;
}

async function lockedUntilOf(db: Db, userId: string, fallback: Date): Promise<Date> {
  const [row] = await db.select({ lockedUntil: users.lockedUntil }).from(users).where(eq(users.id, userId));
  return row?.lockedUntil ?? fallback;
}

export function formatChinaTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}`;
}

interface ActorRow {
  user_id: string;
  username: string;
  display_name: string;
  locale: string;
  person_id: string | null;
  org_id: string | null;
  disabled: boolean;
  must_change_password: boolean;
  role: string | null;
  area_id: string | null;
  grant_org_id: string | null;
  area_path: string | null;
  area_name: string | null;
  area_level: string | null;
  household_id: string | null;
}

function toActor(list: ActorRow[], kind: Actor["kind"]): Omit<Actor, "sessionId" | "apiKeyId"> | undefined {
  const first = list[0];
  if (!first) return undefined;
  const grants: Grant[] = [];
  for (const r of list) {
    if (r.role && isRole(r.role)) {
      grants.push({
        role: r.role,
        areaId: r.area_id,
        areaPath: r.area_path,
        areaName: r.area_name,
        areaLevel: r.area_level as AreaLevel | null,
        orgId: r.grant_org_id,
      });
    }
  }
  return {
    kind,
    userId: first.user_id,
    username: first.username,
    displayName: first.display_name,
    locale: first.locale,
    personId: first.person_id,
    householdId: first.household_id,
    orgId: first.org_id,
    grants,
    ...(first.must_change_password ? { mustChangePassword: true } : {}),
  };
}

/** Joins that turn a `users u` row into an actor: grants with their areas, and the person. */
const actorJoins = sql`left join role_grants g on g.user_id = u.id
  left join areas a on a.id = g.area_id
  left join persons p on p.id = u.person_id`;

const actorColumns = sql`u.id as user_id, u.username, u.display_name, u.locale, u.person_id, u.org_id, u.disabled, u.must_change_password,
  g.role, g.area_id, g.org_id as grant_org_id, a.path as area_path, a.name as area_name, a.level as area_level,
  p.household_id`;

export type SessionCheck =
  | { ok: true; actor: Actor; csrfToken: string; sessionId: string; expiresAt: Date }
  | { ok: false; code: "unauthenticated" | "session_expired" };

/**
 * Resolves a session cookie to an actor. Idle expiry slides forward, written at most once a
 * minute so a busy session does not turn every read into a write.
 */
export async function checkSession(db: Db, token: string, idleMinutes: number, now = new Date()): Promise<SessionCheck> {
  const list = await rows<ActorRow & { session_id: string; csrf_token: string; expires_at: Date | string; last_seen_at: Date | string; revoked_at: Date | string | null }>(
    db,
    sql`select s.id as session_id, s.csrf_token, s.expires_at, s.last_seen_at, s.revoked_at, ${actorColumns}
        from sessions s join users u on u.id = s.user_id ${actorJoins}
        where s.token_hash = ${sha256Hex(token)}`,
  );
  const first = list[0];
  if (!first) return { ok: false, code: "unauthenticated" };
  if (first.revoked_at) return { ok: false, code: "unauthenticated" };
  const expiresAt = new Date(first.expires_at);
  if (expiresAt <= now || first.disabled) return { ok: false, code: "session_expired" };
  const lastSeen = new Date(first.last_seen_at);
  let validUntil = expiresAt;
  if (now.getTime() - lastSeen.getTime() > 60_000) {
    validUntil = new Date(now.getTime() + idleMinutes * 60_000);
    await db.update(sessions).set({ lastSeenAt: now, expiresAt: validUntil }).where(eq(sessions.id, first.session_id));
  }
  const actor = toActor(list, "user")!;
  return { ok: true, actor: { ...actor, sessionId: first.session_id }, csrfToken: first.csrf_token, sessionId: first.session_id, expiresAt: validUntil };
}

export async function logout(db: Db, sessionId: string, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.update(sessions).set({ revokedAt: new Date() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
    await recordAudit(tx, { actor: { kind: "user", id: userId }, action: "session.revoke", entityType: "session", entityId: sessionId, change: { sessionId } });
  });
}

/** Constant-time comparison of CSRF tokens. */
export function csrfMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Creates an API key for a user (a machine client); the clear key is returned once. */
export async function createApiKey(db: Db, opts: { userId: string; name: string; actorId?: string }): Promise<{ id: string; key: string }> {
  const prefix = randomBytes(4).toString("hex");
  const key = `gzk_${prefix}_${randomBytes(24).toString("base64url")}`;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiKeys).values({ userId: opts.userId, name: opts.name, prefix, keyHash: sha256Hex(key) }).returning({ id: apiKeys.id });
    await recordAudit(tx, {
      actor: opts.actorId ? { kind: "user", id: opts.actorId } : { kind: "system" },
      action: "apiKey.create",
      entityType: "apiKey",
      entityId: row!.id,
      change: { userId: opts.userId, name: opts.name, prefix },
      summary: { name: opts.name, prefix },
    });
    return { id: row!.id, key };
  });
}

/** Resolves an API key to its user's actor, or undefined when unknown or revoked. */
export async function checkApiKey(db: Db, key: string): Promise<Actor | undefined> {
  const list = await rows<ActorRow & { key_id: string; revoked_at: Date | null }>(
    db,
    sql`select k.id as key_id, k.revoked_at, ${actorColumns}
        from api_keys k join users u on u.id = k.user_id ${actorJoins}
        where k.key_hash = ${sha256Hex(key)}`,
  );
  const first = list[0];
  if (!first || first.revoked_at || first.disabled) return undefined;
  const actor = toActor(list, "apiKey")!;
  return { ...actor, apiKeyId: first.key_id };
}

export async function findUserByUsername(db: Db, username: string): Promise<{ id: string } | undefined> {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  return u;
}

/** The actor of a user, for work done on their behalf outside a request (the command line). */
export async function actorOf(db: Db, userId: string): Promise<Actor> {
  const list = await rows<ActorRow>(db, sql`select ${actorColumns} from users u ${actorJoins} where u.id = ${userId}`);
  const actor = toActor(list, "user");
  if (!actor) throw new AppError("not_found");
  return actor;
}

/**
 * Grants held on any of `fromAreaIds` (not through an organization) are granted on `toAreaId` too,
 * once per user and role: a grid split or merged keeps its workers' reach in the grids that succeed
 * it. Returns how many grants were added.
 */
export async function copyAreaGrants(tx: Db, fromAreaIds: readonly string[], toAreaId: string): Promise<number> {
  if (fromAreaIds.length === 0) return 0;
  const res = await rows<{ n: string | number }>(
    tx,
    sql`with ins as (
          insert into role_grants (user_id, role, area_id)
          select distinct g.user_id, g.role, ${toAreaId}::uuid from role_grants g
          where g.area_id in (${sqlList(fromAreaIds)}) and g.org_id is null
            and not exists (select 1 from role_grants x where x.user_id = g.user_id and x.role = g.role and x.area_id = ${toAreaId}::uuid)
          returning 1)
        select count(*) as n from ins`,
  );
  return Number(res[0]?.n ?? 0);
}

/**
 * Of `orgIds`, the organizations someone can act for: at least one enabled user holding
 * departmentStaff on it (the grant's org, or the user's own org for a grant without one). The
 * whistle dialog marks the departments without one: summoned, they could never report in.
 */
export async function orgsWithActiveLogin(db: Db, orgIds: readonly string[]): Promise<Set<string>> {
  if (orgIds.length === 0) return new Set();
  const list = await rows<{ org_id: string }>(
    db,
    sql`select distinct coalesce(g.org_id, u.org_id) as org_id
          from role_grants g join users u on u.id = g.user_id
         where g.role = 'departmentStaff' and not u.disabled
           and coalesce(g.org_id, u.org_id) in (${sqlList(orgIds)})`,
  );
  return new Set(list.map((r) => r.org_id));
}

/**
 * Links a user to a registry person (a resident's account to their record), inside the caller's
 * transaction; the caller audits. One person has at most one account: answers false, changing
 * nothing, when another user is already linked to the person. Serialised per person, so two
 * concurrent links of one person cannot both succeed.
 */
export async function linkUserToPerson(tx: Db, opts: { userId: string; personId: string }): Promise<boolean> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`user-person:${opts.personId}`}))`);
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.personId, opts.personId), sql`${users.id} <> ${opts.userId}`));
  if (other) return false;
  await tx.update(users).set({ personId: opts.personId, updatedAt: new Date() }).where(eq(users.id, opts.userId));
  return true;
}

/** Whether another user than `exceptUserId` is linked to this person. */
export async function personHasAccount(db: Db, personId: string, exceptUserId?: string): Promise<boolean> {
  const [other] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.personId, personId), exceptUserId ? sql`${users.id} <> ${exceptUserId}` : sql`true`));
  return other !== undefined;
}

