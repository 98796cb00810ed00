/** Plain GeoJSON geometry helpers (WGS 84, [lng, lat]); no dependency needed for polygons. */

import type { Geometry, MultiPolygon, Polygon, Position, Ring } from "../../platform/geojson.js";

export type { Geometry, MultiPolygon, Polygon, Position, Ring };

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

function polygons(g: Geometry): Ring[][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

export function bbox(g: Geometry): BBox {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const poly of polygons(g)) {
    for (const [lng, lat] of poly[0] ?? []) {
      if (lng < minLng) minLng = lng;
      if (lat < minLat) minLat = lat;
      if (lng > maxLng) maxLng = lng;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return { minLng, minLat, maxLng, maxLat };
}

/**
 * Where a point lies relative to a ring: 1 inside, 0 on the boundary, -1 outside.
 * Boundary points are reported as such so a caller can break ties between neighbouring grids.
 */
export function pointInRing(lng: number, lat: number, ring: Ring): -1 | 0 | 1 {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    // On the segment?
    const cross = (lng - xi) * (yj - yi) - (lat - yi) * (xj - xi);
    if (
      Math.abs(cross) <= 1e-12 &&
      lng >= Math.min(xi, xj) - 1e-12 &&
      lng <= Math.max(xi, xj) + 1e-12 &&
      lat >= Math.min(yi, yj) - 1e-12 &&
      lat <= Math.max(yi, yj) + 1e-12
    ) {
      return 0;
    }
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

/** 1 inside, 0 on an edge (outer or hole), -1 outside; holes exclude their interior. */
export function pointInGeometry(lng: number, lat: number, g: Geometry): -1 | 0 | 1 {
  let best: -1 | 0 | 1 = -1;
  for (const poly of polygons(g)) {
    const outer = poly[0];
    if (!outer) continue;
    const o = pointInRing(lng, lat, outer);
    if (o === -1) continue;
    if (o === 0) {
      best = 0;
      continue;
    }
    let inHole: -1 | 0 | 1 = -1;
    for (const hole of poly.slice(1)) {
      const h = pointInRing(lng, lat, hole);
      if (h !== -1) {
        inHole = h;
        break;
      }
    }
    if (inHole === -1) return 1;
    if (inHole === 0) best = 0;
  }
  return best;
}

/** Validates a GeoJSON Polygon/MultiPolygon: closed rings of at least 4 finite positions. */
export function geometryProblem(g: unknown): string | undefined {
  if (typeof g !== "object" || g === null) return "geometry must be an object";
  const geom = g as { type?: unknown; coordinates?: unknown };
  if (geom.type !== "Polygon" && geom.type !== "MultiPolygon") return "geometry type must be Polygon or MultiPolygon";
  const polys: unknown = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
  if (!Array.isArray(polys) || polys.length === 0) return "coordinates must be a non-empty array";
  for (const poly of polys) {
    if (!Array.isArray(poly) || poly.length === 0) return "a polygon needs at least one ring";
    for (const ring of poly as unknown[]) {
      if (!Array.isArray(ring) || ring.length < 4) return "a ring needs at least 4 positions";
      for (const p of ring as unknown[]) {
        if (!Array.isArray(p) || p.length < 2 || !p.every((v) => typeof v === "number" && Number.isFinite(v))) {
          return "a position must be [lng, lat] numbers";
        }
        const [lng, lat] = p as number[];
        if (lng! < -180 || lng! > 180 || lat! < -90 || lat! > 90) return "a position is outside [-180,180] × [-90,90]";
      }
      const first = ring[0] as number[];
      const last = ring[ring.length - 1] as number[];
      if (first[0] !== last[0] || first[1] !== last[1]) return "a ring must be closed (first position = last position)";
    }
  }
  return undefined;
}
