/**
 * 待办 of the case loop for the console home: the cases waiting for the actor's step (the queue's
 * "mine" filters), the overdue ones they see, and the summons waiting for their department or for
 * their score. Each count goes through the list's own conditions (`caseListConditions`,
 * `summonsConditions`), so it is the length of the linked list; one query for cases, one for summons.
 */
import { and, sql, type SQL } from "drizzle-orm";
import type { Actor } from "../../platform/auth/actor.js";
import type { Db } from "../../platform/db/index.js";
import { grantsWith } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";
import { todoLink, type TodoItem, type TodoSeverity } from "../../platform/home/todos.js";
import { caseListConditions, type CaseListFilter } from "./lifecycle/queries.js";
import { summonsConditions, summonsFrom, type SummonsFilter } from "./whistle/whistle.js";
import { caseAreaReaders, caseQueueRoles, departmentOrgIds, summonerRoles } from "./policy.js";
import { cases } from "./schema.js";

interface Queue<F> {
  key: string;
  label: { zh: string; en: string };
  filter: F;
  severity: TodoSeverity;
}

/** The case queues the actor can hold cases in, in the order of the loop. */
function caseQueues(actor: Actor): Queue<CaseListFilter>[] {
  const has = (roles: readonly Role[]) => grantsWith(actor, roles).length > 0;
  const department = departmentOrgIds(actor).length > 0;
  const out: Queue<CaseListFilter>[] = [];
  // The console's queues (lifecycle/queries.ts queueCondition): each lists only the cases whose step the asker can take.
  if (has(caseQueueRoles.dispatch)) {
    out.push(
      { key: "cases.toRegister", label: { zh: "待受理", en: "To register" }, filter: { queue: "toRegister" }, severity: "info" },
      { key: "cases.toDispatch", label: { zh: "待派遣", en: "To dispatch" }, filter: { queue: "toDispatch" }, severity: "info" },
    );
  }
  if (has(caseQueueRoles.handle) || department) {
    out.push({ key: "cases.handling", label: { zh: "待签收、处置", en: "To receive and handle" }, filter: { queue: "handling" }, severity: "info" });
  }
  if (has(caseQueueRoles.verify)) {
    out.push({ key: "cases.toVerify", label: { zh: "待核查", en: "To verify" }, filter: { queue: "toVerify" }, severity: "info" });
  }
  if (has(caseQueueRoles.dispatch)) {
    out.push(
      { key: "cases.toClose", label: { zh: "待结案", en: "To close" }, filter: { queue: "toClose" }, severity: "info" },
      // A pending extension puts a case in the dispatcher's queue whatever its status (mine=dispatch).
      {
        key: "cases.extensions",
        label: { zh: "延期待审批", en: "Extensions to decide" },
        filter: { mine: "dispatch", status: ["dispatched", "received", "inProgress", "feedback"] },
        severity: "warning",
      },
    );
  }
  if (has(caseAreaReaders) || department) {
    out.push({ key: "cases.overdue", label: { zh: "已超期案件", en: "Overdue cases" }, filter: { overdue: true }, severity: "danger" });
  }
  return out;
}

function summonsQueues(actor: Actor): Queue<SummonsFilter>[] {
  const department = departmentOrgIds(actor).length > 0;
  const summoner = grantsWith(actor, summonerRoles).length > 0;
  const out: Queue<SummonsFilter>[] = [];
  if (department) {
    out.push(
      { key: "summons.toReportIn", label: { zh: "吹哨待报到", en: "Summons to report in" }, filter: { mine: "reportIn" }, severity: "warning" },
      { key: "summons.toFinish", label: { zh: "报到待办结", en: "Summons to finish" }, filter: { mine: "finish" }, severity: "info" },
    );
  }
  if (summoner) out.push({ key: "summons.toScore", label: { zh: "部门办结待评分", en: "Departments to score" }, filter: { mine: "score" }, severity: "info" });
  if (department || summoner) {
    out.push({ key: "summons.overdue", label: { zh: "超时未报到", en: "Report-in overdue" }, filter: { overdue: true }, severity: "danger" });
  }
  return out;
}

/** `count(*) filter (where …)` per queue, in one select. */
function counts(conds: SQL[][]) {
  return Object.fromEntries(conds.map((c, i) => [`q${i}`, sql<number>`(count(*) filter (where ${and(...c)}))::int`]));
}

/** The case loop's to-dos of `actor` (GongzhiModule.todos of cases). */
export async function caseTodos(db: Db, actor: Actor, now = new Date()): Promise<TodoItem[]> {
  const items: TodoItem[] = [];
  const cq = caseQueues(actor);
  if (cq.length > 0) {
    const conds = await Promise.all(cq.map((q) => caseListConditions(db, actor, q.filter, now)));
    const [row] = await db.select(counts(conds)).from(cases);
    cq.forEach((q, i) =>
      items.push({
        key: q.key,
        count: Number(row?.[`q${i}`] ?? 0),
        label: q.label,
        link: todoLink("/console/cases", { queue: q.filter.queue, mine: q.filter.mine, status: q.filter.status, overdue: q.filter.overdue, sort: "due" }),
        severity: q.severity,
      }),
    );
  }
  const sq = summonsQueues(actor);
  if (sq.length > 0) {
    const conds = sq.map((q) => summonsConditions(actor, q.filter));
    const [row] = await summonsFrom(db, counts(conds));
    sq.forEach((q, i) =>
      items.push({
        key: q.key,
        count: Number(row?.[`q${i}`] ?? 0),
        label: q.label,
        link: todoLink("/console/summons", { mine: q.filter.mine, overdue: q.filter.overdue }),
        severity: q.severity,
      }),
    );
  }
  return items;
}
