/**
 * 导入修复: the optional repair of a GeoJSON grid import, asked for with a threshold in m², never
 * applied silently. Pure functions, no database; every change comes back as a `Repair` naming the
 * feature, what was done, the area moved and from whom to whom, so the dry run can list it.
 *
 * - `makeValid` — one polygon: repeated vertices and zero-area spikes removed, then, if edges
 *   still cross or touch, the polygon rebuilt as the union of itself (polygon-clipping), which
 *   turns a bow-tie into its two triangles. Open rings, too few points, holes outside their shell
 *   and rings without area are not guessed at: they stay errors.
 * - `repairTopology` — a community's imported features among themselves and with the grids that
 *   stay: a part outside the community of at most the threshold is cut off; an overlap of at most
 *   the threshold goes to one side only (a grid that stays always keeps it, otherwise the side
 *   sharing the longer border with the overlap); a gap (part of the community in no grid) of at
 *   most the threshold joins the imported neighbour sharing the longest border with it. Faults
 *   above the threshold are left as they are, for the import's checks to refuse as before.
 *
 * Areas and lengths are measured as `topology.ts` measures them, in the frame of the community.
 */
import Flatbush from "flatbush";
import polygonClipping from "polygon-clipping";
import { bbox, type Geometry, type Polygon, type Position, type Ring } from "./geo.js";
import { areaM2, polygonProblems, type AreaFrame } from "./topology.js";
import { frameOf, toleranceM2 } from "./partition.js";
import type { Bilingual } from "../../platform/errors.js";
import { am, part } from "./messages.js";

/** The largest threshold accepted: a fault above a hectare is no sliver. */
export const maxRepairM2 = 10_000;

/** Spikes: the shorter arm's tip lies within this of the longer arm's line (m). */
const spikeWidthM = 0.001;
/** Two edges lie on one line when each end of one is within this of the other's line (m). */
const borderToleranceM = 0.01;
/** Pieces left by the clipping with at most this area (m²) are dropped as rounding. */
const crumbM2 = 0.01;

export type RepairKind = "duplicate_points" | "spike" | "self_intersection" | "outside" | "overlap" | "gap";

/** Who gave or received area: an imported feature (by its number) or a grid that stays (by id). */
export interface RepairParty {
  feature: number | null;
  id: string | null;
  name: string;
}

export interface Repair {
  kind: RepairKind;
  /** The feature whose shape changed (1-based), and its name. */
  feature: number;
  name: string;
  /**
   * m²: the overlap given away, the gap taken in, the part outside cut off; for
   * `self_intersection` the rebuilt polygon's area; 0 for repeated vertices and spikes.
   */
  areaM2: number;
  /** Overlap: the feature giving it up; outside: the feature; gap and shape repairs: null. */
  from: RepairParty | null;
  /** Overlap and gap: who has the area now; outside (the area leaves every grid) and shape repairs: null. */
  to: RepairParty | null;
  /** Where: the first spike, the first crossing. */
  at?: Position;
  /** Stable code of the message (see `messages.ts`). */
  code: string;
  /** zh-CN, naming the feature by its number and name. */
  message: string;
  messageEn: string;
}

function polygonsOf(g: Geometry): Ring[][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

/** polygon-clipping's answer as a Polygon when it is one piece. */
function fromClip(coordinates: Ring[][]): Geometry {
  return coordinates.length === 1 ? { type: "Polygon", coordinates: coordinates[0]! } : { type: "MultiPolygon", coordinates };
}

function fmt(p: Position): string {
  return `[${+p[0].toFixed(7)}, ${+p[1].toFixed(7)}]`;
}

function labelOf(feature: number, name: string): Bilingual {
  return part("subject_feature_named", { n: feature, name });
}

function partyLabel(p: RepairParty): Bilingual {
  return p.feature !== null ? labelOf(p.feature, p.name) : part("subject_current_grid", { name: p.name });
}

function repair(kind: RepairKind, who: { feature: number; name: string }, t: Bilingual, rest: Partial<Pick<Repair, "areaM2" | "from" | "to" | "at">>): Repair {
  return { kind, feature: who.feature, name: who.name, areaM2: rest.areaM2 ?? 0, from: rest.from ?? null, to: rest.to ?? null, ...(rest.at ? { at: rest.at } : {}), code: t.code, message: t.zh, messageEn: t.en };
}

/** Metres east and north of the frame's origin. */
function local(frame: AreaFrame): (p: Position) => Position {
  return ([lng, lat]) => [(lng - frame.lng0) * frame.mPerDegLng, (lat - frame.lat0) * frame.mPerDegLat];
}

// --- one polygon ----------------------------------------------------------------------------

interface CleanedRing {
  ring: Position[];
  duplicates: number;
  spikes: number;
  firstSpike?: Position;
}

/**
 * A ring (open: without its closing position) without repeated consecutive vertices and without
 * spikes — a vertex where the ring runs out and comes back along the same line — removed again
 * and again, since taking away the tip of a spike may leave a shorter one.
 */
function cleanRing(open: readonly Position[], toM: (p: Position) => Position): CleanedRing {
  const list = open.slice();
  let duplicates = 0;
  let spikes = 0;
  let firstSpike: Position | undefined;
  const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];
  for (let changed = true; changed && list.length >= 3; ) {
    changed = false;
    for (let i = 0; i < list.length && list.length > 1; ) {
      if (same(list[i]!, list[(i + list.length - 1) % list.length]!)) {
        list.splice(i, 1);
        duplicates++;
        changed = true;
      } else i++;
    }
    for (let i = 0; i < list.length && list.length >= 3; ) {
      const [px, py] = toM(list[(i + list.length - 1) % list.length]!);
      const [vx, vy] = toM(list[i]!);
      const [qx, qy] = toM(list[(i + 1) % list.length]!);
      const u1: Position = [px - vx, py - vy];
      const u2: Position = [qx - vx, qy - vy];
      const l1 = Math.hypot(u1[0], u1[1]);
      const l2 = Math.hypot(u2[0], u2[1]);
      const dot = u1[0] * u2[0] + u1[1] * u2[1];
      const cross = Math.abs(u1[0] * u2[1] - u1[1] * u2[0]);
      if (l1 > 0 && l2 > 0 && dot > 0 && cross / Math.max(l1, l2) <= spikeWidthM) {
        firstSpike ??= list[i]!;
        list.splice(i, 1);
        spikes++;
        changed = true;
        i = Math.max(0, i - 1);
      } else i++;
    }
  }
  return { ring: list, duplicates, spikes, ...(firstSpike ? { firstSpike } : {}) };
}

/**
 * One feature's polygon made valid, with the repairs done (empty when nothing needed doing). A
 * polygon with a fault this does not repair (see the file comment) comes back unchanged, for the
 * import's check to report as before.
 */
export function makeValid(geometry: Geometry, who: { feature: number; name: string }): { geometry: Geometry; repairs: Repair[] } {
  const unchanged = { geometry, repairs: [] };
  const before = polygonProblems(geometry);
  if (before.some((p) => p.code !== "self_intersection")) return unchanged;
  const frame = frameOf(geometry);
  const toM = local(frame);
  let duplicates = 0;
  let spikes = 0;
  let firstSpike: Position | undefined;
  const cleaned: Ring[][] = [];
  for (const poly of polygonsOf(geometry)) {
    const rings: Ring[] = [];
    for (const [r, ring] of poly.entries()) {
      const c = cleanRing(ring.slice(0, -1), toM);
      duplicates += c.duplicates;
      spikes += c.spikes;
      firstSpike ??= c.firstSpike;
      if (c.ring.length >= 3) rings.push([...c.ring, c.ring[0]!]);
      else if (r === 0) return unchanged; // the whole outer ring was a spike
    }
    cleaned.push(rings);
  }
  let result: Geometry = geometry.type === "Polygon" ? { type: "Polygon", coordinates: cleaned[0]! } : { type: "MultiPolygon", coordinates: cleaned };
  const label = labelOf(who.feature, who.name);
  const repairs: Repair[] = [];
  if (duplicates > 0) repairs.push(repair("duplicate_points", who, am("repair_duplicate_points", { label, count: duplicates }), {}));
  if (spikes > 0) repairs.push(repair("spike", who, am("repair_spike", { label, count: spikes, at: fmt(firstSpike!) }), { at: firstSpike! }));
  const crossing = polygonProblems(result);
  if (crossing.length > 0) {
    const pieces = polygonClipping.union(result.coordinates).filter((coordinates) => areaM2({ type: "Polygon", coordinates }, frame) > crumbM2);
    if (pieces.length === 0) return unchanged;
    const rebuilt = fromClip(pieces);
    if (polygonProblems(rebuilt).length > 0) return unchanged;
    const at = crossing[0]!.position;
    const area = areaM2(rebuilt, frame);
    const t = am("repair_self_intersection", { label, parts: pieces.length, area: area.toFixed(1), at: at ? fmt(at) : "" });
    repairs.push(repair("self_intersection", who, t, { areaM2: area, ...(at ? { at } : {}) }));
    result = rebuilt;
  }
  return repairs.length === 0 ? unchanged : { geometry: result, repairs };
}

// --- borders --------------------------------------------------------------------------------

type Segment = [Position, Position];

function segmentsOf(g: Geometry, toM: (p: Position) => Position): Segment[] {
  const out: Segment[] = [];
  for (const poly of polygonsOf(g)) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++) out.push([toM(ring[i]!), toM(ring[i + 1]!)]);
    }
  }
  return out;
}

/**
 * Length in metres of the border two polygons share: the parts of their edges lying on one line
 * (within 1 cm) and overlapping. Neighbours cut by the same clipping share their edges exactly;
 * the tolerance takes up the rounding of the intersection points.
 */
export function sharedBorderM(a: Geometry, b: Geometry, frame: AreaFrame): number {
  const toM = local(frame);
  const as = segmentsOf(a, toM);
  const bs = segmentsOf(b, toM);
  if (as.length === 0 || bs.length === 0) return 0;
  const tree = new Flatbush(bs.length);
  for (const [p, q] of bs) tree.add(Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.max(p[0], q[0]), Math.max(p[1], q[1]));
  tree.finish();
  const e = borderToleranceM;
  let total = 0;
  for (const [p, q] of as) {
    const dx = q[0] - p[0];
    const dy = q[1] - p[1];
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    const ux = dx / len;
    const uy = dy / len;
    for (const j of tree.search(Math.min(p[0], q[0]) - e, Math.min(p[1], q[1]) - e, Math.max(p[0], q[0]) + e, Math.max(p[1], q[1]) + e)) {
      const [r, s] = bs[j]!;
      const off = (x: Position) => Math.abs((x[0] - p[0]) * uy - (x[1] - p[1]) * ux);
      if (off(r) > e || off(s) > e) continue;
      const tr = (r[0] - p[0]) * ux + (r[1] - p[1]) * uy;
      const ts = (s[0] - p[0]) * ux + (s[1] - p[1]) * uy;
      const lo = Math.max(0, Math.min(tr, ts));
      const hi = Math.min(len, Math.max(tr, ts));
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

// --- a community's features -----------------------------------------------------------------

/** An imported feature (`feature` set: its shape may change) or a grid that stays (`feature` null: never changed). */
export interface RepairSubject {
  feature: number | null;
  id: string | null;
  name: string;
  geometry: Geometry;
}

export interface TopologyRepairOptions {
  /** Faults of at most this area (m²) are repaired. */
  maxM2: number;
  /** Faults of at most this area are rounding, neither reported nor repaired; default 1 m² as in the checks. */
  minM2?: number;
}

function party(s: RepairSubject): RepairParty {
  return { feature: s.feature, id: s.id, name: s.name };
}

function clipDifference(a: Geometry, ...others: Geometry[]): Ring[][] {
  return polygonClipping.difference(a.coordinates, ...others.map((o) => o.coordinates));
}

/**
 * The features' shapes after repairing what lies within the threshold (same order as `subjects`;
 * grids that stay come back as they were) and the repairs, in the order done: parts outside the
 * community, then overlaps (pairs by feature number), then gaps (largest first).
 */
export function repairTopology(community: Geometry, subjects: readonly RepairSubject[], options: TopologyRepairOptions): { geometries: Geometry[]; repairs: Repair[] } {
  const min = options.minM2 ?? toleranceM2;
  const max = options.maxM2;
  const frame = frameOf(community);
  const area = (g: Geometry) => areaM2(g, frame);
  const shapes = subjects.map((s) => s.geometry);
  const repairs: Repair[] = [];
  const who = (i: number) => ({ feature: subjects[i]!.feature!, name: subjects[i]!.name });
  const features = subjects.map((s, i) => (s.feature !== null ? i : -1)).filter((i) => i >= 0);
  if (features.length === 0 || max <= min) return { geometries: shapes, repairs };

  // Outside the community: cut off.
  for (const i of features) {
    const out = area(fromClip(clipDifference(shapes[i]!, community)));
    if (out <= min || out > max) continue;
    const inside = polygonClipping.intersection(shapes[i]!.coordinates, community.coordinates).filter((coordinates) => area({ type: "Polygon", coordinates }) > crumbM2);
    if (inside.length === 0 || area(fromClip(inside)) <= min) continue;
    shapes[i] = fromClip(inside);
    const t = am("repair_outside", { label: labelOf(who(i).feature, who(i).name), area: out.toFixed(1) });
    repairs.push(repair("outside", who(i), t, { areaM2: out, from: party(subjects[i]!) }));
  }

  // Overlaps: one side gives up the shared part. Shapes only shrink here, so the boxes hold.
  const tree = new Flatbush(subjects.length);
  for (const g of shapes) {
    const b = bbox(g);
    tree.add(b.minLng, b.minLat, b.maxLng, b.maxLat);
  }
  tree.finish();
  for (let i = 0; i < subjects.length; i++) {
    const b = bbox(shapes[i]!);
    const near = tree.search(b.minLng, b.minLat, b.maxLng, b.maxLat).filter((j) => j > i);
    near.sort((x, y) => x - y);
    for (const j of near) {
      if (subjects[i]!.feature === null && subjects[j]!.feature === null) continue;
      const shared = polygonClipping.intersection(shapes[i]!.coordinates, shapes[j]!.coordinates);
      const a = area(fromClip(shared));
      if (a <= min || a > max) continue;
      const sharedGeometry = fromClip(shared);
      // A grid that stays keeps what it has; between two features the longer border with the overlap wins, the earlier on a tie.
      let winner: number;
      let borders: [number, number] | undefined;
      if (subjects[i]!.feature === null) winner = i;
      else if (subjects[j]!.feature === null) winner = j;
      else {
        const bi = sharedBorderM(sharedGeometry, fromClip(clipDifference(shapes[i]!, shapes[j]!)), frame);
        const bj = sharedBorderM(sharedGeometry, fromClip(clipDifference(shapes[j]!, shapes[i]!)), frame);
        borders = [bi, bj];
        winner = bj > bi + borderToleranceM ? j : i;
      }
      const loser = winner === i ? j : i;
      const rest = clipDifference(shapes[loser]!, shapes[winner]!).filter((coordinates) => area({ type: "Polygon", coordinates }) > crumbM2);
      if (rest.length === 0 || area(fromClip(rest)) <= min) continue; // a whole grid is no sliver
      shapes[loser] = fromClip(rest);
      const to = party(subjects[winner]!);
      const params = { label: labelOf(who(loser).feature, who(loser).name), other: partyLabel(to), area: a.toFixed(1) };
      const t = borders
        ? am("repair_overlap", { ...params, border: Math.max(...borders).toFixed(1), otherBorder: Math.min(...borders).toFixed(1) })
        : am("repair_overlap_current", params);
      repairs.push(repair("overlap", who(loser), t, { areaM2: a, from: party(subjects[loser]!), to }));
    }
  }

  // Gaps: the imported neighbour sharing the longest border takes each in.
  const pieces = clipDifference(community, ...shapes)
    .map((coordinates): Polygon => ({ type: "Polygon", coordinates }))
    .map((g) => ({ g, a: area(g) }))
    .filter(({ a }) => a > min && a <= max)
    .sort((x, y) => y.a - x.a);
  for (const { g, a } of pieces) {
    const b = bbox(g);
    const pad = 1e-6;
    let best = -1;
    let bestBorder = borderToleranceM;
    for (const i of features) {
      const c = bbox(shapes[i]!);
      if (c.minLng > b.maxLng + pad || c.maxLng < b.minLng - pad || c.minLat > b.maxLat + pad || c.maxLat < b.minLat - pad) continue;
      const border = sharedBorderM(g, shapes[i]!, frame);
      if (border > bestBorder + (best >= 0 ? borderToleranceM : 0)) {
        best = i;
        bestBorder = border;
      }
    }
    if (best < 0) continue;
    const joined = polygonClipping.union(shapes[best]!.coordinates, g.coordinates).filter((coordinates) => area({ type: "Polygon", coordinates }) > crumbM2);
    shapes[best] = fromClip(joined);
    const t = am("repair_gap", { label: labelOf(who(best).feature, who(best).name), area: a.toFixed(1), border: bestBorder.toFixed(1) });
    repairs.push(repair("gap", who(best), t, { areaM2: a, to: party(subjects[best]!) }));
  }
  return { geometries: shapes, repairs };
}
