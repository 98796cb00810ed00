/** 区域: reading the area tree, its maps, and resolving a point to its grid. */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { rows } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { authorize, scopeCondition, escapeLike } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { areas, type AreaLevel } from "./schema.js";
import { areaAdminPolicy, areaPolicy, areaReaders } from "./policy.js";
import { administeredLevels, checkAreaBoundary, childLevelOf, recodeArea, recordNameVersion, type AreaWarning } from "./admin.js";
import { checkRedrawnGrid } from "./grids.js";
import { gridDrawingPolicy } from "./policy.js";
import { bbox as bboxOf, geometryProblem, type Geometry } from "./geo.js";
import { SpatialGridIndex } from "./spatial.js";
import { effectiveDate, historyOf, inForceOn, lineageOf, redrawVersion, today, type LineageLink } from "./history.js";
import { areaResidents } from "./residents-port.js";

export interface AreaSummary {
  id: string;
  parentId: string | null;
  level: AreaLevel;
  code: string | null;
  name: string;
  childCount: number;
}

export interface AreaDetail extends AreaSummary {
  gridType: "comprehensive" | "dedicated" | null;
  householdCount: number;
  bbox: [number, number, number, number] | null;
  validFrom: string | null;
  validTo: string | null;
  /** Grids this one was split from or merged out of, and the grids it went into. */
  predecessors: LineageLink[];
  successors: LineageLink[];
  /**
   * What the actor may do here: rename/redraw, and draw, split, merge or import grids (in a
   * community or on a grid); `manage`: re-code or retire this district, street or community;
   * `addChild`: create a district, street or community below (and import communities into a street).
   */
  abilities: { update: boolean; drawGrids: boolean; manage: boolean; addChild: boolean };
}

interface AreaRow {
  id: string;
  parent_id: string | null;
  level: AreaLevel;
  code: string | null;
  name: string;
  path: string;
  child_count: number | string;
}

function summary(r: AreaRow): AreaSummary {
  return { id: r.id, parentId: r.parent_id, level: r.level, code: r.code, name: r.name, childCount: Number(r.child_count) };
}

/** Summary columns of `areas a`; children counted are those in force on `day` (retired grids leave the tree). */
const summaryColumns = (day = today()) => sql`a.id, a.parent_id, a.level, a.code, a.name, a.path,
  (select count(*) from areas c where c.parent_id = a.id and ${inForceOn("c", day)}) as child_count`;

/**
 * The path of an area the actor may browse, for filtering a list to its subtree; an unknown or
 * unreadable area answers 404 on the `areaId` parameter.
 */
export async function readableAreaPath(db: Db, actor: Actor, areaId: string): Promise<string> {
  const [a] = await rows<{ path: string }>(db, sql`select path from areas where id = ${areaId}`);
  if (!a || !areaPolicy.read(actor, { areaPath: a.path })) throw new AppError("not_found", {}, "areaId");
  return a.path;
}

/** The nodes the actor was granted, outermost first, without duplicates nested in another grant. */
export async function listRootAreas(db: Db, actor: Actor): Promise<AreaSummary[]> {
  const paths = [...new Set(actor.grants.filter((g) => areaReaders.includes(g.role) && g.areaPath).map((g) => g.areaPath!))];
  const outermost = paths.filter((p) => !paths.some((q) => q !== p && p.startsWith(q)));
  if (outermost.length === 0) return [];
  const list = await rows<AreaRow>(
    db,
    sql`select ${summaryColumns()} from areas a where a.path in (${sql.join(outermost.map((p) => sql`${p}`), sql`, `)}) and ${inForceOn("a", today())} order by a.depth, a.sort_order, a.code, a.name`,
  );
  return list.map(summary);
}

async function loadArea(db: Db, id: string) {
  const [a] = await db.select().from(areas).where(eq(areas.id, id));
  return a ? { ...a, areaPath: a.path } : undefined;
}

/**
 * One area with its ancestors (for breadcrumbs) and the children in force on `at` (default today);
 * a retired grid still answers, with its validity and successors. 404 outside the actor's scope.
 */
export async function getArea(db: Db, actor: Actor, id: string, at?: string): Promise<{ area: AreaDetail; ancestors: AreaSummary[]; children: AreaSummary[] }> {
  const a = await loadArea(db, id);
  authorize(actor, "read", a, areaPolicy);
  const day = at ?? today();
  const ancestorIds = a.path.split("/").filter((x) => x !== "" && x !== a.id);
  const [ancestors, children, counts, households] = await Promise.all([
    ancestorIds.length === 0
      ? Promise.resolve([] as AreaRow[])
      : rows<AreaRow>(db, sql`select ${summaryColumns(day)} from areas a where a.id in (${sql.join(ancestorIds.map((x) => sql`${x}`), sql`, `)}) order by a.depth`),
    rows<AreaRow>(db, sql`select ${summaryColumns(day)} from areas a where a.parent_id = ${a.id} and ${inForceOn("a", day)} order by a.sort_order, a.code, a.name`),
    rows<{ children: string | number }>(
      db,
      sql`select
            (select count(*) from areas c where c.parent_id = ${a.id} and ${inForceOn("c", day)}) as children`,
    ),
    // Households are people's rows: counted through the residents port.
    areaResidents().householdsUnder(db, a.path),
  ]);
  const links = a.level === "grid" ? await lineageOf(db, [a.id]) : [];
  const hasBox = a.minLng !== null && a.minLat !== null && a.maxLng !== null && a.maxLat !== null;
  return {
    area: {
      id: a.id,
      parentId: a.parentId,
      level: a.level,
      code: a.code,
      name: a.name,
      childCount: Number(counts[0]?.children ?? 0),
      gridType: a.gridType ?? null,
      householdCount: households,
      bbox: hasBox ? [a.minLng!, a.minLat!, a.maxLng!, a.maxLat!] : null,
      validFrom: a.validFrom,
      validTo: a.validTo,
      predecessors: links.filter((l) => l.to === a.id).map((l) => l.link(l.from)),
      successors: links.filter((l) => l.from === a.id).map((l) => l.link(l.to)),
      abilities: {
        update: areaPolicy.update(actor, a),
        drawGrids: (a.level === "community" || a.level === "grid") && gridDrawingPolicy.draw(actor, a),
        manage: administeredLevels.includes(a.level) && areaAdminPolicy.manage(actor, { areaPath: a.path, level: a.level }),
        addChild: childLevelOf[a.level] !== undefined && areaAdminPolicy.manage(actor, { areaPath: `${a.path}new/`, level: childLevelOf[a.level]! }),
      },
    },
    ancestors: ancestors.map(summary),
    children: children.map(summary),
  };
}

export interface AreaFeature {
  type: "Feature";
  geometry: Geometry;
  properties: {
    id: string;
    name: string;
    code: string | null;
    level: AreaLevel;
    parentId: string | null;
    gridType: string | null;
    validFrom: string | null;
    validTo: string | null;
  };
}

/**
 * The boundary of an area and of every community and grid below it, as a FeatureCollection: the
 * grids in force today, or with `at` the grids as they were that day (boundaries from their
 * versions). GeoJSON out for the same grids the import takes in.
 */
export async function areaGeoJson(db: Db, actor: Actor, id: string, at?: string): Promise<{ type: "FeatureCollection"; features: AreaFeature[] }> {
  const a = await loadArea(db, id);
  authorize(actor, "read", a, areaPolicy);
  const like = `${escapeLike(a.path)}%`;
  const day = at ?? today();
  const list = await rows<{ id: string; name: string; code: string | null; level: AreaLevel; parent_id: string | null; grid_type: string | null; boundary: Geometry; valid_from: string | null; valid_to: string | null }>(
    db,
    at === undefined
      ? sql`select a.id, a.name, a.code, a.level, a.parent_id, a.grid_type, a.boundary, a.valid_from::text as valid_from, a.valid_to::text as valid_to
            from areas a where a.path like ${like} and a.boundary is not null
              and (a.id = ${a.id} or a.level in ('community', 'grid', 'microGrid')) and ${inForceOn("a", day)}
            order by a.depth, a.code`
      : sql`select a.id, a.name, a.code, a.level, a.parent_id, a.grid_type,
              case when a.level = 'grid' then v.boundary else a.boundary end as boundary,
              a.valid_from::text as valid_from, a.valid_to::text as valid_to
            from areas a
            left join area_boundary_versions v on a.level = 'grid' and v.area_id = a.id and v.valid_from <= ${day}::date and (v.valid_to is null or v.valid_to > ${day}::date)
            where a.path like ${like} and a.boundary is not null
              and (a.id = ${a.id} or a.level in ('community', 'grid', 'microGrid'))
              and (a.level <> 'grid' or v.id is not null)
            order by a.depth, a.code`,
  );
  return {
    type: "FeatureCollection",
    features: list.map((r) => ({
      type: "Feature",
      geometry: r.boundary,
      properties: { id: r.id, name: r.name, code: r.code, level: r.level, parentId: r.parent_id, gridType: r.grid_type ?? null, validFrom: r.valid_from, validTo: r.valid_to },
    })),
  };
}

/** A grid's boundary versions and lineage; retired grids answer too. 404 outside the actor's scope. */
export async function gridHistory(db: Db, actor: Actor, id: string): Promise<Awaited<ReturnType<typeof historyOf>>> {
  const a = await loadArea(db, id);
  authorize(actor, "read", a, areaPolicy);
  return historyOf(db, a.id);
}

/** Areas of the actor's scope whose name or code matches, for pickers. */
export async function searchAreas(db: Db, actor: Actor, q: string, limit = 20): Promise<AreaSummary[]> {
  const like = `%${escapeLike(q)}%`;
  const list = await rows<AreaRow>(
    db,
    sql`select ${summaryColumns()} from areas a
        where (${scopeCondition(actor, areaReaders, sql`a.path`)}) and (a.name like ${like} or a.code like ${like}) and ${inForceOn("a", today())}
        order by a.depth, a.code limit ${limit}`,
  );
  return list.map(summary);
}

// --- point → grid -------------------------------------------------------------------------

interface IndexedGrid {
  id: string;
  code: string | null;
  name: string;
  path: string;
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
  boundary: Geometry;
  /** The boundary again, under the name `SpatialGridIndex` reads. */
  geometry: Geometry;
}

interface IndexedVersion {
  id: string;
  gridId: string;
  code: string | null;
  path: string;
  validFrom: string;
  validTo: string | null;
  geometry: Geometry;
}

/**
 * Grids in memory behind a spatial index (`SpatialGridIndex`: R-tree over bounding boxes, then an
 * exact test). The current index holds the grids in force today; a second one, built on the first
 * question about a past day, holds every boundary version with its validity. Each is rebuilt when
 * a cheap version query (grid rows, versions, the day) changes.
 */
declare module "../../platform/http/context.js" {
  interface AppIndexes {
    /** The grids in force, for locating points (src/app.ts builds it; areas, places and cases use it). */
    gridIndex: GridIndex;
  }
}

export class GridIndex {
  private index = new SpatialGridIndex<IndexedGrid>([]);
  private version = "";
  private names = new Map<string, string>();
  private history = new SpatialGridIndex<IndexedVersion>([]);
  private historyVersion = "";

  private async stamp(db: Db): Promise<string> {
    const [v] = await rows<{ v: string }>(
      db,
      sql`select (select count(*)::text || ':' || coalesce(max(updated_at)::text, '') from areas where level = 'grid')
            || ':' || (select count(*)::text || ':' || coalesce(max(recorded_at)::text, '') from area_boundary_versions) as v`,
    );
    return `${v?.v ?? ""}:${today()}`;
  }

  async refresh(db: Db): Promise<void> {
    const v = await this.stamp(db);
    if (v === this.version) return;
    const list = await db
      .select({ id: areas.id, code: areas.code, name: areas.name, path: areas.path, boundary: areas.boundary, minLng: areas.minLng, minLat: areas.minLat, maxLng: areas.maxLng, maxLat: areas.maxLat })
      .from(areas)
      .where(and(eq(areas.level, "grid"), sql`${areas.boundary} is not null`, inForceOn("areas", today())));
    this.index = new SpatialGridIndex(
      list.map((g) => ({
        id: g.id,
        code: g.code,
        name: g.name,
        path: g.path,
        boundary: g.boundary!,
        geometry: g.boundary!,
        minLng: g.minLng!,
        minLat: g.minLat!,
        maxLng: g.maxLng!,
        maxLat: g.maxLat!,
      })),
    );
    this.names = new Map(list.map((g) => [g.id, g.name]));
    this.version = v;
  }

  /** The name of a grid in force at the last refresh (a grid with a boundary), without a query. */
  nameOf(gridId: string): string | undefined {
    return this.names.get(gridId);
  }

  /**
   * The grid containing the point, exact at edges and holes; a point inside a grid beats one on
   * another's edge, and on a shared edge or vertex the grid with the smallest code wins.
   */
  locate(lng: number, lat: number): IndexedGrid | undefined {
    return this.index.locate(lng, lat);
  }

  /** The grid whose boundary held the point on `day` (same tie-break rules). */
  async locateOn(db: Db, lng: number, lat: number, day: string): Promise<{ id: string; path: string } | undefined> {
    const v = await this.stamp(db);
    if (v !== this.historyVersion) {
      const list = await rows<{ id: string; area_id: string; code: string | null; path: string; valid_from: string; valid_to: string | null; boundary: Geometry }>(
        db,
        sql`select v.id, v.area_id, a.code, a.path, v.valid_from::text as valid_from, v.valid_to::text as valid_to, v.boundary
            from area_boundary_versions v join areas a on a.id = v.area_id where a.level = 'grid'`,
      );
      this.history = new SpatialGridIndex(
        list.map((r) => ({ id: r.id, gridId: r.area_id, code: r.code, path: r.path, validFrom: r.valid_from, validTo: r.valid_to, geometry: r.boundary })),
      );
      this.historyVersion = v;
    }
    const hit = this.history.locate(lng, lat, (g) => g.validFrom <= day && (g.validTo === null || g.validTo > day));
    return hit ? { id: hit.gridId, path: hit.path } : undefined;
  }
}

/**
 * Resolves a point to its grid and community; outside every grid → 404 outside_grids. With `at`
 * (YYYY-MM-DD), the grid that held the point that day, by the boundary versions then in force.
 */
export async function locatePoint(db: Db, index: GridIndex, lng: number, lat: number, at?: string): Promise<{ grid: AreaSummary; community: AreaSummary | null }> {
  let g: { id: string; path: string } | undefined;
  if (at === undefined || at === today()) {
    await index.refresh(db);
    g = index.locate(lng, lat);
  } else {
    g = await index.locateOn(db, lng, lat, at);
  }
  if (!g) throw new AppError("outside_grids");
  const ids = g.path.split("/").filter(Boolean);
  const list = await rows<AreaRow>(db, sql`select ${summaryColumns(at)} from areas a where a.id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)})`);
  const grid = list.find((r) => r.id === g.id);
  const community = list.find((r) => r.level === "community");
  return { grid: summary(grid!), community: community ? summary(community) : null };
}

/**
 * Renames an area, re-codes a district, street or community (its subtree's codes follow), or
 * redraws a boundary — a grid's checked against its community, any other's against its parent and
 * siblings (gaps come back as `warnings`). Name, code and boundary keep their history as of
 * `effectiveOn` (default today). Audited.
 */
export async function updateArea(
  db: Db,
  actor: Actor,
  id: string,
  patch: { name?: string | undefined; code?: string | undefined; boundary?: Geometry | undefined; gridType?: "comprehensive" | "dedicated" | undefined; effectiveOn?: string | undefined },
): Promise<AreaDetail & { warnings: AreaWarning[] }> {
  if (patch.boundary !== undefined) {
    const problem = geometryProblem(patch.boundary);
    if (problem) throw new AppError("validation_failed", { detail: problem }, "boundary");
  }
  if (patch.name !== undefined && patch.name.trim() === "") throw new AppError("validation_failed", { detail: "name is empty" }, "name");
  let warnings: AreaWarning[] = [];
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(areas).where(eq(areas.id, id)).for("update");
    const a = row ? { ...row, areaPath: row.path } : undefined;
    if (patch.code !== undefined && a && areaPolicy.read(actor, a)) {
      // Re-coding is area administration (system admin; a street admin for its communities).
      authorize(actor, "manage", { areaPath: a.path, level: a.level }, areaAdminPolicy);
    } else authorize(actor, "update", a, areaPolicy);
    if (!a) throw new AppError("not_found");
    if (a.validTo !== null && a.validTo <= today()) {
      throw a.level === "grid" ? new AppError("grid_retired", { name: a.name, date: a.validTo }) : new AppError("area_retired", { name: a.name, date: a.validTo });
    }
    if (patch.effectiveOn !== undefined && patch.boundary === undefined && patch.name === undefined && patch.code === undefined) {
      throw new AppError("validation_failed", { detail: "effectiveOn applies to a new name, code or boundary" }, "effectiveOn");
    }
    if (patch.gridType !== undefined && a.level !== "grid") throw new AppError("validation_failed", { detail: "only grids have a grid type" }, "gridType");
    const day = effectiveDate(patch.effectiveOn);
    const name = patch.name?.trim();
    if (name !== undefined && name !== a.name && a.parentId) {
      const [twin] = await rows<{ id: string }>(tx, sql`select id from areas x where x.parent_id = ${a.parentId} and x.name = ${name} and x.id <> ${a.id} and ${inForceOn("x", today())} limit 1`);
      if (twin) throw new AppError("conflict", { detail: name }, "name");
    }
    if (patch.boundary !== undefined && a.level === "grid") {
      await checkRedrawnGrid(tx, a.id, patch.name ?? a.name, patch.boundary);
      await redrawVersion(tx, { areaId: a.id, name: a.name, boundary: patch.boundary, day, reason: "redrawn", recordedBy: actor.userId });
    } else if (patch.boundary !== undefined) {
      warnings = await checkAreaBoundary(tx, { id: a.id, parentId: a.parentId, name: name ?? a.name }, patch.boundary);
      await redrawVersion(tx, { areaId: a.id, name: a.name, boundary: patch.boundary, day, reason: a.boundary ? "redrawn" : "drawn", recordedBy: actor.userId });
    }
    const descendantsRecoded = patch.code !== undefined ? await recodeArea(tx, actor, { ...a, parent_id: a.parentId, valid_from: a.validFrom, valid_to: a.validTo, boundary: a.boundary ?? null }, patch.code, day) : 0;
    if ((name !== undefined && name !== a.name) || (patch.code !== undefined && patch.code !== a.code)) {
      await recordNameVersion(tx, { id: a.id, name: a.name, code: a.code, valid_from: a.validFrom }, { name: name ?? a.name, code: patch.code ?? a.code }, day, patch.code !== undefined && patch.code !== a.code ? "recoded" : "renamed", actor.userId);
    }
    const box = patch.boundary ? bboxOf(patch.boundary) : undefined;
    await tx
      .update(areas)
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(patch.gridType !== undefined ? { gridType: patch.gridType } : {}),
        ...(patch.boundary !== undefined && box ? { boundary: patch.boundary, ...box } : {}),
        updatedAt: new Date(),
      })
      .where(eq(areas.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "area.update",
      entityType: "area",
      entityId: id,
      change: { before: { name: a.name, code: a.code, gridType: a.gridType, boundary: a.boundary }, after: patch },
      summary: { fields: Object.keys(patch), ...(patch.code !== undefined ? { descendantsRecoded } : {}) },
    });
  });
  return { ...(await getArea(db, actor, id)).area, warnings };
}
