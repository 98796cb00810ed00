/**
 * Reads other modules make of areas (cases: grid and area names for display, paths for scope),
 * one query per list of ids, so a page of rows costs one look-up rather than one per row.
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { areas } from "./schema.js";

export interface NamedArea {
  name: string;
  path: string;
}

/**
 * The name and path of each of these areas, in name order (the database's collation, then id) so
 * a caller can order its own rows by area name. Unknown ids are absent.
 */
export async function namedAreas(db: Db, ids: readonly (string | null | undefined)[]): Promise<Map<string, NamedArea>> {
  const unique = [...new Set(ids.filter((id): id is string => typeof id === "string"))];
  if (unique.length === 0) return new Map();
  const found = await db
    .select({ id: areas.id, name: areas.name, path: areas.path })
    .from(areas)
    .where(inArray(areas.id, unique))
    .orderBy(asc(areas.name), asc(areas.id));
  return new Map(found.map((a) => [a.id, { name: a.name, path: a.path }]));
}

/** The name of each of these areas, in name order (as `namedAreas`). Unknown ids are absent. */
export async function areaNames(db: Db, ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
  return new Map([...(await namedAreas(db, ids))].map(([id, a]) => [id, a.name]));
}

/** One area's materialised path ("/id/…/id/"), or undefined when there is none. */
export async function areaPath(db: Db, id: string): Promise<string | undefined> {
  const [a] = await db.select({ path: areas.path }).from(areas).where(eq(areas.id, id));
  return a?.path;
}
