/** Reads other modules make of places (cases: where a report about a building is). */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";

/** A building's point and the grid it is in (with the grid's path). */
export interface BuildingLocation {
  lng: number;
  lat: number;
  gridId: string;
  gridPath: string;
}

/** Where this building is; undefined when unknown (or its grid is). */
export async function buildingLocation(db: Db, id: string): Promise<BuildingLocation | undefined> {
  const [b] = await rows<{ lng: number; lat: number; grid_id: string; grid_path: string }>(
    db,
    sql`select b.lng, b.lat, b.grid_id, g.path as grid_path from buildings b join areas g on g.id = b.grid_id where b.id = ${id}`,
  );
  return b && { lng: Number(b.lng), lat: Number(b.lat), gridId: b.grid_id, gridPath: b.grid_path };
}
