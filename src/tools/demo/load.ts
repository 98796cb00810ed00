/**
 * Loads the generated demo street into a database: one transaction, multi-row INSERTs in chunks,
 * one audit entry. `reset` removes the previous demo street first so `gongzhi demo` can reload.
 */
import { and, eq, getTableColumns, getTableName, inArray, sql, type SQL } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { Database, Db } from "../../platform/db/index.js";
import { rows } from "../../platform/db/index.js";
import { hashPassword } from "../../platform/auth/password.js";
import { roleGrants, users } from "../../platform/auth/schema.js";
import { recordAudit } from "../../platform/audit/service.js";
import { areas, buildingUnits, buildings, compounds, dwellings, gridStaff } from "../../modules/areas/schema.js";
import { householdMoves, households, partyMembers, partyRegistrations, persons } from "../../modules/people/schema.js";
import { encryptContact } from "../../modules/people/persons.js";
import { runRedGridAssignment } from "../../modules/people/red-grid-service.js";
import { ensureDefaultCatalogue } from "../../modules/cases/catalogue.js";
import { deleteDemoCases, loadDemoCases, type DemoCaseCounts } from "./cases.js";
import { actorOf } from "../../platform/auth/service.js";
import { makeIdNumber } from "../../platform/pii/validate.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { createHash } from "node:crypto";
import { organizations, posts } from "../../modules/orgs/schema.js";
import { demoCityCode } from "./divisions.js";
import { defaultDemoSeed, demoReferenceYear, demoCounts, demoLogins, demoPassword, generateDemoStreet, type DemoCounts } from "./generate.js";

export interface LoadDemoOptions {
  seed?: number;
  /** Delete the previous demo street (and the demo logins) first. */
  reset?: boolean;
  /** When given, persons get invented ID numbers and phones, encrypted with it. */
  keyring?: DataKeyring;
}

/**
 * Invented contact data for a demo person, derived from its id so reloads agree. The ID number's
 * region code 990107 belongs to no division (GB/T 2260 has no province 99), so a demo number can
 * never be a real person's. Phone numbers are invented too: do not call them.
 */
export function demoContact(person: { id: string; birthYear: number; gender: "male" | "female" }, taken?: Set<string>): { idNumber: string; phone: string } {
  const h = createHash("sha256").update(person.id).digest();
  const month = (h[0]! % 12) + 1;
  const day = (h[1]! % 28) + 1;
  const birth = `${person.birthYear}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  // The order code's parity carries the gender; on a clash (same birth date and code) take the next free one.
  let seqBase = ((h[2]! << 8) | h[3]!) % 500;
  let idNumber = makeIdNumber("990107", birth, seqBase * 2 + (person.gender === "male" ? 1 : 0));
  while (taken?.has(idNumber)) {
    seqBase = (seqBase + 1) % 500;
    idNumber = makeIdNumber("990107", birth, seqBase * 2 + (person.gender === "male" ? 1 : 0));
  }
  taken?.add(idNumber);
  const prefixes = ["135", "138", "139", "150", "158", "177", "180", "186", "189", "199"];
  const rest = ((h.readUInt32BE(4) % 100_000_000) + 100_000_000).toString().slice(1);
  return { idNumber, phone: `${prefixes[h[8]! % prefixes.length]}${rest}` };
}

interface LoadDemoOutcome {
  seed: number;
  durationMs: number;
}

/** `loaded: false` when a demo street was already there and `reset` was not asked for. */
export type LoadDemoResult =
  | (LoadDemoOutcome & { loaded: false })
  | (LoadDemoOutcome & {
      loaded: true;
      counts: DemoCounts;
      /** Demo usernames not created because a user outside the demo street already has them. */
      skippedUsers: string[];
      /** Households given a red grid member by the first run of the assignment (as the street administrator). */
      redGridAssigned: number;
      /** The demo cases (cases.ts): how many, their steps, how many per status. */
      cases: DemoCaseCounts;
    });

/**
 * Rows per INSERT. Each statement carries its rows as one JSON parameter (far below PostgreSQL's
 * 65,535 bind parameters), which PGlite parses several times faster than thousands of parameters.
 */
const chunkSize = 2000;

/** Serializes concurrent demo loads (pg_advisory_xact_lock key). */
const demoLockKey = 2026_1122;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** True when the demo city (成都市, by its division code) is in the area tree. */
export async function hasDemoStreet(db: Db): Promise<boolean> {
  return (await findDemoCity(db)) !== undefined;
}

async function findDemoCity(db: Db): Promise<{ id: string; path: string } | undefined> {
  const [city] = await db
    .select({ id: areas.id, path: areas.path })
    .from(areas)
    .where(and(eq(areas.code, demoCityCode), eq(areas.level, "city")));
  return city;
}

/**
 * Multi-row INSERT of plain objects keyed like the table's Drizzle columns; columns the objects do
 * not carry (created_at, …) take their defaults.
 */
export async function insertChunked<T extends PgTable>(tx: Db, table: T, values: T["$inferInsert"][]): Promise<void> {
  const first = values[0] as Record<string, unknown> | undefined;
  if (!first) return;
  const columns = Object.entries(getTableColumns(table)).filter(([key]) => key in first);
  const names = sql.join(
    columns.map(([, c]) => sql.identifier(c.name)),
    sql`, `,
  );
  const tableName = sql.identifier(getTableName(table));
  for (let i = 0; i < values.length; i += chunkSize) {
    const json = JSON.stringify(
      values.slice(i, i + chunkSize).map((v) => {
        const row: Record<string, unknown> = {};
        for (const [key, c] of columns) row[c.name] = (v as Record<string, unknown>)[key] ?? null;
        return row;
      }),
    );
    await tx.execute(sql`insert into ${tableName} (${names}) select ${names} from json_populate_recordset(null::${tableName}, ${json}::json)`);
  }
}

/**
 * Deletes everything under the demo city's path: places, people, party members, organizations of
 * those areas (and their sub-organizations), role grants on them, and the demo logins whose every
 * grant lies in the demo street (an administrator created elsewhere with the same username stays).
 */
async function deleteDemoStreet(tx: Db, cityPath: string): Promise<Record<string, number>> {
  const pattern = `${escapeLike(cityPath)}%`;
  const areaIds = sql`(select id from areas where path like ${pattern})`;
  // Organization paths hold only uuids and slashes, so they need no LIKE escaping.
  const orgIds = sql`(select o.id from organizations o join organizations top on o.path like top.path || '%'
    where top.area_id in ${areaIds})`;
  const usernames = sql.join(
    demoLogins.map((l) => sql`${l.username.toLowerCase()}`),
    sql`, `,
  );
  const demoUsers = await rows<{ id: string }>(
    tx,
    sql`select u.id from users u
        where lower(u.username) in (${usernames})
          and exists (select 1 from role_grants g where g.user_id = u.id)
          and not exists (
            select 1 from role_grants g where g.user_id = u.id
              and not ((g.area_id is not null or g.org_id is not null)
                and (g.area_id is null or g.area_id in ${areaIds})
                and (g.org_id is null or g.org_id in ${orgIds})))`,
  );
  // Cases located in the demo street, and their steps, timers, summons, extensions, photos, notices.
  const deleted: Record<string, number> = await deleteDemoCases(tx, pattern);
  const count = async (name: string, query: SQL) => {
    const res = await rows<{ n: number | string }>(tx, sql`with d as (${query} returning 1) select count(*) as n from d`);
    deleted[name] = Number(res[0]?.n ?? 0);
  };
  if (demoUsers.length > 0) {
    await tx.delete(users).where(
      inArray(
        users.id,
        demoUsers.map((u) => u.id),
      ),
    );
  }
  deleted.users = demoUsers.length;
  await count("roleGrants", sql`delete from role_grants where area_id in ${areaIds} or org_id in ${orgIds}`);
  const demoPersons = sql`select id from persons where grid_id in ${areaIds} or household_id in (select id from households where grid_id in ${areaIds})`;
  const demoHouseholds = sql`select id from households where grid_id in ${areaIds}`;
  // Persons recorded only for their posts (no household, no grid) whose every post is in a demo body.
  const postHolders = sql`select p.id from persons p where p.household_id is null and p.grid_id is null
    and exists (select 1 from posts s where s.person_id = p.id and s.org_id in ${orgIds})
    and not exists (select 1 from posts s where s.person_id = p.id and s.org_id not in ${orgIds})`;
  await count("postHolders", sql`delete from persons where id in (${postHolders})`);
  await count("posts", sql`delete from posts where org_id in ${orgIds} or person_id in (${demoPersons})`);
  await count("partyRegistrations", sql`delete from party_registrations where community_id in ${areaIds}`);
  await count("householdMoves", sql`delete from household_moves where household_id in (${demoHouseholds})`);
  await count("redGridAssignments", sql`delete from red_grid_assignments where household_id in (${demoHouseholds})`);
  await count("partyMembers", sql`delete from party_members where person_id in (${demoPersons}) or party_org_id in ${orgIds}`);
  await count("persons", sql`delete from persons where id in (${demoPersons})`);
  await count("households", sql`delete from households where grid_id in ${areaIds}`);
  await count("dwellings", sql`delete from dwellings where grid_id in ${areaIds}`);
  const demoBuildings = sql`select id from buildings where grid_id in ${areaIds} or compound_id in (select id from compounds where community_id in ${areaIds})`;
  await count("units", sql`delete from building_units where building_id in (${demoBuildings})`);
  await count("buildings", sql`delete from buildings where id in (${demoBuildings})`);
  await count("compounds", sql`delete from compounds where community_id in ${areaIds}`);
  await count("organizations", sql`delete from organizations where id in ${orgIds}`);
  await count("gridStaff", sql`delete from grid_staff where grid_id in ${areaIds}`);
  await count("boundaryVersions", sql`delete from area_boundary_versions where area_id in ${areaIds}`);
  await count("lineage", sql`delete from area_lineage where from_area_id in ${areaIds} or to_area_id in ${areaIds}`);
  await count("areas", sql`delete from areas where path like ${pattern}`);
  return deleted;
}

/**
 * Writes the demo street. Without `reset`, a database that already holds the demo city is left
 * alone (`loaded: false`).
 */
export async function loadDemoStreet(database: Database, opts: LoadDemoOptions = {}): Promise<LoadDemoResult> {
  const started = performance.now();
  const seed = opts.seed ?? defaultDemoSeed;
  const durationMs = () => Math.round(performance.now() - started);
  if (!opts.reset && (await hasDemoStreet(database.db))) return { loaded: false, seed, durationMs: durationMs() };

  const street = generateDemoStreet(seed);
  // Argon2id takes ~0.1 s: hash once, share the hash among the demo logins.
  const passwordHash = await hashPassword(demoPassword);

  const result = await database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${demoLockKey})`);
    const existing = await findDemoCity(tx);
    let deleted: Record<string, number> | undefined;
    if (existing) {
      if (!opts.reset) return undefined;
      deleted = await deleteDemoStreet(tx, existing.path);
      await recordAudit(tx, {
        actor: { kind: "system" },
        action: "demo.reset",
        entityType: "area",
        entityId: existing.id,
        change: { deleted },
        summary: { deleted },
      });
    }

    const taken = await tx
      .select({ username: users.username })
      .from(users)
      .where(
        inArray(
          sql`lower(${users.username})`,
          street.users.map((u) => u.username.toLowerCase()),
        ),
      );
    const takenNames = new Set(taken.map((t) => t.username.toLowerCase()));
    const newUsers = street.users.filter((u) => !takenNames.has(u.username.toLowerCase()));
    const newUserIds = new Set(newUsers.map((u) => u.id));

    await insertChunked(tx, areas, street.areas);
    // Each demo grid's first boundary version, as if drawn at the start of 2024, so the grids as
    // they were on a past day (history by validity dates) resolve in the demo too.
    await tx.execute(sql`insert into area_boundary_versions (area_id, boundary, min_lng, min_lat, max_lng, max_lat, valid_from, reason)
      select id, boundary, min_lng, min_lat, max_lng, max_lat, coalesce(valid_from, date '2024-01-01'), 'drawn' from areas a
      where a.level = 'grid' and a.boundary is not null and a.min_lng is not null
        and not exists (select 1 from area_boundary_versions v where v.area_id = a.id)`);
    await insertChunked(tx, compounds, street.compounds);
    await insertChunked(tx, buildings, street.buildings);
    await insertChunked(tx, buildingUnits, street.buildingUnits);
    await insertChunked(tx, dwellings, street.dwellings);
    await insertChunked(tx, households, street.households);
    const keyring = opts.keyring;
    const takenIds = new Set<string>();
    await insertChunked(
      tx,
      persons,
      keyring
        ? street.persons.map((p) => {
            const c = demoContact(p, takenIds);
            // Children under 16 have no phone of their own.
            return { ...p, ...encryptContact(keyring, { idNumber: c.idNumber, phone: demoReferenceYear - p.birthYear >= 16 ? c.phone : null }) };
          })
        : street.persons,
    );
    await insertChunked(tx, organizations, street.organizations);
    await insertChunked(tx, partyMembers, street.partyMembers);
    await insertChunked(
      tx,
      persons,
      street.postHolders.map((p) => ({ ...p, householdId: null, gridId: null, relation: "其他", tags: [], skills: [] })),
    );
    await insertChunked(tx, posts, street.posts);
    await insertChunked(tx, householdMoves, street.householdMoves);
    // Registration phones are invented like persons' (from the person, or from the registration's
    // id) and stored only encrypted; without a keyring there are none, as for persons.
    const personById = new Map(street.persons.map((p) => [p.id, p]));
    await insertChunked(
      tx,
      partyRegistrations,
      street.partyRegistrations.map(({ gender, birthYear, registeredAt, decidedAt, ...rest }) => {
        const r = { ...rest, registeredAt: new Date(registeredAt), decidedAt: decidedAt === null ? null : new Date(decidedAt) };
        if (!keyring) return { ...r, phoneEnc: null, phoneHash: null, phoneMasked: null };
        const phone = demoContact((r.personId ? personById.get(r.personId) : undefined) ?? { id: r.id, gender, birthYear }).phone;
        return { ...r, ...encryptContact(keyring, { phone }) };
      }),
    );
    await insertChunked(
      tx,
      users,
      newUsers.map((u) => ({ ...u, passwordHash })),
    );
    await insertChunked(
      tx,
      roleGrants,
      street.roleGrants.filter((g) => newUserIds.has(g.userId)),
    );
    // A demo login skipped because its username is taken keeps no link from the grid's staff.
    await insertChunked(
      tx,
      gridStaff,
      street.gridStaff.map((g) => ({ ...g, userId: g.userId !== null && newUserIds.has(g.userId) ? g.userId : null })),
    );

    const counts = { ...demoCounts(street), users: newUsers.length };
    const streetArea = street.areas.find((a) => a.level === "street")!;
    await recordAudit(tx, {
      actor: { kind: "system" },
      action: "demo.load",
      entityType: "area",
      entityId: streetArea.id,
      change: { seed, counts },
      summary: { seed, ...counts },
    });
    return { counts, skippedUsers: street.users.filter((u) => takenNames.has(u.username.toLowerCase())).map((u) => u.username) };
  });
  if (!result) return { loaded: false, seed, durationMs: durationMs() };
  // The case catalogue: installed if missing, its owner-first categories given the demo departments.
  await ensureDefaultCatalogue(database.db);
  // A street that has used the platform has run its red grid assignment: run it once, as the demo
  // street administrator would from the coverage page (audited as theirs), so pages open with figures.
  let redGridAssigned = 0;
  const admin = street.users.find((u) => u.username === "streetadmin");
  const streetId = street.areas.find((a) => a.level === "street")!.id;
  if (admin && !result.skippedUsers.includes(admin.username)) {
    const run = await runRedGridAssignment(database.db, await actorOf(database.db, admin.id), streetId);
    redGridAssigned = run.stats.assigned;
  }
  // About 600 cases of the last four months, in every state (cases.ts).
  const presentUsers = street.users.filter((u) => !result.skippedUsers.includes(u.username));
  const demoCases = await loadDemoCases(database.db, street, { keyring: opts.keyring, presentUsers, seed });
  return { loaded: true, seed, ...result, redGridAssigned, cases: demoCases, durationMs: durationMs() };
}
