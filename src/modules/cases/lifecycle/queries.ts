/**
 * Reading cases: the work queue with filters, the map of open cases by grid, one case with its
 * timeline and what the actor may do next, and the audited reveal of the reporter's phone.
 * Lists never carry personal data: no contact, no reporter, no place in the reporter's words.
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Actor } from "../../../platform/auth/actor.js";
import type { Db } from "../../../platform/db/index.js";
import { AppError } from "../../../platform/errors.js";
import { authorize, escapeLike } from "../../../platform/policy/index.js";
import { recordAudit } from "../../../platform/audit/service.js";
import { decryptField } from "../../../platform/pii/crypto.js";
import type { DataKeyring } from "../../../platform/pii/keys.js";
import { revealWindowMs, validatePurpose } from "../../../platform/pii/reveal.js";
import { maskName } from "../../../platform/mask.js";
import { isoChina } from "../../../platform/calendar/instant.js";
import { areaNames, areaPath } from "../../areas/index.js";
import { organizationNames } from "../../orgs/index.js";
import { orderByName } from "../names.js";
import { recordPiiReveal } from "../../../platform/pii/record.js";
import { lockCase, type CaseRow } from "../core.js";
import { contactPhoneContext } from "../intake/intake.js";
import { users } from "../../../platform/auth/schema.js";
import { actionLabels, nextStatus, openStatuses, statusLabels, type CaseAction, type CaseStatus } from "../machine.js";
import { levelLabels } from "../levels.js";
import { actionRule, unfinishedSummonsCount } from "./lifecycle.js";
import { casePolicy, caseScopeCondition, departmentOrgIds, loadCaseRecord, maySummon, caseDispatchCondition, caseHandleCondition, caseVerifyCondition, type CaseRecord } from "../policy.js";
import { caseCategories, caseEvents, caseExtensions, casePhotos, cases, caseSummons, type CaseLevel, type CaseSource, type CategoryAttribute } from "../schema.js";
import { caseTextCondition } from "../search.js";
import { isOwnFeedback, notOwnFeedbackCondition } from "../verification.js";


export interface Label {
  zh: string;
  en: string;
}

/** Statuses that count as overdue once `handleDueAt` has passed (open, not parked). */
const overdueStatuses: readonly CaseStatus[] = openStatuses.filter((s) => s !== "parked");

function overdueSql(now: Date): SQL {
  return sql`(${cases.handleDueAt} is not null and ${cases.handleDueAt} < ${now} and ${inArray(cases.status, [...overdueStatuses])})`;
}

function isOverdue(row: Pick<CaseRow, "handleDueAt" | "status">, now: Date): boolean {
  return row.handleDueAt !== null && row.handleDueAt.getTime() < now.getTime() && overdueStatuses.includes(row.status as CaseStatus);
}

export type CaseSort = "newest" | "due";
export type MineFilter = "handling" | "reported" | "verify" | "dispatch";
/** The console's and the worker app's queue tabs: each lists exactly the cases the asker can take its step on. */
export type QueueName = "toRegister" | "toDispatch" | "handling" | "toVerify" | "toClose";
export const queueNames: readonly QueueName[] = ["toRegister", "toDispatch", "handling", "toVerify", "toClose"];
/** The abilities (on the case page) of which at least one holds for every case in the queue. */
export const queueAbilities: Record<QueueName, readonly string[]> = {
  toRegister: ["register", "reject"],
  toDispatch: ["dispatch"],
  handling: ["receive", "start", "feedback"],
  toVerify: ["verifyPass", "verifyFail"],
  toClose: ["close"],
};

/**
 * The SQL of a queue: its statuses and the policy rule of its step (the same rules the case page's
 * abilities use), so a case never sits in a queue whose step the asker cannot take — a
 * department-first case is not in a community worker's 待受理; a verified case still waiting for a
 * summoned department is not in 待结案 (it is in the summons queue, to end or record).
 */
export function queueCondition(actor: Actor, queue: QueueName): SQL[] {
  switch (queue) {
    case "toRegister":
      return [eq(cases.status, "submitted"), caseDispatchCondition(actor)];
    case "toDispatch":
      return [eq(cases.status, "registered"), caseDispatchCondition(actor)];
    case "handling":
      // A case dispatched to a named person (派遣到人) is in that person's queue only.
      return [
        inArray(cases.status, ["dispatched", "received", "inProgress"]),
        caseHandleCondition(actor),
        sql`(${cases.assigneeUserId} is null or ${cases.assigneeUserId} = ${actor.userId})`,
      ];
    case "toVerify":
      return [eq(cases.status, "feedback"), caseVerifyCondition(actor), notOwnFeedbackCondition(actor)];
    case "toClose":
      return [
        eq(cases.status, "verified"),
        caseDispatchCondition(actor),
        sql`not exists (select 1 from ${caseSummons} where ${caseSummons.caseId} = ${cases.id} and ${caseSummons.status} in ('summoned', 'reportedIn'))`,
      ];
  }
}

export interface CaseListFilter {
  status?: CaseStatus[] | undefined;
  level?: CaseLevel | undefined;
  categoryCode?: string | undefined;
  areaId?: string | undefined;
  source?: CaseSource | undefined;
  overdue?: boolean | undefined;
  mine?: MineFilter | undefined;
  queue?: QueueName | undefined;
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
  sort?: CaseSort | undefined;
}

export interface CaseListItem {
  id: string;
  caseNo: string;
  categoryCode: string;
  categoryName: string;
  description: string;
  status: CaseStatus;
  statusLabel: Label;
  level: CaseLevel;
  levelLabel: Label;
  source: CaseSource;
  urgency: string;
  gridId: string;
  gridName: string;
  handlingOrgName: string | null;
  anonymous: boolean;
  submittedAt: string;
  responseDueAt: string | null;
  handleDueAt: string | null;
  overdue: boolean;
  whistled: boolean;
}

async function areaPathOf(db: Db, areaId: string): Promise<string> {
  const path = await areaPath(db, areaId);
  if (path === undefined) throw new AppError("not_found");
  return path;
}

/** Day bound "2026-11-01" (start of day, or end when `end`) or a full timestamp, in China time. */
function dayBound(value: string, end: boolean): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = new Date(`${value}T00:00:00+08:00`);
    return end ? new Date(start.getTime() + 86_400_000) : start;
  }
  return new Date(value);
}

/**
 * The list's filters as SQL over `cases`, the actor's read scope first: `listCases` and the home's
 * to-dos (`caseTodos`) count the same rows through it.
 */
export async function caseListConditions(db: Db, actor: Actor, filter: CaseListFilter, now: Date): Promise<SQL[]> {
  const conds: SQL[] = [caseScopeCondition(actor)];
  if (filter.status && filter.status.length > 0) conds.push(inArray(cases.status, filter.status));
  if (filter.level) conds.push(eq(cases.level, filter.level));
  if (filter.categoryCode) conds.push(sql`${cases.categoryCode} like ${`${escapeLike(filter.categoryCode)}%`}`);
  if (filter.source) conds.push(eq(cases.source, filter.source));
  if (filter.areaId) conds.push(sql`${cases.areaPath} like ${`${escapeLike(await areaPathOf(db, filter.areaId))}%`}`);
  if (filter.overdue) conds.push(overdueSql(now));
  if (filter.q?.trim()) conds.push(caseTextCondition(filter.q));
  if (filter.from) conds.push(sql`${cases.submittedAt} >= ${dayBound(filter.from, false)}`);
  if (filter.to) conds.push(sql`${cases.submittedAt} < ${dayBound(filter.to, true)}`);
  switch (filter.mine) {
    case "reported":
      conds.push(eq(cases.reporterUserId, actor.userId));
      break;
    case "handling":
      conds.push(...queueCondition(actor, "handling"));
      break;
    case "verify":
      conds.push(...queueCondition(actor, "toVerify"));
      break;
    case "dispatch":
      conds.push(
        sql`(${inArray(cases.status, ["submitted", "registered", "verified"])} or exists (select 1 from ${caseExtensions} where ${caseExtensions.caseId} = ${cases.id} and ${caseExtensions.status} = 'pending'))`,
        caseDispatchCondition(actor),
      );
      break;
    case undefined:
      break;
  }
  if (filter.queue) conds.push(...queueCondition(actor, filter.queue));
  return conds;
}

/** 案件队列: the cases the actor may read, filtered, one page at a time. */
export async function listCases(db: Db, actor: Actor, filter: CaseListFilter = {}, now = new Date()): Promise<{ items: CaseListItem[]; total: number; page: number; pageSize: number }> {
  const page = filter.page ?? 1;
  const pageSize = filter.pageSize ?? 20;
  const where = and(...(await caseListConditions(db, actor, filter, now)));
  const [count] = await db.select({ n: sql<number>`count(*)::int` }).from(cases).where(where);
  const order =
    filter.sort === "due"
      ? [sql`coalesce(${cases.handleDueAt}, ${cases.responseDueAt}) asc nulls last`, desc(cases.submittedAt), asc(cases.id)]
      : [desc(cases.submittedAt), asc(cases.id)];
  const rows = await db
    .select({
      c: {
        id: cases.id,
        caseNo: cases.caseNo,
        categoryCode: cases.categoryCode,
        description: cases.description,
        status: cases.status,
        level: cases.level,
        source: cases.source,
        urgency: cases.urgency,
        gridId: cases.gridId,
        anonymous: cases.anonymous,
        submittedAt: cases.submittedAt,
        responseDueAt: cases.responseDueAt,
        handleDueAt: cases.handleDueAt,
        whistled: cases.whistled,
        handlingOrgId: cases.handlingOrgId,
      },
      categoryName: caseCategories.name,
    })
    .from(cases)
    .leftJoin(caseCategories, eq(caseCategories.id, cases.categoryId))
    .where(where)
    .orderBy(...order)
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  // The page's grid and department names: one query each.
  const gridNames = await areaNames(db, rows.map((r) => r.c.gridId));
  const orgNames = await organizationNames(db, rows.map((r) => r.c.handlingOrgId));
  const items = rows.map(({ c, categoryName }) => ({
    id: c.id,
    caseNo: c.caseNo,
    categoryCode: c.categoryCode,
    categoryName: categoryName ?? c.categoryCode,
    description: [...c.description].slice(0, 80).join(""),
    status: c.status as CaseStatus,
    statusLabel: statusLabels[c.status as CaseStatus],
    level: c.level,
    levelLabel: levelLabels[c.level],
    source: c.source,
    urgency: c.urgency,
    gridId: c.gridId,
    gridName: gridNames.get(c.gridId) ?? "",
    handlingOrgName: c.handlingOrgId ? (orgNames.get(c.handlingOrgId) ?? null) : null,
    anonymous: c.anonymous,
    submittedAt: c.submittedAt.toISOString(),
    responseDueAt: c.responseDueAt?.toISOString() ?? null,
    handleDueAt: c.handleDueAt?.toISOString() ?? null,
    overdue: isOverdue(c, now),
    whistled: c.whistled,
  }));
  return { items, total: Number(count?.n ?? 0), page, pageSize };
}

export interface CaseMapGrid {
  gridId: string;
  name: string;
  count: number;
  overdue: number;
  points: { id: string; lng: number; lat: number; caseNo: string; status: CaseStatus; overdue: boolean }[];
}

/** 案件地图: open cases in the actor's scope (and under `areaId`), grouped by grid. */
export async function caseMap(db: Db, actor: Actor, opts: { areaId?: string | undefined } = {}, now = new Date()): Promise<{ grids: CaseMapGrid[] }> {
  const conds: SQL[] = [caseScopeCondition(actor), inArray(cases.status, [...openStatuses])];
  if (opts.areaId) conds.push(sql`${cases.areaPath} like ${`${escapeLike(await areaPathOf(db, opts.areaId))}%`}`);
  const found = await db
    .select({ id: cases.id, caseNo: cases.caseNo, status: cases.status, lng: cases.lng, lat: cases.lat, handleDueAt: cases.handleDueAt, gridId: cases.gridId })
    .from(cases)
    .where(and(...conds))
    .orderBy(desc(cases.submittedAt));
  const gridNames = await areaNames(db, found.map((r) => r.gridId));
  const rows = orderByName(found, (r) => r.gridId, gridNames);
  const byGrid = new Map<string, CaseMapGrid>();
  for (const r of rows) {
    let g = byGrid.get(r.gridId);
    if (!g) {
      g = { gridId: r.gridId, name: gridNames.get(r.gridId) ?? "", count: 0, overdue: 0, points: [] };
      byGrid.set(r.gridId, g);
    }
    const overdue = isOverdue(r, now);
    g.count += 1;
    if (overdue) g.overdue += 1;
    g.points.push({ id: r.id, lng: r.lng, lat: r.lat, caseNo: r.caseNo, status: r.status as CaseStatus, overdue });
  }
  return { grids: [...byGrid.values()] };
}

// ——— One case ———

/** Actions the case page offers (each a route under /api/cases/:id/…), plus revealContact. */
export const lifecycleActions = Object.keys(actionRule) as CaseAction[];

/** Every key of a case's `abilities` (`abilitiesOf` sets each): the steps above and three more. */
export const caseAbilityKeys: readonly string[] = [...lifecycleActions, "revealContact", "whistle", "merge"];

export interface TimelineEvent {
  id: number;
  at: string;
  action: string;
  actionLabel: Label;
  actorLabel: string;
  fromStatus: string | null;
  toStatus: string;
  fromLevel: string | null;
  toLevel: string | null;
  note: string | null;
  evidence: string[];
  data: Record<string, unknown>;
}

export interface CaseDetail {
  id: string;
  caseNo: string;
  source: CaseSource;
  urgency: string;
  description: string;
  status: CaseStatus;
  statusLabel: Label;
  level: CaseLevel;
  levelLabel: Label;
  category: {
    id: string;
    code: string;
    name: string;
    parent: { id: string; code: string; name: string } | null;
    responseLimit: { value: number; unit: string } | null;
    handleLimit: { value: number; unit: string } | null;
    firstLevel: string | null;
  };
  grid: { id: string; name: string };
  community: { id: string; name: string } | null;
  street: { id: string; name: string } | null;
  handlingArea: { id: string; name: string } | null;
  handlingOrg: { id: string; name: string } | null;
  /** 派遣到人: the person named at dispatch (staff only). */
  assignee: { id: string; name: string } | null;
  lng: number;
  lat: number;
  buildingId: string | null;
  /** The place in the reporter's words: for the reporter, handlers and departments on the case. */
  locationText: string | null;
  /** Answers to the category's questions (附加信息), in the questions' order, as text; same readers as `locationText`. */
  answers: { code: string; question: string; answer: string }[];
  /** Masked contact for handlers; null for everyone else. */
  reporter: { anonymous: boolean; name: string | null; phoneMasked: string | null; hasPhone: boolean } | null;
  anonymous: boolean;
  externalRef: string | null;
  rejectReason: string | null;
  mergedIntoId: string | null;
  repeatOfId: string | null;
  receiptEntryId: number | null;
  counts: { reopen: number; rework: number; extension: number; return: number; escalation: number };
  whistled: boolean;
  submittedAt: string;
  registeredAt: string | null;
  dispatchedAt: string | null;
  receivedAt: string | null;
  feedbackAt: string | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  responseDueAt: string | null;
  handleDueAt: string | null;
  overdue: boolean;
  rating: string | null;
  resolved: boolean | null;
  ratedAt: string | null;
  /** Photos of the case and the step each belongs to (the submission for the report's own). */
  photos: { id: string; eventId: number | null }[];
  timeline: TimelineEvent[];
  summons: {
    id: string;
    departmentOrgId: string;
    departmentName: string;
    status: string;
    reportInDueAt: string;
    reportedInAt: string | null;
    finishedAt: string | null;
    /** 代为登记 by the summoning side. */
    recordedOnBehalf: boolean;
    /** Why it was withdrawn or the department excused (staff only). */
    endReason: string | null;
    score: number | null;
  }[];
  extensions: {
    id: string;
    status: string;
    reason: string;
    extraValue: number;
    extraUnit: string;
    requestedAt: string;
    decidedAt: string | null;
    decisionNote: string | null;
    newDueAt: string | null;
  }[];
  abilities: Record<string, boolean>;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Staff reading (not only as the reporter): area readers in scope, departments on the case. */
function readsAsStaff(actor: Actor, record: CaseRecord): boolean {
  return casePolicy.read(actor, { ...record, reporterUserId: null });
}

async function abilitiesOf(db: Db, actor: Actor, row: CaseRow, record: CaseRecord): Promise<Record<string, boolean>> {
  const status = row.status as CaseStatus;
  const out: Record<string, boolean> = {};
  for (const action of lifecycleActions) {
    const machine = action === "unpark" ? status === "parked" : nextStatus(status, action) !== null;
    out[action] = machine && casePolicy[actionRule[action]!](actor, record);
  }
  // Guards the page can know in advance, so it does not offer a step that would fail.
  out.reopen = out.reopen === true && row.reopenCount === 0 && row.rating === "dissatisfied";
  // Separation of duties: the author of the latest 反馈 is not offered its 核查 (../verification.ts).
  if ((out.verifyPass || out.verifyFail) && (await isOwnFeedback(db, actor, row.id))) {
    out.verifyPass = false;
    out.verifyFail = false;
  }
  if (out.close || out.requestExtension || out.approveExtension || out.declineExtension) {
    const [pending] = await db.select({ id: caseExtensions.id }).from(caseExtensions).where(and(eq(caseExtensions.caseId, row.id), eq(caseExtensions.status, "pending")));
    out.requestExtension = out.requestExtension === true && !pending;
    out.approveExtension = out.approveExtension === true && !!pending;
    out.declineExtension = out.declineExtension === true && !!pending;
    if (out.close) out.close = (await unfinishedSummonsCount(db, row.id)) === 0;
  }
  out.revealContact = casePolicy.revealContact(actor, record) && row.contactPhoneEnc !== null;
  out.whistle = nextStatus(status, "whistle") !== null && maySummon(actor, row.areaPath);
  out.merge = nextStatus(status, "merge") !== null && casePolicy.dispatch(actor, record);
  return out;
}


/** One case as the actor may see it; 404 when the actor may not read it. */
export async function getCaseDetail(db: Db, actor: Actor, id: string, now = new Date()): Promise<CaseDetail> {
  const [row] = await db.select().from(cases).where(eq(cases.id, id));
  if (!row) throw new AppError("not_found");
  const record = await loadCaseRecord(db, row);
  authorize(actor, "read", record, casePolicy);
  return presentCase(db, actor, row, record, now);
}

async function presentCase(db: Db, actor: Actor, row: CaseRow, record: CaseRecord, now: Date): Promise<CaseDetail> {
  const staff = readsAsStaff(actor, record);
  const isReporter = row.reporterUserId !== null && row.reporterUserId === actor.userId;
  const contactAllowed = casePolicy.revealContact(actor, record);
  const orgs = departmentOrgIds(actor);
  const onCase = orgs.some((o) => o === record.handlingOrgId || record.summonedOrgIds.includes(o));

  const parent = alias(caseCategories, "parent");
  const [cat] = await db
    .select({ c: caseCategories, p: { id: parent.id, code: parent.code, name: parent.name } })
    .from(caseCategories)
    .leftJoin(parent, eq(parent.id, caseCategories.parentId))
    .where(eq(caseCategories.id, row.categoryId));

  const eventRows = await db
    .select()
    .from(caseEvents)
    .where(staff ? eq(caseEvents.caseId, row.id) : and(eq(caseEvents.caseId, row.id), eq(caseEvents.visibleToReporter, true)))
    .orderBy(asc(caseEvents.id));
  const timeline: TimelineEvent[] = eventRows.map((e) => ({
    id: e.id,
    at: e.at.toISOString(),
    action: e.action,
    actionLabel: e.action === "submit" ? { zh: "提交", en: "Submitted" } : (actionLabels[e.action as CaseAction] ?? { zh: e.action, en: e.action }),
    // A resident's name never shows on the timeline.
    actorLabel: e.actorUserId !== null && e.actorUserId === row.reporterUserId ? "反映人" : e.actorLabel,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    fromLevel: e.fromLevel,
    toLevel: e.toLevel,
    note: e.note,
    evidence: e.evidence,
    data: e.data,
  }));

  const photoRows = await db.select({ id: casePhotos.id }).from(casePhotos).where(eq(casePhotos.caseId, row.id)).orderBy(asc(casePhotos.createdAt));
  const eventOfPhoto = new Map<string, number>();
  for (const e of eventRows) for (const p of e.evidence) eventOfPhoto.set(p, e.id);
  const submitEvent = eventRows.find((e) => e.action === "submit")?.id ?? null;
  const allEvidence = new Set<string>();
  if (!staff) {
    const all = await db.select({ evidence: caseEvents.evidence }).from(caseEvents).where(eq(caseEvents.caseId, row.id));
    for (const e of all) for (const p of e.evidence) allEvidence.add(p);
  }
  const photos = photoRows
    // Photos of steps hidden from the reporter stay hidden too.
    .filter((p) => staff || eventOfPhoto.has(p.id) || !allEvidence.has(p.id))
    .map((p) => ({ id: p.id, eventId: eventOfPhoto.get(p.id) ?? submitEvent }));

  const summonsRows = staff || isReporter ? await db.select().from(caseSummons).where(eq(caseSummons.caseId, row.id)).orderBy(asc(caseSummons.createdAt)) : [];
  const extensions = staff ? await db.select().from(caseExtensions).where(eq(caseExtensions.caseId, row.id)).orderBy(asc(caseExtensions.createdAt)) : [];
  // The names of the departments summoned and handling, and of the case's areas: one query each.
  const orgNames = await organizationNames(db, [row.handlingOrgId, ...summonsRows.map((s) => s.departmentOrgId)]);
  const summons = summonsRows.map((s) => ({ s, name: orgNames.get(s.departmentOrgId) ?? null }));
  const org = row.handlingOrgId && orgNames.has(row.handlingOrgId) ? { id: row.handlingOrgId, name: orgNames.get(row.handlingOrgId)! } : undefined;
  const areaNamesOf = await areaNames(db, [row.gridId, row.communityId, row.streetId, row.handlingAreaId]);
  const namedArea = (id: string | null) => (id && areaNamesOf.has(id) ? { id, name: areaNamesOf.get(id)! } : null);
  const [assignee] = staff && row.assigneeUserId ? await db.select({ id: users.id, name: users.displayName }).from(users).where(eq(users.id, row.assigneeUserId)) : [];

  const c = cat?.c;
  return {
    id: row.id,
    caseNo: row.caseNo,
    source: row.source,
    urgency: row.urgency,
    description: row.description,
    status: row.status as CaseStatus,
    statusLabel: statusLabels[row.status as CaseStatus],
    level: row.level,
    levelLabel: levelLabels[row.level],
    category: {
      id: row.categoryId,
      code: row.categoryCode,
      name: c?.name ?? row.categoryCode,
      parent: cat?.p?.id ? { id: cat.p.id, code: cat.p.code, name: cat.p.name } : null,
      responseLimit: c?.responseLimitValue != null && c.responseLimitUnit ? { value: c.responseLimitValue, unit: c.responseLimitUnit } : null,
      handleLimit: c?.handleLimitValue != null && c.handleLimitUnit ? { value: c.handleLimitValue, unit: c.handleLimitUnit } : null,
      firstLevel: c?.firstLevel ?? null,
    },
    grid: namedArea(row.gridId) ?? { id: row.gridId, name: "" },
    community: namedArea(row.communityId),
    street: namedArea(row.streetId),
    handlingArea: namedArea(row.handlingAreaId),
    handlingOrg: org ?? null,
    assignee: assignee ?? null,
    lng: row.lng,
    lat: row.lat,
    buildingId: row.buildingId,
    locationText: isReporter || contactAllowed || onCase ? row.locationText : null,
    answers: isReporter || contactAllowed || onCase ? answersOf(c?.attributes ?? [], row.attributes) : [],
    reporter:
      contactAllowed || isReporter
        ? {
            anonymous: row.anonymous,
            name: row.anonymous ? "匿名" : row.contactName ? maskName(row.contactName) : null,
            phoneMasked: row.contactPhoneMasked,
            hasPhone: row.contactPhoneEnc !== null,
          }
        : null,
    anonymous: row.anonymous,
    externalRef: staff ? row.externalRef : null,
    rejectReason: row.rejectReason,
    mergedIntoId: row.mergedIntoId,
    repeatOfId: staff ? row.repeatOfId : null,
    receiptEntryId: isReporter || staff ? row.receiptEntryId : null,
    counts: { reopen: row.reopenCount, rework: row.reworkCount, extension: row.extensionCount, return: row.returnCount, escalation: row.escalationCount },
    whistled: row.whistled,
    submittedAt: row.submittedAt.toISOString(),
    registeredAt: iso(row.registeredAt),
    dispatchedAt: iso(row.dispatchedAt),
    receivedAt: iso(row.receivedAt),
    feedbackAt: iso(row.feedbackAt),
    closedAt: iso(row.closedAt),
    closedOnTime: row.closedOnTime,
    responseDueAt: iso(row.responseDueAt),
    handleDueAt: iso(row.handleDueAt),
    overdue: isOverdue(row, now),
    rating: row.rating,
    resolved: row.resolved,
    ratedAt: iso(row.ratedAt),
    photos,
    timeline,
    summons: summons.map(({ s, name }) => ({
      id: s.id,
      departmentOrgId: s.departmentOrgId,
      departmentName: name ?? "",
      status: s.status,
      reportInDueAt: s.reportInDueAt.toISOString(),
      reportedInAt: iso(s.reportedInAt),
      finishedAt: iso(s.finishedAt),
      recordedOnBehalf: s.recordedOnBehalf,
      endReason: staff ? s.endReason : null,
      score: staff ? s.score : null,
    })),
    extensions: extensions.map((e) => ({
      id: e.id,
      status: e.status,
      reason: e.reason,
      extraValue: e.extraValue,
      extraUnit: e.extraUnit,
      requestedAt: e.createdAt.toISOString(),
      decidedAt: iso(e.decidedAt),
      decisionNote: e.decisionNote,
      newDueAt: iso(e.newDueAt),
    })),
    abilities: await abilitiesOf(db, actor, row, record),
  };
}

// ——— 查看联系电话 ———

export interface ContactReveal {
  name: string | null;
  phone: string | null;
  expiresAt: string;
}

/** The stored answers as text under their questions: choices by name, date-times in China time. */
export function answersOf(questions: readonly CategoryAttribute[], stored: Record<string, unknown>): CaseDetail["answers"] {
  const out: CaseDetail["answers"] = [];
  for (const q of [...questions].sort((a, b) => a.order - b.order)) {
    const v = stored[q.code];
    if (!q.variable || v === undefined || v === null || v === "") continue;
    const names = new Map((q.values ?? []).map((x) => [x.key, x.name]));
    const texts = (Array.isArray(v) ? v : [v]).map((x) => String(x));
    const answer =
      q.datatype === "singlevaluelist" || q.datatype === "multivaluelist"
        ? texts.map((k) => names.get(k) ?? k).join("、")
        : q.datatype === "datetime"
          ? texts.map((x) => chinaDateTimeText(x)).join("、")
          : texts.join("、");
    out.push({ code: q.code, question: q.description, answer });
  }
  return out;
}

/** "2026-03-01T00:00:00Z" → "2026-03-01 08:00" (China time); other text as it is. */
function chinaDateTimeText(iso: string): string {
  const china = isoChina(iso);
  return china ? `${china.slice(0, 10)} ${china.slice(11, 16)}` : iso;
}

/**
 * The reporter's phone in clear for a handler or dispatcher, for a stated purpose (回访, 核实),
 * kept in `pii_reveals` and audited like a person's reveal. The name stays hidden when anonymous.
 */
export async function revealCaseContact(db: Db, keyring: DataKeyring, actor: Actor, id: string, purpose: string, now = new Date()): Promise<ContactReveal> {
  const checked = validatePurpose(purpose);
  if (!checked.ok) throw new AppError("validation_failed", { detail: checked.message }, "purpose");
  return db.transaction(async (tx) => {
    const row = await lockCase(tx, id);
    const record = await loadCaseRecord(tx, row);
    authorize(actor, "revealContact", record, casePolicy);
    const expiresAt = new Date(now.getTime() + revealWindowMs);
    await recordPiiReveal(tx, { userId: actor.userId, entityType: "case", entityId: id, field: "phone", purpose: checked.purpose, grantedAt: now, expiresAt });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "case.reveal",
      entityType: "case",
      entityId: id,
      change: { field: "phone", purpose: checked.purpose },
      summary: { caseNo: row.caseNo, field: "phone" },
    });
    return {
      name: row.anonymous ? null : row.contactName,
      phone: row.contactPhoneEnc ? decryptField(keyring, row.contactPhoneEnc, contactPhoneContext) : null,
      expiresAt: expiresAt.toISOString(),
    };
  });
}

/** The detail after a step, read in the step's transaction. */
export async function caseDetailAfter(tx: Db, actor: Actor, row: CaseRow): Promise<CaseDetail> {
  const record = await loadCaseRecord(tx, row);
  // No read check: the actor has just acted on the case in this request.
  return presentCase(tx, actor, row, record, new Date());
}
