/**
 * Who may read which measures and set which weights. An area's measures are read by community staff,
 * street administrators, district analysts and system administrators in scope of the area;
 * department staff read their own department's measures (and the weights of areas in their scope).
 * Weights are set by the street administrator for areas of their street, by the system
 * administrator anywhere and for the whole deployment.
 */
import type { Actor } from "../../platform/auth/actor.js";
import { definePolicy, grantsWith, inScopeOf, pathWithin, type Scoped } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";
import { departmentOrgIds } from "../cases/index.js";

/** Roles that read the measures of areas in their scope. */
export const measureReaders: readonly Role[] = ["communityWorker", "communitySecretary", "streetAdmin", "districtAnalyst", "systemAdmin"];
/** Roles that read departments' measures: the readers, and department staff (their own department). */
export const departmentReaders: readonly Role[] = [...measureReaders, "departmentStaff"];
/** Roles that set the weights: the street administrator for areas of their street, the system administrator anywhere. */
const weightEditors: readonly Role[] = ["streetAdmin", "systemAdmin"];

/** An area as the measures pages see it. */
export interface MeasureArea extends Scoped {
  /** City 0, district 1, street 2, community 3, grid 4. */
  depth: number;
}

export const measurePolicy = definePolicy<Scoped, "readDepartments" | "readAllDepartments" | "readWeights" | "editWeights">({
  /** The measures of the area units (streets, communities, grids) under the area. */
  read: inScopeOf(...measureReaders),
  /** The measures of the departments related to the area (department staff: their own only, see readAllDepartments). */
  readDepartments: inScopeOf(...departmentReaders),
  /** Every related department's measures, not only the actor's own department. */
  readAllDepartments: inScopeOf(...measureReaders),
  readWeights: inScopeOf(...departmentReaders),
  editWeights: inScopeOf(...weightEditors),
});

/** The deployment's weights (no area): anyone holding a reader role reads them; the system administrator sets them. */
export function mayReadDeploymentWeights(actor: Actor): boolean {
  return actor.grants.some((g) => departmentReaders.includes(g.role));
}

export function mayEditWeights(actor: Actor, area: Scoped | null): boolean {
  if (area === null) return actor.grants.some((g) => g.role === "systemAdmin");
  return measurePolicy.editWeights(actor, area);
}

/**
 * A ranking is readable from its district down: the root may be the area of a grant, below it, or
 * the district (or street) above it — a street or community reader sees their district's ranking.
 */
export function mayReadRanking(actor: Actor, level: "street" | "department", root: MeasureArea): boolean {
  const roles = level === "department" ? departmentReaders : measureReaders;
  return grantsWith(actor, roles).some((g) => pathWithin(root.areaPath, g.areaPath!) || (pathWithin(g.areaPath!, root.areaPath) && root.depth >= 1));
}

/** Rankings of departments: an actor without any reader grant sees their own department only. */
export function seesOnlyOwnDepartmentsInRanking(actor: Actor): boolean {
  return grantsWith(actor, measureReaders).length === 0;
}

/** One department's trend: its own staff, a reader whose scope and the department's area overlap, the system administrator. */
export function mayReadDepartmentTrend(actor: Actor, department: { id: string; areaPath: string | null }): boolean {
  const own = departmentOrgIds(actor).includes(department.id);
  const path = department.areaPath;
  const reader = path ? grantsWith(actor, measureReaders).some((g) => pathWithin(path, g.areaPath!) || pathWithin(g.areaPath!, path)) : false;
  return own || reader || actor.grants.some((g) => g.role === "systemAdmin");
}

/** The departments an actor who reads only their own may see. */
export { departmentOrgIds };

/** The actor's outermost granted area among the readers of `kind` (the default root of a page), or null. */
export function defaultRootGrant(actor: Actor, kind: "areas" | "departments"): { areaId: string; areaPath: string } | null {
  const gs = grantsWith(actor, kind === "departments" ? departmentReaders : measureReaders).filter((g) => g.areaId !== null);
  gs.sort((a, b) => a.areaPath!.length - b.areaPath!.length);
  const g = gs[0];
  return g ? { areaId: g.areaId!, areaPath: g.areaPath! } : null;
}
