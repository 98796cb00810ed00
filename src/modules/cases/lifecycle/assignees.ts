/**
 * 派遣到人: the people a dispatcher may name when dispatching a case to a level — those who hold a
 * role that handles cases at that level (casePolicy.handle) on an area containing the case's place
 * at that level, or the staff of the chosen department; enabled accounts only.
 */
import { eq, sql } from "drizzle-orm";
import type { Actor } from "../../../platform/auth/actor.js";
import { rows, type Db } from "../../../platform/db/index.js";
import { authorize } from "../../../platform/policy/index.js";
import type { Role } from "../../../platform/policy/roles.js";
import { AppError } from "../../../platform/errors.js";
import { areaPathAtLevel, levelLabels } from "../levels.js";
import { casePolicy, loadCaseRecord } from "../policy.js";
import { cases, type CaseLevel } from "../schema.js";

/** The roles that handle a case at each level (as casePolicy.handle); departments: departmentStaff of the handling department. */
export const handlerRolesAt: Record<CaseLevel, readonly Role[]> = {
  grid: ["gridWorker", "communityWorker", "communitySecretary"],
  community: ["communityWorker", "communitySecretary"],
  street: ["streetAdmin"],
  district: ["systemAdmin"],
  department: ["departmentStaff"],
};

export interface DispatchCandidate {
  userId: string;
  displayName: string;
  /** The handler roles the person holds there. */
  roles: Role[];
}

/** Who may be named for a case at `areaPath` dispatched to `level` (and department `orgId`). */
export async function dispatchCandidates(db: Db, areaPath: string, level: CaseLevel, orgId: string | null): Promise<DispatchCandidate[]> {
  let list: { user_id: string; display_name: string; role: string }[];
  if (level === "department") {
    if (!orgId) return [];
    list = await rows(
      db,
      sql`select distinct u.id as user_id, u.display_name, g.role from role_grants g join users u on u.id = g.user_id
           where not u.disabled and g.role = 'departmentStaff' and coalesce(g.org_id, u.org_id) = ${orgId}::uuid`,
    );
  } else {
    const path = areaPathAtLevel(areaPath, level);
    if (!path) return [];
    list = await rows(
      db,
      sql`select distinct u.id as user_id, u.display_name, g.role from role_grants g join areas a on a.id = g.area_id join users u on u.id = g.user_id
           where not u.disabled and g.role in (${sql.join(
             handlerRolesAt[level].map((r) => sql`${r}`),
             sql`, `,
           )}) and starts_with(${path}, a.path)`,
    );
  }
  const byUser = new Map<string, DispatchCandidate>();
  for (const r of list) {
    const c = byUser.get(r.user_id) ?? { userId: r.user_id, displayName: r.display_name, roles: [] };
    if (!c.roles.includes(r.role as Role)) c.roles.push(r.role as Role);
    byUser.set(r.user_id, c);
  }
  return [...byUser.values()].sort((a, b) => a.displayName.localeCompare(b.displayName, "zh-CN") || a.userId.localeCompare(b.userId));
}

/** The named person must be one of the candidates; else `case_assignee_invalid` on `assigneeUserId`, nothing written. */
export async function checkAssignee(db: Db, areaPath: string, level: CaseLevel, orgId: string | null, userId: string): Promise<void> {
  const ok = (await dispatchCandidates(db, areaPath, level, orgId)).some((c) => c.userId === userId);
  if (!ok) throw new AppError("case_assignee_invalid", { level: { code: level, ...levelLabels[level] } }, "assigneeUserId");
}

/** The candidates the actor may pick when dispatching this case to `level`: 404 unreadable, 403 when the actor may not dispatch it. */
export async function listDispatchCandidates(
  db: Db,
  actor: Actor,
  caseId: string,
  opts: { level?: CaseLevel | undefined; orgId?: string | undefined },
): Promise<DispatchCandidate[]> {
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
  const record = row ? await loadCaseRecord(db, row) : undefined;
  authorize(actor, "read", record, casePolicy);
  authorize(actor, "dispatch", record, casePolicy);
  const level = opts.level ?? row!.level;
  return dispatchCandidates(db, row!.areaPath, level, level === "department" ? (opts.orgId ?? row!.handlingOrgId) : null);
}
