/**
 * Kinds of organization (GLOSSARY.md), with their zh-CN / en labels and whether each is a party
 * organization. A shared vocabulary like the roles (policy/roles.ts): orgs sets organizations up by
 * it, people checks that a party member's relation is held by a party organization. Where each
 * kind may stand (placement) stays with orgs.
 */
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
