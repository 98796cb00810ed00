/**
 * Checks of grid boundaries (网格拓扑检查): whether one polygon is well formed, and whether the
 * grids of a community tile it — no gaps, no overlaps, nothing outside — with the area of each
 * fault, so bad data is reported instead of silently accepted. Pure functions, no database.
 *
 * Areas are in square metres, of the polygon as drawn — edges straight in longitude and latitude,
 * as the point test and the clipping take them — integrated exactly over the WGS 84 ellipsoid
 * with its radii of curvature M₀, N₀ held at the community's centre latitude φ₀. That holds the
 * area element M·N·cos φ to about 1.2 % per radian of latitude from φ₀: under 0.001 % across a
 * community, under 0.01 % across a whole city.
 */
import Flatbush from "flatbush";
import polygonClipping from "polygon-clipping";
import { bbox, pointInRing, type Geometry, type MultiPolygon, type Polygon, type Position, type Ring } from "./geo.js";
import { compareGrids } from "./spatial.js";
import type { Bilingual } from "../../platform/errors.js";
import { am, part } from "./messages.js";

// --- one polygon ----------------------------------------------------------------------------

export type PolygonProblemCode = "invalid_position" | "too_few_points" | "ring_not_closed" | "self_intersection" | "hole_outside_shell" | "zero_area";

export interface PolygonProblem {
  code: PolygonProblemCode;
  /** zh-CN, naming the feature and the ring. */
  message: string;
  /** The same in English. */
  messageEn: string;
  /** Where: the crossing, the stray vertex, the unmatched end. */
  position?: Position;
  /** Which polygon (of a MultiPolygon) and ring (0 = outer ring) the problem is in; 0-based. */
  polygon: number;
  ring: number;
}

/** A ring whose area is at most this is reported as having none. */
const zeroAreaM2 = 0.01;
/** At most this many crossings are listed per polygon; one is enough to reject it. */
const maxCrossings = 20;

function polygonsOf(g: Geometry): Ring[][] {
  return g.type === "Polygon" ? [g.coordinates] : g.coordinates;
}

function fmt(p: Position): string {
  return `[${+p[0].toFixed(7)}, ${+p[1].toFixed(7)}]`;
}

function ringLabel(multi: boolean, polygon: number, ring: number): Bilingual {
  if (multi) return ring === 0 ? part("ring_outer_of", { polygon: polygon + 1 }) : part("ring_inner_of", { polygon: polygon + 1, ring });
  return ring === 0 ? part("ring_outer") : part("ring_inner", { ring });
}

function isPosition(p: unknown): p is Position {
  return Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

/** Twice the signed area of the triangle a, b, c: > 0 when c lies left of a → b. */
function orient(a: Position, b: Position, c: Position): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** c, known collinear with a–b, lies within the segment a–b. */
function within(a: Position, b: Position, c: Position): boolean {
  return c[0] >= Math.min(a[0], b[0]) && c[0] <= Math.max(a[0], b[0]) && c[1] >= Math.min(a[1], b[1]) && c[1] <= Math.max(a[1], b[1]);
}

interface Edge {
  ring: number;
  /** Index of the edge in its ring; edge k runs from vertex k to vertex k + 1 (mod m). */
  k: number;
  /** Number of edges of its ring. */
  m: number;
  a: Position;
  b: Position;
}

/**
 * Where two edges meet improperly, or undefined. Within one ring any contact between
 * non-adjacent edges counts (a crossing, a touch, a pinch); adjacent edges only when they fold
 * back over each other (a spike). Between rings only a crossing counts: a hole may touch its
 * outer ring at a point.
 */
function contact(e: Edge, f: Edge): Position | undefined {
  const sameRing = e.ring === f.ring;
  if (sameRing) {
    const next = (e.k + 1) % e.m === f.k;
    const prev = (f.k + 1) % f.m === e.k;
    if (next || prev) {
      if (e.m === 3) return undefined;
      // Shared vertex s; the edges fold back when the far ends lie on the same ray from it.
      const [p, s, q] = next ? [e.a, e.b, f.b] : [f.a, f.b, e.b];
      const fold = orient(p, s, q) === 0 && (p[0] - s[0]) * (q[0] - s[0]) + (p[1] - s[1]) * (q[1] - s[1]) > 0;
      return fold ? s : undefined;
    }
  }
  const o1 = orient(e.a, e.b, f.a);
  const o2 = orient(e.a, e.b, f.b);
  const o3 = orient(f.a, f.b, e.a);
  const o4 = orient(f.a, f.b, e.b);
  if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0))) {
    const t = o3 / (o3 - o4);
    return [e.a[0] + t * (e.b[0] - e.a[0]), e.a[1] + t * (e.b[1] - e.a[1])];
  }
  if (!sameRing) return undefined;
  if (o1 === 0 && within(e.a, e.b, f.a)) return f.a;
  if (o2 === 0 && within(e.a, e.b, f.b)) return f.b;
  if (o3 === 0 && within(f.a, f.b, e.a)) return e.a;
  if (o4 === 0 && within(f.a, f.b, e.b)) return e.b;
  return undefined;
}

/** Pairs of edges meeting improperly: all pairs for few edges, an R-tree of edge boxes for many. */
function crossings(edges: Edge[], limit: number): { e: Edge; f: Edge; at: Position }[] {
  const found: { e: Edge; f: Edge; at: Position }[] = [];
  const check = (i: number, j: number): boolean => {
    const at = contact(edges[i]!, edges[j]!);
    if (at) found.push({ e: edges[i]!, f: edges[j]!, at });
    return found.length >= limit;
  };
  if (edges.length <= 32) {
    for (let i = 0; i < edges.length; i++) for (let j = i + 1; j < edges.length; j++) if (check(i, j)) return found;
    return found;
  }
  const tree = new Flatbush(edges.length);
  for (const { a, b } of edges) tree.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  tree.finish();
  for (let i = 0; i < edges.length; i++) {
    const { a, b } = edges[i]!;
    const near = tree.search(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
    near.sort((x, y) => x - y);
    for (const j of near) if (j > i && check(i, j)) return found;
  }
  return found;
}

/**
 * What is wrong with a Polygon or MultiPolygon, each problem with a zh-CN message naming the
 * feature (`name`, e.g. 网格「玉林第1网格」) and the ring: an invalid position, a ring with fewer
 * than three distinct vertices, an open ring, edges crossing or touching (within a ring, or a hole
 * crossing its outer ring or another hole), a hole outside its outer ring, a ring without area.
 * Empty when the geometry is sound. Overlaps between the parts of a MultiPolygon are not checked.
 */
export function polygonProblems(geometry: Geometry, name?: string | Bilingual): PolygonProblem[] {
  const subject: Bilingual = name === undefined ? part("subject_boundary") : typeof name === "string" ? { code: "name", zh: name, en: name } : name;
  const text = (t: Bilingual) => ({ message: t.zh, messageEn: t.en });
  const problems: PolygonProblem[] = [];
  const polys = polygonsOf(geometry);
  const multi = geometry.type === "MultiPolygon";
  if (!Array.isArray(polys) || polys.length === 0) {
    return [{ code: "too_few_points", ...text(am("polygon_none", { subject })), polygon: 0, ring: 0 }];
  }
  polys.forEach((poly, p) => {
    if (!Array.isArray(poly) || poly.length === 0) {
      const t = multi ? am("polygon_no_shell_of", { subject, polygon: p + 1 }) : am("polygon_no_shell", { subject });
      problems.push({ code: "too_few_points", ...text(t), polygon: p, ring: 0 });
      return;
    }
    const usable: (Position[] | undefined)[] = [];
    poly.forEach((ring, r) => {
      const where = { subject, ring: ringLabel(multi, p, r) };
      if (!Array.isArray(ring) || !ring.every(isPosition)) {
        problems.push({ code: "invalid_position", ...text(am("invalid_position", where)), polygon: p, ring: r });
        usable.push(undefined);
        return;
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      const closed = first !== undefined && last !== undefined && ring.length > 1 && first[0] === last[0] && first[1] === last[1];
      if (first && last && !closed && ring.length > 1) {
        problems.push({
          code: "ring_not_closed",
          ...text(am("ring_not_closed", { ...where, first: fmt(first), last: fmt(last) })),
          position: last,
          polygon: p,
          ring: r,
        });
      }
      // The vertices once each, without repeated consecutive positions.
      const open = closed ? ring.slice(0, -1) : ring.slice();
      const vertices = open.filter((v, i) => {
        const prev = open[(i + open.length - 1) % open.length]!;
        return open.length === 1 || v[0] !== prev[0] || v[1] !== prev[1];
      });
      if (vertices.length < 3 || (closed && ring.length < 4)) {
        problems.push({
          code: "too_few_points",
          ...text(am("too_few_points", { ...where, count: vertices.length })),
          ...(first ? { position: first } : {}),
          polygon: p,
          ring: r,
        });
        usable.push(undefined);
        return;
      }
      if (fanAreaM2(vertices) <= zeroAreaM2) {
        problems.push({ code: "zero_area", ...text(am("zero_area", where)), position: vertices[0]!, polygon: p, ring: r });
        usable.push(undefined);
        return;
      }
      usable.push(vertices);
    });

    const edges: Edge[] = [];
    usable.forEach((vs, r) => {
      if (!vs) return;
      for (let k = 0; k < vs.length; k++) edges.push({ ring: r, k, m: vs.length, a: vs[k]!, b: vs[(k + 1) % vs.length]! });
    });
    for (const { e, f, at } of crossings(edges, maxCrossings)) {
      const t =
        e.ring === f.ring
          ? am("self_intersection", { subject, ring: ringLabel(multi, p, e.ring), e: e.k + 1, f: f.k + 1, at: fmt(at) })
          : am("rings_cross", { subject, ring: ringLabel(multi, p, e.ring), other: ringLabel(false, p, f.ring), at: fmt(at) });
      problems.push({ code: "self_intersection", ...text(t), position: at, polygon: p, ring: e.ring });
    }

    const shell = usable[0];
    usable.forEach((vs, r) => {
      if (!vs) return;
      if (r > 0 && shell) {
        const stray = vs.find(([lng, lat]) => pointInRing(lng, lat, shell) === -1);
        if (stray) {
          const t = am("hole_outside_shell", { subject, ring: ringLabel(multi, p, r), at: fmt(stray) });
          problems.push({ code: "hole_outside_shell", ...text(t), position: stray, polygon: p, ring: r });
        }
      }
    });
  });
  return problems;
}

// --- areas ----------------------------------------------------------------------------------

const wgs84A = 6378137;
const wgs84E2 = 0.00669437999014;
const rad = Math.PI / 180;

/**
 * How areas are measured about a reference latitude φ₀ (see the file comment): the radii of
 * curvature of the WGS 84 ellipsoid there, M₀ along the meridian and N₀ across it.
 */
export interface AreaFrame {
  lng0: number;
  lat0: number;
  /** M₀·N₀, m². */
  mn: number;
  /** Metres per degree of latitude and, at φ₀, of longitude (for the local plane). */
  mPerDegLat: number;
  mPerDegLng: number;
}

export function areaFrameAt(lng0: number, lat0: number): AreaFrame {
  const s = Math.sin(lat0 * rad);
  const w = 1 - wgs84E2 * s * s;
  const n = wgs84A / Math.sqrt(w);
  const m = (wgs84A * (1 - wgs84E2)) / (w * Math.sqrt(w));
  return { lng0, lat0, mn: m * n, mPerDegLat: m * rad, mPerDegLng: n * Math.cos(lat0 * rad) * rad };
}

/**
 * Signed area of a ring (closed or not), positive when counter-clockwise: ∬ M₀N₀ cos φ dφ dλ over
 * the ring with edges straight in (λ, φ), by Green's theorem −M₀N₀ ∮ (sin φ − sin φ₀) dλ, each edge
 * integrated exactly: ∫ sin φ dλ = Δλ · sin φₘ · sin(Δφ/2)/(Δφ/2), stable however short the edge.
 */
function ringAreaM2(ring: readonly Position[], frame: AreaFrame): number {
  const n = ring.length;
  if (n < 3) return 0;
  const sin0 = Math.sin(frame.lat0 * rad);
  let sum = 0;
  let [lng1, lat1] = ring[n - 1]!;
  for (let i = 0; i < n; i++) {
    const [lng2, lat2] = ring[i]!;
    const dLng = (lng2 - lng1) * rad;
    if (dLng !== 0) {
      const half = ((lat2 - lat1) * rad) / 2;
      const sinc = half === 0 ? 1 : Math.sin(half) / half;
      sum += dLng * (Math.sin(((lat1 + lat2) / 2) * rad) * sinc - sin0);
    }
    lng1 = lng2;
    lat1 = lat2;
  }
  return -sum * frame.mn;
}

/**
 * Sum of the unsigned areas of the triangles fanning out from the first vertex, in the local
 * plane: zero exactly when all vertices lie on one line, unlike the signed area, which a
 * symmetric bow-tie also brings to 0.
 */
function fanAreaM2(vertices: readonly Position[]): number {
  const [lng0, lat0] = vertices[0]!;
  const f = areaFrameAt(lng0, lat0);
  const local = ([lng, lat]: Position): Position => [(lng - lng0) * f.mPerDegLng, (lat - lat0) * f.mPerDegLat];
  const o: Position = [0, 0];
  let sum = 0;
  for (let i = 1; i + 1 < vertices.length; i++) sum += Math.abs(orient(o, local(vertices[i]!), local(vertices[i + 1]!)));
  return sum / 2;
}

/** Area in m² of a Polygon or MultiPolygon: outer rings minus holes, whatever their orientation. */
export function areaM2(g: Geometry, frame?: AreaFrame): number {
  let f = frame;
  if (!f) {
    const box = bbox(g);
    if (!Number.isFinite(box.minLng)) return 0;
    f = areaFrameAt((box.minLng + box.maxLng) / 2, (box.minLat + box.maxLat) / 2);
  }
  let total = 0;
  for (const poly of polygonsOf(g)) {
    poly.forEach((ring, r) => {
      const a = Math.abs(ringAreaM2(ring, f));
      total += r === 0 ? a : -a;
    });
  }
  return total;
}

// --- a community and its grids --------------------------------------------------------------

export interface TopologyGrid {
  id: string;
  code: string | null;
  name: string;
  geometry: Geometry;
}

export interface GridRef {
  id: string;
  code: string | null;
  name: string;
}

export interface TopologyReport {
  /** Pairs of grids sharing more than the tolerance; `gridA` before `gridB` by code. */
  overlaps: { gridA: GridRef; gridB: GridRef; areaM2: number; geometry: MultiPolygon; message: string; messageEn: string }[];
  /** Each connected piece of the community that no grid covers, largest first. */
  gaps: { areaM2: number; geometry: Polygon; message: string; messageEn: string }[];
  /** The part of each grid lying outside the community. */
  outside: { grid: GridRef; areaM2: number; geometry: MultiPolygon; message: string; messageEn: string }[];
  /**
   * Features whose polygon is malformed (`grid` null: the community). They are left out of the
   * clipping: a malformed grid's area may show as a gap, a malformed community skips gaps and outside.
   */
  invalid: { grid: GridRef | null; problems: PolygonProblem[] }[];
  communityAreaM2: number;
  ok: boolean;
}

export interface TopologyOptions {
  /** Faults of at most this area are taken for rounding and not reported; default 1 m². */
  minAreaM2?: number;
  /** For messages, e.g. 玉林社区; default 社区. */
  communityName?: string;
}

type ClipGeom = Ring[] | Ring[][];

function clipInput(g: Geometry): ClipGeom {
  return g.coordinates;
}

function ref(g: TopologyGrid): GridRef {
  return { id: g.id, code: g.code, name: g.name };
}

function label(g: GridRef): Bilingual {
  return g.code ? part("subject_grid_coded", { name: g.name, code: g.code }) : part("subject_grid", { name: g.name });
}

function boxText(g: Geometry): string {
  const b = bbox(g);
  return `${fmt([b.minLng, b.minLat])}–${fmt([b.maxLng, b.maxLat])}`;
}

/**
 * How the grids of a community fail to tile it: pairwise overlaps (candidate pairs from an
 * R-tree of the grids' boxes, then an exact intersection), gaps (the community minus the union
 * of its grids) and the parts of grids outside the community, each with its area in m² and a
 * zh-CN message naming the grids. Malformed polygons are listed under `invalid` instead.
 */
export function topologyReport(community: Geometry, grids: readonly TopologyGrid[], options: TopologyOptions = {}): TopologyReport {
  const minArea = options.minAreaM2 ?? 1;
  const communityName = options.communityName ?? "社区";
  const invalid: TopologyReport["invalid"] = [];
  const communityProblems = polygonProblems(community, part("subject_community", { name: communityName }));
  if (communityProblems.length > 0) invalid.push({ grid: null, problems: communityProblems });
  const valid: TopologyGrid[] = [];
  for (const g of [...grids].sort(compareGrids)) {
    const problems = polygonProblems(g.geometry, label(g));
    if (problems.length > 0) invalid.push({ grid: ref(g), problems });
    else valid.push(g);
  }

  const box = bbox(community);
  const centre: Position = Number.isFinite(box.minLng)
    ? [(box.minLng + box.maxLng) / 2, (box.minLat + box.maxLat) / 2]
    : (() => {
        const b = bbox({ type: "MultiPolygon", coordinates: valid.flatMap((g) => polygonsOf(g.geometry)) });
        return [(b.minLng + b.maxLng) / 2, (b.minLat + b.maxLat) / 2] as Position;
      })();
  const frame = areaFrameAt(centre[0], centre[1]);
  const area = (g: Geometry) => areaM2(g, frame);

  const overlaps: TopologyReport["overlaps"] = [];
  if (valid.length > 1) {
    const tree = new Flatbush(valid.length);
    for (const g of valid) {
      const b = bbox(g.geometry);
      tree.add(b.minLng, b.minLat, b.maxLng, b.maxLat);
    }
    tree.finish();
    valid.forEach((g, i) => {
      const b = bbox(g.geometry);
      const near = tree.search(b.minLng, b.minLat, b.maxLng, b.maxLat).filter((j) => j > i);
      near.sort((x, y) => x - y);
      for (const j of near) {
        const h = valid[j]!;
        const shared: MultiPolygon = { type: "MultiPolygon", coordinates: polygonClipping.intersection(clipInput(g.geometry), clipInput(h.geometry)) };
        const a = area(shared);
        if (a > minArea) {
          const t = am("grids_overlap", { a: label(g), b: label(h), area: a.toFixed(1) });
          overlaps.push({ gridA: ref(g), gridB: ref(h), areaM2: a, geometry: shared, message: t.zh, messageEn: t.en });
        }
      }
    });
  }

  const gaps: TopologyReport["gaps"] = [];
  const outside: TopologyReport["outside"] = [];
  let communityAreaM2 = 0;
  if (communityProblems.length === 0) {
    communityAreaM2 = area(community);
    const uncovered = polygonClipping.difference(clipInput(community), ...valid.map((g) => clipInput(g.geometry)));
    for (const coordinates of uncovered) {
      const piece: Polygon = { type: "Polygon", coordinates };
      const a = area(piece);
      if (a > minArea) {
        const t = am("community_gap", { community: communityName, area: a.toFixed(1), box: boxText(piece) });
        gaps.push({ areaM2: a, geometry: piece, message: t.zh, messageEn: t.en });
      }
    }
    gaps.sort((x, y) => y.areaM2 - x.areaM2);
    for (const g of valid) {
      const out: MultiPolygon = { type: "MultiPolygon", coordinates: polygonClipping.difference(clipInput(g.geometry), clipInput(community)) };
      const a = area(out);
      if (a > minArea) {
        const t = am("grid_outside_community", { grid: label(g), area: a.toFixed(1), community: communityName });
        outside.push({ grid: ref(g), areaM2: a, geometry: out, message: t.zh, messageEn: t.en });
      }
    }
  }

  return {
    overlaps,
    gaps,
    outside,
    invalid,
    communityAreaM2,
    ok: overlaps.length === 0 && gaps.length === 0 && outside.length === 0 && invalid.length === 0,
  };
}

/**
 * The union of shapes, as the frame to check siblings against when their parent has no boundary
 * yet (a street just set up): overlaps between them are still found; nothing lies outside it.
 */
export function unionOf(shapes: readonly Geometry[]): Geometry {
  const coords = shapes.map((g) => g.coordinates);
  const [first, ...rest] = coords;
  return { type: "MultiPolygon", coordinates: polygonClipping.union(first!, ...rest) };
}
