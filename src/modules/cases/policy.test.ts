import { describe, expect, it } from "vitest";
import type { Actor, Grant } from "../../platform/auth/actor.js";
import type { Role } from "../../platform/policy/roles.js";
import { casePolicy, type CaseRecord } from "./policy.js";

const district = "/c/d/";
const street = "/c/d/s/";
const communityA = "/c/d/s/a/";
const communityB = "/c/d/s/b/";
const gridA1 = "/c/d/s/a/a1/";
const gridA2 = "/c/d/s/a/a2/";

function actor(userId: string, ...grants: { role: Role; path: string | null; orgId?: string }[]): Actor {
  return {
    kind: "user",
    userId,
    username: userId,
    displayName: userId,
    locale: "zh-CN",
    personId: null,
    householdId: null,
    orgId: grants.find((g) => g.orgId)?.orgId ?? null,
    grants: grants.map<Grant>((g) => ({ role: g.role, areaId: null, areaPath: g.path, areaName: null, areaLevel: null, orgId: g.orgId ?? null })),
  };
}

const residentA = actor("residentA", { role: "resident", path: gridA1 });
const residentB = actor("residentB", { role: "resident", path: gridA1 });
const gridWorkerA1 = actor("gw1", { role: "gridWorker", path: gridA1 });
const gridWorkerA2 = actor("gw2", { role: "gridWorker", path: gridA2 });
const workerA = actor("cwA", { role: "communityWorker", path: communityA });
const secretaryA = actor("secA", { role: "communitySecretary", path: communityA });
const workerB = actor("cwB", { role: "communityWorker", path: communityB });
const streetAdmin = actor("sa", { role: "streetAdmin", path: street });
const analyst = actor("an", { role: "districtAnalyst", path: district });
const admin = actor("admin", { role: "systemAdmin", path: "/c/" });
const deptHandling = actor("d1", { role: "departmentStaff", path: district, orgId: "org-1" });
const deptSummoned = actor("d2", { role: "departmentStaff", path: district, orgId: "org-2" });
const deptOther = actor("d3", { role: "departmentStaff", path: district, orgId: "org-3" });

const at = (level: CaseRecord["level"], extra: Partial<CaseRecord> = {}): CaseRecord => ({
  areaPath: gridA1,
  level,
  handlingAreaPath: null,
  handlingOrgId: level === "department" ? "org-1" : null,
  reporterUserId: "residentA",
  summonedOrgIds: ["org-2"],
  status: "registered",
  ...extra,
});

type Row = [string, Actor, boolean];

describe("casePolicy: read (scope matrix)", () => {
  const rows: Row[] = [
    ["the reporter", residentA, true],
    ["another resident", residentB, false],
    ["the grid's grid worker", gridWorkerA1, true],
    ["a grid worker of another grid", gridWorkerA2, false],
    ["a community A worker", workerA, true],
    ["a community B worker", workerB, false],
    ["the street administrator", streetAdmin, true],
    ["the district analyst", analyst, true],
    ["staff of the handling department", deptHandling, true],
    ["staff of a summoned department", deptSummoned, true],
    ["staff of another department", deptOther, false],
  ];
  it.each(rows)("%s → %s", (_, who, expected) => {
    expect(casePolicy.read(who, at("department"))).toBe(expected);
  });
  it("a department does not read a case it neither handles nor was summoned to", () => {
    expect(casePolicy.read(deptHandling, at("grid", { summonedOrgIds: [] }))).toBe(false);
  });
});

describe("casePolicy: who handles at each level", () => {
  const cases: [CaseRecord["level"], Actor, boolean][] = [
    ["grid", gridWorkerA1, true],
    ["grid", gridWorkerA2, false],
    ["grid", workerA, true],
    ["grid", workerB, false],
    ["community", gridWorkerA1, false],
    ["community", secretaryA, true],
    ["street", workerA, false],
    ["street", streetAdmin, true],
    ["district", streetAdmin, false],
    ["district", admin, true],
    ["department", deptHandling, true],
    ["department", deptSummoned, false],
    ["department", streetAdmin, false],
    ["grid", analyst, false],
    ["grid", residentA, false],
  ];
  it.each(cases)("%s level, %j", (level, who, expected) => {
    expect(casePolicy.handle(who, at(level))).toBe(expected);
  });
});

describe("casePolicy: dispatch, verify, rate, cancel, revealContact", () => {
  it("community staff dispatch at grid and community level only; the street at any level", () => {
    expect(casePolicy.dispatch(workerA, at("grid"))).toBe(true);
    expect(casePolicy.dispatch(secretaryA, at("community"))).toBe(true);
    expect(casePolicy.dispatch(workerA, at("street"))).toBe(false);
    expect(casePolicy.dispatch(workerB, at("grid"))).toBe(false);
    expect(casePolicy.dispatch(streetAdmin, at("department"))).toBe(true);
    expect(casePolicy.dispatch(admin, at("district"))).toBe(true);
    expect(casePolicy.dispatch(gridWorkerA1, at("grid"))).toBe(false);
    expect(casePolicy.dispatch(analyst, at("grid"))).toBe(false);
  });
  it("verification stays with the grid, the community and the street", () => {
    expect(casePolicy.verify(gridWorkerA1, at("department"))).toBe(true);
    expect(casePolicy.verify(gridWorkerA2, at("grid"))).toBe(false);
    expect(casePolicy.verify(workerA, at("street"))).toBe(true);
    expect(casePolicy.verify(deptHandling, at("department"))).toBe(false);
    expect(casePolicy.verify(analyst, at("grid"))).toBe(false);
  });
  it("only the reporter rates", () => {
    expect(casePolicy.rate(residentA, at("grid"))).toBe(true);
    expect(casePolicy.rate(residentB, at("grid"))).toBe(false);
    expect(casePolicy.rate(workerA, at("grid"))).toBe(false);
    expect(casePolicy.rate(residentA, at("grid", { reporterUserId: null }))).toBe(false);
  });
  it("the reporter cancels only while the case waits for registration", () => {
    expect(casePolicy.cancel(residentA, at("grid", { status: "submitted" }))).toBe(true);
    expect(casePolicy.cancel(residentA, at("grid", { status: "registered" }))).toBe(false);
    expect(casePolicy.cancel(workerA, at("grid", { status: "dispatched" }))).toBe(true);
  });
  it("the contact is for handlers, dispatchers and verifiers, not analysts or the reporter's neighbours", () => {
    expect(casePolicy.revealContact(gridWorkerA1, at("grid"))).toBe(true);
    expect(casePolicy.revealContact(streetAdmin, at("grid"))).toBe(true);
    expect(casePolicy.revealContact(deptHandling, at("department"))).toBe(true);
    expect(casePolicy.revealContact(deptSummoned, at("department"))).toBe(false);
    expect(casePolicy.revealContact(analyst, at("grid"))).toBe(false);
    expect(casePolicy.revealContact(residentB, at("grid"))).toBe(false);
  });
});
