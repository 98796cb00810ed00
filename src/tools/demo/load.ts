/**
 * Loads the generated demo street into a database: one transaction, multi-row INSERTs in chunks,
 * one audit entry. `reset` removes the previous demo street first so `gongzhi demo` can reload.
 */
import { sql } from "drizzle-orm";
import type { Database, Db } from "../../platform/db/index.js";
import { hashPassword } from "../../platform/auth/password.js";
import { deleteRoleGrantsUnder, deleteUsersGrantedOnlyUnder, insertRoleGrants, insertUsers, takenUsernames } from "../../platform/auth/bulk.js";
import { actorOf } from "../../platform/auth/service.js";
import { recordAudit } from "../../platform/audit/index.js";
import { makeIdNumber } from "../../platform/pii/validate.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { deleteAreasUnder, findAreaByCode, insertAreas, insertGridStaff, recordFirstBoundaryVersions } from "../../modules/areas/index.js";
import { deletePlacesUnder, insertBuildingUnits, insertBuildings, insertCompounds, insertDwellings } from "../../modules/places/index.js";
import {
  deletePostHoldersUnder,
  deleteRegistryUnder,
  encryptContact,
  insertHouseholdMoves,
  insertHouseholds,
  insertPartyMembers,
  insertPartyRegistrations,
  insertPersons,
  personIdsUnder,
  runRedGridAssignment,
} from "../../modules/people/index.js";
import { deleteOrganizationsUnder, deletePostsUnder, insertOrganizations, insertPosts, postHolderIdsUnder } from "../../modules/orgs/index.js";
import { deleteCasesUnder, ensureDefaultCatalogue } from "../../modules/cases/index.js";
import { loadDemoCases, type DemoCaseCounts } from "./cases.js";
import { createHash } from "node:crypto";
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

/** Serializes concurrent demo loads (pg_advisory_xact_lock key). */
const demoLockKey = 2026_1122;

/** True when the demo city (成都市, by its division code) is in the area tree. */
export async function hasDemoStreet(db: Db): Promise<boolean> {
  return (await findDemoCity(db)) !== undefined;
}

function findDemoCity(db: Db): Promise<{ id: string; path: string } | undefined> {
  return findAreaByCode(db, demoCityCode, "city");
}

/** Multi-row INSERTs with each chunk as one JSON parameter: several times faster for PGlite to parse. */
const bulk = { asJson: true } as const;

/**
 * Deletes everything under the demo city's path: places, people, party members, organizations of
 * those areas (and their sub-organizations), role grants on them, and the demo logins whose every
 * grant lies in the demo street (an administrator created elsewhere with the same username stays).
 */
async function deleteDemoStreet(tx: Db, cityPath: string): Promise<Record<string, number>> {
  // Cases located in the demo street, and their steps, timers, summons, extensions, photos, notices.
  const deleted: Record<string, number> = await deleteCasesUnder(tx, cityPath);
  deleted.users = await deleteUsersGrantedOnlyUnder(
    tx,
    demoLogins.map((l) => l.username),
    cityPath,
  );
  deleted.roleGrants = await deleteRoleGrantsUnder(tx, cityPath);
  deleted.postHolders = await deletePostHoldersUnder(tx, postHolderIdsUnder(cityPath));
  deleted.posts = await deletePostsUnder(tx, cityPath, personIdsUnder(cityPath));
  Object.assign(deleted, await deleteRegistryUnder(tx, cityPath));
  Object.assign(deleted, await deletePlacesUnder(tx, cityPath));
  deleted.organizations = await deleteOrganizationsUnder(tx, cityPath);
  Object.assign(deleted, await deleteAreasUnder(tx, cityPath));
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

    const takenNames = await takenUsernames(
      tx,
      street.users.map((u) => u.username),
    );
    const newUsers = street.users.filter((u) => !takenNames.has(u.username.toLowerCase()));
    const newUserIds = new Set(newUsers.map((u) => u.id));

    await insertAreas(tx, street.areas, bulk);
    // Each demo grid's first boundary version, as if drawn at the start of 2024, so the grids as
    // they were on a past day (history by validity dates) resolve in the demo too.
    await recordFirstBoundaryVersions(tx, "2024-01-01");
    await insertCompounds(tx, street.compounds, bulk);
    await insertBuildings(tx, street.buildings, bulk);
    await insertBuildingUnits(tx, street.buildingUnits, bulk);
    await insertDwellings(tx, street.dwellings, bulk);
    await insertHouseholds(tx, street.households, bulk);
    const keyring = opts.keyring;
    const takenIds = new Set<string>();
    await insertPersons(
      tx,
      keyring
        ? street.persons.map((p) => {
            const c = demoContact(p, takenIds);
            // Children under 16 have no phone of their own.
            return { ...p, ...encryptContact(keyring, { idNumber: c.idNumber, phone: demoReferenceYear - p.birthYear >= 16 ? c.phone : null }) };
          })
        : street.persons,
      bulk,
    );
    await insertOrganizations(tx, street.organizations, bulk);
    await insertPartyMembers(tx, street.partyMembers, bulk);
    await insertPersons(
      tx,
      street.postHolders.map((p) => ({ ...p, householdId: null, gridId: null, relation: "其他", tags: [], skills: [] })),
      bulk,
    );
    await insertPosts(tx, street.posts, bulk);
    await insertHouseholdMoves(tx, street.householdMoves, bulk);
    // Registration phones are invented like persons' (from the person, or from the registration's
    // id) and stored only encrypted; without a keyring there are none, as for persons.
    const personById = new Map(street.persons.map((p) => [p.id, p]));
    await insertPartyRegistrations(
      tx,
      street.partyRegistrations.map(({ gender, birthYear, registeredAt, decidedAt, ...rest }) => {
        const r = { ...rest, registeredAt: new Date(registeredAt), decidedAt: decidedAt === null ? null : new Date(decidedAt) };
        if (!keyring) return { ...r, phoneEnc: null, phoneHash: null, phoneMasked: null };
        const phone = demoContact((r.personId ? personById.get(r.personId) : undefined) ?? { id: r.id, gender, birthYear }).phone;
        return { ...r, ...encryptContact(keyring, { phone }) };
      }),
      bulk,
    );
    await insertUsers(
      tx,
      newUsers.map((u) => ({ ...u, passwordHash })),
      bulk,
    );
    await insertRoleGrants(
      tx,
      street.roleGrants.filter((g) => newUserIds.has(g.userId)),
      bulk,
    );
    // A demo login skipped because its username is taken keeps no link from the grid's staff.
    await insertGridStaff(
      tx,
      street.gridStaff.map((g) => ({ ...g, userId: g.userId !== null && newUserIds.has(g.userId) ? g.userId : null })),
      bulk,
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
