/**
 * 红色网格 (red grid): which red grid member 红色网格员 looks after which household, and how far
 * the red grid rule — 每个网格都有党组织、每名党员都在网格中 — is met. Pure functions over plain
 * objects; the service loads the rows, calls these and stores or presents the result.
 *
 * Assignment (就亲、就近、就便), per grid, in this order:
 *   1. manual overrides, kept on every re-run and counted in the member's load;
 *   2. a member's own household;
 *   3. kin: a member's relatives' households, while the member is below `max`;
 *   4. the rest by a min-cost flow over (building → member) with capacities, whose cost is, in
 *      strict priority: as many households served as capacity allows; every member brought up
 *      to the grid's lower bound; same building as the member; then distance in metres (plus a
 *      small "stickiness" for the previous assignment when one is given, so re-runs do not
 *      reshuffle residents who already know their member).
 * Households of one building share a node of the flow graph, which keeps the graph tiny
 * (buildings × members of one grid) and buildings together where capacity allows.
 * A grid never lends its households to another grid's members unless `allowNeighbourGrid` is set.
 */
import Flatbush from "flatbush";

// ---------------------------------------------------------------------------------------------
// Types

export interface RedGridMemberInput {
  /** Party member id. */
  id: string;
  /** The household the member lives in, if known. */
  householdId: string | null;
  /** The grid the member is placed in; the member serves households of this grid only. */
  gridId: string;
  buildingId: string | null;
  lng: number;
  lat: number;
  /** false for members who cannot serve now (floating 流动, ill, away): they get no household. */
  available: boolean;
}

export interface RedGridHouseholdInput {
  id: string;
  gridId: string;
  buildingId: string | null;
  lng: number;
  lat: number;
}

/** A household of the member's relatives (就亲): looked after by that member when capacity allows. */
export interface KinRelation {
  memberId: string;
  householdId: string;
}

/** A manual decision: the household goes to `memberId`, or to no one when `memberId` is null. */
export interface AssignmentOverride {
  householdId: string;
  memberId: string | null;
}

export interface RedGridOptions {
  /** Fewest households a member should look after (DOMAIN §1: 5). */
  min: number;
  /** Most households a member may look after (DOMAIN §1: 10); never exceeded by the algorithm. */
  max: number;
  /**
   * How far a member's load may stray from the grid's average (households ÷ members), within
   * [min, max]: loads lie in [⌊avg⌋ − spread, ⌈avg⌉ + spread]. Default 1.
   */
  spread: number;
  /** Give households left over (no member in their grid, or grid full) to the nearest member of another grid with room. Default false. */
  allowNeighbourGrid: boolean;
  /** How far a neighbour-grid member may live from the household, metres. Default 1000. */
  neighbourMaxDistanceM: number;
  /** Metres of extra distance a household accepts to stay with its previous member. Default 100. */
  stickinessM: number;
}

export const defaultRedGridOptions: RedGridOptions = {
  min: 5,
  max: 10,
  spread: 1,
  allowNeighbourGrid: false,
  neighbourMaxDistanceM: 1000,
  stickinessM: 100,
};

export interface AssignRedGridInput {
  members: readonly RedGridMemberInput[];
  households: readonly RedGridHouseholdInput[];
  kin?: readonly KinRelation[];
  overrides?: readonly AssignmentOverride[];
  /** The assignment in force (e.g. the last run's); only used to avoid needless changes. */
  previous?: readonly { householdId: string; memberId: string }[];
  options?: Partial<RedGridOptions>;
}

export type AssignmentReason = "override" | "own" | "kin" | "sameBuilding" | "nearest" | "neighbourGrid";
export type UnassignedReason = "noMemberInGrid" | "capacity" | "overrideNone";

/** Something in the input the run could not honour as given; stable codes for the UI. */
export type RedGridNoticeCode =
  | "overrideUnknownHousehold"
  | "overrideUnknownMember"
  | "overrideUnavailableMember"
  | "overrideConflict"
  | "overrideAboveMax";

export interface RedGridNotice {
  code: RedGridNoticeCode;
  householdId: string | null;
  memberId: string | null;
}

export interface RedGridAssignment {
  householdId: string;
  memberId: string;
  reason: AssignmentReason;
}

export interface RedGridResult {
  /** Sorted by household id. */
  assignments: RedGridAssignment[];
  /** Sorted by household id. */
  unassigned: { householdId: string; reason: UnassignedReason }[];
  /** Every member of the input, sorted by id; unavailable members have 0. */
  load: { memberId: string; count: number }[];
  stats: {
    households: number;
    assigned: number;
    /** Available members. */
    members: number;
    /** Over available members. */
    minLoad: number;
    maxLoad: number;
    /** Available members whose load lies in [min, max]. */
    membersInRange: number;
    /** Mean distance between an assigned household and its member, metres (0.1 m). */
    meanDistanceM: number;
  };
  notices: RedGridNotice[];
}

// ---------------------------------------------------------------------------------------------
// Geometry

const earthRadiusM = 6_371_008.8;
const rad = Math.PI / 180;

/** Distance in metres, equirectangular approximation (exact enough within a city). */
export function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const x = (b.lng - a.lng) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * earthRadiusM;
}

// ---------------------------------------------------------------------------------------------
// Min-cost flow (successive shortest paths, Dijkstra with potentials on a dense graph)

/**
 * Small min-cost max-flow for the graph of one grid. Costs are non-negative integers (exact in
 * a double up to 2^53), so Dijkstra with potentials is exact and ties break by node order,
 * which the caller builds from sorted ids: the result does not depend on input order.
 */
class MinCostFlow {
  private readonly head: Int32Array;
  private readonly to: number[] = [];
  private readonly next: number[] = [];
  readonly cap: number[] = [];
  private readonly cost: number[] = [];

  constructor(private readonly n: number) {
    this.head = new Int32Array(n).fill(-1);
  }

  /** Adds an arc and its residual twin; returns the arc's index (the twin is index + 1). */
  addArc(u: number, v: number, cap: number, cost: number): number {
    const e = this.to.length;
    this.to.push(v, u);
    this.cap.push(cap, 0);
    this.cost.push(cost, -cost);
    this.next.push(this.head[u]!, this.head[v]!);
    this.head[u] = e;
    this.head[v] = e + 1;
    return e;
  }

  /** Flow on arc `e` (the capacity of its residual twin). */
  flow(e: number): number {
    return this.cap[e + 1]!;
  }

  /**
   * Successive shortest paths. Dijkstra stops once the sink is settled; nodes not settled then
   * raise their potential by the sink's distance, which keeps every reduced cost non-negative.
   */
  run(s: number, t: number): number {
    const { n, head, to, next, cap, cost } = this;
    const pot = new Float64Array(n);
    const dist = new Float64Array(n);
    const done = new Uint8Array(n);
    const prev = new Int32Array(n);
    let total = 0;
    for (;;) {
      dist.fill(Infinity);
      done.fill(0);
      dist[s] = 0;
      for (;;) {
        let u = -1;
        let best = Infinity;
        for (let v = 0; v < n; v++) {
          if (done[v] === 0 && dist[v]! < best) {
            best = dist[v]!;
            u = v;
          }
        }
        if (u < 0 || u === t) break;
        done[u] = 1;
        const pu = pot[u]! + best;
        for (let e = head[u]!; e >= 0; e = next[e]!) {
          if (cap[e]! <= 0) continue;
          const v = to[e]!;
          const d = pu + cost[e]! - pot[v]!;
          if (d < dist[v]!) {
            dist[v] = d;
            prev[v] = e;
          }
        }
      }
      const dt = dist[t]!;
      if (dt === Infinity) return total;
      for (let v = 0; v < n; v++) pot[v]! += done[v] === 1 ? dist[v]! : dt;
      let push = Infinity;
      for (let v = t; v !== s; v = to[prev[v]! ^ 1]!) push = Math.min(push, cap[prev[v]!]!);
      for (let v = t; v !== s; v = to[prev[v]! ^ 1]!) {
        cap[prev[v]!]! -= push;
        cap[prev[v]! ^ 1]! += push;
      }
      total += push;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Assignment

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function resolveOptions(given: Partial<RedGridOptions> | undefined): RedGridOptions {
  const o: RedGridOptions = { ...defaultRedGridOptions };
  for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) Object.assign(o, { [k]: v });
  const whole = (x: number) => Number.isInteger(x) && x >= 0;
  if (!whole(o.min) || !whole(o.max) || o.max < 1 || o.min > o.max || !whole(o.spread)) {
    throw new RangeError(`red grid options: need whole numbers 0 ≤ min ≤ max, max ≥ 1, spread ≥ 0 (got min ${o.min}, max ${o.max}, spread ${o.spread})`);
  }
  if (!(o.neighbourMaxDistanceM >= 0) || !(o.stickinessM >= 0)) throw new RangeError("red grid options: distances must be ≥ 0");
  return o;
}

function assertUnique(items: readonly { id: string }[], what: string): void {
  for (let i = 1; i < items.length; i++) {
    if (items[i]!.id === items[i - 1]!.id) throw new Error(`red grid: duplicate ${what} id ${items[i]!.id}`);
  }
}

/** The band of loads a grid aims for: [lo, hi] around its average, within [min, max]. */
export function loadBand(households: number, members: number, o: Pick<RedGridOptions, "min" | "max" | "spread">): { lo: number; hi: number } {
  if (members === 0) return { lo: 0, hi: 0 };
  const avg = households / members;
  const floor = Math.floor(avg);
  const hi = Math.min(o.max, Math.max(Math.ceil(avg) + o.spread, o.min));
  const lo = Math.min(hi, floor <= o.min ? floor : Math.max(o.min, floor - o.spread));
  return { lo, hi };
}

/**
 * 红色网格员分配: assigns red grid members to households, 5–10 each, by kinship, proximity and
 * convenience (就亲、就近、就便). Pure and deterministic: the same input in any order gives the
 * same result. See the module comment for the rules and the algorithm.
 */
export function assignRedGridMembers(input: AssignRedGridInput): RedGridResult {
  const o = resolveOptions(input.options);
  const members = [...input.members].sort(byId);
  const households = [...input.households].sort(byId);
  assertUnique(members, "member");
  assertUnique(households, "household");
  const M = members.length;
  const H = households.length;
  const memberAt = new Map(members.map((m, i) => [m.id, i]));
  const householdAt = new Map(households.map((h, i) => [h.id, i]));

  const load = new Int32Array(M);
  const memberOf = new Int32Array(H).fill(-1);
  const reasonOf: (AssignmentReason | UnassignedReason | undefined)[] = new Array<undefined>(H).fill(undefined);
  const notices: RedGridNotice[] = [];
  const assign = (h: number, m: number, reason: AssignmentReason) => {
    memberOf[h] = m;
    reasonOf[h] = reason;
    load[m]! += 1;
  };

  // 1. Overrides. One decision per household; conflicting rows are reported and the first by
  // member id (no one first) wins, so the outcome never depends on row order.
  const overridesByHousehold = new Map<string, (string | null)[]>();
  for (const ov of input.overrides ?? []) {
    const list = overridesByHousehold.get(ov.householdId) ?? [];
    list.push(ov.memberId);
    overridesByHousehold.set(ov.householdId, list);
  }
  for (const householdId of [...overridesByHousehold.keys()].sort(cmp)) {
    const choices = [...new Set(overridesByHousehold.get(householdId))].sort((a, b) => cmp(a ?? "", b ?? ""));
    const h = householdAt.get(householdId);
    const memberId = choices[0] ?? null;
    if (h === undefined) {
      notices.push({ code: "overrideUnknownHousehold", householdId, memberId });
      continue;
    }
    if (choices.length > 1) notices.push({ code: "overrideConflict", householdId, memberId });
    if (memberId === null) {
      reasonOf[h] = "overrideNone";
      continue;
    }
    const m = memberAt.get(memberId);
    if (m === undefined) {
      notices.push({ code: "overrideUnknownMember", householdId, memberId });
    } else if (!members[m]!.available) {
      // The household still needs someone: it joins the automatic pool until the member is back.
      notices.push({ code: "overrideUnavailableMember", householdId, memberId });
    } else {
      assign(h, m, "override");
    }
  }
  members.forEach((m, i) => {
    if (load[i]! > o.max) notices.push({ code: "overrideAboveMax", householdId: null, memberId: m.id });
  });

  const open = (h: number) => reasonOf[h] === undefined;

  // 2. Own household (in the member's own grid). Two members of one household: the first by id.
  members.forEach((m, i) => {
    if (!m.available || m.householdId === null) return;
    const h = householdAt.get(m.householdId);
    if (h === undefined || !open(h) || households[h]!.gridId !== m.gridId || load[i]! >= o.max) return;
    assign(h, i, "own");
  });

  // 3. Kin: each kin household, by id, goes to the least loaded of its kin members in its grid.
  const kinByHousehold = new Map<number, number[]>();
  for (const k of input.kin ?? []) {
    const h = householdAt.get(k.householdId);
    const m = memberAt.get(k.memberId);
    if (h === undefined || m === undefined || !members[m]!.available || members[m]!.gridId !== households[h]!.gridId) continue;
    const list = kinByHousehold.get(h) ?? [];
    if (!list.includes(m)) list.push(m);
    kinByHousehold.set(h, list);
  }
  for (const h of [...kinByHousehold.keys()].sort((a, b) => a - b)) {
    if (!open(h)) continue;
    let best = -1;
    let bestD = Infinity;
    for (const m of kinByHousehold.get(h)!.sort((a, b) => a - b)) {
      if (load[m]! >= o.max) continue;
      const d = distanceM(households[h]!, members[m]!);
      if (best < 0 || load[m]! < load[best]! || (load[m] === load[best] && d < bestD)) {
        best = m;
        bestD = d;
      }
    }
    if (best >= 0) assign(h, best, "kin");
  }

  // 4. Per grid: the rest by min-cost flow.
  const previousOf = new Map<number, number>();
  for (const p of input.previous ?? []) {
    const h = householdAt.get(p.householdId);
    const m = memberAt.get(p.memberId);
    if (h !== undefined && m !== undefined) previousOf.set(h, m);
  }
  const gridMembers = new Map<string, number[]>();
  members.forEach((m, i) => {
    if (!m.available) return;
    const list = gridMembers.get(m.gridId) ?? [];
    list.push(i);
    gridMembers.set(m.gridId, list);
  });
  const gridPool = new Map<string, number[]>();
  households.forEach((h, i) => {
    if (!open(i)) return;
    const list = gridPool.get(h.gridId) ?? [];
    list.push(i);
    gridPool.set(h.gridId, list);
  });
  for (const gridId of [...gridPool.keys()].sort(cmp)) {
    const pool = gridPool.get(gridId)!;
    const inGrid = gridMembers.get(gridId) ?? [];
    if (inGrid.length === 0) {
      for (const h of pool) reasonOf[h] = "noMemberInGrid";
      continue;
    }
    assignGrid(pool, inGrid, households, members, load, previousOf, o, assign);
    for (const h of pool) if (open(h)) reasonOf[h] = "capacity";
  }

  // 5. Optionally, households left over go to the nearest member of another grid with room.
  if (o.allowNeighbourGrid) lendAcrossGrids(households, members, load, reasonOf, o, assign);

  // Result.
  const assignments: RedGridAssignment[] = [];
  const unassigned: RedGridResult["unassigned"] = [];
  let distanceSum = 0;
  households.forEach((h, i) => {
    const reason = reasonOf[i]!;
    const m = memberOf[i]!;
    if (m >= 0) {
      assignments.push({ householdId: h.id, memberId: members[m]!.id, reason: reason as AssignmentReason });
      distanceSum += distanceM(h, members[m]!);
    } else {
      unassigned.push({ householdId: h.id, reason: reason as UnassignedReason });
    }
  });
  let minLoad = Infinity;
  let maxLoad = 0;
  let available = 0;
  let membersInRange = 0;
  members.forEach((m, i) => {
    if (!m.available) return;
    available++;
    minLoad = Math.min(minLoad, load[i]!);
    maxLoad = Math.max(maxLoad, load[i]!);
    if (load[i]! >= o.min && load[i]! <= o.max) membersInRange++;
  });
  return {
    assignments,
    unassigned,
    load: members.map((m, i) => ({ memberId: m.id, count: load[i]! })),
    stats: {
      households: H,
      assigned: assignments.length,
      members: available,
      minLoad: available ? minLoad : 0,
      maxLoad,
      membersInRange,
      meanDistanceM: assignments.length ? Math.round((distanceSum / assignments.length) * 10) / 10 : 0,
    },
    notices: notices.sort(
      (a, b) => cmp(a.code, b.code) || cmp(a.householdId ?? "", b.householdId ?? "") || cmp(a.memberId ?? "", b.memberId ?? ""),
    ),
  };
}

/** The flow for one grid: `pool` (household indices, ascending) to `inGrid` (member indices, ascending). */
function assignGrid(
  pool: number[],
  inGrid: number[],
  households: readonly RedGridHouseholdInput[],
  members: readonly RedGridMemberInput[],
  load: Int32Array,
  previousOf: Map<number, number>,
  o: RedGridOptions,
  assign: (h: number, m: number, reason: AssignmentReason) => void,
): void {
  const k = inGrid.length;
  const seeded = inGrid.reduce((s, m) => s + load[m]!, 0);
  const { lo, hi } = loadBand(pool.length + seeded, k, o);

  // Households of one building (and one previous member) form one source node; households
  // without a building, one node per 10 m square, so the graph stays small either way.
  interface Group {
    buildingId: string | null;
    previous: number;
    households: number[];
    lng: number;
    lat: number;
  }
  const groups: Group[] = [];
  const groupOf = new Map<string, Group>();
  for (const h of pool) {
    const hh = households[h]!;
    const p = previousOf.get(h);
    const previous = p !== undefined && inGrid.includes(p) ? p : -1;
    const key = `${hh.buildingId ?? placeKey(hh)}|${previous}`;
    let g = groupOf.get(key);
    if (!g) {
      g = { buildingId: hh.buildingId, previous, households: [], lng: 0, lat: 0 };
      groupOf.set(key, g);
      groups.push(g);
    }
    g.households.push(h);
    g.lng += hh.lng;
    g.lat += hh.lat;
  }
  for (const g of groups) {
    g.lng /= g.households.length;
    g.lat /= g.households.length;
  }

  // Costs in decimetres, and weights that make the priorities strict: one household out of its
  // member's building (P) outweighs any sum of distances; one member below the band (B)
  // outweighs any sum of building and distance costs.
  const G = groups.length;
  const stickiness = Math.round(o.stickinessM * 10);
  const base = new Float64Array(G * k);
  let maxBase = 0;
  groups.forEach((g, a) => {
    inGrid.forEach((m, b) => {
      const d = Math.round(distanceM(g, members[m]!) * 10) + (g.previous >= 0 && g.previous !== m ? stickiness : 0);
      base[a * k + b] = d;
      if (d > maxBase) maxBase = d;
    });
  });
  const N = pool.length + 1;
  const P = N * (maxBase + 1);
  const B = N * (P + maxBase + 1);

  const s = 0;
  const t = 1 + G + k;
  const flow = new MinCostFlow(t + 1);
  const arcs = new Int32Array(G * k);
  groups.forEach((g, a) => {
    flow.addArc(s, 1 + a, g.households.length, 0);
    inGrid.forEach((m, b) => {
      const same = g.buildingId !== null && g.buildingId === members[m]!.buildingId;
      arcs[a * k + b] = flow.addArc(1 + a, 1 + G + b, g.households.length, base[a * k + b]! + (same ? 0 : P));
    });
  });
  inGrid.forEach((m, b) => {
    const have = load[m]!;
    const low = Math.max(0, lo - have);
    const high = Math.max(0, hi - Math.max(lo, have));
    if (low > 0) flow.addArc(1 + G + b, t, low, 0);
    if (high > 0) flow.addArc(1 + G + b, t, high, B);
  });
  flow.run(s, t);

  // Which households of a group go to which member: the group's households in place order,
  // in blocks, to its members nearest first.
  groups.forEach((g, a) => {
    const takers: { b: number; count: number; cost: number }[] = [];
    for (let b = 0; b < k; b++) {
      const count = flow.flow(arcs[a * k + b]!);
      if (count > 0) takers.push({ b, count, cost: base[a * k + b]! });
    }
    if (takers.length === 0) return;
    takers.sort((x, y) => x.cost - y.cost || x.b - y.b);
    const list = g.households.length > 1 && takers.length > 1 ? [...g.households].sort((x, y) => placeOrder(households[x]!, households[y]!)) : g.households;
    let next = 0;
    for (const { b, count } of takers) {
      const m = inGrid[b]!;
      const member = members[m]!;
      for (let c = 0; c < count; c++) {
        const h = list[next++]!;
        const hh = households[h]!;
        assign(h, m, hh.buildingId !== null && hh.buildingId === member.buildingId ? "sameBuilding" : "nearest");
      }
    }
  });
}

/** A ~10 m square (keyed in whole 1e-4 degrees of latitude and of longitude scaled to metres). */
function placeKey(h: RedGridHouseholdInput): string {
  return `@${Math.round(h.lat * 1e4)},${Math.round(h.lng * 1e4 * Math.cos(h.lat * rad))}`;
}

function placeOrder(a: RedGridHouseholdInput, b: RedGridHouseholdInput): number {
  return a.lng - b.lng || a.lat - b.lat || cmp(a.id, b.id);
}

/** `allowNeighbourGrid`: each household left over, by id, to the nearest member anywhere with room below `max`. */
function lendAcrossGrids(
  households: readonly RedGridHouseholdInput[],
  members: readonly RedGridMemberInput[],
  load: Int32Array,
  reasonOf: (AssignmentReason | UnassignedReason | undefined)[],
  o: RedGridOptions,
  assign: (h: number, m: number, reason: AssignmentReason) => void,
): void {
  const candidates = members.map((_, i) => i).filter((i) => members[i]!.available && load[i]! < o.max);
  const leftover = households.map((_, i) => i).filter((i) => reasonOf[i] === "noMemberInGrid" || reasonOf[i] === "capacity");
  if (candidates.length === 0 || leftover.length === 0) return;
  // Local metres around the members' mean latitude, so the index's distances are metres.
  const lat0 = candidates.reduce((s, i) => s + members[i]!.lat, 0) / candidates.length;
  const kx = rad * Math.cos(lat0 * rad) * earthRadiusM;
  const ky = rad * earthRadiusM;
  const index = new Flatbush(candidates.length);
  for (const i of candidates) {
    const x = members[i]!.lng * kx;
    const y = members[i]!.lat * ky;
    index.add(x, y, x, y);
  }
  index.finish();
  for (const h of leftover) {
    const hh = households[h]!;
    const [found] = index.neighbors(hh.lng * kx, hh.lat * ky, 1, o.neighbourMaxDistanceM, (j) => load[candidates[j]!]! < o.max);
    if (found === undefined) continue;
    const m = candidates[found]!;
    assign(h, m, members[m]!.gridId === hh.gridId ? "nearest" : "neighbourGrid");
  }
}

// ---------------------------------------------------------------------------------------------
// Coverage

export interface CoverageInput {
  /** Names of the communities, when the report should carry them. */
  communities?: readonly { id: string; name: string }[];
  grids: readonly { id: string; name: string; communityId: string }[];
  partyOrgs: readonly { id: string; kind: string; areaId: string }[];
  partyMembers: readonly { id: string; partyOrgId: string; gridId: string | null }[];
  households: readonly { id: string; gridId: string }[];
  assignments: readonly { householdId: string; memberId: string }[];
  /**
   * Organization kinds that make a grid "have a party organization" when their `areaId` is the
   * grid. Default: the grid party branch 网格党支部 only — a building party group 楼道党小组 is
   * part of a branch, not a party organization of its own (add "buildingPartyGroup" to count it).
   */
  coveringKinds?: readonly string[];
}

export interface CoverageRatio {
  /** numerator / denominator, or null when the denominator is 0. */
  ratio: number | null;
  numerator: number;
  denominator: number;
  /** The formula in words, zh-CN, shown next to the figure. */
  formula: string;
  formulaEn: string;
}

export interface CoverageFigures {
  grids: CoverageRatio & { withoutPartyOrg: { id: string; name: string }[] };
  members: CoverageRatio & { notInGrid: string[] };
  households: CoverageRatio & { withoutRedGridMember: number; withoutRedGridMemberIds: string[] };
}

export interface CoverageReport {
  street: CoverageFigures;
  /** Sorted by community id. */
  communities: (CoverageFigures & { communityId: string; name: string | null })[];
}

const formulas = {
  grids: { zh: "有党组织的网格数 / 网格总数", en: "grids with a party organization / all grids" },
  members: { zh: "已编入网格的党员数 / 党员总数", en: "party members placed in a grid / all party members" },
  households: { zh: "有红色网格员联系的户数 / 总户数", en: "households with a red grid member / all households" },
} as const;

function ratio(numerator: number, denominator: number, f: { zh: string; en: string }): CoverageRatio {
  return { ratio: denominator === 0 ? null : numerator / denominator, numerator, denominator, formula: f.zh, formulaEn: f.en };
}

interface Tally {
  grids: number;
  gridsCovered: number;
  gridsWithout: { id: string; name: string }[];
  members: number;
  membersPlaced: number;
  membersWithout: string[];
  households: number;
  householdsWithout: string[];
}

const emptyTally = (): Tally => ({
  grids: 0,
  gridsCovered: 0,
  gridsWithout: [],
  members: 0,
  membersPlaced: 0,
  membersWithout: [],
  households: 0,
  householdsWithout: [],
});

function figures(t: Tally): CoverageFigures {
  return {
    grids: { ...ratio(t.gridsCovered, t.grids, formulas.grids), withoutPartyOrg: t.gridsWithout },
    members: { ...ratio(t.membersPlaced, t.members, formulas.members), notInGrid: t.membersWithout },
    households: {
      ...ratio(t.households - t.householdsWithout.length, t.households, formulas.households),
      withoutRedGridMember: t.householdsWithout.length,
      withoutRedGridMemberIds: t.householdsWithout,
    },
  };
}

/**
 * Coverage of the red grid rule (每个网格都有党组织、每名党员都在网格中) and of red grid members,
 * per community and for the whole street. A member belongs to the community of their grid, or,
 * when not placed, to the community of the organization holding their relation (its area being
 * the community or one of its grids); otherwise they count for the street only.
 */
export function coverageReport(input: CoverageInput): CoverageReport {
  const covering = new Set(input.coveringKinds ?? ["gridPartyBranch"]);
  const grids = [...input.grids].sort(byId);
  const communityOfGrid = new Map(grids.map((g) => [g.id, g.communityId]));
  const communityIds = new Set(grids.map((g) => g.communityId));
  for (const c of input.communities ?? []) communityIds.add(c.id);
  const communityOfArea = (areaId: string): string | undefined =>
    communityOfGrid.get(areaId) ?? (communityIds.has(areaId) ? areaId : undefined);
  const orgArea = new Map(input.partyOrgs.map((org) => [org.id, org.areaId]));
  const coveredGrids = new Set(input.partyOrgs.filter((org) => covering.has(org.kind)).map((org) => org.areaId));
  const served = new Set(input.assignments.filter((a) => a.memberId).map((a) => a.householdId));

  const street = emptyTally();
  const perCommunity = new Map<string, Tally>([...communityIds].sort(cmp).map((id) => [id, emptyTally()]));
  const tallies = (communityId: string | undefined): Tally[] => {
    const c = communityId === undefined ? undefined : perCommunity.get(communityId);
    return c ? [street, c] : [street];
  };

  for (const g of grids) {
    const covered = coveredGrids.has(g.id);
    for (const t of tallies(g.communityId)) {
      t.grids++;
      if (covered) t.gridsCovered++;
      else t.gridsWithout.push({ id: g.id, name: g.name });
    }
  }
  for (const m of [...input.partyMembers].sort(byId)) {
    const area = orgArea.get(m.partyOrgId);
    const community = (m.gridId !== null ? communityOfGrid.get(m.gridId) : undefined) ?? (area === undefined ? undefined : communityOfArea(area));
    for (const t of tallies(community)) {
      t.members++;
      if (m.gridId !== null) t.membersPlaced++;
      else t.membersWithout.push(m.id);
    }
  }
  for (const h of [...input.households].sort(byId)) {
    const has = served.has(h.id);
    for (const t of tallies(communityOfGrid.get(h.gridId))) {
      t.households++;
      if (!has) t.householdsWithout.push(h.id);
    }
  }

  const names = new Map((input.communities ?? []).map((c) => [c.id, c.name]));
  return {
    street: figures(street),
    communities: [...perCommunity].map(([communityId, t]) => ({ communityId, name: names.get(communityId) ?? null, ...figures(t) })),
  };
}
