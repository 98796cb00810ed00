/**
 * 公开栏: each community's public, anonymised board of cases, and the reporter's receipt.
 *
 * The board shows what was reported and how it went — never who or exactly where:
 * - the category and a system phrase ("居民反映的「暴露垃圾」问题"), never the description,
 *   which may hold names, phone numbers or door numbers;
 * - the grid name as the only location (no point, no building, no location text);
 * - days, not times (submitted and closed on), the on-time flag, and the status label.
 * Merged and cancelled cases are left out (a merged case lives on in the case it joined).
 * Summary of the current China calendar month: reported = cases submitted this month; closed =
 * cases closed this month; on-time rate = closed on time ÷ closed this month (none when 0).
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../../platform/db/index.js";
import { AppError } from "../../../platform/errors.js";
import type { Actor } from "../../../platform/auth/actor.js";
import { authorize } from "../../../platform/policy/index.js";
import {
  AuditEntryNotFoundError,
  AuditEntryNotSealedError,
  AuditLogInconsistentError,
  inclusionProof,
  sealedSeqOf,
  type AuditReceipt,
} from "../../../platform/audit/index.js";
import { casePolicy, loadCaseRecord } from "../policy.js";
import { actionLabels, type CaseAction } from "../machine.js";
import { chinaDateOf } from "../../../platform/calendar/index.js";
import { openStatuses, statusLabels, type CaseStatus } from "../machine.js";
import type { CaseSource } from "../schema.js";

export const sourcePhrases: Record<CaseSource, { zh: string; en: string }> = {
  resident: { zh: "居民反映", en: "Reported by a resident" },
  patrol: { zh: "网格员巡查发现", en: "Found on a grid worker's patrol" },
  onBehalf: { zh: "网格员代居民反映", en: "Reported for a resident by a grid worker" },
  hotline: { zh: "12345 热线转来", en: "Transferred from the 12345 hotline" },
  open311: { zh: "外部系统报送", en: "Sent by a partner system" },
  deliberation: { zh: "议事协商转来", en: "Raised in a residents' deliberation" },
  emergency: { zh: "应急事件", en: "Emergency" },
};

/** The public one-line summary of a case: source and category, nothing the reporter wrote. */
export function publicSummary(source: CaseSource, categoryName: string, categoryNameEn?: string | null): { zh: string; en: string } {
  const p = sourcePhrases[source] ?? { zh: "群众反映", en: "Reported" };
  return { zh: `${p.zh}的「${categoryName}」问题`, en: `${p.en}: ${categoryNameEn ?? categoryName}` };
}

/** Closed for the board and Open311: finished one way or another (merged and cancelled are not listed). */
const boardClosed: readonly CaseStatus[] = ["closed", "rated", "rejected"];
const boardHidden: readonly CaseStatus[] = ["merged", "cancelled"];
export const boardPageSize = 20;

export interface PublicCommunity {
  id: string;
  name: string;
  streetName: string | null;
  districtName: string | null;
}

/** Every community (current ones), for the board's picker. Names of areas are public. */
export async function listPublicCommunities(db: Db, now = new Date()): Promise<PublicCommunity[]> {
  const today = chinaDateOf(now);
  const found = await rows<{ id: string; name: string; street_name: string | null; district_name: string | null }>(
    db,
    sql`select c.id, c.name, s.name as street_name, d.name as district_name
        from areas c left join areas s on s.id = c.parent_id left join areas d on d.id = s.parent_id
        where c.level = 'community' and (c.valid_to is null or c.valid_to >= ${today})
        order by d.name nulls last, s.sort_order, s.name, c.sort_order, c.name`,
  );
  return found.map((r) => ({ id: r.id, name: r.name, streetName: r.street_name, districtName: r.district_name }));
}

export interface BoardItem {
  caseNo: string;
  categoryCode: string;
  categoryName: string;
  summary: { zh: string; en: string };
  status: string;
  statusLabel: { zh: string; en: string };
  open: boolean;
  gridName: string;
  /** China calendar days. */
  submittedOn: string;
  closedOn: string | null;
  /** Closed within the handling limit; null while open or for rejected cases. */
  onTime: boolean | null;
  /** Open and past its handling deadline. */
  overdue: boolean;
}

export interface Board {
  community: PublicCommunity;
  month: string;
  summary: { reported: number; closed: number; closedOnTime: number; onTimeRate: number | null };
  items: BoardItem[];
  total: number;
  page: number;
  pageSize: number;
}

/** The instant a China calendar month starts ("2026-03" → 2026-02-28T16:00Z). */
function chinaMonthStart(year: number, month: number): Date {
  return new Date(Date.UTC(year, month - 1, 1) - 8 * 3600 * 1000);
}

export async function communityBoard(db: Db, communityId: string, opts: { status?: "open" | "closed"; page?: number } = {}, now = new Date()): Promise<Board> {
  const [community] = await listCommunity(db, communityId);
  if (!community) throw new AppError("not_found");
  const [y, m] = chinaDateOf(now).split("-").map(Number) as [number, number];
  const from = chinaMonthStart(y, m);
  const to = chinaMonthStart(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1);
  const [counts] = await rows<{ reported: number | string; closed: number | string; on_time: number | string }>(
    db,
    sql`select
          count(*) filter (where submitted_at >= ${from.toISOString()} and submitted_at < ${to.toISOString()}) as reported,
          count(*) filter (where closed_at >= ${from.toISOString()} and closed_at < ${to.toISOString()}) as closed,
          count(*) filter (where closed_at >= ${from.toISOString()} and closed_at < ${to.toISOString()} and closed_on_time) as on_time
        from cases where community_id = ${communityId}`,
  );
  const reported = Number(counts?.reported ?? 0);
  const closed = Number(counts?.closed ?? 0);
  const closedOnTime = Number(counts?.on_time ?? 0);

  const wanted = opts.status === "open" ? openStatuses : opts.status === "closed" ? boardClosed : null;
  const statusCondition = wanted
    ? sql`c.status in (${sql.join(
        wanted.map((s) => sql`${s}`),
        sql`, `,
      )})`
    : sql`c.status not in (${sql.join(
        boardHidden.map((s) => sql`${s}`),
        sql`, `,
      )})`;
  const page = Math.max(1, opts.page ?? 1);
  const [total] = await rows<{ n: number | string }>(db, sql`select count(*) as n from cases c where c.community_id = ${communityId} and ${statusCondition}`);
  const found = await rows<{
    case_no: string;
    source: CaseSource;
    category_code: string;
    category_name: string;
    category_name_en: string | null;
    status: string;
    grid_name: string | null;
    submitted_at: Date | string;
    closed_at: Date | string | null;
    closed_on_time: boolean | null;
    handle_due_at: Date | string | null;
  }>(
    db,
    sql`select c.case_no, c.source, c.category_code, cat.name as category_name, cat.name_en as category_name_en, c.status,
               g.name as grid_name, c.submitted_at, c.closed_at, c.closed_on_time, c.handle_due_at
        from cases c join case_categories cat on cat.id = c.category_id left join areas g on g.id = c.grid_id
        where c.community_id = ${communityId} and ${statusCondition}
        order by c.submitted_at desc, c.case_no desc
        limit ${boardPageSize} offset ${(page - 1) * boardPageSize}`,
  );
  return {
    community,
    month: `${y}-${String(m).padStart(2, "0")}`,
    summary: { reported, closed, closedOnTime, onTimeRate: closed > 0 ? Math.round((closedOnTime / closed) * 1000) / 1000 : null },
    items: found.map((r) => {
      const status = r.status as CaseStatus;
      const open = openStatuses.includes(status);
      const closedAt = r.closed_at ? new Date(r.closed_at) : null;
      return {
        caseNo: r.case_no,
        categoryCode: r.category_code,
        categoryName: r.category_name,
        summary: publicSummary(r.source, r.category_name, r.category_name_en),
        status,
        statusLabel: statusLabels[status] ?? { zh: status, en: status },
        open,
        gridName: r.grid_name ?? "",
        submittedOn: chinaDateOf(new Date(r.submitted_at)),
        closedOn: closedAt ? chinaDateOf(closedAt) : null,
        onTime: open || status === "rejected" ? null : (r.closed_on_time ?? null),
        overdue: open && r.handle_due_at !== null && new Date(r.handle_due_at) < now,
      };
    }),
    total: Number(total?.n ?? 0),
    page,
    pageSize: boardPageSize,
  };
}

async function listCommunity(db: Db, id: string): Promise<PublicCommunity[]> {
  const found = await rows<{ id: string; name: string; street_name: string | null; district_name: string | null }>(
    db,
    sql`select c.id, c.name, s.name as street_name, d.name as district_name
        from areas c left join areas s on s.id = c.parent_id left join areas d on d.id = s.parent_id
        where c.id = ${id} and c.level = 'community'`,
  );
  return found.map((r) => ({ id: r.id, name: r.name, streetName: r.street_name, districtName: r.district_name }));
}

export interface CaseReceipt {
  caseId: string;
  caseNo: string;
  /** The audit entry of the submission: what the reporter keeps. */
  receipt: AuditReceipt;
  /**
   * The steps the reporter sees, each with the audit entry that records it and, once sealed, its
   * seq (its own receipt: GET /api/audit/receipts/:seq).
   */
  steps: { action: string; label: { zh: string; en: string }; status: string; at: string; auditEntryId: number | null; auditSeq: number | null }[];
}

/**
 * 回执: the inclusion proof of the case's submission entry in the sealed audit log, for those who
 * may read the case (the reporter, its handlers). `audit_not_sealed` (409) for the second or so
 * until the sealer has run.
 */
export async function caseReceipt(db: Db, actor: Actor, caseId: string): Promise<CaseReceipt> {
  const [row] = await rows<{ id: string; case_no: string; area_path: string; level: string; handling_org_id: string | null; reporter_user_id: string | null; status: string; receipt_entry_id: number | string | null }>(
    db,
    sql`select id, case_no, area_path, level, handling_org_id, reporter_user_id, status, receipt_entry_id from cases where id = ${caseId}`,
  );
  const record = row
    ? await loadCaseRecord(db, {
        id: row.id,
        areaPath: row.area_path,
        level: row.level as Parameters<typeof loadCaseRecord>[1]["level"],
        handlingOrgId: row.handling_org_id,
        reporterUserId: row.reporter_user_id,
        status: row.status,
      })
    : undefined;
  authorize(actor, "read", record, casePolicy);
  if (!row || row.receipt_entry_id === null) throw new AppError("not_found");
  let receipt: AuditReceipt;
  try {
    // Found by id (the case got it before sealing), proven by seq; the leaf covers both, and the
    // entry must be this case's submission, or the receipt would vouch for something else.
    receipt = await inclusionProof(db, await sealedSeqOf(db, Number(row.receipt_entry_id)));
  } catch (e) {
    if (e instanceof AuditEntryNotFoundError) throw new AppError("not_found");
    if (e instanceof AuditEntryNotSealedError) throw new AppError("audit_not_sealed");
    // A log that fails its own checks is a finding for the administrator, not a server fault.
    if (e instanceof AuditLogInconsistentError) throw new AppError("audit_log_inconsistent");
    throw e;
  }
  const { entry } = receipt;
  if (entry.id !== Number(row.receipt_entry_id) || entry.entityType !== "case" || entry.entityId !== row.id || entry.action !== "case.submit") {
    throw new AppError("audit_log_inconsistent");
  }
  const events = await rows<{ action: string; to_status: string; at: Date | string; audit_entry_id: number | string | null; audit_seq: number | string | null }>(
    db,
    sql`select ev.action, ev.to_status, ev.at, ev.audit_entry_id, a.seq as audit_seq
        from case_events ev left join audit_entries a on a.id = ev.audit_entry_id
        where ev.case_id = ${caseId} and ev.visible_to_reporter order by ev.id`,
  );
  return {
    caseId: row.id,
    caseNo: row.case_no,
    receipt,
    steps: events.map((e) => ({
      action: e.action,
      label: e.action === "submit" ? { zh: "提交", en: "Submitted" } : (actionLabels[e.action as CaseAction] ?? { zh: e.action, en: e.action }),
      status: e.to_status,
      at: new Date(e.at).toISOString(),
      auditEntryId: e.audit_entry_id === null ? null : Number(e.audit_entry_id),
      auditSeq: e.audit_seq === null ? null : Number(e.audit_seq),
    })),
  };
}
