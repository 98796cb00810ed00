/** Kinds of organization (GLOSSARY.md), with their zh-CN / en labels. */
import { isOrgKind, orgKinds, type OrgKind } from "../../platform/org-kinds.js";

export { isOrgKind, orgKinds, type OrgKind };

export type AreaLevelName = "district" | "street" | "community" | "grid" | "microGrid";

/**
 * Where each kind may stand: the kinds its parent may have (null = it may stand without a parent,
 * directly at its area) and the area levels it may belong to. The party line runs
 * 街道工委 → 社区党委 → 网格党支部 → 楼道党小组; interest groups sit under a community committee;
 * community bodies sit under the community's party committee (一核多元) or at the community.
 */
export const placement: Record<OrgKind, { parents: (OrgKind | null)[]; levels: AreaLevelName[] } | null> = {
  streetWorkingCommittee: { parents: [null], levels: ["street"] },
  communityPartyCommittee: { parents: ["streetWorkingCommittee"], levels: ["community"] },
  gridPartyBranch: { parents: ["communityPartyCommittee"], levels: ["grid"] },
  buildingPartyGroup: { parents: ["gridPartyBranch"], levels: ["grid", "microGrid"] },
  interestPartyGroup: { parents: ["communityPartyCommittee"], levels: ["community"] },
  residentsCommittee: { parents: ["communityPartyCommittee", null], levels: ["community"] },
  workStation: { parents: ["communityPartyCommittee", null], levels: ["community"] },
  serviceStation: { parents: ["communityPartyCommittee", null], levels: ["community"] },
  ownersCommittee: { parents: ["communityPartyCommittee", null], levels: ["community", "grid"] },
  propertyCompany: { parents: ["communityPartyCommittee", null], levels: ["community", "grid"] },
  socialOrg: { parents: ["communityPartyCommittee", null], levels: ["community"] },
  coBuildingUnit: { parents: ["communityPartyCommittee", null], levels: ["community"] },
  serviceCentre: { parents: ["communityPartyCommittee", null], levels: ["community"] },
  // A district's functional departments (职能部门), the ones a street summons (吹哨): a street set up
  // from nothing registers those it works with here (the system administrator, whose scope is the district).
  department: { parents: [null], levels: ["district"] },
};

export const areaLevelLabels: Record<AreaLevelName, { zh: string; en: string }> = {
  district: { zh: "区（县）", en: "district" },
  street: { zh: "街道", en: "street" },
  community: { zh: "社区", en: "community" },
  grid: { zh: "网格", en: "grid" },
  microGrid: { zh: "微网格", en: "micro-grid" },
};

/** 社会组织 incubation status: 孵化中 / 已出壳. */
export const incubationStates = ["incubating", "graduated"] as const;
export type Incubation = (typeof incubationStates)[number];
