/**
 * The steps of a case's life (立案 → 派遣 → 签收 → 处置 → 反馈 → 核查 → 结案 → 评价, and the side
 * paths 退单, 上报/下派, 挂账, 撤销, 延期). Each function locks the case, authorizes the actor, checks
 * its own guards and then applies the transition through ../core.ts — the one path that writes the
 * status, the timeline row and the audit entry. Call them inside a transaction.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Actor } from "../../../platform/auth/actor.js";
import type { Db } from "../../../platform/db/index.js";
import { AppError, type Bilingual } from "../../../platform/errors.js";
import { authorize } from "../../../platform/policy/index.js";
import type { TimeLimitUnit } from "../../../platform/calendar/index.js";
import { isActiveDepartment } from "../../orgs/index.js";
import { applyTransition, caseActorOf, lockCase, type CaseActor, type CaseRow, type TransitionInput, type TransitionResult } from "../core.js";
import { checkAssignee } from "./assignees.js";
import { actionLabels, nextStatus, statusLabels, type CaseAction, type CaseStatus } from "../machine.js";
import { areaAtLevel, levelAbove, levelIndex, levelLabels } from "../levels.js";
import { casePolicy, loadCaseRecord, type CasePolicyAction, type CaseRecord } from "../policy.js";
import { caseCategories, caseExtensions, casePhotos, caseSummons, type CaseLevel, type CaseRating } from "../schema.js";
import { dueAfter } from "../calendar.js";
import { ensureNotOwnFeedback } from "../verification.js";

/** The policy rule that guards each step (`rate` and `reopen` are the reporter's own). */
export const actionRule: Partial<Record<CaseAction, CasePolicyAction>> = {
  register: "dispatch",
  reject: "dispatch",
  dispatch: "dispatch",
  receive: "handle",
  start: "handle",
  returnToDispatcher: "handle",
  feedback: "handle",
  verifyPass: "verify",
  verifyFail: "verify",
  close: "dispatch",
  rate: "rate",
  reopen: "rate",
  escalate: "escalate",
  sendDown: "dispatch",
  park: "dispatch",
  unpark: "dispatch",
  cancel: "cancel",
  requestExtension: "handle",
  approveExtension: "dispatch",
  declineExtension: "dispatch",
};

/** The state machine's verdict before any guard, so an illegal step always answers the same. */
function ensureAllowed(row: CaseRow, action: CaseAction): void {
  const from = row.status as CaseStatus;
  // unpark's target is looked up by core; "parked" is the only status it leaves from.
  const ok = action === "unpark" ? from === "parked" : nextStatus(from, action) !== null;
  if (!ok) throw new AppError("case_illegal_transition", { action: { code: action, ...actionLabels[action] }, status: { code: from, ...statusLabels[from] } });
}

interface Locked {
  row: CaseRow;
  record: CaseRecord;
}

/** Locks the case, answers 404 when the actor cannot read it and 403 when the rule forbids the step. */
async function lockFor(tx: Db, actor: Actor, caseId: string, action: CaseAction): Promise<Locked> {
  const row = await lockCase(tx, caseId);
  const record = await loadCaseRecord(tx, row);
  authorize(actor, actionRule[action] ?? "dispatch", record, casePolicy);
  ensureAllowed(row, action);
  return { row, record };
}

async function step(tx: Db, actor: Actor, caseId: string, action: CaseAction, input: (row: CaseRow) => Promise<TransitionInput> | TransitionInput): Promise<TransitionResult> {
  const { row } = await lockFor(tx, actor, caseId, action);
  return applyTransition(tx, caseActorOf(actor), row, action, await input(row));
}

async function categoryOf(tx: Db, row: CaseRow) {
  const [c] = await tx.select().from(caseCategories).where(eq(caseCategories.id, row.categoryId));
  return c ?? null;
}

function levelError(action: CaseAction, detail: Bilingual): AppError {
  return new AppError("case_level_invalid", { action: { code: action, ...actionLabels[action] }, detail });
}

async function ensureDepartment(tx: Db, action: CaseAction, orgId: string | null | undefined): Promise<string> {
  if (!orgId) throw levelError(action, { code: "department_required", zh: "派给职能部门时须选定部门", en: "a department must be chosen" });
  if (!(await isActiveDepartment(tx, orgId))) throw levelError(action, { code: "not_a_department", zh: "所选单位不是职能部门", en: "the chosen body is not a department" });
  return orgId;
}

/** Level, handling area and department of a case handled at `level`. */
function handlingAt(row: CaseRow, level: CaseLevel, orgId: string | null): Pick<CaseRow, "level" | "handlingAreaId" | "handlingOrgId"> {
  return { level, handlingAreaId: areaAtLevel(row.areaPath, level), handlingOrgId: level === "department" ? orgId : null };
}

// ——— 立案 / 不予受理 ———

export async function registerCase(tx: Db, actor: Actor, caseId: string, input: { note?: string | null } = {}): Promise<TransitionResult> {
  return step(tx, actor, caseId, "register", () => ({ note: input.note ?? null, patch: { registeredAt: new Date() } }));
}

export async function rejectCase(tx: Db, actor: Actor, caseId: string, input: { reason: string }): Promise<TransitionResult> {
  return step(tx, actor, caseId, "reject", () => ({ note: input.reason, patch: { rejectReason: input.reason } }));
}

// ——— 派遣 ———

/**
 * 派遣: to the case's grid, community or street, the district, or a department (which must be a
 * department organization). Without a level the case goes where it is routed now.
 */
export async function dispatchCase(
  tx: Db,
  actor: Actor,
  caseId: string,
  input: { level?: CaseLevel; orgId?: string | null; assigneeUserId?: string | null; note?: string | null } = {},
): Promise<TransitionResult> {
  return step(tx, actor, caseId, "dispatch", async (row) => {
    const level = input.level ?? row.level;
    const category = await categoryOf(tx, row);
    let orgId: string | null = null;
    if (level === "department") {
      orgId = await ensureDepartment(tx, "dispatch", input.orgId ?? row.handlingOrgId ?? category?.departmentOrgId);
    } else if (areaAtLevel(row.areaPath, level) === null) {
      throw levelError("dispatch", { code: "no_area", zh: `该案件所在位置没有${levelLabels[level].zh}一级`, en: `the case's place has no ${levelLabels[level].en.toLowerCase()} level` });
    }
    // 派遣到人: optionally one person who handles cases at that level there.
    const assigneeUserId = input.assigneeUserId ?? null;
    if (assigneeUserId) await checkAssignee(tx, row.areaPath, level, orgId, assigneeUserId);
    const now = new Date();
    return {
      note: input.note ?? null,
      data: { level, orgId, ...(assigneeUserId ? { assigneeUserId } : {}) },
      patch: {
        ...handlingAt(row, level, orgId),
        assigneeUserId,
        dispatchedAt: now,
        // The handling deadline runs from the first dispatch; a re-dispatch keeps it.
        handleDueAt: row.handleDueAt ?? dueAfter(now, category?.handleLimitValue, category?.handleLimitUnit),
      },
    };
  });
}

// ——— 签收 / 处置 / 退单 / 反馈 ———

/** 签收: the handler takes the case (and by rule contacts the reporter) — this is the response. */
export async function receiveCase(tx: Db, actor: Actor, caseId: string, input: { note?: string | null } = {}): Promise<TransitionResult> {
  return step(tx, actor, caseId, "receive", (row) => ({ note: input.note ?? null, patch: { receivedAt: row.receivedAt ?? new Date() } }));
}

export async function startCase(tx: Db, actor: Actor, caseId: string, input: { note?: string | null } = {}): Promise<TransitionResult> {
  return step(tx, actor, caseId, "start", () => ({ note: input.note ?? null }));
}

/** 退单: back to the dispatcher of the same level, who dispatches it again (elsewhere). */
export async function returnCase(tx: Db, actor: Actor, caseId: string, input: { reason: string }): Promise<TransitionResult> {
  return step(tx, actor, caseId, "returnToDispatcher", (row) => ({ note: input.reason, patch: { returnCount: row.returnCount + 1 } }));
}

/** 反馈: the handler's result; the photos must be the actor's own uploads not yet on a case. */
export async function feedbackCase(tx: Db, actor: Actor, caseId: string, input: { note: string; evidence?: string[] }): Promise<TransitionResult> {
  const { row } = await lockFor(tx, actor, caseId, "feedback");
  const evidence = [...new Set(input.evidence ?? [])];
  if (evidence.length > 0) {
    const found = await tx
      .select({ id: casePhotos.id })
      .from(casePhotos)
      .where(and(inArray(casePhotos.id, evidence), eq(casePhotos.uploadedBy, actor.userId), isNull(casePhotos.caseId)))
      .for("update");
    const ok = new Set(found.map((p) => p.id));
    const bad = evidence.find((id) => !ok.has(id));
    if (bad) throw new AppError("case_photo_invalid", { id: bad }, "evidence");
    await tx.update(casePhotos).set({ caseId: row.id }).where(inArray(casePhotos.id, evidence));
  }
  return applyTransition(tx, caseActorOf(actor), row, "feedback", { note: input.note, evidence, patch: { feedbackAt: new Date() } });
}

// ——— 核查 / 结案 ———

/**
 * 核查: pass, or fail with a reason (返工). The author of the latest 反馈 may not verify it
 * (../verification.ts): 403 case_self_verification, nothing changed.
 */
export async function verifyCase(tx: Db, actor: Actor, caseId: string, input: { passed: boolean; note?: string | null }): Promise<TransitionResult> {
  if (!input.passed && !input.note?.trim()) {
    throw new AppError("validation_failed", { detail: { code: "note_required", zh: "核查不通过时请写明原因", en: "say why the result is not accepted" } }, "note");
  }
  const action = input.passed ? "verifyPass" : "verifyFail";
  const { row } = await lockFor(tx, actor, caseId, action);
  await ensureNotOwnFeedback(tx, actor, row.id);
  if (input.passed) return applyTransition(tx, caseActorOf(actor), row, action, { note: input.note ?? null });
  // 返工: back to the handler, counted.
  return applyTransition(tx, caseActorOf(actor), row, action, { note: input.note!, patch: { reworkCount: row.reworkCount + 1 } });
}

/** Departments summoned to the case that have not finished their part (事不完、人不走). */
export async function unfinishedSummonsCount(tx: Db, caseId: string): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(caseSummons)
    .where(and(eq(caseSummons.caseId, caseId), inArray(caseSummons.status, ["summoned", "reportedIn"])));
  return Number(r?.n ?? 0);
}

export async function closeCase(tx: Db, actor: Actor, caseId: string, input: { note?: string | null } = {}): Promise<TransitionResult> {
  const { row } = await lockFor(tx, actor, caseId, "close");
  const open = await unfinishedSummonsCount(tx, row.id);
  if (open > 0) throw new AppError("case_summons_unfinished", { count: open });
  const closedAt = new Date();
  const closedOnTime = row.handleDueAt === null || closedAt.getTime() <= row.handleDueAt.getTime();
  return applyTransition(tx, caseActorOf(actor), row, "close", { note: input.note ?? null, data: { closedOnTime }, patch: { closedAt, closedOnTime } });
}

// ——— 回访评价 / 重办 ———

/** The reporter's own step: another reader gets 403 case_not_reporter, anyone else 404. */
async function lockForReporter(tx: Db, actor: Actor, caseId: string, action: "rate" | "reopen"): Promise<CaseRow> {
  const row = await lockCase(tx, caseId);
  const record = await loadCaseRecord(tx, row);
  authorize(actor, "read", record, casePolicy);
  if (!casePolicy.rate(actor, record)) throw new AppError("case_not_reporter");
  ensureAllowed(row, action);
  return row;
}

export async function rateCase(tx: Db, actor: Actor, caseId: string, input: { resolved: boolean; rating: CaseRating; comment?: string | null }): Promise<TransitionResult> {
  const row = await lockForReporter(tx, actor, caseId, "rate");
  return applyTransition(tx, caseActorOf(actor), row, "rate", {
    note: input.comment ?? null,
    data: { resolved: input.resolved, rating: input.rating },
    patch: { rating: input.rating, resolved: input.resolved, ratedAt: new Date() },
  });
}

/** 不满意重办: once, after a dissatisfied rating; back to the same handler with a fresh deadline. */
export async function reopenCase(tx: Db, actor: Actor, caseId: string, input: { reason: string }): Promise<TransitionResult> {
  const row = await lockForReporter(tx, actor, caseId, "reopen");
  if (row.reopenCount >= 1) throw new AppError("case_reopen_used");
  if (row.rating !== "dissatisfied") throw new AppError("case_reopen_not_dissatisfied");
  const now = new Date();
  const category = await categoryOf(tx, row);
  return applyTransition(tx, caseActorOf(actor), row, "reopen", {
    note: input.reason,
    data: { previous: { rating: row.rating, resolved: row.resolved, ratedAt: row.ratedAt?.toISOString() ?? null, closedAt: row.closedAt?.toISOString() ?? null, closedOnTime: row.closedOnTime } },
    patch: {
      reopenCount: row.reopenCount + 1,
      closedAt: null,
      closedOnTime: null,
      rating: null,
      resolved: null,
      ratedAt: null,
      dispatchedAt: now,
      handleDueAt: dueAfter(now, category?.handleLimitValue, category?.handleLimitUnit),
    },
  });
}

// ——— 上报 / 下派 ———

export interface EscalateInput {
  reason: string;
  /** A level above the current one; default: the next level up. */
  toLevel?: CaseLevel;
  /** Required when escalating to a department. */
  orgId?: string | null;
  /** Set by the timers when an overdue step escalates by itself. */
  automatic?: boolean;
}

/**
 * 上报 on an already locked case, without a permission check (the caller's job): the case goes back
 * to 已立案 at the higher level with a new response deadline. The timers call it with
 * `core.systemActor` for automatic escalation.
 */
export async function escalateCase(tx: Db, caseActor: CaseActor, lockedRow: CaseRow, input: EscalateInput): Promise<TransitionResult> {
  ensureAllowed(lockedRow, "escalate");
  const to = input.toLevel ?? levelAbove(lockedRow.level);
  if (to === null) throw levelError("escalate", { code: "top_level", zh: "已经是最高一级，无法再上报", en: "the case is already at the top level" });
  if (levelIndex(to) <= levelIndex(lockedRow.level)) {
    throw levelError("escalate", { code: "not_higher", zh: `只能上报到比「${levelLabels[lockedRow.level].zh}」更高的层级`, en: `escalation must go above ${levelLabels[lockedRow.level].en.toLowerCase()}` });
  }
  const orgId = to === "department" ? await ensureDepartment(tx, "escalate", input.orgId) : null;
  const now = new Date();
  const category = await categoryOf(tx, lockedRow);
  return applyTransition(tx, caseActor, lockedRow, "escalate", {
    note: input.reason,
    data: { fromLevel: lockedRow.level, toLevel: to, orgId, automatic: input.automatic ?? false },
    patch: {
      ...handlingAt(lockedRow, to, orgId),
      escalationCount: lockedRow.escalationCount + 1,
      registeredAt: lockedRow.registeredAt ?? now,
      responseDueAt: dueAfter(now, category?.responseLimitValue, category?.responseLimitUnit),
    },
  });
}

export async function escalate(tx: Db, actor: Actor, caseId: string, input: Omit<EscalateInput, "automatic">): Promise<TransitionResult> {
  const { row } = await lockFor(tx, actor, caseId, "escalate");
  return escalateCase(tx, caseActorOf(actor), row, { ...input, automatic: false });
}

/** 下派: a dispatcher hands a registered case to a lower level of its area. */
export async function sendDownCase(tx: Db, actor: Actor, caseId: string, input: { toLevel: CaseLevel; reason: string }): Promise<TransitionResult> {
  return step(tx, actor, caseId, "sendDown", (row) => {
    const to = input.toLevel;
    if (to === "department" || levelIndex(to) >= levelIndex(row.level)) {
      throw levelError("sendDown", { code: "not_lower", zh: `只能下派到比「${levelLabels[row.level].zh}」更低的网格、社区或街道`, en: `a case can only be sent down below ${levelLabels[row.level].en.toLowerCase()}` });
    }
    return { note: input.reason, data: { fromLevel: row.level, toLevel: to }, patch: handlingAt(row, to, null) };
  });
}

// ——— 挂账 / 撤销 ———

export async function parkCase(tx: Db, actor: Actor, caseId: string, input: { reason: string }): Promise<TransitionResult> {
  return step(tx, actor, caseId, "park", () => ({ note: input.reason }));
}

export async function unparkCase(tx: Db, actor: Actor, caseId: string, input: { note?: string | null } = {}): Promise<TransitionResult> {
  return step(tx, actor, caseId, "unpark", () => ({ note: input.note ?? null }));
}

export async function cancelCase(tx: Db, actor: Actor, caseId: string, input: { reason: string }): Promise<TransitionResult> {
  return step(tx, actor, caseId, "cancel", () => ({ note: input.reason }));
}

// ——— 延期 ———

async function pendingExtension(tx: Db, caseId: string) {
  const [e] = await tx
    .select()
    .from(caseExtensions)
    .where(and(eq(caseExtensions.caseId, caseId), eq(caseExtensions.status, "pending")))
    .for("update");
  return e ?? null;
}

/** 申请延期: one request waits at a time; the status does not change and the reporter does not see it. */
export async function requestExtension(
  tx: Db,
  actor: Actor,
  caseId: string,
  input: { reason: string; extraValue: number; extraUnit: TimeLimitUnit },
): Promise<TransitionResult & { extensionId: string }> {
  const { row } = await lockFor(tx, actor, caseId, "requestExtension");
  if (await pendingExtension(tx, row.id)) throw new AppError("case_extension_pending");
  const [ext] = await tx
    .insert(caseExtensions)
    .values({ caseId: row.id, requestedBy: actor.userId, reason: input.reason, extraValue: input.extraValue, extraUnit: input.extraUnit })
    .returning({ id: caseExtensions.id });
  const result = await applyTransition(tx, caseActorOf(actor), row, "requestExtension", {
    note: input.reason,
    data: { extensionId: ext!.id, extraValue: input.extraValue, extraUnit: input.extraUnit },
    visibleToReporter: false,
  });
  return { ...result, extensionId: ext!.id };
}

/** 延期审批: approval moves the handling deadline by the extra time on the working calendar. */
export async function decideExtension(
  tx: Db,
  actor: Actor,
  caseId: string,
  input: { approve: boolean; note?: string | null; extensionId?: string },
): Promise<TransitionResult> {
  const action = input.approve ? "approveExtension" : "declineExtension";
  const { row } = await lockFor(tx, actor, caseId, action);
  const ext = await pendingExtension(tx, row.id);
  if (!ext || (input.extensionId !== undefined && ext.id !== input.extensionId)) throw new AppError("case_extension_none");
  const now = new Date();
  const newDueAt = input.approve ? dueAfter(row.handleDueAt ?? now, ext.extraValue, ext.extraUnit) : null;
  await tx
    .update(caseExtensions)
    .set({ status: input.approve ? "approved" : "declined", decidedBy: actor.userId, decidedAt: now, decisionNote: input.note ?? null, newDueAt })
    .where(eq(caseExtensions.id, ext.id));
  return applyTransition(tx, caseActorOf(actor), row, action, {
    note: input.note ?? null,
    data: { extensionId: ext.id, extraValue: ext.extraValue, extraUnit: ext.extraUnit, newDueAt: newDueAt?.toISOString() ?? null },
    patch: input.approve ? { handleDueAt: newDueAt, extensionCount: row.extensionCount + 1 } : {},
    visibleToReporter: input.approve,
  });
}
