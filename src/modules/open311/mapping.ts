/**
 * How Gongzhi maps onto Open311 GeoReport v2: sub-categories of the active catalogue are
 * services, cases are service requests, our statuses fold into open/closed. Pure functions from
 * rows to the spec's plain objects; JSON and XML are written from the same objects.
 *
 * Privacy (no personal data ever leaves through Open311, which is public for reads):
 * - `description` is a system phrase (category and source), never the reporter's words, which
 *   may hold names, phone numbers and door numbers;
 * - `address` names the street, community and grid only — never the reporter's location text
 *   or a building;
 * - `lat`/`long` are rounded to 3 decimals (about 100 m), coarse enough not to point at a door;
 * - no contact, reporter or handler names; `media_url` stays null (photos are not public).
 */
import { statusLabels, openStatuses, actionLabels, type CaseAction, type CaseStatus } from "../cases/index.js";
import type { CategoryAttribute, PublicCaseRow, PublicServiceRow } from "../cases/index.js";
import type { TimeLimitUnit } from "../../platform/calendar/index.js";
import { publicSummary } from "../cases/index.js";
import { isoChina, parseIsoInstant } from "../../platform/calendar/instant.js";

export { isoChina, parseIsoInstant };

export const specificationUrl = "http://wiki.open311.org/GeoReport_v2";
export const formats = ["text/xml", "application/json"] as const;
export type Format = "json" | "xml";

/** Closed for Open311: everything that is not in `openStatuses`. */
export const closedStatuses: readonly CaseStatus[] = ["closed", "rated", "rejected", "merged", "cancelled"];

export function open311Status(status: string): "open" | "closed" {
  return (openStatuses as readonly string[]).includes(status) ? "open" : "closed";
}

/** Coordinates rounded to 3 decimals (≈ 100 m): where, without pointing at a door. */
export function coarse(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// ---- services ----

/** A service as cases' open data reads it. */
export type ServiceRow = PublicServiceRow;

export interface Open311Service {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: "realtime";
  keywords: string;
  group: string;
}

export function toService(row: ServiceRow): Open311Service {
  return {
    service_code: row.code,
    service_name: row.name,
    description: row.description ?? "",
    metadata: variableAttributes(row.attributes).length > 0,
    type: "realtime",
    keywords: row.keywords.join(","),
    group: row.group_name ?? "",
  };
}

export interface Open311Attribute {
  variable: boolean;
  code: string;
  datatype: CategoryAttribute["datatype"];
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values: { key: string; name: string }[];
}

function variableAttributes(list: CategoryAttribute[]): CategoryAttribute[] {
  return Array.isArray(list) ? list : [];
}

export function toServiceDefinition(row: ServiceRow): { service_code: string; attributes: Open311Attribute[] } {
  return {
    service_code: row.code,
    attributes: [...variableAttributes(row.attributes)]
      .sort((a, b) => a.order - b.order)
      .map((a) => ({
        variable: a.variable,
        code: a.code,
        datatype: a.datatype,
        required: a.required,
        datatype_description: a.datatypeDescription ?? "",
        order: a.order,
        description: a.description,
        values: a.values ?? [],
      })),
  };
}

const unitText: Record<TimeLimitUnit, (n: number) => string> = {
  workingHours: (n) => `${n} 个工作小时`,
  workingDays: (n) => `${n} 个工作日`,
  naturalHours: (n) => `${n} 小时`,
};

/** 服务承诺: "1 个工作小时内响应，4 个工作小时内办结" from the category's limits. */
export function serviceNotice(row: Pick<ServiceRow, "response_limit_value" | "response_limit_unit" | "handle_limit_value" | "handle_limit_unit">): string {
  const parts: string[] = [];
  if (row.response_limit_value != null && row.response_limit_unit) parts.push(`${unitText[row.response_limit_unit](row.response_limit_value)}内响应`);
  if (row.handle_limit_value != null && row.handle_limit_unit) parts.push(`${unitText[row.handle_limit_unit](row.handle_limit_value)}内办结`);
  return parts.length > 0 ? `${parts.join("，")}（工作时间按法定节假日和调休计算）` : "按规定时限办理";
}

// ---- requests ----


/** One case as cases' open data reads it (joined with its category and areas; no personal columns). */
export type RequestRow = PublicCaseRow;

export interface TimelineStep {
  action: string;
  action_label: string;
  status: string;
  status_label: string;
  at: string;
}

export interface Open311Request {
  service_request_id: string;
  status: "open" | "closed";
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string;
  address_id: null;
  zipcode: null;
  lat: number;
  long: number;
  media_url: null;
  extended_attributes?: { status_code: string; status_label: string; timeline: TimelineStep[] };
}

/** The public note of where the case stands (never a handler's free-text note, which may name people). */
export function statusNotes(row: Pick<RequestRow, "status" | "reject_reason" | "merged_into_no">): string {
  const status = row.status as CaseStatus;
  switch (status) {
    case "rejected":
      return row.reject_reason ? `不予受理：${row.reject_reason}` : "不予受理";
    case "merged":
      return row.merged_into_no ? `已与同类问题 ${row.merged_into_no} 合并办理` : "已与同类问题合并办理";
    case "closed":
    case "rated":
      return "已办结";
    case "cancelled":
      return "已撤销";
    case "submitted":
    case "registered":
    case "dispatched":
    case "received":
    case "inProgress":
    case "feedback":
    case "verified":
    case "parked":
      return statusLabels[status].zh;
    default:
      return status;
  }
}

export function toRequest(row: RequestRow, timeline?: TimelineStep[]): Open311Request {
  const out: Open311Request = {
    service_request_id: row.case_no,
    status: open311Status(row.status),
    status_notes: statusNotes(row),
    service_name: row.category_name,
    service_code: row.category_code,
    description: publicSummary(row.source, row.category_name).zh,
    agency_responsible: row.handling_org_name ?? row.handling_area_name ?? row.street_name ?? "",
    service_notice: serviceNotice(row),
    requested_datetime: isoChina(row.submitted_at)!,
    updated_datetime: isoChina(row.updated_at)!,
    expected_datetime: isoChina(row.handle_due_at),
    address: [row.street_name, row.community_name, row.grid_name].filter((p): p is string => !!p).join(" "),
    address_id: null,
    zipcode: null,
    lat: coarse(row.lat),
    long: coarse(row.lng),
    media_url: null,
  };
  if (timeline) {
    const status = row.status as CaseStatus;
    out.extended_attributes = { status_code: row.status, status_label: statusLabels[status]?.zh ?? row.status, timeline };
  }
  return out;
}

export function toTimelineStep(e: { action: string; to_status: string; at: Date | string }): TimelineStep {
  const action = e.action as CaseAction | "submit";
  const status = e.to_status as CaseStatus;
  return {
    action: e.action,
    action_label: action === "submit" ? "提交" : (actionLabels[action]?.zh ?? e.action),
    status: e.to_status,
    status_label: statusLabels[status]?.zh ?? e.to_status,
    at: isoChina(e.at)!,
  };
}
