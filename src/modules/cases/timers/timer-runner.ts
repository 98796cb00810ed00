/**
 * The timer runner: fires due `case_timers` rows — warnings (临期提醒), automatic escalation of
 * cases not received in time (超时自动上报), overdue notices, and departments late to report in.
 *
 * Exactly once, however many processes run it: a timer is fired only by the transaction that
 * holds its case's row lock, taken with `SKIP LOCKED` (a case busy with a person's step or another
 * runner is simply left for the next round), and its pending timers are then claimed
 * `FOR UPDATE SKIP LOCKED` and re-read after the lock, so a row another runner fired meanwhile is
 * no longer pending. Claim, action (event, audit entry, notices) and `fired_at` commit together.
 *
 * Lock order is always case → timers (as in every step of ../core.ts), so runners never deadlock
 * with each other or with people's steps; one transaction per case keeps the locks short.
 */
import os from "node:os";
import { and, asc, eq, isNull, lte, notInArray, sql } from "drizzle-orm";
import type { Database, Db } from "../../../platform/db/index.js";
import { organizationNames } from "../../orgs/index.js";
import { applyTransition, systemActor, type CaseRow } from "../core.js";
import { escalateCase } from "../lifecycle/lifecycle.js";
import { levelAbove } from "../levels.js";
import { transitions, type CaseStatus } from "../machine.js";
import { caseSummons, caseTimers, cases } from "../schema.js";
import { clockOfKind, runningDeadline, warningKindOf } from "./timers.js";

type TimerRow = typeof caseTimers.$inferSelect;

export const DEFAULT_TIMER_INTERVAL_MS = 5000;
export const DEFAULT_TIMER_BATCH_SIZE = 50;

export const AUTO_ESCALATE_RESPONSE_REASON = "超时未签收，系统自动上报";
export const AUTO_ESCALATE_HANDLE_REASON = "超期未办结，系统自动上报";

/** This process, as recorded in `fired_by`. */
export function defaultWorkerId(): string {
  return `${os.hostname()}#${process.pid}`;
}

export interface FireOptions {
  /** Fire timers due at or before this instant (default: now). Tests pass a fixed instant. */
  now?: Date;
  /** Recorded in `fired_by`. */
  workerId?: string;
  /** Cases per round (default 50). */
  batchSize?: number;
  /** Told of a timer whose action failed; it is set aside so one bad case cannot stall the rest. */
  onError?: (error: unknown, timer: { id: number; caseId: string; kind: string }) => void;
}

/** China time "YYYY-MM-DD HH:mm" for notes on the timeline. */
function chinaTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");
}

/** Errors that say "try again later" (connection, serialization, deadlock, shutdown), by SQLSTATE class. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && /^(08|40|53|57)[0-9A-Z]{3}$/.test(code);
}

/**
 * Fires every timer due by `now`, case by case; returns how many fired. Timers no longer relevant
 * when they fall due (the case moved on in a way its step did not cancel) are cancelled, not fired.
 */
export async function fireDueTimers(database: Database, opts: FireOptions = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const workerId = opts.workerId ?? defaultWorkerId();
  const batchSize = opts.batchSize ?? DEFAULT_TIMER_BATCH_SIZE;
  const db = database.db;
  const passed: string[] = [];
  let fired = 0;
  for (;;) {
    const due = await db
      .select({ caseId: caseTimers.caseId })
      .from(caseTimers)
      .where(
        and(
          isNull(caseTimers.firedAt),
          isNull(caseTimers.cancelledAt),
          lte(caseTimers.dueAt, now),
          passed.length > 0 ? notInArray(caseTimers.caseId, passed) : undefined,
        ),
      )
      .groupBy(caseTimers.caseId)
      .orderBy(sql`min(${caseTimers.dueAt})`)
      .limit(batchSize);
    if (due.length === 0) break;
    for (const { caseId } of due) {
      const n = await fireCaseTimers(db, caseId, now, workerId, opts.onError);
      // A busy case is left for the next round; a case done here has nothing due any more.
      if (n === "busy") passed.push(caseId);
      else fired += n;
    }
    if (due.length < batchSize) break;
  }
  return fired;
}

/** One case in its own transaction: how many of its timers fired, or "busy" when its row is locked. */
async function fireCaseTimers(db: Db, caseId: string, now: Date, workerId: string, onError: FireOptions["onError"]): Promise<number | "busy"> {
  let current: TimerRow | undefined;
  try {
    return await db.transaction(async (tx) => {
      const [locked] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, caseId)).for("update", { skipLocked: true });
      if (!locked) return "busy" as const;
      let fired = 0;
      // One timer at a time, re-read after each action: an action's own step may cancel the next.
      for (;;) {
        const [timer] = await tx
          .select()
          .from(caseTimers)
          .where(and(eq(caseTimers.caseId, caseId), isNull(caseTimers.firedAt), isNull(caseTimers.cancelledAt), lte(caseTimers.dueAt, now)))
          .orderBy(asc(caseTimers.dueAt), asc(caseTimers.id))
          .limit(1)
          .for("update", { skipLocked: true });
        if (!timer) return fired;
        current = timer;
        const [row] = await tx.select().from(cases).where(eq(cases.id, caseId));
        if (await fireTimer(tx, row!, timer, now, workerId)) fired++;
      }
    });
  } catch (error) {
    if (!current || isTransient(error)) throw error;
    onError?.(error, { id: current.id, caseId: current.caseId, kind: current.kind });
    // Set aside: marked fired by "<worker> (failed)", so it is visible and not retried forever.
    await db
      .update(caseTimers)
      .set({ firedAt: new Date(), firedBy: `${workerId} (failed)` })
      .where(and(eq(caseTimers.id, current.id), isNull(caseTimers.firedAt), isNull(caseTimers.cancelledAt)));
    return 0;
  }
}

/** Claims the timer (fired) and acts, or cancels it when it no longer applies. True when fired. */
async function fireTimer(tx: Db, c: CaseRow, t: TimerRow, now: Date, workerId: string): Promise<boolean> {
  const action = await actionFor(tx, c, t, now);
  if (!action) {
    await tx.update(caseTimers).set({ cancelledAt: new Date() }).where(eq(caseTimers.id, t.id));
    return false;
  }
  // Marked before acting, so the action's own step sees this deadline as spent and never re-arms it.
  await tx.update(caseTimers).set({ firedAt: new Date(), firedBy: workerId }).where(eq(caseTimers.id, t.id));
  await action();
  return true;
}

const canRemind = (c: CaseRow) => transitions.remind.from.includes(c.status as CaseStatus);
const canEscalate = (c: CaseRow) => transitions.escalate.from.includes(c.status as CaseStatus);

function remind(tx: Db, c: CaseRow, note: string, data: Record<string, unknown>) {
  return applyTransition(tx, systemActor, c, "remind", { note, data, visibleToReporter: false });
}

/** What firing `t` does now, or null when it no longer applies (then it is cancelled). */
async function actionFor(tx: Db, c: CaseRow, t: TimerRow, now: Date): Promise<(() => Promise<unknown>) | null> {
  const clock = clockOfKind(t.kind);
  if (clock) {
    const deadline = runningDeadline(c, clock);
    if (!deadline || !canRemind(c)) return null;
    const dueAt = deadline.toISOString();
    const by = chinaTime(deadline);
    if (t.kind === warningKindOf[clock]) {
      // Warnings are for deadlines still ahead; a late round leaves it to the deadline's own timer.
      if (deadline.getTime() <= now.getTime()) return null;
      const note = clock === "response" ? `签收时限将至（${by}），请尽快签收` : `办理时限将至（${by}），请抓紧办理`;
      return () => remind(tx, c, note, { kind: t.kind, dueAt });
    }
    // A due timer applies only to the deadline the case still has.
    if (deadline.getTime() !== t.dueAt.getTime()) return null;
    if (clock === "response") {
      // 超时未签收 → up one level; at the top (district, department) there is no one above: notice only.
      if (levelAbove(c.level) && canEscalate(c)) {
        return () => escalateCase(tx, systemActor, c, { reason: AUTO_ESCALATE_RESPONSE_REASON, automatic: true });
      }
      return () => remind(tx, c, `已超过签收时限（${by}），仍未签收`, { kind: t.kind, dueAt, overdue: true });
    }
    // 超期未办结 → a notice to the handlers; a grid or community case also goes up one level.
    const escalate = (c.level === "grid" || c.level === "community") && canEscalate(c);
    return async () => {
      const { case: after } = await remind(tx, c, `已超过办理时限（${by}），仍未办结`, { kind: t.kind, dueAt, overdue: true, escalated: escalate });
      if (escalate) await escalateCase(tx, systemActor, after, { reason: AUTO_ESCALATE_HANDLE_REASON, automatic: true });
    };
  }
  if (t.kind === "reportInDue") {
    if (!t.summonsId || !canRemind(c)) return null;
    const [s] = await tx
      .select({ status: caseSummons.status, departmentOrgId: caseSummons.departmentOrgId, reportInDueAt: caseSummons.reportInDueAt })
      .from(caseSummons)
      .where(eq(caseSummons.id, t.summonsId));
    if (!s || s.status !== "summoned") return null;
    const name = (await organizationNames(tx, [s.departmentOrgId])).get(s.departmentOrgId);
    if (name === undefined) return null;
    const data = { kind: "reportInOverdue", summonsId: t.summonsId, department: { id: s.departmentOrgId, name }, dueAt: s.reportInDueAt.toISOString(), overdue: true };
    return () => remind(tx, c, `${name}未在报到时限（${chinaTime(s.reportInDueAt)}）内报到`, data);
  }
  return null;
}

export interface TimerRunnerOptions {
  database: Database;
  /** Pause between rounds (default 5000 ms). */
  intervalMs?: number;
  batchSize?: number;
  /** Recorded in `fired_by` (default host#pid). */
  workerId?: string;
  /** Told of any error of a round, or of one timer (then given); the runner keeps running. */
  onError: (error: unknown, timer?: { id: number; caseId: string; kind: string }) => void;
}

export interface TimerRunner {
  /** Fires what is due by `now` (default: the current time) and returns how many fired. Never overlaps a round. */
  runOnce(now?: Date): Promise<number>;
  /** Stops the schedule and waits for a running round. */
  stop(): Promise<void>;
}

/** Runs `fireDueTimers` every `intervalMs` until stopped; rounds never overlap. */
export function startTimerRunner(ctx: TimerRunnerOptions): TimerRunner {
  const intervalMs = ctx.intervalMs ?? DEFAULT_TIMER_INTERVAL_MS;
  const fireOpts = (now: Date | undefined): FireOptions => ({
    workerId: ctx.workerId ?? defaultWorkerId(),
    ...(ctx.batchSize !== undefined ? { batchSize: ctx.batchSize } : {}),
    ...(now ? { now } : {}),
    onError: (e, t) => ctx.onError(e, t),
  });
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);

  // Rounds are chained so that a test's runOnce and a scheduled round never run at the same time.
  const round = (now?: Date): Promise<number> => {
    const next = running.catch(() => 0).then(() => fireDueTimers(ctx.database, fireOpts(now)));
    running = next;
    return next;
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      round()
        .catch((error: unknown) => ctx.onError(error))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    runOnce: (now) => round(now),
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => 0);
    },
  };
}
