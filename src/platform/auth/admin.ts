/**
 * 用户与权限: administration of logins — list and search, create staff with roles on areas or a
 * department, grant and revoke, link a registry person, disable and enable, reset a password
 * (temporary password or one-time link), sessions and lockouts. Changing one's own password and
 * using a reset link are here too, since they share the rules.
 *
 * Who may (README.md): a system administrator anything within their grant's subtree; a street
 * administrator staff within their street, and never the systemAdmin role. A user is managed only
 * by an administrator whose reach covers every grant the user holds, so nobody resets the password
 * of someone with wider powers than their own. Every change is audited in its transaction, and no
 * password or token ever reaches the audit log or the logs.
 */
import { randomBytes, randomInt } from "node:crypto";
import { and, eq, gt, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { rows, sqlList } from "../db/index.js";
import { AppError, type Bilingual, type Lang } from "../errors.js";
import { recordAudit, sha256Hex } from "../audit/service.js";
import { escapeLike, pathWithin } from "../policy/index.js";
import { isRole, roleLabels, type Role } from "../policy/roles.js";
import type { AreaLevel } from "../area-tree.js";
import type { Actor } from "./actor.js";
import { hashPassword, passwordProblem, verifyPassword } from "./password.js";
import { passwordResetTokens, roleGrants, sessions, users } from "./schema.js";
import { userPersons } from "./persons-port.js";
import "./errors.js";

/** Roles that administer users (the console's 用户与权限). */
export const userAdminRoles: readonly Role[] = ["systemAdmin", "streetAdmin"];

/** How long a one-time reset link works. */
export const resetLinkHours = 24;

/** Levels of the area tree each role is granted on (a department's grant sits on its department's area). */
const grantLevels: Record<Exclude<Role, "resident" | "departmentStaff">, readonly AreaLevel[]> = {
  gridWorker: ["grid", "microGrid"],
  communityWorker: ["community"],
  communitySecretary: ["community"],
  streetAdmin: ["street"],
  districtAnalyst: ["district", "city"],
  systemAdmin: ["city", "district", "street"],
};

const levelLabels: Record<AreaLevel, string> = { city: "市", district: "区", street: "街道", community: "社区", grid: "网格", microGrid: "微网格" };
const levelLabelsEn: Record<AreaLevel, string> = { city: "city", district: "district", street: "street", community: "community", grid: "grid", microGrid: "micro-grid" };

const bi = (zh: string, en: string): Bilingual => ({ code: "detail", zh, en });

/** A grant as the rules see it: its role and where it reaches. */
export interface GrantReach {
  role: Role;
  areaPath: string | null;
}

/** The administrator grants of `actor` (systemAdmin, streetAdmin), with their subtrees. */
function adminGrants(actor: Pick<Actor, "grants">) {
  return actor.grants.filter((g) => userAdminRoles.includes(g.role) && g.areaPath !== null);
}

export function isUserAdmin(actor: Pick<Actor, "grants">): boolean {
  return adminGrants(actor).length > 0;
}

/**
 * Whether `actor` may grant (or revoke) this role there: at or below one of their administrator
 * grants, and systemAdmin only by a system administrator.
 */
export function mayGrant(actor: Pick<Actor, "grants">, grant: GrantReach): boolean {
  if (grant.areaPath === null) return false;
  return adminGrants(actor).some((g) => pathWithin(grant.areaPath!, g.areaPath!) && (grant.role !== "systemAdmin" || g.role === "systemAdmin"));
}

/** A user as the policy sees them: their grants. */
export interface UserRecord {
  id: string;
  grants: GrantReach[];
}

/** Sees the user: one of their grants within the actor's reach (a user without grants: system administrators). */
export function mayReadUser(actor: Pick<Actor, "grants">, user: UserRecord): boolean {
  if (user.grants.length === 0) return adminGrants(actor).some((g) => g.role === "systemAdmin");
  return user.grants.some((g) => g.areaPath !== null && adminGrants(actor).some((a) => pathWithin(g.areaPath!, a.areaPath!)));
}

/** Manages the user (password, sessions, disable, person): every grant they hold is one the actor may grant. */
export function mayManageUser(actor: Pick<Actor, "grants">, user: UserRecord): boolean {
  if (!mayReadUser(actor, user)) return false;
  return user.grants.every((g) => mayGrant(actor, g));
}

/** 404 when the user is not the actor's to see, 403 when seen but not theirs to manage. */
function authorizeUser(actor: Actor, user: UserRecord | undefined, action: "read" | "manage"): asserts user is UserRecord {
  if (!user || !mayReadUser(actor, user)) throw new AppError("not_found");
  if (action === "manage" && !mayManageUser(actor, user)) throw new AppError("forbidden");
}

/**
 * The command line's operator (`gongzhi user …`): whoever runs commands on the server reaches the
 * whole deployment, as `gongzhi user add` always has; audited as the system.
 */
export const commandLineOperator: Actor = Object.freeze({
  kind: "user",
  userId: "00000000-0000-0000-0000-000000000000",
  username: "(command line)",
  displayName: "命令行",
  locale: "zh-CN",
  personId: null,
  householdId: null,
  orgId: null,
  grants: [{ role: "systemAdmin", areaId: null, areaPath: "/", areaName: null, areaLevel: null, orgId: null }],
}) as Actor;

function auditActorOf(actor: Actor) {
  if (actor === commandLineOperator) return { kind: "system" } as const;
  return { kind: actor.kind, id: actor.userId } as const;
}

async function loadUserRecord(db: Db, id: string): Promise<UserRecord | undefined> {
  const found = await rows<{ id: string; role: string | null; path: string | null }>(
    db,
    sql`select u.id, g.role, a.path from users u left join role_grants g on g.user_id = u.id left join areas a on a.id = g.area_id where u.id = ${id}`,
  );
  if (found.length === 0) return undefined;
  return { id, grants: found.filter((r) => r.role !== null && isRole(r.role)).map((r) => ({ role: r.role as Role, areaPath: r.path })) };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface ListUsersQuery {
  q?: string | undefined;
  role?: Role | undefined;
  areaId?: string | undefined;
  orgId?: string | undefined;
  disabled?: boolean | undefined;
  locked?: boolean | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface UserGrantView {
  id: string;
  role: Role;
  roleLabel: string;
  areaId: string | null;
  areaName: string | null;
  areaLevel: string | null;
  orgId: string | null;
  orgName: string | null;
  /** Whether the asker may revoke it. */
  revocable: boolean;
}

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  disabled: boolean;
  mustChangePassword: boolean;
  personLinked: boolean;
  orgId: string | null;
  orgName: string | null;
  failedLogins: number;
  lockedUntil: string | null;
  lastSeenAt: string | null;
  activeSessions: number;
  createdAt: string;
  grants: UserGrantView[];
  abilities: { read: boolean; manage: boolean };
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  disabled: boolean;
  must_change_password: boolean;
  person_linked: boolean;
  org_id: string | null;
  org_name: string | null;
  failed_logins: number;
  locked_until: Date | string | null;
  last_seen_at: Date | string | null;
  active_sessions: string | number;
  created_at: Date | string;
  total?: string | number;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** Users within the actor's reach, in SQL: a grant under one of their administrator grants. */
function userScope(actor: Actor): SQL {
  const prefixes = [...new Set(adminGrants(actor).map((g) => g.areaPath!))];
  if (prefixes.length === 0) return sql`false`;
  const within = sql.join(
    prefixes.map((p) => sql`a.path like ${`${escapeLike(p)}%`}`),
    sql` or `,
  );
  const grantless = adminGrants(actor).some((g) => g.role === "systemAdmin") ? sql` or not exists (select 1 from role_grants g where g.user_id = u.id)` : sql``;
  return sql`(exists (select 1 from role_grants g join areas a on a.id = g.area_id where g.user_id = u.id and (${within}))${grantless})`;
}

const userColumns = sql`u.id, u.username, u.display_name, u.disabled, u.must_change_password, u.person_id is not null as person_linked,
  u.org_id, o.name as org_name, u.failed_logins, u.locked_until, u.created_at,
  (select max(s.last_seen_at) from sessions s where s.user_id = u.id) as last_seen_at,
  (select count(*) from sessions s where s.user_id = u.id and s.revoked_at is null and s.expires_at > now()) as active_sessions`;

/** 用户列表: searched by username or name, filtered by role, area, organization, disabled or locked; paged. */
export async function listUsers(db: Db, actor: Actor, query: ListUsersQuery, lang: Lang): Promise<{ items: UserView[]; total: number; page: number; pageSize: number }> {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const where: SQL[] = [userScope(actor)];
  if (query.q?.trim()) {
    const like = `%${escapeLike(query.q.trim())}%`;
    where.push(sql`(u.username ilike ${like} or u.display_name ilike ${like})`);
  }
  if (query.role) where.push(sql`exists (select 1 from role_grants g where g.user_id = u.id and g.role = ${query.role})`);
  if (query.areaId) {
    const [area] = await rows<{ path: string }>(db, sql`select path from areas where id = ${query.areaId}`);
    if (!area) return { items: [], total: 0, page, pageSize };
    where.push(sql`exists (select 1 from role_grants g join areas a on a.id = g.area_id where g.user_id = u.id and a.path like ${`${escapeLike(area.path)}%`})`);
  }
  if (query.orgId) where.push(sql`(u.org_id = ${query.orgId} or exists (select 1 from role_grants g where g.user_id = u.id and g.org_id = ${query.orgId}))`);
  if (query.disabled !== undefined) where.push(sql`u.disabled = ${query.disabled}`);
  if (query.locked === true) where.push(sql`(u.locked_until is not null and u.locked_until > now())`);
  if (query.locked === false) where.push(sql`(u.locked_until is null or u.locked_until <= now())`);
  const found = await rows<UserRow>(
    db,
    sql`select ${userColumns}, count(*) over () as total
        from users u left join organizations o on o.id = u.org_id
        where ${sql.join(where, sql` and `)}
        order by u.disabled, lower(u.username) limit ${pageSize} offset ${(page - 1) * pageSize}`,
  );
  const items = await presentUsers(db, actor, found, lang);
  return { items, total: Number(found[0]?.total ?? 0), page, pageSize };
}

/** One user, with grants and what the asker may do. 404 outside the asker's reach. */
export async function getUser(db: Db, actor: Actor, id: string, lang: Lang): Promise<UserView> {
  authorizeUser(actor, await loadUserRecord(db, id), "read");
  const found = await rows<UserRow>(db, sql`select ${userColumns} from users u left join organizations o on o.id = u.org_id where u.id = ${id}`);
  return (await presentUsers(db, actor, found, lang))[0]!;
}

async function presentUsers(db: Db, actor: Actor, list: UserRow[], lang: Lang): Promise<UserView[]> {
  if (list.length === 0) return [];
  const grants = await rows<{
    id: string;
    user_id: string;
    role: string;
    area_id: string | null;
    area_name: string | null;
    area_level: string | null;
    area_path: string | null;
    org_id: string | null;
    org_name: string | null;
  }>(
    db,
    sql`select g.id, g.user_id, g.role, g.area_id, a.name as area_name, a.level as area_level, a.path as area_path, g.org_id, o.name as org_name
        from role_grants g left join areas a on a.id = g.area_id left join organizations o on o.id = g.org_id
        where g.user_id in (${sqlList(list.map((u) => u.id))}) order by g.created_at, g.id`,
  );
  return list.map((u) => {
    const own = grants.filter((g) => g.user_id === u.id && isRole(g.role));
    const record: UserRecord = { id: u.id, grants: own.map((g) => ({ role: g.role as Role, areaPath: g.area_path })) };
    return {
      id: u.id,
      username: u.username,
      displayName: u.display_name,
      disabled: u.disabled,
      mustChangePassword: u.must_change_password,
      personLinked: u.person_linked,
      orgId: u.org_id,
      orgName: u.org_name,
      failedLogins: u.failed_logins,
      lockedUntil: u.locked_until && new Date(u.locked_until) > new Date() ? iso(u.locked_until) : null,
      lastSeenAt: iso(u.last_seen_at),
      activeSessions: Number(u.active_sessions),
      createdAt: iso(u.created_at)!,
      grants: own.map((g) => ({
        id: g.id,
        role: g.role as Role,
        roleLabel: lang === "en" ? roleLabels[g.role as Role].en : roleLabels[g.role as Role].zh,
        areaId: g.area_id,
        areaName: g.area_name,
        areaLevel: g.area_level,
        orgId: g.org_id,
        orgName: g.org_name,
        revocable: mayGrant(actor, { role: g.role as Role, areaPath: g.area_path }),
      })),
      abilities: { read: true, manage: mayManageUser(actor, record) },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Grants

export interface GrantInput {
  role: string;
  areaId?: string | null | undefined;
  orgId?: string | null | undefined;
}

interface ResolvedGrant {
  role: Role;
  areaId: string;
  areaPath: string;
  orgId: string | null;
}

/**
 * Checks a grant before anything is written: a known staff role, on an area of a level the role
 * works at (a department's staff on a department, at its area), within the actor's reach.
 * `field` prefixes the error's field (`grants.0.` when several are given).
 */
async function resolveGrant(db: Db, actor: Actor, input: GrantInput, field: string): Promise<ResolvedGrant> {
  const role = input.role;
  if (!isRole(role)) throw new AppError("validation_failed", { detail: `unknown role ${role}` }, `${field}role`);
  if (role === "resident") {
    throw new AppError("grant_invalid", { detail: bi("居民账号由居民本人注册、社区核实后开通，不在此授予", "resident accounts are opened by sign-up and verification, not granted here") }, `${field}role`);
  }
  if (role === "departmentStaff") {
    if (!input.orgId) throw new AppError("grant_invalid", { detail: bi("职能部门工作人员须选择所属部门", "department staff need a department") }, `${field}orgId`);
    const [org] = await rows<{ id: string; kind: string; area_id: string | null; dissolved_on: string | null; path: string | null }>(
      db,
      sql`select o.id, o.kind, o.area_id, o.dissolved_on, a.path from organizations o left join areas a on a.id = o.area_id where o.id = ${input.orgId}`,
    );
    if (!org || org.kind !== "department" || org.dissolved_on !== null) {
      throw new AppError("grant_invalid", { detail: bi("所选组织不是现有的职能部门", "the organization is not a current department") }, `${field}orgId`);
    }
    if (!org.area_id || !org.path) throw new AppError("grant_invalid", { detail: bi("该部门未设所属区域", "the department has no area") }, `${field}orgId`);
    if (!mayGrant(actor, { role, areaPath: org.path })) {
      throw new AppError("grant_out_of_scope", { detail: bi("该部门不在您管辖的范围内", "the department lies outside your reach") }, `${field}orgId`);
    }
    return { role, areaId: org.area_id, areaPath: org.path, orgId: org.id };
  }
  if (input.orgId) throw new AppError("grant_invalid", { detail: bi("只有职能部门工作人员按部门授权", "only department staff are granted on a department") }, `${field}orgId`);
  if (!input.areaId) throw new AppError("grant_invalid", { detail: bi("请选择授权的区域", "choose the area of the grant") }, `${field}areaId`);
  const [area] = await rows<{ id: string; path: string; level: AreaLevel; valid_to: string | null }>(
    db,
    sql`select id, path, level, valid_to from areas where id = ${input.areaId}`,
  );
  if (!area || (area.valid_to !== null && new Date(area.valid_to) <= new Date())) {
    throw new AppError("grant_invalid", { detail: bi("所选区域不存在或已撤销", "the area does not exist or is retired") }, `${field}areaId`);
  }
  if (!mayGrant(actor, { role: "gridWorker", areaPath: area.path })) {
    throw new AppError("grant_out_of_scope", { detail: bi("该区域不在您管辖的范围内", "the area lies outside your reach") }, `${field}areaId`);
  }
  if (!mayGrant(actor, { role, areaPath: area.path })) {
    throw new AppError("grant_out_of_scope", { detail: bi("只有系统管理员可以授予系统管理员", "only a system administrator grants systemAdmin") }, `${field}role`);
  }
  const levels = grantLevels[role];
  if (!levels.includes(area.level)) {
    const zh = levels.map((l) => levelLabels[l]).join("、");
    const en = levels.map((l) => levelLabelsEn[l]).join(", ");
    throw new AppError("grant_invalid", { detail: bi(`${roleLabels[role].zh}只能授予在${zh}上`, `${roleLabels[role].en} is granted on a ${en}`) }, `${field}areaId`);
  }
  return { role, areaId: area.id, areaPath: area.path, orgId: null };
}

const usernamePattern = /^[A-Za-z0-9_.-]{3,64}$/;

async function assertUsernameFree(db: Db, username: string): Promise<void> {
  const [taken] = await db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`);
  if (taken) throw new AppError("username_taken", { username }, "username");
}

async function assertPersonLinkable(db: Db, actor: Actor, personId: string, userId: string | null): Promise<void> {
  if (!(await userPersons().personInScope(db, actor, personId))) throw new AppError("person_not_found", {}, "personId");
  const [other] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.personId, personId), userId ? ne(users.id, userId) : undefined));
  if (other) throw new AppError("person_already_linked", {}, "personId");
}

export interface CreateStaffInput {
  username: string;
  displayName: string;
  /** The first password, chosen by the administrator; omitted: a temporary one is made and answered once. */
  password?: string | undefined;
  orgId?: string | null | undefined;
  personId?: string | null | undefined;
  grants: GrantInput[];
}

/**
 * 新建工作人员账号: checks everything first (username, password, every grant, the person), then
 * writes the user and grants in one transaction. The user changes the password at first login.
 */
export async function createStaffUser(db: Db, actor: Actor, input: CreateStaffInput): Promise<{ id: string; temporaryPassword: string | null }> {
  if (!usernamePattern.test(input.username)) throw new AppError("validation_failed", { detail: "用户名为 3–64 位字母、数字或 _ . -" }, "username");
  if (!input.displayName.trim()) throw new AppError("validation_failed", { detail: "请填写姓名" }, "displayName");
  await assertUsernameFree(db, input.username);
  if (input.password !== undefined && passwordProblem(input.password)) throw new AppError("password_too_weak", {}, "password");
  if (input.grants.length === 0) throw new AppError("grant_invalid", { detail: bi("至少授予一个角色", "grant at least one role") }, "grants");
  const resolved: ResolvedGrant[] = [];
  for (const [i, g] of input.grants.entries()) resolved.push(await resolveGrant(db, actor, g, `grants.${i}.`));
  if (input.personId) await assertPersonLinkable(db, actor, input.personId, null);
  const temporaryPassword = input.password === undefined ? makeTemporaryPassword() : null;
  const passwordHash = await hashPassword(input.password ?? temporaryPassword!);
  const orgId = input.orgId ?? resolved.find((g) => g.orgId)?.orgId ?? null;
  const id = await db.transaction(async (tx) => {
    await assertUsernameFree(tx, input.username);
    const [user] = await tx
      .insert(users)
      .values({ username: input.username, displayName: input.displayName.trim(), passwordHash, personId: input.personId ?? null, orgId, mustChangePassword: true })
      .returning({ id: users.id });
    const unique = new Map(resolved.map((g) => [`${g.role}|${g.areaId}|${g.orgId ?? ""}`, g]));
    for (const g of unique.values()) await tx.insert(roleGrants).values({ userId: user!.id, role: g.role, areaId: g.areaId, orgId: g.orgId });
    const grants = [...unique.values()].map((g) => ({ role: g.role, areaId: g.areaId, orgId: g.orgId }));
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "user.create",
      entityType: "user",
      entityId: user!.id,
      change: { username: input.username, displayName: input.displayName, orgId, personId: input.personId ?? null, grants, password: input.password === undefined ? "temporary" : "chosen" },
      summary: { username: input.username, roles: grants.map((g) => g.role) },
    });
    return user!.id;
  });
  return { id, temporaryPassword };
}

/** 授权: adds one grant to an existing user the actor may see. */
export async function grantRole(db: Db, actor: Actor, userId: string, input: GrantInput): Promise<{ id: string }> {
  authorizeUser(actor, await loadUserRecord(db, userId), "read");
  const g = await resolveGrant(db, actor, input, "");
  return db.transaction(async (tx) => {
    const [same] = await rows<{ id: string }>(
      tx,
      sql`select id from role_grants where user_id = ${userId} and role = ${g.role} and area_id = ${g.areaId} and org_id is not distinct from ${g.orgId}`,
    );
    if (same) throw new AppError("grant_exists", {}, "role");
    const [row] = await tx.insert(roleGrants).values({ userId, role: g.role, areaId: g.areaId, orgId: g.orgId }).returning({ id: roleGrants.id });
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "user.grant",
      entityType: "user",
      entityId: userId,
      change: { grantId: row!.id, role: g.role, areaId: g.areaId, orgId: g.orgId },
      summary: { role: g.role },
    });
    return { id: row!.id };
  });
}

/** 取消授权: removes one grant the actor could have granted. */
export async function revokeGrant(db: Db, actor: Actor, userId: string, grantId: string): Promise<void> {
  authorizeUser(actor, await loadUserRecord(db, userId), "read");
  const [g] = await rows<{ id: string; role: string; area_id: string | null; org_id: string | null; path: string | null }>(
    db,
    sql`select g.id, g.role, g.area_id, g.org_id, a.path from role_grants g left join areas a on a.id = g.area_id where g.id = ${grantId} and g.user_id = ${userId}`,
  );
  if (!g) throw new AppError("not_found");
  if (!isRole(g.role) || !mayGrant(actor, { role: g.role, areaPath: g.path })) throw new AppError("forbidden");
  await db.transaction(async (tx) => {
    await tx.delete(roleGrants).where(eq(roleGrants.id, grantId));
    await recordAudit(tx, {
      actor: auditActorOf(actor),
      action: "user.revoke",
      entityType: "user",
      entityId: userId,
      change: { grantId, role: g.role, areaId: g.area_id, orgId: g.org_id },
      summary: { role: g.role },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The account

/** 关联居民档案: links the login to a registry person in the actor's reach that no other login has. */
export async function linkPerson(db: Db, actor: Actor, userId: string, personId: string | null): Promise<void> {
  authorizeUser(actor, await loadUserRecord(db, userId), "manage");
  if (personId) await assertPersonLinkable(db, actor, personId, userId);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ personId, updatedAt: new Date() }).where(eq(users.id, userId));
    await recordAudit(tx, { actor: auditActorOf(actor), action: personId ? "user.linkPerson" : "user.unlinkPerson", entityType: "user", entityId: userId, change: { personId } });
  });
}

/** 停用 / 启用. Disabling ends every session of the user (the caller forgets them in its cache). */
export async function setUserDisabled(db: Db, actor: Actor, userId: string, disabled: boolean): Promise<void> {
  authorizeUser(actor, await loadUserRecord(db, userId), "manage");
  if (disabled && userId === actor.userId) throw new AppError("cannot_disable_self");
  await db.transaction(async (tx) => {
    await tx.update(users).set({ disabled, updatedAt: new Date() }).where(eq(users.id, userId));
    const ended = disabled ? await endSessionsIn(tx, userId) : 0;
    await recordAudit(tx, { actor: auditActorOf(actor), action: disabled ? "user.disable" : "user.enable", entityType: "user", entityId: userId, change: { disabled, sessionsEnded: ended } });
  });
}

async function endSessionsIn(tx: Db, userId: string, except?: string): Promise<number> {
  const ended = await tx
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), except ? ne(sessions.id, except) : undefined))
    .returning({ id: sessions.id });
  return ended.length;
}

/** 解除锁定: clears failed logins and the lock. */
export async function unlockUser(db: Db, actor: Actor, userId: string): Promise<void> {
  authorizeUser(actor, await loadUserRecord(db, userId), "manage");
  await db.transaction(async (tx) => {
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null, updatedAt: new Date() }).where(eq(users.id, userId));
    await recordAudit(tx, { actor: auditActorOf(actor), action: "user.unlock", entityType: "user", entityId: userId, change: { unlocked: true } });
  });
}

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  /** The asker's own session. */
  current: boolean;
}

/** 在线会话: the user's sessions that still work. */
export async function listUserSessions(db: Db, actor: Actor, userId: string): Promise<SessionView[]> {
  authorizeUser(actor, await loadUserRecord(db, userId), "manage");
  const list = await db
    .select({ id: sessions.id, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
    .orderBy(sql`${sessions.lastSeenAt} desc`);
  return list.map((s) => ({ id: s.id, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), expiresAt: s.expiresAt.toISOString(), current: s.id === actor.sessionId }));
}

/** 强制下线: ends one session of the user, or all of them (`sessionId` undefined). Answers how many. */
export async function endUserSessions(db: Db, actor: Actor, userId: string, sessionId?: string): Promise<number> {
  authorizeUser(actor, await loadUserRecord(db, userId), "manage");
  return db.transaction(async (tx) => {
    let ended: number;
    if (sessionId) {
      const done = await tx
        .update(sessions)
        .set({ revokedAt: new Date() })
        .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      if (done.length === 0) throw new AppError("not_found");
      ended = 1;
    } else {
      ended = await endSessionsIn(tx, userId);
    }
    await recordAudit(tx, { actor: auditActorOf(actor), action: "user.endSessions", entityType: "user", entityId: userId, change: { sessionId: sessionId ?? null, ended } });
    return ended;
  });
}

// ---------------------------------------------------------------------------------------------
// Passwords

/** A temporary password that meets the policy: easy to read out (no 0/O, 1/l/I), 3 kinds of character. */
export function makeTemporaryPassword(): string {
  const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join("");
  return `${pick("ABCDEFGHJKLMNPQRSTUVWXYZ", 4)}-${pick("23456789", 4)}-${pick("abcdefghijkmnpqrstuvwxyz", 4)}`;
}

export type ResetResult = { mode: "temporary"; temporaryPassword: string } | { mode: "link"; token: string; expiresAt: Date };

/**
 * 重置密码. `temporary`: a new password, answered once; the user changes it at next login, and
 * every session ends. `link`: a one-time link (24 hours) with which the user sets one themselves.
 * Either also clears a lockout. Neither password nor token reaches the audit log.
 */
export async function resetPassword(db: Db, actor: Actor, userId: string, mode: "temporary" | "link", now = new Date()): Promise<ResetResult> {
  authorizeUser(actor, await loadUserRecord(db, userId), "manage");
  if (mode === "temporary") {
    const temporaryPassword = makeTemporaryPassword();
    const passwordHash = await hashPassword(temporaryPassword);
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, mustChangePassword: true, failedLogins: 0, lockedUntil: null, updatedAt: now }).where(eq(users.id, userId));
      const ended = await endSessionsIn(tx, userId);
      await recordAudit(tx, { actor: auditActorOf(actor), action: "user.resetPassword", entityType: "user", entityId: userId, change: { mode, sessionsEnded: ended } });
    });
    return { mode, temporaryPassword };
  }
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + resetLinkHours * 3600_000);
  await db.transaction(async (tx) => {
    // A new link replaces the ones before it.
    await tx.update(passwordResetTokens).set({ usedAt: now }).where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
    const [row] = await tx
      .insert(passwordResetTokens)
      .values({ userId, tokenHash: sha256Hex(token), createdBy: actor === commandLineOperator ? null : actor.userId, createdAt: now, expiresAt })
      .returning({ id: passwordResetTokens.id });
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null, updatedAt: now }).where(eq(users.id, userId));
    await recordAudit(tx, { actor: auditActorOf(actor), action: "user.resetPassword", entityType: "user", entityId: userId, change: { mode, linkId: row!.id, expiresAt: expiresAt.toISOString() } });
  });
  return { mode, token, expiresAt };
}

/**
 * 通过重置链接设置新密码: the link works once, before it expires. Every session of the user ends.
 * Answers the user's id (for the caller to forget cached sessions).
 */
export async function useResetLink(db: Db, token: string, password: string, now = new Date()): Promise<string> {
  if (passwordProblem(password)) throw new AppError("password_too_weak", {}, "password");
  const passwordHash = await hashPassword(password);
  const userId = await db.transaction(async (tx): Promise<string | null> => {
    // One statement claims the link, so two uses at once cannot both succeed.
    const [claimed] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordResetTokens.tokenHash, sha256Hex(token)), isNull(passwordResetTokens.usedAt), gt(passwordResetTokens.expiresAt, now)))
      .returning({ id: passwordResetTokens.id, userId: passwordResetTokens.userId });
    if (!claimed) return null;
    await tx.update(users).set({ passwordHash, mustChangePassword: false, failedLogins: 0, lockedUntil: null, updatedAt: now }).where(eq(users.id, claimed.userId));
    const ended = await endSessionsIn(tx, claimed.userId);
    await recordAudit(tx, { actor: { kind: "user", id: claimed.userId }, action: "user.setPasswordByLink", entityType: "user", entityId: claimed.userId, change: { linkId: claimed.id, sessionsEnded: ended } });
    return claimed.userId;
  });
  if (!userId) throw new AppError("reset_link_invalid", {}, "token");
  return userId;
}

/**
 * 修改密码: the user's own, with the current one. Clears "must change"; the user's other sessions
 * end, this one stays.
 */
export async function changeOwnPassword(db: Db, actor: Actor, input: { currentPassword: string; newPassword: string }): Promise<void> {
  if (actor.kind !== "user") throw new AppError("forbidden");
  const [u] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.userId));
  if (!u?.passwordHash || !(await verifyPassword(u.passwordHash, input.currentPassword))) throw new AppError("wrong_current_password", {}, "currentPassword");
  if (input.newPassword === input.currentPassword) throw new AppError("password_unchanged", {}, "newPassword");
  if (passwordProblem(input.newPassword)) throw new AppError("password_too_weak", {}, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, mustChangePassword: false, updatedAt: new Date() }).where(eq(users.id, actor.userId));
    const ended = await endSessionsIn(tx, actor.userId, actor.sessionId);
    await recordAudit(tx, { actor: auditActorOf(actor), action: "user.changePassword", entityType: "user", entityId: actor.userId, change: { sessionsEnded: ended } });
  });
}
