/**
 * People's side of areas' grid staff port (areas/residents-port.ts): the reads of persons and
 * party members that appointing and listing grid staff need, on people's own tables and with
 * people's own policy. Plugged in by `peopleModule.connect()`.
 */
import { sql } from "drizzle-orm";
import { rows, textArray } from "../../platform/db/index.js";
import type { GridStaffResidents } from "../areas/index.js";
import { personPolicy } from "./policy.js";
import { loadPersonRecords } from "./persons.js";

export const gridStaffResidents: GridStaffResidents = {
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
};
