/**
 * 双找 ("find members, members find the organization"): a party member whose relation is held
 * elsewhere registers with a community — an in-service member reporting in where they live
 * (reportIn, 在职党员到居住地社区报到) or a floating member looking for an organization (floating,
 * 流动党员找组织) — or a worker registers a member they found (找党员). The community confirms
 * (the party member record is created or updated) or declines with a note. Phones are encrypted.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { abilities, authorize, escapeLike, grantsWith, inScopeOf, scopeCondition, type Scoped } from "../../platform/policy/index.js";
import { todoLink, type TodoItem } from "../../platform/home/todos.js";
import type { Role } from "../../platform/policy/roles.js";
import { recordAudit } from "../../platform/audit/service.js";
import { events } from "../../platform/events/index.js";
import { rotateEncryptedColumn } from "../../platform/pii/rotate.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { maskName } from "../../platform/mask.js";
import { isOrgKind, orgKinds } from "../../platform/org-kinds.js";
import { chinaDateOf } from "../../platform/calendar/index.js";
import { encryptContact } from "./persons.js";
import { partyMembers, partyRegistrations } from "./schema.js";
import { ownRegistration, partyKeepers, partyReaders, registrars, registrationPolicy, type RegistrationRecord } from "./policy.js";

export type RegistrationKind = "reportIn" | "floating";
export type RegistrationStatus = "registered" | "confirmed" | "declined";


export interface RegistrationView {
  id: string;
  communityId: string;
  communityName: string;
  kind: RegistrationKind;
  personId: string | null;
  name: string;
  phone: string | null;
  orgName: string;
  workUnit: string | null;
  skills: string[];
  message: string | null;
  status: RegistrationStatus;
  decisionNote: string | null;
  registeredAt: string;
  decidedAt: string | null;
  partyMemberId: string | null;
  /** True when a worker registered the member (找党员); false when they registered themself. */
  foundByWorker: boolean;
  abilities?: Record<string, boolean>;
}

interface RegRow {
  id: string;
  community_id: string;
  community_name: string;
  community_path: string;
  kind: RegistrationKind;
  person_id: string | null;
  name: string;
  phone_masked: string | null;
  org_name: string;
  work_unit: string | null;
  skills: string[];
  message: string | null;
  status: RegistrationStatus;
  decision_note: string | null;
  registered_by: string | null;
  registered_at: string | Date;
  decided_at: string | Date | null;
  party_member_id: string | null;
  self: boolean;
  /** The registered person's grid when known (a grid worker reads those of their grid), else the community. */
  scope_path: string;
  total?: string | number;
}

/** A registration with its community (c), registering user (u) and the registered person's grid (rg). */
const regFrom = sql`from party_registrations r join areas c on c.id = r.community_id left join users u on u.id = r.registered_by
  left join persons rp on rp.id = r.person_id left join areas rg on rg.id = rp.grid_id`;

const regSelect = sql`select r.id, r.community_id, c.name as community_name, c.path as community_path, r.kind, r.person_id, r.name, r.phone_masked,
  r.org_name, r.work_unit, r.skills, r.message, r.status, r.decision_note, r.registered_by, r.registered_at, r.decided_at, r.party_member_id,
  coalesce(u.person_id = r.person_id, false) as self, coalesce(rg.path, c.path) as scope_path ${regFrom}`;

const iso = (v: string | Date) => (typeof v === "string" ? new Date(v) : v).toISOString();

function regView(r: RegRow, clear: boolean): RegistrationView {
  return {
    id: r.id,
    communityId: r.community_id,
    communityName: r.community_name,
    kind: r.kind,
    personId: r.person_id,
    name: clear ? r.name : maskName(r.name),
    phone: r.phone_masked,
    orgName: r.org_name,
    workUnit: r.work_unit,
    skills: r.skills,
    // Free text about the member (their message, the community's decision note): with the clear name only.
    message: clear ? r.message : null,
    status: r.status,
    decisionNote: clear ? r.decision_note : null,
    registeredAt: iso(r.registered_at),
    decidedAt: r.decided_at === null ? null : iso(r.decided_at),
    partyMemberId: r.party_member_id,
    foundByWorker: !r.self,
  };
}

/**
 * A grid worker finds members on their rounds (找党员) and registers them with the community their
 * grid belongs to, although their read scope is the grid alone.
 */
const gridWorkerOfCommunity = (actor: Actor, communityPath: string): boolean =>
  actor.grants.some((g) => g.role === "gridWorker" && g.areaPath !== null && g.areaPath.startsWith(communityPath));

const asRecord = (r: RegRow): RegistrationRecord => ({ id: r.id, personId: r.person_id, registeredBy: r.registered_by, areaPath: r.scope_path });

export interface RegisterInput {
  kind: RegistrationKind;
  /** A worker's registration: the community and (optionally) the person found; a resident gives neither. */
  communityId?: string | undefined;
  personId?: string | undefined;
  name?: string | undefined;
  phone?: string | null | undefined;
  orgName: string;
  workUnit?: string | null | undefined;
  skills?: string[] | undefined;
  message?: string | null | undefined;
}

const clean = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === "" ? null : s.trim());

/**
 * Registers a member with a community. Without `communityId` and `personId` it is the actor
 * registering themself with the community of their home; otherwise a worker registering someone.
 */
export async function registerPartyMember(db: Db, keyring: DataKeyring, actor: Actor, input: RegisterInput): Promise<{ id: string }> {
  const orgName = input.orgName.trim();
  if (!orgName) throw new AppError("validation_failed", { detail: "请填写现在所在的党组织" }, "orgName");
  const contact = input.phone ? encryptContact(keyring, { phone: input.phone }) : {};
  const skills = [...new Set((input.skills ?? []).map((s) => s.trim()).filter(Boolean))];
  return db.transaction(async (tx) => {
    let communityId: string;
    let personId: string | null = null;
    let name: string;
    if (input.communityId === undefined && input.personId === undefined) {
      if (!actor.personId) throw new AppError("forbidden");
      const [me] = await rows<{ name: string; community_id: string | null }>(
        tx,
        sql`select p.name, g.parent_id as community_id from persons p left join areas g on g.id = p.grid_id where p.id = ${actor.personId}`,
      );
      if (!me?.community_id) throw new AppError("validation_failed", { detail: "您的住址还没有登记到网格，请联系社区工作人员" });
      communityId = me.community_id;
      personId = actor.personId;
      name = me.name;
    } else {
      if (!input.communityId) throw new AppError("validation_failed", { detail: "请选择社区" }, "communityId");
      const [c] = await rows<{ level: string; path: string }>(tx, sql`select level, path from areas where id = ${input.communityId}`);
      if (!c || !(inScopeOf<Scoped>(...registrars)(actor, { areaPath: c.path }) || gridWorkerOfCommunity(actor, c.path))) throw new AppError("not_found", {}, "communityId");
      if (c.level !== "community") throw new AppError("validation_failed", { detail: "须登记到社区" }, "communityId");
      communityId = input.communityId;
      if (input.personId) {
        const [p] = await rows<{ name: string; grid_path: string | null }>(tx, sql`select p.name, g.path as grid_path from persons p left join areas g on g.id = p.grid_id where p.id = ${input.personId}`);
        if (!p?.grid_path || !inScopeOf<Scoped>(...registrars)(actor, { areaPath: p.grid_path })) throw new AppError("not_found", {}, "personId");
        personId = input.personId;
        name = p.name;
      } else {
        const n = clean(input.name);
        if (!n) throw new AppError("validation_failed", { detail: "请填写党员姓名" }, "name");
        name = n;
      }
    }
    // One pending registration per member: by person anywhere, by phone within the community.
    const dupConds = [];
    if (personId) dupConds.push(sql`person_id = ${personId}`);
    if (contact.phoneHash) dupConds.push(sql`(phone_hash = ${contact.phoneHash} and community_id = ${communityId})`);
    if (dupConds.length > 0) {
      const [dup] = await rows<{ id: string }>(tx, sql`select id from party_registrations where status = 'registered' and (${sql.join(dupConds, sql` or `)}) limit 1`);
      if (dup) throw new AppError("registration_pending");
    }
    if (personId && input.kind === "reportIn") {
      const [m] = await rows<{ id: string }>(tx, sql`select id from party_members where person_id = ${personId} and report_in_community_id = ${communityId}`);
      if (m) throw new AppError("conflict", { detail: "该党员已在本社区报到" });
    }
    const [row] = await tx
      .insert(partyRegistrations)
      .values({
        communityId,
        kind: input.kind,
        personId,
        name,
        ...contact,
        orgName,
        workUnit: clean(input.workUnit),
        skills,
        message: clean(input.message),
        registeredBy: actor.userId,
      })
      .returning({ id: partyRegistrations.id });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "partyRegistration.register",
      entityType: "partyRegistration",
      entityId: row!.id,
      change: { communityId, kind: input.kind, personId, phoneHash: contact.phoneHash ?? null },
      summary: { kind: input.kind, self: personId !== null && personId === actor.personId },
    });
    await events.publish(tx, "party.registered", { registrationId: row!.id, communityId, kind: input.kind, registeredBy: actor.userId });
    return { id: row!.id };
  });
}

const clearRoles: Role[] = ["gridWorker", "communityWorker", "communitySecretary"];

/** The queue of a community (or every community under an area), newest first; names clear for its workers (audited). */
/**
 * The queue's filters over `regSelect` (r, c, rg): under the area, in the actor's read scope, of a
 * status. `listRegistrations` and the home's to-dos (`registrationTodos`) count through it.
 */
function registrationConditions(actor: Actor, areaPath: string, status: RegistrationStatus | undefined): SQL[] {
  const scope = sql`coalesce(rg.path, c.path)`;
  const conds = [sql`${scope} like ${`${escapeLike(areaPath)}%`}`, scopeCondition(actor, partyReaders, scope)];
  if (status) conds.push(sql`r.status = ${status}`);
  return conds;
}

/**
 * 待办: the registrations waiting for the actor's decision — one item per area where they keep
 * party members (confirm or decline), linked to that area's queue of pending ones. One query.
 */
export async function registrationTodos(db: Db, actor: Actor): Promise<TodoItem[]> {
  const all = grantsWith(actor, partyKeepers);
  // An area inside another kept area is already counted there.
  const areas = [...new Map(all.map((g) => [g.areaPath!, g])).values()].filter((g) => !all.some((o) => o.areaPath !== g.areaPath && g.areaPath!.startsWith(o.areaPath!)));
  if (areas.length === 0) return [];
  const counts = areas.map((g, i) => sql`count(*) filter (where ${sql.join(registrationConditions(actor, g.areaPath!, "registered"), sql` and `)})::int as ${sql.identifier(`a${i}`)}`);
  const [row] = await rows<Record<string, number>>(db, sql`select ${sql.join(counts, sql`, `)} ${regFrom}`);
  return areas.map((g, i) => ({
    key: areas.length === 1 ? "people.registrations" : `people.registrations.${g.areaId}`,
    count: Number(row?.[`a${i}`] ?? 0),
    label: areas.length === 1 ? { zh: "双找登记待确认", en: "Party registrations to confirm" } : { zh: `双找登记待确认 · ${g.areaName ?? ""}`, en: `Party registrations to confirm · ${g.areaName ?? ""}` },
    link: todoLink("/console/party/registrations", { areaId: g.areaId!, status: "registered" }),
    severity: "info" as const,
  }));
}

export async function listRegistrations(
  db: Db,
  actor: Actor,
  opts: { areaId: string; status?: RegistrationStatus | undefined; page: number; pageSize: number },
): Promise<{ items: RegistrationView[]; total: number; page: number; pageSize: number }> {
  const [a] = await rows<{ path: string }>(db, sql`select path from areas where id = ${opts.areaId}`);
  if (!a || !inScopeOf<Scoped>(...partyReaders)(actor, { areaPath: a.path })) throw new AppError("not_found", {}, "areaId");
  const conds = registrationConditions(actor, a.path, opts.status);
  const list = await rows<RegRow>(
    db,
    sql`select q.*, count(*) over () as total from (${regSelect} where ${sql.join(conds, sql` and `)}) q
        order by (q.status = 'registered') desc, q.registered_at desc, q.id limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`,
  );
  const clear = inScopeOf<Scoped>(...clearRoles)(actor, { areaPath: a.path });
  if (clear && list.length > 0) {
    await recordAudit(db, { actor: { kind: actor.kind, id: actor.userId }, action: "partyRegistration.listReadClear", entityType: "area", entityId: opts.areaId, change: { rows: list.length }, summary: { rows: list.length } });
  }
  return {
    items: list.map((r) => ({ ...regView(r, clear || inScopeOf<Scoped>(...clearRoles)(actor, asRecord(r))), abilities: abilities(registrationPolicy, actor, asRecord(r)) })),
    total: Number(list[0]?.total ?? 0),
    page: opts.page,
    pageSize: opts.pageSize,
  };
}

/** The registrations of the actor themself (a resident following theirs). */
export async function myRegistrations(db: Db, actor: Actor): Promise<RegistrationView[]> {
  const list = await rows<RegRow>(
    db,
    sql`${regSelect} where ${actor.personId ? sql`r.person_id = ${actor.personId} or ` : sql``}(r.registered_by = ${actor.userId} and r.person_id is not distinct from u.person_id)
        order by r.registered_at desc`,
  );
  return list.map((r) => regView(r, true));
}

async function loadRegistration(tx: Db, id: string): Promise<(RegistrationRecord & { row: RegRow }) | undefined> {
  const [r] = await rows<RegRow>(tx, sql`${regSelect} where r.id = ${id} for update of r`);
  return r ? { ...asRecord(r), row: r } : undefined;
}

export async function getRegistration(db: Db, actor: Actor, id: string): Promise<RegistrationView> {
  const [r] = await rows<RegRow>(db, sql`${regSelect} where r.id = ${id}`);
  const rec = r ? asRecord(r) : undefined;
  authorize(actor, "read", rec, registrationPolicy);
  const clear = ownRegistration(actor, rec) || inScopeOf<RegistrationRecord>(...clearRoles)(actor, rec);
  return { ...regView(r!, clear), abilities: abilities(registrationPolicy, actor, rec) };
}

export interface ConfirmInput {
  /** The resident record of a member found without one (a worker's registration by name). */
  personId?: string | undefined;
  /** Floating members: a party organization of the community that looks after them here. */
  partyOrgId?: string | null | undefined;
  note?: string | null | undefined;
}

/**
 * Confirms a registration: reportIn → the member's report-in community, its date, work unit and the
 * outside organization; floating → status floating, the outside organization, and optionally a
 * branch of the community that looks after them. Creates the member record when there is none.
 */
export async function confirmRegistration(db: Db, actor: Actor, id: string, input: ConfirmInput, now = new Date()): Promise<{ partyMemberId: string }> {
  return db.transaction(async (tx) => {
    const reg = await loadRegistration(tx, id);
    authorize(actor, "decide", reg, registrationPolicy);
    const r = reg.row;
    if (r.status !== "registered") throw new AppError("registration_decided");
    let personId = r.person_id;
    if (input.personId && input.personId !== personId) {
      if (personId) throw new AppError("validation_failed", { detail: "该登记已关联居民，不能改为他人" }, "personId");
      const [p] = await rows<{ grid_path: string | null }>(tx, sql`select g.path as grid_path from persons p left join areas g on g.id = p.grid_id where p.id = ${input.personId}`);
      if (!p?.grid_path || !inScopeOf<Scoped>(...partyKeepers)(actor, { areaPath: p.grid_path })) throw new AppError("not_found", {}, "personId");
      personId = input.personId;
    }
    if (!personId) throw new AppError("validation_failed", { detail: "请先关联该党员的居民信息" }, "personId");
    let partyOrgId: string | null | undefined;
    if (input.partyOrgId) {
      if (r.kind !== "floating") throw new AppError("validation_failed", { detail: "在职党员报到不转组织关系" }, "partyOrgId");
      const [o] = await rows<{ kind: string; path: string; dissolved_on: unknown }>(
        tx,
        sql`select o.kind, a.path, o.dissolved_on from organizations o join areas a on a.id = o.area_id where o.id = ${input.partyOrgId}`,
      );
      if (!o || !o.path.startsWith(r.community_path)) throw new AppError("not_found", {}, "partyOrgId");
      if (!isOrgKind(o.kind) || !orgKinds[o.kind].party || o.dissolved_on) throw new AppError("validation_failed", { detail: "须选择本社区的党组织" }, "partyOrgId");
      partyOrgId = input.partyOrgId;
    }
    const day = chinaDateOf(now);
    const [existing] = await tx.select().from(partyMembers).where(eq(partyMembers.personId, personId));
    const columns: Partial<typeof partyMembers.$inferInsert> =
      r.kind === "reportIn"
        ? {
            status: "inService",
            reportInCommunityId: r.community_id,
            reportInConfirmedOn: day,
            workUnit: r.work_unit ?? existing?.workUnit ?? null,
            // Their relation stays where it is; name it when it is outside this tree.
            ...(existing?.partyOrgId ? {} : { outsideOrgName: r.org_name }),
          }
        : {
            status: "floating",
            outsideOrgName: r.org_name,
            reportInCommunityId: null,
            reportInConfirmedOn: null,
            ...(r.work_unit ? { workUnit: r.work_unit } : {}),
            ...(partyOrgId !== undefined ? { partyOrgId } : {}),
          };
    let partyMemberId: string;
    if (existing) {
      partyMemberId = existing.id;
      await tx.update(partyMembers).set({ ...columns, updatedAt: new Date() }).where(eq(partyMembers.id, existing.id));
    } else {
      const [row] = await tx
        .insert(partyMembers)
        .values({ personId, status: columns.status!, ...columns })
        .returning({ id: partyMembers.id });
      partyMemberId = row!.id;
    }
    await tx
      .update(partyRegistrations)
      .set({ status: "confirmed", personId, partyMemberId, decidedBy: actor.userId, decidedAt: now, decisionNote: clean(input.note) })
      .where(eq(partyRegistrations.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "partyRegistration.confirm",
      entityType: "partyRegistration",
      entityId: id,
      change: { partyMemberId, personId, columns, created: !existing },
      summary: { kind: r.kind, created: !existing },
    });
    return { partyMemberId };
  });
}

/** Declines a registration with a note the member will read. */
export async function declineRegistration(db: Db, actor: Actor, id: string, note: string, now = new Date()): Promise<void> {
  const text = note.trim();
  if (!text) throw new AppError("validation_failed", { detail: "请写明不予确认的原因，登记人会看到" }, "note");
  await db.transaction(async (tx) => {
    const reg = await loadRegistration(tx, id);
    authorize(actor, "decide", reg, registrationPolicy);
    if (reg.row.status !== "registered") throw new AppError("registration_decided");
    await tx.update(partyRegistrations).set({ status: "declined", decisionNote: text, decidedBy: actor.userId, decidedAt: now }).where(eq(partyRegistrations.id, id));
    await recordAudit(tx, { actor: { kind: actor.kind, id: actor.userId }, action: "partyRegistration.decline", entityType: "partyRegistration", entityId: id, change: { note: text }, summary: { kind: reg.row.kind } });
  });
}

export interface FunnelFigures {
  registered: number;
  pending: number;
  confirmed: number;
  declined: number;
  byKind: Record<RegistrationKind, { registered: number; confirmed: number }>;
  /** confirmed / (confirmed + declined): pending registrations are not yet a result. */
  confirmationRate: { ratio: number | null; numerator: number; denominator: number; formula: string; formulaEn: string };
}

const funnelFormula = { zh: "已确认数 / 已处理数（已确认 + 未予确认）", en: "confirmed / decided (confirmed + declined)" };

function funnel(list: { kind: RegistrationKind; status: RegistrationStatus; n: number }[]): FunnelFigures {
  const f = { registered: 0, pending: 0, confirmed: 0, declined: 0, byKind: { reportIn: { registered: 0, confirmed: 0 }, floating: { registered: 0, confirmed: 0 } } };
  for (const r of list) {
    f.registered += r.n;
    f.byKind[r.kind].registered += r.n;
    if (r.status === "registered") f.pending += r.n;
    if (r.status === "confirmed") {
      f.confirmed += r.n;
      f.byKind[r.kind].confirmed += r.n;
    }
    if (r.status === "declined") f.declined += r.n;
  }
  const decided = f.confirmed + f.declined;
  return {
    ...f,
    confirmationRate: { ratio: decided === 0 ? null : f.confirmed / decided, numerator: f.confirmed, denominator: decided, formula: funnelFormula.zh, formulaEn: funnelFormula.en },
  };
}

/** 双找 funnel figures for an area and each community under it. */
export async function registrationFunnel(db: Db, actor: Actor, areaId: string): Promise<{ total: FunnelFigures; communities: (FunnelFigures & { communityId: string; name: string })[] }> {
  const [a] = await rows<{ path: string }>(db, sql`select path from areas where id = ${areaId}`);
  if (!a || !inScopeOf<Scoped>(...partyReaders)(actor, { areaPath: a.path })) throw new AppError("not_found");
  const like = `${escapeLike(a.path)}%`;
  const communities = await rows<{ id: string; name: string }>(db, sql`select id, name from areas where level = 'community' and path like ${like} order by code, name`);
  const counts = await rows<{ community_id: string; kind: RegistrationKind; status: RegistrationStatus; n: string | number }>(
    db,
    sql`select r.community_id, r.kind, r.status, count(*) as n from party_registrations r join areas c on c.id = r.community_id
        where c.path like ${like} group by r.community_id, r.kind, r.status`,
  );
  const all = counts.map((c) => ({ ...c, n: Number(c.n) }));
  return {
    total: funnel(all),
    communities: communities.map((c) => ({ communityId: c.id, name: c.name, ...funnel(all.filter((x) => x.community_id === c.id)) })),
  };
}


/**
 * Re-encrypt registration phones under the current key (part of `gongzhi keys rotate`). They are
 * encrypted with the persons' phone context by `encryptContact`, so the same context applies here.
 */
export async function rotateRegistrationKeys(db: Db, keyring: DataKeyring, opts: { batchSize?: number } = {}): Promise<{ rotated: number }> {
  return rotateEncryptedColumn(db, keyring, { table: "party_registrations", column: "phone_enc", context: "persons.phone" }, opts);
}
