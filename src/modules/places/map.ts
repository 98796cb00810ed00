/**
 * The registry's own map layer: the compounds and buildings of an area, as GeoJSON, for the maps
 * drawn without (or under) any tile provider. A building is its footprint when one is recorded,
 * else its point; a compound (which has no boundary of its own) is drawn as the outline around its
 * buildings. Scoped like the building lists: only buildings in grids the actor reads places of.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { escapeLike, scopeCondition } from "../../platform/policy/index.js";
import type { Geometry, Position, Ring } from "../../platform/geojson.js";
import { readableAreaPath } from "../areas/index.js";
import { placeReaders } from "./policy.js";

/** At most this many buildings in one answer (a street has a few hundred; `truncated` says when cut). */
export const placeMapLimit = 5000;
/** The margin drawn around a compound's buildings, in metres. */
const compoundMarginM = 12;
/** The half-size of the square a building without a footprint stands for in its compound's outline, in metres. */
const pointHalfM = 10;

export interface PointGeometry {
  type: "Point";
  coordinates: Position;
}

export type PlaceMapFeature =
  | { type: "Feature"; geometry: Geometry; properties: { kind: "compound"; id: string; name: string; buildingCount: number } }
  | {
      type: "Feature";
      geometry: Geometry | PointGeometry;
      properties: { kind: "building"; id: string; name: string; compoundId: string; compoundName: string; gridId: string; floors: number };
    };

export interface PlaceMap {
  type: "FeatureCollection";
  features: PlaceMapFeature[];
  /** More buildings than `placeMapLimit` matched: narrow the bbox. */
  truncated: boolean;
}

/** [minLng, minLat, maxLng, maxLat] from "minLng,minLat,maxLng,maxLat"; a bad box is bad input. */
export function parseBbox(raw: string): [number, number, number, number] {
  const parts = raw.split(",").map((p) => Number(p.trim()));
  const [a, b, c, d] = parts;
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)) || a! > c! || b! > d! || a! < -180 || c! > 180 || b! < -90 || d! > 90) {
    throw new AppError("validation_failed", { detail: "bbox 应为 最小经度,最小纬度,最大经度,最大纬度" }, "bbox");
  }
  return [a!, b!, c!, d!];
}

/** Convex hull (Andrew's monotone chain) of points in a local metric plane; counter-clockwise, closed. */
function convexHull(points: Position[]): Position[] {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  if (pts.length < 3) return pts;
  const cross = (o: Position, a: Position, b: Position) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Position[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Position[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/**
 * The outline around a compound's buildings: the convex hull of their footprints (or a small square
 * around each point), widened by a margin — rounded at the corners by an octagon around each vertex.
 */
export function compoundOutline(buildings: { lng: number; lat: number; footprint: Geometry | null }[]): Geometry | null {
  if (buildings.length === 0) return null;
  const lat0 = buildings.reduce((s, b) => s + b.lat, 0) / buildings.length;
  const mPerLng = 111_320 * Math.cos((lat0 * Math.PI) / 180);
  const mPerLat = 110_574;
  const toM = ([lng, lat]: Position): Position => [lng * mPerLng, lat * mPerLat];
  const fromM = ([x, y]: Position): Position => [Math.round((x / mPerLng) * 1e7) / 1e7, Math.round((y / mPerLat) * 1e7) / 1e7];
  const corners: Position[] = [];
  for (const b of buildings) {
    const rings = b.footprint ? (b.footprint.type === "Polygon" ? [b.footprint.coordinates[0]!] : b.footprint.coordinates.map((p) => p[0]!)) : [];
    if (rings.length > 0) for (const ring of rings) for (const p of ring) corners.push(toM(p));
    else {
      const [x, y] = toM([b.lng, b.lat]);
      corners.push([x - pointHalfM, y - pointHalfM], [x + pointHalfM, y - pointHalfM], [x + pointHalfM, y + pointHalfM], [x - pointHalfM, y + pointHalfM]);
    }
  }
  const widened: Position[] = [];
  for (const [x, y] of convexHull(corners)) {
    for (let k = 0; k < 8; k++) widened.push([x + compoundMarginM * Math.cos((k * Math.PI) / 4), y + compoundMarginM * Math.sin((k * Math.PI) / 4)]);
  }
  const hull = convexHull(widened).map(fromM);
  const ring: Ring = [...hull, hull[0]!];
  return { type: "Polygon", coordinates: [ring] };
}

/**
 * The compounds and buildings under an area (a street, a community, a grid), optionally within a
 * bbox: 404 for an area the actor cannot read; buildings outside the actor's place scope left out.
 */
export async function placesMap(db: Db, actor: Actor, opts: { areaId: string; bbox?: string | undefined }): Promise<PlaceMap> {
  const areaPath = await readableAreaPath(db, actor, opts.areaId);
  const box = opts.bbox !== undefined ? parseBbox(opts.bbox) : undefined;
  const conds = [sql`(${scopeCondition(actor, placeReaders, sql`g.path`)})`, sql`g.path like ${`${escapeLike(areaPath)}%`}`];
  if (box) conds.push(sql`b.lng between ${box[0]} and ${box[2]} and b.lat between ${box[1]} and ${box[3]}`);
  const list = await rows<{ id: string; name: string; compound_id: string; compound_name: string; grid_id: string; floors: number; lng: number; lat: number; footprint: Geometry | null }>(
    db,
    sql`select b.id, b.name, b.compound_id, c.name as compound_name, b.grid_id, b.floors, b.lng, b.lat, b.footprint
        from buildings b join compounds c on c.id = b.compound_id join areas g on g.id = b.grid_id
        where ${sql.join(conds, sql` and `)}
        order by c.name, length(b.name), b.name, b.id
        limit ${placeMapLimit + 1}`,
  );
  const truncated = list.length > placeMapLimit;
  const shown = truncated ? list.slice(0, placeMapLimit) : list;
  const byCompound = new Map<string, { name: string; buildings: typeof shown }>();
  for (const b of shown) {
    const entry = byCompound.get(b.compound_id) ?? { name: b.compound_name, buildings: [] };
    entry.buildings.push(b);
    byCompound.set(b.compound_id, entry);
  }
  const features: PlaceMapFeature[] = [];
  for (const [id, c] of byCompound) {
    const outline = compoundOutline(c.buildings.map((b) => ({ lng: Number(b.lng), lat: Number(b.lat), footprint: b.footprint })));
    if (outline) features.push({ type: "Feature", geometry: outline, properties: { kind: "compound", id, name: c.name, buildingCount: c.buildings.length } });
  }
  for (const b of shown) {
    features.push({
      type: "Feature",
      geometry: b.footprint ?? { type: "Point", coordinates: [Number(b.lng), Number(b.lat)] },
      properties: { kind: "building", id: b.id, name: b.name, compoundId: b.compound_id, compoundName: b.compound_name, gridId: b.grid_id, floors: b.floors },
    });
  }
  return { type: "FeatureCollection", features, truncated };
}
