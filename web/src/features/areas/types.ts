import type { FeatureCollection, Geometry } from "geojson";
import type { Answer, Schema } from "../../api";

/** The area shapes as the server names them (docs/openapi.json); only what the client adds is declared here. */
export type AreaSummary = Schema<"AreaSummary">;
export type AreaDetail = Schema<"AreaDetail">;
export type AreaLevel = AreaSummary["level"];
/** Grid type: comprehensive 综合网格 / dedicated 专属网格. */
export type GridType = NonNullable<AreaDetail["gridType"]>;

/** [minLng, minLat, maxLng, maxLat] */
export type BBox = [number, number, number, number];

/** An area with its path from the top (root first; may include nodes above the person's scope, for breadcrumbs only) and its children. */
export type AreaResponse = Answer<"get", "/api/areas/{id}">;
export type AreaFeatureProperties = Answer<"get", "/api/areas/{id}/geojson">["features"][number]["properties"];
/** The areas of `GET /api/areas/{id}/geojson` as GeoJSON (Leaflet's type), their properties as the server gives them. */
export type AreaFeatureCollection = FeatureCollection<Geometry, AreaFeatureProperties>;

/** Levels that hold grids below them, from the widest down. */
export function isAboveGrid(level: AreaLevel): boolean {
  return level === "city" || level === "district" || level === "street" || level === "community";
}

/** The server's bbox is four numbers (minItems = maxItems = 4), read as the tuple the map wants. */
export function asBBox(bbox: AreaDetail["bbox"]): BBox | null {
  return bbox && bbox.length === 4 ? [bbox[0]!, bbox[1]!, bbox[2]!, bbox[3]!] : null;
}
