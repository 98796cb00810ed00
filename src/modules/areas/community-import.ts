/**
 * 导入社区边界: a street's communities from a GeoJSON FeatureCollection (properties `name`,
 * optional `code`). A feature whose code — or, without a code, whose name — is a community of the
 * street in force gives that community its boundary (`update`); any other creates a community.
 * Every feature is checked first, as grids' are (a sound polygon, inside the street, no overlap
 * with another feature or with a community that stays), the report names each bad feature by its
 * number and name; gaps in the street come back as warnings. All features are written or none.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError, type Bilingual, type Lang } from "../../platform/errors.js";
import { recordAudit } from "../../platform/audit/service.js";
import { am, localized, part } from "./messages.js";
import { areaAdminPolicy, areaPolicy } from "./policy.js";
import { bbox, type Geometry } from "./geo.js";
import { polygonProblems, topologyReport, unionOf } from "./topology.js";
import { inForceOn, redrawVersion, today } from "./history.js";
import { createChildArea, localizeWarnings, recordNameVersion, type AreaWarning } from "./admin.js";

export interface CommunityImportProblem {
  feature: number;
  name: string | null;
  code: string;
  message: string;
  messageEn?: string;
}

export interface CommunityImportOutcome {
  ok: boolean;
  dryRun: boolean;
  summary: { total: number; invalid: number; created: number; updated: number };
  problems: CommunityImportProblem[];
  communities: { feature: number; id: string | null; name: string; code: string | null; action: "create" | "update" }[];
  warnings: AreaWarning[];
}

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v.trim() === "" ? undefined : v.trim();
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

/** An outcome as an answer gives it: messages in `lang`. */
export function localizeCommunityImport(o: CommunityImportOutcome, lang: Lang): CommunityImportOutcome {
  return { ...o, problems: o.problems.map((p) => localized(p, lang)), warnings: localizeWarnings(o.warnings, lang) };
}

interface Parsed {
  feature: number;
  name: string;
  code: string | undefined;
  boundary: Geometry;
  updates?: { id: string; name: string; code: string | null } | undefined;
}

/** Validates every feature and, when all are sound and `dryRun` is off, writes them in one transaction. */
export async function importCommunities(db: Db, actor: Actor, input: { streetId: string; features: unknown[]; dryRun?: boolean | undefined }): Promise<CommunityImportOutcome> {
  return db.transaction(async (tx) => {
    const [s] = await rows<{ id: string; name: string; code: string | null; path: string; level: string; boundary: Geometry | null }>(
      tx,
      sql`select id, name, code, path, level, boundary from areas where id = ${input.streetId} for update`,
    );
    const street = s ? { ...s, areaPath: s.path } : undefined;
    if (!street || !areaPolicy.read(actor, street)) throw new AppError("not_found", {}, "streetId");
    if (street.level !== "street") throw new AppError("validation_failed", { detail: am("import_needs_street") }, "streetId");
    if (!areaAdminPolicy.manage(actor, { areaPath: `${street.path}new/`, level: "community" })) throw new AppError("forbidden");
    if (input.features.length === 0) throw new AppError("validation_failed", { detail: am("import_no_community_features") }, "features");
    const current = await rows<{ id: string; name: string; code: string | null; boundary: Geometry | null }>(
      tx,
      sql`select id, name, code, boundary from areas a where a.parent_id = ${street.id} and a.level = 'community' and ${inForceOn("a", today())} order by code`,
    );
    const byCode = new Map(current.filter((c) => c.code).map((c) => [c.code!, c]));
    const byName = new Map(current.map((c) => [c.name, c]));

    const problems: CommunityImportProblem[] = [];
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
        report(am("feature_community_name_missing", { label }));
        bad = true;
      } else if (name.length > 100) {
        report(am("feature_name_too_long", { label }));
        bad = true;
      } else if (seenNames.has(name)) {
        report(am("feature_name_duplicate", { label, other: seenNames.get(name)! }));
        bad = true;
      } else seenNames.set(name, n);
      const code = text(props.code ?? props["编码"]);
      let updates: Parsed["updates"];
      if (code !== undefined) {
        const prefix = street.code;
        if (!/^\d{12}$/.test(code) || (prefix && !code.startsWith(prefix))) {
          report(am("feature_community_code_format", { label, code, prefix: prefix ?? "" }));
          bad = true;
        } else if (seenCodes.has(code)) {
          report(am("feature_code_duplicate", { label, code, other: seenCodes.get(code)! }));
          bad = true;
        } else {
          seenCodes.set(code, n);
          const mine = byCode.get(code);
          if (mine) updates = { id: mine.id, name: mine.name, code: mine.code };
          else if (name && byName.has(name)) {
            report(am("area_name_taken", { parent: street.name, name }));
            bad = true;
          } else {
            const [taken] = await rows<{ name: string }>(tx, sql`select name from areas where code = ${code}`);
            if (taken) {
              report(am("feature_community_code_taken", { label, code, name: taken.name }));
              bad = true;
            }
          }
        }
      } else if (name && byName.has(name)) {
        const mine = byName.get(name)!;
        updates = { id: mine.id, name: mine.name, code: mine.code };
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
      const shape = polygonProblems(geometry as Geometry, label);
      if (shape.length > 0) {
        for (const p of shape.slice(0, 3)) report({ code: p.code, zh: p.message, en: p.messageEn });
        continue;
      }
      const b = bbox(geometry as Geometry);
      if (b.minLng < -180 || b.maxLng > 180 || b.minLat < -90 || b.maxLat > 90) {
        report(am("feature_coordinates_range", { label }));
        continue;
      }
      if (!bad) parsed.push({ feature: n, name: name!, code, boundary: geometry as Geometry, updates });
    }

    const warnings: AreaWarning[] = [];
    if (parsed.length > 0) {
      const updated = new Set(parsed.filter((p) => p.updates).map((p) => p.updates!.id));
      const stay = current.filter((c) => c.boundary && !updated.has(c.id)).map((c) => ({ id: c.id, code: c.code, name: c.name, geometry: c.boundary! }));
      const mine = parsed.map((p) => ({ id: `feature:${p.feature}`, code: `#${String(p.feature).padStart(6, "0")}`, name: p.name, geometry: p.boundary }));
      // A street without a boundary yet (just set up) still keeps its communities apart: checked
      // against the union of them all, where nothing is outside and only overlaps count.
      const frame = street.boundary ?? unionOf([...mine, ...stay].map((x) => x.geometry));
      const r = topologyReport(frame, [...mine, ...stay], { communityName: street.name });
      if (!street.boundary) r.gaps = [];
      const byId = new Map(parsed.map((p) => [`feature:${p.feature}`, p]));
      const push = (p: Parsed, t: Bilingual) => problems.push({ feature: p.feature, name: p.name, code: t.code, message: t.zh, messageEn: t.en });
      const labelOf = (p: Parsed) => part("subject_feature_named", { n: p.feature, name: p.name });
      for (const o of r.outside) {
        const p = byId.get(o.grid.id);
        if (p) push(p, am("feature_outside_street", { label: labelOf(p), area: o.areaM2.toFixed(1), street: street.name }));
      }
      for (const o of r.overlaps) {
        const a = byId.get(o.gridA.id);
        const b = byId.get(o.gridB.id);
        const first = a ?? b;
        if (!first) continue;
        const area = o.areaM2.toFixed(1);
        if (a && b) push(first, am("feature_overlaps_feature", { label: labelOf(a), other: labelOf(b), area }));
        else push(first, am("feature_overlaps_community", { label: labelOf(first), community: (a ? o.gridB : o.gridA).name, area }));
      }
      for (const g of r.gaps) {
        const t = am("parent_gap", { parent: street.name, area: g.areaM2.toFixed(1) });
        warnings.push({ code: t.code, message: t.zh, messageEn: t.en, areaM2: g.areaM2 });
      }
    }
    problems.sort((x, y) => x.feature - y.feature);
    const outcome: CommunityImportOutcome = {
      ok: problems.length === 0,
      dryRun: input.dryRun === true,
      summary: { total: input.features.length, invalid: new Set(problems.map((p) => p.feature)).size, created: 0, updated: 0 },
      problems,
      communities: parsed.map((p) => ({ feature: p.feature, id: p.updates?.id ?? null, name: p.name, code: p.updates ? (p.code ?? p.updates.code) : (p.code ?? null), action: p.updates ? "update" : "create" })),
      warnings,
    };
    outcome.summary.created = outcome.communities.filter((c) => c.action === "create").length;
    outcome.summary.updated = outcome.communities.length - outcome.summary.created;
    if (!outcome.ok || input.dryRun) return outcome;

    const day = today();
    for (const [i, p] of parsed.entries()) {
      const c = outcome.communities[i]!;
      if (p.updates) {
        const box = bbox(p.boundary);
        await tx.execute(
          sql`update areas set name = ${p.name}, boundary = ${JSON.stringify(p.boundary)}::jsonb,
                min_lng = ${box.minLng}, min_lat = ${box.minLat}, max_lng = ${box.maxLng}, max_lat = ${box.maxLat}, updated_at = now()
              where id = ${p.updates.id}`,
        );
        await redrawVersion(tx, { areaId: p.updates.id, name: p.name, boundary: p.boundary, day, reason: "imported", recordedBy: actor.userId });
        if (p.name !== p.updates.name) {
          await recordNameVersion(tx, { id: p.updates.id, name: p.updates.name, code: p.updates.code, valid_from: null }, { name: p.name, code: p.updates.code }, day, "renamed", actor.userId);
        }
      } else {
        // Created through the one path that checks and audits a new community (the checks above already passed).
        const made = await createChildArea(tx, actor, { parentId: street.id, name: p.name, code: p.code, boundary: p.boundary });
        c.id = made.id;
        c.code = made.code;
      }
    }
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "area.importCommunities",
      entityType: "area",
      entityId: street.id,
      change: { communities: outcome.communities },
      summary: { street: street.name, created: outcome.summary.created, updated: outcome.summary.updated },
    });
    return outcome;
  });
}
