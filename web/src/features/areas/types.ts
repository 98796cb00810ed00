import type { FeatureCollection, Geometry } from "geojson";

export const areaLevels = ["city", "district", "street", "community", "grid", "microGrid"] as const;
export type AreaLevel = (typeof areaLevels)[number];

/** Grid type: comprehensive 综合网格 / dedicated 专属网格. */
export type GridType = "comprehensive" | "dedicated";

export interface AreaSummary {
  id: string;
  parentId: string | null;
  level: AreaLevel;
  code: string | null;
  name: string;
  childCount: number;
}

/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [number, number, number, number];

export interface AreaDetail extends AreaSummary {
  gridType: GridType | null;
  householdCount: number;
  bbox: BBox | null;
  /** Validity of a grid (validTo exclusive: retired from that day on). */
  validFrom?: string | null;
  validTo?: string | null;
  predecessors?: import("./gridEditApi").LineageLink[];
  successors?: import("./gridEditApi").LineageLink[];
  abilities?: { update: boolean; drawGrids: boolean };
}

export interface AreaResponse {
  area: AreaDetail;
  /** Root first; may include nodes above the person's scope (for breadcrumbs only). */
  ancestors: AreaSummary[];
  children: AreaSummary[];
}

export interface AreaFeatureProperties {
  id: string;
  name: string;
  code: string | null;
  level: AreaLevel;
  parentId: string | null;
  gridType: GridType | null;
  validFrom?: string | null;
  validTo?: string | null;
}

export type AreaFeatureCollection = FeatureCollection<Geometry, AreaFeatureProperties>;

export interface LocateResponse {
  grid: AreaSummary;
  community: AreaSummary;
}

/** Levels that hold grids below them, from the widest down. */
export function isAboveGrid(level: AreaLevel): boolean {
  return level === "city" || level === "district" || level === "street" || level === "community";
}
