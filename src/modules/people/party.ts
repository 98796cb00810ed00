/**
 * 党员: the organization relation (a party organization of this tree, or one outside it by name),
 * status (在职 / 离退休 / 流动), joined date, work unit, and the separate report-in relation of
 * in-service members to the community where they live (双报到).
 */
import { eq, sql } from "drizzle-orm";
import { dateOnly, rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { abilities, authorize, escapeLike, inScopeOf, scopeCondition, type Scoped } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskName } from "../../platform/mask.js";
import { readableAreaPath } from "../areas/index.js";
import { isOrgKind, orgKinds } from "../../platform/org-kinds.js";
import { chinaDateOf } from "../../platform/calendar/index.js";
import { partyMembers } from "./schema.js";
import { loadPersonRecord } from "./persons.js";
import { personPolicy } from "./policy.js";
import { partyKeepers, partyMemberPolicy, partyReaders, type PartyMemberRecord } from "./policy.js";

export type PartyStatus = "inService" | "retired" | "floating";
export const partyStatuses: PartyStatus[] = ["inService", "retired", "floating"];


export interface PartyMemberView {
  id: string;
  personId: string;
  /** Masked in lists; clear on one record for the roles that work with members. */
  name: string;
  gridId: string | null;
  gridName: string | null;
  status: PartyStatus;
  joinedOn: string | null;
  partyOrgId: string | null;
  partyOrgName: string | null;
  partyOrgKindLabel: string | null;
  outsideOrgName: string | null;
  workUnit: string | null;
  reportInCommunityId: string | null;
  reportInCommunityName: string | null;
  reportInConfirmedOn: string | null;
  abilities?: Record<string, boolean>;
}

interface MemberRow {
  id: string;
  person_id: string;
  name: string;
  grid_id: string | null;
  grid_name: string | null;
  grid_path: string | null;
  status: PartyStatus;
  joined_on: string | Date | null;
  party_org_id: string | null;
  org_name: string | null;
  org_kind: string | null;
  org_area_path: string | null;
  outside_org_name: string | null;
  work_unit: string | null;
  report_in_community_id: string | null;
  report_in_name: string | null;
  report_in_path: string | null;
  total?: string | number;
}

const memberSelect = sql`select m.id, m.person_id, p.name, p.grid_id, g.name as grid_name, g.path as grid_path, m.status, m.joined_on,
  m.party_org_id, o.name as org_name, o.kind as org_kind, oa.path as org_area_path, m.outside_org_name, m.work_unit,
  m.report_in_community_id, rc.name as report_in_name, rc.path as report_in_path, m.report_in_confirmed_on
  from party_members m join persons p on p.id = m.person_id
  left join areas g on g.id = p.grid_id
  left join organizations o on o.id = m.party_org_id
  left join areas oa on oa.id = o.area_id
  left join areas rc on rc.id = m.report_in_community_id`;

/** Where a member belongs for scope: their grid, else the organization holding their relation, else their report-in community. */
const scopePath = (r: MemberRow) => r.grid_path ?? r.org_area_path ?? r.report_in_path ?? "";

function memberView(r: MemberRow & { report_in_confirmed_on: string | Date | null }, clear: boolean, lang: "zh-CN" | "en"): PartyMemberView {
  return {
    id: r.id,
    personId: r.person_id,
    name: clear ? r.name : maskName(r.name),
    gridId: r.grid_id,
    gridName: r.grid_name,
    status: r.status,
    joinedOn: dateOnly(r.joined_on),
    partyOrgId: r.party_org_id,
    partyOrgName: r.org_name,
    partyOrgKindLabel: r.org_kind && isOrgKind(r.org_kind) ? (lang === "en" ? orgKinds[r.org_kind].en : orgKinds[r.org_kind].zh) : null,
    outsideOrgName: r.outside_org_name,
    workUnit: r.work_unit,
    reportInCommunityId: r.report_in_community_id,
    reportInCommunityName: r.report_in_name,
    reportInConfirmedOn: dateOnly(r.report_in_confirmed_on),
  };
}

type FullRow = MemberRow & { report_in_confirmed_on: string | Date | null };

export interface MemberFilters {
  areaId?: string | undefined;
  status?: PartyStatus | undefined;
  /** true: reported in to a community (双报到); false: not. */
  reportedIn?: boolean | undefined;
  /** inside: relation held by an organization of this tree; outside: by one outside it (by name); none: neither. */
  relation?: "inside" | "outside" | "none" | undefined;
  /** true: not placed in any grid. */
  notInGrid?: boolean | undefined;
  page: number;
  pageSize: number;
}

/** Party members under an area (by grid, relation or report-in community), names masked. */
export async function listPartyMembers(db: Db, actor: Actor, f: MemberFilters, lang: "zh-CN" | "en"): Promise<{ items: PartyMemberView[]; total: number; page: number; pageSize: number }> {
  const conds = [
    sql`(${scopeCondition(actor, partyReaders, sql`g.path`)} or ${scopeCondition(actor, partyReaders, sql`oa.path`)} or ${scopeCondition(actor, partyReaders, sql`rc.path`)})`,
  ];
  if (f.areaId) {
    const like = `${escapeLike(await readableAreaPath(db, actor, f.areaId))}%`;
    conds.push(sql`(g.path like ${like} or oa.path like ${like} or rc.path like ${like})`);
  }
  if (f.status) conds.push(sql`m.status = ${f.status}`);
  if (f.reportedIn === true) conds.push(sql`m.report_in_community_id is not null`);
  if (f.reportedIn === false) conds.push(sql`m.report_in_community_id is null`);
  if (f.relation === "inside") conds.push(sql`m.party_org_id is not null`);
  if (f.relation === "outside") conds.push(sql`m.party_org_id is null and m.outside_org_name is not null`);
  if (f.relation === "none") conds.push(sql`m.party_org_id is null and m.outside_org_name is null`);
  if (f.notInGrid === true) conds.push(sql`p.grid_id is null`);
  if (f.notInGrid === false) conds.push(sql`p.grid_id is not null`);
  const list = await rows<FullRow>(
    db,
    sql`select q.*, count(*) over () as total from (${memberSelect} where ${sql.join(conds, sql` and `)}) q
        order by q.grid_name nulls last, q.org_name nulls last, q.id limit ${f.pageSize} offset ${(f.page - 1) * f.pageSize}`,
  );
  return { items: list.map((r) => memberView(r, false, lang)), total: Number(list[0]?.total ?? 0), page: f.page, pageSize: f.pageSize };
}

async function loadMember(db: Db, where: { id: string } | { personId: string }): Promise<(PartyMemberRecord & { row: FullRow }) | undefined> {
  const cond = "id" in where ? sql`m.id = ${where.id}` : sql`m.person_id = ${where.personId}`;
  const [r] = await rows<FullRow>(db, sql`${memberSelect} where ${cond} order by m.created_at limit 1`);
  return r ? { id: r.id, personId: r.person_id, areaPath: scopePath(r), row: r } : undefined;
}

const clearReaders: Role[] = ["gridWorker", "communityWorker", "communitySecretary"];

async function present(db: Db, actor: Actor, m: PartyMemberRecord & { row: FullRow }, lang: "zh-CN" | "en"): Promise<PartyMemberView> {
  const clear = actor.personId === m.personId || inScopeOf<PartyMemberRecord>(...clearReaders)(actor, m);
  if (clear && actor.personId !== m.personId) {
    await recordAudit(db, { actor: { kind: actor.kind, id: actor.userId }, action: "partyMember.readClear", entityType: "partyMember", entityId: m.id, change: { fields: ["name"] }, summary: { fields: ["name"] } });
  }
  return { ...memberView(m.row, clear, lang), abilities: abilities(partyMemberPolicy, actor, m) };
}

export async function getPartyMember(db: Db, actor: Actor, id: string, lang: "zh-CN" | "en"): Promise<PartyMemberView> {
  const m = await loadMember(db, { id });
  authorize(actor, "read", m, partyMemberPolicy);
  return present(db, actor, m, lang);
}

/**
 * The member record of a person, or null when the person is not a member. The person must be
 * readable (their grid in scope, or themself); the abilities say whether the actor may make them one.
 */
export async function getPersonPartyMember(db: Db, actor: Actor, personId: string, lang: "zh-CN" | "en"): Promise<{ member: PartyMemberView | null; canCreate: boolean }> {
  const [p] = await rows<{ grid_path: string | null }>(db, sql`select g.path as grid_path from persons p left join areas g on g.id = p.grid_id where p.id = ${personId}`);
  const personRecord = p ? { id: personId, personId, areaPath: p.grid_path ?? "" } : undefined;
  const m = await loadMember(db, { personId });
  if (m) {
    authorize(actor, "read", m, partyMemberPolicy);
    return { member: await present(db, actor, m, lang), canCreate: false };
  }
  const readable = personRecord?.areaPath ? personRecord : undefined;
  if (p && p.grid_path === null) {
    // A person recorded only for a post (大党委 part-time seat) is read through their posts; not a member here.
    authorize(actor, "read", await loadPersonRecord(db, personId), personPolicy);
    return { member: null, canCreate: false };
  }
  authorize(actor, "read", readable, partyMemberPolicy);
  return { member: null, canCreate: partyMemberPolicy.update(actor, readable) };
}

export interface MemberInput {
  status?: PartyStatus | undefined;
  joinedOn?: string | null | undefined;
  partyOrgId?: string | null | undefined;
  outsideOrgName?: string | null | undefined;
  workUnit?: string | null | undefined;
  reportInCommunityId?: string | null | undefined;
}

const trimOrNull = (s: string | null | undefined) => (s === undefined ? undefined : s === null || s.trim() === "" ? null : s.trim());

/** Checks an input against the actor's scope and the rules; returns the columns to write. */
async function memberColumns(tx: Db, actor: Actor, input: MemberInput, current: { status: PartyStatus; partyOrgId: string | null; outsideOrgName: string | null; reportInCommunityId: string | null } | null, now: Date) {
  const set: Partial<typeof partyMembers.$inferInsert> = {};
  if (input.status !== undefined) set.status = input.status;
  if (input.joinedOn !== undefined) {
    if (input.joinedOn !== null && input.joinedOn > chinaDateOf(now)) throw new AppError("validation_failed", { detail: "入党日期不能晚于今天" }, "joinedOn");
    set.joinedOn = input.joinedOn;
  }
  if (input.partyOrgId !== undefined) {
    if (input.partyOrgId !== null) {
      const [o] = await rows<{ kind: string; path: string; dissolved_on: unknown }>(
        tx,
        sql`select o.kind, a.path, o.dissolved_on from organizations o join areas a on a.id = o.area_id where o.id = ${input.partyOrgId}`,
      );
      if (!o || !inScopeOf<Scoped>(...partyKeepers)(actor, { areaPath: o.path })) throw new AppError("not_found", {}, "partyOrgId");
      if (!isOrgKind(o.kind) || !orgKinds[o.kind].party) throw new AppError("validation_failed", { detail: "组织关系只能转入党组织" }, "partyOrgId");
      if (o.dissolved_on) throw new AppError("validation_failed", { detail: "该党组织已撤销" }, "partyOrgId");
    }
    set.partyOrgId = input.partyOrgId;
  }
  const outside = trimOrNull(input.outsideOrgName);
  if (outside !== undefined) set.outsideOrgName = outside;
  const workUnit = trimOrNull(input.workUnit);
  if (workUnit !== undefined) set.workUnit = workUnit;
  if (input.reportInCommunityId !== undefined) {
    if (input.reportInCommunityId !== null) {
      const [c] = await rows<{ level: string; path: string }>(tx, sql`select level, path from areas where id = ${input.reportInCommunityId}`);
      if (!c || !inScopeOf<Scoped>(...partyKeepers)(actor, { areaPath: c.path })) throw new AppError("not_found", {}, "reportInCommunityId");
      if (c.level !== "community") throw new AppError("validation_failed", { detail: "报到须到社区" }, "reportInCommunityId");
      if (input.reportInCommunityId !== current?.reportInCommunityId) set.reportInConfirmedOn = chinaDateOf(now);
    } else {
      set.reportInConfirmedOn = null;
    }
    set.reportInCommunityId = input.reportInCommunityId;
  }
  const status = set.status ?? current?.status;
  const reportIn = set.reportInCommunityId !== undefined ? set.reportInCommunityId : (current?.reportInCommunityId ?? null);
  if (reportIn && status !== "inService") throw new AppError("validation_failed", { detail: "只有在职党员到居住地社区报到；请先取消报到或把状态改为在职" }, "reportInCommunityId");
  const orgId = set.partyOrgId !== undefined ? set.partyOrgId : (current?.partyOrgId ?? null);
  const outsideName = set.outsideOrgName !== undefined ? set.outsideOrgName : (current?.outsideOrgName ?? null);
  // A floating member keeps the name of the organization back home even while a branch here looks after them.
  if (orgId && outsideName && status !== "floating") throw new AppError("validation_failed", { detail: "组织关系在本辖区党组织的，不再填写外部党组织名称" }, "outsideOrgName");
  return set;
}

/** Makes a person a party member. */
export async function createPartyMember(db: Db, actor: Actor, personId: string, input: MemberInput & { status: PartyStatus }, now = new Date()): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const [p] = await rows<{ grid_path: string | null }>(tx, sql`select g.path as grid_path from persons p left join areas g on g.id = p.grid_id where p.id = ${personId} for update of p`);
    const rec = p?.grid_path ? { id: personId, personId, areaPath: p.grid_path } : undefined;
    if (!rec || !partyMemberPolicy.read(actor, rec)) throw new AppError("not_found", {}, "personId");
    if (!partyMemberPolicy.update(actor, rec)) throw new AppError("forbidden");
    const [existing] = await rows<{ id: string }>(tx, sql`select id from party_members where person_id = ${personId}`);
    if (existing) throw new AppError("conflict", { detail: "此人已登记为党员" }, "personId");
    const set = await memberColumns(tx, actor, input, null, now);
    const [row] = await tx.insert(partyMembers).values({ personId, status: input.status, ...set }).returning({ id: partyMembers.id });
    await recordAudit(tx, { actor: { kind: actor.kind, id: actor.userId }, action: "partyMember.create", entityType: "partyMember", entityId: row!.id, change: { personId, ...set }, summary: { status: input.status } });
    return { id: row!.id };
  });
}

/** Changes status, joined date, organization relation, work unit or report-in community. */
export async function updatePartyMember(db: Db, actor: Actor, id: string, input: MemberInput, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const m = await loadMember(tx, { id });
    authorize(actor, "update", m, partyMemberPolicy);
    await rows(tx, sql`select id from party_members where id = ${id} for update`);
    const set = await memberColumns(
      tx,
      actor,
      input,
      { status: m.row.status, partyOrgId: m.row.party_org_id, outsideOrgName: m.row.outside_org_name, reportInCommunityId: m.row.report_in_community_id },
      now,
    );
    if (Object.keys(set).length === 0) throw new AppError("validation_failed", { detail: "没有要修改的内容" });
    await tx.update(partyMembers).set({ ...set, updatedAt: new Date() }).where(eq(partyMembers.id, id));
    await recordAudit(tx, { actor: { kind: actor.kind, id: actor.userId }, action: "partyMember.update", entityType: "partyMember", entityId: id, change: set, summary: { fields: Object.keys(set) } });
  });
}
