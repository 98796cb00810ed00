import type { Actor } from "../../platform/auth/actor.js";
import { anyOf, definePolicy, inScopeOf, type Rule, type Scoped } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";

export interface HouseholdRecord extends Scoped {
  id: string;
}

/** Roles that read households of their area (masked in lists). */
export const householdReaders: Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "districtAnalyst", "systemAdmin"];
/** Roles whose work needs the clear address and name (door-to-door visits); each clear read is audited. */
export const householdClearReaders: Role[] = ["gridWorker", "communityWorker", "communitySecretary"];

/** A resident reads only their own household. */
export const ownHousehold: Rule<HouseholdRecord> = (actor: Actor, h) => actor.householdId !== null && actor.householdId === h.id;

export const householdPolicy = definePolicy<HouseholdRecord, "update" | "readClear">({
  read: anyOf(ownHousehold, inScopeOf(...householdReaders)),
  update: inScopeOf("gridWorker", "communityWorker", "communitySecretary", "streetAdmin"),
  readClear: anyOf(ownHousehold, inScopeOf(...householdClearReaders)),
});
