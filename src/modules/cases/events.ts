/** Events of the cases module, for the modules built on it (assessment, the command centre, points). */
import type { CaseAction, CaseStatus } from "./machine.js";
import type { CaseLevel } from "./schema.js";

/**
 * A step of a case was recorded (the submission included), published in the step's transaction
 * after its timeline row, audit entry and effects. No personal data: who reported and how to
 * reach them stay with cases.
 */
export interface CaseStepTaken {
  caseId: string;
  caseNo: string;
  /** The timeline row (case_events.id). */
  eventId: number;
  action: CaseAction | "submit";
  /** Null for the submission. */
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus;
  level: CaseLevel;
  gridId: string;
  categoryCode: string;
  /** The user who took the step; null for the system (timers). */
  actorUserId: string | null;
  at: Date;
}

declare module "../../platform/events/index.js" {
  interface DomainEvents {
    "case.stepTaken": CaseStepTaken;
  }
}
