/**
 * Who may do what with resident accounts. A sign-up and an invitation code belong to a community
 * (`areaPath`): the community's workers and secretary, and the street above, check sign-ups
 * against the registry and print invitation codes; the resident reads their own sign-up.
 */
import type { Actor } from "../../platform/auth/actor.js";
import { anyOf, definePolicy, inScopeOf, type Rule, type Scoped } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";

/** Roles that check residents' sign-ups and print invitation codes for their community's households. */
export const accountVerifiers: readonly Role[] = ["communityWorker", "communitySecretary", "streetAdmin"];

export interface SignupRecord extends Scoped {
  id: string;
  userId: string;
  status: "pending" | "linked" | "rejected";
}

const ownSignup: Rule<SignupRecord> = (actor: Actor, s) => actor.userId === s.userId;
const pending: Rule<SignupRecord> = (_actor, s) => s.status === "pending";

export const signupPolicy = definePolicy<SignupRecord, "decide" | "revealPhone">({
  read: anyOf(ownSignup, inScopeOf(...accountVerifiers)),
  decide: (actor, s) => pending(actor, s) && inScopeOf<SignupRecord>(...accountVerifiers)(actor, s),
  revealPhone: inScopeOf(...accountVerifiers),
});

/** Invitation codes of a community (or a household in it, by its grid's path). */
export const invitationPolicy = definePolicy<Scoped, "create">({
  read: inScopeOf(...accountVerifiers),
  create: inScopeOf(...accountVerifiers),
});
