/**
 * The one path that changes a case: `applyTransition` locks the row, checks the state machine,
 * writes the new values, a `case_events` row and an audit entry, then runs the effects (timers,
 * notices, live updates, webhooks) — all in the caller's transaction, so a step either happened
 * with everything that follows from it, or did not happen at all.
 */
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { auditInsert, recordAudit } from "../../platform/audit/service.js";
import { caseEvents, cases } from "./schema.js";
import { actionLabels, nextStatus, statusLabels, type CaseAction, type CaseStatus } from "./machine.js";
import { runCaseEffects } from "./effects.js";

export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;

/** Who acts on a case: a user, a machine client, or the platform itself (timers). */
export interface CaseActor {
  kind: "user" | "apiKey" | "system";
  userId: string | null;
  /** Shown on the timeline: a worker's display name, "系统" for timers. */
  label: string;
}

export function caseActorOf(actor: Actor): CaseActor {
  return { kind: actor.kind, userId: actor.userId, label: actor.displayName };
}

export const systemActor: CaseActor = { kind: "system", userId: null, label: "系统" };

export interface TransitionInput {
  note?: string | null;
  evidence?: string[];
  /** Non-personal details of the step (target level, reason code, rating, …). */
  data?: Record<string, unknown>;
  /** Other columns to set with the new status (level, handling area, due times, counters…). */
  patch?: Partial<Omit<CaseRow, "id" | "status">>;
  /** Hide internal steps (warnings, extension requests) from the reporter's timeline. */
  visibleToReporter?: boolean;
}

export interface TransitionResult {
  case: CaseRow;
  event: CaseEventRow;
}

/** The case, locked for this transaction; 404 when it does not exist. */
export async function lockCase(tx: Db, id: string): Promise<CaseRow> {
  const [row] = await tx.select().from(cases).where(eq(cases.id, id)).for("update");
  if (!row) throw new AppError("not_found");
  return row;
}

/** The status the case had before it was parked (for unpark). */
async function statusBeforeParking(tx: Db, caseId: string): Promise<CaseStatus | null> {
  const [row] = await tx
    .select({ from: caseEvents.fromStatus })
    .from(caseEvents)
    .where(sql`${caseEvents.caseId} = ${caseId} and ${caseEvents.action} = 'park'`)
    .orderBy(sql`${caseEvents.id} desc`)
    .limit(1);
  return (row?.from as CaseStatus | undefined) ?? null;
}

/** Steps after which the case waits for a new dispatch or another level: the named person (派遣到人) no longer holds it. */
const leavesAssignee = new Set<CaseAction>(["returnToDispatcher", "escalate", "sendDown", "reopen", "regrid"]);

/**
 * Applies `action` to the (already locked) case. Throws `case_illegal_transition` (409) when the
 * state machine does not allow it from the current status. Permissions and business guards are
 * the caller's: check them before calling.
 */
export async function applyTransition(tx: Db, actor: CaseActor, current: CaseRow, action: CaseAction, input: TransitionInput = {}): Promise<TransitionResult> {
  const from = current.status as CaseStatus;
  const previous = action === "unpark" ? await statusBeforeParking(tx, current.id) : null;
  const to = nextStatus(from, action, previous);
  if (!to) throw new AppError("case_illegal_transition", { action: { code: action, ...actionLabels[action] }, status: { code: from, ...statusLabels[from] } });
  const now = new Date();
  const patch = { ...(input.patch ?? {}) };
  // A person named at dispatch holds the case only while it stays where the dispatch put it.
  if (leavesAssignee.has(action) && !("assigneeUserId" in patch)) patch.assigneeUserId = null;
  const [updated] = await tx
    .update(cases)
    .set({ ...patch, status: to, updatedAt: now })
    .where(eq(cases.id, current.id))
    .returning();
  const data = input.data ?? {};
  const auditEntryId = await recordAudit(tx, {
    actor: { kind: actor.kind, id: actor.userId },
    action: `case.${action}`,
    entityType: "case",
    entityId: current.id,
    change: { from, to, level: updated!.level, note: input.note ?? null, evidence: input.evidence ?? [], data, at: now.toISOString() },
    summary: { caseNo: current.caseNo, from, to, level: updated!.level },
  });
  const [event] = await tx
    .insert(caseEvents)
    .values({
      caseId: current.id,
      at: now,
      actorUserId: actor.userId,
      actorLabel: actor.label,
      action,
      fromStatus: from,
      toStatus: to,
      fromLevel: current.level,
      toLevel: updated!.level,
      note: input.note ?? null,
      evidence: input.evidence ?? [],
      data,
      visibleToReporter: input.visibleToReporter ?? true,
      auditEntryId,
    })
    .returning();
  await runCaseEffects(tx, { case: updated!, before: current, event: event! });
  return { case: updated!, event: event! };
}

/**
 * Records the submission of a new case (already inserted by the intake): the first timeline step
 * (with the report's photos as its evidence) and the audit entry whose receipt the reporter keeps,
 * whose id goes on the case. One statement writes all three: intake is the busiest write path.
 */
export async function recordSubmission(
  tx: Db,
  actor: CaseActor,
  row: CaseRow,
  data: Record<string, unknown> = {},
  evidence: string[] = [],
): Promise<{ case: CaseRow; event: CaseEventRow }> {
  const audit = auditInsert({
    actor: { kind: actor.kind, id: actor.userId },
    action: "case.submit",
    entityType: "case",
    entityId: row.id,
    change: {
      caseNo: row.caseNo,
      source: row.source,
      categoryCode: row.categoryCode,
      description: row.description,
      lng: row.lng,
      lat: row.lat,
      gridId: row.gridId,
      submittedAt: row.submittedAt.toISOString(),
    },
    summary: { caseNo: row.caseNo, source: row.source, categoryCode: row.categoryCode, gridId: row.gridId },
  });
  const [ids] = await rows<{ audit_id: string | number; event_id: string | number }>(
    tx,
    sql`with a as (${audit}),
      u as (update ${cases} set receipt_entry_id = (select id from a) where id = ${row.id}),
      e as (
        insert into ${caseEvents} (case_id, at, actor_user_id, actor_label, action, from_status, to_status, from_level, to_level, evidence, data, visible_to_reporter, audit_entry_id)
        select ${row.id}, ${row.submittedAt.toISOString()}::timestamptz, ${actor.userId}, ${actor.label}, 'submit', null, ${row.status}, null, ${row.level},
               ${`{${evidence.join(",")}}`}::uuid[], ${JSON.stringify(data)}::jsonb, true, a.id
        from a returning id)
      select (select id from a) as audit_id, (select id from e) as event_id`,
  );
  const auditEntryId = Number(ids!.audit_id);
  const updated: CaseRow = { ...row, receiptEntryId: auditEntryId };
  const event: CaseEventRow = {
    id: Number(ids!.event_id),
    caseId: row.id,
    at: row.submittedAt,
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: "submit",
    fromStatus: null,
    toStatus: row.status,
    fromLevel: null,
    toLevel: row.level,
    note: null,
    evidence,
    data,
    visibleToReporter: true,
    auditEntryId,
  };
  await runCaseEffects(tx, { case: updated, before: null, event });
  return { case: updated, event };
}
