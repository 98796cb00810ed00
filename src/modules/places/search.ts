/**
 * What the search box finds in the address tree: buildings by their compound's and their own name
 * (紫荆苑 3栋), in the grids whose places the asker reads (the buildings list's scope).
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { escapeLike, scopeCondition } from "../../platform/policy/index.js";
import type { SearchHit, SearchProvider, SearchQuery } from "../../platform/search/index.js";
import { placeReaders } from "./policy.js";

export async function searchBuildings(db: Db, actor: Actor, q: SearchQuery): Promise<SearchHit[]> {
  const typed = q.text.replace(/\s+/g, "");
  if (typed === "" || /^\d{15,}[\dXx]?$/.test(typed)) return [];
  const pattern = `%${escapeLike(typed)}%`;
  const found = await rows<{ id: string; compound_name: string; name: string; grid_name: string }>(
    db,
    sql`select b.id, c.name as compound_name, b.name, g.name as grid_name
        from buildings b join compounds c on c.id = b.compound_id join areas g on g.id = b.grid_id
        where ${scopeCondition(actor, placeReaders, sql`g.path`)} and (c.name || b.name) like ${pattern}
        order by c.name, length(b.name), b.name limit ${q.limit + 1}`,
  );
  return found.map((r) => ({ kind: "building" as const, id: r.id, title: `${r.compound_name} ${r.name}`, detail: r.grid_name, masked: false }));
}

export const placesSearch: SearchProvider = { kinds: ["building"], search: searchBuildings };
