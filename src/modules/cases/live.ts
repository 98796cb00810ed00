/**
 * 实时推送与站内信: handlers see new work without reloading, and the reporter is told of each
 * step of their case.
 *
 * Write side — `caseAnnouncement`, run by core.ts in every step's own transaction:
 *   - an inbox row (`notifications`) for the reporter on the steps they should hear about;
 *   - `pg_notify('gongzhi_cases', …)` with the step (ids, status, level, paths — no personal data),
 *     and `pg_notify('gongzhi_inbox', {userId, id})` per new inbox row. NOTIFY is delivered at
 *     commit, so a rolled-back step announces nothing.
 * Read side — `LiveHub`: one per process, listening on those channels through the NOTIFY bus and
 * passing each event to the SSE clients allowed to read the case (`casePolicy.read`).
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { inboxWrites } from "../../platform/notify/inbox.js";
import type { LiveTopic } from "../../platform/notify/live.js";
import { areaNames } from "../areas/index.js";
import { organizationNames } from "../orgs/index.js";
import type { CaseEffect, EffectStatements } from "./effects.js";
import { areaPathAtLevel, levelLabels } from "./levels.js";
import type { CaseAction, CaseStatus } from "./machine.js";
import { casePolicy, type CaseRecord } from "./policy.js";
import { cases, caseSummons, type CaseLevel } from "./schema.js";

export const caseChannel = "gongzhi_cases";

/** What travels on `gongzhi_cases`: enough to decide who may see it, nothing personal. */
export interface CaseNotice {
  eventId: number;
  caseId: string;
  caseNo: string;
  action: CaseAction | "submit";
  status: CaseStatus;
  level: CaseLevel;
  areaPath: string;
  handlingOrgId: string | null;
  reporterUserId: string | null;
  /** Departments summoned by a whistle on the case (吹哨报到). */
  summonedOrgIds: string[];
  at: string;
}

/** What an SSE client receives for a case step. */
export interface CaseEventMessage {
  eventId: number;
  caseId: string;
  caseNo: string;
  action: string;
  status: string;
  level: string;
  at: string;
}

// ---------------------------------------------------------------------------------------------
// Messages to the reporter

interface Message {
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
}

interface MessageContext {
  caseNo: string;
  /** The area or department now handling the case. */
  handler: { zh: string; en: string } | null;
  reason: string | null;
  mergedInto: string | null;
  toLevel: { zh: string; en: string };
  handleDueAt: Date | null;
}

const chinaTime = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });
const chinaTimeEn = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });

/** A sentence ending in the reason, or nothing when there is none. */
function withReason(reason: string | null, zh: string, en: string): [string, string] {
  return reason ? [`${zh}${reason}`, `${en}${reason}`] : ["", ""];
}

/**
 * The reporter's notice for a step, or null for steps they need not hear about (internal
 * reminders, extension requests, department report-ins, their own rating).
 */
export function reporterMessage(action: CaseAction | "submit", c: MessageContext): Message | null {
  const no = c.caseNo;
  const handlerZh = c.handler?.zh ?? "相关部门";
  const handlerEn = c.handler?.en ?? "the responsible office";
  switch (action) {
    case "submit":
      return {
        title: "问题已提交",
        body: `您反映的问题已提交，编号 ${no}。我们会尽快受理，办理进展会在这里告诉您。`,
        titleEn: "Report submitted",
        bodyEn: `Your report was submitted as case ${no}. We will look at it soon and keep you posted here.`,
      };
    case "register":
      return {
        title: "已立案",
        body: `您反映的问题（编号 ${no}）已立案，正在安排处理。`,
        titleEn: "Case registered",
        bodyEn: `Your report ${no} has been registered and is being assigned.`,
      };
    case "reject": {
      const [zh, en] = withReason(c.reason, "原因：", "Reason: ");
      return {
        title: "未予受理",
        body: `很抱歉，您反映的问题（编号 ${no}）未予受理。${zh}`,
        titleEn: "Report not accepted",
        bodyEn: `Sorry, your report ${no} was not accepted. ${en}`.trim(),
      };
    }
    case "merge":
      return {
        title: "已合并办理",
        body: c.mergedInto
          ? `您反映的问题（编号 ${no}）与编号 ${c.mergedInto} 的同一问题合并办理，不再单独处理。`
          : `您反映的问题（编号 ${no}）与已反映的同一问题合并办理，不再单独处理。`,
        titleEn: "Merged with an earlier report",
        bodyEn: c.mergedInto
          ? `Your report ${no} is handled together with case ${c.mergedInto} about the same problem.`
          : `Your report ${no} is handled together with an earlier report of the same problem.`,
      };
    case "dispatch":
      return {
        title: "已派单",
        body: `您反映的问题（编号 ${no}）已派给${handlerZh}处理。`,
        titleEn: "Assigned",
        bodyEn: `Your report ${no} has been assigned to ${handlerEn}.`,
      };
    case "receive":
      return {
        title: "已签收",
        body: `${handlerZh}已签收您反映的问题（编号 ${no}），工作人员可能会与您联系了解情况。`,
        titleEn: "Taken on",
        bodyEn: `${handlerEn} has taken on your report ${no}; staff may contact you for details.`,
      };
    case "start":
      return {
        title: "正在处理",
        body: `您反映的问题（编号 ${no}）正在处理中。`,
        titleEn: "Being handled",
        bodyEn: `Your report ${no} is being handled.`,
      };
    case "feedback":
      return {
        title: "处理结果已反馈",
        body: `您反映的问题（编号 ${no}）处理结果已反馈，正在核查。`,
        titleEn: "Result reported",
        bodyEn: `The result for your report ${no} has been reported and is being checked.`,
      };
    case "verifyPass":
      return {
        title: "核查通过",
        body: `经现场核查，您反映的问题（编号 ${no}）已处理到位，即将办结。`,
        titleEn: "Result checked",
        bodyEn: `The result for your report ${no} was checked on site and the case will close soon.`,
      };
    case "verifyFail":
      return {
        title: "正在返工",
        body: `经核查，您反映的问题（编号 ${no}）还没有处理到位，已要求重新处理。`,
        titleEn: "Sent back for more work",
        bodyEn: `A check found your report ${no} not yet fully resolved; it has been sent back for more work.`,
      };
    case "close":
      return {
        title: "已办结，请您评价",
        body: `您反映的问题（编号 ${no}）已办结。请您对处理结果进行评价，您的意见对我们很重要。`,
        titleEn: "Closed — please rate",
        bodyEn: `Your report ${no} has been closed. Please tell us how satisfied you are with the result.`,
      };
    case "reopen":
      return {
        title: "已重新办理",
        body: `根据您的评价，您反映的问题（编号 ${no}）已重新派单办理。`,
        titleEn: "Reopened",
        bodyEn: `Following your rating, your report ${no} has been reopened and assigned again.`,
      };
    case "escalate":
      return {
        title: "已上报",
        body: `您反映的问题（编号 ${no}）已上报${c.toLevel.zh}处理。`,
        titleEn: "Escalated",
        bodyEn: `Your report ${no} has been escalated to the ${c.toLevel.en.toLowerCase()} level.`,
      };
    case "sendDown":
      return {
        title: "已转交",
        body: `您反映的问题（编号 ${no}）已交由${handlerZh}处理。`,
        titleEn: "Passed on",
        bodyEn: `Your report ${no} has been passed to ${handlerEn}.`,
      };
    case "park":
      return {
        title: "列入长期跟踪",
        body: `您反映的问题（编号 ${no}）需要较长时间才能解决，已列入长期跟踪办理，有进展会告诉您。`,
        titleEn: "Tracked long-term",
        bodyEn: `Your report ${no} needs a longer-term solution and is now tracked until it is resolved; we will tell you of progress.`,
      };
    case "unpark":
      return {
        title: "恢复办理",
        body: `您反映的问题（编号 ${no}）已恢复办理。`,
        titleEn: "Handling resumed",
        bodyEn: `Handling of your report ${no} has resumed.`,
      };
    case "cancel": {
      const [zh, en] = withReason(c.reason, "说明：", "Note: ");
      return {
        title: "已撤销",
        body: `您反映的问题（编号 ${no}）已撤销。${zh}`,
        titleEn: "Cancelled",
        bodyEn: `Your report ${no} has been cancelled. ${en}`.trim(),
      };
    }
    case "approveExtension":
      return {
        title: "办理期限已延长",
        body: c.handleDueAt
          ? `您反映的问题（编号 ${no}）情况较复杂，办理期限延长至${chinaTime.format(c.handleDueAt)}。`
          : `您反映的问题（编号 ${no}）情况较复杂，办理期限已适当延长。`,
        titleEn: "More time allowed",
        bodyEn: c.handleDueAt
          ? `Your report ${no} needs more work; the deadline is now ${chinaTimeEn.format(c.handleDueAt)} (China time).`
          : `Your report ${no} needs more work; the deadline has been extended.`,
      };
    case "whistle":
      return {
        title: "多部门协同处理",
        body: `您反映的问题（编号 ${no}）已召集相关职能部门共同处理。`,
        titleEn: "Departments called in",
        bodyEn: `The departments concerned have been called in to work together on your report ${no}.`,
      };
    case "rate":
    case "returnToDispatcher":
    case "requestExtension":
    case "declineExtension":
    case "reportIn":
    case "finishSummons":
    case "withdrawSummons":
    case "excuseSummons":
    case "recordSummonsOnBehalf":
    case "remind":
    case "regrid":
      return null;
  }
}

async function handlerName(tx: Db, c: CaseEffect["case"]): Promise<{ zh: string; en: string } | null> {
  if (c.level === "department" && c.handlingOrgId) {
    const name = (await organizationNames(tx, [c.handlingOrgId])).get(c.handlingOrgId);
    return name !== undefined ? { zh: name, en: name } : null;
  }
  if (c.handlingAreaId) {
    const name = (await areaNames(tx, [c.handlingAreaId])).get(c.handlingAreaId);
    return name !== undefined ? { zh: name, en: name } : null;
  }
  return null;
}

/** Departments summoned to the case: one query, only for whistled cases. */
async function summonedOrgIds(tx: Db, effect: CaseEffect): Promise<string[]> {
  const ids = new Set<string>();
  const fromData = effect.event.data.departments;
  if (Array.isArray(fromData)) {
    for (const d of fromData) {
      const id = (d as { id?: unknown }).id;
      if (typeof id === "string") ids.add(id);
    }
  }
  if (effect.case.whistled || effect.event.action === "whistle") {
    const rows = await tx.selectDistinct({ id: caseSummons.departmentOrgId }).from(caseSummons).where(eq(caseSummons.caseId, effect.case.id));
    for (const r of rows) ids.add(r.id);
  }
  return [...ids];
}

/**
 * Tells the reporter (inbox) and every listening server process (NOTIFY) of a step: the inbox row,
 * its NOTIFY and the case's NOTIFY (sent at commit, in this order), handed to effects.ts, which
 * writes them with the step's other effects in one statement.
 */
export async function caseAnnouncement(tx: Db, effect: CaseEffect): Promise<EffectStatements> {
  const { case: c, event } = effect;
  const action = event.action as CaseAction | "submit";

  let reporterParts: EffectStatements = { writes: [], selects: [] };
  if (c.reporterUserId && event.visibleToReporter) {
    const needsHandler = action === "dispatch" || action === "receive" || action === "sendDown";
    let mergedInto: string | null = null;
    if (action === "merge" && c.mergedIntoId) {
      const [m] = await tx.select({ caseNo: cases.caseNo }).from(cases).where(eq(cases.id, c.mergedIntoId));
      mergedInto = m?.caseNo ?? null;
    }
    const message = reporterMessage(action, {
      caseNo: c.caseNo,
      handler: needsHandler ? await handlerName(tx, c) : null,
      reason: action === "reject" ? (c.rejectReason ?? event.note) : action === "cancel" ? event.note : null,
      mergedInto,
      toLevel: levelLabels[c.level],
      handleDueAt: c.handleDueAt,
    });
    if (message) {
      reporterParts = inboxWrites("inbox", {
        userIds: [c.reporterUserId],
        kind: "case.progress",
        rowKind: `case.${action}`,
        caseId: c.id,
        text: { ...message, link: `/resident/cases/${c.id}` },
      });
    }
  }

  const notice: CaseNotice = {
    eventId: event.id,
    caseId: c.id,
    caseNo: c.caseNo,
    action,
    status: c.status as CaseStatus,
    level: c.level,
    areaPath: c.areaPath,
    handlingOrgId: c.handlingOrgId,
    reporterUserId: c.reporterUserId,
    summonedOrgIds: await summonedOrgIds(tx, effect),
    at: event.at.toISOString(),
  };
  const caseNotify = sql`pg_notify(${caseChannel}, ${JSON.stringify(notice)})`;
  // The inbox NOTIFYs go first, then the case's (sent at commit in this order).
  return { writes: reporterParts.writes, selects: [...reporterParts.selects, caseNotify] };
}

// ---------------------------------------------------------------------------------------------
// Live: the case topic of the hub (src/platform/notify/live.ts)

/** The case as the read policy sees it, from a notice (no database round trip per client). */
export function recordOfNotice(n: CaseNotice): CaseRecord {
  return {
    areaPath: n.areaPath,
    level: n.level,
    handlingAreaPath: areaPathAtLevel(n.areaPath, n.level),
    handlingOrgId: n.handlingOrgId,
    reporterUserId: n.reporterUserId,
    summonedOrgIds: n.summonedOrgIds,
    status: n.status,
  };
}

/** Case steps on the SSE stream (`case` events), to the clients `casePolicy.read` allows. */
export const caseLiveTopic: LiveTopic = {
  channel: caseChannel,
  event: "case",
  prepare(payload) {
    const n = JSON.parse(payload) as CaseNotice;
    const record = recordOfNotice(n);
    const message: CaseEventMessage = { eventId: n.eventId, caseId: n.caseId, caseNo: n.caseNo, action: n.action, status: n.status, level: n.level, at: n.at };
    return (actor) => (casePolicy.read(actor, record) ? { id: `c${n.eventId}`, data: message } : null);
  },
};
