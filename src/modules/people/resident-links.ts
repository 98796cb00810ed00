/**
 * Reads of the registry for resident accounts (the accounts module): the households a community
 * prints invitation codes for, a household's members to pick from, and the registry candidates a
 * community worker compares a sign-up with. Names come back in clear: the caller masks them as its
 * policy says. Each answers in one query.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList, type Db } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";

/** A household with the path of its grid (scope) and its address (clear: personal data). */
export interface HouseholdPlace {
  id: string;
  gridPath: string;
  gridName: string;
  address: string;
  headName: string;
}

/** These households with their grids and addresses; unknown ids are absent. */
export async function householdPlaces(db: Db, ids: readonly string[]): Promise<HouseholdPlace[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const found = await rows<{ id: string; grid_path: string; grid_name: string; address: string; head_name: string }>(
    db,
    sql`select h.id, g.path as grid_path, g.name as grid_name, h.address, h.head_name
        from households h join areas g on g.id = h.grid_id where h.id in (${sqlList(unique)}) order by h.address, h.id`,
  );
  return found.map((r) => ({ id: r.id, gridPath: r.grid_path, gridName: r.grid_name, address: r.address, headName: r.head_name }));
}

/** A member of a household now (persons who left are not), name in clear. */
export interface HouseholdMember {
  id: string;
  name: string;
  relation: string;
  birthYear: number;
}

/** The persons living in a household now, head first. */
export async function householdMembers(db: Db, householdId: string): Promise<HouseholdMember[]> {
  const found = await rows<{ id: string; name: string; relation: string; birth_year: number }>(
    db,
    sql`select id, name, relation, birth_year from persons where household_id = ${householdId}
        order by (relation = '户主') desc, birth_year, id`,
  );
  return found.map((r) => ({ id: r.id, name: r.name, relation: r.relation, birthYear: r.birth_year }));
}

/** A resident as a sign-up is linked to them: their household and grid. */
export interface ResidentPerson {
  id: string;
  name: string;
  householdId: string | null;
  gridPath: string | null;
}

export async function residentPerson(db: Db, personId: string): Promise<ResidentPerson | undefined> {
  const [r] = await rows<{ id: string; name: string; household_id: string | null; grid_path: string | null }>(
    db,
    sql`select p.id, p.name, p.household_id, g.path as grid_path from persons p left join areas g on g.id = p.grid_id where p.id = ${personId}`,
  );
  return r && { id: r.id, name: r.name, householdId: r.household_id, gridPath: r.grid_path };
}

/** A registry person who may be the one signing up, and what matched. */
export interface RegistryCandidate {
  personId: string;
  name: string;
  relation: string;
  birthYear: number;
  householdId: string;
  address: string;
  gridName: string;
  phoneMasked: string | null;
  matchedBy: ("name" | "phone" | "dwelling")[];
}

/**
 * Persons living under `areaPath` (a community) whose name equals `name`, whose phone has the
 * search hash `phoneHash`, or who live in `dwellingId`: best matches first, at most 20.
 */
export async function registryCandidates(
  db: Db,
  opts: { areaPath: string; name: string; phoneHash: string | null; dwellingId: string | null },
): Promise<RegistryCandidate[]> {
  const found = await rows<{
    id: string;
    name: string;
    relation: string;
    birth_year: number;
    household_id: string;
    address: string;
    grid_name: string;
    phone_masked: string | null;
    by_name: boolean;
    by_phone: boolean;
    by_dwelling: boolean;
  }>(
    db,
    sql`select q.* from (
          select p.id, p.name, p.relation, p.birth_year, p.household_id, h.address, g.name as grid_name, p.phone_masked,
                 coalesce(p.name = ${opts.name}, false) as by_name,
                 coalesce(p.phone_hash = ${opts.phoneHash}::text, false) as by_phone,
                 coalesce(h.dwelling_id = ${opts.dwellingId}::uuid, false) as by_dwelling
          from persons p join households h on h.id = p.household_id join areas g on g.id = h.grid_id
          where g.path like ${`${escapeLike(opts.areaPath)}%`}) q
        where q.by_name or q.by_phone or q.by_dwelling
        order by (q.by_name::int + q.by_phone::int + q.by_dwelling::int) desc, q.name, q.id
        limit 20`,
  );
  return found.map((r) => ({
    personId: r.id,
    name: r.name,
    relation: r.relation,
    birthYear: r.birth_year,
    householdId: r.household_id,
    address: r.address,
    gridName: r.grid_name,
    phoneMasked: r.phone_masked,
    matchedBy: [...(r.by_name ? ["name" as const] : []), ...(r.by_phone ? ["phone" as const] : []), ...(r.by_dwelling ? ["dwelling" as const] : [])],
  }));
}
