/**
 * Bulk writes and reads of cases for the tools (the demo street's case history). A replayed
 * history's steps lie in the past, so they are written as rows with their times rather than
 * through the services (which stamp now); the caller computes them with this module's own rules
 * (state machine, calendar, routing: see index.ts) and runs everything in one transaction.
 */
import { sql } from "drizzle-orm";
import { deleteCounted, insertChunked, rows, type Db } from "../../platform/db/index.js";
import type { TimeLimitUnit } from "../../platform/calendar/index.js";
import { escapeLike } from "../../platform/policy/index.js";
import { caseEvents, caseExtensions, caseSummons, caseTimers, caseWhistles, cases, type CaseLevel } from "./schema.js";
import { indexPendingCaseWords } from "./search.js";
import { deleteInboxRowsOfCases, insertInboxRows, type NewInboxRow } from "../../platform/notify/inbox.js";

export type NewCase = typeof cases.$inferInsert;
export type NewCaseEvent = typeof caseEvents.$inferInsert;
export type NewCaseTimer = typeof caseTimers.$inferInsert;
export type NewCaseWhistle = typeof caseWhistles.$inferInsert;
export type NewCaseSummons = typeof caseSummons.$inferInsert;
export type CaseSummonsRow = typeof caseSummons.$inferSelect;
export type NewCaseExtension = typeof caseExtensions.$inferInsert;
export type NewNotification = NewInboxRow;

/** The rows of a replayed case history; every list's rows carry the same keys. */
export interface CaseHistoryRows {
  cases: readonly NewCase[];
  events: readonly NewCaseEvent[];
  timers: readonly NewCaseTimer[];
  whistles: readonly NewCaseWhistle[];
  summons: readonly NewCaseSummons[];
  extensions: readonly NewCaseExtension[];
  notifications: readonly NewNotification[];
}

/** Writes a replayed case history (ids of events reserved with `reserveCaseEventIds`). */
export async function insertCaseHistory(tx: Db, h: CaseHistoryRows): Promise<void> {
  const opts = { asJson: true };
  await insertChunked(tx, cases, h.cases, opts);
  // The search box's words of the replayed descriptions.
  await indexPendingCaseWords(tx);
  await insertChunked(tx, caseEvents, h.events, opts);
  await insertChunked(tx, caseTimers, h.timers, opts);
  await insertChunked(tx, caseWhistles, h.whistles, opts);
  await insertChunked(tx, caseSummons, h.summons, opts);
  await insertChunked(tx, caseExtensions, h.extensions, opts);
  // The inbox rows belong to platform/notify: written through its function.
  await insertInboxRows(tx, h.notifications);
}

/** `n` case event ids, ascending. */
export async function reserveCaseEventIds(tx: Db, n: number): Promise<number[]> {
  if (n === 0) return [];
  const r = await rows<{ id: string | number }>(tx, sql`select nextval(pg_get_serial_sequence('case_events', 'id')) as id from generate_series(1, ${n}::int)`);
  return r.map((x) => Number(x.id)).sort((a, b) => a - b);
}

/** The last case number used with each of these prefixes ("GZ" + China date), where one is. */
export async function lastCaseNumbers(db: Db, prefixes: readonly string[]): Promise<{ prefix: string; last: string }[]> {
  if (prefixes.length === 0) return [];
  return rows(
    db,
    sql`select left(case_no, 10) as prefix, max(case_no) as last from cases where left(case_no, 10) in (${sql.join(
      prefixes.map((p) => sql`${p}`),
      sql`, `,
    )}) group by 1`,
  );
}

/** A sub-category of the catalogue in use, with its limits and routing. */
export interface ActiveSubcategory {
  id: string;
  code: string;
  name: string;
  responseLimitValue: number | null;
  responseLimitUnit: TimeLimitUnit | null;
  handleLimitValue: number | null;
  handleLimitUnit: TimeLimitUnit | null;
  firstLevel: CaseLevel | null;
  responsibility: "owner" | "territory" | null;
  departmentOrgId: string | null;
}

/** The active sub-categories of the active catalogue, by code. */
export function activeSubcategories(db: Db): Promise<ActiveSubcategory[]> {
  return rows<ActiveSubcategory>(
    db,
    sql`select c.id, c.code, c.name, c.response_limit_value as "responseLimitValue", c.response_limit_unit as "responseLimitUnit",
          c.handle_limit_value as "handleLimitValue", c.handle_limit_unit as "handleLimitUnit", c.first_level as "firstLevel",
          c.responsibility, c.department_org_id as "departmentOrgId"
        from case_categories c join case_catalogues k on k.id = c.catalogue_id
        where k.status = 'active' and c.parent_id is not null and c.active
        order by c.code`,
  );
}

/** Deletes the cases located under an area path and what hangs on them; answers how many of each. */
export async function deleteCasesUnder(tx: Db, areaPath: string): Promise<Record<string, number>> {
  const pattern = `${escapeLike(areaPath)}%`;
  const ids = sql`(select id from cases where area_path like ${pattern})`;
  const out: Record<string, number> = {};
  out.caseEvents = await deleteCounted(tx, sql`delete from case_events where case_id in ${ids}`);
  out.caseTimers = await deleteCounted(tx, sql`delete from case_timers where case_id in ${ids}`);
  out.caseSummons = await deleteCounted(tx, sql`delete from case_summons where case_id in ${ids}`);
  out.caseWhistles = await deleteCounted(tx, sql`delete from case_whistles where case_id in ${ids}`);
  out.caseExtensions = await deleteCounted(tx, sql`delete from case_extensions where case_id in ${ids}`);
  out.casePhotos = await deleteCounted(tx, sql`delete from case_photos where case_id in ${ids}`);
  out.notifications = await deleteInboxRowsOfCases(tx, ids);
  out.cases = await deleteCounted(tx, sql`delete from cases where area_path like ${pattern}`);
  return out;
}

