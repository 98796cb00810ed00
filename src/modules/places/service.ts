/**
 * 小区 / 楼栋 / 单元 / 房屋: the physical places households live in. A building's point decides its
 * grid (through the grid index); its units and dwellings, and the households and persons living
 * there, carry that grid for scope. Places are deleted only when nothing is left inside them.
 */
import { and, eq, sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { abilities, authorize, scopeCondition } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskName } from "../../platform/mask.js";
import { events } from "../../platform/events/index.js";
import { buildings, buildingUnits, compounds, dwellings } from "./schema.js";
import type { BuildingMoved } from "./events.js";
import { geometryProblem, type Geometry, type GridIndex } from "../areas/index.js";
import { compoundPolicy, occupantPolicy, placePolicy, placeReaders, type PlaceRecord } from "./policy.js";
import { placeOccupants } from "./occupants-port.js";

const auditActor = (actor: Actor) => ({ kind: actor.kind, id: actor.userId });

// --- addresses ----------------------------------------------------------------------------

/**
 * The address of a dwelling: the compound's street address, then the compound's name without the
 * part the address already ends with ("…玉林北路8号" + "玉林北路8号院" → "…玉林北路8号院"),
 * then building, unit and room ("3栋2单元502室").
 */
export function composeAddress(p: { compoundAddress: string; compoundName: string; buildingName: string; unitName: string; roomNo: string }): string {
  let overlap = 0;
  for (let n = Math.min(p.compoundAddress.length, p.compoundName.length); n > 0; n--) {
    if (p.compoundAddress.endsWith(p.compoundName.slice(0, n))) {
      overlap = n;
      break;
    }
  }
  const room = /室$/.test(p.roomNo) ? p.roomNo : `${p.roomNo}室`;
  return `${p.compoundAddress}${p.compoundName.slice(overlap)}${p.buildingName}${p.unitName}${room}`;
}

export interface DwellingPlace {
  id: string;
  unitId: string;
  buildingId: string;
  gridId: string;
  gridPath: string;
  communityId: string | null;
  floor: number;
  roomNo: string;
  /** "玉林小区 3栋 2单元 502室" (personal when tied to a household). */
  label: string;
  address: string;
}

/** A dwelling with its place names and composed address; undefined when unknown. */
export async function loadDwellingPlace(db: Db, id: string): Promise<DwellingPlace | undefined> {
  const [r] = await rows<{
    id: string;
    unit_id: string;
    building_id: string;
    grid_id: string;
    grid_path: string;
    community_id: string | null;
    floor: number;
    room_no: string;
    unit_name: string;
    building_name: string;
    compound_name: string;
    compound_address: string;
  }>(
    db,
    sql`select d.id, d.unit_id, d.building_id, d.grid_id, g.path as grid_path, g.parent_id as community_id, d.floor, d.room_no,
          u.name as unit_name, b.name as building_name, c.name as compound_name, c.address as compound_address
        from dwellings d join building_units u on u.id = d.unit_id join buildings b on b.id = d.building_id
        join compounds c on c.id = b.compound_id join areas g on g.id = d.grid_id
        where d.id = ${id}`,
  );
  if (!r) return undefined;
  return {
    id: r.id,
    unitId: r.unit_id,
    buildingId: r.building_id,
    gridId: r.grid_id,
    gridPath: r.grid_path,
    communityId: r.community_id,
    floor: r.floor,
    roomNo: r.room_no,
    label: `${r.compound_name} ${r.building_name} ${r.unit_name} ${r.room_no}室`,
    address: composeAddress({ compoundAddress: r.compound_address, compoundName: r.compound_name, buildingName: r.building_name, unitName: r.unit_name, roomNo: r.room_no }),
  };
}

// --- compounds ----------------------------------------------------------------------------

export interface CompoundView {
  id: string;
  communityId: string;
  name: string;
  address: string;
  buildingCount: number;
  abilities?: Record<string, boolean>;
}

async function loadCommunity(db: Db, communityId: string, field = "communityId"): Promise<{ id: string; path: string }> {
  const [a] = await rows<{ id: string; path: string; level: string }>(db, sql`select id, path, level from areas where id = ${communityId}`);
  if (!a || a.level !== "community") throw new AppError("not_found", {}, field);
  return a;
}

async function loadCompound(db: Db, id: string): Promise<(PlaceRecord & { row: CompoundView }) | undefined> {
  const [r] = await rows<{ id: string; community_id: string; name: string; address: string; path: string; buildings: string | number }>(
    db,
    sql`select c.id, c.community_id, c.name, c.address, a.path, (select count(*) from buildings b where b.compound_id = c.id) as buildings
        from compounds c join areas a on a.id = c.community_id where c.id = ${id}`,
  );
  return r
    ? { id: r.id, areaPath: r.path, row: { id: r.id, communityId: r.community_id, name: r.name, address: r.address, buildingCount: Number(r.buildings) } }
    : undefined;
}

/** Compounds of a community, with their building counts. */
export async function listCompounds(db: Db, actor: Actor, communityId: string): Promise<CompoundView[]> {
  const community = await loadCommunity(db, communityId);
  authorize(actor, "read", { id: community.id, areaPath: community.path }, compoundPolicy);
  const list = await rows<{ id: string; community_id: string; name: string; address: string; buildings: string | number }>(
    db,
    sql`select c.id, c.community_id, c.name, c.address, (select count(*) from buildings b where b.compound_id = c.id) as buildings
        from compounds c where c.community_id = ${communityId} order by c.name`,
  );
  return list.map((r) => ({
    id: r.id,
    communityId: r.community_id,
    name: r.name,
    address: r.address,
    buildingCount: Number(r.buildings),
    abilities: abilities(compoundPolicy, actor, { id: r.id, areaPath: community.path }),
  }));
}

function cleanText(value: string, field: string): string {
  const v = value.trim();
  if (v === "") throw new AppError("validation_failed", { detail: "不能为空" }, field);
  return v;
}

export async function createCompound(db: Db, actor: Actor, input: { communityId: string; name: string; address: string }): Promise<CompoundView> {
  const name = cleanText(input.name, "name");
  const address = cleanText(input.address, "address");
  const id = await db.transaction(async (tx) => {
    const community = await loadCommunity(tx, input.communityId);
    authorize(actor, "edit", { id: community.id, areaPath: community.path }, compoundPolicy);
    const [c] = await tx.insert(compounds).values({ communityId: community.id, name, address }).returning({ id: compounds.id });
    await recordAudit(tx, { actor: auditActor(actor), action: "compound.create", entityType: "compound", entityId: c!.id, change: { communityId: community.id, name, address }, summary: { name } });
    return c!.id;
  });
  return getCompound(db, actor, id);
}

export async function getCompound(db: Db, actor: Actor, id: string): Promise<CompoundView> {
  const c = await loadCompound(db, id);
  authorize(actor, "read", c, compoundPolicy);
  return { ...c.row, abilities: abilities(compoundPolicy, actor, c) };
}

/** Renames a compound or corrects its street address (existing household addresses stay as registered). */
export async function updateCompound(db: Db, actor: Actor, id: string, patch: { name?: string | undefined; address?: string | undefined }): Promise<CompoundView> {
  const set: { name?: string; address?: string } = {};
  if (patch.name !== undefined) set.name = cleanText(patch.name, "name");
  if (patch.address !== undefined) set.address = cleanText(patch.address, "address");
  await db.transaction(async (tx) => {
    const c = await loadCompound(tx, id);
    authorize(actor, "edit", c, compoundPolicy);
    await tx.update(compounds).set(set).where(eq(compounds.id, id));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "compound.update",
      entityType: "compound",
      entityId: id,
      change: { before: { name: c.row.name, address: c.row.address }, after: set },
      summary: { fields: Object.keys(set) },
    });
  });
  return getCompound(db, actor, id);
}

export async function deleteCompound(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const c = await loadCompound(tx, id);
    authorize(actor, "edit", c, compoundPolicy);
    if (c.row.buildingCount > 0) throw new AppError("place_not_empty", { what: "小区", count: c.row.buildingCount, children: "楼栋" });
    await tx.delete(compounds).where(eq(compounds.id, id));
    await recordAudit(tx, { actor: auditActor(actor), action: "compound.delete", entityType: "compound", entityId: id, change: c.row, summary: { name: c.row.name } });
  });
}

// --- buildings ----------------------------------------------------------------------------

export interface BuildingHead {
  personId: string;
  name: string;
}

export interface BuildingSummary {
  id: string;
  compoundId: string;
  compoundName: string;
  gridId: string;
  gridName: string;
  name: string;
  floors: number;
  lng: number;
  lat: number;
  unitCount: number;
  dwellingCount: number;
  householdCount: number;
}

export interface BuildingDetail extends BuildingSummary {
  communityId: string;
  footprint: Geometry | null;
  buildingHeads: BuildingHead[];
  units: {
    id: string;
    name: string;
    dwellings: { id: string; floor: number; roomNo: string; floorAreaM2: number | null; households: { id: string; headName: string; size: number }[] }[];
  }[];
  masked: boolean;
  abilities: Record<string, boolean>;
}

interface BuildingRow {
  id: string;
  compound_id: string;
  compound_name: string;
  community_id: string;
  grid_id: string;
  grid_name: string;
  grid_path: string;
  name: string;
  floors: number;
  lng: number;
  lat: number;
  footprint: Geometry | null;
  units: string | number;
  dwellings: string | number;
  households: number;
}

/**
 * Adds each building's household count: households are people's rows, counted through the
 * occupants port in one query for the whole list.
 */
async function withHouseholds(db: Db, list: Omit<BuildingRow, "households">[]): Promise<BuildingRow[]> {
  const counts = await placeOccupants().householdCountsByBuilding(
    db,
    list.map((r) => r.id),
  );
  return list.map((r) => ({ ...r, households: counts.get(r.id) ?? 0 }));
}

const buildingSelect = sql`select b.id, b.compound_id, c.name as compound_name, c.community_id, b.grid_id, g.name as grid_name, g.path as grid_path,
    b.name, b.floors, b.lng, b.lat, b.footprint,
    (select count(*) from building_units u where u.building_id = b.id) as units,
    (select count(*) from dwellings d where d.building_id = b.id) as dwellings
  from buildings b join compounds c on c.id = b.compound_id join areas g on g.id = b.grid_id`;

function buildingSummary(r: BuildingRow): BuildingSummary {
  return {
    id: r.id,
    compoundId: r.compound_id,
    compoundName: r.compound_name,
    gridId: r.grid_id,
    gridName: r.grid_name,
    name: r.name,
    floors: r.floors,
    lng: r.lng,
    lat: r.lat,
    unitCount: Number(r.units),
    dwellingCount: Number(r.dwellings),
    householdCount: r.households,
  };
}

async function loadBuilding(db: Db, id: string): Promise<(PlaceRecord & { row: BuildingRow }) | undefined> {
  const [r] = await withHouseholds(db, await rows<Omit<BuildingRow, "households">>(db, sql`${buildingSelect} where b.id = ${id}`));
  return r ? { id: r.id, areaPath: r.grid_path, row: r } : undefined;
}

/** Buildings of a grid or of a compound, within the actor's scope. */
export async function listBuildings(db: Db, actor: Actor, opts: { gridId?: string | undefined; compoundId?: string | undefined }): Promise<BuildingSummary[]> {
  if (!opts.gridId && !opts.compoundId) throw new AppError("validation_failed", { detail: "需要 gridId 或 compoundId" }, "gridId");
  const conds = [sql`(${scopeCondition(actor, placeReaders, sql`g.path`)})`];
  if (opts.gridId) {
    const [g] = await rows<{ path: string; level: string }>(db, sql`select path, level from areas where id = ${opts.gridId}`);
    if (!g || g.level !== "grid") throw new AppError("not_found", {}, "gridId");
    authorize(actor, "read", { id: opts.gridId, areaPath: g.path }, placePolicy);
    conds.push(sql`b.grid_id = ${opts.gridId}`);
  }
  if (opts.compoundId) {
    const [c] = await rows<{ path: string }>(db, sql`select a.path from compounds c join areas a on a.id = c.community_id where c.id = ${opts.compoundId}`);
    // A grid worker reads the compound, and the scope condition above leaves the buildings of their grid.
    if (!c || !compoundPolicy.read(actor, { id: opts.compoundId, areaPath: c.path })) throw new AppError("not_found", {}, "compoundId");
    conds.push(sql`b.compound_id = ${opts.compoundId}`);
  }
  const list = await withHouseholds(db, await rows<Omit<BuildingRow, "households">>(db, sql`${buildingSelect} where ${sql.join(conds, sql` and `)} order by c.name, length(b.name), b.name`));
  return list.map(buildingSummary);
}

/**
 * A building with its units, each unit's dwellings and the households living in them; household
 * heads and building heads in clear only for roles whose work needs them (audited), else masked.
 */
export async function getBuilding(db: Db, actor: Actor, id: string): Promise<BuildingDetail> {
  const b = await loadBuilding(db, id);
  authorize(actor, "read", b, placePolicy);
  const scoped = { id: "", areaPath: b.areaPath };
  const clear = occupantPolicy.readClear(actor, scoped);
  const [units, dwellingRows, householdRows, heads] = await Promise.all([
    rows<{ id: string; name: string }>(db, sql`select id, name from building_units where building_id = ${id} order by length(name), name`),
    rows<{ id: string; unit_id: string; floor: number; room_no: string; floor_area_m2: number | null }>(
      db,
      sql`select id, unit_id, floor, room_no, floor_area_m2 from dwellings where building_id = ${id} order by floor, length(room_no), room_no`,
    ),
    // Households and building heads are people's rows, read through the occupants port.
    placeOccupants().householdsOfBuilding(db, id),
    placeOccupants().buildingHeadsOf(db, id),
  ]);
  const name = (n: string) => (clear ? n : maskName(n));
  if (clear && (householdRows.length > 0 || heads.length > 0)) {
    await recordAudit(db, {
      actor: auditActor(actor),
      action: "building.readClear",
      entityType: "building",
      entityId: id,
      change: { households: householdRows.map((h) => h.id), heads: heads.map((p) => p.id) },
      summary: { households: householdRows.length, fields: ["headName"] },
    });
  }
  const byDwelling = new Map<string, { id: string; headName: string; size: number }[]>();
  for (const h of householdRows) {
    const list = byDwelling.get(h.dwellingId) ?? [];
    list.push({ id: h.id, headName: name(h.headName), size: h.size });
    byDwelling.set(h.dwellingId, list);
  }
  return {
    ...buildingSummary(b.row),
    communityId: b.row.community_id,
    footprint: b.row.footprint,
    buildingHeads: heads.map((p) => ({ personId: p.id, name: name(p.name) })),
    units: units.map((u) => ({
      id: u.id,
      name: u.name,
      dwellings: dwellingRows
        .filter((d) => d.unit_id === u.id)
        .map((d) => ({ id: d.id, floor: d.floor, roomNo: d.room_no, floorAreaM2: d.floor_area_m2, households: byDwelling.get(d.id) ?? [] })),
    })),
    masked: !clear,
    abilities: { ...abilities(placePolicy, actor, b), editHouseholds: occupantPolicy.update(actor, scoped) },
  };
}

function checkPoint(lng: number, lat: number): void {
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) throw new AppError("validation_failed", { detail: "经度超出范围" }, "lng");
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new AppError("validation_failed", { detail: "纬度超出范围" }, "lat");
}

function checkFootprint(footprint: Geometry | null | undefined): void {
  if (footprint === undefined || footprint === null) return;
  const problem = geometryProblem(footprint);
  if (problem) throw new AppError("validation_failed", { detail: problem }, "footprint");
}

/** The grid of the community holding the point; a point outside every grid of the community is refused. */
async function gridOfPoint(db: Db, index: GridIndex, communityPath: string, lng: number, lat: number): Promise<string> {
  await index.refresh(db);
  const g = index.locate(lng, lat);
  if (!g || !g.path.startsWith(communityPath)) throw new AppError("place_outside_grids", {}, "lng");
  return g.id;
}

export async function createBuilding(
  db: Db,
  index: GridIndex,
  actor: Actor,
  input: { compoundId: string; name: string; floors: number; lng: number; lat: number; footprint?: Geometry | null | undefined },
): Promise<BuildingDetail> {
  const name = cleanText(input.name, "name");
  checkPoint(input.lng, input.lat);
  checkFootprint(input.footprint);
  const id = await db.transaction(async (tx) => {
    const c = await loadCompound(tx, input.compoundId);
    if (!c) throw new AppError("not_found", {}, "compoundId");
    authorize(actor, "edit", c, compoundPolicy);
    const gridId = await gridOfPoint(tx, index, c.areaPath, input.lng, input.lat);
    const [row] = await tx
      .insert(buildings)
      .values({ compoundId: c.id, gridId, name, floors: input.floors, lng: input.lng, lat: input.lat, footprint: input.footprint ?? null })
      .returning({ id: buildings.id });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "building.create",
      entityType: "building",
      entityId: row!.id,
      change: { compoundId: c.id, gridId, name, floors: input.floors, lng: input.lng, lat: input.lat, footprint: input.footprint ?? null },
      summary: { name, gridId },
    });
    return row!.id;
  });
  return getBuilding(db, actor, id);
}

export async function updateBuilding(
  db: Db,
  index: GridIndex,
  actor: Actor,
  id: string,
  patch: { name?: string | undefined; floors?: number | undefined; lng?: number | undefined; lat?: number | undefined; footprint?: Geometry | null | undefined },
): Promise<BuildingDetail & { regrid: { fromGridId: string; toGridId: string; households: number; redGridDropped: number; redGridPinnedKept: number } | null }> {
  if ((patch.lng === undefined) !== (patch.lat === undefined)) throw new AppError("validation_failed", { detail: "经度和纬度需要一起修改" }, patch.lng === undefined ? "lng" : "lat");
  const name = patch.name !== undefined ? cleanText(patch.name, "name") : undefined;
  if (patch.lng !== undefined && patch.lat !== undefined) checkPoint(patch.lng, patch.lat);
  checkFootprint(patch.footprint);
  const regrid = await db.transaction(async (tx) => {
    const b = await loadBuilding(tx, id);
    authorize(actor, "edit", b, placePolicy);
    if (patch.floors !== undefined) {
      const [top] = await rows<{ floor: number | null }>(tx, sql`select max(floor) as floor from dwellings where building_id = ${id}`);
      if (top?.floor !== null && top?.floor !== undefined && top.floor > patch.floors) throw new AppError("building_floors_below_dwellings", { floor: top.floor }, "floors");
    }
    let gridId = b.row.grid_id;
    if (patch.lng !== undefined && patch.lat !== undefined) {
      const [community] = await rows<{ path: string }>(tx, sql`select path from areas where id = ${b.row.community_id}`);
      gridId = await gridOfPoint(tx, index, community!.path, patch.lng, patch.lat);
    }
    await tx
      .update(buildings)
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(patch.floors !== undefined ? { floors: patch.floors } : {}),
        ...(patch.lng !== undefined && patch.lat !== undefined ? { lng: patch.lng, lat: patch.lat } : {}),
        ...(patch.footprint !== undefined ? { footprint: patch.footprint } : {}),
        gridId,
      })
      .where(eq(buildings.id, id));
    let moved: { fromGridId: string; toGridId: string; households: number; redGridDropped: number; redGridPinnedKept: number } | null = null;
    if (gridId !== b.row.grid_id) {
      await tx.update(dwellings).set({ gridId }).where(eq(dwellings.buildingId, id));
      // The households living here (and their persons) are people's: they move on this event.
      const event: BuildingMoved = { buildingId: id, fromGridId: b.row.grid_id, toGridId: gridId, moved: { households: 0, redGridDropped: 0, redGridPinnedKept: 0 } };
      await events.publish(tx, "building.moved", event);
      moved = { fromGridId: b.row.grid_id, toGridId: gridId, ...event.moved };
    }
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "building.update",
      entityType: "building",
      entityId: id,
      change: { before: { name: b.row.name, floors: b.row.floors, lng: b.row.lng, lat: b.row.lat, gridId: b.row.grid_id, footprint: b.row.footprint }, after: { ...patch, gridId } },
      summary: { fields: Object.keys(patch), ...(moved ? { fromGridId: moved.fromGridId, toGridId: moved.toGridId, households: moved.households } : {}) },
    });
    return moved;
  });
  return { ...(await getBuilding(db, actor, id)), regrid };
}

export async function deleteBuilding(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const b = await loadBuilding(tx, id);
    authorize(actor, "edit", b, placePolicy);
    const units = Number(b.row.units);
    if (units > 0) throw new AppError("place_not_empty", { what: "楼栋", count: units, children: "单元" });
    await tx.delete(buildings).where(eq(buildings.id, id));
    await recordAudit(tx, { actor: auditActor(actor), action: "building.delete", entityType: "building", entityId: id, change: { name: b.row.name, compoundId: b.row.compound_id }, summary: { name: b.row.name } });
  });
}

// --- units --------------------------------------------------------------------------------

export interface UnitView {
  id: string;
  buildingId: string;
  name: string;
}

async function loadUnit(db: Db, id: string): Promise<(PlaceRecord & { row: UnitView & { dwellings: number } }) | undefined> {
  const [r] = await rows<{ id: string; building_id: string; name: string; path: string; dwellings: string | number }>(
    db,
    sql`select u.id, u.building_id, u.name, g.path, (select count(*) from dwellings d where d.unit_id = u.id) as dwellings
        from building_units u join buildings b on b.id = u.building_id join areas g on g.id = b.grid_id where u.id = ${id}`,
  );
  return r ? { id: r.id, areaPath: r.path, row: { id: r.id, buildingId: r.building_id, name: r.name, dwellings: Number(r.dwellings) } } : undefined;
}

async function assertUnitNameFree(tx: Db, buildingId: string, name: string, exceptId?: string): Promise<void> {
  const [dup] = await rows<{ id: string }>(
    tx,
    sql`select id from building_units where building_id = ${buildingId} and name = ${name}${exceptId ? sql` and id <> ${exceptId}` : sql``}`,
  );
  if (dup) throw new AppError("unit_name_taken", {}, "name");
}

export async function createUnit(db: Db, actor: Actor, buildingId: string, input: { name: string }): Promise<UnitView> {
  const name = cleanText(input.name, "name");
  return db.transaction(async (tx) => {
    const b = await loadBuilding(tx, buildingId);
    authorize(actor, "edit", b, placePolicy);
    // Serialize unit creation per building so two requests cannot add the same name.
    await tx.select({ id: buildings.id }).from(buildings).where(eq(buildings.id, buildingId)).for("update");
    await assertUnitNameFree(tx, buildingId, name);
    const [u] = await tx.insert(buildingUnits).values({ buildingId, name }).returning();
    await recordAudit(tx, { actor: auditActor(actor), action: "unit.create", entityType: "unit", entityId: u!.id, change: { buildingId, name }, summary: { name } });
    return { id: u!.id, buildingId, name };
  });
}

export async function renameUnit(db: Db, actor: Actor, id: string, input: { name: string }): Promise<UnitView> {
  const name = cleanText(input.name, "name");
  return db.transaction(async (tx) => {
    const u = await loadUnit(tx, id);
    authorize(actor, "edit", u, placePolicy);
    await tx.select({ id: buildings.id }).from(buildings).where(eq(buildings.id, u.row.buildingId)).for("update");
    await assertUnitNameFree(tx, u.row.buildingId, name, id);
    await tx.update(buildingUnits).set({ name }).where(eq(buildingUnits.id, id));
    await recordAudit(tx, { actor: auditActor(actor), action: "unit.rename", entityType: "unit", entityId: id, change: { before: u.row.name, after: name }, summary: { name } });
    return { id, buildingId: u.row.buildingId, name };
  });
}

export async function deleteUnit(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const u = await loadUnit(tx, id);
    authorize(actor, "edit", u, placePolicy);
    if (u.row.dwellings > 0) throw new AppError("place_not_empty", { what: "单元", count: u.row.dwellings, children: "房屋" });
    await tx.delete(buildingUnits).where(eq(buildingUnits.id, id));
    await recordAudit(tx, { actor: auditActor(actor), action: "unit.delete", entityType: "unit", entityId: id, change: u.row, summary: { name: u.row.name } });
  });
}

// --- dwellings ----------------------------------------------------------------------------

export interface DwellingView {
  id: string;
  unitId: string;
  buildingId: string;
  gridId: string;
  floor: number;
  roomNo: string;
  floorAreaM2: number | null;
}

export async function createDwelling(db: Db, actor: Actor, unitId: string, input: { floor: number; roomNo: string; floorAreaM2?: number | null | undefined }): Promise<DwellingView> {
  const roomNo = cleanText(input.roomNo, "roomNo").replace(/室$/, "");
  if (roomNo === "") throw new AppError("validation_failed", { detail: "不能为空" }, "roomNo");
  return db.transaction(async (tx) => {
    const u = await loadUnit(tx, unitId);
    authorize(actor, "edit", u, placePolicy);
    const [b] = await tx.select({ floors: buildings.floors, gridId: buildings.gridId }).from(buildings).where(eq(buildings.id, u.row.buildingId)).for("update");
    if (input.floor < 1 || input.floor > b!.floors) throw new AppError("dwelling_floor_above_building", { floor: input.floor, floors: b!.floors }, "floor");
    const [dup] = await tx.select({ id: dwellings.id }).from(dwellings).where(and(eq(dwellings.unitId, unitId), eq(dwellings.roomNo, roomNo)));
    if (dup) throw new AppError("dwelling_room_taken", {}, "roomNo");
    const [d] = await tx
      .insert(dwellings)
      .values({ unitId, buildingId: u.row.buildingId, gridId: b!.gridId, floor: input.floor, roomNo, floorAreaM2: input.floorAreaM2 ?? null })
      .returning();
    await recordAudit(tx, { actor: auditActor(actor), action: "dwelling.create", entityType: "dwelling", entityId: d!.id, change: { unitId, floor: input.floor, roomNo, floorAreaM2: input.floorAreaM2 ?? null }, summary: { unitId, floor: input.floor } });
    return { id: d!.id, unitId, buildingId: d!.buildingId, gridId: d!.gridId, floor: d!.floor, roomNo: d!.roomNo, floorAreaM2: d!.floorAreaM2 };
  });
}

async function loadDwelling(db: Db, id: string): Promise<(PlaceRecord & { row: DwellingView & { households: number } }) | undefined> {
  const [r] = await rows<{ id: string; unit_id: string; building_id: string; grid_id: string; floor: number; room_no: string; floor_area_m2: number | null; path: string }>(
    db,
    sql`select d.id, d.unit_id, d.building_id, d.grid_id, d.floor, d.room_no, d.floor_area_m2, g.path
        from dwellings d join areas g on g.id = d.grid_id where d.id = ${id}`,
  );
  // Households are people's rows: counted through the occupants port.
  const households = r ? ((await placeOccupants().householdCountsByDwelling(db, [r.id])).get(r.id) ?? 0) : 0;
  return r
    ? {
        id: r.id,
        areaPath: r.path,
        row: { id: r.id, unitId: r.unit_id, buildingId: r.building_id, gridId: r.grid_id, floor: r.floor, roomNo: r.room_no, floorAreaM2: r.floor_area_m2, households },
      }
    : undefined;
}

/** Corrects a dwelling's floor area (m², or null when unknown). */
export async function updateDwelling(db: Db, actor: Actor, id: string, patch: { floorAreaM2: number | null }): Promise<DwellingView> {
  return db.transaction(async (tx) => {
    const d = await loadDwelling(tx, id);
    authorize(actor, "edit", d, placePolicy);
    await tx.update(dwellings).set({ floorAreaM2: patch.floorAreaM2 }).where(eq(dwellings.id, id));
    await recordAudit(tx, { actor: auditActor(actor), action: "dwelling.update", entityType: "dwelling", entityId: id, change: { before: d.row.floorAreaM2, after: patch.floorAreaM2 }, summary: { fields: ["floorAreaM2"] } });
    const { households: _n, ...view } = d.row;
    return { ...view, floorAreaM2: patch.floorAreaM2 };
  });
}

export async function deleteDwelling(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const d = await loadDwelling(tx, id);
    authorize(actor, "edit", d, placePolicy);
    if (d.row.households > 0) throw new AppError("place_not_empty", { what: "房屋", count: d.row.households, children: "户" });
    await tx.delete(dwellings).where(eq(dwellings.id, id));
    await recordAudit(tx, { actor: auditActor(actor), action: "dwelling.delete", entityType: "dwelling", entityId: id, change: d.row, summary: { unitId: d.row.unitId } });
  });
}
