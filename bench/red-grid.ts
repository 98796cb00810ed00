/**
 * red-grid: time and quality of the red grid member assignment (min-cost flow per grid, with
 * own/kin/override seeds and a load band) on the demo street and on a generated district
 * (100,000 households, 15,000 party members), against a naive reference in the same run: each
 * household, by id, to the nearest available member of its grid below max, no balancing.
 * Grids with fewer than 5 households per member cannot give every member 5: there the loads
 * are spread evenly (by design), so the share within [5, 10] is also shown for the other grids.
 * The last line gives the district figures (best of `runs`).
 * Usage: npm run bench -- red-grid [runs=3]
 */
import { generateDemoStreet } from "../src/tools/demo/index.js";
import { createRandom } from "../src/tools/demo/random.js";
import {
  assignRedGridMembers,
  distanceM,
  type AssignRedGridInput,
  type RedGridHouseholdInput,
  type RedGridMemberInput,
} from "../src/modules/people/red-grid.js";

const runs = Math.max(1, Number(process.argv[2] ?? 3));
const min = 5;
const max = 10;

interface Quality {
  assigned: number;
  maxLoad: number;
  inRange: number;
  members: number;
  /** Available members of grids with at least `min` households per member, and how many of them are within [min, max]. */
  eligible: number;
  eligibleInRange: number;
  meanDistanceM: number;
}

function quality(input: AssignRedGridInput, assignments: readonly { householdId: string; memberId: string }[]): Quality {
  const households = new Map(input.households.map((h) => [h.id, h]));
  const members = new Map(input.members.map((m) => [m.id, m]));
  const load = new Map<string, number>();
  let distance = 0;
  for (const a of assignments) {
    load.set(a.memberId, (load.get(a.memberId) ?? 0) + 1);
    distance += distanceM(households.get(a.householdId)!, members.get(a.memberId)!);
  }
  const available = input.members.filter((m) => m.available);
  const perGrid = new Map<string, { households: number; members: number }>();
  const grid = (id: string) => perGrid.get(id) ?? perGrid.set(id, { households: 0, members: 0 }).get(id)!;
  for (const h of input.households) grid(h.gridId).households++;
  for (const m of available) grid(m.gridId).members++;
  const inRange = (m: RedGridMemberInput) => {
    const n = load.get(m.id) ?? 0;
    return n >= min && n <= max;
  };
  const eligible = available.filter((m) => grid(m.gridId).households >= min * grid(m.gridId).members);
  return {
    assigned: assignments.length,
    maxLoad: Math.max(0, ...available.map((m) => load.get(m.id) ?? 0)),
    inRange: available.filter(inRange).length,
    members: available.length,
    eligible: eligible.length,
    eligibleInRange: eligible.filter(inRange).length,
    meanDistanceM: assignments.length ? distance / assignments.length : 0,
  };
}

/** The reference: plain nearest-member greedy within the grid, capped at max, no balancing. */
function nearestGreedy(input: AssignRedGridInput): { householdId: string; memberId: string }[] {
  const byGrid = new Map<string, RedGridMemberInput[]>();
  for (const m of input.members) {
    if (!m.available) continue;
    const list = byGrid.get(m.gridId) ?? [];
    list.push(m);
    byGrid.set(m.gridId, list);
  }
  const load = new Map<string, number>();
  const out: { householdId: string; memberId: string }[] = [];
  for (const h of [...input.households].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    let best: RedGridMemberInput | undefined;
    let bestD = Infinity;
    for (const m of byGrid.get(h.gridId) ?? []) {
      if ((load.get(m.id) ?? 0) >= max) continue;
      const d = distanceM(h, m);
      if (d < bestD) {
        bestD = d;
        best = m;
      }
    }
    if (best) {
      load.set(best.id, (load.get(best.id) ?? 0) + 1);
      out.push({ householdId: h.id, memberId: best.id });
    }
  }
  return out;
}

function demoInput(): AssignRedGridInput {
  const street = generateDemoStreet();
  const buildings = new Map(street.buildings.map((b) => [b.id, b]));
  const dwellings = new Map(street.dwellings.map((d) => [d.id, d]));
  const persons = new Map(street.persons.map((p) => [p.id, p]));
  const households = street.households.map((h) => {
    const b = buildings.get(dwellings.get(h.dwellingId)!.buildingId)!;
    return { id: h.id, gridId: h.gridId, buildingId: b.id, lng: b.lng, lat: b.lat };
  });
  const home = new Map(households.map((h) => [h.id, h]));
  const members = street.partyMembers.map((pm) => {
    const person = persons.get(pm.personId)!;
    const h = home.get(person.householdId)!;
    return { id: pm.id, householdId: h.id, gridId: person.gridId, buildingId: h.buildingId, lng: h.lng, lat: h.lat, available: pm.status !== "floating" };
  });
  return { members, households };
}

/**
 * A district: grids of 60–600 households on a lattice of 450 m cells, buildings of 12–96
 * households (each unit a few metres apart), members living in households of their grid at
 * 4–10 households per member, 5 % unavailable, 10 % with one or two kin households, and 0.5 %
 * of households pinned by a manual override.
 */
function districtInput(householdTarget: number, memberTarget: number, seed = 2026): AssignRedGridInput {
  const rnd = createRandom(seed);
  const cellM = 450;
  const mLat = 1 / 111_195;
  const mLng = 1 / (111_195 * Math.cos((30.6 * Math.PI) / 180));
  const sizes: number[] = [];
  for (let total = 0; total < householdTarget; ) {
    const n = Math.min(rnd.int(60, 600), householdTarget - total);
    sizes.push(n);
    total += n;
  }
  const side = Math.ceil(Math.sqrt(sizes.length));
  const households: RedGridHouseholdInput[] = [];
  const gridHouseholds: RedGridHouseholdInput[][] = [];
  const ratios = sizes.map(() => rnd.float(4, 10));
  const memberWeights = sizes.map((n, g) => n / ratios[g]!);
  const weightSum = memberWeights.reduce((s, w) => s + w, 0);
  let serial = 0;
  const id = (prefix: string) => `${prefix}${String(serial++).padStart(7, "0")}`;
  sizes.forEach((n, g) => {
    const gridId = `grid${String(g).padStart(4, "0")}`;
    const x0 = (g % side) * cellM;
    const y0 = Math.floor(g / side) * cellM;
    const list: RedGridHouseholdInput[] = [];
    for (let left = n; left > 0; ) {
      const size = Math.min(left, rnd.int(12, 96));
      left -= size;
      const buildingId = id("b");
      const bx = x0 + rnd.float(20, cellM - 20);
      const by = y0 + rnd.float(20, cellM - 20);
      for (let k = 0; k < size; k++) {
        const unit = Math.floor(k / 12);
        list.push({ id: id("h"), gridId, buildingId, lng: 104 + (bx + unit * 8) * mLng, lat: 30.6 + by * mLat });
      }
    }
    gridHouseholds.push(list);
    households.push(...list);
  });
  const members: RedGridMemberInput[] = [];
  const kin: { memberId: string; householdId: string }[] = [];
  gridHouseholds.forEach((list, g) => {
    const count = Math.max(1, Math.round((memberTarget * memberWeights[g]!) / weightSum));
    for (let k = 0; k < count; k++) {
      const home = rnd.pick(list);
      const m: RedGridMemberInput = {
        id: id("m"),
        householdId: home.id,
        gridId: home.gridId,
        buildingId: home.buildingId,
        lng: home.lng,
        lat: home.lat,
        available: rnd.chance(0.95),
      };
      members.push(m);
      if (rnd.chance(0.1)) for (let j = rnd.int(1, 2); j > 0; j--) kin.push({ memberId: m.id, householdId: rnd.pick(list).id });
    }
  });
  const byGrid = new Map<string, RedGridMemberInput[]>();
  for (const m of members) if (m.available) byGrid.set(m.gridId, [...(byGrid.get(m.gridId) ?? []), m]);
  const overrides = households
    .filter(() => rnd.chance(0.005))
    .flatMap((h) => {
      const candidates = byGrid.get(h.gridId);
      return candidates ? [{ householdId: h.id, memberId: rnd.chance(0.2) ? null : rnd.pick(candidates).id }] : [];
    });
  return { members, households, kin, overrides };
}

function best(fn: () => void): number {
  let ms = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

function describe(label: string, ms: number, q: Quality, unassigned: number): string {
  return (
    `  ${label.padEnd(10)} ${ms.toFixed(1).padStart(8)} ms; assigned ${q.assigned}, left ${unassigned}; max load ${q.maxLoad}; ` +
    `members within [${min}, ${max}] ${pct(q.inRange, q.members)} (${q.inRange}/${q.members}), ` +
    `in grids with ≥ ${min} households per member ${pct(q.eligibleInRange, q.eligible)} (${q.eligibleInRange}/${q.eligible}); ` +
    `mean distance ${q.meanDistanceM.toFixed(1)} m`
  );
}

function measure(label: string, input: AssignRedGridInput): { ours: number; ref: number } {
  const gridCount = new Set(input.households.map((h) => h.gridId)).size;
  const available = input.members.filter((m) => m.available).length;
  console.log(
    `${label}: ${input.households.length} households, ${input.members.length} members (${available} available), ${gridCount} grids, ` +
      `${input.kin?.length ?? 0} kin, ${input.overrides?.length ?? 0} overrides`,
  );
  const result = assignRedGridMembers(input);
  const reference = nearestGreedy(input);
  const ours = best(() => assignRedGridMembers(input));
  const ref = best(() => nearestGreedy(input));
  console.log(describe("ours", ours, quality(input, result.assignments), result.unassigned.length));
  console.log(describe("reference", ref, quality(input, reference), input.households.length - reference.length));
  return { ours, ref };
}

measure("demo street", demoInput());
const district = measure("district", districtInput(100_000, 15_000));
console.log(`red-grid: ${district.ours.toFixed(1)} ms; reference ${district.ref.toFixed(1)} ms; ratio ${(district.ref / district.ours).toFixed(3)}`);
