/**
 * Reads other modules make of persons (cases: the resident a worker reports for), with the grid
 * each person lives in — its path decides whose scope they are in, its name is shown.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";

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
