import type { AreaLevel } from "../area-tree.js";
import type { Face, Role } from "../policy/roles.js";

/** A role held on a node of the area tree (its subtree is the scope) or on an organization. */
export interface Grant {
  role: Role;
  areaId: string | null;
  /** Materialized path of the granted area ("/id/…/id/"), for subtree checks. */
  areaPath: string | null;
  areaName: string | null;
  areaLevel: AreaLevel | null;
  orgId: string | null;
}

/** Who is acting: a logged-in user (web session) or a machine client (API key). */
export interface Actor {
  kind: "user" | "apiKey";
  userId: string;
  username: string;
  displayName: string;
  locale: string;
  personId: string | null;
  /** The resident's own household, when the user is linked to a person. */
  householdId: string | null;
  orgId: string | null;
  grants: Grant[];
  /** An administrator chose the password: until it is changed, only /api/auth/* answers (admin.ts). */
  mustChangePassword?: boolean;
  sessionId?: string;
  apiKeyId?: string;
}

export function actorFace(actor: Actor): Face {
  const faces = new Set(actor.grants.map((g) => faceOf(g.role)));
  if (faces.has("console")) return "console";
  if (faces.has("worker")) return "worker";
  return "resident";
}

function faceOf(role: Role): Face {
  switch (role) {
    case "resident":
      return "resident";
    case "gridWorker":
      return "worker";
    case "communityWorker":
    case "communitySecretary":
    case "streetAdmin":
    case "departmentStaff":
    case "districtAnalyst":
    case "systemAdmin":
      return "console";
  }
}
