/** 户 / 人员: households of the registry, read within scope, masked unless the role needs them. */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { rows } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { abilities, authorize, escapeLike, scopeCondition } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskAddress, maskName } from "../../platform/mask.js";
import { readableAreaPath } from "../areas/service.js";
import { households } from "./schema.js";
import { householdPolicy, householdReaders, type HouseholdRecord } from "./policy.js";

export interface HouseholdView {
  id: string;
  gridId: string;
  gridName: string;
  address: string;
  headName: string;
  size: number;
  note: string | null;
  masked: boolean;
  abilities?: Record<string, boolean>;
}

interface HouseholdRow {
  id: string;
  grid_id: string;
  grid_name: string;
  grid_path: string;
  address: string;
  head_name: string;
  size: number;
  note: string | null;
}

function view(r: HouseholdRow, clear: boolean): HouseholdView {
  return {
    id: r.id,
    gridId: r.grid_id,
    gridName: r.grid_name,
    address: clear ? r.address : maskAddress(r.address),
    headName: clear ? r.head_name : maskName(r.head_name),
    size: r.size,
    note: r.note,
    masked: !clear,
  };
}

const householdSelect = sql`select h.id, h.grid_id, g.name as grid_name, g.path as grid_path, h.address, h.head_name, h.size, h.note
  from households h join areas g on g.id = h.grid_id`;

/** Households under an area, within the actor's scope, masked. A resident sees their own only. */
export async function listHouseholds(
  db: Db,
  actor: Actor,
  opts: { areaId?: string | undefined; page: number; pageSize: number },
): Promise<{ items: HouseholdView[]; total: number; page: number; pageSize: number }> {
  const conds = [sql`(${scopeCondition(actor, householdReaders, sql`g.path`)}${actor.householdId ? sql` or h.id = ${actor.householdId}` : sql``})`];
  if (opts.areaId) conds.push(sql`g.path like ${`${escapeLike(await readableAreaPath(db, actor, opts.areaId))}%`}`);
  const where = sql.join(conds, sql` and `);
  const offset = (opts.page - 1) * opts.pageSize;
  // One round trip: the total rides along as a window count (only a page past the end needs a second query).
  const list = await rows<HouseholdRow & { total: string | number }>(
    db,
    sql`select h.id, h.grid_id, g.name as grid_name, g.path as grid_path, h.address, h.head_name, h.size, h.note, count(*) over () as total
        from households h join areas g on g.id = h.grid_id
        where ${where} order by g.code, h.address limit ${opts.pageSize} offset ${offset}`,
  );
  let total = Number(list[0]?.total ?? 0);
  if (list.length === 0 && offset > 0) {
    const [count] = await rows<{ n: string | number }>(db, sql`select count(*) as n from households h join areas g on g.id = h.grid_id where ${where}`);
    total = Number(count?.n ?? 0);
  }
  return { items: list.map((r) => view(r, false)), total, page: opts.page, pageSize: opts.pageSize };
}

async function loadHousehold(db: Db, id: string): Promise<(HouseholdRecord & { row: HouseholdRow }) | undefined> {
  const [r] = await rows<HouseholdRow>(db, sql`${householdSelect} where h.id = ${id}`);
  return r ? { id: r.id, areaPath: r.grid_path, row: r } : undefined;
}

/** One household; clear values for roles whose work needs them, and each such read is audited. */
export async function getHousehold(db: Db, actor: Actor, id: string): Promise<HouseholdView> {
  const h = await loadHousehold(db, id);
  authorize(actor, "read", h, householdPolicy);
  const clear = householdPolicy.readClear(actor, h);
  if (clear && actor.householdId !== h.id) {
    await recordAudit(db, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "household.readClear",
      entityType: "household",
      entityId: h.id,
      change: { fields: ["address", "headName"] },
      summary: { fields: ["address", "headName"] },
    });
  }
  return { ...view(h.row, clear), abilities: abilities(householdPolicy, actor, h) };
}

/** Updates the worker's note on a household; audited. */
export async function updateHousehold(db: Db, actor: Actor, id: string, patch: { note: string | null }): Promise<HouseholdView> {
  await db.transaction(async (tx) => {
    const h = await loadHousehold(tx, id);
    authorize(actor, "update", h, householdPolicy);
    await tx.update(households).set({ note: patch.note, updatedAt: new Date() }).where(eq(households.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "household.update",
      entityType: "household",
      entityId: id,
      change: { before: { note: h.row.note }, after: patch },
      summary: { fields: ["note"] },
    });
  });
  return getHousehold(db, actor, id);
}
