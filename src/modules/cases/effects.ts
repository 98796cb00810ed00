/**
 * What follows from every step of a case, in the step's own transaction: the durable timers are
 * set or cancelled (timers/timers.ts), staff whose work it is (notices.ts) and the reporter (live.ts) are
 * told — inbox rows and a `pg_notify` that reaches every server process at commit —, and outside systems get a signed
 * webhook delivery queued (webhooks.ts). Called only by core.ts. Then `case.stepTaken` goes on the
 * event bus, in the same transaction, for the modules built on cases.
 *
 * Each effect first reads what it needs, then hands back its writes instead of running them: all
 * of them go to the database as ONE statement (data-modifying CTEs, then the NOTIFYs in the
 * select list), so a step's effects cost one round trip however many there are.
 */
import type { Db } from "../../platform/db/index.js";
import { events } from "../../platform/events/index.js";
import { partsStatement, type StatementParts } from "../../platform/notify/inbox.js";
import type { CaseEventRow, CaseRow } from "./core.js";
import { caseTimerWrites } from "./timers/timers.js";
import { caseAnnouncement } from "./live.js";
import { webhookWrites } from "./webhooks.js";
import { caseNoticeParts } from "./notices.js";
import type { CaseStepTaken } from "./events.js";
import type { CaseStatus } from "./machine.js";

export interface CaseEffect {
  case: CaseRow;
  /** The case before the step; null for the submission. */
  before: CaseRow | null;
  event: CaseEventRow;
}

/**
 * An effect's part of the closing statement: `writes` become `name as (sql)` CTEs (each name used
 * once per statement; later parts may read earlier ones by name), `selects` become select-list
 * expressions, evaluated after the CTEs (the NOTIFYs, sent at commit in this order).
 */
export type EffectStatements = StatementParts;

/** The one statement that carries the effects' writes; null when there is nothing to write. */
export const effectStatement = partsStatement;

export async function runCaseEffects(tx: Db, effect: CaseEffect): Promise<void> {
  const parts = [await caseTimerWrites(tx, effect), await caseNoticeParts(tx, effect), await caseAnnouncement(tx, effect), webhookWrites(effect)];
  const statement = effectStatement(parts);
  if (statement) await tx.execute(statement);
  const { case: c, event: e } = effect;
  await events.publish(tx, "case.stepTaken", {
    caseId: c.id,
    caseNo: c.caseNo,
    eventId: e.id,
    action: e.action as CaseStepTaken["action"],
    fromStatus: (e.fromStatus as CaseStatus | null) ?? null,
    toStatus: e.toStatus as CaseStatus,
    level: c.level,
    gridId: c.gridId,
    categoryCode: c.categoryCode,
    actorUserId: e.actorUserId,
    at: e.at,
  });
}
