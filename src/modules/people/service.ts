/** 户 / 人员: households of the registry, read within scope, masked unless the role needs them. */
import { chinaDateOf } from "../../platform/calendar/index.js";
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { rows } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { abilities, authorize, escapeLike, scopeCondition } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskAddress, maskName } from "../../platform/mask.js";
import { readableAreaPath } from "../areas/index.js";
import { loadDwellingPlace } from "../places/index.js";
import { moveHouseholds } from "./grid-moves.js";
import { householdMoves, households } from "./schema.js";
import { householdPolicy, householdReaders, type HouseholdRecord } from "./policy.js";

export interface HouseholdView {
  id: string;
  gridId: string;
  gridName: string;
  dwellingId: string;
  /** The building the household lives in (null for a household whose dwelling is not registered). */
  buildingId: string | null;
  address: string;
  /**
   * Where in the compound: 紫荆苑 3栋 2单元 502室 — enough for the grid's workers to tell the rows
   * of a list apart. Clear for roles that may read the household clear (the building page shows
   * them the same rooms), digits hidden otherwise; null without a registered dwelling.
   */
  place: string | null;
  headName: string;
  size: number;
  /** The staff's note: only for roles that may see clear personal data of the household (detail only). */
  note?: string | null;
  masked: boolean;
  /** The red grid member looking after the household (detail only). */
  redGridMember?: { memberId: string; name: string; pinned: boolean } | null;
  abilities?: Record<string, boolean>;
}

interface HouseholdRow {
  id: string;
  grid_id: string;
  grid_name: string;
  grid_path: string;
  dwelling_id: string;
  building_id: string | null;
  address: string;
  place: string | null;
  head_name: string;
  size: number;
  note: string | null;
}

function view(r: HouseholdRow, clear: boolean, withNote = false, placeClear = clear): HouseholdView {
  return {
    id: r.id,
    gridId: r.grid_id,
    gridName: r.grid_name,
    dwellingId: r.dwelling_id,
    buildingId: r.building_id,
    address: clear ? r.address : maskAddress(r.address),
    place: r.place === null ? null : clear || placeClear ? r.place : maskAddress(r.place),
    headName: clear ? r.head_name : maskName(r.head_name),
    size: r.size,
    ...(withNote ? { note: r.note } : {}),
    masked: !clear,
  };
}

/**
 * A dwelling's place in its compound, 紫荆苑 3栋 2单元 502室, from the address tree joined as c, b,
 * u, d (places' read model); a room number already ending in 室 does not get a second one.
 */
export const placeLabel = sql.raw(`c.name || ' ' || b.name || ' ' || u.name || ' ' || d.room_no || case when d.room_no like '%室' then '' else '室' end`);

const householdColumns = sql`h.id, h.grid_id, g.name as grid_name, g.path as grid_path, h.dwelling_id, d.building_id, h.address,
  ${placeLabel} as place, h.head_name, h.size, h.note`;
// The address tree is places' published read model (ADR 007).
export const householdFrom = sql`households h join areas g on g.id = h.grid_id left join dwellings d on d.id = h.dwelling_id
  left join building_units u on u.id = d.unit_id left join buildings b on b.id = d.building_id left join compounds c on c.id = b.compound_id`;
const householdSelect = sql`select ${householdColumns} from ${householdFrom}`;

/** Households under an area, within the actor's scope, masked and without the staff's notes. A resident sees their own only. */
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
    sql`select ${householdColumns}, count(*) over () as total from ${householdFrom}
        where ${where} order by g.code, h.address limit ${opts.pageSize} offset ${offset}`,
  );
  let total = Number(list[0]?.total ?? 0);
  if (list.length === 0 && offset > 0) {
    const [count] = await rows<{ n: string | number }>(db, sql`select count(*) as n from households h join areas g on g.id = h.grid_id where ${where}`);
    total = Number(count?.n ?? 0);
  }
  // Names and addresses stay masked in lists; the place within the compound is clear where the
  // household may be read clear (the grid's own workers), so they can tell the rows apart.
  const placeClear = (r: HouseholdRow) => householdPolicy.readClear(actor, { id: r.id, areaPath: r.grid_path });
  return { items: list.map((r) => view(r, false, false, placeClear(r))), total, page: opts.page, pageSize: opts.pageSize };
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
  const withNote = householdPolicy.readNote(actor, h);
  if (clear && actor.householdId !== h.id) {
    const fields = withNote ? ["address", "headName", "note"] : ["address", "headName"];
    await recordAudit(db, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "household.readClear",
      entityType: "household",
      entityId: h.id,
      change: { fields },
      summary: { fields },
    });
  }
  const [member] = await rows<{ member_id: string; name: string; pinned: boolean }>(
    db,
    sql`select a.member_id, p.name, a.pinned from red_grid_assignments a join party_members m on m.id = a.member_id
        join persons p on p.id = m.person_id where a.household_id = ${id}`,
  );
  const redGridMember = member ? { memberId: member.member_id, name: clear ? member.name : maskName(member.name), pinned: member.pinned } : null;
  return { ...view(h.row, clear, withNote), redGridMember, abilities: abilities(householdPolicy, actor, h) };
}

/** Today's date in China (YYYY-MM-DD), the calendar the registry's dates are kept in. */
export function todayInChina(now = new Date()): string {
  return chinaDateOf(now);
}

function checkDay(value: string, field: string, now: Date): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new AppError("validation_failed", { detail: "日期格式应为 YYYY-MM-DD" }, field);
  }
  if (value > todayInChina(now)) throw new AppError("validation_failed", { detail: "日期不能晚于今天" }, field);
  return value;
}

function cleanText(value: string, field: string): string {
  const v = value.trim();
  if (v === "") throw new AppError("validation_failed", { detail: "不能为空" }, field);
  return v;
}

/** The dwelling a household goes to: unknown or outside the actor's scope → 404 on the field. */
async function targetDwelling(db: Db, actor: Actor, dwellingId: string, field: string) {
  const place = await loadDwellingPlace(db, dwellingId);
  const record = place ? { id: "", areaPath: place.gridPath } : undefined;
  if (!place || !record || !householdPolicy.read(actor, record)) throw new AppError("not_found", {}, field);
  if (!householdPolicy.update(actor, record)) throw new AppError("forbidden", {}, field);
  return place;
}

/**
 * Registers a household in a dwelling. The address is composed from compound, building, unit and
 * room unless given; the move-in is the first row of the household's move history.
 */
export async function createHousehold(
  db: Db,
  actor: Actor,
  input: { dwellingId: string; headName: string; size: number; note?: string | null | undefined; address?: string | undefined; movedInOn?: string | undefined },
  now = new Date(),
): Promise<HouseholdView> {
  const headName = cleanText(input.headName, "headName");
  const movedOn = input.movedInOn !== undefined ? checkDay(input.movedInOn, "movedInOn", now) : todayInChina(now);
  const id = await db.transaction(async (tx) => {
    const place = await targetDwelling(tx, actor, input.dwellingId, "dwellingId");
    const address = input.address !== undefined && input.address.trim() !== "" ? input.address.trim() : place.address;
    const [h] = await tx
      .insert(households)
      .values({ dwellingId: place.id, gridId: place.gridId, address, headName, size: input.size, note: input.note ?? null })
      .returning({ id: households.id });
    await tx.insert(householdMoves).values({ householdId: h!.id, fromDwellingId: null, toDwellingId: place.id, movedOn });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "household.create",
      entityType: "household",
      entityId: h!.id,
      change: { dwellingId: place.id, gridId: place.gridId, address, headName, size: input.size, note: input.note ?? null, movedOn },
      summary: { gridId: place.gridId, dwellingId: place.id },
    });
    return h!.id;
  });
  return getHousehold(db, actor, id);
}

/** Edits a household's registered head, size, address or the worker's note; audited. */
export async function updateHousehold(
  db: Db,
  actor: Actor,
  id: string,
  patch: { note?: string | null | undefined; headName?: string | undefined; size?: number | undefined; address?: string | undefined },
): Promise<HouseholdView> {
  const set: { note?: string | null; headName?: string; size?: number; address?: string } = {};
  if (patch.note !== undefined) set.note = patch.note;
  if (patch.headName !== undefined) set.headName = cleanText(patch.headName, "headName");
  if (patch.size !== undefined) set.size = patch.size;
  if (patch.address !== undefined) set.address = cleanText(patch.address, "address");
  await db.transaction(async (tx) => {
    const h = await loadHousehold(tx, id);
    authorize(actor, "update", h, householdPolicy);
    await tx.update(households).set({ ...set, updatedAt: new Date() }).where(eq(households.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "household.update",
      entityType: "household",
      entityId: id,
      change: { before: { note: h.row.note, headName: h.row.head_name, size: h.row.size, address: h.row.address }, after: set },
      summary: { fields: Object.keys(set) },
    });
  });
  return getHousehold(db, actor, id);
}

export interface HouseholdMoveResult {
  household: HouseholdView;
  move: { id: string; movedOn: string; gridChanged: boolean };
  /** What happened to the red grid link when the grid changed: an automatic one is dropped, a pinned one kept (and should be looked at). */
  redGrid: { dropped: boolean; pinnedKept: boolean };
}

/**
 * Moves a household to another dwelling on a day: a `household_moves` row keeps the history;
 * dwelling, grid and address change, the persons follow the grid, and the red grid link is
 * dropped when the grid changes unless a person pinned it (then it is kept and flagged).
 */
export async function moveHousehold(db: Db, actor: Actor, id: string, input: { toDwellingId: string; movedOn: string }, now = new Date()): Promise<HouseholdMoveResult> {
  const movedOn = checkDay(input.movedOn, "movedOn", now);
  const result = await db.transaction(async (tx) => {
    const h = await loadHousehold(tx, id);
    authorize(actor, "update", h, householdPolicy);
    await tx.select({ id: households.id }).from(households).where(eq(households.id, id)).for("update");
    const place = await targetDwelling(tx, actor, input.toDwellingId, "toDwellingId");
    if (place.id === h.row.dwelling_id) throw new AppError("household_move_same_dwelling", {}, "toDwellingId");
    const [last] = await rows<{ moved_on: string | Date | null }>(tx, sql`select max(moved_on) as moved_on from household_moves where household_id = ${id}`);
    const lastDay = last?.moved_on ? (last.moved_on instanceof Date ? last.moved_on.toISOString().slice(0, 10) : String(last.moved_on).slice(0, 10)) : null;
    if (lastDay && movedOn < lastDay) throw new AppError("household_move_before_last", { last: lastDay }, "movedOn");
    const [m] = await tx.insert(householdMoves).values({ householdId: id, fromDwellingId: h.row.dwelling_id, toDwellingId: place.id, movedOn }).returning({ id: householdMoves.id });
    await tx.update(households).set({ dwellingId: place.id, address: place.address, updatedAt: new Date() }).where(eq(households.id, id));
    const gridChanged = place.gridId !== h.row.grid_id;
    const red = gridChanged ? await moveHouseholds(tx, "household", [{ householdId: id, gridId: place.gridId }]) : { dropped: 0, pinnedKept: 0 };
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "household.move",
      entityType: "household",
      entityId: id,
      change: { fromDwellingId: h.row.dwelling_id, toDwellingId: place.id, movedOn, fromGridId: h.row.grid_id, toGridId: place.gridId, redGrid: red },
      summary: { gridChanged, redGridDropped: red.dropped > 0, redGridPinnedKept: red.pinnedKept > 0 },
    });
    return { move: { id: m!.id, movedOn, gridChanged }, redGrid: { dropped: red.dropped > 0, pinnedKept: red.pinnedKept > 0 } };
  });
  return { household: await getHousehold(db, actor, id), ...result };
}

export interface HouseholdMoveView {
  id: string;
  fromDwellingId: string | null;
  fromPlace: string | null;
  fromBuildingId: string | null;
  toDwellingId: string;
  toPlace: string | null;
  toBuildingId: string | null;
  movedOn: string;
  recordedAt: string;
}

/** A household's moves, newest first; places masked unless the role needs them. */
export async function listHouseholdMoves(db: Db, actor: Actor, id: string): Promise<HouseholdMoveView[]> {
  const h = await loadHousehold(db, id);
  authorize(actor, "read", h, householdPolicy);
  const clear = householdPolicy.readClear(actor, h);
  const placeOf = (alias: string) =>
    sql`(select ${placeLabel} from dwellings d join building_units u on u.id = d.unit_id
      join buildings b on b.id = d.building_id join compounds c on c.id = b.compound_id where d.id = ${sql.raw(`m.${alias}`)})`;
  const list = await rows<{
    id: string;
    from_dwelling_id: string | null;
    from_place: string | null;
    from_building_id: string | null;
    to_dwelling_id: string;
    to_place: string | null;
    to_building_id: string | null;
    moved_on: string | Date;
    recorded_at: string | Date;
  }>(
    db,
    sql`select m.id, m.from_dwelling_id, ${placeOf("from_dwelling_id")} as from_place, (select building_id from dwellings where id = m.from_dwelling_id) as from_building_id,
          m.to_dwelling_id, ${placeOf("to_dwelling_id")} as to_place, (select building_id from dwellings where id = m.to_dwelling_id) as to_building_id,
          m.moved_on::text as moved_on, m.recorded_at
        from household_moves m where m.household_id = ${id} order by m.moved_on desc, m.recorded_at desc`,
  );
  const place = (p: string | null) => (p === null ? null : clear ? p : maskAddress(p));
  return list.map((r) => ({
    id: r.id,
    fromDwellingId: r.from_dwelling_id,
    fromPlace: place(r.from_place),
    fromBuildingId: r.from_building_id,
    toDwellingId: r.to_dwelling_id,
    toPlace: place(r.to_place),
    toBuildingId: r.to_building_id,
    movedOn: String(r.moved_on).slice(0, 10),
    recordedAt: new Date(r.recorded_at).toISOString(),
  }));
}
