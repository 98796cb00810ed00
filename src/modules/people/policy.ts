import type { Actor } from "../../platform/auth/actor.js";
import { anyOf, definePolicy, inScopeOf, type Rule, type Scoped } from "../../platform/policy/index.js";
import { householdClearReaders, householdEditors, roles, type Role } from "../../platform/policy/roles.js";

export { householdClearReaders };

export interface HouseholdRecord extends Scoped {
  id: string;
}

/** Roles that read households of their area (masked in lists). */
export const householdReaders: Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "districtAnalyst", "systemAdmin"];

/** A resident reads only their own household. */
export const ownHousehold: Rule<HouseholdRecord> = (actor: Actor, h) => actor.householdId !== null && actor.householdId === h.id;

/**
 * Households: `readNote` is the staff's free-text note (备注), which names and describes residents
 * ("户内能人：张军（川剧）"): only for the staff who may see clear personal data of the household —
 * never for the household itself (it is written among staff), never in a list or a masked export.
 */
export const householdPolicy = definePolicy<HouseholdRecord, "update" | "readClear" | "readNote">({
  read: anyOf(ownHousehold, inScopeOf(...householdReaders)),
  update: inScopeOf(...householdEditors),
  readClear: anyOf(ownHousehold, inScopeOf(...householdClearReaders)),
  readNote: inScopeOf(...householdClearReaders),
});

/**
 * A person as policies see them. A resident sits in the area of their grid (`areaPath`). A person
 * recorded only for a post — e.g. a 大党委 part-time member from a co-building unit, who lives
 * elsewhere and has no household and no grid — has an empty `areaPath` and is placed instead by
 * the areas of the bodies they hold (or held) posts in (`postAreaPaths`, empty for residents).
 */
export interface PersonRecord extends Scoped {
  id: string;
  postAreaPaths: readonly string[];
}

/** The person themself (a resident's own record). */
export const ownPerson: Rule<PersonRecord> = (actor, p) => actor.personId !== null && actor.personId === p.id;

/**
 * For a person without a grid only: one of `roles` in scope of a body where they hold a post. A
 * community worker reads the part-time members seated in their community's party committee; a
 * worker of another community does not (404). Residents are never read this way — their grid decides.
 */
export function postHolderInScopeOf(...roles: Role[]): Rule<PersonRecord> {
  const within = inScopeOf<Scoped>(...roles);
  return (actor, p) => p.areaPath === "" && p.postAreaPaths.some((areaPath) => within(actor, { areaPath }));
}

/**
 * Persons: read by the household readers of their grid, or — for post-only persons — of a body
 * they hold a post in; the clear name likewise for the roles whose work needs it. Changes and
 * reveals of ID number or phone stay with the grid's staff (post-only persons have neither).
 */
export const personPolicy = definePolicy<PersonRecord, "update" | "readClear" | "reveal">({
  read: anyOf(ownPerson, inScopeOf(...householdReaders), postHolderInScopeOf(...householdReaders)),
  update: inScopeOf("gridWorker", "communityWorker", "communitySecretary"),
  readClear: anyOf(ownPerson, inScopeOf(...householdClearReaders), postHolderInScopeOf(...householdClearReaders)),
  reveal: anyOf(ownPerson, inScopeOf(...householdClearReaders)),
});

/** Roles that read party member records of their area. */
export const partyReaders: Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "districtAnalyst", "systemAdmin"];
/** Roles that keep them (and confirm 双找 registrations). */
export const partyKeepers: Role[] = ["communityWorker", "communitySecretary", "streetAdmin"];

export interface PartyMemberRecord extends Scoped {
  id: string;
  personId: string;
}

export const ownRecord: Rule<PartyMemberRecord> = (actor, m) => actor.personId !== null && actor.personId === m.personId;

export const partyMemberPolicy = definePolicy<PartyMemberRecord, "update">({
  read: anyOf(ownRecord, inScopeOf(...partyReaders)),
  update: inScopeOf(...partyKeepers),
});

/** Roles that may register a member they found (找党员). */
export const registrars: Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin"];

export interface RegistrationRecord extends Scoped {
  id: string;
  personId: string | null;
  registeredBy: string | null;
}

export const ownRegistration: Rule<RegistrationRecord> = (actor, r) => (actor.personId !== null && r.personId === actor.personId) || r.registeredBy === actor.userId;

export const registrationPolicy = definePolicy<RegistrationRecord, "decide">({
  read: anyOf(ownRegistration, inScopeOf(...partyReaders)),
  decide: inScopeOf(...partyKeepers),
});

/** Who reads red grid coverage and who runs or pins the assignment. */
/** Who reads red grid coverage and members: every staff role but departments. */
export const redGridReaders: Role[] = roles.filter((r) => r !== "resident" && r !== "departmentStaff");

export const redGridPolicy = definePolicy<Scoped, "assign">({
  read: inScopeOf(...redGridReaders),
  assign: inScopeOf("gridWorker", "communityWorker", "communitySecretary", "streetAdmin"),
});
