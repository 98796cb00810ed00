import { describe, expect, it } from "vitest";
import { orderByName } from "./names.js";

describe("orderByName", () => {
  // Names as an owner answers them: already in its database's order (here: 乙 before 甲).
  const names = new Map([
    ["g2", "乙网格"],
    ["g3", "甲网格"],
    ["g1", "甲网格"],
  ]);

  it("orders rows by their name's place, keeping the rows' own order among equal names", () => {
    const rows = [
      { id: "r1", grid: "g1" },
      { id: "r2", grid: "g3" },
      { id: "r3", grid: "g2" },
      { id: "r4", grid: "g1" },
    ];
    expect(orderByName(rows, (r) => r.grid, names).map((r) => r.id)).toEqual(["r3", "r1", "r2", "r4"]);
  });

  it("puts rows whose id has no name last, in their own order, and leaves the input alone", () => {
    const rows = [
      { id: "r1", grid: "gone" },
      { id: "r2", grid: "g3" },
      { id: "r3", grid: "other" },
    ];
    expect(orderByName(rows, (r) => r.grid, names).map((r) => r.id)).toEqual(["r2", "r1", "r3"]);
    expect(rows.map((r) => r.id)).toEqual(["r1", "r2", "r3"]);
  });
});
