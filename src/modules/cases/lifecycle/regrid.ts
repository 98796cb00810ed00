/**
 * 网格调整: when grids are split, merged or replaced (areas/reshape.ts, areas/grid-import.ts), the
 * open cases of the retired grids follow their point into the grids that succeed them — as the
 * buildings and households there do — so the new grid's workers see and handle them. A case
 * handled by its grid is handed to the new grid; one handled higher up (community, street,
 * department) keeps its handler. Closed, rated, rejected, merged and cancelled cases keep the grid
 * they were handled in: that is their history. Each move is a `regrid` step (status unchanged,
 * not shown to the reporter) with its audit entry, in the reshape's own transaction.
 */
import { and, inArray, sql } from "drizzle-orm";
import { rows, type Db } from "../../../platform/db/index.js";
import type { Actor } from "../../../platform/auth/actor.js";
import type { Geometry } from "../../../platform/geojson.js";
import { SpatialGridIndex, type AreaRetiring, type GridsReshapePlanned } from "../../areas/index.js";
import { applyTransition, caseActorOf } from "../core.js";
import { openStatuses } from "../machine.js";
import { cases } from "../schema.js";

export interface RegridTarget {
  id: string;
  code: string | null;
  boundary: Geometry;
}

/**
 * Moves the open cases of `fromGridIds` into `targets` by their point; a point in none of them
 * (a case placed by a building outside the new boundaries) goes to `fallbackId`. Returns how many
 * cases moved.
 */
export async function moveOpenCases(tx: Db, actor: Actor, fromGridIds: readonly string[], targets: readonly RegridTarget[], fallbackId: string): Promise<number> {
  if (fromGridIds.length === 0 || targets.length === 0) return 0;
  const open = await tx
    .select()
    .from(cases)
    .where(and(inArray(cases.gridId, [...fromGridIds]), inArray(cases.status, [...openStatuses])))
    .orderBy(cases.id)
    .for("update");
  if (open.length === 0) return 0;

  const index = new SpatialGridIndex(targets.map((t) => ({ id: t.id, code: t.code, geometry: t.boundary })));
  const ids = [...new Set([...fromGridIds, ...targets.map((t) => t.id), fallbackId])];
  const grids = new Map(
    (await rows<{ id: string; name: string; path: string }>(tx, sql`select id, name, path from areas where id in (${sql.join(ids.map((x) => sql`${x}`), sql`, `)})`)).map((g) => [g.id, g]),
  );
  const who = caseActorOf(actor);
  for (const row of open) {
    const to = grids.get(index.locate(row.lng, row.lat)?.id ?? fallbackId)!;
    const from = grids.get(row.gridId);
    const path = to.path.split("/").filter(Boolean);
    await applyTransition(tx, who, row, "regrid", {
      note: `网格调整：${from?.name ?? ""} → ${to.name}`,
      data: { fromGridId: row.gridId, toGridId: to.id },
      patch: {
        gridId: to.id,
        areaPath: to.path,
        communityId: path[3] ?? null,
        streetId: path[2] ?? null,
        handlingAreaId: row.handlingAreaId === row.gridId ? to.id : row.handlingAreaId,
      },
      visibleToReporter: false,
    });
  }
  return open.length;
}

/** For a reshape's plan (and dry run): how many open cases of the old grids each target would receive. */
export async function countOpenCasesToMove(tx: Db, plan: GridsReshapePlanned): Promise<void> {
  if (plan.fromGridIds.length === 0) return;
  const open = await tx
    .select({ lng: cases.lng, lat: cases.lat })
    .from(cases)
    .where(and(inArray(cases.gridId, [...plan.fromGridIds]), inArray(cases.status, [...openStatuses])));
  const index = new SpatialGridIndex(plan.toGrids.map((t) => ({ id: String(t.key).padStart(6, "0"), code: t.code, geometry: t.boundary, key: t.key })));
  for (const c of open) {
    const hit = index.locate(c.lng, c.lat);
    if (!hit) plan.unlocated.openCases++;
    const key = hit ? hit.key : plan.fallbackKey;
    plan.openCases.set(key, (plan.openCases.get(key) ?? 0) + 1);
  }
}

/** An area being retired: its open cases are counted, and any refuses the retirement (areas/admin.ts). */
export async function countOpenCasesInArea(tx: Db, e: AreaRetiring): Promise<void> {
  const [r] = await tx
    .select({ n: sql<string>`count(*)` })
    .from(cases)
    .where(and(sql`${cases.areaPath} like ${`${e.areaPath.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`, inArray(cases.status, [...openStatuses])));
  e.openCases += Number(r?.n ?? 0);
}
