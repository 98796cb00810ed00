/**
 * Bulk writes and reads of places (compounds, buildings, units, dwellings) for the tools (src/tools:
 * the demo street, ledger imports and exports). Rows come already validated; each write runs in the
 * caller's transaction.
 */
import { sql } from "drizzle-orm";
import { areaIdsUnder, deleteCounted, insertChunked, rows, sqlList as list, type BulkInsertOptions, type Db } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";
import { buildingUnits, buildings, compounds, dwellings } from "./schema.js";
import { placeOccupants } from "./occupants-port.js";

export type NewCompound = typeof compounds.$inferInsert;
export type NewBuilding = typeof buildings.$inferInsert;
export type NewBuildingUnit = typeof buildingUnits.$inferInsert;
export type NewDwelling = typeof dwellings.$inferInsert;

export const insertCompounds = (tx: Db, values: readonly NewCompound[], opts?: BulkInsertOptions) => insertChunked(tx, compounds, values, opts);
export const insertBuildings = (tx: Db, values: readonly NewBuilding[], opts?: BulkInsertOptions) => insertChunked(tx, buildings, values, opts);
export const insertBuildingUnits = (tx: Db, values: readonly NewBuildingUnit[], opts?: BulkInsertOptions) => insertChunked(tx, buildingUnits, values, opts);
export const insertDwellings = (tx: Db, values: readonly NewDwelling[], opts?: BulkInsertOptions) => insertChunked(tx, dwellings, values, opts);

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

/** The dwellings of these buildings, and whether a household lives in each (people answers, through the occupants port). */
export async function dwellingsOfBuildings(db: Db, buildingIds: readonly string[]): Promise<{ id: string; unit_id: string; room_no: string; occupied: boolean }[]> {
  if (buildingIds.length === 0) return [];
  const found = await rows<{ id: string; unit_id: string; room_no: string }>(db, sql`select d.id, d.unit_id, d.room_no from dwellings d where d.building_id in (${list(buildingIds)})`);
  const occupied = await placeOccupants().occupiedDwellingsOfBuildings(db, buildingIds);
  return found.map((d) => ({ ...d, occupied: occupied.has(d.id) }));
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
