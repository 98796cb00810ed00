/**
 * Pure geometry for splitting and merging grids (拆分 / 合并网格): cutting a polygon along a line,
 * checking that parts tile the grid they replace, and the union of neighbouring grids. Areas in m²
 * as `topology.ts` measures them; faults of at most `toleranceM2` (1 m²) count as rounding.
 */
import polygonClipping from "polygon-clipping";
import { bbox, type Geometry, type MultiPolygon, type Polygon, type Position, type Ring } from "./geo.js";
import { areaFrameAt, areaM2, polygonProblems, type AreaFrame } from "./topology.js";
import type { Bilingual } from "../../platform/errors.js";
import { am, part } from "./messages.js";

export const toleranceM2 = 1;

export interface LineString {
  type: "LineString";
  coordinates: Position[];
}

function clip(g: Geometry): Ring[] | Ring[][] {
  return g.coordinates;
}

export function frameOf(g: Geometry): AreaFrame {
  const b = bbox(g);
  return areaFrameAt((b.minLng + b.maxLng) / 2, (b.minLat + b.maxLat) / 2);
}

function centroidOf(p: Ring[]): Position {
  const ring = p[0]!;
  let sx = 0;
  let sy = 0;
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    sx += ring[i]![0];
    sy += ring[i]![1];
  }
  return [sx / n, sy / n];
}

/** What is wrong with a cutting line (both languages), or undefined. */
export function lineIssue(line: LineString): Bilingual | undefined {
  const pts = line.coordinates;
  if (!Array.isArray(pts) || pts.length < 2) return am("line_too_short");
  for (const p of pts) if (!Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) return am("line_invalid_position");
  for (let i = 1; i < pts.length; i++) if (pts[i]![0] === pts[i - 1]![0] && pts[i]![1] === pts[i - 1]![1]) return am("line_repeated_point", { i, j: i + 1 });
  return undefined;
}

/** What is wrong with a cutting line (zh-CN), or undefined. */
export function lineProblem(line: LineString): string | undefined {
  return lineIssue(line)?.zh;
}

/**
 * Cuts a grid along a polyline. The line is extended straight beyond both ends to a circle far
 * outside the grid, which splits the plane into two sides; the grid is clipped against each side
 * and every resulting polygon is one part (a line that weaves in and out yields more than two).
 * Both sides share the line's vertices, so neighbouring parts share their edge exactly. Parts are
 * ordered north to south, then west to east (by the centre of their outer ring's vertices).
 */
export function cutByLine(grid: Geometry, line: LineString): Polygon[] {
  const pts = line.coordinates.map((p) => [p[0], p[1]] as Position);
  const b = bbox(grid);
  const cx = (b.minLng + b.maxLng) / 2;
  const cy = (b.minLat + b.maxLat) / 2;
  let reach = Math.hypot(b.maxLng - b.minLng, b.maxLat - b.minLat);
  for (const [x, y] of pts) reach = Math.max(reach, Math.hypot(x - cx, y - cy));
  const radius = reach * 4 + 1e-6;
  // Where the ray from `from` through `to` leaves the circle.
  const exit = (from: Position, to: Position): Position => {
    const dx = to[0] - from[0];
    const dy = to[1] - from[1];
    const len = Math.hypot(dx, dy);
    const ux = dx / len;
    const uy = dy / len;
    const fx = to[0] - cx;
    const fy = to[1] - cy;
    const bq = fx * ux + fy * uy;
    const t = -bq + Math.sqrt(bq * bq - (fx * fx + fy * fy - radius * radius));
    return [to[0] + ux * t, to[1] + uy * t];
  };
  const start = exit(pts[1]!, pts[0]!);
  const end = exit(pts[pts.length - 2]!, pts[pts.length - 1]!);
  const path: Position[] = [start, ...pts, end];
  const angle = (p: Position) => Math.atan2(p[1] - cy, p[0] - cx);
  // One side: the path, then the arc from `end` counter-clockwise back to `start`; the other side
  // takes the clockwise arc.
  const arc = (from: number, to: number, ccw: boolean): Position[] => {
    let sweep = to - from;
    if (ccw && sweep <= 0) sweep += 2 * Math.PI;
    if (!ccw && sweep >= 0) sweep -= 2 * Math.PI;
    const steps = 64;
    const out: Position[] = [];
    for (let i = 1; i < steps; i++) {
      const a = from + (sweep * i) / steps;
      out.push([cx + radius * Math.cos(a), cy + radius * Math.sin(a)]);
    }
    return out;
  };
  const sides = [true, false].map((ccw): Ring => [...path, ...arc(angle(end), angle(start), ccw), path[0]!]);
  const parts: Polygon[] = [];
  const frame = frameOf(grid);
  for (const side of sides) {
    for (const coordinates of polygonClipping.intersection(clip(grid), [side])) {
      const piece: Polygon = { type: "Polygon", coordinates };
      if (areaM2(piece, frame) > toleranceM2) parts.push(piece);
    }
  }
  return parts
    .map((p) => ({ p, c: centroidOf(p.coordinates) }))
    .sort((x, y) => (Math.abs(y.c[1] - x.c[1]) > 1e-9 ? y.c[1] - x.c[1] : x.c[0] - y.c[0]))
    .map((x) => x.p);
}

export interface PartInput {
  name: string;
  boundary: Geometry;
}

/**
 * Why parts do not tile a grid exactly, each message in zh-CN naming the part: a malformed part,
 * two parts overlapping, a part reaching outside the grid, the grid not covered. Empty when the
 * parts tile the grid within the tolerance.
 */
export function partitionProblems(grid: Geometry, gridName: string, parts: readonly PartInput[]): string[] {
  return partitionIssues(grid, gridName, parts).map((t) => t.zh);
}

/** `partitionProblems` with each message in both languages. */
export function partitionIssues(grid: Geometry, gridName: string, parts: readonly PartInput[]): Bilingual[] {
  const problems: Bilingual[] = [];
  const frame = frameOf(grid);
  const area = (g: Geometry) => areaM2(g, frame);
  const sound: PartInput[] = [];
  for (const p of parts) {
    const found = polygonProblems(p.boundary, part("subject_part", { name: p.name }));
    if (found.length > 0) problems.push({ code: found[0]!.code, zh: found[0]!.message, en: found[0]!.messageEn });
    else sound.push(p);
  }
  if (problems.length > 0) return problems;
  for (let i = 0; i < sound.length; i++) {
    for (let j = i + 1; j < sound.length; j++) {
      const shared: MultiPolygon = { type: "MultiPolygon", coordinates: polygonClipping.intersection(clip(sound[i]!.boundary), clip(sound[j]!.boundary)) };
      const a = area(shared);
      if (a > toleranceM2) problems.push(am("parts_overlap", { a: sound[i]!.name, b: sound[j]!.name, area: a.toFixed(1) }));
    }
  }
  for (const p of sound) {
    const out: MultiPolygon = { type: "MultiPolygon", coordinates: polygonClipping.difference(clip(p.boundary), clip(grid)) };
    const a = area(out);
    if (a > toleranceM2) problems.push(am("part_outside_grid", { name: p.name, area: a.toFixed(1), grid: gridName }));
  }
  if (sound.length > 0) {
    const uncovered: MultiPolygon = { type: "MultiPolygon", coordinates: polygonClipping.difference(clip(grid), ...sound.map((p) => clip(p.boundary))) };
    const a = area(uncovered);
    if (a > toleranceM2) problems.push(am("parts_uncovered", { grid: gridName, area: a.toFixed(1) }));
  }
  return problems;
}

export interface NamedGeometry {
  id: string;
  name: string;
  boundary: Geometry;
}

/**
 * The union of grids as one polygon, or the groups of grids that do not touch one another (grids
 * meeting only at a point do not make one polygon either).
 */
export function unionOf(grids: readonly NamedGeometry[]): { ok: true; boundary: Polygon } | { ok: false; groups: NamedGeometry[][] } {
  const [first, ...rest] = grids;
  if (!first) return { ok: false, groups: [] };
  const merged = polygonClipping.union(clip(first.boundary), ...rest.map((g) => clip(g.boundary)));
  if (merged.length === 1) return { ok: true, boundary: { type: "Polygon", coordinates: merged[0]! } };
  const frame = frameOf(first.boundary);
  const groups = merged.map((coordinates) =>
    grids.filter((g) => areaM2({ type: "MultiPolygon", coordinates: polygonClipping.intersection(clip(g.boundary), [coordinates[0]!]) }, frame) > 0),
  );
  return { ok: false, groups: groups.filter((g) => g.length > 0) };
}
