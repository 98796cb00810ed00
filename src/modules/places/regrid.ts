/**
 * 网格调整 for places: when grids are split, merged or replaced (areas/reshape.ts), each building of
 * an old grid goes to the new grid holding its point (else to the fallback grid), and its dwellings
 * with it; a dwelling whose building is not on record goes to the fallback.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList as idList, type Db } from "../../platform/db/index.js";
import { SpatialGridIndex, type GridsReshaped } from "../areas/index.js";


export async function movePlacesOnReshape(tx: Db, e: GridsReshaped): Promise<void> {
  if (e.fromGridIds.length === 0) return;
  const from = idList(e.fromGridIds);
  const index = new SpatialGridIndex(e.toGrids.map((g) => ({ id: g.id, code: g.code, geometry: g.boundary })));
  const list = await rows<{ id: string; lng: number; lat: number }>(tx, sql`select id, lng, lat from buildings where grid_id in (${from})`);
  const byTarget = new Map<string, string[]>();
  for (const b of list) {
    const to = index.locate(b.lng, b.lat)?.id ?? e.fallbackGridId;
    byTarget.set(to, [...(byTarget.get(to) ?? []), b.id]);
  }
  for (const [to, ids] of byTarget) {
    for (let i = 0; i < ids.length; i += 1000) await tx.execute(sql`update buildings set grid_id = ${to} where id in (${idList(ids.slice(i, i + 1000))})`);
  }
  await tx.execute(sql`update dwellings d set grid_id = b.grid_id from buildings b where b.id = d.building_id and d.grid_id in (${from})`);
  await tx.execute(sql`update dwellings set grid_id = ${e.fallbackGridId} where grid_id in (${from})`);
}
