/**
 * Case steps for webhooks (src/platform/notify/webhooks.ts keeps the hooks, the queue and the
 * worker): each step is one event, "case.<past participle>", queued in the step's own transaction
 * (so a rolled-back step sends nothing). An unfiltered webhook (no event named) gets all of them.
 *
 * Payloads carry no personal data: no description, contact, reporter or exact location — ids,
 * statuses, levels, the grid and times only. Receivers fetch more through the API if allowed.
 */
import { webhookQueue } from "../../platform/notify/webhooks.js";
import type { CaseEffect, EffectStatements } from "./effects.js";
import type { CaseAction } from "./machine.js";

/** The event name of each step: "case.<past participle>". */
export const webhookEventOf: Record<CaseAction | "submit", string> = {
  submit: "case.submitted",
  register: "case.registered",
  reject: "case.rejected",
  merge: "case.merged",
  dispatch: "case.dispatched",
  receive: "case.received",
  start: "case.started",
  returnToDispatcher: "case.returned",
  feedback: "case.feedback",
  verifyPass: "case.verified",
  verifyFail: "case.rework",
  close: "case.closed",
  rate: "case.rated",
  reopen: "case.reopened",
  escalate: "case.escalated",
  sendDown: "case.sentDown",
  park: "case.parked",
  unpark: "case.unparked",
  cancel: "case.cancelled",
  requestExtension: "case.extensionRequested",
  approveExtension: "case.extensionApproved",
  declineExtension: "case.extensionDeclined",
  whistle: "case.whistle",
  reportIn: "case.reportedIn",
  finishSummons: "case.summonsFinished",
  withdrawSummons: "case.summonsWithdrawn",
  excuseSummons: "case.summonsExcused",
  recordSummonsOnBehalf: "case.summonsRecordedOnBehalf",
  remind: "case.reminded",
  regrid: "case.regridded",
};

// ---------------------------------------------------------------------------------------------
// Queueing, in the step's transaction

/** The non-personal view of a case sent to outside systems. */
export function webhookCase(c: CaseEffect["case"]): Record<string, unknown> {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: c.id,
    caseNo: c.caseNo,
    source: c.source,
    categoryCode: c.categoryCode,
    urgency: c.urgency,
    status: c.status,
    level: c.level,
    gridId: c.gridId,
    communityId: c.communityId,
    streetId: c.streetId,
    handlingAreaId: c.handlingAreaId,
    handlingOrgId: c.handlingOrgId,
    whistled: c.whistled,
    reopenCount: c.reopenCount,
    reworkCount: c.reworkCount,
    submittedAt: iso(c.submittedAt),
    registeredAt: iso(c.registeredAt),
    dispatchedAt: iso(c.dispatchedAt),
    receivedAt: iso(c.receivedAt),
    feedbackAt: iso(c.feedbackAt),
    closedAt: iso(c.closedAt),
    closedOnTime: c.closedOnTime,
    responseDueAt: iso(c.responseDueAt),
    handleDueAt: iso(c.handleDueAt),
    rating: c.rating,
    resolved: c.resolved,
    ratedAt: iso(c.ratedAt),
  };
}

/**
 * Queues one delivery per active webhook that wants this step's event and whose area (if any)
 * contains the case, in one INSERT … SELECT (handed to effects.ts, which runs it with the step's
 * other effects).
 */
export function webhookWrites(effect: CaseEffect): EffectStatements {
  const { case: c, event } = effect;
  const name = webhookEventOf[event.action as CaseAction | "submit"];
  if (!name) return { writes: [], selects: [] };
  const payload = {
    event: name,
    occurredAt: event.at.toISOString(),
    case: webhookCase(c),
    step: {
      eventId: event.id,
      action: event.action,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      fromLevel: event.fromLevel,
      toLevel: event.toLevel,
      at: event.at.toISOString(),
    },
  };
  return webhookQueue("webhook_deliveries_queued", { event: name, payload, areaPath: c.areaPath, inAll: true });
}
