/**
 * Public reads of the catalogue and of cases for open data (Open311 GeoReport v2, src/modules/open311):
 * no personal columns are selected — no reporter, contact or free text beyond what the public board
 * shows. Open311 reads cases only through these functions (docs/decisions/007-module-walls.md,
 * "Read models"); the case tables stay cases' own.
 */
import { sql, type SQL } from "drizzle-orm";
import { rows, sqlList, type Db } from "../../../platform/db/index.js";
import type { TimeLimitUnit } from "../../../platform/calendar/index.js";
import type { CategoryAttribute, CaseSource } from "../schema.js";

/** A sub-category (小类) of the active catalogue, as a public service. */
export interface PublicServiceRow {
  code: string;
  name: string;
  description: string | null;
  keywords: string[];
  attributes: CategoryAttribute[];
  group_name: string | null;
  response_limit_value: number | null;
  response_limit_unit: TimeLimitUnit | null;
  handle_limit_value: number | null;
  handle_limit_unit: TimeLimitUnit | null;
}

const serviceColumns = sql`c.code, c.name, c.description, c.keywords, c.attributes, p.name as group_name,
  c.response_limit_value, c.response_limit_unit, c.handle_limit_value, c.handle_limit_unit`;
const activeSubCategories = sql`case_categories c
  join case_catalogues k on k.id = c.catalogue_id and k.status = 'active'
  join case_categories p on p.id = c.parent_id and p.active
  where c.active`;

/** Sub-categories (小类) of the active catalogue version, in catalogue order. */
export function listPublicServices(db: Db): Promise<PublicServiceRow[]> {
  return rows<PublicServiceRow>(db, sql`select ${serviceColumns} from ${activeSubCategories} order by p.sort_order, p.code, c.sort_order, c.code`);
}

/** One active sub-category by code. */
export async function findPublicService(db: Db, code: string): Promise<PublicServiceRow | undefined> {
  const [row] = await rows<PublicServiceRow>(db, sql`select ${serviceColumns} from ${activeSubCategories} and c.code = ${code}`);
  return row;
}

/** When the active catalogue was published (else created); null without one. */
export async function activeCatalogueChangedAt(db: Db): Promise<Date | null> {
  const [row] = await rows<{ at: Date | string | null }>(db, sql`select coalesce(published_at, created_at) as at from case_catalogues where status = 'active'`);
  return row?.at ? new Date(row.at) : null;
}

/** One case as open data reads it (joined with its category and areas; no personal columns). */
export interface PublicCaseRow {
  id: string;
  case_no: string;
  source: CaseSource;
  status: string;
  category_code: string;
  category_name: string;
  response_limit_value: number | null;
  response_limit_unit: TimeLimitUnit | null;
  handle_limit_value: number | null;
  handle_limit_unit: TimeLimitUnit | null;
  reject_reason: string | null;
  merged_into_no: string | null;
  handling_org_name: string | null;
  handling_area_name: string | null;
  street_name: string | null;
  community_name: string | null;
  grid_name: string | null;
  lng: number;
  lat: number;
  submitted_at: Date | string;
  updated_at: Date | string;
  handle_due_at: Date | string | null;
}

const caseColumns = sql`c.id, c.case_no, c.source, c.status, c.category_code, cat.name as category_name,
  cat.response_limit_value, cat.response_limit_unit, cat.handle_limit_value, cat.handle_limit_unit,
  c.reject_reason, m.case_no as merged_into_no, o.name as handling_org_name, ha.name as handling_area_name,
  st.name as street_name, co.name as community_name, g.name as grid_name,
  c.lng, c.lat, c.submitted_at, c.updated_at, c.handle_due_at`;
const caseJoins = sql`cases c
  join case_categories cat on cat.id = c.category_id
  left join cases m on m.id = c.merged_into_id
  left join organizations o on o.id = c.handling_org_id
  left join areas ha on ha.id = c.handling_area_id
  left join areas st on st.id = c.street_id
  left join areas co on co.id = c.community_id
  left join areas g on g.id = c.grid_id`;

/** Which cases: every given condition holds (none given: all). */
export interface PublicCaseFilter {
  caseNos?: readonly string[];
  categoryCodes?: readonly string[];
  statuses?: readonly string[];
  /** Inclusive bounds on the submission time. */
  submittedFrom?: Date;
  submittedTo?: Date;
  /** Exclusive upper bound on the submission time (the end of a whole day: the next day's 00:00). */
  submittedBefore?: Date;
  /** Exclusive bounds on the last update. */
  updatedAfter?: Date;
  updatedBefore?: Date;
  limit?: number;
  offset?: number;
}

function inList(column: SQL, values: readonly string[]): SQL {
  return sql`${column} in (${sqlList(values)})`;
}

/** Cases as open data, newest first (then by case number, descending). */
export function listPublicCases(db: Db, f: PublicCaseFilter): Promise<PublicCaseRow[]> {
  const where: SQL[] = [];
  if (f.caseNos && f.caseNos.length > 0) where.push(inList(sql`c.case_no`, f.caseNos));
  if (f.categoryCodes && f.categoryCodes.length > 0) where.push(inList(sql`c.category_code`, f.categoryCodes));
  if (f.statuses && f.statuses.length > 0) where.push(inList(sql`c.status`, f.statuses));
  if (f.submittedFrom) where.push(sql`c.submitted_at >= ${f.submittedFrom.toISOString()}`);
  if (f.submittedTo) where.push(sql`c.submitted_at <= ${f.submittedTo.toISOString()}`);
  if (f.submittedBefore) where.push(sql`c.submitted_at < ${f.submittedBefore.toISOString()}`);
  if (f.updatedAfter) where.push(sql`c.updated_at > ${f.updatedAfter.toISOString()}`);
  if (f.updatedBefore) where.push(sql`c.updated_at < ${f.updatedBefore.toISOString()}`);
  const condition = where.length > 0 ? sql.join(where, sql` and `) : sql`true`;
  const page = f.limit !== undefined ? sql` limit ${f.limit} offset ${f.offset ?? 0}` : sql``;
  return rows<PublicCaseRow>(db, sql`select ${caseColumns} from ${caseJoins} where ${condition} order by c.submitted_at desc, c.case_no desc${page}`);
}

/** The steps of these cases that their reporters see, per case in order. */
export async function reporterVisibleSteps(db: Db, caseIds: readonly string[]): Promise<{ case_id: string; action: string; to_status: string; at: Date | string }[]> {
  if (caseIds.length === 0) return [];
  return rows(db, sql`select case_id, action, to_status, at from case_events where ${inList(sql`case_id`, caseIds)} and visible_to_reporter order by id`);
}

/** The number of the case an Open311 client submitted under this token (its external reference). */
export async function caseNoOfOpen311Token(db: Db, token: string): Promise<string | undefined> {
  const [row] = await rows<{ case_no: string }>(db, sql`select case_no from cases where source = 'open311' and external_ref = ${token}`);
  return row?.case_no;
}
