import { isAboveGrid, type AreaResponse, type AreaSummary } from "./types";

/**
 * The ancestors the person may open: from the first that is one of their root nodes down.
 * Nodes above that are shown in breadcrumbs for orientation only.
 */
export function inScopeAncestors(ancestors: AreaSummary[], rootIds: ReadonlySet<string>): AreaSummary[] {
  const first = ancestors.findIndex((a) => rootIds.has(a.id));
  return first < 0 ? [] : ancestors.slice(first);
}

/**
 * Which area's GeoJSON gives a selection its context on the map: the area itself from the
 * community up; for a grid, its community (so its neighbours show), when that is within scope.
 */
export function mapContextId(res: AreaResponse, rootIds: ReadonlySet<string>): string {
  if (isAboveGrid(res.area.level)) return res.area.id;
  const reachable = inScopeAncestors(res.ancestors, rootIds);
  const community = [...reachable].reverse().find((a) => a.level === "community");
  if (community) return community.id;
  const grid = [...reachable].reverse().find((a) => a.level === "grid");
  return grid?.id ?? res.area.id;
}
