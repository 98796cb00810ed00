import { anyOf, belowScopeOf, definePolicy, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { roles, type Role } from "../../platform/policy/roles.js";

/** Every role may browse the part of the tree it was granted (a resident: their own grid). */
export const areaReaders: readonly Role[] = roles;

export const areaPolicy = definePolicy<Scoped, "update">({
  read: inScopeOf(...areaReaders),
  // A community edits its grids, a street its communities and grids; nobody renames the node
  // their own authority comes from, except the system administrator.
  update: anyOf(belowScopeOf("communityWorker", "communitySecretary", "streetAdmin"), inScopeOf("systemAdmin")),
});
