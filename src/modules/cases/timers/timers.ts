/**
 * 时限 Durable deadlines of a case: `case_timers` rows that mirror the deadlines on the case row
 * (`responseDueAt` 签收时限, `handleDueAt` 办理时限) plus a warning before each (临期提醒).
 * `caseTimerWrites` runs inside every step's transaction (../core.ts → ../effects.ts) and makes the
 * pending rows match the case; the runner (timer-runner.ts) fires them when they fall due.
 *
 * Rules (also in README.md):
 * - The response clock runs while the case waits to be received: submitted, registered, dispatched.
 * - The handling clock runs while the case is open and not parked: submitted … verified.
 * - Each running clock with a deadline has one `…Due` row at the deadline and one `…Warning` row
 *   when 80 % of the working time between the step that set the deadline and the deadline has
 *   passed (the share is configurable: GONGZHI_CASE_WARNING_PERCENT, default 20 % left).
 * - A row whose clock stops or whose deadline moves is cancelled (`cancelled_at`); a moved
 *   deadline gets new rows. A deadline fires at most once: a fired row for the same deadline
 *   keeps it from being armed again.
 * - A clock that restarts (unpark, reopen, 退单) on a deadline that has already passed is not
 *   armed again: that lateness is already on record; a new deadline (escalation, extension) arms.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/index.js";
import { CalendarError } from "../../../platform/calendar/index.js";
import { workingCalendar } from "../calendar.js";
import type { CaseEffect, EffectStatements } from "../effects.js";
import type { CaseStatus } from "../machine.js";
import { caseTimers, cases } from "../schema.js";

type CaseRow = typeof cases.$inferSelect;

/** The two clocks of a case: 签收 (response) and 办结 (handling). */
export type CaseClock = "response" | "handle";
export const caseClocks: readonly CaseClock[] = ["response", "handle"];

export const timerKinds = ["responseWarning", "responseDue", "handleWarning", "handleDue", "reportInDue"] as const;
export type TimerKind = (typeof timerKinds)[number];

export const dueKindOf: Record<CaseClock, "responseDue" | "handleDue"> = { response: "responseDue", handle: "handleDue" };
export const warningKindOf: Record<CaseClock, "responseWarning" | "handleWarning"> = { response: "responseWarning", handle: "handleWarning" };
export function clockOfKind(kind: string): CaseClock | null {
  if (kind === "responseDue" || kind === "responseWarning") return "response";
  if (kind === "handleDue" || kind === "handleWarning") return "handle";
  return null;
}

/** Statuses in which each clock runs. */
export const clockStatuses: Record<CaseClock, readonly CaseStatus[]> = {
  response: ["submitted", "registered", "dispatched"],
  handle: ["submitted", "registered", "dispatched", "received", "inProgress", "feedback", "verified"],
};

const HOUR = 3_600_000;

let warningShare = 0.2;

/** Process-wide settings, from the configuration at start (buildApp). */
export function configureCaseTimers(opts: { warningShare: number }): void {
  if (!(opts.warningShare > 0 && opts.warningShare < 1)) throw new RangeError("warningShare must be between 0 and 1");
  warningShare = opts.warningShare;
}

/** The deadline of `clock` while that clock runs for the case; null otherwise. */
export function runningDeadline(c: Pick<CaseRow, "status" | "responseDueAt" | "handleDueAt">, clock: CaseClock): Date | null {
  if (!clockStatuses[clock].includes(c.status as CaseStatus)) return null;
  return (clock === "response" ? c.responseDueAt : c.handleDueAt) ?? null;
}

/**
 * When to warn about a deadline set at `start`: once `1 − share` of the working time between
 * them has passed (so `share` of it is left), on the working calendar. When no working time lies
 * between them (a natural-hours limit over a night or holiday) — or the calendar has no data for
 * the year — the same share of the natural time. Null when the deadline is not after `start`.
 */
export function warningTimeFor(start: Date, due: Date, share: number = warningShare): Date | null {
  const total = due.getTime() - start.getTime();
  if (total <= 0) return null;
  try {
    const calendar = workingCalendar();
    const span = calendar.workingTimeBetween(start, due);
    if (span > 0) {
      const at = calendar.addWorkingHours(start, (span * (1 - share)) / HOUR);
      return at.getTime() < due.getTime() ? at : null;
    }
  } catch (e) {
    if (!(e instanceof CalendarError)) throw e;
  }
  return new Date(start.getTime() + Math.round(total * (1 - share)));
}

function sameTime(a: Date | null | undefined, b: Date | null | undefined): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/**
 * Makes the pending timers of the case match its status and deadlines. Costs nothing when the
 * step changed neither a deadline nor whether a clock runs (most steps); otherwise one select of
 * the case's deadline timers (not for a new case), and the cancelling UPDATE and arming INSERT are
 * handed to ../effects.ts, which runs them with the step's other effects.
 */
export async function caseTimerWrites(tx: Db, effect: CaseEffect): Promise<EffectStatements> {
  const { case: c, before } = effect;
  const now = effect.event.at;
  const wanted = { response: runningDeadline(c, "response"), handle: runningDeadline(c, "handle") };
  if (before) {
    const unchanged = caseClocks.every((clock) => sameTime(runningDeadline(before, clock), wanted[clock]));
    if (unchanged) return { writes: [], selects: [] };
  } else if (!wanted.response && !wanted.handle) {
    return { writes: [], selects: [] };
  }

  const existing = before
    ? await tx
        .select({ id: caseTimers.id, kind: caseTimers.kind, dueAt: caseTimers.dueAt, firedAt: caseTimers.firedAt })
        .from(caseTimers)
        .where(and(eq(caseTimers.caseId, c.id), isNull(caseTimers.cancelledAt), inArray(caseTimers.kind, ["responseWarning", "responseDue", "handleWarning", "handleDue"])))
    : [];

  const cancel: number[] = [];
  const insert: { kind: string; dueAt: Date }[] = [];
  for (const clock of caseClocks) {
    const want = wanted[clock];
    const dues = existing.filter((r) => r.kind === dueKindOf[clock]);
    const matching = want ? dues.find((r) => r.dueAt.getTime() === want.getTime()) : undefined;
    for (const r of dues) if (r !== matching && r.firedAt === null) cancel.push(r.id);
    if (matching) continue;
    for (const r of existing) if (r.kind === warningKindOf[clock] && r.firedAt === null) cancel.push(r.id);
    if (!want) continue;
    // A deadline already past is armed only by the step that set it, never by a restarting clock.
    const setNow = !before || !sameTime(clock === "response" ? before.responseDueAt : before.handleDueAt, want);
    if (want.getTime() <= now.getTime() && !setNow) continue;
    insert.push({ kind: dueKindOf[clock], dueAt: want });
    const warnAt = warningTimeFor(now, want);
    if (warnAt) insert.push({ kind: warningKindOf[clock], dueAt: warnAt });
  }
  const writes: EffectStatements["writes"] = [];
  if (cancel.length > 0) {
    writes.push({
      name: "timers_cancelled",
      sql: sql`update ${caseTimers} set cancelled_at = ${now.toISOString()}::timestamptz where id = any(${`{${cancel.join(",")}}`}::bigint[])`,
    });
  }
  if (insert.length > 0) {
    const values = insert.map((t) => sql`(${c.id}::uuid, ${t.kind}, ${t.dueAt.toISOString()}::timestamptz)`);
    writes.push({ name: "timers_armed", sql: sql`insert into ${caseTimers} (case_id, kind, due_at) values ${sql.join(values, sql`, `)}` });
  }
  return { writes, selects: [] };
}
