import { describe, expect, it } from "vitest";
import { generateDemoStreet } from "../../tools/demo/index.js";
import type { Geometry, Polygon, Ring } from "./geo.js";
import { areaM2, polygonProblems, topologyReport, unionOf, type TopologyGrid } from "./topology.js";

function square(x0: number, y0: number, x1: number, y1: number): Ring {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}

function poly(...rings: Ring[]): Polygon {
  return { type: "Polygon", coordinates: rings };
}

// Metres to degrees on a sphere of the mean Earth radius, independent of the ellipsoid formulas
// under test; at 30° N the two differ in area by about 0.1 %.
const lat0 = 30.25;
const lng0 = 120.1;
const perMetreLat = 180 / (Math.PI * 6371008.8);
const perMetreLng = perMetreLat / Math.cos((lat0 * Math.PI) / 180);
/** A rectangle given in metres east and north of (lng0, lat0). */
function rect(x0: number, y0: number, x1: number, y1: number): Ring {
  return square(lng0 + x0 * perMetreLng, lat0 + y0 * perMetreLat, lng0 + x1 * perMetreLng, lat0 + y1 * perMetreLat);
}

/** A 1 km square community tiled by 10 × 10 grids of 100 m. */
function tiled(): { community: Geometry; grids: TopologyGrid[] } {
  const grids: TopologyGrid[] = [];
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < 10; j++) {
      const n = i * 10 + j;
      grids.push({ id: `g${n}`, code: `330106001001${String(n).padStart(3, "0")}`, name: `第${n + 1}网格`, geometry: poly(rect(i * 100, j * 100, i * 100 + 100, j * 100 + 100)) });
    }
  }
  return { community: poly(rect(0, 0, 1000, 1000)), grids };
}

describe("polygonProblems", () => {
  it("accepts sound polygons, holes and multipolygons", () => {
    expect(polygonProblems(poly(square(0, 0, 10, 10), square(4, 4, 6, 6)))).toEqual([]);
    expect(polygonProblems({ type: "MultiPolygon", coordinates: [[square(0, 0, 1, 1)], [square(2, 2, 3, 3)]] })).toEqual([]);
    // A hole touching its outer ring at one point is allowed.
    expect(polygonProblems(poly(square(0, 0, 10, 10), [[0, 5], [2, 4], [2, 6], [0, 5]]))).toEqual([]);
  });

  it("reports a bow-tie as self-intersecting, naming the feature and the crossing", () => {
    const problems = polygonProblems(poly([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]), "网格「玉林第1网格」");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "self_intersection", position: [0.5, 0.5], polygon: 0, ring: 0 });
    expect(problems[0]!.message).toContain("网格「玉林第1网格」的外环自相交");
  });

  it("reports a ring passing twice through one vertex and a spike", () => {
    const eight = poly([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]]);
    expect(polygonProblems(eight).map((p) => [p.code, p.position])).toContainEqual(["self_intersection", [1, 1]]);
    const spike = poly([[0, 0], [2, 0], [2, 2], [2, 3], [2, 1], [0, 2], [0, 0]]);
    expect(polygonProblems(spike).map((p) => p.code)).toContain("self_intersection");
  });

  it("reports an open ring with its ends", () => {
    const problems = polygonProblems(poly([[0, 0], [1, 0], [1, 1], [0, 1]]), "网格「甲」");
    expect(problems.map((p) => p.code)).toEqual(["ring_not_closed"]);
    expect(problems[0]!.message).toMatch(/^网格「甲」的外环未闭合/);
    expect(problems[0]!.position).toEqual([0, 1]);
  });

  it("reports too few points, zero area, bad positions", () => {
    expect(polygonProblems(poly([[0, 0], [1, 0], [0, 0]])).map((p) => p.code)).toEqual(["too_few_points"]);
    expect(polygonProblems(poly([[0, 0], [1, 0], [1, 0], [0, 0]])).map((p) => p.code)).toEqual(["too_few_points"]);
    expect(polygonProblems(poly([[0, 0], [1, 1], [2, 2], [3, 3], [0, 0]])).map((p) => p.code)).toEqual(["zero_area"]);
    expect(polygonProblems(poly([[0, 0], [1, Number.NaN], [1, 1], [0, 0]])).map((p) => p.code)).toEqual(["invalid_position"]);
  });

  it("reports a hole outside its shell and a hole crossing it", () => {
    const outside = polygonProblems({ type: "MultiPolygon", coordinates: [[square(0, 0, 1, 1)], [square(0, 0, 10, 10), square(20, 20, 21, 21)]] });
    expect(outside.map((p) => [p.code, p.polygon, p.ring])).toEqual([["hole_outside_shell", 1, 1]]);
    expect(outside[0]!.message).toContain("第 2 个多边形的第 1 个内环不在外环之内");
    const crossing = polygonProblems(poly(square(0, 0, 10, 10), square(8, 4, 12, 6)));
    expect(crossing.map((p) => p.code).sort()).toEqual(["hole_outside_shell", "self_intersection", "self_intersection"]);
  });

  it("finds a crossing among thousands of edges", () => {
    const ring: Ring = [];
    for (let k = 0; k < 3000; k++) {
      const t = (2 * Math.PI * k) / 3000;
      ring.push([Math.cos(t), Math.sin(t)]);
    }
    ring.push(ring[0]!);
    expect(polygonProblems(poly(ring))).toEqual([]);
    // Swap two vertices far apart: their edges now cross the ring.
    const bad = ring.slice();
    [bad[100], bad[1600]] = [bad[1600]!, bad[100]!];
    expect(polygonProblems(poly(bad)).some((p) => p.code === "self_intersection")).toBe(true);
  });
});

describe("areaM2", () => {
  // The exact area of a latitude–longitude rectangle on the WGS 84 ellipsoid (authalic zone formula).
  const a = 6378137;
  const e2 = (1 / 298.257223563) * (2 - 1 / 298.257223563);
  const e = Math.sqrt(e2);
  const q = (lat: number) => {
    const s = Math.sin((lat * Math.PI) / 180);
    return s / (2 * (1 - e2 * s * s)) + Math.log((1 + e * s) / (1 - e * s)) / (4 * e);
  };
  const zone = (x0: number, y0: number, x1: number, y1: number) => a * a * (1 - e2) * (q(y1) - q(y0)) * (((x1 - x0) * Math.PI) / 180);

  it("matches the ellipsoid's exact area from a block to a city", () => {
    for (const [x0, y0, x1, y1] of [
      [120.1, 30.25, 120.101, 30.251],
      [120.0, 30.1, 120.4, 30.4],
      [104.05, 30.612, 104.08, 30.638],
      [10, 60, 10.02, 60.01],
    ] as const) {
      expect(Math.abs(areaM2(poly(square(x0, y0, x1, y1))) / zone(x0, y0, x1, y1) - 1)).toBeLessThan(1e-6);
    }
  });

  it("measures a 100 m square within 0.2 % of 10,000 m², minus holes", () => {
    // 0.2 %: the test's square is laid out on the mean-radius sphere, not the ellipsoid.
    expect(Math.abs(areaM2(poly(rect(0, 0, 100, 100))) / 10_000 - 1)).toBeLessThan(0.002);
    expect(Math.abs(areaM2(poly(rect(0, 0, 1000, 1000), rect(100, 100, 200, 200))) / 990_000 - 1)).toBeLessThan(0.002);
    expect(areaM2(poly([[0, 0], [1, 0], [0, 0]]))).toBe(0);
  });
});

describe("topologyReport", () => {
  it("finds nothing wrong with a perfect tiling", () => {
    const { community, grids } = tiled();
    const report = topologyReport(community, grids);
    expect(report).toMatchObject({ ok: true, overlaps: [], gaps: [], outside: [], invalid: [] });
    expect(Math.abs(report.communityAreaM2 / 1_000_000 - 1)).toBeLessThan(0.01);
  });

  it("reports a missing 100 m × 100 m grid as a gap of 10,000 m²", () => {
    const { community, grids } = tiled();
    const report = topologyReport(community, grids.filter((g) => g.id !== "g34"), { communityName: "翠苑社区" });
    expect(report.ok).toBe(false);
    expect(report.overlaps).toEqual([]);
    expect(report.gaps).toHaveLength(1);
    expect(Math.abs(report.gaps[0]!.areaM2 / 10_000 - 1)).toBeLessThan(0.01);
    expect(Math.abs(areaM2(report.gaps[0]!.geometry) / 10_000 - 1)).toBeLessThan(0.01);
    expect(report.gaps[0]!.message).toContain("社区「翠苑社区」有");
  });

  it("reports an overlap with both grids and its area", () => {
    const { community, grids } = tiled();
    // g33 (300–400 m east, 300–400 m north) reaches 20 m into g43.
    const changed = grids.map((g) => (g.id === "g33" ? { ...g, geometry: poly(rect(300, 300, 420, 400)) } : g));
    const report = topologyReport(community, changed);
    expect(report.gaps).toEqual([]);
    expect(report.overlaps).toHaveLength(1);
    const [o] = report.overlaps;
    expect([o!.gridA.id, o!.gridB.id]).toEqual(["g33", "g43"]);
    expect(Math.abs(o!.areaM2 / 2000 - 1)).toBeLessThan(0.01);
    expect(o!.message).toMatch(/网格「第34网格」（330106001001033）与网格「第44网格」（330106001001043）重叠 \d+\.\d 平方米/);
  });

  it("reports the part of a grid outside its community", () => {
    const { community, grids } = tiled();
    // g95 is on the east edge; it now sticks out 30 m.
    const changed = grids.map((g) => (g.id === "g95" ? { ...g, geometry: poly(rect(900, 500, 1030, 600)) } : g));
    const report = topologyReport(community, changed);
    expect(report.gaps).toEqual([]);
    expect(report.overlaps).toEqual([]);
    expect(report.outside.map((o) => o.grid.id)).toEqual(["g95"]);
    expect(Math.abs(report.outside[0]!.areaM2 / 3000 - 1)).toBeLessThan(0.01);
    expect(report.outside[0]!.message).toContain("在社区「社区」边界之外");
  });

  it("ignores slivers below the tolerance", () => {
    const { community, grids } = tiled();
    // A 0.5 m wide strip missing along a 100 m edge: 50 m², reported only with a lower tolerance.
    const changed = grids.map((g) => (g.id === "g0" ? { ...g, geometry: poly(rect(0, 0, 99.5, 100)) } : g));
    expect(topologyReport(community, changed, { minAreaM2: 100 }).ok).toBe(true);
    const strict = topologyReport(community, changed);
    expect(strict.gaps).toHaveLength(1);
    expect(Math.abs(strict.gaps[0]!.areaM2 / 50 - 1)).toBeLessThan(0.01);
  });

  it("lists malformed grids instead of clipping them", () => {
    const { community, grids } = tiled();
    const changed = grids.map((g) =>
      g.id === "g0" ? { ...g, geometry: poly([[lng0, lat0], [lng0 + 100 * perMetreLng, lat0 + 100 * perMetreLat], [lng0 + 100 * perMetreLng, lat0], [lng0, lat0 + 100 * perMetreLat], [lng0, lat0]]) } : g,
    );
    const report = topologyReport(community, changed);
    expect(report.ok).toBe(false);
    expect(report.invalid).toHaveLength(1);
    expect(report.invalid[0]!.grid?.id).toBe("g0");
    expect(report.invalid[0]!.problems[0]!.message).toMatch(/^网格「第1网格」（330106001001000）的外环自相交/);
  });

  it("finds the demo street's communities exactly tiled by their grids", () => {
    const street = generateDemoStreet();
    const communities = street.areas.filter((a) => a.level === "community");
    for (const c of communities) {
      const grids = street.areas.filter((a) => a.parentId === c.id && a.level === "grid").map((a) => ({ id: a.id, code: a.code, name: a.name, geometry: a.boundary! }));
      const report = topologyReport(c.boundary!, grids, { communityName: c.name });
      expect(report.ok, `${c.name}: ${JSON.stringify([...report.overlaps, ...report.gaps, ...report.outside].map((x) => x.message))}`).toBe(true);
    }
    const outline = street.areas.find((a) => a.level === "street")!;
    const asGrids = communities.map((a) => ({ id: a.id, code: a.code, name: a.name, geometry: a.boundary! }));
    expect(topologyReport(outline.boundary!, asGrids).ok).toBe(true);
  });
});

describe("siblings of a parent without a boundary (unionOf as the frame)", () => {
  const sq = (x0: number, y0: number, x1: number, y1: number): Geometry => ({ type: "Polygon", coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
  const grid = (id: string, g: Geometry): TopologyGrid => ({ id, code: id, name: id, geometry: g });
  it("finds an overlap between two communities and nothing outside", () => {
    const a = sq(104.04, 30.63, 104.047, 30.636);
    const b = sq(104.046, 30.63, 104.052, 30.636);
    const r = topologyReport(unionOf([a, b]), [grid("a", a), grid("b", b)]);
    expect(r.overlaps).toHaveLength(1);
    // 0.001° × 0.006° at 30.6° N ≈ 96 m × 667 m.
    expect(r.overlaps[0]!.areaM2).toBeGreaterThan(55_000);
    expect(r.overlaps[0]!.areaM2).toBeLessThan(75_000);
    expect(r.outside).toEqual([]);
  });
  it("finds none between neighbours sharing a border", () => {
    const a = sq(104.04, 30.63, 104.046, 30.636);
    const b = sq(104.046, 30.63, 104.052, 30.636);
    const r = topologyReport(unionOf([a, b]), [grid("a", a), grid("b", b)]);
    expect(r.overlaps).toEqual([]);
    expect(r.outside).toEqual([]);
  });
});
