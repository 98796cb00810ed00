/**
 * Bulk writes and reads of the registry for the tools (src/tools: the demo street, ledger imports
 * and exports). Rows come already validated; each write runs in the caller's transaction, so an
 * import stays all or nothing. Reads return stored values as they are (encrypted fields encrypted).
 */
import { sql, type SQL } from "drizzle-orm";
import { areaIdsUnder, deleteCounted, insertChunked, orgIdsUnder, rows, sqlList, type BulkInsertOptions, type Db } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";
import { householdMoves, households, partyMembers, partyRegistrations, persons } from "./schema.js";
import { recordPiiReveal } from "../../platform/pii/record.js";

export type NewHousehold = typeof households.$inferInsert;
export type NewPerson = typeof persons.$inferInsert;
export type NewHouseholdMove = typeof householdMoves.$inferInsert;
export type NewPartyMember = typeof partyMembers.$inferInsert;
export type NewPartyRegistration = typeof partyRegistrations.$inferInsert;

export const insertHouseholds = (tx: Db, values: readonly NewHousehold[], opts?: BulkInsertOptions) => insertChunked(tx, households, values, opts);
export const insertPersons = (tx: Db, values: readonly NewPerson[], opts?: BulkInsertOptions) => insertChunked(tx, persons, values, opts);
export const insertHouseholdMoves = (tx: Db, values: readonly NewHouseholdMove[], opts?: BulkInsertOptions) => insertChunked(tx, householdMoves, values, opts);
export const insertPartyMembers = (tx: Db, values: readonly NewPartyMember[], opts?: BulkInsertOptions) => insertChunked(tx, partyMembers, values, opts);
export const insertPartyRegistrations = (tx: Db, values: readonly NewPartyRegistration[], opts?: BulkInsertOptions) =>
  insertChunked(tx, partyRegistrations, values, opts);

/** A clear ledger export of an area: recorded as a reveal of its personal data, for a purpose. */
export async function recordAreaExportReveal(tx: Db, r: { userId: string; areaId: string; field: string; purpose: string; at: Date }): Promise<void> {
  await recordPiiReveal(tx, { userId: r.userId, entityType: "area", entityId: r.areaId, field: r.field, purpose: r.purpose, grantedAt: r.at, expiresAt: r.at });
}

const like = (areaPath: string) => `${escapeLike(areaPath)}%`;

/** Households in the grids under an area path, with their address. */
export function householdsUnder(db: Db, areaPath: string): Promise<{ id: string; address: string; grid_id: string }[]> {
  return rows(db, sql`select h.id, h.address, h.grid_id from households h join areas g on g.id = h.grid_id where g.path like ${like(areaPath)}`);
}

/** Runs `query` for every 5,000 keyed hashes, to keep a statement's parameters bounded. */
async function byHashChunks<R>(hashes: readonly string[], query: (chunk: SQLList) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < hashes.length; i += 5000) {
    const chunk = hashes.slice(i, i + 5000);
    out.push(...(await query(sqlList(chunk))));
  }
  return out;
}
type SQLList = ReturnType<typeof sql.join>;

/** Which of these ID number hashes (searchHash "idNumber") are registered already. */
export async function registeredIdNumberHashes(db: Db, hashes: readonly string[]): Promise<Set<string>> {
  const found = await byHashChunks(hashes, (list) => rows<{ id_number_hash: string }>(db, sql`select id_number_hash from persons where id_number_hash in (${list})`));
  return new Set(found.map((f) => f.id_number_hash));
}

/** The dwelling of the household of each registered person, by ID number hash (null: no dwelling). */
export async function dwellingsByIdNumberHash(db: Db, hashes: readonly string[]): Promise<{ id_number_hash: string; dwelling_id: string | null }[]> {
  return byHashChunks(hashes, (list) =>
    rows(db, sql`select p.id_number_hash, h.dwelling_id from persons p left join households h on h.id = p.household_id where p.id_number_hash in (${list})`),
  );
}

/** Registered persons by ID number hash: their grid's path and whether they are a party member. */
export async function personsByIdNumberHash(db: Db, hashes: readonly string[]): Promise<{ id: string; name: string; path: string | null; hash: string; member: boolean }[]> {
  return byHashChunks(hashes, (list) =>
    rows(
      db,
      sql`select p.id, p.name, g.path, p.id_number_hash as hash, exists (select 1 from party_members m where m.person_id = p.id) as member
          from persons p left join areas g on g.id = p.grid_id where p.id_number_hash in (${list})`,
    ),
  );
}

/** The persons ledger of an area (its export), contact data as stored. */
export function personsLedgerRows(db: Db, areaPath: string) {
  return rows<{
    name: string;
    gender: "male" | "female";
    relation: string;
    tags: string[];
    skills: string[];
    id_number_enc: string | null;
    id_number_masked: string | null;
    phone_enc: string | null;
    phone_masked: string | null;
    address: string | null;
  }>(
    db,
    sql`select p.name, p.gender, p.relation, p.tags, p.skills, p.id_number_enc, p.id_number_masked, p.phone_enc, p.phone_masked, h.address
        from persons p join areas g on g.id = p.grid_id left join households h on h.id = p.household_id
        where g.path like ${like(areaPath)} order by h.address, p.birth_year, p.id`,
  );
}

/** The households ledger of an area (its export): dwelling, head and the head's ID number as stored. */
export function householdsLedgerRows(db: Db, areaPath: string) {
  return rows<{
    compound: string | null;
    building: string | null;
    unit: string | null;
    floor: number | null;
    room_no: string | null;
    head_name: string;
    head_id_enc: string | null;
    head_id_masked: string | null;
    size: number;
    address: string;
    note: string | null;
  }>(
    db,
    sql`select c.name as compound, b.name as building, u.name as unit, d.floor, d.room_no, h.head_name, h.size, h.address, h.note,
               hp.id_number_enc as head_id_enc, hp.id_number_masked as head_id_masked
        from households h join areas g on g.id = h.grid_id
        left join dwellings d on d.id = h.dwelling_id left join building_units u on u.id = d.unit_id
        left join buildings b on b.id = d.building_id left join compounds c on c.id = b.compound_id
        left join lateral (select p.id_number_enc, p.id_number_masked from persons p where p.household_id = h.id and p.relation = '户主' order by p.created_at limit 1) hp on true
        where g.path like ${like(areaPath)} order by h.address, h.id`,
  );
}

/** The party members ledger of an area (its export). */
export function partyMembersLedgerRows<Status extends string>(db: Db, areaPath: string) {
  return rows<{
    id_number_enc: string | null;
    id_number_masked: string | null;
    name: string;
    org: string | null;
    outside_org_name: string | null;
    status: Status;
    joined_on: string | null;
    work_unit: string | null;
    report_in: string | null;
  }>(
    db,
    sql`select p.id_number_enc, p.id_number_masked, p.name, o.name as org, m.outside_org_name, m.status, m.joined_on::text as joined_on, m.work_unit, c.name as report_in
        from party_members m join persons p on p.id = m.person_id join areas g on g.id = p.grid_id
        left join organizations o on o.id = m.party_org_id left join areas c on c.id = m.report_in_community_id
        where g.path like ${like(areaPath)} order by o.name, p.birth_year, p.id`,
  );
}

/**
 * Deletes the persons recorded only for their posts (no household, no grid) whose every post is in
 * an organization under the area path. Answers how many. Posts are orgs' rows, so orgs gives the
 * holders as sub-queries (`postHolderIdsUnder`): those with a post inside, those with one outside.
 */
export function deletePostHoldersUnder(tx: Db, holders: { inside: SQL; outside: SQL }): Promise<number> {
  return deleteCounted(
    tx,
    sql`delete from persons where id in (select p.id from persons p where p.household_id is null and p.grid_id is null
      and p.id in (${holders.inside}) and p.id not in (${holders.outside}))`,
  );
}

/** Sub-query of the persons living under the area path (by grid or by household). */
export function personIdsUnder(areaPath: string): SQL {
  const areaIds = areaIdsUnder(areaPath);
  return sql`select id from persons where grid_id in ${areaIds} or household_id in (select id from households where grid_id in ${areaIds})`;
}

/**
 * Deletes the registry under an area path: party registrations of its communities, households with
 * their moves and red grid assignments, party members (also of its party organizations) and
 * persons. Answers how many of each.
 */
export async function deleteRegistryUnder(tx: Db, areaPath: string): Promise<Record<string, number>> {
  const areaIds = areaIdsUnder(areaPath);
  const orgIds = orgIdsUnder(areaPath);
  const demoPersons = personIdsUnder(areaPath);
  const demoHouseholds = sql`select id from households where grid_id in ${areaIds}`;
  const out: Record<string, number> = {};
  out.partyRegistrations = await deleteCounted(tx, sql`delete from party_registrations where community_id in ${areaIds}`);
  out.householdMoves = await deleteCounted(tx, sql`delete from household_moves where household_id in (${demoHouseholds})`);
  out.redGridAssignments = await deleteCounted(tx, sql`delete from red_grid_assignments where household_id in (${demoHouseholds})`);
  out.partyMembers = await deleteCounted(tx, sql`delete from party_members where person_id in (${demoPersons}) or party_org_id in ${orgIds}`);
  out.persons = await deleteCounted(tx, sql`delete from persons where id in (${demoPersons})`);
  out.households = await deleteCounted(tx, sql`delete from households where grid_id in ${areaIds}`);
  return out;
}
