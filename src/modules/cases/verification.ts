/**
 * Separation of duties in the closed loop (核查): whoever recorded a case's latest 反馈 may not
 * verify that result — someone else checks the work. One-person communities, where the only grid
 * worker or community worker both handles and checks, turn self-verification on for the deployment
 * (GONGZHI_CASE_SELF_VERIFICATION, off by default; see README.md for why it is one setting).
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../../platform/auth/actor.js";
import type { Db } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { caseEvents, cases } from "./schema.js";

let selfVerificationAllowed = false;

/** Set from the configuration when the module starts (and by tests, which restore it). */
export function configureCaseVerification(opts: { allowSelfVerification: boolean }): void {
  selfVerificationAllowed = opts.allowSelfVerification;
}

export function selfVerificationAllowedNow(): boolean {
  return selfVerificationAllowed;
}

/** The user who recorded the case's latest 反馈; null when there is none. */
async function latestFeedbackBy(db: Db, caseId: string): Promise<string | null> {
  const [e] = await db
    .select({ userId: caseEvents.actorUserId })
    .from(caseEvents)
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, "feedback")))
    .orderBy(desc(caseEvents.id))
    .limit(1);
  return e?.userId ?? null;
}

/** Whether the setting forbids the actor to verify the case's latest result, being its author. */
export async function isOwnFeedback(db: Db, actor: Actor, caseId: string): Promise<boolean> {
  if (selfVerificationAllowed) return false;
  return (await latestFeedbackBy(db, caseId)) === actor.userId;
}

/** 403 case_self_verification when the actor sent the result they would verify. */
export async function ensureNotOwnFeedback(db: Db, actor: Actor, caseId: string): Promise<void> {
  if (await isOwnFeedback(db, actor, caseId)) throw new AppError("case_self_verification");
}

/** SQL over `cases` for the to-verify list: the latest 反馈 was not the actor's (or the setting allows it). */
export function notOwnFeedbackCondition(actor: Actor): SQL {
  if (selfVerificationAllowed) return sql`true`;
  return sql`(select ${caseEvents.actorUserId} from ${caseEvents} where ${caseEvents.caseId} = ${cases.id} and ${caseEvents.action} = 'feedback' order by ${caseEvents.id} desc limit 1) is distinct from ${actor.userId}`;
}
