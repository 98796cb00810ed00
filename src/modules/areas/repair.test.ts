/** The optional repair of an import on hand-made geometries: shapes made valid, overlaps and gaps within the threshold given to a neighbour. */
import { describe, expect, it } from "vitest";
import type { Geometry, Polygon, Position, Ring } from "./geo.js";
import { makeValid, repairTopology, sharedBorderM, type RepairSubject } from "./repair.js";
import { areaFrameAt, areaM2, polygonProblems, topologyReport } from "./topology.js";
import { frameOf } from "./partition.js";

// Positions given in metres east and north of (lng0, lat0), in the local plane the repair measures
// in (the areas themselves are tested in topology.test.ts).
const lat0 = 30.25;
const lng0 = 120.1;
const perMetreLat = 1 / areaFrameAt(lng0, lat0).mPerDegLat;
const perMetreLng = 1 / areaFrameAt(lng0, lat0).mPerDegLng;
const at = (x: number, y: number): Position => [lng0 + x * perMetreLng, lat0 + y * perMetreLat];
/** A polygon from vertices in metres (closed here). */
const poly = (...pts: [number, number][]): Polygon => ({ type: "Polygon", coordinates: [[...pts.map(([x, y]) => at(x, y)), at(pts[0]![0], pts[0]![1])]] });
const rect = (x0: number, y0: number, x1: number, y1: number): Polygon => poly([x0, y0], [x1, y0], [x1, y1], [x0, y1]);
const feature = (n: number, name: string, geometry: Geometry): RepairSubject => ({ feature: n, id: null, name, geometry });
const area = (g: Geometry) => areaM2(g);

/** The vertices of a geometry in metres, rounded to the centimetre, as a set (start and direction ignored). */
function vertices(g: Geometry): string[] {
  const rings: Ring[] = g.type === "Polygon" ? g.coordinates : g.coordinates.flat();
  const out = new Set<string>();
  for (const ring of rings) for (const [lng, lat] of ring) out.add(`${((lng - lng0) / perMetreLng).toFixed(2)},${((lat - lat0) / perMetreLat).toFixed(2)}`);
  return [...out].sort();
}

describe("makeValid", () => {
  it("rebuilds a bow-tie as its two triangles and says so", () => {
    const bowTie = poly([0, 0], [100, 100], [100, 0], [0, 100]);
    expect(polygonProblems(bowTie).map((p) => p.code)).toContain("self_intersection");
    const r = makeValid(bowTie, { feature: 3, name: "蝴蝶网格" });
    expect(r.geometry.type).toBe("MultiPolygon");
    expect(r.geometry.coordinates).toHaveLength(2);
    expect(polygonProblems(r.geometry)).toEqual([]);
    expect(area(r.geometry)).toBeCloseTo(5000, -1);
    expect(r.repairs).toHaveLength(1);
    expect(r.repairs[0]).toMatchObject({ kind: "self_intersection", feature: 3, name: "蝴蝶网格", code: "repair_self_intersection", from: null, to: null });
    expect(r.repairs[0]!.areaM2).toBeCloseTo(5000, -1);
    expect(r.repairs[0]!.message).toMatch(/^第 3 个要素「蝴蝶网格」：边界自相交（\[.+\]），已按自身合并重建为 2 个多边形，面积 \d+\.\d 平方米$/);
    expect(r.repairs[0]!.messageEn).toMatch(/^Feature 3 \(“蝴蝶网格”\): the boundary crossed itself/);
  });

  it("removes a zero-area spike and repeated vertices, leaving the square", () => {
    // Along the east edge the ring runs out 30 m and comes back: a spike; (100, 100) is given twice.
    const spiky: Polygon = {
      type: "Polygon",
      coordinates: [[at(0, 0), at(100, 0), at(100, 40), at(130, 40), at(100, 40), at(100, 100), at(100, 100), at(0, 100), at(0, 0)]],
    };
    expect(polygonProblems(spiky).map((p) => p.code)).toContain("self_intersection");
    const r = makeValid(spiky, { feature: 1, name: "东网格" });
    expect(polygonProblems(r.geometry)).toEqual([]);
    expect(vertices(r.geometry)).toEqual(vertices(rect(0, 0, 100, 100)).concat(["100.00,40.00"]).sort());
    expect(r.repairs.map((x) => [x.kind, x.areaM2])).toEqual([
      ["duplicate_points", 0],
      ["spike", 0],
    ]);
    expect(r.repairs[1]!.message).toMatch(/^第 1 个要素「东网格」：删除零面积尖刺 1 处（第一处在 \[/);
    expect(r.repairs[1]!.at).toEqual(at(130, 40));
  });

  it("leaves a sound polygon alone, and a fault it does not repair (an open ring) as it is", () => {
    const square = rect(0, 0, 10, 10);
    expect(makeValid(square, { feature: 1, name: "甲" })).toEqual({ geometry: square, repairs: [] });
    const open: Polygon = { type: "Polygon", coordinates: [[at(0, 0), at(10, 0), at(10, 10), at(0, 10)]] };
    expect(makeValid(open, { feature: 1, name: "甲" })).toEqual({ geometry: open, repairs: [] });
  });
});

describe("sharedBorderM", () => {
  it("measures the border two neighbours share, and nothing for polygons meeting at a point", () => {
    const frame = frameOf(rect(0, 0, 200, 100));
    expect(sharedBorderM(rect(0, 0, 100, 100), rect(100, 40, 200, 100), frame)).toBeCloseTo(60, 1);
    expect(sharedBorderM(rect(0, 0, 100, 100), rect(100, 100, 200, 200), frame)).toBe(0);
  });
});

describe("repairTopology", () => {
  const community = rect(0, 0, 100, 100);

  it("gives a 30 m² overlap to the grid sharing the longer border with it", () => {
    const north = rect(0, 50, 100, 100);
    // The south grid reaches 0.5 m into the north one over 60 m: a 30 m² tab.
    const south = poly([0, 0], [100, 0], [100, 50], [60, 50], [60, 50.5], [0, 50.5]);
    const r = repairTopology(community, [feature(1, "北网格", north), feature(2, "南网格", south)], { maxM2: 50 });
    expect(r.geometries[0]).toEqual(north);
    expect(vertices(r.geometries[1]!)).toEqual(vertices(rect(0, 0, 100, 50)));
    expect(r.repairs).toHaveLength(1);
    const [o] = r.repairs;
    expect(o).toMatchObject({ kind: "overlap", feature: 2, name: "南网格", from: { feature: 2, id: null, name: "南网格" }, to: { feature: 1, id: null, name: "北网格" } });
    expect(o!.areaM2).toBeCloseTo(30, 0);
    // North borders the tab along its top and east end (60.5 m), south along its foot (60 m).
    expect(o!.message).toMatch(/^第 2 个要素「南网格」与第 1 个要素「北网格」重叠的 30\.\d 平方米划归第 1 个要素「北网格」（与重叠部分的共用边界：第 1 个要素「北网格」 60\.5 米，本要素 60\.0 米）$/);
    expect(topologyReport(community, r.geometries.map((geometry, i) => ({ id: `${i}`, code: null, name: `${i}`, geometry }))).ok).toBe(true);
  });

  it("gives a 20 m² gap between three grids to the one sharing the longest border", () => {
    const west = rect(0, 0, 50, 100);
    const southEast = rect(50.2, 0, 100, 60);
    const northEast = rect(50.2, 60, 100, 100);
    const r = repairTopology(community, [feature(1, "西网格", west), feature(2, "东南网格", southEast), feature(3, "东北网格", northEast)], { maxM2: 25 });
    expect(r.repairs).toHaveLength(1);
    expect(r.repairs[0]).toMatchObject({ kind: "gap", feature: 1, name: "西网格", from: null, to: { feature: 1, name: "西网格" } });
    expect(r.repairs[0]!.areaM2).toBeCloseTo(20, 0);
    expect(r.repairs[0]!.message).toMatch(/^第 1 个要素「西网格」：旁边 20\.\d 平方米不属于任何网格的缝隙已并入本要素（与缝隙共用边界最长，100\.0 米）$/);
    expect(vertices(r.geometries[0]!)).toEqual(vertices(rect(0, 0, 50.2, 100)));
    expect(r.geometries[1]).toEqual(southEast);
    expect(r.geometries[2]).toEqual(northEast);
    const report = topologyReport(community, r.geometries.map((geometry, i) => ({ id: `${i}`, code: null, name: `${i}`, geometry })));
    expect(report.ok).toBe(true);
  });

  it("leaves an overlap above the threshold as it is, for the import to refuse", () => {
    const north = rect(0, 50, 100, 100);
    const south = rect(0, 0, 100, 50.4); // 40 m² shared
    const r = repairTopology(community, [feature(1, "北网格", north), feature(2, "南网格", south)], { maxM2: 30 });
    expect(r.repairs).toEqual([]);
    expect(r.geometries).toEqual([north, south]);
    const report = topologyReport(community, r.geometries.map((geometry, i) => ({ id: `${i}`, code: null, name: `${i}`, geometry })));
    expect(report.overlaps).toHaveLength(1);
    expect(report.overlaps[0]!.areaM2).toBeCloseTo(40, 0);
  });

  it("never changes a grid that stays: the imported feature gives up the overlap", () => {
    const stays: RepairSubject = { feature: null, id: "g-1", name: "老网格", geometry: rect(0, 50, 100, 100) };
    // The feature's border with the overlap is the longer one, but the current grid keeps it anyway.
    const imported = poly([0, 0], [100, 0], [100, 50.2], [0, 50.2]);
    const r = repairTopology(community, [feature(1, "新网格", imported), stays], { maxM2: 30 });
    expect(r.geometries[1]).toBe(stays.geometry);
    expect(vertices(r.geometries[0]!)).toEqual(vertices(rect(0, 0, 100, 50)));
    expect(r.repairs).toHaveLength(1);
    expect(r.repairs[0]).toMatchObject({ kind: "overlap", feature: 1, to: { feature: null, id: "g-1", name: "老网格" }, code: "repair_overlap_current" });
    expect(r.repairs[0]!.message).toMatch(/与现有网格「老网格」重叠的 20\.\d 平方米已从本要素去除（现有网格保持不变）$/);
  });

  it("cuts off a sliver outside the community, and leaves a larger one", () => {
    const r = repairTopology(community, [feature(1, "甲", rect(0, 0, 100.1, 100))], { maxM2: 15 });
    expect(r.repairs.map((x) => [x.kind, +x.areaM2.toFixed(0)])).toEqual([["outside", 10]]);
    expect(vertices(r.geometries[0]!)).toEqual(vertices(community));
    const far = repairTopology(community, [feature(1, "甲", rect(0, 0, 101, 100))], { maxM2: 15 });
    expect(far.repairs).toEqual([]);
  });

  it("does not give away a whole feature lying inside another, however small", () => {
    const big = rect(0, 0, 100, 100);
    const small = rect(10, 10, 14, 14); // 16 m², all of it overlapping
    const r = repairTopology(community, [feature(1, "大", big), feature(2, "小", small)], { maxM2: 30 });
    expect(r.repairs).toEqual([]);
    expect(r.geometries).toEqual([big, small]);
  });

  it("leaves a gap that touches no imported feature", () => {
    const stays: RepairSubject = { feature: null, id: "g-1", name: "老网格", geometry: rect(0, 0, 50, 100) };
    const r = repairTopology(community, [stays, feature(1, "新网格", rect(60, 0, 100, 100)), { feature: null, id: "g-2", name: "另一老网格", geometry: rect(50.1, 0, 60, 100) }], { maxM2: 30 });
    // The 10 m² strip between the two current grids is not the import's to fill.
    expect(r.repairs).toEqual([]);
  });
});
