import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import type { Database } from "../../platform/db/index.js";
import { rows } from "../../platform/db/index.js";
import { roles } from "../../platform/policy/roles.js";
import { roleGrants, users } from "../../platform/auth/schema.js";
import { geometryProblem, pointInGeometry, type Geometry, type Position, type Ring } from "../../modules/areas/geo.js";
import { demoCounts, demoLogins, demoPassword, demoReferenceYear, generateDemoStreet, type DemoArea, type DemoStreet } from "./generate.js";
import { demoContact, hasDemoStreet, loadDemoStreet } from "./load.js";
import { decryptField } from "../../platform/pii/crypto.js";
import { createRandom } from "./random.js";
import { generateDataKeysValue, parseDataKeys } from "../../platform/pii/keys.js";
import { demoCityCode } from "./divisions.js";
import { sealPending } from "../../platform/audit/sealer.js";
import { verifyAuditLog } from "../../platform/audit/verify.js";
import { generateAuditSigningKey, parseAuditSigningKey } from "../../platform/audit/signing.js";
import { contactPhoneContext } from "../../modules/cases/intake/intake.js";

const street: DemoStreet = generateDemoStreet();
const communities = street.areas.filter((a) => a.level === "community");
const grids = street.areas.filter((a) => a.level === "grid");
const areaById = new Map(street.areas.map((a) => [a.id, a]));
const orgById = new Map(street.organizations.map((o) => [o.id, o]));

function outerRing(a: DemoArea): Ring {
  return a.boundary!.coordinates[0]!;
}

/** Shoelace area; positive for a counter-clockwise ring. */
function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return s / 2;
}

function orient(p: Position, q: Position, r: Position): number {
  return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]);
}

/** Segments cross at a point interior to both (touching at ends or along a shared edge is not a crossing). */
function properlyCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  const eps = 1e-15;
  return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps));
}

function boxesOverlap(a: DemoArea, b: DemoArea): boolean {
  return a.minLng! < b.maxLng! && b.minLng! < a.maxLng! && a.minLat! < b.maxLat! && b.minLat! < a.maxLat!;
}

/** Samples a lattice over the parent's bbox: every point inside the parent lies in exactly one child or on a shared edge. */
function expectTiles(parent: DemoArea, children: DemoArea[]): void {
  const n = 60;
  let inside = 0;
  for (let x = 0; x <= n; x++) {
    for (let y = 0; y <= n; y++) {
      const lng = parent.minLng! + ((parent.maxLng! - parent.minLng!) * (x + 0.37)) / (n + 1);
      const lat = parent.minLat! + ((parent.maxLat! - parent.minLat!) * (y + 0.61)) / (n + 1);
      const where = pointInGeometry(lng, lat, parent.boundary as Geometry);
      const hits = children.map((c) => pointInGeometry(lng, lat, c.boundary as Geometry));
      const strictly = hits.filter((h) => h === 1).length;
      if (where === 1) {
        inside++;
        if (strictly !== 1) expect(hits.filter((h) => h === 0).length, `${parent.name} (${lng}, ${lat})`).toBeGreaterThanOrEqual(2);
        expect(strictly, `${parent.name} (${lng}, ${lat})`).toBeLessThanOrEqual(1);
      } else if (where === -1) {
        expect(strictly, `${parent.name} outside (${lng}, ${lat})`).toBe(0);
      }
    }
  }
  expect(inside).toBeGreaterThan(n * n * 0.3);
  const sum = children.reduce((s, c) => s + signedArea(outerRing(c)), 0);
  const whole = signedArea(outerRing(parent));
  expect(Math.abs(sum - whole) / whole).toBeLessThan(1e-9);
}

describe("random", () => {
  it("is reproducible and gives version-4 UUIDs", () => {
    const a = createRandom(7);
    const b = createRandom(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(createRandom(7).uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(createRandom(7).fork("x").next()).not.toBe(createRandom(7).fork("y").next());
  });
});

describe("generateDemoStreet", () => {
  it("is deterministic: the same seed gives the same street byte for byte, another seed another street", () => {
    const again = generateDemoStreet();
    expect(again).toEqual(street);
    expect(JSON.stringify(again)).toBe(JSON.stringify(street));
    const other = generateDemoStreet(12345);
    expect(other.areas[0]!.id).not.toBe(street.areas[0]!.id);
    expect(other.households.map((h) => h.address)).not.toEqual(street.households.map((h) => h.address));
    // Real divisions do not depend on the seed.
    expect(other.areas.filter((a) => a.level === "community").map((a) => a.code)).toEqual(communities.map((c) => c.code));
  });

  it("has the real division names and codes of 成都市 武侯区 玉林街道", () => {
    const [city, district, streetArea] = street.areas;
    expect([city!.level, city!.code, city!.name]).toEqual(["city", "510100", "成都市"]);
    expect(city!.code).toBe(demoCityCode);
    expect([district!.level, district!.code, district!.name]).toEqual(["district", "510107", "武侯区"]);
    expect([streetArea!.level, streetArea!.code, streetArea!.name]).toEqual(["street", "510107005", "玉林街道"]);
    expect(communities.length).toBeGreaterThanOrEqual(4);
    expect(communities.map((c) => c.name)).toContain("玉林北路社区");
    for (const c of communities) {
      expect(c.code).toMatch(/^510107005\d{3}$/);
      expect(c.name).toMatch(/社区$/);
    }
    expect(grids.length).toBeGreaterThanOrEqual(24);
    for (const g of grids) {
      const parent = areaById.get(g.parentId!)!;
      expect(parent.level).toBe("community");
      expect(g.code).toMatch(new RegExp(`^${parent.code}\\d{3}$`));
    }
    for (const c of communities) expect(grids.filter((g) => g.parentId === c.id).length).toBeGreaterThanOrEqual(6);
    const codes = street.areas.map((a) => a.code);
    expect(new Set(codes).size).toBe(codes.length);
    const dedicated = grids.filter((g) => g.gridType === "dedicated").length;
    expect(dedicated).toBeGreaterThanOrEqual(1);
    expect(dedicated).toBeLessThanOrEqual(2);
  });

  it("keeps the area tree's paths and depths consistent", () => {
    for (const a of street.areas) {
      const parent = a.parentId ? areaById.get(a.parentId) : undefined;
      expect(a.path).toBe(`${parent?.path ?? "/"}${a.id}/`);
      expect(a.depth).toBe(parent ? parent.depth + 1 : 0);
    }
  });

  it("draws valid, closed, counter-clockwise polygons around 玉林", () => {
    for (const a of street.areas.filter((x) => x.boundary)) {
      expect(geometryProblem(a.boundary)).toBeUndefined();
      expect(signedArea(outerRing(a))).toBeGreaterThan(0);
      expect(a.minLng!).toBeGreaterThan(104.04);
      expect(a.maxLng!).toBeLessThan(104.09);
      expect(a.minLat!).toBeGreaterThan(30.6);
      expect(a.maxLat!).toBeLessThan(30.65);
    }
  });

  it("tiles every community with its grids and the street with its communities", () => {
    for (const c of communities) {
      expectTiles(
        c,
        grids.filter((g) => g.parentId === c.id),
      );
    }
    expectTiles(street.areas[2]!, communities);
  });

  it("has no two grids overlapping", () => {
    for (let i = 0; i < grids.length; i++) {
      for (let j = i + 1; j < grids.length; j++) {
        const a = grids[i]!;
        const b = grids[j]!;
        if (!boxesOverlap(a, b)) continue;
        const ra = outerRing(a);
        const rb = outerRing(b);
        for (const [lng, lat] of ra) expect(pointInGeometry(lng, lat, b.boundary!)).not.toBe(1);
        for (const [lng, lat] of rb) expect(pointInGeometry(lng, lat, a.boundary!)).not.toBe(1);
        for (let p = 0; p + 1 < ra.length; p++) {
          for (let q = 0; q + 1 < rb.length; q++) {
            expect(properlyCross(ra[p]!, ra[p + 1]!, rb[q]!, rb[q + 1]!), `${a.name} × ${b.name}`).toBe(false);
          }
        }
      }
    }
  });

  it("places every building strictly inside its grid and in no other", () => {
    for (const b of street.buildings) {
      const grid = areaById.get(b.gridId)!;
      expect(pointInGeometry(b.lng, b.lat, grid.boundary!)).toBe(1);
      expect(grids.filter((g) => pointInGeometry(b.lng, b.lat, g.boundary!) !== -1)).toHaveLength(1);
      expect(b.floors).toBeGreaterThanOrEqual(6);
      expect(b.floors).toBeLessThanOrEqual(18);
    }
    const unitsPer = new Map<string, number>();
    for (const u of street.buildingUnits) unitsPer.set(u.buildingId, (unitsPer.get(u.buildingId) ?? 0) + 1);
    for (const b of street.buildings) {
      expect(unitsPer.get(b.id)).toBeGreaterThanOrEqual(1);
      expect(unitsPer.get(b.id)).toBeLessThanOrEqual(4);
    }
    const compoundsPerGrid = new Map<string, Set<string>>();
    for (const b of street.buildings) compoundsPerGrid.set(b.gridId, (compoundsPerGrid.get(b.gridId) ?? new Set()).add(b.compoundId));
    for (const g of grids) {
      expect(compoundsPerGrid.get(g.id)!.size).toBeGreaterThanOrEqual(2);
      expect(compoundsPerGrid.get(g.id)!.size).toBeLessThanOrEqual(4);
    }
  });

  it("houses at least 3,000 households with Chinese names and full addresses", () => {
    expect(street.households.length).toBeGreaterThanOrEqual(3000);
    const dwellingById = new Map(street.dwellings.map((d) => [d.id, d]));
    const occupied = new Set<string>();
    const personsOf = new Map<string, typeof street.persons>();
    for (const p of street.persons) personsOf.set(p.householdId, [...(personsOf.get(p.householdId) ?? []), p]);
    for (const h of street.households) {
      const d = dwellingById.get(h.dwellingId)!;
      expect(d.gridId).toBe(h.gridId);
      expect(occupied.has(d.id)).toBe(false);
      occupied.add(d.id);
      expect(h.address).toMatch(/^四川省成都市武侯区玉林街道.+号.*\d+栋\d单元\d{3,4}室$/);
      expect(h.address.endsWith(`${d.roomNo}室`)).toBe(true);
      const members = personsOf.get(h.id)!;
      expect(members.length).toBe(h.size);
      expect(h.size).toBeGreaterThanOrEqual(1);
      expect(h.size).toBeLessThanOrEqual(5);
      expect(members.filter((m) => m.relation === "户主").map((m) => m.name)).toEqual([h.headName]);
    }
    for (const p of street.persons) expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    for (const c of street.compounds) expect(c.address).toMatch(/^四川省成都市武侯区玉林街道[\u4e00-\u9fff]+\d+号$/);
  });

  it("keeps relations, genders and birth years consistent", () => {
    const byHousehold = new Map<string, typeof street.persons>();
    for (const p of street.persons) byHousehold.set(p.householdId, [...(byHousehold.get(p.householdId) ?? []), p]);
    for (const members of byHousehold.values()) {
      const head = members.find((m) => m.relation === "户主")!;
      const spouse = members.find((m) => m.relation === "配偶");
      if (spouse) {
        expect(spouse.gender).not.toBe(head.gender);
        expect(Math.abs(spouse.birthYear - head.birthYear)).toBeLessThanOrEqual(8);
      }
      for (const m of members) {
        expect(m.birthYear).toBeLessThan(demoReferenceYear);
        if (m.relation === "子女") expect(m.birthYear - head.birthYear).toBeGreaterThanOrEqual(18);
        if (m.relation === "父母") expect(head.birthYear - m.birthYear).toBeGreaterThanOrEqual(18);
        if (m.relation === "孙子女") expect(m.birthYear - head.birthYear).toBeGreaterThanOrEqual(36);
      }
      expect(demoReferenceYear - head.birthYear).toBeGreaterThanOrEqual(18);
      const alone = members.length === 1 && demoReferenceYear - head.birthYear >= 70;
      expect(head.tags.includes("elderlyAlone")).toBe(alone);
    }
    const buildingOfHousehold = new Map(
      street.households.map((h) => [h.id, street.dwellings.find((d) => d.id === h.dwellingId)!.buildingId]),
    );
    const heads = new Map<string, number>();
    for (const p of street.persons.filter((x) => x.tags.includes("buildingHead"))) {
      const b = buildingOfHousehold.get(p.householdId)!;
      heads.set(b, (heads.get(b) ?? 0) + 1);
    }
    expect(heads.size).toBe(street.buildings.length);
    expect([...heads.values()].every((n) => n === 1)).toBe(true);
    for (const tag of ["disabled", "lowIncome", "veteran", "talent", "volunteer"]) {
      expect(street.persons.some((p) => (p.tags as string[]).includes(tag)), tag).toBe(true);
    }
  });

  it("builds the red grid: every grid has a party branch, every party member is in a grid", () => {
    for (const g of grids) {
      expect(street.organizations.filter((o) => o.kind === "gridPartyBranch" && o.areaId === g.id)).toHaveLength(1);
    }
    const personById = new Map(street.persons.map((p) => [p.id, p]));
    for (const m of street.partyMembers) {
      const person = personById.get(m.personId)!;
      expect(demoReferenceYear - person.birthYear).toBeGreaterThanOrEqual(18);
      if (m.partyOrgId === null) {
        // Relation held by the employer's party organization: named, and reported in here.
        expect(m.outsideOrgName).toMatch(/(党委|党支部|党组)$/);
        expect(m.reportInCommunityId).not.toBeNull();
      } else {
        let org = orgById.get(m.partyOrgId);
        while (org && org.kind !== "gridPartyBranch") org = org.parentId ? orgById.get(org.parentId) : undefined;
        expect(org?.areaId).toBe(person.gridId);
      }
      if (m.status === "floating") expect(m.outsideOrgName).toMatch(/党支部$/);
      if (m.reportInConfirmedOn) expect(m.reportInCommunityId).not.toBeNull();
      const joined = Number(m.joinedOn.slice(0, 4));
      expect(joined - person.birthYear).toBeGreaterThanOrEqual(18);
      expect(joined).toBeLessThan(demoReferenceYear);
      if (m.reportInCommunityId) {
        expect(m.status).toBe("inService");
        expect(areaById.get(person.gridId)!.parentId).toBe(m.reportInCommunityId);
      }
    }
    const adults = street.persons.filter((p) => demoReferenceYear - p.birthYear >= 18).length;
    expect(street.partyMembers.length / adults).toBeGreaterThan(0.05);
    expect(street.partyMembers.length / adults).toBeLessThan(0.09);
    expect(new Set(street.partyMembers.map((m) => m.status))).toEqual(new Set(["inService", "retired", "floating"]));
    for (const o of street.organizations) {
      const parent = o.parentId ? orgById.get(o.parentId) : undefined;
      expect(o.path).toBe(`${parent?.path ?? "/"}${o.id}/`);
    }
    const kinds = new Set(street.organizations.map((o) => o.kind));
    for (const k of ["streetWorkingCommittee", "communityPartyCommittee", "buildingPartyGroup", "interestPartyGroup", "residentsCommittee", "workStation", "department"] as const) {
      expect(kinds.has(k), k).toBe(true);
    }
    for (const g of street.organizations.filter((o) => o.kind === "buildingPartyGroup")) {
      expect(street.partyMembers.filter((m) => m.partyOrgId === g.id).length).toBeGreaterThanOrEqual(3);
    }
  });

  it("has one login per role with natural names, the resident linked to a person of community 1", () => {
    expect(demoLogins.map((l) => l.role).sort()).toEqual([...roles].sort());
    expect(demoLogins.every((l) => l.password === demoPassword && l.roleLabel.length > 0)).toBe(true);
    expect(street.users.map((u) => u.username)).toEqual(demoLogins.map((l) => l.username));
    for (const u of street.users) expect(u.displayName).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
    const resident = street.users.find((u) => u.username === "resident")!;
    const person = street.persons.find((p) => p.id === resident.personId)!;
    expect(resident.displayName).toBe(person.name);
    expect(areaById.get(person.gridId)!.parentId).toBe(communities[0]!.id);
    const grantOf = (username: string) => street.roleGrants.find((g) => g.userId === street.users.find((u) => u.username === username)!.id)!;
    expect(grantOf("resident").areaId).toBe(person.gridId);
    expect(areaById.get(grantOf("gridworker").areaId)!.code).toBe(`${communities[0]!.code}001`);
    expect(grantOf("secretary").areaId).toBe(communities[0]!.id);
    expect(areaById.get(grantOf("streetadmin").areaId)!.level).toBe("street");
    expect(areaById.get(grantOf("analyst").areaId)!.level).toBe("district");
    expect(areaById.get(grantOf("admin").areaId)!.level).toBe("city");
    const dept = orgById.get(street.users.find((u) => u.username === "deptstaff")!.orgId!)!;
    expect(dept.kind).toBe("department");
    expect(dept.name).toBe("武侯区住房和城乡建设局");
  });

  it("fills posts with cross-appointments: 一肩挑, 委员 in the stations, grid branch 书记, 大党委 part-time seats", () => {
    const personIds = new Set(street.persons.map((p) => p.id));
    const holderIds = new Set(street.postHolders.map((p) => p.id));
    for (const p of street.posts) {
      expect(orgById.has(p.orgId)).toBe(true);
      expect(personIds.has(p.personId) || holderIds.has(p.personId)).toBe(true);
      expect(p.startedOn).toMatch(/^20\d\d-\d\d-\d\d$/);
      if (p.endedOn) expect(p.endedOn > p.startedOn).toBe(true);
    }
    const open = street.posts.filter((p) => !p.endedOn);
    const titleIn = (personId: string, kind: string) => open.filter((p) => p.personId === personId && orgById.get(p.orgId)!.kind === kind).map((p) => p.title);
    for (const c of communities) {
      const committee = street.organizations.find((o) => o.kind === "communityPartyCommittee" && o.areaId === c.id)!;
      const secretaries = open.filter((p) => p.orgId === committee.id && p.title === "书记");
      expect(secretaries).toHaveLength(1);
      // 一肩挑: the secretary also chairs the residents' committee.
      expect(titleIn(secretaries[0]!.personId, "residentsCommittee")).toEqual(["主任"]);
      const members = open.filter((p) => p.orgId === committee.id && p.title === "委员");
      expect(members.length).toBeGreaterThanOrEqual(3);
      expect(members.filter((m) => titleIn(m.personId, "serviceStation").length + titleIn(m.personId, "workStation").length > 0).length).toBeGreaterThanOrEqual(1);
      // Part-time seats for co-building units: a person without a household, a post in the unit too.
      const seats = open.filter((p) => p.orgId === committee.id && p.partTime);
      const units = street.organizations.filter((o) => o.kind === "coBuildingUnit" && o.parentId === committee.id);
      expect(units.length).toBeGreaterThanOrEqual(1);
      expect(seats).toHaveLength(units.length);
      for (const s of seats) {
        expect(s.title).toBe("兼职委员");
        expect(holderIds.has(s.personId)).toBe(true);
        expect(titleIn(s.personId, "coBuildingUnit")).toHaveLength(1);
      }
    }
    for (const h of street.postHolders) {
      expect(h.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(demoReferenceYear - h.birthYear).toBeGreaterThanOrEqual(30);
    }
    const branchesWithSecretary = new Set(open.filter((p) => p.title === "书记" && orgById.get(p.orgId)!.kind === "gridPartyBranch").map((p) => p.orgId));
    // Every grid branch but one or two small ones (a dedicated grid may have no member to spare).
    expect(branchesWithSecretary.size).toBeGreaterThanOrEqual(grids.length - 2);
    // A grid branch's 书记 lives in the grid.
    const personById = new Map(street.persons.map((p) => [p.id, p]));
    for (const p of open.filter((x) => x.title === "书记" && orgById.get(x.orgId)!.kind === "gridPartyBranch")) {
      expect(personById.get(p.personId)!.gridId).toBe(orgById.get(p.orgId)!.areaId);
    }
    const orgsPerPerson = new Map<string, Set<string>>();
    for (const p of open) orgsPerPerson.set(p.personId, (orgsPerPerson.get(p.personId) ?? new Set()).add(p.orgId));
    expect([...orgsPerPerson.values()].filter((s) => s.size >= 2).length).toBeGreaterThanOrEqual(communities.length * 4);
    // Some building heads lead their building's party group.
    const groupLeaders = open.filter((p) => orgById.get(p.orgId)!.kind === "buildingPartyGroup").map((p) => personById.get(p.personId)!);
    expect(groupLeaders.some((p) => p.tags.includes("buildingHead"))).toBe(true);
  });

  it("gives each community its other bodies: social organizations in incubation, a service centre, property and owners' committees", () => {
    for (const c of communities) {
      const here = street.organizations.filter((o) => o.areaId === c.id || areaById.get(o.areaId)?.parentId === c.id);
      const social = here.filter((o) => o.kind === "socialOrg");
      expect(social.length).toBeGreaterThanOrEqual(2);
      for (const o of social) expect(["incubating", "graduated"]).toContain(o.incubation);
      expect(here.filter((o) => o.kind === "serviceCentre")).toHaveLength(1);
      const work = here.find((o) => o.kind === "workStation")!;
      expect(orgById.get(work.supervisorId!)!.kind).toBe("residentsCommittee");
    }
    const social = street.organizations.filter((o) => o.kind === "socialOrg");
    expect(new Set(social.map((o) => o.incubation))).toEqual(new Set(["incubating", "graduated"]));
    for (const o of street.organizations.filter((x) => x.kind !== "socialOrg")) expect(o.incubation).toBeNull();
    const compoundNames = new Set(street.compounds.map((c) => c.name));
    const owners = street.organizations.filter((o) => o.kind === "ownersCommittee");
    expect(owners.length).toBeGreaterThan(10);
    for (const o of owners) expect(compoundNames.has(o.name.replace(/业主委员会$/, ""))).toBe(true);
    expect(street.organizations.filter((o) => o.kind === "propertyCompany").length).toBeGreaterThan(10);
    expect(street.organizations.some((o) => o.kind === "coBuildingUnit" && o.name === "武侯区人民医院玉林分院")).toBe(true);
  });

  it("records party members' work units and report-ins, and 双找 registrations in every state", () => {
    const inService = street.partyMembers.filter((m) => m.status === "inService");
    expect(inService.filter((m) => m.workUnit).length / inService.length).toBeGreaterThan(0.6);
    const confirmed = street.partyMembers.filter((m) => m.reportInConfirmedOn);
    expect(confirmed.length).toBeGreaterThan(50);
    for (const m of confirmed) {
      expect(m.reportInConfirmedOn! <= `${demoReferenceYear}-06-30`).toBe(true);
      expect(m.reportInConfirmedOn! > m.joinedOn).toBe(true);
    }
    expect(street.partyMembers.some((m) => m.partyOrgId === null)).toBe(true);
    const states = new Set(street.partyRegistrations.map((r) => `${r.kind}/${r.status}`));
    for (const s of ["reportIn/registered", "reportIn/confirmed", "reportIn/declined", "floating/registered", "floating/confirmed"]) expect(states.has(s), s).toBe(true);
    const memberById = new Map(street.partyMembers.map((m) => [m.id, m]));
    const personIds = new Set(street.persons.map((p) => p.id));
    for (const r of street.partyRegistrations) {
      expect(areaById.get(r.communityId)!.level).toBe("community");
      expect(r.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      if (r.personId) expect(personIds.has(r.personId)).toBe(true);
      if (r.status === "registered") {
        expect([r.decidedAt, r.decisionNote, r.partyMemberId]).toEqual([null, null, null]);
      } else {
        expect(r.decidedAt! > r.registeredAt).toBe(true);
      }
      if (r.status === "declined") expect(r.decisionNote).toBeTruthy();
      if (r.status === "confirmed") {
        const m = memberById.get(r.partyMemberId!)!;
        expect(m.personId).toBe(r.personId);
        if (r.kind === "reportIn") expect([m.reportInCommunityId, m.reportInConfirmedOn]).toEqual([r.communityId, r.decidedAt!.slice(0, 10)]);
        else expect(m.status).toBe("floating");
      }
    }
    // At most one pending registration per person.
    const pending = street.partyRegistrations.filter((r) => r.status === "registered" && r.personId).map((r) => r.personId);
    expect(new Set(pending).size).toBe(pending.length);
    for (const c of communities) expect(street.partyRegistrations.filter((r) => r.communityId === c.id && r.status === "registered").length).toBeGreaterThanOrEqual(3);
    const talents = street.persons.filter((p) => p.tags.includes("talent"));
    expect(talents.length).toBeGreaterThan(20);
    for (const p of street.persons) expect(p.skills.length > 0).toBe(p.tags.includes("talent"));
  });

  it("gives every household a move-in history, a few with an earlier move inside the street", () => {
    const movesOf = new Map<string, typeof street.householdMoves>();
    for (const m of street.householdMoves) movesOf.set(m.householdId, [...(movesOf.get(m.householdId) ?? []), m]);
    const dwellingById = new Map(street.dwellings.map((d) => [d.id, d]));
    const occupied = new Set(street.households.map((h) => h.dwellingId));
    let twice = 0;
    for (const h of street.households) {
      const list = movesOf.get(h.id)!;
      expect(list[0]!.fromDwellingId).toBeNull();
      expect(list.at(-1)!.toDwellingId).toBe(h.dwellingId);
      for (let i = 1; i < list.length; i++) {
        expect(list[i]!.fromDwellingId).toBe(list[i - 1]!.toDwellingId);
        expect(list[i]!.movedOn > list[i - 1]!.movedOn).toBe(true);
        // They moved out of a dwelling that is empty today.
        expect(occupied.has(list[i]!.fromDwellingId!)).toBe(false);
        expect(dwellingById.has(list[i]!.fromDwellingId!)).toBe(true);
      }
      for (const m of list) expect(m.movedOn >= "1992-01-01" && m.movedOn <= `${demoReferenceYear}-06-30`).toBe(true);
      if (list.length === 2) twice++;
      expect(list.length).toBeLessThanOrEqual(2);
    }
    expect(twice).toBeGreaterThan(20);
    expect(twice).toBeLessThan(street.households.length / 10);
  });

  it("staffs every grid: a leader, a street cadre as instructor, one full-time and 0–2 part-time residents; the gridworker login is a full-time worker", () => {
    const personById = new Map(street.persons.map((p) => [p.id, p]));
    const gridWorker = street.users.find((u) => u.username === "gridworker")!;
    const gridWorkerGrid = street.roleGrants.find((g) => g.userId === gridWorker.id)!.areaId;
    const instructorGrids = new Map<string, Set<string>>();
    for (const g of grids) {
      const staff = street.gridStaff.filter((s) => s.gridId === g.id);
      const of = (role: string) => staff.filter((s) => s.role === role);
      expect(of("leader"), g.name).toHaveLength(1);
      expect(of("instructor"), g.name).toHaveLength(1);
      expect(of("fullTime"), g.name).toHaveLength(1);
      expect(of("partTime").length, g.name).toBeLessThanOrEqual(2);
      for (const s of staff) {
        expect(s.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
        expect(s.startedOn < `${demoReferenceYear}-01-01`).toBe(true);
      }
      for (const s of of("partTime")) {
        const p = personById.get(s.personId!)!;
        expect(p.gridId).toBe(g.id);
        expect(p.name).toBe(s.name);
        expect(p.tags.some((t) => t === "buildingHead" || t === "volunteer")).toBe(true);
      }
      const instructor = of("instructor")[0]!.name;
      instructorGrids.set(instructor, (instructorGrids.get(instructor) ?? new Set()).add(g.id));
      const full = of("fullTime")[0]!;
      if (g.id === gridWorkerGrid) expect([full.userId, full.name]).toEqual([gridWorker.id, gridWorker.displayName]);
      else expect(full.userId).toBeNull();
    }
    // A cadre instructs all the grids of one community.
    expect([...instructorGrids.values()].some((set) => set.size > 1)).toBe(true);
    expect(street.gridStaff.filter((s) => s.role === "partTime").length).toBeGreaterThan(grids.length / 2);
  });

  it("gives unique version-4 ids", () => {
    const all = [
      ...street.areas,
      ...street.compounds,
      ...street.buildings,
      ...street.buildingUnits,
      ...street.dwellings,
      ...street.households,
      ...street.persons,
      ...street.partyMembers,
      ...street.organizations,
      ...street.users,
      ...street.roleGrants,
      ...street.postHolders,
      ...street.posts,
      ...street.householdMoves,
      ...street.partyRegistrations,
      ...street.gridStaff,
    ].map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    for (const id of all) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe.each(testEngines())("loadDemoStreet on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  const tableCounts = async () => {
    const [r] = await rows<Record<string, string | number>>(
      database.db,
      sql`select
        (select count(*) from areas) as areas,
        (select count(*) from areas where level = 'community') as communities,
        (select count(*) from areas where level = 'grid') as grids,
        (select count(*) from compounds) as compounds,
        (select count(*) from buildings) as buildings,
        (select count(*) from building_units) as units,
        (select count(*) from dwellings) as dwellings,
        (select count(*) from households) as households,
        (select count(*) from persons where household_id is not null) as persons,
        (select count(*) from persons where household_id is null and grid_id is null) as post_holders,
        (select count(*) from posts) as posts,
        (select count(*) from household_moves) as household_moves,
        (select count(*) from party_registrations) as party_registrations,
        (select count(*) from party_members) as party_members,
        (select count(*) from organizations) as organizations,
        (select count(*) from users) as users,
        (select count(*) from grid_staff) as grid_staff`,
    );
    return {
      areas: Number(r!.areas),
      communities: Number(r!.communities),
      grids: Number(r!.grids),
      compounds: Number(r!.compounds),
      buildings: Number(r!.buildings),
      units: Number(r!.units),
      dwellings: Number(r!.dwellings),
      households: Number(r!.households),
      persons: Number(r!.persons),
      partyMembers: Number(r!.party_members),
      organizations: Number(r!.organizations),
      users: Number(r!.users),
      postHolders: Number(r!.post_holders),
      posts: Number(r!.posts),
      householdMoves: Number(r!.household_moves),
      partyRegistrations: Number(r!.party_registrations),
      gridStaff: Number(r!.grid_staff),
    };
  };

  it("loads, is a no-op the second time, reloads on reset, and keeps a same-named admin made elsewhere", async () => {
    // An administrator created before the demo (grant on no area) must survive a reset.
    const [outsider] = await database.db.insert(users).values({ username: "admin", displayName: "外部管理员" }).returning({ id: users.id });
    await database.db.insert(roleGrants).values({ userId: outsider!.id, role: "systemAdmin" });
    expect(await hasDemoStreet(database.db)).toBe(false);

    const expected = { ...demoCounts(street), users: street.users.length - 1 };
    const first = await loadDemoStreet(database);
    expect(first.loaded).toBe(true);
    if (!first.loaded) return;
    expect(first.counts).toEqual(expected);
    expect(first.skippedUsers).toEqual(["admin"]);
    // The first run of the red grid assignment, as the street administrator: most households get a member.
    expect(first.redGridAssigned).toBeGreaterThan(3000);
    const assigned = await database.query<{ n: string | number }>("select count(*) as n from red_grid_assignments where member_id is not null");
    expect(Number(assigned[0]!.n)).toBe(first.redGridAssigned);
    expect(await tableCounts()).toEqual({ ...expected, users: expected.users + 1 });
    expect(await hasDemoStreet(database.db)).toBe(true);

    const second = await loadDemoStreet(database);
    expect(second.loaded).toBe(false);
    expect(await tableCounts()).toEqual({ ...expected, users: expected.users + 1 });

    const reset = await loadDemoStreet(database, { reset: true });
    expect(reset.loaded).toBe(true);
    expect(await tableCounts()).toEqual({ ...expected, users: expected.users + 1 });
    const admins = await database.query<{ display_name: string }>("select display_name from users where username = 'admin'");
    expect(admins).toEqual([{ display_name: "外部管理员" }]);

    const audit = await database.query<{ action: string; entity_id: string }>(
      "select action, entity_id from audit_entries where action like 'demo.%' order by id",
    );
    expect(audit.map((a) => a.action)).toEqual(["demo.load", "demo.reset", "demo.load"]);
    expect(audit[0]!.entity_id).toBe(street.areas[2]!.id);

    console.info(`[demo] ${engine.name}: first load ${first.durationMs} ms, reset + reload ${reset.durationMs} ms`);
  });

  it("stores the area tree with consistent paths, and the generated rows as generated", async () => {
    const broken = await database.query<{ n: string | number }>(
      `select count(*) as n from areas c left join areas p on p.id = c.parent_id
        where c.path <> coalesce(p.path, '/') || c.id || '/' or c.depth <> coalesce(p.depth + 1, 0)`,
    );
    expect(Number(broken[0]!.n)).toBe(0);
    const orgsBroken = await database.query<{ n: string | number }>(
      `select count(*) as n from organizations c left join organizations p on p.id = c.parent_id
        where c.path <> coalesce(p.path, '/') || c.id || '/'`,
    );
    expect(Number(orgsBroken[0]!.n)).toBe(0);
    const grid = grids[0]!;
    const [stored] = await database.query<{ code: string; boundary: unknown; min_lng: number; tags_count: string | number }>(
      `select code, boundary, min_lng, (select count(*) from persons where 'elderlyAlone' = any(tags)) as tags_count from areas where id = $1`,
      [grid.id],
    );
    expect(stored!.code).toBe(grid.code);
    expect(stored!.boundary).toEqual(grid.boundary);
    expect(stored!.min_lng).toBe(grid.minLng);
    expect(Number(stored!.tags_count)).toBe(street.persons.filter((p) => p.tags.includes("elderlyAlone")).length);
    const byId = await database.query<{ id: string; party_org_id: string | null; outside_org_name: string | null }>(
      "select id, party_org_id, outside_org_name from party_members where party_org_id is null",
    );
    expect(byId.length).toBe(street.partyMembers.filter((m) => m.partyOrgId === null).length);
    const [holders] = await database.query<{ n: string | number }>(
      "select count(*) as n from persons p where p.household_id is null and exists (select 1 from posts s where s.person_id = p.id and s.part_time)",
    );
    expect(Number(holders!.n)).toBe(street.postHolders.length);
    const [login] = await database.query<{ ok: boolean }>(
      "select password_hash like '$argon2id$%' as ok from users where username = 'resident'",
    );
    expect(login!.ok).toBe(true);
  });

  const keyring = parseDataKeys(generateDataKeysValue());
  it("stores 双找 registration phones only encrypted, matching the registered person's phone", async () => {
    await loadDemoStreet(database, { reset: true, keyring });
    const regs = await database.query<{ id: string; person_id: string | null; phone_enc: string | null; phone_hash: string | null; phone_masked: string | null }>(
      "select id, person_id, phone_enc, phone_hash, phone_masked from party_registrations",
    );
    expect(regs).toHaveLength(street.partyRegistrations.length);
    const persons = await database.query<{ id: string; phone_hash: string | null }>("select id, phone_hash from persons where household_id is not null");
    const personPhone = new Map(persons.map((p) => [p.id, p.phone_hash]));
    const personById = new Map(street.persons.map((p) => [p.id, p]));
    for (const r of regs) {
      expect(r.phone_masked).toMatch(/^1\d{2}\*{4}\d{4}$/);
      const phone = decryptField(keyring, r.phone_enc!, "persons.phone");
      expect(phone).toMatch(/^1\d{10}$/);
      expect(r.phone_enc).not.toContain(phone);
      expect(r.phone_masked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
      if (r.person_id) {
        expect(r.phone_hash).toBe(personPhone.get(r.person_id));
        expect(phone).toBe(demoContact(personById.get(r.person_id)!).phone);
      }
    }
  });

  it("loads about 600 cases in every state, each with its steps, receipt and timers; the demo logins have work; the audit log verifies", async () => {
    // The database holds the street loaded (and reset) by the tests above, with a keyring.
    const byStatus = new Map(
      (await database.query<{ status: string; n: number }>("select status, count(*)::int as n from cases group by status")).map((r) => [r.status, r.n]),
    );
    const total = [...byStatus.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(550);
    expect(total).toBeLessThanOrEqual(650);
    for (const status of ["submitted", "registered", "dispatched", "received", "inProgress", "feedback", "closed", "rated", "rejected", "merged", "parked", "cancelled"]) {
      expect(byStatus.get(status) ?? 0, status).toBeGreaterThan(0);
    }
    expect(byStatus.get("rated")!).toBeGreaterThan(total / 2);
    const [r] = await database.query<Record<string, number>>(
      `select count(*) filter (where rating = 'satisfied')::int as satisfied, count(*) filter (where rating = 'basic')::int as basic,
         count(*) filter (where rating = 'dissatisfied')::int as dissatisfied, count(*) filter (where reopen_count = 1)::int as reopened,
         count(*) filter (where whistled)::int as whistled, count(*) filter (where submitted_at < now() - interval '90 days')::int as old,
         count(*) filter (where source = 'hotline')::int as hotline, count(*) filter (where source = 'patrol')::int as patrol,
         count(*) filter (where source = 'open311')::int as open311, count(*) filter (where receipt_entry_id is null)::int as no_receipt,
         count(*) filter (where closed_on_time = false)::int as late
       from cases`,
    );
    expect(r!.satisfied).toBeGreaterThan(r!.basic!);
    expect(r!.basic).toBeGreaterThan(r!.dissatisfied!);
    expect(r!.dissatisfied).toBeGreaterThan(0);
    expect(r!.reopened).toBe(1);
    expect(r!.whistled).toBeGreaterThanOrEqual(5);
    expect(r!.old).toBeGreaterThan(50);
    for (const k of ["hotline", "patrol", "open311", "late"]) expect(r![k], k).toBeGreaterThan(0);
    expect(r!.no_receipt).toBe(0);

    // Every case: inside its grid, first step a submission whose audit entry is the receipt, steps in time order, none in the future.
    const all = await database.query<{ id: string; grid_id: string; lng: number; lat: number; receipt_entry_id: number | string; status: string }>(
      "select id, grid_id, lng, lat, receipt_entry_id, status from cases",
    );
    const gridById = new Map(grids.map((g) => [g.id, g]));
    for (const c of all) expect(pointInGeometry(c.lng, c.lat, gridById.get(c.grid_id)!.boundary as Geometry), c.id).toBe(1);
    const steps = await database.query<{ case_id: string; action: string; to_status: string; at: Date; audit_entry_id: number | string | null; audit_action: string | null }>(
      `select e.case_id, e.action, e.to_status, e.at, e.audit_entry_id, a.action as audit_action
         from case_events e left join audit_entries a on a.id = e.audit_entry_id and a.entity_id = e.case_id::text order by e.case_id, e.id`,
    );
    const byCase = new Map<string, typeof steps>();
    for (const s of steps) byCase.set(s.case_id, [...(byCase.get(s.case_id) ?? []), s]);
    const now = Date.now();
    for (const c of all) {
      const list = byCase.get(c.id)!;
      expect(list[0]!.action, c.id).toBe("submit");
      expect(Number(list[0]!.audit_entry_id)).toBe(Number(c.receipt_entry_id));
      expect(list[list.length - 1]!.to_status, c.id).toBe(c.status);
      for (let i = 0; i < list.length; i++) {
        expect(list[i]!.audit_action, `${c.id} ${list[i]!.action}`).toBe(`case.${list[i]!.action}`);
        expect(new Date(list[i]!.at).getTime()).toBeLessThanOrEqual(now);
        if (i > 0) expect(new Date(list[i]!.at).getTime()).toBeGreaterThanOrEqual(new Date(list[i - 1]!.at).getTime());
      }
    }
    // Timers: open cases have their deadlines armed; nothing pending lies in the past (it would fire on start).
    const [t] = await database.query<{ pending_past: number; open_without: number }>(
      `select (select count(*)::int from case_timers where fired_at is null and cancelled_at is null and due_at <= now()) as pending_past,
         (select count(*)::int from cases c where c.status in ('submitted', 'registered', 'dispatched', 'received', 'inProgress', 'feedback', 'verified')
            and not exists (select 1 from case_timers t where t.case_id = c.id)) as open_without`,
    );
    expect(t).toEqual({ pending_past: 0, open_without: 0 });

    // The resident: one closed awaiting a rating, one in progress, one rated after a reopen.
    const resident = await database.query<{ status: string; rating: string | null; reopen_count: number }>(
      "select c.status, c.rating, c.reopen_count from cases c join users u on u.id = c.reporter_user_id where u.username = 'resident' order by c.submitted_at",
    );
    expect(resident.map((c) => c.status)).toEqual(["rated", "closed", "inProgress"]);
    expect(resident[0]).toMatchObject({ rating: "satisfied", reopen_count: 1 });
    const [inbox] = await database.query<{ n: number }>("select count(*)::int as n from notifications n join users u on u.id = n.user_id where u.username = 'resident'");
    expect(inbox!.n).toBeGreaterThan(5);
    // The grid worker has cases to receive and to verify in their grid (results someone else
    // reported: nobody verifies their own); the department staff a summons to report in.
    const [gw] = await database.query<{ to_receive: number; to_verify: number }>(
      `select count(*) filter (where c.status = 'dispatched' and c.level = 'grid')::int as to_receive,
              count(*) filter (where c.status = 'feedback' and (select e.actor_user_id from case_events e where e.case_id = c.id and e.action = 'feedback' order by e.id desc limit 1) is distinct from u.id)::int as to_verify
         from cases c join role_grants g on g.area_id = c.grid_id join users u on u.id = g.user_id where u.username = 'gridworker'`,
    );
    // No history shows a verification by the author of the result it checked.
    const [selfChecked] = await database.query<{ n: number }>(
      `select count(*)::int as n from case_events v
         where v.action in ('verifyPass', 'verifyFail') and v.actor_user_id is not null
           and v.actor_user_id = (select f.actor_user_id from case_events f where f.case_id = v.case_id and f.action = 'feedback' and f.id < v.id order by f.id desc limit 1)`,
    );
    expect(selfChecked!.n).toBe(0);
    expect(gw!.to_receive).toBeGreaterThanOrEqual(1);
    expect(gw!.to_verify).toBeGreaterThanOrEqual(1);
    const summoned = await database.query<{ due: Date; timers: number }>(
      `select s.report_in_due_at as due, (select count(*)::int from case_timers t where t.summons_id = s.id and t.fired_at is null) as timers
         from case_summons s join users u on u.org_id = s.department_org_id where u.username = 'deptstaff' and s.status = 'summoned'`,
    );
    expect(summoned.length).toBeGreaterThanOrEqual(1);
    for (const s of summoned) {
      expect(new Date(s.due).getTime()).toBeGreaterThan(now);
      expect(s.timers).toBe(1);
    }
    // Hotline callers' phones: only encrypted, masked 139****…
    const phones = await database.query<{ enc: string; masked: string }>("select contact_phone_enc as enc, contact_phone_masked as masked from cases where source = 'hotline'");
    for (const p of phones) {
      const phone = decryptField(keyring, p.enc, contactPhoneContext);
      expect(phone).toMatch(/^139\d{8}$/);
      expect(p.masked).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    }

    const signer = parseAuditSigningKey(generateAuditSigningKey());
    await sealPending(database.db, { signer });
    const verified = await verifyAuditLog(database.db, { publicKeys: [signer.publicKey] });
    expect(verified.ok).toBe(true);
    expect(verified.pending).toBe(0);
  });
});
