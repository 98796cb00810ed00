/**
 * 导入网格边界: a community's grids from a GeoJSON FeatureCollection. Every feature is checked
 * before anything is written — a sound polygon, inside the community, no overlap with another
 * feature or (unless replacing) with the community's grids, a free code — and the report names
 * each bad feature by its number and name, in Chinese. All features are written or none.
 * `replace` retires the community's grids as of the effective date; a feature carrying the code of
 * one of them redraws that grid instead (same identity, a new boundary version). As a split or merge
 * does, each retired grid gets a lineage row to every imported grid overlapping it (kind "split"
 * when it went into several, "merge" when into one) and its role grants are copied to them.
 * `repair` (with `repairMaxM2`) first repairs what `repair.ts` can — shapes made valid, overlaps,
 * gaps and slivers outside the community within the threshold — and lists each change in
 * `repairs`; faults above the threshold are refused as without it. Nothing is repaired unasked.
 */
import polygonClipping from "polygon-clipping";
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError, type Bilingual, type Lang } from "../../platform/errors.js";
import { am, localized, part } from "./messages.js";
import { recordAudit } from "../../platform/audit/service.js";
import { areaPolicy } from "./policy.js";
import { gridDrawingPolicy } from "./policy.js";
import { bbox, type Geometry } from "./geo.js";
import { polygonProblems, topologyReport, type TopologyGrid } from "./topology.js";
import { effectiveDate, inForceOn, redrawVersion, retireGrid, today } from "./history.js";
import { allocateCodes, insertGrid, moveContents, planContents, type Contents } from "./reshape.js";
import { copyAreaGrants } from "../../platform/auth/service.js";
import { carryOverStaff } from "./staff.js";
import { frameOf, toleranceM2 } from "./partition.js";
import { areaM2 } from "./topology.js";
import { areaLineage } from "./schema.js";
import { makeValid, maxRepairM2, repairTopology, type Repair } from "./repair.js";

type GridType = "comprehensive" | "dedicated";

export interface GridImportInput {
  communityId: string;
  features: unknown[];
  dryRun?: boolean | undefined;
  replace?: boolean | undefined;
  effectiveOn?: string | undefined;
  /** Repair what lies within `repairMaxM2` (m²) instead of refusing it; every change is listed. */
  repair?: boolean | undefined;
  repairMaxM2?: number | undefined;
}

/** A change made by the repair (see `repair.ts`), its `message` in zh-CN and `messageEn` until localized. */
export type GridImportRepair = Omit<Repair, "messageEn"> & { messageEn?: string };

export interface GridImportProblem {
  /** 1-based position of the feature in the collection. */
  feature: number;
  name: string | null;
  /** Stable code of the problem (see `messages.ts`). */
  code: string;
  /** zh-CN, naming the feature by its number and name. */
  message: string;
  /** The same in English (dropped by `localizeGridImport`). */
  messageEn?: string;
}

export interface GridImportOutcome {
  ok: boolean;
  dryRun: boolean;
  effectiveOn: string;
  summary: { total: number; invalid: number; created: number; redrawn: number; retired: number; repaired: number };
  problems: GridImportProblem[];
  /** With `repair`: each change made, by feature number (empty otherwise); written as listed unless `dryRun`. */
  repairs: GridImportRepair[];
  grids: { feature: number; id: string | null; name: string; code: string | null; gridType: GridType; action: "create" | "redraw" }[];
  retired: { id: string; name: string; code: string | null }[];
  /**
   * With `replace`: each retired grid → each imported grid (by its feature number; `to` its id once
   * written) overlapping it by more than 1 m², as recorded in the lineage.
   */
  lineage: { from: string; feature: number; to: string | null; kind: "split" | "merge" }[];
  /** Role grants copied from retired grids to the grids that succeed them (after writing). */
  grantsCopied: number;
  /** Grid staff posts opened in the new grids for the staff of the retired ones. */
  staffCopied: number;
  /** Contents of retired grids that no imported grid holds by location; they go to the first imported grid. */
  unlocated: Contents;
}

const typeWords: Record<string, GridType> = {
  综合: "comprehensive",
  综合网格: "comprehensive",
  comprehensive: "comprehensive",
  专属: "dedicated",
  专属网格: "dedicated",
  dedicated: "dedicated",
};

interface Parsed {
  feature: number;
  name: string;
  code: string | undefined;
  gridType: GridType;
  boundary: Geometry;
  /** The current grid this feature redraws (replace, same code). */
  redraws?: { id: string; name: string } | undefined;
}

/** A refusal's message with the repair limit it is above. */
function bilingualAbove(t: Bilingual, maxM2: number): { zh: string; en: string } {
  const said = am("repair_above_threshold", { problem: t, max: maxM2 });
  return { zh: said.zh, en: said.en };
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim() === "" ? undefined : v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** An outcome as an answer gives it: each problem's `message` in `lang`. */
export function localizeGridImport(outcome: GridImportOutcome, lang: Lang): GridImportOutcome {
  return { ...outcome, problems: outcome.problems.map((p) => localized(p, lang)), repairs: outcome.repairs.map((r) => localized(r, lang)) };
}

/** Validates every feature and, when all are sound and `dryRun` is off, writes them in one transaction. */
export async function importGrids(db: Db, actor: Actor, input: GridImportInput): Promise<GridImportOutcome> {
  return db.transaction(async (tx) => {
    const [c] = await rows<{ id: string; name: string; code: string | null; path: string; depth: number; level: string; boundary: Geometry | null }>(
      tx,
      sql`select id, name, code, path, depth, level, boundary from areas where id = ${input.communityId} for update`,
    );
    const community = c ? { ...c, areaPath: c.path } : undefined;
    if (!community || !areaPolicy.read(actor, community)) throw new AppError("not_found", {}, "communityId");
    if (!gridDrawingPolicy.draw(actor, community)) throw new AppError("forbidden");
    if (community.level !== "community") throw new AppError("validation_failed", { detail: am("import_needs_community") }, "communityId");
    if (input.features.length === 0) throw new AppError("validation_failed", { detail: am("import_no_features") }, "features");
    const maxM2 = input.repair ? input.repairMaxM2 : undefined;
    if (input.repair && maxM2 === undefined) throw new AppError("validation_failed", { detail: am("repair_max_missing") }, "repairMaxM2");
    if (!input.repair && input.repairMaxM2 !== undefined) throw new AppError("validation_failed", { detail: am("repair_max_without_repair") }, "repairMaxM2");
    if (maxM2 !== undefined && !(Number.isFinite(maxM2) && maxM2 >= 0 && maxM2 <= maxRepairM2)) {
      throw new AppError("validation_failed", { detail: am("repair_max_range", { max: maxRepairM2 }) }, "repairMaxM2");
    }
    const day = effectiveDate(input.effectiveOn);
    const current = await rows<{ id: string; name: string; code: string | null; boundary: Geometry }>(
      tx,
      sql`select id, name, code, boundary from areas a where a.parent_id = ${community.id} and a.level = 'grid' and a.boundary is not null and ${inForceOn("a", today())} order by code`,
    );
    const currentByCode = new Map(current.filter((g) => g.code).map((g) => [g.code!, g]));

    const problems: GridImportProblem[] = [];
    const repairs: GridImportRepair[] = [];
    const parsed: Parsed[] = [];
    const seenNames = new Map<string, number>();
    const seenCodes = new Map<string, number>();
    for (let i = 0; i < input.features.length; i++) {
      const n = i + 1;
      const f = input.features[i] as { type?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown } | null;
      const props = f && typeof f === "object" && f.properties && typeof f.properties === "object" ? f.properties : {};
      const name = text(props.name ?? props["名称"]);
      const label = name ? part("subject_feature_named", { n, name }) : part("subject_feature", { n });
      const report = (t: Bilingual) => problems.push({ feature: n, name: name ?? null, code: t.code, message: t.zh, messageEn: t.en });
      if (!f || typeof f !== "object" || f.type !== "Feature") {
        report(am("feature_not_feature", { label }));
        continue;
      }
      let bad = false;
      if (!name) {
        report(am("feature_name_missing", { label }));
        bad = true;
      } else if (name.length > 100) {
        report(am("feature_name_too_long", { label }));
        bad = true;
      } else if (seenNames.has(name)) {
        report(am("feature_name_duplicate", { label, other: seenNames.get(name)! }));
        bad = true;
      } else seenNames.set(name, n);
      const typeText = text(props.type ?? props.gridType ?? props["类型"]);
      const gridType: GridType | undefined = typeText === undefined ? "comprehensive" : typeWords[typeText];
      if (!gridType) {
        report(am("feature_type_unknown", { label, type: typeText ?? "" }));
        bad = true;
      }
      const code = text(props.code ?? props["编码"]);
      let redraws: Parsed["redraws"];
      if (code !== undefined) {
        const prefix = community.code;
        if (prefix && !(code.startsWith(prefix) && code.length === prefix.length + 3 && /^\d+$/.test(code))) {
          report(am("feature_code_format", { label, code, prefix }));
          bad = true;
        } else if (seenCodes.has(code)) {
          report(am("feature_code_duplicate", { label, code, other: seenCodes.get(code)! }));
          bad = true;
        } else {
          seenCodes.set(code, n);
          const mine = currentByCode.get(code);
          if (mine && input.replace) redraws = { id: mine.id, name: mine.name };
          else {
            const [taken] = await rows<{ name: string }>(tx, sql`select name from areas where code = ${code}`);
            if (taken) {
              report(am(mine ? "feature_code_taken_replace" : "feature_code_taken", { label, code, grid: taken.name }));
              bad = true;
            }
          }
        }
      }
      const geometry = f.geometry as { type?: unknown; coordinates?: unknown } | null | undefined;
      if (!geometry || typeof geometry !== "object") {
        report(am("feature_no_geometry", { label }));
        continue;
      }
      if (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon") {
        report(am("feature_geometry_type", { label, type: String(geometry.type) }));
        continue;
      }
      if (!Array.isArray(geometry.coordinates)) {
        report(am("feature_coordinates_not_array", { label }));
        continue;
      }
      let boundary = geometry as Geometry;
      if (input.repair && name) {
        const fixed = makeValid(boundary, { feature: n, name });
        boundary = fixed.geometry;
        repairs.push(...fixed.repairs);
      }
      const shape = polygonProblems(boundary, label);
      if (shape.length > 0) {
        for (const p of shape.slice(0, 3)) report({ code: p.code, zh: p.message, en: p.messageEn });
        continue;
      }
      const b = bbox(boundary);
      if (b.minLng < -180 || b.maxLng > 180 || b.minLat < -90 || b.maxLat > 90) {
        report(am("feature_coordinates_range", { label }));
        continue;
      }
      if (!bad) parsed.push({ feature: n, name: name!, code, gridType: gridType!, boundary, redraws });
    }

    // Inside the community, no overlaps: among the sound features, and with the grids that stay.
    if (community.boundary && parsed.length > 0) {
      const stay: TopologyGrid[] = input.replace ? [] : current.map((g) => ({ id: g.id, code: g.code, name: g.name, geometry: g.boundary }));
      if (maxM2 !== undefined) {
        // Repaired first; what stays above the threshold is refused below, as without repair.
        const subjects = [...parsed.map((p) => ({ feature: p.feature, id: null, name: p.name, geometry: p.boundary })), ...stay.map((g) => ({ feature: null, id: g.id, name: g.name, geometry: g.geometry }))];
        const fixed = repairTopology(community.boundary, subjects, { maxM2 });
        parsed.forEach((p, i) => (p.boundary = fixed.geometries[i]!));
        repairs.push(...fixed.repairs);
      }
      const mine: TopologyGrid[] = parsed.map((p) => ({ id: `feature:${p.feature}`, code: `#${String(p.feature).padStart(6, "0")}`, name: p.name, geometry: p.boundary }));
      const r = topologyReport(community.boundary, [...mine, ...stay], { communityName: community.name });
      const byId = new Map(parsed.map((p) => [`feature:${p.feature}`, p]));
      // With repair, a fault left because it is above the threshold says so.
      const push = (p: Parsed, t: Bilingual, areaM2: number) => {
        const said = maxM2 !== undefined && areaM2 > maxM2 ? { code: t.code, ...bilingualAbove(t, maxM2) } : t;
        problems.push({ feature: p.feature, name: p.name, code: said.code, message: said.zh, messageEn: said.en });
      };
      const labelOf = (p: Parsed) => part("subject_feature_named", { n: p.feature, name: p.name });
      for (const o of r.outside) {
        const p = byId.get(o.grid.id);
        if (p) push(p, am("feature_outside_community", { label: labelOf(p), area: o.areaM2.toFixed(1), community: community.name }), o.areaM2);
      }
      for (const o of r.overlaps) {
        const a = byId.get(o.gridA.id);
        const b = byId.get(o.gridB.id);
        const first = a ?? b;
        if (!first) continue;
        const area = o.areaM2.toFixed(1);
        if (a && b) push(first, am("feature_overlaps_feature", { label: labelOf(a), other: labelOf(b), area }), o.areaM2);
        else push(first, am("feature_overlaps_grid", { label: labelOf(first), grid: (a ? o.gridB : o.gridA).name, area }), o.areaM2);
      }
    }
    problems.sort((x, y) => x.feature - y.feature);
    repairs.sort((x, y) => x.feature - y.feature);
    const invalidCount = new Set(problems.map((p) => p.feature)).size;
    const redrawnIds = new Set(parsed.filter((p) => p.redraws).map((p) => p.redraws!.id));
    const retiring = input.replace ? current.filter((g) => !redrawnIds.has(g.id)) : [];
    const outcome: GridImportOutcome = {
      ok: problems.length === 0,
      dryRun: input.dryRun === true,
      effectiveOn: day,
      summary: { total: input.features.length, invalid: invalidCount, created: 0, redrawn: 0, retired: retiring.length, repaired: new Set(repairs.map((r) => r.feature)).size },
      problems,
      repairs,
      grids: [],
      retired: retiring.map((g) => ({ id: g.id, name: g.name, code: g.code })),
      lineage: [],
      grantsCopied: 0,
      staffCopied: 0,
      unlocated: { buildings: 0, dwellings: 0, households: 0, persons: 0, openCases: 0 },
    };
    if (!outcome.ok) return outcome;

    // Which imported grids each retired grid went into: those overlapping it beyond the tolerance.
    for (const r of retiring) {
      const frame = frameOf(r.boundary);
      const into = parsed.filter((p) => areaM2({ type: "MultiPolygon", coordinates: polygonClipping.intersection(r.boundary.coordinates, p.boundary.coordinates) }, frame) > toleranceM2);
      const kind = into.length > 1 ? "split" : "merge";
      for (const p of into) outcome.lineage.push({ from: r.id, feature: p.feature, to: null, kind });
    }

    const creating = parsed.filter((p) => !p.redraws);
    const codes = await allocateCodes(tx, community, creating.map((p) => p.code), "features");
    const codeOf = new Map(creating.map((p, i) => [p.feature, codes[i] ?? null]));
    outcome.grids = parsed.map((p) => ({
      feature: p.feature,
      id: p.redraws?.id ?? null,
      name: p.name,
      code: p.redraws ? p.code! : (codeOf.get(p.feature) ?? null),
      gridType: p.gridType,
      action: p.redraws ? "redraw" : "create",
    }));
    outcome.summary.created = creating.length;
    outcome.summary.redrawn = parsed.length - creating.length;
    const retiredIds = retiring.map((g) => g.id);
    const plan = retiredIds.length > 0 ? await planContents(tx, retiredIds, parsed.map((p, i) => ({ key: i, code: outcome.grids[i]!.code, boundary: p.boundary })), 0) : undefined;
    if (plan) outcome.unlocated = { dwellings: 0, ...plan.unlocated };
    if (input.dryRun) return outcome;

    for (let i = 0; i < parsed.length; i++) {
      const p = parsed[i]!;
      const g = outcome.grids[i]!;
      if (p.redraws) {
        await tx.execute(
          sql`update areas set name = ${p.name}, grid_type = ${p.gridType}, boundary = ${JSON.stringify(p.boundary)}::jsonb,
                min_lng = ${bbox(p.boundary).minLng}, min_lat = ${bbox(p.boundary).minLat}, max_lng = ${bbox(p.boundary).maxLng}, max_lat = ${bbox(p.boundary).maxLat},
                updated_at = now() where id = ${p.redraws.id}`,
        );
        await redrawVersion(tx, { areaId: p.redraws.id, name: p.name, boundary: p.boundary, day, reason: "imported", recordedBy: actor.userId });
      } else {
        g.id = await insertGrid(tx, community, { name: p.name, code: g.code, gridType: p.gridType, boundary: p.boundary }, day, "imported", actor);
      }
    }
    for (const id of retiredIds) await retireGrid(tx, id, day);
    const casesMoved = plan
      ? await moveContents(tx, actor, retiredIds, outcome.grids.map((g, i) => ({ id: g.id!, code: g.code, boundary: parsed[i]!.boundary })), outcome.grids[0]!.id!)
      : 0;
    const idOfFeature = new Map(outcome.grids.map((g) => [g.feature, g.id!]));
    for (const l of outcome.lineage) {
      l.to = idOfFeature.get(l.feature)!;
      await tx.insert(areaLineage).values({ kind: l.kind, fromAreaId: l.from, toAreaId: l.to, effectiveOn: day, recordedBy: actor.userId });
      outcome.grantsCopied += await copyAreaGrants(tx, [l.from], l.to);
    }
    // Grid staff follow their territory like grants do: each retired grid's posts go to its successors.
    for (const from of retiredIds) {
      const to = [...new Set(outcome.lineage.filter((l) => l.from === from).map((l) => l.to).filter((id): id is string => id !== null))];
      if (to.length > 0) outcome.staffCopied += await carryOverStaff(tx, [from], to, day, actor);
    }
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "grid.import",
      entityType: "area",
      entityId: community.id,
      change: {
        effectiveOn: day,
        replace: input.replace === true,
        grids: outcome.grids.map((g, i) => ({ ...g, boundary: parsed[i]!.boundary })),
        retired: retiredIds,
        lineage: outcome.lineage.map((l) => ({ kind: l.kind, from: l.from, to: l.to })),
        ...(maxM2 !== undefined
          ? { repair: { maxM2, repairs: repairs.map((r) => ({ feature: r.feature, kind: r.kind, areaM2: r.areaM2, from: r.from, to: r.to, code: r.code })) } }
          : {}),
      },
      summary: {
        communityId: community.id,
        effectiveOn: day,
        ...outcome.summary,
        grantsCopied: outcome.grantsCopied,
        staffCopied: outcome.staffCopied,
        casesMoved,
        // What the repair changed, readable in the log (the change itself is kept only as its digest).
        ...(maxM2 !== undefined ? { repairMaxM2: maxM2, repairs: repairs.map((r) => ({ feature: r.feature, kind: r.kind, areaM2: +r.areaM2.toFixed(1), ...(r.to ? { to: r.to.feature ?? r.to.id } : {}) })) } : {}),
      },
    });
    return outcome;
  });
}
