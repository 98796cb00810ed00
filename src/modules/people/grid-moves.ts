/**
 * The one way households change grid. Three things move them: a household moving to a dwelling in
 * another grid (service.ts `moveHousehold`), a building whose point moves into another grid
 * (places publishes `building.moved`), and grids being split, merged or replaced (areas publishes
 * `area.gridsReshaped`). All three end here, so one rule holds for all of them.
 *
 * A household's persons go with it. Then its red grid link (红色网格员, red_grid_assignments):
 *
 * - A red grid member looks after households of their own grid only (DOMAIN §1; red-grid.ts: "the
 *   member serves households of this grid only", and a pinned choice must be a member of the
 *   household's grid). An automatic link is the assignment run's result under that rule, so it
 *   stands as long as the household and its member still stand in one grid: a merge keeps it, a
 *   split or move that lands them in one grid keeps it, and one that parts them drops it (the
 *   household waits for the next run, which places it with a member of its new grid). A member who
 *   moves is judged the same way, for every household they look after.
 * - A pinned link (or a pinned "no one") is a person's decision: it is kept whatever moved, and
 *   counted, so the answer can tell the worker to look at it again.
 *
 * Before this rule, moving a building dropped every automatic link of its households while
 * reshaping grids kept all of them, so a split could leave households with a member of another grid.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { GridsReshaped } from "../areas/index.js";
import type { BuildingMoved } from "../places/index.js";
import { events } from "../../platform/events/index.js";
import type { HouseholdMoveCause, HouseholdsMoved } from "./events.js";

export interface HouseholdMove {
  householdId: string;
  gridId: string;
}

export interface RedGridAfterMove {
  households: number;
  /** Automatic links dropped because household and member no longer share a grid. */
  dropped: number;
  /** Pinned links of the moved households, kept. */
  pinnedKept: number;
}

/** A uuid[] parameter: one bind value however many ids (a reshape moves whole grids). */
const uuidArray = (ids: readonly string[]) => sql`${`{${ids.join(",")}}`}::uuid[]`;

/**
 * Moves households (with their persons) to grids, and `loose` persons — persons of `fromGridIds`
 * who are in none of the moved households — to their household's grid, or to `gridId` when they
 * have none; then applies the red grid rule above to every link touching what moved.
 */
export async function moveHouseholds(
  tx: Db,
  cause: HouseholdMoveCause,
  moves: readonly HouseholdMove[],
  loose?: { fromGridIds: readonly string[]; gridId: string },
): Promise<RedGridAfterMove> {
  const byGrid = new Map<string, string[]>();
  for (const m of moves) byGrid.set(m.gridId, [...(byGrid.get(m.gridId) ?? []), m.householdId]);
  const changed: HouseholdsMoved["moves"] = [];
  for (const [gridId, ids] of byGrid) {
    const moved = await rows<{ id: string; from_grid_id: string }>(
      tx,
      sql`update households h set grid_id = ${gridId}, updated_at = now() from households old
          where old.id = h.id and h.id = any(${uuidArray(ids)}) and h.grid_id <> ${gridId}
          returning h.id, old.grid_id as from_grid_id`,
    );
    for (const m of moved) changed.push({ householdId: m.id, fromGridId: m.from_grid_id, toGridId: gridId });
    await tx.execute(sql`update persons set grid_id = ${gridId}, updated_at = now() where household_id = any(${uuidArray(ids)}) and grid_id is distinct from ${gridId}`);
  }
  const householdIds = moves.map((m) => m.householdId);
  let loosePersons: string[] = [];
  if (loose && loose.fromGridIds.length > 0) {
    const from = uuidArray(loose.fromGridIds);
    const withHousehold = await rows<{ id: string }>(
      tx,
      sql`update persons p set grid_id = h.grid_id, updated_at = now() from households h where h.id = p.household_id and p.grid_id = any(${from}) returning p.id`,
    );
    const without = await rows<{ id: string }>(tx, sql`update persons set grid_id = ${loose.gridId}, updated_at = now() where grid_id = any(${from}) returning id`);
    loosePersons = [...withHousehold, ...without].map((p) => p.id);
  }
  if (householdIds.length === 0 && loosePersons.length === 0) return { households: 0, dropped: 0, pinnedKept: 0 };
  const hs = uuidArray(householdIds);
  const dropped = await rows<{ household_id: string }>(
    tx,
    sql`delete from red_grid_assignments r using households h, party_members m, persons p
        where h.id = r.household_id and m.id = r.member_id and p.id = m.person_id and r.pinned = false
          and (r.household_id = any(${hs}) or p.household_id = any(${hs}) or p.id = any(${uuidArray(loosePersons)}))
          and p.grid_id is distinct from h.grid_id
        returning r.household_id`,
  );
  const [kept] = await rows<{ n: string | number }>(tx, sql`select count(*) as n from red_grid_assignments where household_id = any(${hs}) and pinned = true`);
  if (changed.length > 0) await events.publish(tx, "households.moved", { cause, moves: changed });
  return { households: householdIds.length, dropped: dropped.length, pinnedKept: Number(kept?.n ?? 0) };
}

/** `building.moved`: the households living in the building go to its new grid. */
export async function moveHouseholdsOfBuilding(tx: Db, e: BuildingMoved): Promise<void> {
  const hs = await rows<{ id: string }>(tx, sql`select h.id from households h join dwellings d on d.id = h.dwelling_id where d.building_id = ${e.buildingId}`);
  const r = await moveHouseholds(tx, "building", hs.map((h) => ({ householdId: h.id, gridId: e.toGridId })));
  e.moved.households += r.households;
  e.moved.redGridDropped += r.dropped;
  e.moved.redGridPinnedKept += r.pinnedKept;
}

/**
 * `area.gridsReshaped`: each household of the old grids goes to the grid its dwelling now has
 * (places moved the dwellings first), one without a dwelling on record to the fallback; persons
 * go with their household, persons without one to the fallback.
 */
export async function moveHouseholdsOnReshape(tx: Db, e: GridsReshaped): Promise<void> {
  if (e.fromGridIds.length === 0) return;
  const hs = await rows<{ id: string; grid_id: string }>(
    tx,
    sql`select h.id, coalesce(d.grid_id, ${e.fallbackGridId}::uuid) as grid_id from households h left join dwellings d on d.id = h.dwelling_id
        where h.grid_id = any(${uuidArray(e.fromGridIds)})`,
  );
  await moveHouseholds(tx, "reshape", hs.map((h) => ({ householdId: h.id, gridId: h.grid_id })), { fromGridIds: e.fromGridIds, gridId: e.fallbackGridId });
}
