/**
 * Roles. Each is granted on a node of the area tree (or an organization) and reaches that node's
 * subtree only. What each role may do is declared in the module policies, not here.
 */
export const roles = [
  "resident",
  "gridWorker",
  "communityWorker",
  "communitySecretary",
  "streetAdmin",
  "departmentStaff",
  "districtAnalyst",
  "systemAdmin",
] as const;
export type Role = (typeof roles)[number];

/** zh-CN / en labels for the interface. */
export const roleLabels: Record<Role, { zh: string; en: string }> = {
  resident: { zh: "居民", en: "Resident" },
  gridWorker: { zh: "网格员", en: "Grid worker" },
  communityWorker: { zh: "社区工作者", en: "Community worker" },
  communitySecretary: { zh: "社区党委书记", en: "Community party secretary" },
  streetAdmin: { zh: "街道管理员", en: "Street administrator" },
  departmentStaff: { zh: "职能部门工作人员", en: "Department staff" },
  districtAnalyst: { zh: "区级分析员", en: "District analyst" },
  systemAdmin: { zh: "系统管理员", en: "System administrator" },
};

/** The three faces of the interface (the resident's phone, the worker's phone, the console). */
export const faces = ["resident", "worker", "console"] as const;
/** Which of the three faces a role works in. */
export type Face = (typeof faces)[number];
export const roleFace: Record<Role, Face> = {
  resident: "resident",
  gridWorker: "worker",
  communityWorker: "console",
  communitySecretary: "console",
  streetAdmin: "console",
  departmentStaff: "console",
  districtAnalyst: "console",
  systemAdmin: "console",
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/**
 * Roles whose work needs residents' names and addresses in clear (door-to-door visits); each clear
 * read is audited. People's policies use it, and so does the building page (places), which shows
 * who lives in each dwelling.
 */
export const householdClearReaders: Role[] = ["gridWorker", "communityWorker", "communitySecretary"];
/** Roles that change households' records (people), and may do so from the building page (places). */
export const householdEditors: Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin"];
