import { anyOf, belowScopeOf, definePolicy, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { roles, type Role } from "../../platform/policy/roles.js";
import type { AreaLevel } from "../../platform/area-tree.js";

/** Every role may browse the part of the tree it was granted (a resident: their own grid). */
export const areaReaders: readonly Role[] = roles;

export const areaPolicy = definePolicy<Scoped, "update">({
  read: inScopeOf(...areaReaders),
  // A community edits its grids, a street its communities and grids; nobody renames the node
  // their own authority comes from, except the system administrator.
  update: anyOf(belowScopeOf("communityWorker", "communitySecretary", "streetAdmin"), inScopeOf("systemAdmin")),
});

/** Who may draw grids in a community: its own workers and secretary, the street, the system admin. */
export const gridDrawingPolicy = definePolicy<Scoped, "draw">({
  read: inScopeOf("gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "districtAnalyst", "systemAdmin"),
  draw: inScopeOf("communityWorker", "communitySecretary", "streetAdmin", "systemAdmin"),
});

/** Roles that appoint and end a grid's staff: the community's workers and secretary, the street. */
export const gridStaffManagers: Role[] = ["communityWorker", "communitySecretary", "streetAdmin"];
/** Roles that read a grid's staff (a grid worker: their own grid's). */
export const gridStaffReaders: Role[] = ["gridWorker", ...gridStaffManagers, "districtAnalyst", "systemAdmin"];

export const gridStaffPolicy = definePolicy<Scoped, "manage">({
  read: inScopeOf(...gridStaffReaders),
  manage: inScopeOf(...gridStaffManagers),
});

/**
 * Who creates, re-codes and retires districts, streets and communities (区域管理): the system
 * administrator in their scope; a street administrator the communities of their street. The
 * record is the area (or, for a new one, a path below its parent) with its level.
 */
export const areaAdminPolicy = definePolicy<Scoped & { level: AreaLevel }, "manage">({
  read: inScopeOf(...areaReaders),
  manage: anyOf(
    inScopeOf("systemAdmin"),
    (actor, r) => r.level === "community" && belowScopeOf<Scoped>("streetAdmin")(actor, r),
  ),
});
