/**
 * Levels of handling (grid → community → street → district → department) and the area that
 * handles a case at each. A case's `areaPath` is its grid's path "/city/district/street/community/grid/",
 * so the handling area of a level is one segment of it.
 */
import { caseLevels, type CaseLevel } from "./schema.js";

const segmentOf: Record<Exclude<CaseLevel, "department">, number> = { district: 1, street: 2, community: 3, grid: 4 };

/** The area that handles the case at `level` (null for department). */
export function areaAtLevel(areaPath: string, level: CaseLevel): string | null {
  if (level === "department") return null;
  const ids = areaPath.split("/").filter(Boolean);
  return ids[segmentOf[level]] ?? null;
}

/** The path of that area ("/city/…/area/"), for scope checks; null for department. */
export function areaPathAtLevel(areaPath: string, level: CaseLevel): string | null {
  if (level === "department") return null;
  const ids = areaPath.split("/").filter(Boolean);
  const n = segmentOf[level] + 1;
  return ids.length >= n ? `/${ids.slice(0, n).join("/")}/` : null;
}

export function levelIndex(level: CaseLevel): number {
  return caseLevels.indexOf(level);
}

/** The next level up (上报), or null at the top. Area levels escalate to district, not to a department. */
export function levelAbove(level: CaseLevel): CaseLevel | null {
  switch (level) {
    case "grid":
      return "community";
    case "community":
      return "street";
    case "street":
      return "district";
    case "district":
    case "department":
      return null;
  }
}

export const levelLabels: Record<CaseLevel, { zh: string; en: string }> = {
  grid: { zh: "网格", en: "Grid" },
  community: { zh: "社区", en: "Community" },
  street: { zh: "街道", en: "Street" },
  district: { zh: "区级", en: "District" },
  department: { zh: "职能部门", en: "Department" },
};
