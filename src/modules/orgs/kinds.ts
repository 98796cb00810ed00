/** Kinds of organization (GLOSSARY.md), with their zh-CN / en labels. */
export const orgKinds = {
  streetWorkingCommittee: { zh: "街道(大)工委", en: "Street working committee", party: true },
  communityPartyCommittee: { zh: "社区(大)党委", en: "Community party committee", party: true },
  gridPartyBranch: { zh: "网格党支部", en: "Grid party branch", party: true },
  buildingPartyGroup: { zh: "楼道党小组", en: "Building party group", party: true },
  interestPartyGroup: { zh: "兴趣型党小组", en: "Interest party group", party: true },
  residentsCommittee: { zh: "居委会", en: "Residents' committee", party: false },
  workStation: { zh: "社区工作站", en: "Community work station", party: false },
  serviceStation: { zh: "社区服务站", en: "Community service station", party: false },
  ownersCommittee: { zh: "业委会", en: "Owners' committee", party: false },
  propertyCompany: { zh: "物业公司", en: "Property company", party: false },
  socialOrg: { zh: "社会组织", en: "Social organization", party: false },
  coBuildingUnit: { zh: "共建单位", en: "Co-building unit", party: false },
  serviceCentre: { zh: "服务中心", en: "Service centre", party: false },
  department: { zh: "职能部门", en: "Department", party: false },
} as const;

export type OrgKind = keyof typeof orgKinds;

export function isOrgKind(k: string): k is OrgKind {
  return k in orgKinds;
}

export type AreaLevelName = "street" | "community" | "grid" | "microGrid";

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
  // Departments belong to the district and are managed with the case module, not here.
  department: null,
};

export const areaLevelLabels: Record<AreaLevelName, { zh: string; en: string }> = {
  street: { zh: "街道", en: "street" },
  community: { zh: "社区", en: "community" },
  grid: { zh: "网格", en: "grid" },
  microGrid: { zh: "微网格", en: "micro-grid" },
};

/** 社会组织 incubation status: 孵化中 / 已出壳. */
export const incubationStates = ["incubating", "graduated"] as const;
export type Incubation = (typeof incubationStates)[number];
