/**
 * People's side of areas' residents port (areas/residents-port.ts): the reads of persons,
 * households and party members that grid staff and an area's counts need, on people's own tables
 * (joined with the published area and address trees) and with people's own policy. Plugged in by
 * `peopleModule.connect()`.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList, textArray } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";
import type { AreaResidents } from "../areas/index.js";
import { personPolicy } from "./policy.js";
import { loadPersonRecords } from "./persons.js";

export const areaResidents: AreaResidents = {
  async clearNames(db, actor, personIds) {
    const records = await loadPersonRecords(db, personIds);
    return new Set([...records.values()].filter((p) => personPolicy.readClear(actor, p)).map((p) => p.id));
  },

  async nameInCommunity(db, personId, communityPath) {
    const [p] = await rows<{ name: string }>(
      db,
      sql`select p.name from persons p join areas g on g.id = p.grid_id where p.id = ${personId} and g.path like ${communityPath} || '%'`,
    );
    return p?.name;
  },

  async candidatesOfGrid(db, gridId, limit) {
    const found = await rows<{ person_id: string; name: string; tags: string[] | string; party_member: boolean }>(
      db,
      sql`select p.id as person_id, p.name, p.tags, exists (select 1 from party_members m where m.person_id = p.id) as party_member
          from persons p where p.grid_id = ${gridId}
            and ('buildingHead' = any(p.tags) or 'volunteer' = any(p.tags) or exists (select 1 from party_members m where m.person_id = p.id))
          order by ('buildingHead' = any(p.tags)) desc, p.name limit ${limit}`,
    );
    return found.map((r) => ({ personId: r.person_id, name: r.name, tags: textArray(r.tags), partyMember: r.party_member }));
  },

  async countsInGrids(db, gridIds) {
    if (gridIds.length === 0) return { households: 0, persons: 0 };
    const ids = sqlList(gridIds);
    const [r] = await rows<{ households: string | number; persons: string | number }>(
      db,
      sql`select (select count(*) from households where grid_id in (${ids})) as households, (select count(*) from persons where grid_id in (${ids})) as persons`,
    );
    return { households: Number(r?.households ?? 0), persons: Number(r?.persons ?? 0) };
  },

  async countsByBuilding(db, gridIds) {
    if (gridIds.length === 0) return new Map();
    const ids = sqlList(gridIds);
    const found = await rows<{ building_id: string; households: string | number; persons: string | number }>(
      db,
      sql`select d.building_id, count(distinct h.id) as households, count(distinct p.id) as persons
          from households h join dwellings d on d.id = h.dwelling_id
          left join persons p on p.household_id = h.id and p.grid_id in (${ids})
          where h.grid_id in (${ids}) and d.grid_id in (${ids}) group by d.building_id`,
    );
    return new Map(found.map((r) => [r.building_id, { households: Number(r.households), persons: Number(r.persons) }]));
  },

  async householdsUnder(db, areaPath) {
    const [r] = await rows<{ n: string | number }>(
      db,
      sql`select count(*) as n from households h join areas g on g.id = h.grid_id where g.path like ${`${escapeLike(areaPath)}%`}`,
    );
    return Number(r?.n ?? 0);
  },
};
