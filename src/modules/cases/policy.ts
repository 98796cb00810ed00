/**
 * Who may do what to which case. A case sits at its grid's path; the level it is handled at
 * (grid → community → street → district → department) decides who handles and who dispatches:
 *
 * - read: the reporter; area staff and analysts in scope of the case's grid; department staff of
 *   the handling department or of a department summoned by a whistle. Residents read only their own.
 * - dispatch (立案, 不予受理, 派遣, 结案, 延期审批, 挂账, 撤销, 下派): community workers and secretaries
 *   in scope while the case is at grid or community level; the street administrator in scope at any
 *   level; the system administrator.
 * - handle (签收, 处置, 反馈, 退单, 申请延期, 上报): the handling level's own staff — grid: the grid's
 *   grid worker or community staff in scope; community: community staff; street: the street
 *   administrator; district: the system administrator (the district command centre; a street does
 *   not handle what it escalated); department: staff of the handling department.
 * - verify (核查): the grid's grid worker, community staff and the street administrator in scope.
 * - rate (回访评价, 重办): the reporter only.
 * - revealContact: handlers, dispatchers and verifiers (they call the reporter) — never analysts.
 */
import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../../platform/auth/actor.js";
import type { Db } from "../../platform/db/index.js";
import { anyOf, definePolicy, escapeLike, grantsWith, pathWithin, type Rule } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";
import { areaPathAtLevel } from "./levels.js";
import { cases, caseSummons, type CaseLevel } from "./schema.js";

export interface CaseRecord {
  /** The path of the case's grid ("/city/district/street/community/grid/"). */
  areaPath: string;
  level: CaseLevel;
  /** The path of the area handling the case now; null at department level. */
  handlingAreaPath: string | null;
  handlingOrgId: string | null;
  reporterUserId: string | null;
  /** Departments summoned by a whistle on this case (吹哨报到). */
  summonedOrgIds: string[];
  /** The case's status, when known (a reporter may cancel only while it is submitted). */
  status?: string;
}

/** Roles that read cases of their area (the grid worker reads those of their grid). */
export const caseAreaReaders: readonly Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "districtAnalyst", "systemAdmin"];

const community: readonly Role[] = ["communityWorker", "communitySecretary"];

/** One of `roles` granted on a node whose subtree holds the case's grid. */
function inCaseScope(...roles: Role[]): Rule<CaseRecord> {
  return (actor, record) => actor.grants.some((g) => roles.includes(g.role) && g.areaPath !== null && pathWithin(record.areaPath, g.areaPath));
}

function atLevel(levels: readonly CaseLevel[], rule: Rule<CaseRecord>): Rule<CaseRecord> {
  return (actor, record) => levels.includes(record.level) && rule(actor, record);
}

/** The departments the actor works for (departmentStaff grants carry the organization). */
export function departmentOrgIds(actor: Actor): string[] {
  const ids = actor.grants.filter((g) => g.role === "departmentStaff").map((g) => g.orgId ?? actor.orgId);
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

const isReporter: Rule<CaseRecord> = (actor, record) => record.reporterUserId !== null && record.reporterUserId === actor.userId;

const handlingDepartment: Rule<CaseRecord> = (actor, record) =>
  record.level === "department" && record.handlingOrgId !== null && departmentOrgIds(actor).includes(record.handlingOrgId);

const involvedDepartment: Rule<CaseRecord> = (actor, record) => {
  const orgs = departmentOrgIds(actor);
  return (record.handlingOrgId !== null && orgs.includes(record.handlingOrgId)) || record.summonedOrgIds.some((id) => orgs.includes(id));
};

const systemAdmin = inCaseScope("systemAdmin");

const dispatch: Rule<CaseRecord> = anyOf(atLevel(["grid", "community"], inCaseScope(...community)), inCaseScope("streetAdmin"), systemAdmin);

const handle: Rule<CaseRecord> = anyOf(
  atLevel(["grid"], inCaseScope("gridWorker", ...community)),
  atLevel(["community"], inCaseScope(...community)),
  atLevel(["street"], inCaseScope("streetAdmin")),
  atLevel(["district"], systemAdmin),
  handlingDepartment,
);

const verify: Rule<CaseRecord> = inCaseScope("gridWorker", ...community, "streetAdmin", "systemAdmin");

export const casePolicy = definePolicy<CaseRecord, "dispatch" | "handle" | "verify" | "rate" | "escalate" | "cancel" | "revealContact">({
  read: anyOf(isReporter, inCaseScope(...caseAreaReaders), involvedDepartment),
  dispatch,
  handle,
  verify,
  rate: isReporter,
  /** 上报: the handler, or the dispatcher of the level before the case is dispatched. */
  escalate: anyOf(handle, dispatch),
  /** 撤销: the reporter while the case waits for registration; the dispatcher otherwise. */
  cancel: anyOf((actor, record) => record.status === "submitted" && isReporter(actor, record), dispatch),
  revealContact: anyOf(handle, dispatch, verify),
});

export type CasePolicyAction = Exclude<keyof typeof casePolicy, "read">;

/** The case as the policy sees it: its paths, handler and the departments summoned to it. */
export async function loadCaseRecord(
  db: Db,
  row: Pick<typeof cases.$inferSelect, "id" | "areaPath" | "level" | "handlingOrgId" | "reporterUserId" | "status">,
): Promise<CaseRecord> {
  const summoned = await db.selectDistinct({ orgId: caseSummons.departmentOrgId }).from(caseSummons).where(eq(caseSummons.caseId, row.id));
  return {
    areaPath: row.areaPath,
    level: row.level,
    handlingAreaPath: areaPathAtLevel(row.areaPath, row.level),
    handlingOrgId: row.handlingOrgId,
    reporterUserId: row.reporterUserId,
    summonedOrgIds: summoned.map((s) => s.orgId),
    status: row.status,
  };
}

/**
 * SQL condition over `cases` for lists: the actor's own reports, cases under an area where the
 * actor reads cases, and — for department staff — cases handled by or summoning their department.
 */
export function caseScopeCondition(actor: Actor): SQL {
  const parts: SQL[] = [sql`${cases.reporterUserId} = ${actor.userId}`];
  const prefixes = [...new Set(grantsWith(actor, caseAreaReaders).map((g) => g.areaPath!))];
  for (const p of prefixes) parts.push(sql`${cases.areaPath} like ${`${escapeLike(p)}%`}`);
  const orgs = departmentOrgIds(actor);
  if (orgs.length > 0) {
    parts.push(sql`${inArray(cases.handlingOrgId, orgs)}`);
    parts.push(
      sql`exists (select 1 from ${caseSummons} where ${caseSummons.caseId} = ${cases.id} and ${inArray(caseSummons.departmentOrgId, orgs)})`,
    );
  }
  return sql`(${sql.join(parts, sql` or `)})`;
}
