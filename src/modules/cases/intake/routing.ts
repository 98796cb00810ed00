/**
 * Routing at intake (分拨): which level and which body handles a new case first. The category
 * comes from the catalogue service (../catalogue/catalogue.ts `findActiveCategory`).
 *
 * - 先属主 (owner first): a sub-category whose responsibility is "owner" and that names a
 *   responsible department goes straight to that department (level department).
 * - Otherwise 先属地 (territory first): the sub-category's first level (default grid), handled by
 *   the area of that level on the case's grid path. A first level "department" without a
 *   department (a catalogue installed before its departments exist) falls back to the street,
 *   the hub that dispatches onwards.
 */
import { areaAtLevel } from "../levels.js";
import type { CategoryRow } from "../catalogue/catalogue.js";
import type { CaseLevel } from "../schema.js";

export interface Routing {
  level: CaseLevel;
  handlingAreaId: string | null;
  handlingOrgId: string | null;
}

/** Where a new case of `category` located on the grid path `areaPath` is handled first. */
export function routeCase(category: Pick<CategoryRow, "responsibility" | "departmentOrgId" | "firstLevel">, areaPath: string): Routing {
  if (category.responsibility === "owner" && category.departmentOrgId) {
    return { level: "department", handlingAreaId: null, handlingOrgId: category.departmentOrgId };
  }
  let level: CaseLevel = category.firstLevel ?? "grid";
  if (level === "department") {
    if (category.departmentOrgId) return { level, handlingAreaId: null, handlingOrgId: category.departmentOrgId };
    level = "street";
  }
  return { level, handlingAreaId: areaAtLevel(areaPath, level), handlingOrgId: null };
}
