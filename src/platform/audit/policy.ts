import type { Actor } from "../auth/actor.js";
import { anyOf, definePolicy, type Rule } from "../policy/index.js";

export interface AuditEntryRecord {
  actorId: string | null;
}

const isOwnEntry: Rule<AuditEntryRecord> = (actor: Actor, e) => e.actorId !== null && e.actorId === actor.userId;
const isSystemAdmin: Rule<AuditEntryRecord> = (actor) => actor.grants.some((g) => g.role === "systemAdmin");

/** Whoever made a change may hold its receipt; the system administrator may issue any. */
export const auditPolicy = definePolicy<AuditEntryRecord, never>({
  read: anyOf(isOwnEntry, isSystemAdmin),
});
