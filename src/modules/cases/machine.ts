/**
 * The case lifecycle as one explicit state machine (接诉即办的闭环). Every change of a case's
 * status or level is one of these actions; `core.ts` applies them, records a `case_events` row and
 * an audit entry, and runs the effects (timers, notices, webhooks). Nothing else writes `status`.
 *
 *   submitted 待受理 ─register→ registered 已立案 ─dispatch→ dispatched 已派遣 ─receive→ received 已签收
 *     │  └reject→ rejected 不予受理      │                          │  ↑                        │
 *     └merge→ merged 已合并 ←────────────┘             returnToDispatcher 退单 (→ registered)  start
 *                                                                                              ↓
 *   rated 已评价 ←rate─ closed 已结案 ←close─ verified 已核查 ←verifyPass─ feedback 已反馈 ←feedback─ inProgress 处置中
 *     └reopen (dissatisfied, once) → dispatched                 verifyFail 返工 → inProgress ─┘
 *
 * Side paths: escalate 上报 / sendDown 下派 (→ registered at another level), park 挂账 / unpark,
 * cancel 撤销, extension 延期 (request / approve / decline), whistle 吹哨, regrid 网格调整 (an open case
 * follows its point into a new grid) — the last ones keep the status.
 */

export const caseStatuses = [
  "submitted",
  "registered",
  "dispatched",
  "received",
  "inProgress",
  "feedback",
  "verified",
  "closed",
  "rated",
  "rejected",
  "merged",
  "parked",
  "cancelled",
] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const statusLabels: Record<CaseStatus, { zh: string; en: string }> = {
  submitted: { zh: "待受理", en: "Submitted" },
  registered: { zh: "已立案", en: "Registered" },
  dispatched: { zh: "已派遣", en: "Dispatched" },
  received: { zh: "已签收", en: "Received" },
  inProgress: { zh: "处置中", en: "In progress" },
  feedback: { zh: "待核查", en: "Awaiting verification" },
  verified: { zh: "已核查", en: "Verified" },
  closed: { zh: "已结案", en: "Closed" },
  rated: { zh: "已评价", en: "Rated" },
  rejected: { zh: "不予受理", en: "Rejected" },
  merged: { zh: "已合并", en: "Merged" },
  parked: { zh: "挂账", en: "Parked" },
  cancelled: { zh: "已撤销", en: "Cancelled" },
};

/** Statuses a case never leaves (except rated → reopen). */
export const finalStatuses: readonly CaseStatus[] = ["rated", "rejected", "merged", "cancelled"];
/** Open for Open311 and the public board: everything not closed, rated, rejected, merged or cancelled. */
export const openStatuses: readonly CaseStatus[] = ["submitted", "registered", "dispatched", "received", "inProgress", "feedback", "verified", "parked"];
/** The handling clock runs (dispatched until closed). */
export const handlingStatuses: readonly CaseStatus[] = ["dispatched", "received", "inProgress", "feedback", "verified"];

export const caseActions = [
  "register",
  "reject",
  "merge",
  "dispatch",
  "receive",
  "start",
  "returnToDispatcher",
  "feedback",
  "verifyPass",
  "verifyFail",
  "close",
  "rate",
  "reopen",
  "escalate",
  "sendDown",
  "park",
  "unpark",
  "cancel",
  "requestExtension",
  "approveExtension",
  "declineExtension",
  "whistle",
  "reportIn",
  "finishSummons",
  "withdrawSummons",
  "excuseSummons",
  "recordSummonsOnBehalf",
  "remind",
  "regrid",
] as const;
export type CaseAction = (typeof caseActions)[number];

interface Transition {
  from: readonly CaseStatus[];
  /** The new status; "same" keeps it; "previous" returns to the status before parking. */
  to: CaseStatus | "same" | "previous";
}

const active: readonly CaseStatus[] = ["registered", "dispatched", "received", "inProgress", "feedback", "verified"];

export const transitions: Record<CaseAction, Transition> = {
  register: { from: ["submitted"], to: "registered" },
  reject: { from: ["submitted"], to: "rejected" },
  merge: { from: ["submitted", "registered"], to: "merged" },
  dispatch: { from: ["registered"], to: "dispatched" },
  receive: { from: ["dispatched"], to: "received" },
  start: { from: ["received"], to: "inProgress" },
  returnToDispatcher: { from: ["dispatched", "received"], to: "registered" },
  feedback: { from: ["received", "inProgress"], to: "feedback" },
  verifyPass: { from: ["feedback"], to: "verified" },
  verifyFail: { from: ["feedback"], to: "inProgress" },
  close: { from: ["verified"], to: "closed" },
  rate: { from: ["closed"], to: "rated" },
  reopen: { from: ["rated"], to: "dispatched" },
  escalate: { from: ["submitted", "registered", "dispatched", "received", "inProgress"], to: "registered" },
  sendDown: { from: ["registered"], to: "registered" },
  park: { from: ["registered", "dispatched", "received", "inProgress"], to: "parked" },
  unpark: { from: ["parked"], to: "previous" },
  cancel: { from: ["submitted", "registered", "dispatched", "received", "inProgress", "parked"], to: "cancelled" },
  requestExtension: { from: ["dispatched", "received", "inProgress"], to: "same" },
  approveExtension: { from: ["dispatched", "received", "inProgress", "feedback"], to: "same" },
  declineExtension: { from: ["dispatched", "received", "inProgress", "feedback"], to: "same" },
  whistle: { from: active, to: "same" },
  reportIn: { from: [...active, "closed"], to: "same" },
  finishSummons: { from: active, to: "same" },
  withdrawSummons: { from: active, to: "same" },
  excuseSummons: { from: active, to: "same" },
  recordSummonsOnBehalf: { from: active, to: "same" },
  remind: { from: [...active, "submitted"], to: "same" },
  regrid: { from: openStatuses, to: "same" },
};

export const actionLabels: Record<CaseAction, { zh: string; en: string }> = {
  register: { zh: "立案", en: "Registered" },
  reject: { zh: "不予受理", en: "Rejected" },
  merge: { zh: "合并", en: "Merged" },
  dispatch: { zh: "派遣", en: "Dispatched" },
  receive: { zh: "签收", en: "Received" },
  start: { zh: "开始处置", en: "Handling started" },
  returnToDispatcher: { zh: "退单", en: "Returned to dispatcher" },
  feedback: { zh: "处置反馈", en: "Result reported" },
  verifyPass: { zh: "核查通过", en: "Verified" },
  verifyFail: { zh: "核查不通过，返工", en: "Sent back for rework" },
  close: { zh: "结案", en: "Closed" },
  rate: { zh: "回访评价", en: "Rated" },
  reopen: { zh: "重新办理", en: "Reopened" },
  escalate: { zh: "上报", en: "Escalated" },
  sendDown: { zh: "下派", en: "Sent down" },
  park: { zh: "挂账", en: "Parked" },
  unpark: { zh: "恢复办理", en: "Unparked" },
  cancel: { zh: "撤销", en: "Cancelled" },
  requestExtension: { zh: "申请延期", en: "Extension requested" },
  approveExtension: { zh: "同意延期", en: "Extension approved" },
  declineExtension: { zh: "不同意延期", en: "Extension declined" },
  whistle: { zh: "吹哨", en: "Whistle blown" },
  reportIn: { zh: "部门报到", en: "Department reported in" },
  finishSummons: { zh: "部门办结", en: "Department finished" },
  withdrawSummons: { zh: "撤回召集", en: "Summons withdrawn" },
  excuseSummons: { zh: "免予报到", en: "Department excused" },
  recordSummonsOnBehalf: { zh: "代部门登记办结", en: "Department's part recorded on its behalf" },
  remind: { zh: "临期提醒", en: "Deadline warning" },
  regrid: { zh: "网格调整", en: "Moved to a new grid" },
};

/** The status after `action` from `from`, or null when the action is not allowed there. */
export function nextStatus(from: CaseStatus, action: CaseAction, previous?: CaseStatus | null): CaseStatus | null {
  const t = transitions[action];
  if (!t.from.includes(from)) return null;
  if (t.to === "same") return from;
  if (t.to === "previous") return previous ?? null;
  return t.to;
}

/** Actions allowed from a status (before permissions and guards). */
export function actionsFrom(status: CaseStatus): CaseAction[] {
  return caseActions.filter((a) => transitions[a].from.includes(status));
}

export const levelOrder = ["grid", "community", "street", "district", "department"] as const;
