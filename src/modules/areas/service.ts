/** 区域: reading the area tree, its maps, and resolving a point to its grid. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { rows } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { authorize, scopeCondition, escapeLike } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { areas, type AreaLevel } from "./schema.js";
import { areaPolicy, areaReaders } from "./policy.js";
import { checkRedrawnGrid } from "./grids.js";
import { bbox as bboxOf, geometryProblem, type Geometry } from "./geo.js";
import { SpatialGridIndex } from "./spatial.js";

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

const summaryColumns = sql`a.id, a.parent_id, a.level, a.code, a.name, a.path,
  (select count(*) from areas c where c.parent_id = a.id) as child_count`;

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
    sql`select ${summaryColumns} from areas a where a.path in (${sql.join(outermost.map((p) => sql`${p}`), sql`, `)}) order by a.depth, a.sort_order, a.code, a.name`,
  );
  return list.map(summary);
}

async function loadArea(db: Db, id: string) {
  const [a] = await db.select().from(areas).where(eq(areas.id, id));
  return a ? { ...a, areaPath: a.path } : undefined;
}

/** One area with its ancestors (for breadcrumbs) and children; 404 outside the actor's scope. */
export async function getArea(db: Db, actor: Actor, id: string): Promise<{ area: AreaDetail; ancestors: AreaSummary[]; children: AreaSummary[] }> {
  const a = await loadArea(db, id);
  authorize(actor, "read", a, areaPolicy);
  const ancestorIds = a.path.split("/").filter((x) => x !== "" && x !== a.id);
  const [ancestors, children, counts] = await Promise.all([
    ancestorIds.length === 0
      ? Promise.resolve([] as AreaRow[])
      : rows<AreaRow>(db, sql`select ${summaryColumns} from areas a where a.id in (${sql.join(ancestorIds.map((x) => sql`${x}`), sql`, `)}) order by a.depth`),
    rows<AreaRow>(db, sql`select ${summaryColumns} from areas a where a.parent_id = ${a.id} order by a.sort_order, a.code, a.name`),
    rows<{ households: string | number; children: string | number }>(
      db,
      sql`select
            (select count(*) from households h join areas g on g.id = h.grid_id where g.path like ${`${escapeLike(a.path)}%`}) as households,
            (select count(*) from areas c where c.parent_id = ${a.id}) as children`,
    ),
  ]);
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
      householdCount: Number(counts[0]?.households ?? 0),
      bbox: hasBox ? [a.minLng!, a.minLat!, a.maxLng!, a.maxLat!] : null,
      validFrom: a.validFrom,
      validTo: a.validTo,
    },
    ancestors: ancestors.map(summary),
    children: children.map(summary),
  };
}

export interface AreaFeature {
  type: "Feature";
  geometry: Geometry;
  properties: { id: string; name: string; code: string | null; level: AreaLevel; parentId: string | null; gridType: string | null };
}

/** The boundary of an area and of every community and grid below it, as a FeatureCollection. */
export async function areaGeoJson(db: Db, actor: Actor, id: string): Promise<{ type: "FeatureCollection"; features: AreaFeature[] }> {
  const a = await loadArea(db, id);
  authorize(actor, "read", a, areaPolicy);
  const list = await db
    .select({ id: areas.id, name: areas.name, code: areas.code, level: areas.level, parentId: areas.parentId, gridType: areas.gridType, boundary: areas.boundary })
    .from(areas)
    .where(
      and(
        sql`${areas.path} like ${`${escapeLike(a.path)}%`}`,
        sql`${areas.boundary} is not null`,
        sql`(${areas.id} = ${a.id} or ${areas.level} in ('community', 'grid', 'microGrid'))`,
      ),
    )
    .orderBy(asc(areas.depth), asc(areas.code));
  return {
    type: "FeatureCollection",
    features: list.map((r) => ({
      type: "Feature",
      geometry: r.boundary!,
      properties: { id: r.id, name: r.name, code: r.code, level: r.level, parentId: r.parentId, gridType: r.gridType ?? null },
    })),
  };
}

/** Areas of the actor's scope whose name or code matches, for pickers. */
export async function searchAreas(db: Db, actor: Actor, q: string, limit = 20): Promise<AreaSummary[]> {
  const like = `%${escapeLike(q)}%`;
  const list = await rows<AreaRow>(
    db,
    sql`select ${summaryColumns} from areas a
        where (${scopeCondition(actor, areaReaders, sql`a.path`)}) and (a.name like ${like} or a.code like ${like})
        order by a.depth, a.code limit ${limit}`,
  );
  return list.map(summary);
}

// --- point → grid -------------------------------------------------------------------------

interface IndexedGrid {
  id: string;
  code: string | null;
  path: string;
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
  boundary: Geometry;
  /** The boundary again, under the name `SpatialGridIndex` reads. */
  geometry: Geometry;
}

/**
 * Grids in memory behind a spatial index (`SpatialGridIndex`: R-tree over bounding boxes, then an
 * exact test). Rebuilt when the grids change, checked by a cheap version query.
 */
export class GridIndex {
  private index = new SpatialGridIndex<IndexedGrid>([]);
  private version = "";

  async refresh(db: Db): Promise<void> {
    const [v] = await rows<{ v: string }>(
      db,
      sql`select count(*)::text || ':' || coalesce(max(updated_at)::text, '') as v from areas where level = 'grid'`,
    );
    if (v && v.v === this.version) return;
    const list = await db
      .select({ id: areas.id, code: areas.code, path: areas.path, boundary: areas.boundary, minLng: areas.minLng, minLat: areas.minLat, maxLng: areas.maxLng, maxLat: areas.maxLat })
      .from(areas)
      .where(and(eq(areas.level, "grid"), sql`${areas.boundary} is not null`));
    this.index = new SpatialGridIndex(
      list.map((g) => ({
        id: g.id,
        code: g.code,
        path: g.path,
        boundary: g.boundary!,
        geometry: g.boundary!,
        minLng: g.minLng!,
        minLat: g.minLat!,
        maxLng: g.maxLng!,
        maxLat: g.maxLat!,
      })),
    );
    this.version = v?.v ?? "";
  }

  /**
   * The grid containing the point, exact at edges and holes; a point inside a grid beats one on
   * another's edge, and on a shared edge or vertex the grid with the smallest code wins.
   */
  locate(lng: number, lat: number): IndexedGrid | undefined {
    return this.index.locate(lng, lat);
  }
}

/** Resolves a point to its grid and community; outside every grid → 404 outside_grids. */
export async function locatePoint(db: Db, index: GridIndex, lng: number, lat: number): Promise<{ grid: AreaSummary; community: AreaSummary | null }> {
  await index.refresh(db);
  const g = index.locate(lng, lat);
  if (!g) throw new AppError("outside_grids");
  const ids = g.path.split("/").filter(Boolean);
  const list = await rows<AreaRow>(db, sql`select ${summaryColumns} from areas a where a.id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)})`);
  const grid = list.find((r) => r.id === g.id);
  const community = list.find((r) => r.level === "community");
  return { grid: summary(grid!), community: community ? summary(community) : null };
}

/** Renames an area or redraws its boundary; audited. */
export async function updateArea(
  db: Db,
  actor: Actor,
  id: string,
  patch: { name?: string | undefined; boundary?: Geometry | undefined; gridType?: "comprehensive" | "dedicated" | undefined },
): Promise<AreaDetail> {
  if (patch.boundary !== undefined) {
    const problem = geometryProblem(patch.boundary);
    if (problem) throw new AppError("validation_failed", { detail: problem }, "boundary");
  }
  if (patch.name !== undefined && patch.name.trim() === "") throw new AppError("validation_failed", { detail: "name is empty" }, "name");
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(areas).where(eq(areas.id, id)).for("update");
    const a = row ? { ...row, areaPath: row.path } : undefined;
    authorize(actor, "update", a, areaPolicy);
    if (patch.gridType !== undefined && a.level !== "grid") throw new AppError("validation_failed", { detail: "only grids have a grid type" }, "gridType");
    if (patch.boundary !== undefined && a.level === "grid") await checkRedrawnGrid(tx, a.id, patch.name ?? a.name, patch.boundary);
    const box = patch.boundary ? bboxOf(patch.boundary) : undefined;
    await tx
      .update(areas)
      .set({
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
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
      change: { before: { name: a.name, gridType: a.gridType, boundary: a.boundary }, after: patch },
      summary: { fields: Object.keys(patch) },
    });
  });
  return (await getArea(db, actor, id)).area;
}
