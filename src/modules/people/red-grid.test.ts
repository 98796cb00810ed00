import { describe, expect, it } from "vitest";
import { generateDemoStreet, type DemoStreet } from "../../tools/demo/index.js";
import {
  assignRedGridMembers,
  coverageReport,
  distanceM,
  loadBand,
  type AssignRedGridInput,
  type RedGridHouseholdInput,
  type RedGridMemberInput,
  type RedGridResult,
} from "./red-grid.js";

// A small world in metres around a point of 玉林街道; x east, y north.
const lat0 = 30.62;
const lng0 = 104.06;
const mPerDegLat = 111_195;
const at = (x: number, y: number) => ({ lng: lng0 + x / (mPerDegLat * Math.cos((lat0 * Math.PI) / 180)), lat: lat0 + y / mPerDegLat });

function household(id: string, buildingId: string | null, x: number, y: number, gridId = "g1"): RedGridHouseholdInput {
  return { id, gridId, buildingId, ...at(x, y) };
}

function member(id: string, buildingId: string | null, x: number, y: number, extra: Partial<RedGridMemberInput> = {}): RedGridMemberInput {
  return { id, householdId: null, gridId: "g1", buildingId, ...at(x, y), available: true, ...extra };
}

/** `count` households of one building at one place: ids `${prefix}01`, `${prefix}02`, … */
function building(prefix: string, count: number, x: number, y: number, gridId = "g1"): RedGridHouseholdInput[] {
  return Array.from({ length: count }, (_, i) => household(`${prefix}${String(i + 1).padStart(2, "0")}`, prefix, x, y, gridId));
}

const memberOf = (r: RedGridResult, householdId: string) => r.assignments.find((a) => a.householdId === householdId);
const loadOf = (r: RedGridResult, memberId: string) => r.load.find((l) => l.memberId === memberId)?.count;

/** Deterministic shuffle (mulberry32), for the order-independence test. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("assignRedGridMembers — rules", () => {
  it("keeps manual overrides on a re-run with a new household", () => {
    const households = [...building("A", 8, 0, 0), ...building("B", 8, 300, 0)];
    const members = [member("mA", "A", 0, 0), member("mB", "B", 300, 0)];
    const first = assignRedGridMembers({ members, households });
    expect(memberOf(first, "A01")?.memberId).toBe("mA");
    // A secretary moves A01 to mB and takes A02 off the list (e.g. the family asked for no visits).
    const overrides = [
      { householdId: "A01", memberId: "mB" },
      { householdId: "A02", memberId: null },
    ];
    const second = assignRedGridMembers({ members, households, overrides });
    const third = assignRedGridMembers({ members, households: [...households, household("A09", "A", 0, 0)], overrides });
    for (const r of [second, third]) {
      expect(memberOf(r, "A01")).toEqual({ householdId: "A01", memberId: "mB", reason: "override" });
      expect(memberOf(r, "A02")).toBeUndefined();
      expect(r.unassigned).toContainEqual({ householdId: "A02", reason: "overrideNone" });
    }
    expect(memberOf(third, "A09")?.memberId).toBe("mA");
    // The override counts in mB's load.
    expect(loadOf(third, "mB")! + loadOf(third, "mA")!).toBe(16);
  });

  it("reports overrides it cannot honour and serves those households anyway", () => {
    const households = building("A", 6, 0, 0);
    const members = [member("m1", "A", 0, 0), member("m2", "A", 5, 0, { available: false })];
    const r = assignRedGridMembers({
      members,
      households,
      overrides: [
        { householdId: "A01", memberId: "m2" },
        { householdId: "A02", memberId: "gone" },
        { householdId: "nowhere", memberId: "m1" },
      ],
    });
    expect(r.notices.map((n) => n.code)).toEqual(["overrideUnavailableMember", "overrideUnknownHousehold", "overrideUnknownMember"]);
    expect(memberOf(r, "A01")?.memberId).toBe("m1");
    expect(memberOf(r, "A02")?.memberId).toBe("m1");
    expect(loadOf(r, "m2")).toBe(0);
  });

  it("keeps overrides beyond max (a person decided) but gives that member nothing more, and says so", () => {
    const households = [...building("A", 12, 0, 0), ...building("B", 6, 30, 0)];
    const members = [member("m1", "A", 0, 0), member("m2", "B", 30, 0)];
    const overrides = households.slice(0, 11).map((h) => ({ householdId: h.id, memberId: "m1" }));
    const r = assignRedGridMembers({ members, households, overrides });
    expect(r.notices).toEqual([{ code: "overrideAboveMax", householdId: null, memberId: "m1" }]);
    expect(loadOf(r, "m1")).toBe(11);
    expect(memberOf(r, "A12")?.memberId).toBe("m2");
    expect(r.assignments.filter((a) => a.reason === "override")).toHaveLength(11);
  });

  it("gives a member their own household", () => {
    const households = [...building("A", 6, 0, 0), ...building("B", 6, 50, 0)];
    const members = [member("m1", "A", 0, 0), member("m2", "B", 50, 0, { householdId: "A03" })];
    const r = assignRedGridMembers({ members, households });
    expect(memberOf(r, "A03")).toEqual({ householdId: "A03", memberId: "m2", reason: "own" });
  });

  it("prefers kin over a member of the same building", () => {
    const households = [...building("A", 6, 0, 0), ...building("B", 6, 400, 0)];
    const members = [member("mA", "A", 0, 0), member("mB", "B", 400, 0)];
    const r = assignRedGridMembers({ members, households, kin: [{ memberId: "mB", householdId: "A04" }] });
    expect(memberOf(r, "A04")).toEqual({ householdId: "A04", memberId: "mB", reason: "kin" });
    expect(memberOf(r, "A01")?.memberId).toBe("mA");
  });

  it("prefers the member's own building over a nearer household in another building", () => {
    // Building A is long: its households lie 150 m from mA's door; building C is 20 m away.
    const households = [...building("A", 5, 150, 0), ...building("C", 5, 20, 0), ...building("D", 5, 800, 0)];
    const members = [member("mA", "A", 0, 0), member("mD", "D", 800, 0), member("mX", null, 100, 0)];
    const r = assignRedGridMembers({ members, households });
    for (const a of r.assignments.filter((x) => x.householdId.startsWith("A"))) expect(a).toMatchObject({ memberId: "mA", reason: "sameBuilding" });
    for (const a of r.assignments.filter((x) => x.householdId.startsWith("C"))) expect(a).toMatchObject({ memberId: "mX", reason: "nearest" });
  });

  it("never exceeds max and reports the households left over", () => {
    const households = [...building("A", 30, 0, 0), ...building("B", 12, 200, 0)];
    const members = [member("m1", "A", 0, 0), member("m2", "B", 200, 0)];
    const kin = building("A", 12, 0, 0).map((h) => ({ memberId: "m1", householdId: h.id }));
    const r = assignRedGridMembers({ members, households, kin });
    expect(Math.max(...r.load.map((l) => l.count))).toBe(10);
    expect(r.assignments).toHaveLength(20);
    expect(r.unassigned).toHaveLength(22);
    expect(new Set(r.unassigned.map((u) => u.reason))).toEqual(new Set(["capacity"]));
    // Capacity is spent on the nearest households: m2 serves all of B first.
    expect(r.assignments.filter((a) => a.householdId.startsWith("B")).every((a) => a.memberId === "m2")).toBe(true);
  });

  it("brings every member up to min when the grid has enough households, and spreads evenly", () => {
    // 36 households, 6 members (avg 6): one building of 30 with 5 members living in it would
    // crowd them; the sixth member lives far away and must still get 5.
    const households = [...building("A", 30, 0, 0), ...building("B", 6, 100, 0)];
    const members = [
      member("m1", "A", 0, 0),
      member("m2", "A", 0, 0),
      member("m3", "A", 0, 0),
      member("m4", "A", 0, 0),
      member("m5", "A", 0, 0),
      member("m6", null, 2000, 0),
    ];
    const r = assignRedGridMembers({ members, households });
    const loads = r.load.map((l) => l.count);
    expect(Math.min(...loads)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(2);
    expect(r.stats.membersInRange).toBe(6);
    expect(r.assignments).toHaveLength(36);
  });

  it("keeps households in their grid: a grid without members is reported, unless neighbour grids are allowed", () => {
    const households = [...building("A", 5, 0, 0, "g1"), ...building("Z", 4, 300, 0, "g2")];
    const members = [member("m1", "A", 0, 0)];
    const strict = assignRedGridMembers({ members, households });
    expect(strict.unassigned.filter((u) => u.reason === "noMemberInGrid").map((u) => u.householdId)).toEqual(["Z01", "Z02", "Z03", "Z04"]);
    const lent = assignRedGridMembers({ members, households, options: { allowNeighbourGrid: true } });
    expect(lent.unassigned).toEqual([]);
    expect(memberOf(lent, "Z01")).toEqual({ householdId: "Z01", memberId: "m1", reason: "neighbourGrid" });
    const tooFar = assignRedGridMembers({ members, households, options: { allowNeighbourGrid: true, neighbourMaxDistanceM: 100 } });
    expect(tooFar.unassigned).toHaveLength(4);
  });

  it("keeps a household with its previous member unless another is more than stickinessM nearer", () => {
    // X is 45 m from m1 and 55 m from m2; Y the other way round. The last run (say, before a
    // correction of the map) gave X to m2 and Y to m1.
    const households = [...building("X", 5, 45, 0), ...building("Y", 5, 55, 0)];
    const members = [member("m1", null, 0, 0), member("m2", null, 100, 0)];
    const previous = [...households.map((h) => ({ householdId: h.id, memberId: h.id.startsWith("X") ? "m2" : "m1" }))];
    const kept = assignRedGridMembers({ members, households, previous });
    expect(kept.assignments.map((a) => a.memberId)).toEqual(previous.map((p) => p.memberId));
    const moved = assignRedGridMembers({ members, households, previous, options: { stickinessM: 0 } });
    expect(moved.assignments.filter((a) => a.householdId.startsWith("X")).every((a) => a.memberId === "m1")).toBe(true);
    // A re-run after one more household moves at most one household (a block boundary).
    const more = [...households, household("Y06", "Y", 55, 0)];
    const again = assignRedGridMembers({ members, households: more, previous: kept.assignments });
    expect(kept.assignments.filter((a) => memberOf(again, a.householdId)?.memberId !== a.memberId).length).toBeLessThanOrEqual(1);
  });

  it("is deterministic: the same input, in any order, gives the same output", () => {
    const households = [...building("A", 14, 0, 0), ...building("B", 9, 80, 30), ...building("C", 11, 20, 140), household("solo", null, 60, 60)];
    const members = [
      member("m1", "A", 0, 0, { householdId: "A01" }),
      member("m2", "B", 80, 30),
      member("m3", null, 50, 90),
      member("m4", "C", 20, 140),
      member("m5", "C", 20, 140, { available: false }),
    ];
    const input: AssignRedGridInput = {
      members,
      households,
      kin: [
        { memberId: "m3", householdId: "A07" },
        { memberId: "m2", householdId: "C03" },
      ],
      overrides: [{ householdId: "B02", memberId: "m4" }],
    };
    const a = assignRedGridMembers(input);
    expect(assignRedGridMembers(input)).toEqual(a);
    for (const seed of [1, 2, 3]) {
      const b = assignRedGridMembers({
        members: shuffled(members, seed),
        households: shuffled(households, seed + 10),
        kin: shuffled(input.kin!, seed + 20),
        overrides: input.overrides,
      });
      expect(b).toEqual(a);
    }
  });

  it("computes the load band around the grid's average within [min, max]", () => {
    const o = { min: 5, max: 10, spread: 1 };
    expect(loadBand(60, 10, o)).toEqual({ lo: 5, hi: 7 });
    expect(loadBand(90, 10, o)).toEqual({ lo: 8, hi: 10 });
    expect(loadBand(200, 10, o)).toEqual({ lo: 10, hi: 10 });
    expect(loadBand(30, 8, o)).toEqual({ lo: 3, hi: 5 });
  });

  it("refuses duplicate ids and impossible options", () => {
    const households = building("A", 2, 0, 0);
    expect(() => assignRedGridMembers({ members: [], households: [...households, households[0]!] })).toThrow(/duplicate household id A01/);
    expect(() => assignRedGridMembers({ members: [], households, options: { min: 11, max: 10 } })).toThrow(RangeError);
  });

  it("measures distances in metres", () => {
    expect(distanceM(at(0, 0), at(300, 400))).toBeCloseTo(500, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// The demo street

/** The demo street as assignment input: households and members placed at their building. */
function demoInput(street: DemoStreet): { members: RedGridMemberInput[]; households: RedGridHouseholdInput[] } {
  const buildings = new Map(street.buildings.map((b) => [b.id, b]));
  const dwellings = new Map(street.dwellings.map((d) => [d.id, d]));
  const persons = new Map(street.persons.map((p) => [p.id, p]));
  const households = street.households.map((h) => {
    const b = buildings.get(dwellings.get(h.dwellingId)!.buildingId)!;
    return { id: h.id, gridId: h.gridId, buildingId: b.id, lng: b.lng, lat: b.lat };
  });
  const householdById = new Map(households.map((h) => [h.id, h]));
  const members = street.partyMembers.map((pm) => {
    const person = persons.get(pm.personId)!;
    const home = householdById.get(person.householdId)!;
    return {
      id: pm.id,
      householdId: home.id,
      gridId: person.gridId,
      buildingId: home.buildingId,
      lng: home.lng,
      lat: home.lat,
      available: pm.status !== "floating",
    };
  });
  return { members, households };
}

describe("assignRedGridMembers — the demo street", () => {
  const street = generateDemoStreet();
  const input = demoInput(street);

  it("assigns within grids, within [min, max] wherever the grid's households per member allow", () => {
    const t = performance.now();
    const r = assignRedGridMembers(input);
    const ms = performance.now() - t;
    const households = new Map(input.households.map((h) => [h.id, h]));
    const members = new Map(input.members.map((m) => [m.id, m]));
    const loads = new Map(r.load.map((l) => [l.memberId, l.count]));

    // No cross-grid assignment, no unavailable member used, max never exceeded.
    for (const a of r.assignments) expect(members.get(a.memberId)!.gridId).toBe(households.get(a.householdId)!.gridId);
    for (const m of input.members) if (!m.available) expect(loads.get(m.id)).toBe(0);
    expect(r.stats.maxLoad).toBeLessThanOrEqual(10);
    // Every available member's own household is looked after from inside it (by them, or by
    // another member of the same household).
    for (const m of input.members) {
      if (!m.available) continue;
      const a = memberOf(r, m.householdId!);
      expect(a?.reason).toBe("own");
      expect(members.get(a!.memberId)!.householdId).toBe(m.householdId);
    }

    // Per grid: every household served up to the grid's capacity (members × max), and every
    // member's load within [min, max] wherever households ÷ members lies within [min, max].
    const grids = new Map<string, { households: number; assigned: number; members: string[] }>();
    for (const h of input.households) {
      const g = grids.get(h.gridId) ?? { households: 0, assigned: 0, members: [] };
      g.households++;
      grids.set(h.gridId, g);
    }
    for (const a of r.assignments) grids.get(households.get(a.householdId)!.gridId)!.assigned++;
    for (const m of input.members) if (m.available) grids.get(m.gridId)!.members.push(m.id);
    let gridsInRange = 0;
    let shortOfCapacity = 0;
    for (const g of grids.values()) {
      const capacity = g.members.length * 10;
      expect(g.members.length).toBeGreaterThan(0);
      expect(g.assigned).toBe(Math.min(g.households, capacity));
      if (g.households > capacity) shortOfCapacity += g.households - capacity;
      const ratio = g.households / g.members.length;
      if (ratio >= 5 && ratio <= 10) {
        gridsInRange++;
        for (const id of g.members) {
          expect(loads.get(id)).toBeGreaterThanOrEqual(5);
          expect(loads.get(id)).toBeLessThanOrEqual(10);
        }
      }
      const gridLoads = g.members.map((id) => loads.get(id)!);
      expect(Math.max(...gridLoads) - Math.min(...gridLoads)).toBeLessThanOrEqual(3);
    }
    expect(r.unassigned.every((u) => u.reason === "capacity")).toBe(true);
    expect(r.unassigned).toHaveLength(shortOfCapacity);
    expect(ms).toBeLessThan(1000);
    console.log(
      `demo street: ${ms.toFixed(0)} ms; grids ${grids.size} (${gridsInRange} with 5–10 households per member); ` +
        `stats ${JSON.stringify(r.stats)}; left over for lack of capacity ${shortOfCapacity}`,
    );
  });

  it("gives the demo street the same result for shuffled input", () => {
    const a = assignRedGridMembers(input);
    const b = assignRedGridMembers({ members: shuffled(input.members, 7), households: shuffled(input.households, 8) });
    expect(b).toEqual(a);
  });
});

// ---------------------------------------------------------------------------------------------
// Coverage

describe("coverageReport", () => {
  const input = {
    communities: [
      { id: "c1", name: "芳草社区" },
      { id: "c2", name: "玉林北路社区" },
    ],
    grids: [
      { id: "g1", name: "芳草社区第1网格", communityId: "c1" },
      { id: "g2", name: "芳草社区第2网格", communityId: "c1" },
      { id: "g3", name: "玉林北路社区第1网格", communityId: "c2" },
    ],
    partyOrgs: [
      { id: "o1", kind: "gridPartyBranch", areaId: "g1" },
      { id: "o2", kind: "buildingPartyGroup", areaId: "g2" },
      { id: "o3", kind: "gridPartyBranch", areaId: "g3" },
      { id: "oc1", kind: "communityPartyCommittee", areaId: "c1" },
    ],
    partyMembers: [
      { id: "p1", partyOrgId: "o1", gridId: "g1" },
      { id: "p2", partyOrgId: "oc1", gridId: null },
      { id: "p3", partyOrgId: "o3", gridId: "g3" },
      { id: "p4", partyOrgId: "elsewhere", gridId: null },
    ],
    households: [
      { id: "h1", gridId: "g1" },
      { id: "h2", gridId: "g1" },
      { id: "h3", gridId: "g3" },
    ],
    assignments: [
      { householdId: "h1", memberId: "p1" },
      { householdId: "h3", memberId: "p3" },
    ],
  };

  it("reports a grid without a branch, a member without a grid and an unserved household", () => {
    const r = coverageReport(input);
    expect(r.street.grids).toMatchObject({ numerator: 2, denominator: 3, formula: "有党组织的网格数 / 网格总数", withoutPartyOrg: [{ id: "g2", name: "芳草社区第2网格" }] });
    expect(r.street.grids.ratio).toBeCloseTo(2 / 3);
    expect(r.street.members).toMatchObject({ numerator: 2, denominator: 4, ratio: 0.5, formula: "已编入网格的党员数 / 党员总数", notInGrid: ["p2", "p4"] });
    expect(r.street.households).toMatchObject({
      numerator: 2,
      denominator: 3,
      withoutRedGridMember: 1,
      withoutRedGridMemberIds: ["h2"],
      formula: "有红色网格员联系的户数 / 总户数",
    });
    const [c1, c2] = r.communities;
    expect(c1).toMatchObject({ communityId: "c1", name: "芳草社区" });
    expect(c1!.grids.withoutPartyOrg.map((g) => g.id)).toEqual(["g2"]);
    // p2's relation is held by the community committee of c1; p4's by an organization outside the street.
    expect(c1!.members.notInGrid).toEqual(["p2"]);
    expect(c1!.households.withoutRedGridMemberIds).toEqual(["h2"]);
    expect(c2).toMatchObject({ communityId: "c2", grids: { ratio: 1 }, members: { ratio: 1, notInGrid: [] }, households: { ratio: 1 } });
  });

  it("counts building party groups only when asked, and says 'no figure' for an empty denominator", () => {
    const r = coverageReport({ ...input, coveringKinds: ["gridPartyBranch", "buildingPartyGroup"] });
    expect(r.street.grids.withoutPartyOrg).toEqual([]);
    const empty = coverageReport({ grids: [], partyOrgs: [], partyMembers: [], households: [], assignments: [] });
    expect(empty.street.grids.ratio).toBeNull();
    expect(empty.communities).toEqual([]);
  });

  it("reads an assignment run's output", () => {
    const households = [...building("A", 6, 0, 0, "g1"), ...building("B", 3, 100, 0, "g2")];
    const run = assignRedGridMembers({ members: [member("p1", "A", 0, 0)], households });
    const r = coverageReport({ ...input, households, assignments: run.assignments });
    expect(r.street.households.withoutRedGridMemberIds).toEqual(["B01", "B02", "B03"]);
    expect(r.communities[0]!.households.withoutRedGridMember).toBe(3);
  });
});
