/** 组织: the party organization tree and community bodies of an area. */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { authorize, escapeLike } from "../../platform/policy/index.js";
import { areaPolicy } from "../areas/index.js";
import { partyMemberCounts } from "../people/index.js";
import { isOrgKind, orgKinds, type OrgKind } from "./kinds.js";

export interface OrgNode {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  kindLabel: string;
  party: boolean;
  name: string;
  areaId: string | null;
  areaName: string | null;
  memberCount: number;
  /** Social organizations: incubating 孵化中 / graduated 已出壳; null for other kinds. */
  incubation: "incubating" | "graduated" | null;
}

interface OrgRow {
  id: string;
  parent_id: string | null;
  kind: string;
  name: string;
  area_id: string | null;
  area_name: string | null;
  incubation: "incubating" | "graduated" | null;
}

/**
 * The organizations whose area lies in the given area's subtree, parents before children (the
 * client nests them by parentId; one whose parent lies outside the subtree is a root).
 * `party` limits it to party organizations. Dissolved bodies stay in the table for history but leave the tree.
 */
export async function organizationTree(db: Db, actor: Actor, areaId: string, opts: { party?: boolean; lang: "zh-CN" | "en" }): Promise<OrgNode[]> {
  const [row] = await rows<{ path: string }>(db, sql`select path from areas where id = ${areaId}`);
  const area = row ? { areaPath: row.path } : undefined;
  authorize(actor, "read", area, areaPolicy);
  const list = await rows<OrgRow>(
    db,
    sql`select o.id, o.parent_id, o.kind, o.name, o.area_id, a.name as area_name, o.incubation
        from organizations o join areas a on a.id = o.area_id
        where a.path like ${`${escapeLike(area.areaPath)}%`} and o.dissolved_on is null
        order by o.path`,
  );
  // Party members are people's rows: counted in one query for the whole tree.
  const members = await partyMemberCounts(db, list.map((r) => r.id));
  const out: OrgNode[] = [];
  for (const r of list) {
    if (!isOrgKind(r.kind)) continue;
    const def = orgKinds[r.kind];
    if (opts.party && !def.party) continue;
    out.push({
      id: r.id,
      parentId: r.parent_id,
      kind: r.kind,
      kindLabel: opts.lang === "en" ? def.en : def.zh,
      party: def.party,
      name: r.name,
      areaId: r.area_id,
      areaName: r.area_name,
      memberCount: members.get(r.id) ?? 0,
      incubation: r.incubation,
    });
  }
  return out;
}
