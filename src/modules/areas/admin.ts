/**
 * 区域管理: creating, renaming, re-coding and retiring districts, streets and communities, and
 * checking their boundaries as grids' are checked: a sound polygon, inside the parent, no overlap
 * with the siblings in force (each beyond 1 m²); gaps left in the parent come back as warnings.
 * Names and codes keep their history (`area_name_versions`), boundaries theirs
 * (`area_boundary_versions`), and a retired area keeps its row with `validTo` (see history.ts).
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError, type Bilingual, type Lang } from "../../platform/errors.js";
import { authorize, type Scoped } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { events } from "../../platform/events/index.js";
import { areas, areaNameVersions, type AreaLevel } from "./schema.js";
import { areaAdminPolicy, areaPolicy } from "./policy.js";
import { am } from "./messages.js";
import { bbox, geometryProblem, type Geometry } from "./geo.js";
import { polygonProblems, topologyReport, unionOf } from "./topology.js";
import { effectiveDate, inForceOn, openVersion, retireGrid, today } from "./history.js";
import { divisionChildren, type DivisionChain } from "./divisions.js";

/** The level created below each level here (grids have their own functions). */
export const childLevelOf: Partial<Record<AreaLevel, "district" | "street" | "community">> = { city: "district", district: "street", street: "community" };
/** Digits of a code at each level (province and city padded to six). */
const codeLength: Record<"city" | "district" | "street" | "community", number> = { city: 6, district: 6, street: 9, community: 12 };
/** Digits a level adds to its parent's code (a district: the city's first four + 2). */
const parentPrefix = (level: "district" | "street" | "community", parentCode: string) => (level === "district" ? parentCode.slice(0, 4) : parentCode);

export const administeredLevels: readonly AreaLevel[] = ["district", "street", "community"];

/** A warning about a boundary: a gap in the parent, a child left outside. Never blocks. */
export interface AreaWarning {
  code: string;
  message: string;
  messageEn?: string;
  areaM2: number;
}

export function localizeWarnings(list: readonly AreaWarning[], lang: Lang): AreaWarning[] {
  return list.map(({ messageEn, ...w }) => ({ ...w, message: lang === "en" && messageEn ? messageEn : w.message }));
}

interface Row {
  id: string;
  parent_id: string | null;
  level: AreaLevel;
  code: string | null;
  name: string;
  path: string;
  depth: number;
  boundary: Geometry | null;
  valid_from: string | null;
  valid_to: string | null;
}

async function loadRow(db: Db, id: string, lock = false): Promise<(Row & Scoped) | undefined> {
  const [r] = await rows<Row>(
    db,
    sql`select id, parent_id, level, code, name, path, depth, boundary, valid_from::text as valid_from, valid_to::text as valid_to
        from areas where id = ${id} ${lock ? sql`for update` : sql``}`,
  );
  return r ? { ...r, areaPath: r.path } : undefined;
}

const warn = (t: Bilingual, areaM2: number): AreaWarning => ({ code: t.code, message: t.zh, messageEn: t.en, areaM2 });
const invalid = (t: Bilingual, field = "boundary") => new AppError("validation_failed", { detail: t }, field);

/**
 * The checks a district's, street's or community's boundary must pass (errors on field
 * `boundary`), and the warnings it leaves: gaps in the parent no sibling covers, children of the
 * area (when redrawn) lying partly outside.
 */
export async function checkAreaBoundary(db: Db, area: { id?: string; parentId: string | null; name: string }, boundary: Geometry): Promise<AreaWarning[]> {
  const shape = geometryProblem(boundary);
  if (shape) throw invalid(am("area_shape", { name: area.name, problem: shape }));
  const problems = polygonProblems(boundary, { code: "name", zh: `「${area.name}」`, en: `“${area.name}”` });
  if (problems.length > 0) throw invalid({ code: problems[0]!.code, zh: problems[0]!.message, en: problems[0]!.messageEn });
  const b = bbox(boundary);
  if (b.minLng < -180 || b.maxLng > 180 || b.minLat < -90 || b.maxLat > 90) throw invalid(am("feature_coordinates_range", { label: `「${area.name}」` }));
  const warnings: AreaWarning[] = [];
  const parent = area.parentId ? await loadRow(db, area.parentId) : undefined;
  if (parent) {
    const siblings = await rows<{ id: string; code: string | null; name: string; boundary: Geometry }>(
      db,
      sql`select id, code, name, boundary from areas a where a.parent_id = ${parent.id} and a.boundary is not null and ${inForceOn("a", today())}
          ${area.id ? sql`and a.id <> ${area.id}` : sql``}`,
    );
    const me = { id: area.id ?? "new", code: null, name: area.name, geometry: boundary };
    // A parent without a boundary yet (a street just set up) still keeps its children apart:
    // checked against the union of them all, where nothing is outside and only overlaps count.
    const frame = parent.boundary ?? unionOf([boundary, ...siblings.map((s) => s.boundary)]);
    const r = topologyReport(frame, [...siblings.map((s) => ({ id: s.id, code: s.code, name: s.name, geometry: s.boundary })), me], { communityName: parent.name });
    if (!parent.boundary) r.gaps = [];
    const outside = r.outside.find((o) => o.grid.id === me.id);
    if (outside) throw invalid(am("area_outside_parent", { name: area.name, area: Math.round(outside.areaM2), parent: parent.name }));
    const overlap = r.overlaps.find((o) => o.gridA.id === me.id || o.gridB.id === me.id);
    if (overlap) {
      const other = overlap.gridA.id === me.id ? overlap.gridB : overlap.gridA;
      throw invalid(am("area_overlaps_sibling", { name: area.name, other: other.name, area: Math.round(overlap.areaM2) }));
    }
    for (const g of r.gaps) warnings.push(warn(am("parent_gap", { parent: parent.name, area: g.areaM2.toFixed(1) }), g.areaM2));
  }
  if (area.id) {
    const children = await rows<{ id: string; code: string | null; name: string; boundary: Geometry }>(
      db,
      sql`select id, code, name, boundary from areas a where a.parent_id = ${area.id} and a.boundary is not null and ${inForceOn("a", today())}`,
    );
    if (children.length > 0) {
      const r = topologyReport(boundary, children.map((c) => ({ id: c.id, code: c.code, name: c.name, geometry: c.boundary })), { communityName: area.name });
      for (const o of r.outside) warnings.push(warn(am("child_outside", { child: o.grid.name, area: o.areaM2.toFixed(1), name: area.name }), o.areaM2));
    }
  }
  return warnings;
}

/** A code given for a new or re-coded area: the level's digits, extending the parent's, not taken. */
async function checkCode(db: Db, level: "district" | "street" | "community", parent: { code: string | null } | undefined, code: string, selfId?: string): Promise<void> {
  const length = codeLength[level];
  if (!new RegExp(`^\\d{${length}}$`).test(code)) throw invalid(am("area_code_digits", { code, length }), "code");
  if (parent?.code) {
    const prefix = parentPrefix(level, parent.code);
    if (!code.startsWith(prefix)) throw invalid(am("area_code_format", { code, prefix, digits: length - prefix.length }), "code");
  }
  const [taken] = await rows<{ id: string; name: string }>(db, sql`select id, name from areas where code = ${code}`);
  if (taken && taken.id !== selfId) throw new AppError("conflict", { detail: am("area_code_taken", { code, name: taken.name }) }, "code");
}

/** The next free code below a parent: after the largest of its children's codes and of the official ones. */
async function nextCode(db: Db, level: "district" | "street" | "community", parent: { id: string; code: string | null; name: string }): Promise<string | null> {
  if (!parent.code) return null;
  const prefix = parentPrefix(level, parent.code);
  const width = codeLength[level] - prefix.length;
  const used = await rows<{ code: string }>(db, sql`select code from areas where code like ${`${prefix}%`} and length(code) = ${codeLength[level]}`);
  const official = level === "district" ? [] : (divisionChildren(parent.code) ?? []).map((d) => d.code);
  const numbers = [...used.map((u) => u.code), ...official].filter((c) => c.startsWith(prefix) && c.length === codeLength[level]).map((c) => Number(c.slice(prefix.length)));
  const next = Math.max(0, ...numbers) + 1;
  if (next >= 10 ** width) throw invalid(am("area_codes_exhausted", { parent: parent.name }), "code");
  return `${prefix}${String(next).padStart(width, "0")}`;
}

async function nameTaken(db: Db, parentId: string, name: string, selfId?: string): Promise<boolean> {
  const [r] = await rows<{ id: string }>(
    db,
    sql`select id from areas a where a.parent_id = ${parentId} and a.name = ${name} and ${inForceOn("a", today())} ${selfId ? sql`and a.id <> ${selfId}` : sql``} limit 1`,
  );
  return r !== undefined;
}

/** Inserts one area row with its first name version (and boundary version); the caller audits. */
async function insertArea(
  tx: Db,
  parent: { id: string; path: string; depth: number } | undefined,
  values: { level: AreaLevel; name: string; code: string | null; boundary?: Geometry | undefined; validFrom: string; sortOrder?: number },
  recordedBy: string | null,
): Promise<string> {
  const [row] = await tx
    .insert(areas)
    .values({
      parentId: parent?.id ?? null,
      level: values.level,
      code: values.code,
      name: values.name,
      path: "pending",
      depth: parent ? parent.depth + 1 : 0,
      ...(values.boundary ? { boundary: values.boundary, ...bbox(values.boundary) } : {}),
      validFrom: values.validFrom,
      sortOrder: values.sortOrder ?? 0,
    })
    .returning({ id: areas.id });
  const id = row!.id;
  await tx.execute(sql`update areas set path = ${`${parent?.path ?? "/"}${id}/`} where id = ${id}`);
  await tx.insert(areaNameVersions).values({ areaId: id, name: values.name, code: values.code, validFrom: values.validFrom, reason: "created", recordedBy });
  if (values.boundary) await openVersion(tx, { areaId: id, boundary: values.boundary, validFrom: values.validFrom, reason: "drawn", recordedBy });
  return id;
}

export interface NewChildArea {
  parentId: string;
  name: string;
  /** Division code; the next free one below the parent when absent. */
  code?: string | undefined;
  boundary?: Geometry | undefined;
  validFrom?: string | undefined;
}

/**
 * Creates a district under a city, a street under a district or a community under a street
 * (system administrator; a street administrator: communities of their street). Audited.
 */
export async function createChildArea(db: Db, actor: Actor, input: NewChildArea): Promise<{ id: string; level: AreaLevel; code: string | null; warnings: AreaWarning[] }> {
  const name = input.name.trim();
  if (name === "") throw new AppError("validation_failed", { detail: "name is empty" }, "name");
  return db.transaction(async (tx) => {
    const parent = await loadRow(tx, input.parentId, true);
    if (!parent || !areaPolicy.read(actor, parent)) throw new AppError("not_found", {}, "parentId");
    const level = childLevelOf[parent.level];
    if (!level) throw invalid(am("child_level_none", { name: parent.name, level: parent.level }), "parentId");
    authorize(actor, "manage", { areaPath: `${parent.path}new/`, level }, areaAdminPolicy);
    if (parent.valid_to !== null && parent.valid_to <= today()) throw new AppError("area_retired", { name: parent.name, date: parent.valid_to });
    if (await nameTaken(tx, parent.id, name)) throw new AppError("conflict", { detail: am("area_name_taken", { parent: parent.name, name }) }, "name");
    const validFrom = effectiveDate(input.validFrom);
    let code = input.code?.trim() || null;
    if (code) await checkCode(tx, level, parent, code);
    else code = await nextCode(tx, level, parent);
    const warnings = input.boundary ? await checkAreaBoundary(tx, { parentId: parent.id, name }, input.boundary) : [];
    const id = await insertArea(tx, parent, { level, name, code, boundary: input.boundary, validFrom }, actor.userId);
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "area.create",
      entityType: "area",
      entityId: id,
      change: { parentId: parent.id, level, name, code, boundary: input.boundary ?? null, validFrom },
      summary: { level, name, code, parent: parent.name },
    });
    return { id, level, code, warnings };
  });
}

/**
 * Records a new name and/or code as of `day` in the name history: the open version ends that day
 * (replaced when it began that day). Areas loaded before the history existed get their first version.
 */
export async function recordNameVersion(tx: Db, a: { id: string; name: string; code: string | null; valid_from: string | null }, next: { name: string; code: string | null }, day: string, reason: "renamed" | "recoded", recordedBy: string | null): Promise<void> {
  const [open] = await rows<{ id: string; valid_from: string }>(tx, sql`select id, valid_from::text as valid_from from area_name_versions where area_id = ${a.id} and valid_to is null order by valid_from desc limit 1`);
  if (open && open.valid_from > day) throw new AppError("validation_failed", { detail: am("effective_before_version", { name: a.name, from: open.valid_from }) }, "effectiveOn");
  if (open && open.valid_from === day) {
    await tx.execute(sql`update area_name_versions set name = ${next.name}, code = ${next.code}, reason = ${reason}, recorded_by = ${recordedBy}, recorded_at = now() where id = ${open.id}`);
    return;
  }
  if (open) await tx.execute(sql`update area_name_versions set valid_to = ${day}::date where id = ${open.id}`);
  else {
    const from = a.valid_from && a.valid_from < day ? a.valid_from : null;
    if (from) await tx.insert(areaNameVersions).values({ areaId: a.id, name: a.name, code: a.code, validFrom: from, validTo: day, reason: "created", recordedBy: null });
  }
  await tx.insert(areaNameVersions).values({ areaId: a.id, name: next.name, code: next.code, validFrom: day, reason, recordedBy });
}

/**
 * A district's, street's or community's new code, with its subtree's codes re-prefixed (grids
 * extend their community's code); refused when the new code or a re-prefixed one is taken.
 * Returns how many descendants were re-coded. Runs in the caller's transaction.
 */
export async function recodeArea(tx: Db, actor: Actor, a: Row & Scoped, code: string, _day: string): Promise<number> {
  if (!administeredLevels.includes(a.level)) throw invalid(am("area_not_administered"), "code");
  authorize(actor, "manage", { areaPath: a.path, level: a.level }, areaAdminPolicy);
  const parent = a.parent_id ? await loadRow(tx, a.parent_id) : undefined;
  await checkCode(tx, a.level as "district" | "street" | "community", parent, code, a.id);
  if (a.code === code) return 0;
  let moved = 0;
  if (a.code) {
    const like = `${a.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const [clash] = await rows<{ name: string; code: string }>(
      tx,
      sql`select o.name, o.code from areas o where o.code in (
            select ${code} || substr(d.code, ${a.code.length + 1}) from areas d
            where d.path like ${like} and d.id <> ${a.id} and d.code like ${`${a.code}%`})
          and o.path not like ${like} limit 1`,
    );
    if (clash) throw new AppError("conflict", { detail: am("area_code_taken", { code: clash.code, name: clash.name }) }, "code");
    const updated = await rows<{ id: string }>(
      tx,
      sql`update areas set code = ${code} || substr(code, ${a.code.length + 1}), updated_at = now()
          where path like ${like} and id <> ${a.id} and code like ${`${a.code}%`} returning id`,
    );
    moved = updated.length;
  }
  await tx.execute(sql`update areas set code = ${code}, updated_at = now() where id = ${a.id}`);
  return moved;
}

/**
 * Retires a district, street or community as of `effectiveOn` (default today): refused while
 * areas below it are still in force or cases in it are open. Its row, boundary and names stay
 * (history); it leaves the tree from that day. Audited.
 */
export async function retireArea(db: Db, actor: Actor, id: string, opts: { effectiveOn?: string | undefined } = {}): Promise<{ id: string; validTo: string }> {
  return db.transaction(async (tx) => {
    const a = await loadRow(tx, id, true);
    authorize(actor, "read", a, areaPolicy);
    if (!administeredLevels.includes(a.level)) throw invalid(am("area_not_administered"), "id");
    authorize(actor, "manage", { areaPath: a.path, level: a.level }, areaAdminPolicy);
    if (a.valid_to !== null && a.valid_to <= today()) throw new AppError("area_retired", { name: a.name, date: a.valid_to });
    const day = effectiveDate(opts.effectiveOn);
    if (a.valid_from !== null && a.valid_from > day) throw new AppError("validation_failed", { detail: am("effective_before_version", { name: a.name, from: a.valid_from }) }, "effectiveOn");
    const children = await rows<{ name: string }>(
      tx,
      sql`select name from areas c where c.parent_id = ${a.id} and (c.valid_to is null or c.valid_to > ${day}::date) order by c.sort_order, c.code, c.name`,
    );
    if (children.length > 0) {
      const names = children.slice(0, 5).map((c) => c.name).join("、") + (children.length > 5 ? "……" : "");
      throw new AppError("area_has_children", { name: a.name, count: children.length, names });
    }
    const check = { areaPath: a.path, openCases: 0 };
    await events.publish(tx, "area.retiring", check);
    if (check.openCases > 0) throw new AppError("area_has_open_cases", { name: a.name, count: check.openCases });
    await retireGrid(tx, a.id, day);
    await tx.execute(sql`update area_name_versions set valid_to = ${day}::date where area_id = ${a.id} and valid_to is null`);
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "area.retire",
      entityType: "area",
      entityId: a.id,
      change: { before: { validTo: a.valid_to }, after: { validTo: day } },
      summary: { level: a.level, name: a.name, code: a.code, effectiveOn: day },
    });
    return { id: a.id, validTo: day };
  });
}

/** The communities a jurisdiction is set up with: from the official list (code) or added by name. */
export interface JurisdictionCommunity {
  code?: string | undefined;
  name: string;
}

/**
 * 辖区: the city, district and street of `chain` (found by code, or created) and the given
 * communities under the street, in the caller's transaction — for first-run setup. Community
 * codes must be the street's official ones (field `communities[i].code`); a community without a
 * code gets the next free one. Audited as one entry.
 */
export async function createJurisdiction(
  tx: Db,
  chain: DivisionChain,
  communities: readonly JurisdictionCommunity[],
  actor: { kind: "user" | "system"; id: string | null },
): Promise<{ cityId: string; districtId: string; streetId: string; communities: { id: string; code: string | null; name: string }[] }> {
  const official = new Map((divisionChildren(chain.street.code) ?? []).map((d) => [d.code, d.name]));
  const names = new Set<string>();
  const codes = new Set<string>();
  communities.forEach((c, i) => {
    const name = c.name.trim();
    if (name === "" || name.length > 100) throw new AppError("validation_failed", { detail: "name: 1–100 characters" }, `communities[${i}].name`);
    if (names.has(name)) throw new AppError("conflict", { detail: am("area_name_taken", { parent: chain.street.name, name }) }, `communities[${i}].name`);
    names.add(name);
    if (c.code !== undefined) {
      if (!/^\d{12}$/.test(c.code)) throw new AppError("division_unknown", { code: c.code }, `communities[${i}].code`);
      if (!official.has(c.code)) {
        const elsewhere = c.code.slice(0, 9) !== chain.street.code;
        throw elsewhere
          ? new AppError("division_not_under", { code: c.code, name: c.code, parent: chain.street.name }, `communities[${i}].code`)
          : new AppError("division_unknown", { code: c.code }, `communities[${i}].code`);
      }
      if (codes.has(c.code)) throw new AppError("conflict", { detail: c.code }, `communities[${i}].code`);
      codes.add(c.code);
    }
  });
  const day = today();
  const find = async (code: string, level: AreaLevel) => {
    const [r] = await rows<Row>(tx, sql`select id, parent_id, level, code, name, path, depth, boundary, valid_from::text as valid_from, valid_to::text as valid_to from areas where code = ${code}`);
    if (r && r.level !== level) throw new AppError("conflict", { detail: am("area_code_taken", { code, name: r.name }) }, "street");
    return r;
  };
  const ensure = async (parent: Row | undefined, level: AreaLevel, d: { code: string; name: string }) => {
    const found = await find(d.code, level);
    if (found) return found;
    const id = await insertArea(tx, parent, { level, name: d.name, code: d.code, validFrom: day }, actor.id);
    return (await loadRow(tx, id))!;
  };
  const city = await ensure(undefined, "city", chain.city);
  const district = await ensure(city, "district", chain.district);
  const street = await ensure(district, "street", chain.street);
  const created: { id: string; code: string | null; name: string }[] = [];
  for (const [i, c] of communities.entries()) {
    const name = c.name.trim();
    if (await nameTaken(tx, street.id, name)) throw new AppError("conflict", { detail: am("area_name_taken", { parent: street.name, name }) }, `communities[${i}].name`);
    let code = c.code ?? null;
    if (code) {
      const [taken] = await rows<{ name: string }>(tx, sql`select name from areas where code = ${code}`);
      if (taken) throw new AppError("conflict", { detail: am("area_code_taken", { code, name: taken.name }) }, `communities[${i}].code`);
    } else code = await nextCode(tx, "community", street);
    const id = await insertArea(tx, street, { level: "community", name, code, validFrom: day, sortOrder: i }, actor.id);
    created.push({ id, code, name });
  }
  await recordAudit(tx, {
    actor: { kind: actor.kind, id: actor.id },
    action: "area.jurisdiction",
    entityType: "area",
    entityId: street.id,
    change: { city: chain.city, district: chain.district, street: chain.street, communities: created },
    summary: { street: chain.street.name, code: chain.street.code, communities: created.length },
  });
  return { cityId: city.id, districtId: district.id, streetId: street.id, communities: created };
}
