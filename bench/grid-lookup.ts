/**
 * Point → grid lookups over 15,000 generated grid polygons (the order of Hangzhou's grid count):
 * `SpatialGridIndex` (R-tree over bounding boxes, then an exact test) against a brute-force scan of
 * every polygon in the same run, with a check that both give the same grid.
 *   npm run bench -- grid-lookup [lookups=200000] [referenceLookups=1000]
 *
 * The grids are a jittered quad mesh of 150 × 100 cells over 120.0–120.4 E, 30.1–30.4 N: inner
 * vertices moved by up to a fifth of a cell, half of the shared edges bent through 1–4 extra
 * points, so cells have 4–20 vertices and neighbours share every coordinate exactly. Rates are
 * per second of this process's CPU time (wall time is printed too): the work is single-threaded,
 * and CPU time is not stretched by whatever else the machine is doing.
 */
import { bruteForceLocate, SpatialGridIndex, type SpatialGrid } from "../src/modules/areas/spatial.js";
import { bbox, pointInGeometry, type Position, type Ring } from "../src/modules/areas/geo.js";
import { polygonProblems } from "../src/modules/areas/topology.js";
import { createRandom } from "../src/tools/demo/random.js";

const lookups = Number(process.argv[2] ?? 200_000);
const referenceLookups = Number(process.argv[3] ?? 1_000);
const cols = 150;
const rows = 100;
const extent = { minLng: 120.0, maxLng: 120.4, minLat: 30.1, maxLat: 30.4 };

const rnd = createRandom(20260315);
const cellLng = (extent.maxLng - extent.minLng) / cols;
const cellLat = (extent.maxLat - extent.minLat) / rows;

// Mesh --------------------------------------------------------------------------------------
const vertex: Position[][] = [];
for (let i = 0; i <= cols; i++) {
  const column: Position[] = [];
  for (let j = 0; j <= rows; j++) {
    const di = i > 0 && i < cols ? rnd.float(-0.2, 0.2) : 0;
    const dj = j > 0 && j < rows ? rnd.float(-0.2, 0.2) : 0;
    column.push([extent.minLng + (i + di) * cellLng, extent.minLat + (j + dj) * cellLat]);
  }
  vertex.push(column);
}
/** Extra points on the edge a → b, moved sideways by up to 5 % of a cell unless on the frame. */
function bend(a: Position, b: Position, frame: boolean): Position[] {
  if (rnd.chance(0.5)) return [];
  const ts = Array.from({ length: rnd.int(1, 4) }, () => rnd.float(0.15, 0.85)).sort((x, y) => x - y);
  const [dx, dy] = [(b[0] - a[0]) / cellLng, (b[1] - a[1]) / cellLat];
  return ts.map((t): Position => {
    const off = frame ? 0 : rnd.float(-0.05, 0.05);
    return [a[0] + (t * dx - off * dy) * cellLng, a[1] + (t * dy + off * dx) * cellLat];
  });
}
const along: Position[][][] = vertex.map((column, i) => column.map((_, j) => (i < cols ? bend(vertex[i]![j]!, vertex[i + 1]![j]!, j === 0 || j === rows) : [])));
const up: Position[][][] = vertex.map((column, i) => column.map((_, j) => (j < rows ? bend(vertex[i]![j]!, vertex[i]![j + 1]!, i === 0 || i === cols) : [])));

const grids: SpatialGrid[] = [];
const edgePoints: Position[] = [];
let vertexCount = 0;
for (let i = 0; i < cols; i++) {
  for (let j = 0; j < rows; j++) {
    const ring: Ring = [
      vertex[i]![j]!,
      ...along[i]![j]!,
      vertex[i + 1]![j]!,
      ...up[i + 1]![j]!,
      vertex[i + 1]![j + 1]!,
      ...[...along[i]![j + 1]!].reverse(),
      vertex[i]![j + 1]!,
      ...[...up[i]![j]!].reverse(),
      vertex[i]![j]!,
    ];
    vertexCount += ring.length - 1;
    if (rnd.chance(0.02)) edgePoints.push(ring[rnd.int(0, ring.length - 2)]!);
    if (rnd.chance(0.02)) {
      const k = rnd.int(0, ring.length - 2);
      edgePoints.push([(ring[k]![0] + ring[k + 1]![0]) / 2, (ring[k]![1] + ring[k + 1]![1]) / 2]);
    }
    const n = i * rows + j;
    grids.push({ id: `grid-${n}`, code: `330106${String(n).padStart(6, "0")}`, geometry: { type: "Polygon", coordinates: [ring] } });
  }
}
const malformed = grids.filter((g) => polygonProblems(g.geometry).length > 0).length;
console.log(
  `grids: ${grids.length} polygons, ${vertexCount} vertices (${(vertexCount / grids.length).toFixed(1)} per grid, 4–20), malformed ${malformed}`,
);
if (malformed > 0) process.exit(1);

// Points: uniform over the extent widened by 2 % (some fall outside every grid) ---------------
const margin = 0.02;
const points = new Float64Array(2 * lookups);
for (let n = 0; n < lookups; n++) {
  points[2 * n] = extent.minLng - margin * (extent.maxLng - extent.minLng) + rnd.next() * (1 + 2 * margin) * (extent.maxLng - extent.minLng);
  points[2 * n + 1] = extent.minLat - margin * (extent.maxLat - extent.minLat) + rnd.next() * (1 + 2 * margin) * (extent.maxLat - extent.minLat);
}

function timed<T>(run: () => T): { result: T; wallMs: number; cpuMs: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const result = run();
  const wallMs = performance.now() - t;
  const u = process.cpuUsage(c);
  return { result, wallMs, cpuMs: (u.user + u.system) / 1000 };
}
const perSecond = (count: number, ms: number) => (count / ms) * 1000;
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");

// Build -------------------------------------------------------------------------------------
const build = timed(() => new SpatialGridIndex(grids));
const index = build.result;
console.log(`build: ${index.size} grids indexed in ${build.wallMs.toFixed(1)} ms (cpu ${build.cpuMs.toFixed(1)} ms)`);

// Index lookups -------------------------------------------------------------------------------
const lookAll = (count: number) => {
  let found = 0;
  for (let n = 0; n < count; n++) if (index.locate(points[2 * n]!, points[2 * n + 1]!)) found++;
  return found;
};
lookAll(Math.min(lookups, 20_000)); // warm-up
const ours = timed(() => lookAll(lookups));
const oursRate = perSecond(lookups, ours.cpuMs);
console.log(
  `index: ${lookups} lookups (${ours.result} in a grid) in ${ours.wallMs.toFixed(0)} ms (cpu ${ours.cpuMs.toFixed(0)} ms): ` +
    `${fmt(oursRate)} lookups/s, ${((ours.cpuMs * 1000) / lookups).toFixed(2)} µs each`,
);

// The previous GridIndex, for context: every bounding box scanned, then the exact test -----------
const boxes = grids.map((g) => ({ g, b: bbox(g.geometry) }));
const linear = timed(() => {
  let found = 0;
  for (let n = 0; n < referenceLookups; n++) {
    const lng = points[2 * n]!;
    const lat = points[2 * n + 1]!;
    for (const { g, b } of boxes) {
      if (lng < b.minLng || lng > b.maxLng || lat < b.minLat || lat > b.maxLat) continue;
      if (pointInGeometry(lng, lat, g.geometry) === 1) {
        found++;
        break;
      }
    }
  }
  return found;
});
console.log(`linear bbox scan (the former GridIndex): ${referenceLookups} lookups, ${fmt(perSecond(referenceLookups, linear.cpuMs))} lookups/s`);

// Reference: brute force over every polygon -----------------------------------------------------
const reference = timed(() => {
  const ids: (string | undefined)[] = [];
  for (let n = 0; n < referenceLookups; n++) ids.push(bruteForceLocate(grids, points[2 * n]!, points[2 * n + 1]!)?.id);
  return ids;
});
const referenceRate = perSecond(referenceLookups, reference.cpuMs);
console.log(
  `brute force: ${referenceLookups} lookups in ${reference.wallMs.toFixed(0)} ms (cpu ${reference.cpuMs.toFixed(0)} ms): ` +
    `${fmt(referenceRate)} lookups/s`,
);

// Agreement on the shared sample, and on vertices and edge midpoints (where tie-breaks decide) ---
let agree = 0;
const disagreements: string[] = [];
const compare = (lng: number, lat: number, expected: string | undefined) => {
  const got = index.locate(lng, lat)?.id;
  if (got === expected) agree++;
  else disagreements.push(`[${lng}, ${lat}]: index ${got ?? "none"}, brute force ${expected ?? "none"}`);
};
reference.result.forEach((id, n) => compare(points[2 * n]!, points[2 * n + 1]!, id));
for (const [lng, lat] of edgePoints) compare(lng, lat, bruteForceLocate(grids, lng, lat)?.id);
const checked = reference.result.length + edgePoints.length;
console.log(`agreement: ${agree}/${checked} (${reference.result.length} random points, ${edgePoints.length} vertices and edge midpoints)`);
if (disagreements.length > 0) {
  for (const d of disagreements.slice(0, 10)) console.error(`disagreement ${d}`);
  process.exit(1);
}

console.log(`grid-lookup: ${Math.round(oursRate)} lookups/s; reference ${Math.round(referenceRate)} lookups/s; ratio ${(oursRate / referenceRate).toFixed(0)}`);
