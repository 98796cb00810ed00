/**
 * Notices to staff about their work (工作提醒), in the catalogue of notifiable events
 * (src/platform/notify/catalogue.ts): a case that arrives in their queue, a summons of their
 * department (吹哨), a deadline close or passed. The reporter's notices stay in live.ts.
 *
 * Who is told comes from role grants, like the policies: the handlers of the level the case is at
 * (grid worker of the grid; community workers and secretaries of the community; street
 * administrators of the street; system administrators for the district; staff of the department),
 * or the staff of the summoned departments. The person who took the step is not told of it.
 *
 * Steps are not published on the bus: effects.ts calls `caseNoticeParts`, which gives the same
 * catalogue entries' writes for the step's one statement.
 */
import type { Db } from "../../platform/db/index.js";
import { departmentUsers, noticeParts, usersGrantedOver, type NoticeEntries, type NoticeEntry } from "../../platform/notify/catalogue.js";
import type { StatementParts } from "../../platform/notify/inbox.js";
import type { Role } from "../../platform/policy/roles.js";
import type { CaseEffect } from "./effects.js";
import { areaPathAtLevel } from "./levels.js";
import type { CaseLevel } from "./schema.js";

/** What a staff notice of a case carries: ids, numbers and times — no description, place or reporter. */
export interface CaseWorkNotice {
  caseId: string;
  caseNo: string;
  /** The step that caused it (dispatch, escalate, whistle, remind, …). */
  action: string;
  level: CaseLevel;
  /** The area handling the case at `level`; null at department level. */
  handlingAreaPath: string | null;
  handlingOrgId: string | null;
  /** 派遣到人: the one person told instead of everyone handling at the level. */
  assigneeUserId: string | null;
  /** Departments told instead of the handlers (whistle; report-in overdue). */
  departmentOrgIds: string[] | null;
  /** Not told of their own step. */
  actorUserId: string | null;
  /** Which deadline (warnings and overdue). */
  clock: "response" | "handle" | "reportIn" | null;
  dueAt: string | null;
}

declare module "../../platform/events/index.js" {
  interface DomainEvents {
    /** A case arrived in a queue: dispatched, passed down, escalated, reopened, sent back for rework. */
    "case.assigned": CaseWorkNotice;
    /** 吹哨: departments summoned to report in. */
    "case.summoned": CaseWorkNotice;
    /** A deadline is close (20 % of the time left). */
    "case.deadlineNear": CaseWorkNotice;
    /** A deadline passed (签收, 办结, or a department's 报到). */
    "case.overdue": CaseWorkNotice;
  }
}

const handlerRoles: Record<CaseLevel, readonly Role[]> = {
  grid: ["gridWorker"],
  community: ["communityWorker", "communitySecretary"],
  street: ["streetAdmin"],
  district: ["systemAdmin"],
  department: [],
};

/** The handlers of the case at its level (only the named person when it was dispatched to one), or the named departments' staff; never the actor. */
async function concerned(tx: Db, n: CaseWorkNotice): Promise<string[]> {
  let ids: string[];
  if (n.departmentOrgIds) ids = await departmentUsers(tx, n.departmentOrgIds);
  else if (n.assigneeUserId) ids = [n.assigneeUserId];
  else if (n.level === "department") ids = n.handlingOrgId ? await departmentUsers(tx, [n.handlingOrgId]) : [];
  else ids = n.handlingAreaPath ? await usersGrantedOver(tx, handlerRoles[n.level], n.handlingAreaPath) : [];
  return ids.filter((id) => id !== n.actorUserId);
}

/** Grid workers work on the phone pages; everyone else in the console. */
const linkOf = (n: CaseWorkNotice) => (n.level === "grid" && !n.departmentOrgIds ? `/worker/tasks/${n.caseId}` : `/console/cases/${n.caseId}`);

const chinaTime = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
const chinaTimeEn = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
const at = (iso: string | null) => (iso ? { zh: chinaTime.format(new Date(iso)), en: `${chinaTimeEn.format(new Date(iso))} (China time)` } : null);

const levelWords: Record<CaseLevel, { zh: string; en: string }> = {
  grid: { zh: "本网格", en: "grid" },
  community: { zh: "本社区", en: "community" },
  street: { zh: "本街道", en: "street" },
  district: { zh: "区级", en: "district" },
  department: { zh: "本部门", en: "department" },
};

const assignVerbs: Record<string, { zh: string; en: string }> = {
  dispatch: { zh: "派遣到", en: "dispatched to" },
  sendDown: { zh: "转交到", en: "passed to" },
  escalate: { zh: "上报到", en: "escalated to" },
  reopen: { zh: "重新派到", en: "reopened and assigned to" },
};

const common = { caseId: (n: CaseWorkNotice) => n.caseId, concerns: concerned };

export const caseNotices = {
  "case.assigned": {
    ...common,
    kind: "work.assigned",
    text(n) {
      const where = levelWords[n.level];
      if (n.action === "verifyFail") {
        return {
          title: "案件需要返工",
          body: `案件 ${n.caseNo} 核查未通过，已退回${where.zh}重新处理。`,
          titleEn: "Case sent back for rework",
          bodyEn: `Case ${n.caseNo} did not pass the check and is back with your ${where.en} for more work.`,
          link: linkOf(n),
        };
      }
      const verb = assignVerbs[n.action] ?? { zh: "派到", en: "assigned to" };
      return {
        title: "新的待办案件",
        body: `案件 ${n.caseNo} 已${verb.zh}${where.zh}，请及时签收办理。`,
        titleEn: "New case to handle",
        bodyEn: `Case ${n.caseNo} was ${verb.en} your ${where.en}. Please take it on.`,
        link: linkOf(n),
      };
    },
  },
  "case.summoned": {
    ...common,
    kind: "work.summoned",
    text(n) {
      const due = at(n.dueAt);
      return {
        title: "吹哨报到",
        body: due ? `案件 ${n.caseNo} 吹哨召集本部门，请在${due.zh}前报到。` : `案件 ${n.caseNo} 吹哨召集本部门，请尽快报到。`,
        titleEn: "Your department is summoned",
        bodyEn: due ? `Your department is summoned to case ${n.caseNo}; please report in by ${due.en}.` : `Your department is summoned to case ${n.caseNo}; please report in soon.`,
        link: `/console/cases/${n.caseId}`,
      };
    },
  },
  "case.deadlineNear": {
    ...common,
    kind: "work.warning",
    text(n) {
      const due = at(n.dueAt);
      const response = n.clock === "response";
      return {
        title: response ? "签收时限将至" : "办理时限将至",
        body: `案件 ${n.caseNo} 的${response ? "签收" : "办理"}时限${due ? `是${due.zh}` : "将至"}，请抓紧${response ? "签收" : "办理"}。`,
        titleEn: response ? "Take-on deadline close" : "Handling deadline close",
        bodyEn: `Case ${n.caseNo} must be ${response ? "taken on" : "handled"}${due ? ` by ${due.en}` : " soon"}.`,
        link: linkOf(n),
      };
    },
  },
  "case.overdue": {
    ...common,
    kind: "work.overdue",
    text(n) {
      const due = at(n.dueAt);
      const when = due ? `（${due.zh}）` : "";
      const whenEn = due ? ` (${due.en})` : "";
      if (n.clock === "reportIn") {
        return {
          title: "报到已超时",
          body: `本部门未在报到时限${when}内到案件 ${n.caseNo} 报到，请尽快报到。`,
          titleEn: "Report-in overdue",
          bodyEn: `Your department has not reported in to case ${n.caseNo} by its deadline${whenEn}. Please report in.`,
          link: `/console/cases/${n.caseId}`,
        };
      }
      const response = n.clock === "response";
      return {
        title: response ? "签收已超时" : "办理已超期",
        body: `案件 ${n.caseNo} 已超过${response ? "签收" : "办理"}时限${when}，仍未${response ? "签收" : "办结"}。`,
        titleEn: response ? "Take-on overdue" : "Handling overdue",
        bodyEn: `Case ${n.caseNo} is past its ${response ? "take-on" : "handling"} deadline${whenEn} and not yet ${response ? "taken on" : "closed"}.`,
        link: linkOf(n),
      };
    },
  },
} satisfies NoticeEntries;

type CaseNoticeName = keyof typeof caseNotices;

/** The staff notices a step gives (none for most steps). */
export function caseWorkNotices(effect: CaseEffect): [CaseNoticeName, CaseWorkNotice][] {
  const { case: c, event } = effect;
  const base: CaseWorkNotice = {
    caseId: c.id,
    caseNo: c.caseNo,
    action: event.action,
    level: c.level,
    handlingAreaPath: areaPathAtLevel(c.areaPath, c.level),
    handlingOrgId: c.handlingOrgId,
    assigneeUserId: c.assigneeUserId ?? null,
    departmentOrgIds: null,
    actorUserId: event.actorUserId,
    clock: null,
    dueAt: null,
  };
  const data = event.data;
  switch (event.action) {
    case "dispatch":
    case "sendDown":
    case "escalate":
    case "reopen":
    case "verifyFail":
      return [["case.assigned", base]];
    case "whistle": {
      const departments = Array.isArray(data.departments) ? (data.departments as { id?: unknown }[]) : [];
      const ids = departments.map((d) => d.id).filter((id): id is string => typeof id === "string");
      const dueAt = typeof data.reportInDueAt === "string" ? data.reportInDueAt : null;
      return ids.length > 0 ? [["case.summoned", { ...base, departmentOrgIds: ids, clock: "reportIn", dueAt }]] : [];
    }
    case "remind": {
      const dueAt = typeof data.dueAt === "string" ? data.dueAt : null;
      if (data.kind === "reportInOverdue") {
        const dept = (data.department as { id?: unknown } | undefined)?.id;
        return typeof dept === "string" ? [["case.overdue", { ...base, departmentOrgIds: [dept], clock: "reportIn", dueAt }]] : [];
      }
      const clock = data.kind === "responseWarning" || data.kind === "responseDue" ? "response" : "handle";
      return [[data.overdue === true ? "case.overdue" : "case.deadlineNear", { ...base, clock, dueAt }]];
    }
    default:
      return [];
  }
}

/** The writes of a step's staff notices, for effects.ts's one statement. */
export async function caseNoticeParts(tx: Db, effect: CaseEffect): Promise<StatementParts> {
  const parts: StatementParts = { writes: [], selects: [] };
  let i = 0;
  for (const [name, payload] of caseWorkNotices(effect)) {
    const entry: NoticeEntry<CaseWorkNotice> = caseNotices[name];
    const p = await noticeParts(tx, name, entry, payload, `case_notice_${i++}`);
    parts.writes.push(...p.writes);
    parts.selects.push(...p.selects);
  }
  return parts;
}
