/**
 * What follows from every step of a case, in the step's own transaction: the durable timers are
 * set or cancelled (timers.ts), handlers and the reporter are told (live.ts: inbox rows and a
 * `pg_notify` that reaches every server process at commit), and outside systems get a signed
 * webhook delivery queued (webhooks.ts). Called only by core.ts.
 */
import type { Db } from "../../platform/db/index.js";
import type { CaseEventRow, CaseRow } from "./core.js";
import { syncCaseTimers } from "./timers.js";
import { announceCaseEvent } from "./live.js";
import { enqueueWebhooks } from "./webhooks.js";

export interface CaseEffect {
  case: CaseRow;
  /** The case before the step; null for the submission. */
  before: CaseRow | null;
  event: CaseEventRow;
}

export async function runCaseEffects(tx: Db, effect: CaseEffect): Promise<void> {
  await syncCaseTimers(tx, effect);
  await announceCaseEvent(tx, effect);
  await enqueueWebhooks(tx, effect);
}
