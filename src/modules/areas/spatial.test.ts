import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../../tools/demo/random.js";
import { generateDemoStreet } from "../../tools/demo/index.js";
import { pointInGeometry, type Geometry, type Position, type Ring } from "./geo.js";
import { bruteForceLocate, SpatialGridIndex, type SpatialGrid } from "./spatial.js";
import { polygonProblems } from "./topology.js";

function square(x0: number, y0: number, x1: number, y1: number): Ring {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}

function grid(code: string | null, geometry: Geometry, id = `id-${code}`): SpatialGrid {
  return { id, code, geometry };
}

/**
 * A jittered quad mesh of `cols` × `rows` cells over [0, cols] × [0, rows]: inner vertices moved by
 * up to a fifth of a cell, shared edges bent through up to three extra points, so cells have 4–16
 * vertices and neighbours share every coordinate exactly. Codes are shuffled so the tie-break is
 * not simply the order of construction.
 */
function mesh(rnd: Random, cols: number, rows: number): { grids: SpatialGrid[]; vertices: Position[]; midpoints: Position[] } {
  const v: Position[][] = [];
  for (let i = 0; i <= cols; i++) {
    v.push([]);
    for (let j = 0; j <= rows; j++) {
      const inner = (n: number, max: number) => n > 0 && n < max;
      v[i]!.push([i + (inner(i, cols) ? rnd.float(-0.2, 0.2) : 0), j + (inner(j, rows) ? rnd.float(-0.2, 0.2) : 0)]);
    }
  }
  // Extra points on the edge from a to b, bent sideways unless the edge is on the frame.
  const bend = (a: Position, b: Position, frame: boolean): Position[] => {
    const ts = Array.from({ length: rnd.int(0, 3) }, () => rnd.float(0.15, 0.85)).sort((x, y) => x - y);
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    return ts.map((t) => {
      const off = frame ? 0 : rnd.float(-0.05, 0.05);
      return [a[0] + t * dx - off * dy, a[1] + t * dy + off * dx];
    });
  };
  const horizontal: Position[][][] = v.map((col, i) => col.map((_, j) => (i < cols ? bend(v[i]![j]!, v[i + 1]![j]!, j === 0 || j === rows) : [])));
  const vertical: Position[][][] = v.map((col, i) => col.map((_, j) => (j < rows ? bend(v[i]![j]!, v[i]![j + 1]!, i === 0 || i === cols) : [])));
  const codes = rnd.shuffle(Array.from({ length: cols * rows }, (_, n) => `G${String(n).padStart(5, "0")}`));
  const grids: SpatialGrid[] = [];
  const midpoints: Position[] = [];
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      const ring: Ring = [
        v[i]![j]!,
        ...horizontal[i]![j]!,
        v[i + 1]![j]!,
        ...vertical[i + 1]![j]!,
        v[i + 1]![j + 1]!,
        ...[...horizontal[i]![j + 1]!].reverse(),
        v[i]![j + 1]!,
        ...[...vertical[i]![j]!].reverse(),
        v[i]![j]!,
      ];
      for (let k = 0; k + 1 < ring.length; k++) midpoints.push([(ring[k]![0] + ring[k + 1]![0]) / 2, (ring[k]![1] + ring[k + 1]![1]) / 2]);
      grids.push(grid(codes[i * rows + j]!, { type: "Polygon", coordinates: [ring] }, `cell-${i}-${j}`));
    }
  }
  return { grids, vertices: v.flat(), midpoints };
}

describe("SpatialGridIndex", () => {
  const rnd = createRandom(20260301);
  const { grids, vertices, midpoints } = mesh(rnd, 20, 14);
  const index = new SpatialGridIndex(grids);

  it("builds well-formed cells for the tests below", () => {
    expect(index.size).toBe(280);
    expect(grids.flatMap((g) => polygonProblems(g.geometry, g.code!))).toEqual([]);
  });

  it("agrees with a scan of every polygon on thousands of random points", () => {
    let located = 0;
    const disagreements: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const lng = rnd.float(-1, 21);
      const lat = rnd.float(-1, 15);
      const ours = index.locate(lng, lat)?.id;
      const reference = bruteForceLocate(grids, lng, lat)?.id;
      if (ours !== reference) disagreements.push(`${lng}, ${lat}: ${ours} ≠ ${reference}`);
      if (ours) located++;
    }
    expect(disagreements).toEqual([]);
    // Points inside the mesh always land somewhere; those in the margin never do.
    expect(located).toBeGreaterThan(2000);
    expect(located).toBeLessThan(3000);
  });

  it("resolves vertices and edges to the grid with the smallest code, like the scan", () => {
    const disagreements: string[] = [];
    for (const [lng, lat] of [...vertices, ...midpoints]) {
      const ours = index.locate(lng, lat)?.id;
      const reference = bruteForceLocate(grids, lng, lat)?.id;
      if (ours === undefined || ours !== reference) disagreements.push(`${lng}, ${lat}: ${ours} ≠ ${reference}`);
    }
    expect(disagreements).toEqual([]);
    // The corner shared by four cells of a regular 2 × 2 mesh, and the edge between two of them.
    const quad = [
      grid("B", { type: "Polygon", coordinates: [square(0, 0, 1, 1)] }),
      grid("D", { type: "Polygon", coordinates: [square(1, 0, 2, 1)] }),
      grid("A", { type: "Polygon", coordinates: [square(0, 1, 1, 2)] }),
      grid("C", { type: "Polygon", coordinates: [square(1, 1, 2, 2)] }),
    ];
    const small = new SpatialGridIndex(quad);
    expect(small.locate(1, 1)?.code).toBe("A");
    expect(small.locate(1, 0.5)?.code).toBe("B");
    expect(small.locate(1.5, 1)?.code).toBe("C");
    expect(small.locate(2, 2)?.code).toBe("C");
    expect(small.locate(1.5, 0.5)?.code).toBe("D");
    expect(small.locate(2.000001, 1)).toBeUndefined();
    // The order of the input does not matter.
    expect(new SpatialGridIndex([...quad].reverse()).locate(1, 1)?.code).toBe("A");
  });

  it("lets an interior beat an edge and breaks ties by code, then id", () => {
    const overlapping = [
      grid("002", { type: "Polygon", coordinates: [square(1, 0, 3, 2)] }),
      grid("001", { type: "Polygon", coordinates: [square(0, 0, 2, 2)] }),
    ];
    const idx = new SpatialGridIndex(overlapping);
    expect(idx.locate(2, 1)?.code).toBe("002"); // on 001's edge, inside 002
    expect(idx.locate(1.5, 1)?.code).toBe("001"); // inside both
    expect(bruteForceLocate(overlapping, 2, 1)?.code).toBe("002");
    const uncoded = [grid(null, { type: "Polygon", coordinates: [square(0, 0, 1, 1)] }, "b"), grid(null, { type: "Polygon", coordinates: [square(1, 0, 2, 1)] }, "a")];
    expect(new SpatialGridIndex(uncoded).locate(1, 0.5)?.id).toBe("a");
  });

  it("respects holes, with another grid inside the hole", () => {
    const donut = grid("002", { type: "Polygon", coordinates: [square(0, 0, 10, 10), square(4, 4, 6, 6)] });
    const island = grid("003", { type: "Polygon", coordinates: [square(4, 4, 6, 6)] });
    const idx = new SpatialGridIndex([donut, island]);
    expect(idx.locate(5, 5)?.code).toBe("003");
    expect(idx.locate(3, 5)?.code).toBe("002");
    expect(idx.locate(4, 5)?.code).toBe("002"); // the hole's edge: both claim it, 002 is smaller
    expect(idx.locate(6, 6)?.code).toBe("002");
    const ring = new SpatialGridIndex([donut]);
    expect(ring.locate(5, 5)).toBeUndefined();
    expect(ring.locate(4, 5)?.code).toBe("002");
  });

  it("finds either part of a multipolygon", () => {
    const parts = grid("010", { type: "MultiPolygon", coordinates: [[square(0, 0, 1, 1)], [square(5, 5, 6, 6)]] });
    const between = grid("011", { type: "Polygon", coordinates: [square(2, 2, 3, 3)] });
    const idx = new SpatialGridIndex([parts, between]);
    expect(idx.locate(0.5, 0.5)?.code).toBe("010");
    expect(idx.locate(5.5, 5.5)?.code).toBe("010");
    expect(idx.locate(2.5, 2.5)?.code).toBe("011"); // inside 010's box, not in 010
    expect(idx.locate(4, 4)).toBeUndefined();
    expect(idx.candidates(0, 0, 10, 10).map((g) => g.code)).toEqual(["010", "011"]);
  });

  it("answers nothing when empty", () => {
    const idx = new SpatialGridIndex([]);
    expect(idx.size).toBe(0);
    expect(idx.locate(0, 0)).toBeUndefined();
    expect(idx.candidates(-1, -1, 1, 1)).toEqual([]);
  });

  it("puts every point of the demo street in exactly the grid the scan finds", () => {
    const street = generateDemoStreet();
    const areas = street.areas.filter((a) => a.level === "grid");
    const grids = areas.map((a) => grid(a.code, a.boundary!, a.id));
    const outline = street.areas.find((a) => a.level === "street")!;
    const idx = new SpatialGridIndex(grids);
    const r = createRandom(7);
    const points: Position[] = areas.flatMap((a) => a.boundary!.coordinates[0]!);
    for (let n = 0; n < 2000; n++) points.push([r.float(outline.minLng!, outline.maxLng!), r.float(outline.minLat!, outline.maxLat!)]);
    const disagreements = points.filter(([lng, lat]) => idx.locate(lng, lat)?.id !== bruteForceLocate(grids, lng, lat)?.id);
    expect(disagreements).toEqual([]);
    // The street is tiled: every point of it is in some grid.
    expect(points.filter(([lng, lat]) => pointInGeometry(lng, lat, outline.boundary!) !== -1 && !idx.locate(lng, lat))).toEqual([]);
  });
});
