/**
 * Orgs' side of people's post holders' areas port (people/post-areas-port.ts): where a person
 * recorded only for posts belongs, from the bodies they hold or held posts in. Plugged in by
 * `orgsModule.connect()`.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList } from "../../platform/db/index.js";
import type { PostHolderAreas } from "../people/index.js";

export const postHolderAreas: PostHolderAreas = {
  async areaPathsOfPosts(db, personIds) {
    const unique = [...new Set(personIds)];
    if (unique.length === 0) return new Map();
    const found = await rows<{ person_id: string; path: string }>(
      db,
      sql`select distinct s.person_id, a.path from posts s join organizations o on o.id = s.org_id join areas a on a.id = o.area_id
          where s.person_id in (${sqlList(unique)})`,
    );
    const out = new Map<string, string[]>();
    for (const r of found) out.set(r.person_id, [...(out.get(r.person_id) ?? []), r.path]);
    return out;
  },
};
