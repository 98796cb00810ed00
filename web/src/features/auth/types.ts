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

export type Face = "resident" | "worker" | "console";

export interface Grant {
  role: Role;
  /** The role's label in the request's language, as the server names it. */
  roleLabel: string;
  areaId: string;
  areaName: string;
  areaLevel: string;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  locale: string;
  face: Face;
  grants: Grant[];
}

export interface SessionResponse {
  user: Me;
  csrfToken: string;
}

export const faceHome: Record<Face, string> = {
  resident: "/resident",
  worker: "/worker",
  console: "/console",
};
