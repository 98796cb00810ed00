/**
 * Bulk writes and reads of areas for the tools (src/tools: the demo street, ledger
 * imports and exports). Rows come already validated; each write runs in the caller's transaction.
 */
import { and, eq, sql } from "drizzle-orm";
import { areaIdsUnder, deleteCounted, insertChunked, rows, type BulkInsertOptions, type Db } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";
import { inForceOn, today } from "./history.js";
import { areas, type AreaLevel, gridStaff } from "./schema.js";

export type NewArea = typeof areas.$inferInsert;
export type NewGridStaff = typeof gridStaff.$inferInsert;

export const insertAreas = (tx: Db, values: readonly NewArea[], opts?: BulkInsertOptions) => insertChunked(tx, areas, values, opts);
export const insertGridStaff = (tx: Db, values: readonly NewGridStaff[], opts?: BulkInsertOptions) => insertChunked(tx, gridStaff, values, opts);

/**
 * Gives every grid with a boundary and no boundary history its first version, as drawn on its
 * valid-from day (or `since`), so grids loaded in bulk resolve on past days too.
 */
export async function recordFirstBoundaryVersions(tx: Db, since: string): Promise<void> {
  await tx.execute(sql`insert into area_boundary_versions (area_id, boundary, min_lng, min_lat, max_lng, max_lat, valid_from, reason)
    select id, boundary, min_lng, min_lat, max_lng, max_lat, coalesce(valid_from, ${since}::date), 'drawn' from areas a
    where a.level = 'grid' and a.boundary is not null and a.min_lng is not null
      and not exists (select 1 from area_boundary_versions v where v.area_id = a.id)`);
}

/** One area's id, path, level and name (undefined when there is none). */
export async function areaSummary(db: Db, areaId: string): Promise<{ id: string; path: string; level: string; name: string } | undefined> {
  const [row] = await rows<{ id: string; path: string; level: string; name: string }>(db, sql`select id, path, level, name from areas where id = ${areaId}`);
  return row;
}

/** Every grid in force today (a grid retired by a split, merge or import is not). */
export function gridsInForce(db: Db): Promise<{ id: string; name: string; parent_id: string; path: string }[]> {
  return rows(db, sql`select a.id, a.name, a.parent_id, a.path from areas a where a.level = 'grid' and ${inForceOn("a", today())}`);
}

/** Every community's id and name. */
export function communityNames(db: Db): Promise<{ id: string; name: string }[]> {
  return rows(db, sql`select id, name from areas where level = 'community'`);
}







/** The area with this division code at this level (the first one, when several). */
export async function findAreaByCode(db: Db, code: string, level: AreaLevel): Promise<{ id: string; path: string } | undefined> {
  const [area] = await db
    .select({ id: areas.id, path: areas.path })
    .from(areas)
    .where(and(eq(areas.code, code), eq(areas.level, level)));
  return area;
}


/** Deletes the areas under a path (the area itself included) with their grid staff, boundary history and lineage. */
export async function deleteAreasUnder(tx: Db, areaPath: string): Promise<Record<string, number>> {
  const areaIds = areaIdsUnder(areaPath);
  const out: Record<string, number> = {};
  out.gridStaff = await deleteCounted(tx, sql`delete from grid_staff where grid_id in ${areaIds}`);
  out.boundaryVersions = await deleteCounted(tx, sql`delete from area_boundary_versions where area_id in ${areaIds}`);
  out.lineage = await deleteCounted(tx, sql`delete from area_lineage where from_area_id in ${areaIds} or to_area_id in ${areaIds}`);
  out.areas = await deleteCounted(tx, sql`delete from areas where path like ${`${escapeLike(areaPath)}%`}`);
  return out;
}
