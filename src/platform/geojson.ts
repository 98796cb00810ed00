/**
 * GeoJSON geometry types (RFC 7946; WGS 84, [lng, lat]). A format, not a domain: grids are drawn
 * with it (areas), buildings have footprints (places), cases carry points and move with grids.
 */
export type Position = [number, number];
export type Ring = Position[];
export interface Polygon {
  type: "Polygon";
  coordinates: Ring[];
}
export interface MultiPolygon {
  type: "MultiPolygon";
  coordinates: Ring[][];
}
export type Geometry = Polygon | MultiPolygon;
