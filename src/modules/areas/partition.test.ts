import { describe, expect, it } from "vitest";
import { cutByLine, partitionProblems, unionOf } from "./partition.js";
import { areaM2 } from "./topology.js";
import type { Geometry, Polygon } from "./geo.js";

const rect = (w: number, s: number, e: number, n: number): Polygon => ({ type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

describe("cutting a grid along a line", () => {
  const grid = rect(104, 30, 104.01, 30.01);

  it("cuts a square in two along a bent line; the parts tile it exactly", () => {
    const parts = cutByLine(grid, { type: "LineString", coordinates: [[103.999, 30.004], [104.005, 30.006], [104.011, 30.004]] });
    expect(parts).toHaveLength(2);
    expect(partitionProblems(grid, "网格", parts.map((p, i) => ({ name: `第${i + 1}部分`, boundary: p })))).toEqual([]);
    // North first: the northern part holds the top edge.
    expect(parts[0]!.coordinates[0]!.some(([, lat]) => lat === 30.01)).toBe(true);
    const total = parts.reduce((sum, p) => sum + areaM2(p), 0);
    expect(Math.abs(total - areaM2(grid))).toBeLessThan(0.01);
  });

  it("extends a line that stops short inside the grid, and yields three parts for a line weaving out and back in", () => {
    expect(cutByLine(grid, { type: "LineString", coordinates: [[104.005, 30.001], [104.005, 30.009]] })).toHaveLength(2);
    const u: Geometry = { type: "Polygon", coordinates: [[[104, 30], [104.01, 30], [104.01, 30.01], [104.007, 30.01], [104.007, 30.003], [104.003, 30.003], [104.003, 30.01], [104, 30.01], [104, 30]]] };
    expect(cutByLine(u, { type: "LineString", coordinates: [[103.99, 30.006], [104.02, 30.006]] })).toHaveLength(3);
  });

  it("yields one part for a line that misses the grid", () => {
    expect(cutByLine(grid, { type: "LineString", coordinates: [[104.02, 30], [104.03, 30.01]] })).toHaveLength(1);
  });
});

describe("parts and unions", () => {
  const grid = rect(104, 30, 104.01, 30.01);
  it("names overlaps, uncovered area and parts outside, each in m²", () => {
    const p = partitionProblems(grid, "老网格", [
      { name: "甲", boundary: rect(104, 30, 104.006, 30.01) },
      { name: "乙", boundary: rect(104.005, 30, 104.011, 30.009) },
    ]);
    expect(p.join("\n")).toMatch(/「甲」与「乙」重叠 \d+\.\d 平方米/);
    expect(p.join("\n")).toMatch(/「乙」有 \d+\.\d 平方米超出原网格「老网格」/);
    expect(p.join("\n")).toMatch(/有 \d+\.\d 平方米未被覆盖/);
  });

  it("unites touching grids into one polygon and names the groups that do not touch", () => {
    const a = { id: "a", name: "甲", boundary: rect(104, 30, 104.005, 30.01) };
    const b = { id: "b", name: "乙", boundary: rect(104.005, 30, 104.01, 30.01) };
    const c = { id: "c", name: "丙", boundary: rect(104.01, 30.01, 104.02, 30.02) };
    const ab = unionOf([a, b]);
    expect(ab.ok).toBe(true);
    if (ab.ok) expect(Math.abs(areaM2(ab.boundary) - areaM2(grid))).toBeLessThan(0.01);
    const abc = unionOf([a, b, c]);
    expect(abc.ok).toBe(false);
    if (!abc.ok) expect(abc.groups.map((g) => g.map((x) => x.name))).toEqual([["甲", "乙"], ["丙"]]);
  });
});
