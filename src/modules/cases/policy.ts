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
 * - verify (核查): the grid's grid worker, community staff and the street administrator in scope;
 *   the author of the case's latest 反馈 is refused by a guard (verification.ts), not by this rule.
 * - rate (回访评价, 重办): the reporter only.
 * - revealContact: handlers, dispatchers and verifiers (they call the reporter) — never analysts.
 */
import { eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../../platform/auth/actor.js";
import type { Db } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { anyOf, definePolicy, escapeLike, grantsWith, inScopeOf, pathWithin, type Rule, type Scoped } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";
import { areaPathAtLevel } from "./levels.js";
import { nextStatus, type CaseStatus } from "./machine.js";
import type { SummonsAbilities, SummonsStatus } from "./whistle/whistle.js";
import { caseCatalogues, cases, caseSummons, type CaseLevel, type CaseSource } from "./schema.js";

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

// ---------------------------------------------------------------- the same rules as SQL, for lists ("mine" filters)

/** Cases under a node where the actor holds one of `roles`. */
function casesUnder(actor: Actor, roles: readonly Role[]): SQL {
  const prefixes = [...new Set(grantsWith(actor, roles).map((g) => g.areaPath!))];
  if (prefixes.length === 0) return sql`false`;
  return sql`(${sql.join(
    prefixes.map((p) => sql`${cases.areaPath} like ${`${escapeLike(p)}%`}`),
    sql` or `,
  )})`;
}

/**
 * The area roles behind each "mine" queue (the SQL below): the home's to-dos offer a queue only to
 * whom it can hold cases (a department handles through its organization, not a role on an area).
 */
export const caseQueueRoles: Record<"dispatch" | "handle" | "verify", readonly Role[]> = {
  dispatch: [...community, "streetAdmin", "systemAdmin"],
  handle: ["gridWorker", ...community, "streetAdmin", "systemAdmin"],
  verify: ["gridWorker", ...community, "streetAdmin", "systemAdmin"],
};

/** SQL of casePolicy.handle (the levels and roles there). */
export function caseHandleCondition(actor: Actor): SQL {
  const orgs = departmentOrgIds(actor);
  return sql`(
    (${cases.level} = 'grid' and ${casesUnder(actor, ["gridWorker", ...community])})
    or (${cases.level} = 'community' and ${casesUnder(actor, community)})
    or (${cases.level} = 'street' and ${casesUnder(actor, ["streetAdmin"])})
    or (${cases.level} = 'district' and ${casesUnder(actor, ["systemAdmin"])})
    or (${cases.level} = 'department' and ${orgs.length > 0 ? inArray(cases.handlingOrgId, orgs) : sql`false`})
  )`;
}

/** SQL of casePolicy.dispatch. */
export function caseDispatchCondition(actor: Actor): SQL {
  return sql`((${inArray(cases.level, ["grid", "community"])} and ${casesUnder(actor, community)}) or ${casesUnder(actor, ["streetAdmin", "systemAdmin"])})`;
}

/** SQL of casePolicy.verify. */
export function caseVerifyCondition(actor: Actor): SQL {
  return casesUnder(actor, ["gridWorker", ...community, "streetAdmin", "systemAdmin"]);
}

// ---------------------------------------------------------------- the catalogue (分类目录)

/** Roles that revise the catalogue. The catalogue is one for the whole deployment, so the grant's area does not matter. */
export const catalogueEditors: readonly Role[] = ["systemAdmin", "streetAdmin"];

export interface CatalogueRecord {
  status: (typeof caseCatalogues.$inferSelect)["status"];
}

const isEditor: Rule<CatalogueRecord> = (actor) => actor.grants.some((g) => catalogueEditors.includes(g.role));

export const cataloguePolicy = definePolicy<CatalogueRecord, "edit">({
  read: (actor, c) => c.status !== "draft" || isEditor(actor, c),
  edit: isEditor,
});

export interface CatalogueAbilities {
  edit: boolean;
  publish: boolean;
  discard: boolean;
  createDraft: boolean;
}

export function catalogueAbilities(actor: Actor, c: CatalogueRecord): CatalogueAbilities {
  const editor = isEditor(actor, c);
  const draft = c.status === "draft";
  return { edit: editor && draft, publish: editor && draft, discard: editor && draft, createDraft: editor && c.status === "active" };
}

// ---------------------------------------------------------------- 12345 hotline import

/** Who may import hotline tickets into an area: the street administrator and community workers in scope. */
export const hotlineImportPolicy = definePolicy<Scoped, "import">({
  read: inScopeOf(...caseAreaReaders),
  import: inScopeOf("streetAdmin", "communityWorker"),
});

// ---------------------------------------------------------------- intake (受理)

/** Roles that report from patrols and on behalf of residents (the worker app and the console). */
export const reportingWorkerRoles: readonly Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin"];

/** Holds a reporting worker role somewhere: reports are patrols, and may be made on behalf of residents. */
export function reportsAsWorker(actor: Actor): boolean {
  return grantsWith(actor, reportingWorkerRoles).length > 0;
}

/** Whether a worker role of the actor covers the area at `path` (whom they may report for). */
export function reportsFor(actor: Actor, path: string): boolean {
  return grantsWith(actor, reportingWorkerRoles).some((g) => pathWithin(path, g.areaPath!));
}

/**
 * Who may submit a case from a source: anyone signed in reports as a resident (an API key acts for
 * its user); patrol, on-behalf, deliberation and emergency reports are workers'; hotline and Open311
 * cases come through their own authorized paths (the import, the Open311 endpoint).
 */
export function maySubmitFrom(actor: Actor, source: CaseSource): boolean {
  switch (source) {
    case "onBehalf":
    case "patrol":
    case "deliberation":
    case "emergency":
      return reportsAsWorker(actor);
    case "resident":
    case "hotline":
    case "open311":
      return true;
  }
}

/** A patrol report of a grid worker inside a grid they are granted on is registered (立案) at once. */
export function patrolRegistersAtOnce(actor: Actor, report: { source: string; areaPath: string }): boolean {
  return report.source === "patrol" && grantsWith(actor, ["gridWorker"]).some((g) => pathWithin(report.areaPath, g.areaPath!));
}

// ---------------------------------------------------------------- whistle and summons (吹哨报到)

/** Who blows the whistle: the street administrator, community secretary and community workers. */
export const summonerRoles: readonly Role[] = ["streetAdmin", "communitySecretary", "communityWorker"];
/** Read-only overseers of summons in their area (the district command centre, the administrator). */
export const overseerRoles: readonly Role[] = ["districtAnalyst", "systemAdmin"];

/** The grant through which the actor may summon for a case at `casePath`: the closest street or community. */
export function summoningGrant(actor: Actor, casePath: string): { areaId: string; areaPath: string } | null {
  const candidates = grantsWith(actor, summonerRoles).filter(
    (g) => (g.areaLevel === "street" || g.areaLevel === "community") && g.areaId !== null && pathWithin(casePath, g.areaPath!),
  );
  candidates.sort((a, b) => b.areaPath!.length - a.areaPath!.length);
  const g = candidates[0];
  return g ? { areaId: g.areaId!, areaPath: g.areaPath! } : null;
}

/** May the actor blow the whistle on a case at `casePath` (status aside)? For the case page's abilities. */
export function maySummon(actor: Actor, casePath: string): boolean {
  return summoningGrant(actor, casePath) !== null;
}

/** The actor's street or community issued (or is above the one that issued) the whistle. */
export function isSummoningSide(actor: Actor, whistleAreaPath: string): boolean {
  return grantsWith(actor, summonerRoles).some((g) => pathWithin(whistleAreaPath, g.areaPath!));
}

export interface SummonsRecord {
  departmentOrgId: string;
  whistleAreaPath: string;
  caseAreaPath: string;
  status: SummonsStatus;
  caseStatus: string;
  score: number | null;
}

export function readsSummons(actor: Actor, r: Pick<SummonsRecord, "departmentOrgId" | "whistleAreaPath" | "caseAreaPath">): boolean {
  return (
    departmentOrgIds(actor).includes(r.departmentOrgId) ||
    isSummoningSide(actor, r.whistleAreaPath) ||
    grantsWith(actor, caseAreaReaders).some((g) => pathWithin(r.caseAreaPath, g.areaPath!))
  );
}

export function summonsAbilities(actor: Actor, r: SummonsRecord): SummonsAbilities {
  const read = readsSummons(actor, r);
  const ownDepartment = departmentOrgIds(actor).includes(r.departmentOrgId);
  const status = r.caseStatus as CaseStatus;
  const summoning = isSummoningSide(actor, r.whistleAreaPath);
  const waiting = r.status === "summoned" || r.status === "reportedIn";
  return {
    read,
    reportIn: ownDepartment && r.status === "summoned" && nextStatus(status, "reportIn") !== null,
    finish: ownDepartment && r.status === "reportedIn" && nextStatus(status, "finishSummons") !== null,
    score: isSummoningSide(actor, r.whistleAreaPath) && r.status === "finished" && r.score === null,
    withdraw: summoning && waiting && nextStatus(status, "withdrawSummons") !== null,
    excuse: summoning && waiting && nextStatus(status, "excuseSummons") !== null,
    recordOnBehalf: summoning && waiting && nextStatus(status, "recordSummonsOnBehalf") !== null,
  };
}

/** 404 when the actor may not see the summons, 403 when they see it but may not do `action`. */
export function authorizeSummons(actor: Actor, r: SummonsRecord, allowed: boolean): void {
  if (!readsSummons(actor, r)) throw new AppError("not_found");
  if (!allowed) throw new AppError("forbidden");
}
