/**
 * 网格历史: a grid's boundary by validity dates. `areas.validFrom/validTo` bound a grid's identity
 * (validTo exclusive: retired from that day on); `area_boundary_versions` hold each boundary with
 * the dates it was in force, so "which grid held this point on a past day?" still resolves after
 * grids were redrawn, split or merged. Dates are China calendar days (Asia/Shanghai).
 */
import { and, eq, isNull, sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import { chinaDateOf } from "../../platform/calendar/index.js";
import { AppError } from "../../platform/errors.js";
import { am } from "./messages.js";
import { areaBoundaryVersions, type BoundaryChange } from "./schema.js";
import { bbox, type Geometry } from "./geo.js";

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export function today(): string {
  return chinaDateOf(new Date());
}

/** An area row (alias `a`) in force on `day`: validFrom ≤ day < validTo, open ends allowed. */
export function inForceOn(alias: string, day: string): SQL {
  const a = sql.raw(alias);
  return sql`((${a}.valid_from is null or ${a}.valid_from <= ${day}::date) and (${a}.valid_to is null or ${a}.valid_to > ${day}::date))`;
}

/**
 * The effective date of a boundary change: today when absent; a real calendar day, not in the
 * future (a change takes effect when it is recorded or is recorded late, never ahead).
 */
export function effectiveDate(value: string | undefined): string {
  const now = today();
  if (value === undefined) return now;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== value) throw new AppError("validation_failed", { detail: am("effective_invalid", { value }) }, "effectiveOn");
  if (value > now) throw new AppError("validation_failed", { detail: am("effective_future", { value, today: now }) }, "effectiveOn");
  return value;
}

/** Opens a grid's first boundary version (a new grid drawn, split off, merged or imported). */
export async function openVersion(tx: Db, opts: { areaId: string; boundary: Geometry; validFrom: string; reason: BoundaryChange; recordedBy: string | null }): Promise<void> {
  await tx.insert(areaBoundaryVersions).values({
    areaId: opts.areaId,
    boundary: opts.boundary,
    ...bbox(opts.boundary),
    validFrom: opts.validFrom,
    validTo: null,
    reason: opts.reason,
    recordedBy: opts.recordedBy,
  });
}

/** The version of a grid in force now (validTo null), if any. */
async function openRow(tx: Db, areaId: string) {
  const [v] = await tx
    .select({ id: areaBoundaryVersions.id, validFrom: areaBoundaryVersions.validFrom })
    .from(areaBoundaryVersions)
    .where(and(eq(areaBoundaryVersions.areaId, areaId), isNull(areaBoundaryVersions.validTo)))
    .orderBy(sql`${areaBoundaryVersions.validFrom} desc`)
    .limit(1);
  return v;
}

/** The first day a new boundary may take effect for a grid: after its open version began. */
export async function checkEffectiveAfterOpenVersion(tx: Db, areaId: string, name: string, day: string): Promise<void> {
  const v = await openRow(tx, areaId);
  if (v && v.validFrom > day) {
    throw new AppError("validation_failed", { detail: am("effective_before_version", { name, from: v.validFrom }) }, "effectiveOn");
  }
}

/**
 * Redraws a grid as of `day`: the open version ends on that day and a new one begins. A version
 * that began that very day is replaced instead, so a day never holds two boundaries.
 */
export async function redrawVersion(tx: Db, opts: { areaId: string; name: string; boundary: Geometry; day: string; reason: BoundaryChange; recordedBy: string | null }): Promise<void> {
  await checkEffectiveAfterOpenVersion(tx, opts.areaId, opts.name, opts.day);
  const v = await openRow(tx, opts.areaId);
  if (v && v.validFrom === opts.day) {
    await tx
      .update(areaBoundaryVersions)
      .set({ boundary: opts.boundary, ...bbox(opts.boundary), reason: opts.reason, recordedBy: opts.recordedBy, recordedAt: new Date() })
      .where(eq(areaBoundaryVersions.id, v.id));
    return;
  }
  if (v) await tx.update(areaBoundaryVersions).set({ validTo: opts.day }).where(eq(areaBoundaryVersions.id, v.id));
  await openVersion(tx, { areaId: opts.areaId, boundary: opts.boundary, validFrom: opts.day, reason: opts.reason, recordedBy: opts.recordedBy });
}

/** Closes a grid's open version and its identity as of `day` (split, merged away, replaced). */
export async function retireGrid(tx: Db, areaId: string, day: string): Promise<void> {
  await tx.execute(sql`update area_boundary_versions set valid_to = ${day}::date where area_id = ${areaId} and valid_to is null`);
  await tx.execute(sql`update areas set valid_to = ${day}::date, updated_at = now() where id = ${areaId}`);
}

export interface BoundaryVersion {
  id: string;
  boundary: Geometry;
  validFrom: string;
  validTo: string | null;
  reason: BoundaryChange;
  recordedAt: string;
}

export interface LineageLink {
  kind: "split" | "merge";
  effectiveOn: string;
  area: { id: string; name: string; code: string | null; validFrom: string | null; validTo: string | null };
}

export interface NameVersion {
  name: string;
  code: string | null;
  validFrom: string;
  validTo: string | null;
  reason: "created" | "renamed" | "recoded";
}

/** Boundary and name versions of an area (oldest first) and the grids it came from and went into. */
export async function historyOf(db: Db, areaId: string): Promise<{ versions: BoundaryVersion[]; names: NameVersion[]; predecessors: LineageLink[]; successors: LineageLink[] }> {
  const names = await rows<{ name: string; code: string | null; valid_from: string; valid_to: string | null; reason: NameVersion["reason"] }>(
    db,
    sql`select name, code, valid_from::text as valid_from, valid_to::text as valid_to, reason from area_name_versions where area_id = ${areaId} order by valid_from, recorded_at`,
  );
  const versions = await rows<{ id: string; boundary: Geometry; valid_from: string; valid_to: string | null; reason: BoundaryChange; recorded_at: string | Date }>(
    db,
    sql`select id, boundary, valid_from::text as valid_from, valid_to::text as valid_to, reason, recorded_at from area_boundary_versions where area_id = ${areaId} order by valid_from, recorded_at`,
  );
  const links = await lineageOf(db, [areaId]);
  return {
    versions: versions.map((v) => ({
      id: v.id,
      boundary: v.boundary,
      validFrom: v.valid_from,
      validTo: v.valid_to,
      reason: v.reason,
      recordedAt: new Date(v.recorded_at).toISOString(),
    })),
    names: names.map((n) => ({ name: n.name, code: n.code, validFrom: n.valid_from, validTo: n.valid_to, reason: n.reason })),
    predecessors: links.filter((l) => l.to === areaId).map((l) => l.link(l.from)),
    successors: links.filter((l) => l.from === areaId).map((l) => l.link(l.to)),
  };
}

/** Lineage rows touching the given areas, with the other side's name and validity. */
export async function lineageOf(db: Db, areaIds: string[]) {
  if (areaIds.length === 0) return [];
  const ids = sql.join(
    areaIds.map((x) => sql`${x}`),
    sql`, `,
  );
  const list = await rows<{ kind: "split" | "merge"; from_area_id: string; to_area_id: string; effective_on: string }>(
    db,
    sql`select kind, from_area_id, to_area_id, effective_on::text as effective_on from area_lineage
        where from_area_id in (${ids}) or to_area_id in (${ids}) order by effective_on, recorded_at`,
  );
  const otherIds = [...new Set(list.flatMap((l) => [l.from_area_id, l.to_area_id]))];
  const names =
    otherIds.length === 0
      ? []
      : await rows<{ id: string; name: string; code: string | null; valid_from: string | null; valid_to: string | null }>(
          db,
          sql`select id, name, code, valid_from::text as valid_from, valid_to::text as valid_to from areas where id in (${sql.join(
            otherIds.map((x) => sql`${x}`),
            sql`, `,
          )})`,
        );
  const byId = new Map(names.map((n) => [n.id, n]));
  return list.map((l) => ({
    from: l.from_area_id,
    to: l.to_area_id,
    link: (id: string): LineageLink => {
      const n = byId.get(id);
      return {
        kind: l.kind,
        effectiveOn: l.effective_on,
        area: { id, name: n?.name ?? "", code: n?.code ?? null, validFrom: n?.valid_from ?? null, validTo: n?.valid_to ?? null },
      };
    },
  }));
}
