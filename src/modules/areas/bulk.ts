/**
 * Bulk writes and reads of areas and places for the tools (src/tools: the demo street, ledger
 * imports and exports). Rows come already validated; each write runs in the caller's transaction.
 */
import { and, eq, sql } from "drizzle-orm";
import { areaIdsUnder, deleteCounted, insertChunked, rows, type BulkInsertOptions, type Db } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";
import { inForceOn, today } from "./history.js";
import { areas, type AreaLevel, buildingUnits, buildings, compounds, dwellings, gridStaff } from "./schema.js";

export type NewArea = typeof areas.$inferInsert;
export type NewCompound = typeof compounds.$inferInsert;
export type NewBuilding = typeof buildings.$inferInsert;
export type NewBuildingUnit = typeof buildingUnits.$inferInsert;
export type NewDwelling = typeof dwellings.$inferInsert;
export type NewGridStaff = typeof gridStaff.$inferInsert;

export const insertAreas = (tx: Db, values: readonly NewArea[], opts?: BulkInsertOptions) => insertChunked(tx, areas, values, opts);
export const insertCompounds = (tx: Db, values: readonly NewCompound[], opts?: BulkInsertOptions) => insertChunked(tx, compounds, values, opts);
export const insertBuildings = (tx: Db, values: readonly NewBuilding[], opts?: BulkInsertOptions) => insertChunked(tx, buildings, values, opts);
export const insertBuildingUnits = (tx: Db, values: readonly NewBuildingUnit[], opts?: BulkInsertOptions) => insertChunked(tx, buildingUnits, values, opts);
export const insertDwellings = (tx: Db, values: readonly NewDwelling[], opts?: BulkInsertOptions) => insertChunked(tx, dwellings, values, opts);
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

const list = (xs: readonly string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);

/** The compounds of these communities, one row per building (building null for a compound without any). */
export function compoundBuildingsOf(db: Db, communityIds: readonly string[]) {
  if (communityIds.length === 0) return Promise.resolve([]);
  return rows<{ compound_id: string; community_id: string; compound: string; address: string; building: string | null }>(
    db,
    sql`select c.id as compound_id, c.community_id, c.name as compound, c.address, b.name as building
        from compounds c left join buildings b on b.compound_id = c.id
        where c.community_id in (${list(communityIds)})`,
  );
}

/** The buildings of compounds with these names, anywhere, with their grid. */
export function buildingsInCompoundsNamed(db: Db, names: readonly string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return rows<{ id: string; grid_id: string; floors: number; name: string; compound: string; compound_address: string; grid_path: string; grid_name: string }>(
    db,
    sql`select b.id, b.grid_id, b.floors, b.name, c.name as compound, c.address as compound_address, g.path as grid_path, g.name as grid_name
        from buildings b join compounds c on c.id = b.compound_id join areas g on g.id = b.grid_id
        where c.name in (${list(names)})`,
  );
}

/** The units of these buildings. */
export function unitsOfBuildings(db: Db, buildingIds: readonly string[]): Promise<{ id: string; building_id: string; name: string }[]> {
  if (buildingIds.length === 0) return Promise.resolve([]);
  return rows(db, sql`select id, building_id, name from building_units where building_id in (${list(buildingIds)})`);
}

/** The dwellings of these buildings, and whether a household lives in each. */
export function dwellingsOfBuildings(db: Db, buildingIds: readonly string[]): Promise<{ id: string; unit_id: string; room_no: string; occupied: boolean }[]> {
  if (buildingIds.length === 0) return Promise.resolve([]);
  return rows(
    db,
    sql`select d.id, d.unit_id, d.room_no, exists (select 1 from households h where h.dwelling_id = d.id) as occupied from dwellings d where d.building_id in (${list(buildingIds)})`,
  );
}

/** The buildings ledger of an area (its export). */
export function buildingsLedgerRows(db: Db, areaPath: string) {
  return rows<{ compound: string; address: string; name: string; floors: number; units: string; lng: number; lat: number; grid: string }>(
    db,
    sql`select c.name as compound, c.address, b.name, b.floors, (select count(*) from building_units u where u.building_id = b.id)::text as units,
               b.lng, b.lat, g.name as grid
        from buildings b join compounds c on c.id = b.compound_id join areas g on g.id = b.grid_id
        where g.path like ${`${escapeLike(areaPath)}%`} order by g.code, c.name, b.name`,
  );
}

/** The area with this division code at this level (the first one, when several). */
export async function findAreaByCode(db: Db, code: string, level: AreaLevel): Promise<{ id: string; path: string } | undefined> {
  const [area] = await db
    .select({ id: areas.id, path: areas.path })
    .from(areas)
    .where(and(eq(areas.code, code), eq(areas.level, level)));
  return area;
}

/** Deletes the places under an area path: dwellings, units, buildings, compounds. Answers how many of each. */
export async function deletePlacesUnder(tx: Db, areaPath: string): Promise<Record<string, number>> {
  const areaIds = areaIdsUnder(areaPath);
  const underBuildings = sql`select id from buildings where grid_id in ${areaIds} or compound_id in (select id from compounds where community_id in ${areaIds})`;
  const out: Record<string, number> = {};
  out.dwellings = await deleteCounted(tx, sql`delete from dwellings where grid_id in ${areaIds}`);
  out.units = await deleteCounted(tx, sql`delete from building_units where building_id in (${underBuildings})`);
  out.buildings = await deleteCounted(tx, sql`delete from buildings where id in (${underBuildings})`);
  out.compounds = await deleteCounted(tx, sql`delete from compounds where community_id in ${areaIds}`);
  return out;
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
