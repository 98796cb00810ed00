import { definePolicy, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { roles, type Role } from "../../platform/policy/roles.js";

/** Roles that set up and change the organizations of their area (create, rename, posts, dissolve). */
export const orgManagers: Role[] = ["communityWorker", "communitySecretary", "streetAdmin", "systemAdmin"];

/* Post holders are persons: their names and ids follow the person policy (modules/people/policy.ts). */

/**
 * Organizations are public facts of an area: whoever may browse the area may read its bodies.
 * The record's `areaPath` is the path of the area the body belongs to.
 */
/** Who reads organizations: every role (the console's 党组织 section: every staff role). */
export const orgReaders: readonly Role[] = roles;

export const orgPolicy = definePolicy<Scoped, "manage">({
  read: inScopeOf(...orgReaders),
  manage: inScopeOf(...orgManagers),
});
