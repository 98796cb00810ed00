/**
 * People's side of places' occupants port (places/occupants-port.ts): who lives in which dwelling,
 * on people's own tables joined with the published address tree. Plugged in by
 * `peopleModule.connect()`. Each call answers for a whole list in one query.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList } from "../../platform/db/index.js";
import type { PlaceOccupants } from "../places/index.js";

function countsOf(found: { id: string; n: string | number }[]): Map<string, number> {
  return new Map(found.map((r) => [r.id, Number(r.n)]));
}

export const placeOccupants: PlaceOccupants = {
  async householdCountsByBuilding(db, buildingIds) {
    if (buildingIds.length === 0) return new Map();
    return countsOf(
      await rows(
        db,
        sql`select d.building_id as id, count(*) as n from households h join dwellings d on d.id = h.dwelling_id
            where d.building_id in (${sqlList(buildingIds)}) group by d.building_id`,
      ),
    );
  },

  async householdCountsByDwelling(db, dwellingIds) {
    if (dwellingIds.length === 0) return new Map();
    return countsOf(await rows(db, sql`select dwelling_id as id, count(*) as n from households where dwelling_id in (${sqlList(dwellingIds)}) group by dwelling_id`));
  },

  async occupiedDwellingsOfBuildings(db, buildingIds) {
    if (buildingIds.length === 0) return new Set();
    const found = await rows<{ dwelling_id: string }>(
      db,
      sql`select distinct h.dwelling_id from households h join dwellings d on d.id = h.dwelling_id where d.building_id in (${sqlList(buildingIds)})`,
    );
    return new Set(found.map((r) => r.dwelling_id));
  },

  async householdsOfBuilding(db, buildingId) {
    const found = await rows<{ id: string; dwelling_id: string; head_name: string; size: number }>(
      db,
      sql`select h.id, h.dwelling_id, h.head_name, h.size from households h join dwellings d on d.id = h.dwelling_id where d.building_id = ${buildingId} order by h.created_at`,
    );
    return found.map((h) => ({ id: h.id, dwellingId: h.dwelling_id, headName: h.head_name, size: h.size }));
  },

  buildingHeadsOf(db, buildingId) {
    return rows<{ id: string; name: string }>(
      db,
      sql`select p.id, p.name from persons p join households h on h.id = p.household_id join dwellings d on d.id = h.dwelling_id
          where d.building_id = ${buildingId} and 'buildingHead' = any(p.tags) order by p.name`,
    );
  },
};
