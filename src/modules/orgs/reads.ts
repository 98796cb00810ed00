/**
 * Reads other modules make of organizations (cases: department names for display, the departments
 * a category, a dispatch or a whistle may name), one query per list of ids.
 */
import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { organizations } from "./schema.js";

/**
 * The name of each of these organizations, in name order (the database's collation, then id) so a
 * caller can order its own rows by it. Unknown ids are absent.
 */
export async function organizationNames(db: Db, ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
  if (unique.length === 0) return new Map();
  const found = await db
    .select({ id: organizations.id, name: organizations.name })
    .from(organizations)
    .where(inArray(organizations.id, unique))
    .orderBy(asc(organizations.name), asc(organizations.id));
  return new Map(found.map((o) => [o.id, o.name]));
}

const activeDepartment = and(eq(organizations.kind, "department"), isNull(organizations.dissolvedOn));

/** Whether this organization is a department (kind department) that is not dissolved. */
export async function isActiveDepartment(db: Db, id: string): Promise<boolean> {
  const [o] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(and(eq(organizations.id, id), activeDepartment));
  return o !== undefined;
}

/** Every department not dissolved, by name (then id). */
export async function activeDepartments(db: Db): Promise<{ id: string; name: string }[]> {
  return db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(activeDepartment).orderBy(asc(organizations.name), asc(organizations.id));
}

/**
 * Departments (kind department, not dissolved) whose area is an area on the way to `areaPathBelow`
 * (that area, or one above it), or that have no area: those a street or community under that
 * path may summon (街乡吹哨).
 */
function summonableCondition(areaPathBelow: string): SQL {
  return sql`${organizations.kind} = 'department' and ${organizations.dissolvedOn} is null and (${organizations.areaId} is null or exists (
    select 1 from areas da where da.id = ${organizations.areaId} and starts_with(${areaPathBelow}::text, da.path)))`;
}

/**
 * These organizations with their names and whether a case at `areaPathBelow` may summon each
 * (see `summonableCondition`). Unknown ids are absent.
 */
export async function summonability(db: Db, ids: readonly string[], areaPathBelow: string): Promise<{ id: string; name: string; summonable: boolean }[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: organizations.id, name: organizations.name, summonable: sql<boolean>`(${summonableCondition(areaPathBelow)})` })
    .from(organizations)
    .where(inArray(organizations.id, [...ids]));
}

/** The departments summonable from any of these area paths, by name (then id), with their area. */
export async function summonableDepartments(db: Db, areaPaths: readonly string[]): Promise<{ id: string; name: string; areaId: string | null }[]> {
  if (areaPaths.length === 0) return [];
  return db
    .select({ id: organizations.id, name: organizations.name, areaId: organizations.areaId })
    .from(organizations)
    .where(sql.join(areaPaths.map((p) => sql`(${summonableCondition(p)})`), sql` or `))
    .orderBy(asc(organizations.name), asc(organizations.id));
}
