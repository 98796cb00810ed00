/**
 * 网格 management: drawing a new grid or redrawing one, checked against its community (no part
 * outside, no overlap with the other grids, a valid polygon), and the community's topology report.
 * A grid that is redrawn keeps its row; its boundaries by validity dates are kept in
 * `area_boundary_versions` (see `history.ts`).
 */
import { and, eq, sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError, type Lang } from "../../platform/errors.js";
import { am, localized, part } from "./messages.js";
import { authorize, type Scoped } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { areas } from "./schema.js";
import { areaPolicy } from "./policy.js";
import { bbox, geometryProblem, type Geometry } from "./geo.js";
import { polygonProblems, topologyReport, type TopologyReport } from "./topology.js";
import { effectiveDate, inForceOn, openVersion, today } from "./history.js";
import { gridDrawingPolicy } from "./policy.js";


interface CommunityRow {
  id: string;
  name: string;
  code: string | null;
  path: string;
  depth: number;
  level: string;
  boundary: Geometry | null;
}

async function loadCommunity(db: Db, id: string): Promise<(CommunityRow & Scoped) | undefined> {
  const [c] = await rows<CommunityRow>(db, sql`select id, name, code, path, depth, level, boundary from areas where id = ${id}`);
  return c ? { ...c, areaPath: c.path } : undefined;
}

/** Grids in force today under a community. */
async function currentGrids(db: Db, communityId: string, except?: string) {
  const list = await db
    .select({ id: areas.id, code: areas.code, name: areas.name, boundary: areas.boundary })
    .from(areas)
    .where(and(eq(areas.parentId, communityId), eq(areas.level, "grid"), inForceOn("areas", today())));
  return list.filter((g) => g.id !== except && g.boundary !== null).map((g) => ({ id: g.id, code: g.code, name: g.name, geometry: g.boundary! }));
}

/**
 * The checks a grid's boundary must pass: a well-formed polygon, inside its community, not
 * overlapping the community's other grids (each beyond 1 m²). The first failure becomes a 400
 * naming the feature and the grid it collides with.
 */
async function checkGridBoundary(db: Db, community: CommunityRow, name: string, boundary: Geometry, gridId?: string): Promise<void> {
  const shape = geometryProblem(boundary);
  if (shape) throw new AppError("validation_failed", { detail: am("grid_shape", { name, problem: shape }) }, "boundary");
  const problems = polygonProblems(boundary, part("subject_grid", { name }));
  if (problems.length > 0) throw new AppError("validation_failed", { detail: { code: problems[0]!.code, zh: problems[0]!.message, en: problems[0]!.messageEn } }, "boundary");
  if (!community.boundary) return;
  const others = await currentGrids(db, community.id, gridId);
  const candidate = { id: gridId ?? "new", code: null, name, geometry: boundary };
  const report = topologyReport(community.boundary, [...others, candidate], { communityName: community.name });
  const outside = report.outside.find((o) => o.grid.id === candidate.id);
  if (outside) throw new AppError("validation_failed", { detail: am("grid_outside", { name, area: Math.round(outside.areaM2), community: community.name }) }, "boundary");
  const overlap = report.overlaps.find((o) => o.gridA.id === candidate.id || o.gridB.id === candidate.id);
  if (overlap) {
    const other = overlap.gridA.id === candidate.id ? overlap.gridB : overlap.gridA;
    throw new AppError("validation_failed", { detail: am("grid_overlaps", { name, other: other.name, area: Math.round(overlap.areaM2) }) }, "boundary");
  }
}

export interface NewGrid {
  communityId: string;
  name: string;
  code?: string | undefined;
  gridType: "comprehensive" | "dedicated";
  boundary: Geometry;
  validFrom?: string | undefined;
}

/** Draws a new grid in a community; its code extends the community's (next free 3-digit number unless given). */
export async function createGrid(db: Db, actor: Actor, input: NewGrid): Promise<{ id: string; code: string | null }> {
  return db.transaction(async (tx) => {
    const community = await loadCommunity(tx, input.communityId);
    if (community && !areaPolicy.read(actor, community)) throw new AppError("not_found", {}, "communityId");
    authorize(actor, "draw", community, gridDrawingPolicy);
    if (community.level !== "community") throw new AppError("validation_failed", { detail: am("grids_in_community") }, "communityId");
    // Serialize grid drawing per community so two concurrent drawings cannot overlap unseen.
    await tx.execute(sql`select id from areas where id = ${community.id} for update`);
    await checkGridBoundary(tx, community, input.name, input.boundary);
    const validFrom = effectiveDate(input.validFrom);
    let code = input.code ?? null;
    if (code !== null) {
      if (community.code && !(code.startsWith(community.code) && code.length === community.code.length + 3 && /^\d+$/.test(code))) {
        throw new AppError("validation_failed", { detail: am("grid_code_format", { prefix: community.code }) }, "code");
      }
      const [taken] = await rows<{ id: string }>(tx, sql`select id from areas where code = ${code}`);
      if (taken) throw new AppError("conflict", { detail: code }, "code");
    } else if (community.code) {
      const [max] = await rows<{ code: string | null }>(tx, sql`select max(code) as code from areas where parent_id = ${community.id} and level = 'grid'`);
      const next = max?.code ? Number(max.code.slice(community.code.length)) + 1 : 1;
      code = `${community.code}${String(next).padStart(3, "0")}`;
    }
    const [row] = await tx
      .insert(areas)
      .values({
        parentId: community.id,
        level: "grid",
        code,
        name: input.name.trim(),
        path: "pending",
        depth: community.depth + 1,
        gridType: input.gridType,
        boundary: input.boundary,
        ...bbox(input.boundary),
        validFrom,
      })
      .returning({ id: areas.id });
    await tx.update(areas).set({ path: `${community.path}${row!.id}/` }).where(eq(areas.id, row!.id));
    await openVersion(tx, { areaId: row!.id, boundary: input.boundary, validFrom, reason: "drawn", recordedBy: actor.userId });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "grid.create",
      entityType: "area",
      entityId: row!.id,
      change: { ...input },
      summary: { communityId: community.id, code, gridType: input.gridType },
    });
    return { id: row!.id, code };
  });
}

/** Validates a redrawn grid boundary against its community (used by updateArea). */
export async function checkRedrawnGrid(db: Db, gridId: string, name: string, boundary: Geometry): Promise<void> {
  const [g] = await rows<{ parent_id: string | null }>(db, sql`select parent_id from areas where id = ${gridId}`);
  if (!g?.parent_id) return;
  const community = await loadCommunity(db, g.parent_id);
  if (community) await checkGridBoundary(db, community, name, boundary, gridId);
}

export interface TopologyView extends Omit<TopologyReport, "overlaps" | "gaps" | "outside" | "invalid"> {
  overlaps: (Omit<TopologyReport["overlaps"][number], "gridA" | "gridB" | "messageEn"> & { gridA: { id: string; name: string }; gridB: { id: string; name: string } })[];
  gaps: Omit<TopologyReport["gaps"][number], "messageEn">[];
  outside: (Omit<TopologyReport["outside"][number], "grid" | "messageEn"> & { grid: { id: string; name: string } })[];
  invalid: { grid: { id: string; name: string } | null; problems: { code: string; message: string }[] }[];
}

/** Gaps between and overlaps among a community's grids, with the area of each, and grids outside it; messages in `lang`. */
export async function communityTopology(db: Db, actor: Actor, communityId: string, lang: Lang = "zh-CN"): Promise<TopologyView> {
  const community = await loadCommunity(db, communityId);
  authorize(actor, "read", community, gridDrawingPolicy);
  if (community.level !== "community") throw new AppError("validation_failed", { detail: am("topology_per_community") }, "id");
  if (!community.boundary) throw new AppError("validation_failed", { detail: am("community_without_boundary") }, "id");
  const grids = await currentGrids(db, community.id);
  const r = topologyReport(community.boundary, grids, { communityName: community.name });
  const short = (g: { id: string; name: string }) => ({ id: g.id, name: g.name });
  return {
    ...r,
    overlaps: r.overlaps.map((o) => localized({ ...o, gridA: short(o.gridA), gridB: short(o.gridB) }, lang)),
    gaps: r.gaps.map((g) => localized(g, lang)),
    outside: r.outside.map((o) => localized({ ...o, grid: short(o.grid) }, lang)),
    invalid: r.invalid.map((i) => ({ grid: i.grid ? short(i.grid) : null, problems: i.problems.map((p) => ({ code: p.code, message: lang === "en" ? p.messageEn : p.message })) })),
  };
}
