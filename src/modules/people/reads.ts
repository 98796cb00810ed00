/**
 * Reads of the registry for other modules, so that they never read `persons` or `party_members`
 * in their own SQL (docs/decisions/007-module-walls.md, "Read models"): cases (the resident a
 * worker reports for, with the grid whose path decides scope) and orgs (post holders, party
 * organizations' member counts). Each takes the ids of a whole list and answers in one query.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList, type Db } from "../../platform/db/index.js";

/** A person registered in a grid: their name (in clear: for the caller to mask) and grid. */
export interface GridPerson {
  id: string;
  name: string;
  gridPath: string;
  gridName: string;
}

const gridPersonSelect = sql`select p.id, p.name, g.path as grid_path, g.name as grid_name from persons p join areas g on g.id = p.grid_id`;

type GridPersonRow = { id: string; name: string; grid_path: string; grid_name: string };
const gridPersonOf = (r: GridPersonRow): GridPerson => ({ id: r.id, name: r.name, gridPath: r.grid_path, gridName: r.grid_name });

/** The person with this id and their grid; undefined when unknown or in no grid. */
export async function gridPersonById(db: Db, id: string): Promise<GridPerson | undefined> {
  const [r] = await rows<GridPersonRow>(db, sql`${gridPersonSelect} where p.id = ${id}`);
  return r && gridPersonOf(r);
}

/** The persons whose ID number has this search hash (`searchHash(keyring, "idNumber", …)`), each in a grid. */
export async function gridPersonsByIdNumberHash(db: Db, idNumberHash: string): Promise<GridPerson[]> {
  return (await rows<GridPersonRow>(db, sql`${gridPersonSelect} where p.id_number_hash = ${idNumberHash}`)).map(gridPersonOf);
}

export interface PersonSummary {
  id: string;
  /** In clear: the caller masks it as `personPolicy` says. */
  name: string;
  /** Null for a person recorded only for a post (not in the registry). */
  gridId: string | null;
}

/** These persons' names and grids, ordered by name then id (the database's collation); unknown ids are absent. */
export async function personSummaries(db: Db, ids: readonly string[]): Promise<PersonSummary[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await rows<{ id: string; name: string; grid_id: string | null }>(
    db,
    sql`select id, name, grid_id from persons where id in (${sqlList(unique)}) order by name, id`,
  );
  return found.map((r) => ({ id: r.id, name: r.name, gridId: r.grid_id }));
}

/** How many party members hold their organization relation in each of these party organizations (0 when none). */
export async function partyMemberCounts(db: Db, orgIds: readonly string[]): Promise<Map<string, number>> {
  const unique = [...new Set(orgIds)];
  if (unique.length === 0) return new Map();
  const found = await rows<{ party_org_id: string; n: string | number }>(
    db,
    sql`select party_org_id, count(*) as n from party_members where party_org_id in (${sqlList(unique)}) group by party_org_id`,
  );
  const counts = new Map(unique.map((id) => [id, 0]));
  for (const r of found) counts.set(r.party_org_id, Number(r.n));
  return counts;
}
