/**
 * 拆分 / 合并网格: one grid split into several, or neighbouring grids merged into one, as of an
 * effective date. The old grids are retired (history keeps their boundaries), the new ones carry
 * codes extending the community's, lineage rows link them, and what lay inside — buildings by
 * their point, then dwellings, households and persons with them — moves to the grid that now
 * holds it. Role grants on an old grid are copied to its successors, and its current staff
 * (网格力量) take the same posts there; grid party organizations are listed for a decision (or
 * re-pointed when the request says where). One transaction, audited.
 *
 * This module moves only its own rows (areas, lineage, versions, grid staff). Everything else
 * moves by its owner, on the `area.gridsReshaped` event published in the same transaction
 * (areas/events.ts): places its buildings and dwellings, people its households and persons,
 * orgs the organizations the request re-points, cases the open cases; platform copies the grants.
 */
import { sql } from "drizzle-orm";
import { rows, sqlList as idList, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { am, joined } from "./messages.js";
import type { Scoped } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { copyAreaGrants } from "../../platform/auth/service.js";
import { events } from "../../platform/events/index.js";
import { areas, areaLineage } from "./schema.js";
import { areaPolicy } from "./policy.js";
import { gridDrawingPolicy } from "./policy.js";
import { bbox, type Geometry } from "./geo.js";
import { areaM2 } from "./topology.js";
import { SpatialGridIndex } from "./spatial.js";
import { cutByLine, frameOf, lineIssue, partitionIssues, unionOf, type LineString } from "./partition.js";
import { checkEffectiveAfterOpenVersion, effectiveDate, openVersion, retireGrid, today } from "./history.js";
import { carryOverStaff } from "./staff.js";
import type { ReshapeTarget } from "./events.js";
import { areaResidents } from "./residents-port.js";

type GridType = "comprehensive" | "dedicated";

interface GridRow extends Scoped {
  id: string;
  parentId: string | null;
  level: string;
  code: string | null;
  name: string;
  path: string;
  depth: number;
  gridType: GridType | null;
  boundary: Geometry | null;
  validTo: string | null;
}

async function loadGrids(tx: Db, ids: string[]): Promise<GridRow[]> {
  const list = await rows<{ id: string; parent_id: string | null; level: string; code: string | null; name: string; path: string; depth: number; grid_type: GridType | null; boundary: Geometry | null; valid_to: string | null }>(
    tx,
    sql`select id, parent_id, level, code, name, path, depth, grid_type, boundary, valid_to::text as valid_to from areas
        where id in (${sql.join(
          ids.map((x) => sql`${x}`),
          sql`, `,
        )}) order by code, id for update`,
  );
  return list.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    level: r.level,
    code: r.code,
    name: r.name,
    path: r.path,
    areaPath: r.path,
    depth: r.depth,
    gridType: r.grid_type,
    boundary: r.boundary,
    validTo: r.valid_to,
  }));
}

/** 404 when the actor cannot see the grid, 403 when they see it but may not redraw grids. */
function authorizeDraw(actor: Actor, grid: GridRow | undefined, field: string): asserts grid is GridRow {
  if (!grid || !areaPolicy.read(actor, grid)) throw new AppError("not_found", {}, field);
  if (!gridDrawingPolicy.draw(actor, grid)) throw new AppError("forbidden");
}

function checkCurrentGrid(grid: GridRow): asserts grid is GridRow & { boundary: Geometry; parentId: string } {
  if (grid.level !== "grid" || !grid.boundary || !grid.parentId) throw new AppError("validation_failed", { detail: am("not_a_grid", { name: grid.name }) }, "id");
  if (grid.validTo !== null && grid.validTo <= today()) throw new AppError("grid_retired", { name: grid.name, date: grid.validTo });
}

async function loadCommunity(tx: Db, id: string) {
  const [c] = await rows<{ id: string; code: string | null; path: string; depth: number; name: string; boundary: Geometry | null }>(
    tx,
    sql`select id, code, path, depth, name, boundary from areas where id = ${id} for update`,
  );
  if (!c) throw new AppError("not_found");
  return c;
}

/** Codes for new grids: given ones checked (community code + 3 digits, free), the rest the next free numbers. */
async function allocateCodes(tx: Db, community: { id: string; code: string | null }, wanted: (string | undefined)[], field: string): Promise<(string | null)[]> {
  const given = wanted.filter((c): c is string => c !== undefined);
  const dup = given.find((c, i) => given.indexOf(c) !== i);
  if (dup) throw new AppError("validation_failed", { detail: am("code_duplicate", { code: dup }) }, field);
  for (const code of given) {
    if (community.code && !(code.startsWith(community.code) && code.length === community.code.length + 3 && /^\d+$/.test(code))) {
      throw new AppError("validation_failed", { detail: am("code_format", { code, prefix: community.code }) }, field);
    }
    const [taken] = await rows<{ name: string }>(tx, sql`select name from areas where code = ${code}`);
    if (taken) throw new AppError("conflict", { detail: am("code_taken", { code, name: taken.name }) }, field);
  }
  if (!community.code) return wanted.map((c) => c ?? null);
  const prefix = community.code;
  const [max] = await rows<{ code: string | null }>(tx, sql`select max(code) as code from areas where parent_id = ${community.id} and level = 'grid' and length(code) = ${prefix.length + 3}`);
  let next = Math.max(max?.code ? Number(max.code.slice(prefix.length)) : 0, ...given.map((c) => Number(c.slice(prefix.length)))) + 1;
  return wanted.map((c) => {
    if (c !== undefined) return c;
    if (next > 999) throw new AppError("validation_failed", { detail: am("codes_exhausted", { prefix }) }, field);
    return `${prefix}${String(next++).padStart(3, "0")}`;
  });
}

export interface Contents {
  buildings: number;
  dwellings: number;
  households: number;
  persons: number;
  /** Cases not yet closed: they follow their point too (cases/lifecycle/regrid.ts). */
  openCases: number;
}

const none = (): Contents => ({ buildings: 0, dwellings: 0, households: 0, persons: 0, openCases: 0 });

/**
 * Where the contents of `fromIds` go: each building to the target holding its point (a point in
 * no target goes to `fallback`), its dwellings, households and persons with it; households without
 * a dwelling on record and persons without a household go to `fallback` too.
 */
async function planContents(tx: Db, fromIds: string[], targets: { key: number; code: string | null; boundary: Geometry }[], fallback: number) {
  const index = new SpatialGridIndex(targets.map((t) => ({ id: String(t.key).padStart(6, "0"), code: t.code, geometry: t.boundary, key: t.key })));
  const ids = idList(fromIds);
  const buildingRows = await rows<{ id: string; lng: number; lat: number }>(tx, sql`select id, lng, lat from buildings where grid_id in (${ids})`);
  const dwellingsPerBuilding = await rows<{ building_id: string; dwellings: string | number }>(
    tx,
    sql`select d.building_id, count(*) as dwellings from dwellings d where d.grid_id in (${ids}) group by d.building_id`,
  );
  // Households and persons are people's rows: counted per building and in total through the port.
  const residentsPerBuilding = await areaResidents().countsByBuilding(tx, fromIds);
  const perBuilding = dwellingsPerBuilding.map((r) => ({ ...r, ...(residentsPerBuilding.get(r.building_id) ?? { households: 0, persons: 0 }) }));
  const totals = await areaResidents().countsInGrids(tx, fromIds);
  const buildingTarget = new Map<string, number>();
  let unlocatedBuildings = 0;
  for (const b of buildingRows) {
    const hit = index.locate(b.lng, b.lat);
    if (!hit) unlocatedBuildings++;
    buildingTarget.set(b.id, hit ? hit.key : fallback);
  }
  const per = new Map<number, Contents>(targets.map((t) => [t.key, none()]));
  for (const [, k] of buildingTarget) per.get(k)!.buildings++;
  let placedHouseholds = 0;
  let placedPersons = 0;
  for (const r of perBuilding) {
    const k = buildingTarget.get(r.building_id) ?? fallback;
    const c = per.get(k)!;
    c.dwellings += Number(r.dwellings);
    c.households += Number(r.households);
    c.persons += Number(r.persons);
    placedHouseholds += Number(r.households);
    placedPersons += Number(r.persons);
  }
  const looseHouseholds = totals.households - placedHouseholds;
  const loosePersons = totals.persons - placedPersons;
  per.get(fallback)!.households += looseHouseholds;
  per.get(fallback)!.persons += loosePersons;
  // Open cases go by their own point; cases counts them (and moves them on area.gridsReshaped).
  const planned = { fromGridIds: fromIds, toGrids: targets, fallbackKey: fallback, openCases: new Map<number, number>(), unlocated: { openCases: 0 } };
  await events.publish(tx, "area.gridsReshapePlanned", planned);
  for (const [k, n] of planned.openCases) per.get(k)!.openCases += n;
  return {
    per,
    unlocated: { buildings: unlocatedBuildings, households: looseHouseholds, persons: loosePersons, openCases: planned.unlocated.openCases },
  };
}

/**
 * Moves the contents of `fromIds` into `toGrids` (by point, else to `fallbackGridId`) and re-points
 * the given organizations: each owner moves its own rows on `area.gridsReshaped`. Returns how many
 * open cases moved.
 */
async function moveContents(
  tx: Db,
  actor: Actor,
  fromIds: readonly string[],
  toGrids: readonly ReshapeTarget[],
  fallbackGridId: string,
  organizations: readonly { id: string; gridId: string }[] = [],
): Promise<number> {
  const payload = { actor, fromGridIds: fromIds, toGrids, fallbackGridId, organizations, moved: { openCases: 0 } };
  await events.publish(tx, "area.gridsReshaped", payload);
  return payload.moved.openCases;
}

async function gridOrganizations(tx: Db, gridIds: string[]) {
  return rows<{ id: string; name: string; kind: string; area_id: string }>(
    tx,
    sql`select id, name, kind, area_id from organizations where area_id in (${idList(gridIds)}) and dissolved_on is null order by name`,
  );
}

async function insertGrid(
  tx: Db,
  community: { id: string; path: string; depth: number },
  g: { name: string; code: string | null; gridType: GridType; boundary: Geometry },
  day: string,
  reason: "split" | "merged" | "imported",
  actor: Actor,
): Promise<string> {
  const [row] = await tx
    .insert(areas)
    .values({ parentId: community.id, level: "grid", code: g.code, name: g.name, path: "pending", depth: community.depth + 1, gridType: g.gridType, boundary: g.boundary, ...bbox(g.boundary), validFrom: day })
    .returning({ id: areas.id });
  await tx.execute(sql`update areas set path = ${`${community.path}${row!.id}/`} where id = ${row!.id}`);
  await openVersion(tx, { areaId: row!.id, boundary: g.boundary, validFrom: day, reason, recordedBy: actor.userId });
  return row!.id;
}

const numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

export interface SplitPartInput {
  name?: string | undefined;
  code?: string | undefined;
  gridType?: GridType | undefined;
  boundary?: Geometry | undefined;
}

export interface SplitInput {
  gridId: string;
  parts?: SplitPartInput[] | undefined;
  cutLine?: LineString | undefined;
  effectiveOn?: string | undefined;
  dryRun?: boolean | undefined;
  /** Party organizations of the old grid to re-point: organization id → index of the part. */
  organizations?: { id: string; part: number }[] | undefined;
}

export interface ReshapeOrganization {
  id: string;
  name: string;
  kind: string;
  /** Where it now points (split: the part's index; merge: 0) or null: left for a decision. */
  target: number | null;
}

export interface ReshapedGrid {
  id: string | null;
  name: string;
  code: string | null;
  gridType: GridType;
  boundary: Geometry;
  areaM2: number;
  contents: Contents;
}

export interface ReshapeResult {
  dryRun: boolean;
  effectiveOn: string;
  retired: { id: string; name: string; code: string | null }[];
  grids: ReshapedGrid[];
  organizations: ReshapeOrganization[];
  grantsCopied: number;
  /** Moved to the first new grid because nothing located them (no dwelling, no household, a point in no part). */
  unlocated: Contents;
}

/** Splits a grid into parts (given polygons, or cut along a line), as of `effectiveOn`. */
export async function splitGrid(db: Db, actor: Actor, input: SplitInput): Promise<ReshapeResult> {
  return db.transaction(async (tx) => {
    const [grid] = await loadGrids(tx, [input.gridId]);
    authorizeDraw(actor, grid, "id");
    checkCurrentGrid(grid);
    const community = await loadCommunity(tx, grid.parentId);
    const day = effectiveDate(input.effectiveOn);
    await checkEffectiveAfterOpenVersion(tx, grid.id, grid.name, day);

    let parts: (SplitPartInput & { name: string; boundary: Geometry })[];
    if (input.cutLine) {
      const problem = lineIssue(input.cutLine);
      if (problem) throw new AppError("grid_split_invalid", { detail: problem }, "cutLine");
      if (input.parts?.some((p) => p.boundary !== undefined)) {
        throw new AppError("grid_split_invalid", { detail: am("cut_with_boundaries") }, "parts");
      }
      const pieces = cutByLine(grid.boundary, input.cutLine);
      if (pieces.length < 2) throw new AppError("grid_split_invalid", { detail: am("cut_no_split", { name: grid.name }) }, "cutLine");
      if (input.parts && input.parts.length > 0 && input.parts.length !== pieces.length) {
        throw new AppError("grid_split_invalid", { detail: am("cut_part_count", { pieces: pieces.length, given: input.parts.length }) }, "parts");
      }
      parts = pieces.map((boundary, i) => ({ ...input.parts?.[i], name: input.parts?.[i]?.name ?? `${grid.name}（${numerals[i] ?? i + 1}）`, boundary }));
    } else {
      const given = input.parts ?? [];
      if (given.length < 2) throw new AppError("grid_split_invalid", { detail: am("split_too_few") }, "parts");
      const missing = given.findIndex((p) => p.boundary === undefined);
      if (missing !== -1) throw new AppError("grid_split_invalid", { detail: am("part_no_boundary", { n: missing + 1 }) }, "parts");
      parts = given.map((p, i) => ({ ...p, name: p.name ?? `${grid.name}（${numerals[i] ?? i + 1}）`, boundary: p.boundary! }));
    }
    const names = parts.map((p) => p.name.trim());
    if (names.some((n) => n === "")) throw new AppError("grid_split_invalid", { detail: am("part_name_empty") }, "parts");
    const dupName = names.find((n, i) => names.indexOf(n) !== i);
    if (dupName) throw new AppError("grid_split_invalid", { detail: am("part_name_duplicate", { name: dupName }) }, "parts");
    const problems = partitionIssues(grid.boundary, grid.name, parts.map((p, i) => ({ name: names[i]!, boundary: p.boundary })));
    if (problems.length > 0) throw new AppError("grid_split_invalid", { detail: joined(problems) }, "parts");
    const codes = await allocateCodes(tx, community, parts.map((p) => p.code), "parts");

    const plan = await planContents(
      tx,
      [grid.id],
      parts.map((p, i) => ({ key: i, code: codes[i] ?? null, boundary: p.boundary })),
      0,
    );
    const orgs = await gridOrganizations(tx, [grid.id]);
    for (const o of input.organizations ?? []) {
      if (!orgs.some((x) => x.id === o.id)) throw new AppError("validation_failed", { detail: am("org_not_in_grid") }, "organizations");
      if (o.part < 0 || o.part >= parts.length) throw new AppError("validation_failed", { detail: am("no_such_part", { n: o.part + 1 }) }, "organizations");
    }
    const targetOf = (id: string) => input.organizations?.find((o) => o.id === id)?.part ?? null;
    const [grantCount] = await rows<{ n: string | number }>(tx, sql`select count(*) as n from role_grants where area_id = ${grid.id} and org_id is null`);
    const frame = frameOf(grid.boundary);
    const result: ReshapeResult = {
      dryRun: input.dryRun === true,
      effectiveOn: day,
      retired: [{ id: grid.id, name: grid.name, code: grid.code }],
      grids: parts.map((p, i) => ({
        id: null,
        name: names[i]!,
        code: codes[i] ?? null,
        gridType: p.gridType ?? grid.gridType ?? "comprehensive",
        boundary: p.boundary,
        areaM2: Math.round(areaM2(p.boundary, frame) * 10) / 10,
        contents: plan.per.get(i)!,
      })),
      organizations: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, target: targetOf(o.id) })),
      grantsCopied: Number(grantCount?.n ?? 0) * parts.length,
      unlocated: { ...none(), ...plan.unlocated },
    };
    if (input.dryRun) return result;

    const newIds: string[] = [];
    for (const g of result.grids) {
      const id = await insertGrid(tx, community, g, day, "split", actor);
      g.id = id;
      newIds.push(id);
      await tx.insert(areaLineage).values({ kind: "split", fromAreaId: grid.id, toAreaId: id, effectiveOn: day, recordedBy: actor.userId });
    }
    await retireGrid(tx, grid.id, day);
    const casesMoved = await moveContents(
      tx,
      actor,
      [grid.id],
      result.grids.map((g) => ({ id: g.id!, code: g.code, boundary: g.boundary })),
      newIds[0]!,
      (input.organizations ?? []).map((o) => ({ id: o.id, gridId: newIds[o.part]! })),
    );
    let copied = 0;
    for (const id of newIds) copied += await copyAreaGrants(tx, [grid.id], id);
    result.grantsCopied = copied;
    const staffCopied = await carryOverStaff(tx, [grid.id], newIds, day, actor);
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "grid.split",
      entityType: "area",
      entityId: grid.id,
      change: { effectiveOn: day, cutLine: input.cutLine ?? null, parts: result.grids.map((g) => ({ id: g.id, name: g.name, code: g.code, gridType: g.gridType, boundary: g.boundary })), organizations: input.organizations ?? [] },
      summary: { communityId: community.id, effectiveOn: day, into: newIds, codes: result.grids.map((g) => g.code), grantsCopied: copied, staffCopied, casesMoved },
    });
    return result;
  });
}

export interface MergeInput {
  gridIds: string[];
  name: string;
  code?: string | undefined;
  gridType: GridType;
  effectiveOn?: string | undefined;
  dryRun?: boolean | undefined;
  /** Re-point the old grids' party organizations to the new grid. */
  repointOrganizations?: boolean | undefined;
}

/** Merges neighbouring grids of one community into one, as of `effectiveOn`. */
export async function mergeGrids(db: Db, actor: Actor, input: MergeInput): Promise<ReshapeResult> {
  const unique = [...new Set(input.gridIds)];
  if (unique.length < 2) throw new AppError("grid_merge_invalid", { detail: am("merge_too_few") }, "gridIds");
  const name = input.name.trim();
  if (name === "") throw new AppError("validation_failed", { detail: am("grid_name_empty") }, "name");
  return db.transaction(async (tx) => {
    const grids = await loadGrids(tx, unique);
    // Any grid the actor cannot see answers 404 before any 403, so nothing is revealed.
    for (const id of unique) {
      const g = grids.find((x) => x.id === id);
      if (!g || !areaPolicy.read(actor, g)) throw new AppError("not_found", {}, "gridIds");
    }
    for (const g of grids) authorizeDraw(actor, g, "gridIds");
    for (const g of grids) checkCurrentGrid(g);
    const parents = new Set(grids.map((g) => g.parentId));
    if (parents.size > 1) throw new AppError("grid_merge_invalid", { detail: am("merge_communities", { names: { code: "names", zh: grids.map((g) => `「${g.name}」`).join(""), en: grids.map((g) => `“${g.name}”`).join(", ") } }) }, "gridIds");
    const community = await loadCommunity(tx, grids[0]!.parentId!);
    const day = effectiveDate(input.effectiveOn);
    for (const g of grids) await checkEffectiveAfterOpenVersion(tx, g.id, g.name, day);
    const union = unionOf(grids.map((g) => ({ id: g.id, name: g.name, boundary: g.boundary! })));
    if (!union.ok) {
      const groups = {
        code: "groups",
        zh: union.groups.map((grp) => grp.map((g) => `「${g.name}」`).join("")).join(" 与 "),
        en: union.groups.map((grp) => `(${grp.map((g) => `“${g.name}”`).join(", ")})`).join(" and "),
      };
      throw new AppError("grid_merge_invalid", { detail: am("merge_not_adjacent", { groups }) }, "gridIds");
    }
    const [code] = await allocateCodes(tx, community, [input.code], "code");
    const ids = grids.map((g) => g.id);
    const planned = { fromGridIds: ids, toGrids: [{ key: 0, code: code ?? null, boundary: union.boundary }], fallbackKey: 0, openCases: new Map<number, number>(), unlocated: { openCases: 0 } };
    await events.publish(tx, "area.gridsReshapePlanned", planned);
    const [places] = await rows<{ buildings: string | number; dwellings: string | number; grants: string | number }>(
      tx,
      sql`select (select count(*) from buildings where grid_id in (${idList(ids)})) as buildings,
                 (select count(*) from dwellings where grid_id in (${idList(ids)})) as dwellings,
                 (select count(distinct (user_id, role)) from role_grants where area_id in (${idList(ids)}) and org_id is null) as grants`,
    );
    // Households and persons are people's rows: counted through the residents port.
    const counts = { ...places, ...(await areaResidents().countsInGrids(tx, ids)) };
    const orgs = await gridOrganizations(tx, ids);
    const result: ReshapeResult = {
      dryRun: input.dryRun === true,
      effectiveOn: day,
      retired: grids.map((g) => ({ id: g.id, name: g.name, code: g.code })),
      grids: [
        {
          id: null,
          name,
          code: code ?? null,
          gridType: input.gridType,
          boundary: union.boundary,
          areaM2: Math.round(areaM2(union.boundary) * 10) / 10,
          contents: {
            buildings: Number(counts.buildings ?? 0),
            dwellings: Number(counts.dwellings ?? 0),
            households: counts.households,
            persons: counts.persons,
            openCases: planned.openCases.get(0) ?? 0,
          },
        },
      ],
      organizations: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, target: input.repointOrganizations ? 0 : null })),
      grantsCopied: Number(counts.grants ?? 0),
      unlocated: none(),
    };
    if (input.dryRun) return result;

    const g = result.grids[0]!;
    const newId = await insertGrid(tx, community, g, day, "merged", actor);
    g.id = newId;
    for (const old of grids) {
      await tx.insert(areaLineage).values({ kind: "merge", fromAreaId: old.id, toAreaId: newId, effectiveOn: day, recordedBy: actor.userId });
      await retireGrid(tx, old.id, day);
    }
    // One target and the same grid as fallback: everything inside the old grids lands in the new one.
    const casesMoved = await moveContents(
      tx,
      actor,
      ids,
      [{ id: newId, code: g.code, boundary: g.boundary }],
      newId,
      input.repointOrganizations ? orgs.map((o) => ({ id: o.id, gridId: newId })) : [],
    );
    result.grantsCopied = await copyAreaGrants(tx, ids, newId);
    const staffCopied = await carryOverStaff(tx, ids, [newId], day, actor);
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "grid.merge",
      entityType: "area",
      entityId: newId,
      change: { effectiveOn: day, from: ids, name, code: g.code, gridType: g.gridType, boundary: g.boundary, repointOrganizations: input.repointOrganizations === true },
      summary: { communityId: community.id, effectiveOn: day, from: ids, code: g.code, grantsCopied: result.grantsCopied, staffCopied, casesMoved },
    });
    return result;
  });
}

export { planContents, moveContents, allocateCodes, gridOrganizations, insertGrid, loadCommunity as lockCommunity };
