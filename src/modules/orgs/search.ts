/**
 * What the search box finds among organizations: bodies (党组织, 居委会, 社会组织, departments…) by
 * name, in the areas whose organizations the asker reads (orgPolicy.read); dissolved ones left out.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { escapeLike, scopeCondition } from "../../platform/policy/index.js";
import type { SearchHit, SearchProvider, SearchQuery } from "../../platform/search/index.js";
import { isOrgKind, orgKinds } from "./kinds.js";
import { orgReaders } from "./policy.js";

export async function searchOrganizations(db: Db, actor: Actor, q: SearchQuery): Promise<SearchHit[]> {
  const typed = q.text.trim();
  if (typed === "" || /\d{6,}/.test(typed)) return [];
  const found = await rows<{ id: string; kind: string; name: string; area_name: string | null }>(
    db,
    sql`select o.id, o.kind, o.name, a.name as area_name
        from organizations o join areas a on a.id = o.area_id
        where ${scopeCondition(actor, orgReaders, sql`a.path`)} and o.dissolved_on is null and o.name like ${`%${escapeLike(typed)}%`}
        order by length(o.name), o.path limit ${q.limit + 1}`,
  );
  return found.map((r) => {
    const kind = isOrgKind(r.kind) ? (q.lang === "en" ? orgKinds[r.kind].en : orgKinds[r.kind].zh) : r.kind;
    return { kind: "organization" as const, id: r.id, title: r.name, detail: [kind, r.area_name].filter(Boolean).join(" · "), masked: false };
  });
}

export const orgsSearch: SearchProvider = { kinds: ["organization"], search: searchOrganizations };
