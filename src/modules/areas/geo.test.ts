import { describe, expect, it } from "vitest";
import { bbox, geometryProblem, pointInGeometry, type Geometry } from "./geo.js";

const donut: Geometry = {
  type: "Polygon",
  coordinates: [
    [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
    [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
  ],
};

describe("point in polygon", () => {
  it("tells inside, outside, edge and hole apart", () => {
    expect(pointInGeometry(1, 1, donut)).toBe(1);
    expect(pointInGeometry(11, 1, donut)).toBe(-1);
    expect(pointInGeometry(0, 5, donut)).toBe(0);
    expect(pointInGeometry(10, 10, donut)).toBe(0);
    expect(pointInGeometry(5, 5, donut)).toBe(-1);
    expect(pointInGeometry(4, 5, donut)).toBe(0);
    expect(pointInGeometry(3.999, 5, donut)).toBe(1);
  });
  it("handles multipolygons and concave shapes", () => {
    const l: Geometry = { type: "MultiPolygon", coordinates: [[[[0, 0], [2, 0], [2, 1], [1, 1], [1, 2], [0, 2], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]]]] };
    expect(pointInGeometry(1.5, 1.5, l)).toBe(-1);
    expect(pointInGeometry(0.5, 1.5, l)).toBe(1);
    expect(pointInGeometry(5.5, 5.5, l)).toBe(1);
    expect(bbox(l)).toEqual({ minLng: 0, minLat: 0, maxLng: 6, maxLat: 6 });
  });
  it("rejects open rings, short rings and bad coordinates", () => {
    expect(geometryProblem(donut)).toBeUndefined();
    expect(geometryProblem({ type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] })).toMatch(/closed/);
    expect(geometryProblem({ type: "Polygon", coordinates: [[[0, 0], [1, 0], [0, 0]]] })).toMatch(/at least 4/);
    expect(geometryProblem({ type: "Point", coordinates: [0, 0] })).toMatch(/Polygon/);
    expect(geometryProblem({ type: "Polygon", coordinates: [[[0, 0], [200, 0], [1, 1], [0, 0]]] })).toMatch(/outside/);
  });
});
