/**
 * 街乡吹哨、部门报到: a street or community official "blows the whistle" on a case and summons one
 * or more departments; each must report in 报到 before its deadline, then record its part (办结);
 * the case cannot close while any summons is unfinished (事不完、人不走 — checked by the close in
 * lifecycle/lifecycle.ts); the summoning side rates each department's part (1–5).
 *
 * Every step that touches the case goes through `applyTransition` (timeline + audit + effects);
 * scoring does not change the case and is audited on its own.
 */
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../../../platform/auth/actor.js";
import { areaIdsUnder, type Db } from "../../../platform/db/index.js";
import { AppError, type Bilingual } from "../../../platform/errors.js";
import { recordAudit } from "../../../platform/audit/service.js";
import { orgsWithActiveLogin } from "../../../platform/auth/service.js";
import { authorize, escapeLike, grantsWith } from "../../../platform/policy/index.js";
import type { TimeLimit, TimeLimitUnit } from "../../../platform/calendar/index.js";
import { areaNames, areaPath, namedAreas } from "../../areas/index.js";
import { organizationNames, summonability, summonableDepartments } from "../../orgs/index.js";
import { orderByName } from "../names.js";
import { applyTransition, caseActorOf, lockCase, type CaseRow } from "../core.js";
import { dueAfter } from "../calendar.js";
import { attachPhotos } from "../photos.js";
import { actionLabels, caseStatuses, nextStatus, statusLabels, type CaseStatus } from "../machine.js";
import { authorizeSummons, casePolicy, departmentOrgIds, isSummoningSide, loadCaseRecord, overseerRoles, readsSummons, summonerRoles, summoningGrant, summonsAbilities, type SummonsRecord } from "../policy.js";

import { caseCategories, cases, caseSummons, caseTimers, caseWhistles } from "../schema.js";

/**
 * A summons waits (summoned, reportedIn) until the department finishes its part, the summoning side
 * records it on the department's behalf (finished, `recordedOnBehalf`), or the summoning side ends it
 * without that part: withdrawn 撤回 (the summons was not needed) or excused 免除 (the department is
 * let off, e.g. it cannot act on it). Only the waiting ones keep a case from closing.
 */
export type SummonsStatus = "summoned" | "reportedIn" | "finished" | "withdrawn" | "excused";
export const summonsStatuses: readonly SummonsStatus[] = ["summoned", "reportedIn", "finished", "withdrawn", "excused"];
/** Statuses in which the summons still waits for the department (事不完、人不走). */
export const waitingSummonsStatuses: readonly SummonsStatus[] = ["summoned", "reportedIn"];


/** 2 个工作小时 unless the whistle says otherwise. */
export const defaultReportInLimit: TimeLimit = { value: 2, unit: "workingHours" };
export const maxDepartmentsPerWhistle = 10;
export const maxEvidencePhotos = 9;

export interface WhistleInput {
  departmentOrgIds: string[];
  reason: string;
  reportInLimit?: TimeLimit | undefined;
}

export interface WhistleView {
  id: string;
  caseId: string;
  areaId: string;
  areaName: string;
  reason: string;
  blownAt: string;
  reportInLimit: TimeLimit;
  summons: { id: string; departmentOrgId: string; departmentName: string; status: SummonsStatus; reportInDueAt: string }[];
}

export interface SummonsAbilities {
  read: boolean;
  reportIn: boolean;
  finish: boolean;
  score: boolean;
  /** The summoning side: 撤回, 免除, 代为登记 while the summons waits. */
  withdraw: boolean;
  excuse: boolean;
  recordOnBehalf: boolean;
}

/** One summons as queues show it: the department, the whistle, the case in short, and the deadline. */
export interface SummonsItem {
  id: string;
  whistleId: string;
  status: SummonsStatus;
  departmentOrgId: string;
  departmentName: string;
  reportInDueAt: string;
  reportedInAt: string | null;
  reportedInOnTime: boolean | null;
  finishedAt: string | null;
  finishNote: string | null;
  evidence: string[];
  /** 代为登记: the part was recorded by the summoning side for the department. */
  recordedOnBehalf: boolean;
  /** Withdrawn or excused: when and why. */
  endedAt: string | null;
  endReason: string | null;
  score: number | null;
  scoreNote: string | null;
  scoredAt: string | null;
  createdAt: string;
  /** Not reported in and the report-in deadline has passed. */
  overdue: boolean;
  whistle: { areaId: string; areaName: string; reason: string; blownAt: string };
  case: { id: string; caseNo: string; categoryName: string; status: string; statusLabel: Bilingual; gridName: string; summary: string };
  abilities: SummonsAbilities;
}

// ———————————————————————————————————————— checks

const stepLabels = {
  reportIn: { code: "reportIn", zh: "报到", en: "report in" },
  finish: { code: "finish", zh: "办结", en: "finish" },
  score: { code: "score", zh: "评分", en: "score" },
  withdraw: { code: "withdraw", zh: "撤回召集", en: "withdraw" },
  excuse: { code: "excuse", zh: "免予报到", en: "excuse" },
  recordOnBehalf: { code: "recordOnBehalf", zh: "代为登记", en: "record on behalf" },
} satisfies Record<string, Bilingual>;

function summonsInvalid(detail: { zh: string; en: string }, field = "departmentOrgIds"): AppError {
  return new AppError("case_summons_invalid", { detail: { code: "detail", ...detail } }, field);
}

function stepInvalid(step: keyof typeof stepLabels, detail: { zh: string; en: string }): AppError {
  return new AppError("case_summons_step_invalid", { action: stepLabels[step], detail: { code: "detail", ...detail } });
}

function cleanText(value: string | null | undefined, field: string, max: number, required: boolean): string | null {
  const v = value?.trim() ?? "";
  if (!v) {
    if (required) throw new AppError("validation_failed", { detail: field }, field);
    return null;
  }
  if (v.length > max) throw new AppError("validation_failed", { detail: field }, field);
  return v;
}

function checkReportInLimit(limit: TimeLimit): TimeLimit {
  const units: TimeLimitUnit[] = ["workingHours", "workingDays", "naturalHours"];
  const ok =
    units.includes(limit.unit) &&
    Number.isFinite(limit.value) &&
    limit.value > 0 &&
    (limit.unit === "workingDays" ? Number.isInteger(limit.value) && limit.value <= 10 : limit.value <= 72);
  if (!ok) {
    throw summonsInvalid(
      { zh: "报到时限应大于零，按工作日计时不超过 10 个工作日，按小时计时不超过 72 小时", en: "the report-in limit must be above zero, at most 10 working days or 72 hours" },
      "reportInLimit",
    );
  }
  return limit;
}

/** The status check of the state machine, before anything else is looked at. */
function assertAllowed(row: CaseRow, action: "whistle" | "reportIn" | "finishSummons" | SummoningSideAction): void {
  const from = row.status as CaseStatus;
  if (!nextStatus(from, action)) {
    throw new AppError("case_illegal_transition", { action: { code: action, ...actionLabels[action] }, status: { code: from, ...statusLabels[from] } });
  }
}

// ———————————————————————————————————————— whistle

/** 吹哨: summons departments to an active case; one transaction for the whistle, its summons, their timers and the timeline step. */
export async function blowWhistle(db: Db, actor: Actor, caseId: string, input: WhistleInput): Promise<WhistleView> {
  const reason = cleanText(input.reason, "reason", 500, true)!;
  const limit = checkReportInLimit(input.reportInLimit ?? defaultReportInLimit);
  const ids = input.departmentOrgIds;
  if (ids.length === 0 || ids.length > maxDepartmentsPerWhistle) {
    throw summonsInvalid({ zh: `请选择 1 至 ${maxDepartmentsPerWhistle} 个职能部门`, en: `choose 1 to ${maxDepartmentsPerWhistle} departments` });
  }
  if (new Set(ids).size !== ids.length) throw summonsInvalid({ zh: "同一个部门选了两次", en: "a department is listed twice" });

  const whistleId = await db.transaction(async (tx) => {
    const row = await lockCase(tx, caseId);
    authorize(actor, "read", await loadCaseRecord(tx, row), casePolicy);
    const grant = summoningGrant(actor, row.areaPath);
    if (!grant) throw new AppError("forbidden");
    assertAllowed(row, "whistle");

    // Departments (kind department, not dissolved) whose area is the case's district or above, or has none.
    const found = await summonability(tx, ids, row.areaPath);
    const byId = new Map(found.map((o) => [o.id, o]));
    for (const id of ids) {
      const o = byId.get(id);
      if (!o) throw summonsInvalid({ zh: "所选部门不存在", en: "a chosen department does not exist" });
      if (!o.summonable) {
        throw summonsInvalid({ zh: `「${o.name}」不是本区可召集的职能部门（或已撤销）`, en: `${o.name} is not a department this district can summon (or it was dissolved)` });
      }
    }
    const open = await tx
      .select({ orgId: caseSummons.departmentOrgId })
      .from(caseSummons)
      .where(and(eq(caseSummons.caseId, row.id), inArray(caseSummons.departmentOrgId, ids), inArray(caseSummons.status, [...waitingSummonsStatuses])));
    if (open.length > 0) {
      const name = byId.get(open[0]!.orgId)!.name;
      throw summonsInvalid({ zh: `「${name}」已被召集到本案，尚未办结`, en: `${name} is already summoned to this case and has not finished` });
    }

    const now = new Date();
    const dueAt = dueAfter(now, limit.value, limit.unit)!;
    const [w] = await tx.insert(caseWhistles).values({ caseId: row.id, areaId: grant.areaId, blownBy: actor.userId, reason, blownAt: now }).returning({ id: caseWhistles.id });
    const departments = ids.map((id) => ({ id, name: byId.get(id)!.name }));
    const summons = await tx
      .insert(caseSummons)
      .values(departments.map((d) => ({ whistleId: w!.id, caseId: row.id, departmentOrgId: d.id, reportInDueAt: dueAt, createdAt: now })))
      .returning({ id: caseSummons.id });
    await tx.insert(caseTimers).values(summons.map((s) => ({ caseId: row.id, kind: "reportInDue", summonsId: s.id, dueAt })));
    await applyTransition(tx, caseActorOf(actor), row, "whistle", {
      note: reason,
      data: { whistleId: w!.id, departments, reportInLimit: limit, reportInDueAt: dueAt.toISOString() },
      patch: { whistled: true },
    });
    return w!.id;
  });
  return getWhistle(db, whistleId, limit);
}

async function getWhistle(db: Db, id: string, reportInLimit: TimeLimit): Promise<WhistleView> {
  const [whistle] = await db.select().from(caseWhistles).where(eq(caseWhistles.id, id));
  const areaName = whistle && (await areaNames(db, [whistle.areaId])).get(whistle.areaId);
  if (!whistle || areaName === undefined) throw new AppError("not_found");
  const rows = await db
    .select({ id: caseSummons.id, departmentOrgId: caseSummons.departmentOrgId, status: caseSummons.status, reportInDueAt: caseSummons.reportInDueAt })
    .from(caseSummons)
    .where(eq(caseSummons.whistleId, id));
  // By department name; a summons of a department that no longer exists is not shown.
  const names = await organizationNames(db, rows.map((x) => x.departmentOrgId));
  const summons = orderByName(rows, (x) => x.departmentOrgId, names).filter((x) => names.has(x.departmentOrgId));
  return {
    id: whistle.id,
    caseId: whistle.caseId,
    areaId: whistle.areaId,
    areaName,
    reason: whistle.reason,
    blownAt: whistle.blownAt.toISOString(),
    reportInLimit,
    summons: summons.map((x) => ({ ...x, departmentName: names.get(x.departmentOrgId)!, reportInDueAt: x.reportInDueAt.toISOString() })),
  };
}

// ———————————————————————————————————————— report in, finish, score

interface LockedSummons {
  row: typeof caseSummons.$inferSelect;
  departmentName: string;
  whistleAreaPath: string;
  kase: CaseRow;
}

/** Locks the case, then the summons (always in that order, as every case step does). */
async function lockSummons(tx: Db, summonsId: string): Promise<LockedSummons> {
  const [head] = await tx.select({ caseId: caseSummons.caseId }).from(caseSummons).where(eq(caseSummons.id, summonsId));
  if (!head) throw new AppError("not_found");
  const kase = await lockCase(tx, head.caseId);
  const [s] = await tx
    .select({ row: caseSummons, whistleAreaId: caseWhistles.areaId })
    .from(caseSummons)
    .innerJoin(caseWhistles, eq(caseWhistles.id, caseSummons.whistleId))
    .where(eq(caseSummons.id, summonsId))
    .for("update", { of: caseSummons });
  if (!s) throw new AppError("not_found");
  const departmentName = (await organizationNames(tx, [s.row.departmentOrgId])).get(s.row.departmentOrgId);
  const whistleAreaPath = await areaPath(tx, s.whistleAreaId);
  if (departmentName === undefined || whistleAreaPath === undefined) throw new AppError("not_found");
  return { row: s.row, departmentName, whistleAreaPath, kase };
}

function recordOf(s: LockedSummons): SummonsRecord {
  return {
    departmentOrgId: s.row.departmentOrgId,
    whistleAreaPath: s.whistleAreaPath,
    caseAreaPath: s.kase.areaPath,
    status: s.row.status,
    caseStatus: s.kase.status,
    score: s.row.score,
  };
}

async function cancelReportInTimer(tx: Db, summonsId: string, now: Date): Promise<void> {
  await tx
    .update(caseTimers)
    .set({ cancelledAt: now })
    .where(and(eq(caseTimers.summonsId, summonsId), eq(caseTimers.kind, "reportInDue"), isNull(caseTimers.firedAt), isNull(caseTimers.cancelledAt)));
}

/** 报到: the summoned department answers the whistle; on time when before the report-in deadline. */
export async function reportIn(db: Db, actor: Actor, summonsId: string, input: { note?: string | null | undefined } = {}): Promise<SummonsItem> {
  const note = cleanText(input.note, "note", 500, false);
  await db.transaction(async (tx) => {
    const s = await lockSummons(tx, summonsId);
    authorizeSummons(actor, recordOf(s), departmentOrgIds(actor).includes(s.row.departmentOrgId));
    if (s.row.status !== "summoned") throw stepInvalid("reportIn", { zh: "该部门已经报到过了", en: "the department has already reported in" });
    assertAllowed(s.kase, "reportIn");
    const now = new Date();
    const onTime = now.getTime() <= s.row.reportInDueAt.getTime();
    await tx.update(caseSummons).set({ status: "reportedIn", reportedInAt: now, reportedInBy: actor.userId }).where(eq(caseSummons.id, s.row.id));
    // The report-in deadline no longer applies once the department has answered.
    await cancelReportInTimer(tx, s.row.id, now);
    await applyTransition(tx, caseActorOf(actor), s.kase, "reportIn", {
      note,
      data: { summonsId: s.row.id, department: { id: s.row.departmentOrgId, name: s.departmentName }, onTime },
    });
  });
  return getSummons(db, actor, summonsId);
}

/** 办结: the department records its part, with a note and optional photos it uploaded for it. */
export async function finishSummons(
  db: Db,
  actor: Actor,
  summonsId: string,
  input: { note: string; evidence?: string[] | undefined },
): Promise<SummonsItem> {
  const note = cleanText(input.note, "note", 1000, true)!;
  const evidence = [...new Set(input.evidence ?? [])];
  if (evidence.length > maxEvidencePhotos) throw new AppError("validation_failed", { detail: "evidence" }, "evidence");
  await db.transaction(async (tx) => {
    const s = await lockSummons(tx, summonsId);
    authorizeSummons(actor, recordOf(s), departmentOrgIds(actor).includes(s.row.departmentOrgId));
    if (s.row.status === "summoned") throw stepInvalid("finish", { zh: "部门还没有报到，请先报到", en: "the department has not reported in yet" });
    if (s.row.status === "finished") throw stepInvalid("finish", { zh: "该部门已经办结", en: "the department has already finished" });
    assertAllowed(s.kase, "finishSummons");
    await attachPhotos(tx, actor.userId, s.kase.id, evidence).catch((e: unknown) => {
      // The field of this request is `evidence`.
      throw e instanceof AppError && e.code === "case_photo_invalid" ? new AppError(e.code, e.params, "evidence") : e;
    });
    const now = new Date();
    await tx
      .update(caseSummons)
      .set({ status: "finished", finishedAt: now, finishedBy: actor.userId, finishNote: note, evidence })
      .where(eq(caseSummons.id, s.row.id));
    await applyTransition(tx, caseActorOf(actor), s.kase, "finishSummons", {
      note,
      evidence,
      data: { summonsId: s.row.id, department: { id: s.row.departmentOrgId, name: s.departmentName } },
    });
  });
  return getSummons(db, actor, summonsId);
}

type SummoningSideAction = "withdrawSummons" | "excuseSummons" | "recordSummonsOnBehalf";

/** The summoning side may end or record a summons only while it waits for the department. */
function assertWaiting(s: LockedSummons, step: "withdraw" | "excuse" | "recordOnBehalf"): void {
  if (!waitingSummonsStatuses.includes(s.row.status)) {
    const ended = { finished: "已办结", withdrawn: "已撤回", excused: "已免予报到" } as Record<string, string>;
    throw stepInvalid(step, { zh: `该召集${ended[s.row.status] ?? "已结束"}，不能再操作`, en: `the summons is already ${s.row.status}` });
  }
}

/**
 * 撤回 / 免除: the summoning street or community ends a waiting summons without the department's
 * part, with a reason; the case may then close (事不完、人不走 counts only waiting summons).
 * Withdrawn = the summons was not needed; excused = the department is let off (e.g. it has no one
 * who can act on it). Both stay on the timeline and in the queue under their own status.
 */
export async function endSummons(
  db: Db,
  actor: Actor,
  summonsId: string,
  input: { as: "withdrawn" | "excused"; reason: string },
): Promise<SummonsItem> {
  const reason = cleanText(input.reason, "reason", 500, true)!;
  const step = input.as === "withdrawn" ? "withdraw" : "excuse";
  const action: SummoningSideAction = input.as === "withdrawn" ? "withdrawSummons" : "excuseSummons";
  await db.transaction(async (tx) => {
    const s = await lockSummons(tx, summonsId);
    authorizeSummons(actor, recordOf(s), isSummoningSide(actor, s.whistleAreaPath));
    assertWaiting(s, step);
    assertAllowed(s.kase, action);
    const now = new Date();
    await tx.update(caseSummons).set({ status: input.as, endedAt: now, endedBy: actor.userId, endReason: reason }).where(eq(caseSummons.id, s.row.id));
    await cancelReportInTimer(tx, s.row.id, now);
    await applyTransition(tx, caseActorOf(actor), s.kase, action, {
      note: reason,
      data: { summonsId: s.row.id, department: { id: s.row.departmentOrgId, name: s.departmentName } },
    });
  });
  return getSummons(db, actor, summonsId);
}

/**
 * 代为登记: the summoning street or community records a department's part on its behalf (the
 * department did the work but has no one to record it), with a note and photos the official
 * uploaded. The summons is finished with `recordedOnBehalf`; figures count it apart from the
 * department's own 办结.
 */
export async function recordSummonsOnBehalf(
  db: Db,
  actor: Actor,
  summonsId: string,
  input: { note: string; evidence?: string[] | undefined },
): Promise<SummonsItem> {
  const note = cleanText(input.note, "note", 1000, true)!;
  const evidence = [...new Set(input.evidence ?? [])];
  if (evidence.length > maxEvidencePhotos) throw new AppError("validation_failed", { detail: "evidence" }, "evidence");
  await db.transaction(async (tx) => {
    const s = await lockSummons(tx, summonsId);
    authorizeSummons(actor, recordOf(s), isSummoningSide(actor, s.whistleAreaPath));
    assertWaiting(s, "recordOnBehalf");
    assertAllowed(s.kase, "recordSummonsOnBehalf");
    await attachPhotos(tx, actor.userId, s.kase.id, evidence).catch((e: unknown) => {
      throw e instanceof AppError && e.code === "case_photo_invalid" ? new AppError(e.code, e.params, "evidence") : e;
    });
    const now = new Date();
    await tx
      .update(caseSummons)
      .set({ status: "finished", finishedAt: now, finishedBy: actor.userId, finishNote: note, evidence, recordedOnBehalf: true })
      .where(eq(caseSummons.id, s.row.id));
    await cancelReportInTimer(tx, s.row.id, now);
    await applyTransition(tx, caseActorOf(actor), s.kase, "recordSummonsOnBehalf", {
      note,
      evidence,
      data: { summonsId: s.row.id, department: { id: s.row.departmentOrgId, name: s.departmentName }, onBehalf: true },
    });
  });
  return getSummons(db, actor, summonsId);
}

/** 评分: the summoning street or community rates a department's finished part, once. */
export async function scoreSummons(
  db: Db,
  actor: Actor,
  summonsId: string,
  input: { score: number; note?: string | null | undefined },
): Promise<SummonsItem> {
  if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) throw new AppError("validation_failed", { detail: "score" }, "score");
  const note = cleanText(input.note, "note", 500, false);
  await db.transaction(async (tx) => {
    const s = await lockSummons(tx, summonsId);
    authorizeSummons(actor, recordOf(s), isSummoningSide(actor, s.whistleAreaPath));
    if (s.row.status !== "finished") throw stepInvalid("score", { zh: "部门还没有办结，办结后才能评分", en: "the department has not finished yet" });
    if (s.row.score !== null) throw stepInvalid("score", { zh: "已经评过分了，不能重复评分", en: "the department's part has already been scored" });
    const now = new Date();
    await tx.update(caseSummons).set({ score: input.score, scoreNote: note, scoredBy: actor.userId, scoredAt: now }).where(eq(caseSummons.id, s.row.id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "case.scoreSummons",
      entityType: "case",
      entityId: s.kase.id,
      change: { summonsId: s.row.id, departmentOrgId: s.row.departmentOrgId, score: input.score, note, at: now.toISOString() },
      summary: { caseNo: s.kase.caseNo, summonsId: s.row.id, score: input.score },
    });
  });
  return getSummons(db, actor, summonsId);
}

// ———————————————————————————————————————— queues

/** Summons the actor sees: their department's, those their street or community issued, and (overseers) those in their area. */
function visibleCondition(actor: Actor): SQL {
  const parts: SQL[] = [];
  const orgs = departmentOrgIds(actor);
  if (orgs.length > 0) parts.push(sql`${inArray(caseSummons.departmentOrgId, orgs)}`);
  for (const p of new Set(grantsWith(actor, summonerRoles).map((g) => g.areaPath!))) parts.push(sql`${caseWhistles.areaId} in ${areaIdsUnder(p)}`);
  for (const p of new Set(grantsWith(actor, overseerRoles).map((g) => g.areaPath!))) parts.push(sql`${cases.areaPath} like ${`${escapeLike(p)}%`}`);
  return parts.length === 0 ? sql`false` : sql`(${sql.join(parts, sql` or `)})`;
}

function summonsSelect(db: Db) {
  return db
    .select({
      s: caseSummons,
      whistleAreaId: caseWhistles.areaId,
      reason: caseWhistles.reason,
      blownAt: caseWhistles.blownAt,
      caseNo: cases.caseNo,
      caseStatus: cases.status,
      caseAreaPath: cases.areaPath,
      description: cases.description,
      categoryName: caseCategories.name,
      gridId: cases.gridId,
    })
    .from(caseSummons)
    .innerJoin(caseWhistles, eq(caseWhistles.id, caseSummons.whistleId))
    .innerJoin(cases, eq(cases.id, caseSummons.caseId))
    .innerJoin(caseCategories, eq(caseCategories.id, cases.categoryId));
}

type SummonsBaseRow = Awaited<ReturnType<ReturnType<typeof summonsSelect>["where"]>>[number];

interface SummonsRow extends SummonsBaseRow {
  departmentName: string;
  whistleAreaName: string;
  whistleAreaPath: string;
  gridName: string;
}

/**
 * The department, whistle area and grid of each summons, one query per kind for the whole list; a
 * summons whose department or areas no longer exist is left out (as the joins did).
 */
async function withNames(db: Db, list: readonly SummonsBaseRow[]): Promise<SummonsRow[]> {
  const departments = await organizationNames(db, list.map((r) => r.s.departmentOrgId));
  const areasById = await namedAreas(db, list.flatMap((r) => [r.whistleAreaId, r.gridId]));
  return list.flatMap((r) => {
    const departmentName = departments.get(r.s.departmentOrgId);
    const whistleArea = areasById.get(r.whistleAreaId);
    const grid = areasById.get(r.gridId);
    if (departmentName === undefined || !whistleArea || !grid) return [];
    return [{ ...r, departmentName, whistleAreaName: whistleArea.name, whistleAreaPath: whistleArea.path, gridName: grid.name }];
  });
}

function present(actor: Actor, r: SummonsRow, now: Date): SummonsItem {
  const s = r.s;
  const summary = r.description.length > 60 ? `${r.description.slice(0, 60)}…` : r.description;
  const label = statusLabels[r.caseStatus as CaseStatus] ?? { zh: r.caseStatus, en: r.caseStatus };
  return {
    id: s.id,
    whistleId: s.whistleId,
    status: s.status,
    departmentOrgId: s.departmentOrgId,
    departmentName: r.departmentName,
    reportInDueAt: s.reportInDueAt.toISOString(),
    reportedInAt: s.reportedInAt?.toISOString() ?? null,
    reportedInOnTime: s.reportedInAt ? s.reportedInAt.getTime() <= s.reportInDueAt.getTime() : null,
    finishedAt: s.finishedAt?.toISOString() ?? null,
    finishNote: s.finishNote,
    evidence: s.evidence,
    recordedOnBehalf: s.recordedOnBehalf,
    endedAt: s.endedAt?.toISOString() ?? null,
    endReason: s.endReason,
    score: s.score,
    scoreNote: s.scoreNote,
    scoredAt: s.scoredAt?.toISOString() ?? null,
    createdAt: s.createdAt.toISOString(),
    overdue: s.status === "summoned" && s.reportInDueAt.getTime() < now.getTime(),
    whistle: { areaId: r.whistleAreaId, areaName: r.whistleAreaName, reason: r.reason, blownAt: r.blownAt.toISOString() },
    case: { id: s.caseId, caseNo: r.caseNo, categoryName: r.categoryName, status: r.caseStatus, statusLabel: { code: r.caseStatus, ...label }, gridName: r.gridName, summary },
    abilities: summonsAbilities(actor, {
      departmentOrgId: s.departmentOrgId,
      whistleAreaPath: r.whistleAreaPath,
      caseAreaPath: r.caseAreaPath,
      status: s.status,
      caseStatus: r.caseStatus,
      score: s.score,
    }),
  };
}

export async function getSummons(db: Db, actor: Actor, id: string): Promise<SummonsItem> {
  const [r] = await withNames(db, await summonsSelect(db).where(eq(caseSummons.id, id)));
  if (!r || !readsSummons(actor, { departmentOrgId: r.s.departmentOrgId, whistleAreaPath: r.whistleAreaPath, caseAreaPath: r.caseAreaPath })) {
    throw new AppError("not_found");
  }
  return present(actor, r, new Date());
}

export interface SummonsFilter {
  status?: SummonsStatus | undefined;
  caseNo?: string | undefined;
  caseId?: string | undefined;
  /** Only summons not reported in whose deadline has passed. */
  overdue?: boolean | undefined;
  /**
   * Those waiting for the actor's step: reportIn 待报到 and finish 待办结 (their department's),
   * score 待评分 (finished, unscored, issued by their street or community) — as `summonsAbilities`.
   */
  mine?: SummonsQueue | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export type SummonsQueue = "reportIn" | "finish" | "score";

/** The case statuses in which a summons step is allowed (the state machine's `reportIn`, `finishSummons`). */
const statusesAllowing = (action: "reportIn" | "finishSummons") => caseStatuses.filter((st) => nextStatus(st, action) !== null);

/**
 * The queue's filters as SQL over summons joined to their whistle and case (`summonsFrom`):
 * `listSummons` and the home's to-dos count the same rows through it.
 */
export function summonsConditions(actor: Actor, filter: SummonsFilter): SQL[] {
  const conds: SQL[] = [visibleCondition(actor)];
  if (filter.status) conds.push(sql`${caseSummons.status} = ${filter.status}`);
  if (filter.caseNo?.trim()) conds.push(sql`${cases.caseNo} ilike ${`%${escapeLike(filter.caseNo.trim())}%`}`);
  if (filter.caseId) conds.push(sql`${caseSummons.caseId} = ${filter.caseId}`);
  if (filter.overdue) conds.push(sql`${caseSummons.status} = 'summoned' and ${caseSummons.reportInDueAt} < now()`);
  const orgs = departmentOrgIds(actor);
  const own = orgs.length > 0 ? inArray(caseSummons.departmentOrgId, orgs) : sql`false`;
  switch (filter.mine) {
    case "reportIn":
      conds.push(own, sql`${caseSummons.status} = 'summoned'`, inArray(cases.status, statusesAllowing("reportIn")));
      break;
    case "finish":
      conds.push(own, sql`${caseSummons.status} = 'reportedIn'`, inArray(cases.status, statusesAllowing("finishSummons")));
      break;
    case "score": {
      const sides = [...new Set(grantsWith(actor, summonerRoles).map((g) => g.areaPath!))];
      conds.push(
        sql`${caseSummons.status} = 'finished' and ${caseSummons.score} is null`,
        sides.length === 0 ? sql`false` : sql`(${sql.join(sides.map((p) => sql`${caseWhistles.areaId} in ${areaIdsUnder(p)}`), sql` or `)})`,
      );
      break;
    }
    case undefined:
      break;
  }
  return conds;
}

/** Summons joined to their whistle and case, for counting with `summonsConditions`. */
export function summonsFrom(db: Db, fields: Record<string, SQL<number>>) {
  return db.select(fields).from(caseSummons).innerJoin(caseWhistles, eq(caseWhistles.id, caseSummons.whistleId)).innerJoin(cases, eq(cases.id, caseSummons.caseId));
}

/**
 * The summons queue: department staff see their department's, street and community staff those
 * their area (or an area below it) issued, analysts those on cases in their area. Waiting ones
 * first by deadline, the rest newest first.
 */
export async function listSummons(db: Db, actor: Actor, filter: SummonsFilter = {}): Promise<{ items: SummonsItem[]; total: number }> {
  const where = and(...summonsConditions(actor, filter));
  const pageSize = filter.pageSize ?? 20;
  const page = filter.page ?? 1;
  const [count] = await summonsFrom(db, { n: sql<number>`count(*)::int` }).where(where);
  const pageRows = await summonsSelect(db)
    .where(where)
    .orderBy(
      sql`case ${caseSummons.status} when 'summoned' then 0 when 'reportedIn' then 1 else 2 end`,
      sql`case when ${caseSummons.status} in ('summoned', 'reportedIn') then ${caseSummons.reportInDueAt} end asc nulls last`,
      desc(caseSummons.createdAt),
      asc(caseSummons.id),
    )
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const list = await withNames(db, pageRows);
  const now = new Date();
  return { items: list.map((r) => present(actor, r, now)), total: Number(count?.n ?? 0) };
}

export interface DepartmentOption {
  id: string;
  name: string;
  areaId: string | null;
  areaName: string | null;
  /** Summoned to the given case and not finished yet (cannot be summoned again). */
  activeOnCase: boolean;
  /** Someone can log in for it (an enabled user with departmentStaff on it); without, a summons waits until the summoning side ends or records it. */
  hasActiveLogin: boolean;
}

/**
 * Departments the actor may summon: kind department, not dissolved, whose area is the actor's
 * district or above it (or unset). With `caseId`, those summoned to it and not finished are marked.
 */
export async function listDepartments(db: Db, actor: Actor, opts: { caseId?: string | undefined } = {}): Promise<DepartmentOption[]> {
  const grants = grantsWith(actor, summonerRoles);
  if (grants.length === 0) return [];
  let active = new Set<string>();
  if (opts.caseId) {
    const [row] = await db.select().from(cases).where(eq(cases.id, opts.caseId));
    authorize(actor, "read", row ? await loadCaseRecord(db, row) : undefined, casePolicy);
    const open = await db
      .select({ orgId: caseSummons.departmentOrgId })
      .from(caseSummons)
      .where(and(eq(caseSummons.caseId, opts.caseId), inArray(caseSummons.status, [...waitingSummonsStatuses])));
    active = new Set(open.map((o) => o.orgId));
  }
  const list = await summonableDepartments(db, grants.map((g) => g.areaPath!));
  const names = await areaNames(db, list.map((d) => d.areaId));
  const staffed = await orgsWithActiveLogin(db, list.map((d) => d.id));
  return list.map((d) => ({ ...d, areaName: d.areaId ? (names.get(d.areaId) ?? null) : null, activeOnCase: active.has(d.id), hasActiveLogin: staffed.has(d.id) }));
}

export interface SummonsStatsRow {
  departmentOrgId: string;
  departmentName: string;
  summoned: number;
  reportedIn: number;
  reportedInOnTime: number;
  /** Finished by the department itself. */
  finished: number;
  /** 代为登记: finished by the summoning side on the department's behalf (not in `finished`). */
  recordedOnBehalf: number;
  withdrawn: number;
  excused: number;
  scored: number;
  meanScore: number | null;
}

/** China-time bounds of a month "YYYY-MM". */
function monthBounds(month: string): { from: Date; to: Date } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const offset = 8 * 3600_000;
  return { from: new Date(Date.UTC(y, m - 1, 1) - offset), to: new Date(Date.UTC(y, m, 1) - offset) };
}

/**
 * Figures of the queue page's header: per department, the summons of a month (by whistle time,
 * China time) that the actor sees, optionally only on cases under `areaId`. The official monthly
 * measures (with formulas) are the measures module's.
 */
export async function summonsStats(db: Db, actor: Actor, opts: { month: string; areaId?: string | undefined }): Promise<{ month: string; items: SummonsStatsRow[] }> {
  const { from, to } = monthBounds(opts.month);
  const conds: SQL[] = [visibleCondition(actor), sql`${caseSummons.createdAt} >= ${from.toISOString()}`, sql`${caseSummons.createdAt} < ${to.toISOString()}`];
  if (opts.areaId) {
    const path = await areaPath(db, opts.areaId);
    if (path === undefined) throw new AppError("not_found");
    conds.push(sql`${cases.areaPath} like ${`${escapeLike(path)}%`}`);
  }
  const list = await db
    .select({
      departmentOrgId: caseSummons.departmentOrgId,
      summoned: sql<number>`count(*)::int`,
      reportedIn: sql<number>`count(${caseSummons.reportedInAt})::int`,
      reportedInOnTime: sql<number>`count(*) filter (where ${caseSummons.reportedInAt} <= ${caseSummons.reportInDueAt})::int`,
      finished: sql<number>`count(*) filter (where ${caseSummons.status} = 'finished' and not ${caseSummons.recordedOnBehalf})::int`,
      recordedOnBehalf: sql<number>`count(*) filter (where ${caseSummons.status} = 'finished' and ${caseSummons.recordedOnBehalf})::int`,
      withdrawn: sql<number>`count(*) filter (where ${caseSummons.status} = 'withdrawn')::int`,
      excused: sql<number>`count(*) filter (where ${caseSummons.status} = 'excused')::int`,
      scored: sql<number>`count(${caseSummons.score})::int`,
      meanScore: sql<number | null>`round(avg(${caseSummons.score})::numeric, 2)::float8`,
    })
    .from(caseSummons)
    .innerJoin(caseWhistles, eq(caseWhistles.id, caseSummons.whistleId))
    .innerJoin(cases, eq(cases.id, caseSummons.caseId))
    .where(and(...conds))
    .groupBy(caseSummons.departmentOrgId);
  // By department name; departments that no longer exist are left out (as the join did).
  const names = await organizationNames(db, list.map((r) => r.departmentOrgId));
  const named = orderByName(list, (r) => r.departmentOrgId, names).filter((r) => names.has(r.departmentOrgId));
  return {
    month: opts.month,
    items: named.map((r) => ({ departmentOrgId: r.departmentOrgId, departmentName: names.get(r.departmentOrgId)!, summoned: Number(r.summoned), reportedIn: Number(r.reportedIn), reportedInOnTime: Number(r.reportedInOnTime), finished: Number(r.finished), recordedOnBehalf: Number(r.recordedOnBehalf), withdrawn: Number(r.withdrawn), excused: Number(r.excused), scored: Number(r.scored), meanScore: r.meanScore === null ? null : Number(r.meanScore) })),
  };
}
