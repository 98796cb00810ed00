/**
 * Setting up and changing organizations: create under the right parent at the right level,
 * rename, the incubation status of social organizations (孵化中/已出壳), a supervising body
 * (the residents' committee supervises the work station), and dissolution (the record stays for
 * history, the body leaves the tree). Every change is audited in its transaction.
 */
import { chinaDateOf } from "../../platform/calendar/index.js";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { dateOnly, rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { abilities, authorize } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { areaLevelLabels, isOrgKind, orgKinds, placement, type AreaLevelName, type Incubation, type OrgKind } from "./kinds.js";
import { orgPolicy } from "./policy.js";
import { organizations } from "./schema.js";
import type { GridsReshaped } from "../areas/index.js";
import { partyMemberCounts } from "../people/index.js";

export interface OrgRecord {
  id: string;
  parentId: string | null;
  kind: string;
  name: string;
  areaId: string;
  areaName: string;
  areaLevel: string;
  /** Path of the body's area (scope). */
  areaPath: string;
  /** Path in the organization tree. */
  orgPath: string;
  incubation: Incubation | null;
  supervisorId: string | null;
  dissolvedOn: string | null;
}

interface OrgRow {
  id: string;
  parent_id: string | null;
  kind: string;
  name: string;
  area_id: string;
  area_name: string;
  area_level: string;
  area_path: string;
  path: string;
  incubation: Incubation | null;
  supervisor_id: string | null;
  dissolved_on: string | Date | null;
}

export { dateOnly };

/** Today in China (YYYY-MM-DD): the calendar module's day of an instant. */
export function today(now = new Date()): string {
  return chinaDateOf(now);
}

const toRecord = (r: OrgRow): OrgRecord => ({
  id: r.id,
  parentId: r.parent_id,
  kind: r.kind,
  name: r.name,
  areaId: r.area_id,
  areaName: r.area_name,
  areaLevel: r.area_level,
  areaPath: r.area_path,
  orgPath: r.path,
  incubation: r.incubation,
  supervisorId: r.supervisor_id,
  dissolvedOn: dateOnly(r.dissolved_on),
});

export async function loadOrg(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<OrgRecord | undefined> {
  const [r] = await rows<OrgRow>(
    db,
    sql`select o.id, o.parent_id, o.kind, o.name, o.area_id, a.name as area_name, a.level as area_level, a.path as area_path, o.path,
          o.incubation, o.supervisor_id, o.dissolved_on
        from organizations o join areas a on a.id = o.area_id where o.id = ${id}${opts.forUpdate ? sql` for update of o` : sql``}`,
  );
  return r ? toRecord(r) : undefined;
}

/** Loads a body the actor may change; a dissolved body cannot be changed. */
export async function loadOrgForChange(db: Db, actor: Actor, id: string): Promise<OrgRecord> {
  const org = await loadOrg(db, id, { forUpdate: true });
  authorize(actor, "manage", org, orgPolicy);
  if (org.dissolvedOn) throw new AppError("org_dissolved", { on: org.dissolvedOn });
  return org;
}

const kindZh = (k: string) => (isOrgKind(k) ? orgKinds[k].zh : k);
const kindEn = (k: string) => (isOrgKind(k) ? orgKinds[k].en.toLowerCase() : k);

function wrongPlace(kind: OrgKind, zh: string, en: string, field: string): AppError {
  return new AppError("org_wrong_parent", { kind: orgKinds[kind].zh, kindEn: orgKinds[kind].en.toLowerCase(), detail: zh, detailEn: en }, field);
}

/** Why `kind` cannot stand under `parent` at `area`, or nothing when it can. Pure: tested directly. */
export function placementProblem(
  kind: OrgKind,
  parent: { kind: string; areaPath: string; dissolvedOn: string | null } | null,
  area: { level: string; path: string },
): AppError | undefined {
  const rule = placement[kind];
  if (!rule) return wrongPlace(kind, "职能部门不在社区组织体系中建立", "departments are not set up in the community's organizations", "kind");
  const parentKinds = rule.parents.filter((p): p is OrgKind => p !== null);
  const listZh = parentKinds.map((p) => `「${orgKinds[p].zh}」`).join("或");
  const listEn = parentKinds.map((p) => orgKinds[p].en.toLowerCase()).join(" or ");
  if (parent === null) {
    if (!rule.parents.includes(null)) return wrongPlace(kind, `须设在${listZh}之下`, `it must stand under a ${listEn}`, "parentId");
  } else {
    if (parent.dissolvedOn) return wrongPlace(kind, "上级组织已撤销", "the parent organization is dissolved", "parentId");
    if (!isOrgKind(parent.kind) || !parentKinds.includes(parent.kind)) {
      return wrongPlace(
        kind,
        parentKinds.length > 0 ? `上级是「${kindZh(parent.kind)}」，但它只能设在${listZh}之下` : `它不设上级组织，而所选上级是「${kindZh(parent.kind)}」`,
        parentKinds.length > 0 ? `its parent is a ${kindEn(parent.kind)}, but it must stand under a ${listEn}` : `it has no parent, but a ${kindEn(parent.kind)} was chosen`,
        "parentId",
      );
    }
  }
  if (!(rule.levels as string[]).includes(area.level)) {
    const levelsZh = rule.levels.map((l) => areaLevelLabels[l].zh).join("或");
    const levelsEn = rule.levels.map((l) => areaLevelLabels[l].en).join(" or ");
    const here = areaLevelLabels[area.level as AreaLevelName];
    return wrongPlace(kind, `须属于某个${levelsZh}，所选区域是${here?.zh ?? area.level}`, `it must belong to a ${levelsEn}, and the area chosen is a ${here?.en ?? area.level}`, "areaId");
  }
  if (parent !== null && !area.path.startsWith(parent.areaPath)) {
    return wrongPlace(kind, "所选区域不在上级组织所辖范围内", "the area chosen lies outside the parent organization's area", "areaId");
  }
  return undefined;
}

async function audit(tx: Db, actor: Actor, action: string, id: string, change: unknown, summary: Record<string, unknown>) {
  await recordAudit(tx, { actor: { kind: actor.kind, id: actor.userId }, action, entityType: "organization", entityId: id, change, summary });
}

export interface CreateOrgInput {
  kind: string;
  name: string;
  parentId: string | null;
  areaId: string;
  incubation?: Incubation | null | undefined;
}

/** Creates a body under its parent. The area must be in the actor's scope and fit the kind. */
export async function createOrganization(db: Db, actor: Actor, input: CreateOrgInput): Promise<{ id: string }> {
  const name = input.name.trim();
  if (!name) throw new AppError("validation_failed", { detail: "请填写组织名称" }, "name");
  if (!isOrgKind(input.kind)) throw new AppError("validation_failed", { detail: "组织类型不在目录中" }, "kind");
  const kind = input.kind;
  if (input.incubation && kind !== "socialOrg") throw new AppError("org_not_social", {}, "incubation");
  return db.transaction(async (tx) => {
    const [area] = await rows<{ id: string; level: string; path: string }>(tx, sql`select id, level, path from areas where id = ${input.areaId}`);
    if (!area || !orgPolicy.read(actor, { areaPath: area.path })) throw new AppError("not_found", {}, "areaId");
    if (!orgPolicy.manage(actor, { areaPath: area.path })) throw new AppError("forbidden", {}, "areaId");
    let parent: OrgRecord | null = null;
    if (input.parentId) {
      const p = await loadOrg(tx, input.parentId);
      // The parent may lie above the actor's scope (the street's committee over a community's): readable is enough.
      if (!p || (!orgPolicy.read(actor, p) && !area.path.startsWith(p.areaPath))) throw new AppError("not_found", {}, "parentId");
      parent = p;
    }
    const problem = placementProblem(kind, parent, area);
    if (problem) throw problem;
    const [dup] = await rows<{ id: string }>(
      tx,
      sql`select id from organizations where area_id = ${area.id} and kind = ${kind} and name = ${name} and dissolved_on is null`,
    );
    if (dup) throw new AppError("conflict", { detail: `本区域已有同名的${orgKinds[kind].zh}` }, "name");
    const id = randomUUID();
    await tx.insert(organizations).values({
      id,
      kind,
      name,
      parentId: parent?.id ?? null,
      areaId: area.id,
      path: `${parent?.orgPath ?? "/"}${id}/`,
      incubation: kind === "socialOrg" ? (input.incubation ?? "incubating") : null,
    });
    await audit(tx, actor, "organization.create", id, { kind, name, parentId: parent?.id ?? null, areaId: area.id }, { kind });
    return { id };
  });
}

export interface UpdateOrgInput {
  name?: string | undefined;
  incubation?: Incubation | undefined;
  supervisorId?: string | null | undefined;
}

/** Renames a body, sets a social organization's incubation status, or sets/clears its supervisor. */
export async function updateOrganization(db: Db, actor: Actor, id: string, input: UpdateOrgInput): Promise<void> {
  await db.transaction(async (tx) => {
    const org = await loadOrgForChange(tx, actor, id);
    const set: Partial<typeof organizations.$inferInsert> = {};
    if (input.name !== undefined) {
      const name = input.name.trim();
      if (!name) throw new AppError("validation_failed", { detail: "请填写组织名称" }, "name");
      set.name = name;
    }
    if (input.incubation !== undefined) {
      if (org.kind !== "socialOrg") throw new AppError("org_not_social", {}, "incubation");
      set.incubation = input.incubation;
    }
    if (input.supervisorId !== undefined) {
      if (input.supervisorId !== null) {
        if (input.supervisorId === org.id) throw new AppError("validation_failed", { detail: "组织不能监督自己" }, "supervisorId");
        const sup = await loadOrg(tx, input.supervisorId);
        if (!sup || !orgPolicy.read(actor, sup)) throw new AppError("not_found", {}, "supervisorId");
        if (sup.dissolvedOn) throw new AppError("org_dissolved", { on: sup.dissolvedOn }, "supervisorId");
        // A supervisor works beside the body: same community (or the street above it).
        if (!org.areaPath.startsWith(sup.areaPath) && !sup.areaPath.startsWith(org.areaPath)) {
          throw new AppError("validation_failed", { detail: "监督组织须与被监督组织在同一社区" }, "supervisorId");
        }
        // No loop: the chosen supervisor must not itself be supervised, directly or not, by this body.
        let cursor: string | null = sup.supervisorId;
        for (let hops = 0; cursor && hops < 50; hops++) {
          if (cursor === org.id) throw new AppError("validation_failed", { detail: "监督关系不能形成循环" }, "supervisorId");
          const next = await loadOrg(tx, cursor);
          cursor = next?.supervisorId ?? null;
        }
      }
      set.supervisorId = input.supervisorId;
    }
    if (Object.keys(set).length === 0) throw new AppError("validation_failed", { detail: "没有要修改的内容" });
    await tx.update(organizations).set({ ...set, updatedAt: new Date() }).where(eq(organizations.id, id));
    await audit(tx, actor, "organization.update", id, set, { fields: Object.keys(set) });
  });
}

/** Dissolves a body on a date; refused while it has live sub-organizations or open posts. */
export async function dissolveOrganization(db: Db, actor: Actor, id: string, dissolvedOn: string, now = new Date()): Promise<void> {
  if (dissolvedOn > today(now)) throw new AppError("validation_failed", { detail: "撤销日期不能晚于今天" }, "dissolvedOn");
  await db.transaction(async (tx) => {
    const org = await loadOrgForChange(tx, actor, id);
    const [counts] = await rows<{ children: string | number; posts: string | number }>(
      tx,
      sql`select (select count(*) from organizations c where c.parent_id = ${id} and c.dissolved_on is null) as children,
                 (select count(*) from posts p where p.org_id = ${id} and p.ended_on is null) as posts`,
    );
    const children = Number(counts?.children ?? 0);
    const openPosts = Number(counts?.posts ?? 0);
    if (children > 0 || openPosts > 0) throw new AppError("org_has_dependents", { children, posts: openPosts });
    // Supervised bodies lose their supervisor with it.
    await tx.update(organizations).set({ supervisorId: null, updatedAt: new Date() }).where(eq(organizations.supervisorId, id));
    await tx.update(organizations).set({ dissolvedOn, updatedAt: new Date() }).where(eq(organizations.id, id));
    await audit(tx, actor, "organization.dissolve", id, { dissolvedOn }, { kind: org.kind });
  });
}

export interface OrgRef {
  id: string;
  kind: string;
  kindLabel: string;
  name: string;
  dissolvedOn: string | null;
}

export interface OrgDetail extends OrgRef {
  party: boolean;
  areaId: string;
  areaName: string;
  areaLevel: string;
  incubation: Incubation | null;
  parent: OrgRef | null;
  supervisor: OrgRef | null;
  supervises: OrgRef[];
  children: (OrgRef & { memberCount: number })[];
  memberCount: number;
  /** The kinds that may be created under this body. */
  childKinds: string[];
  abilities: Record<"read" | "manage", boolean>;
}

/** One body with its parent, live children, supervisor and the bodies it supervises. */
export async function getOrganization(db: Db, actor: Actor, id: string, lang: "zh-CN" | "en"): Promise<OrgDetail> {
  const org = await loadOrg(db, id);
  authorize(actor, "read", org, orgPolicy);
  const label = (k: string) => (isOrgKind(k) ? (lang === "en" ? orgKinds[k].en : orgKinds[k].zh) : k);
  const ref = (r: { id: string; kind: string; name: string; dissolved_on: string | Date | null }): OrgRef => ({
    id: r.id,
    kind: r.kind,
    kindLabel: label(r.kind),
    name: r.name,
    dissolvedOn: dateOnly(r.dissolved_on),
  });
  type RefRow = { id: string; kind: string; name: string; dissolved_on: string | Date | null };
  const [parent] = org.parentId ? await rows<RefRow>(db, sql`select id, kind, name, dissolved_on from organizations where id = ${org.parentId}`) : [];
  const [supervisor] = org.supervisorId ? await rows<RefRow>(db, sql`select id, kind, name, dissolved_on from organizations where id = ${org.supervisorId}`) : [];
  const supervises = await rows<RefRow>(db, sql`select id, kind, name, dissolved_on from organizations where supervisor_id = ${id} and dissolved_on is null order by name`);
  const children = await rows<RefRow>(
    db,
    sql`select o.id, o.kind, o.name, o.dissolved_on
        from organizations o where o.parent_id = ${id} and o.dissolved_on is null order by o.kind, o.name`,
  );
  // Party members are people's rows: this body's and its children's counts in one query.
  const members = await partyMemberCounts(db, [id, ...children.map((c) => c.id)]);
  const childKinds = isOrgKind(org.kind)
    ? (Object.keys(placement) as OrgKind[]).filter((k) => placement[k]?.parents.includes(org.kind as OrgKind))
    : [];
  return {
    ...ref({ id: org.id, kind: org.kind, name: org.name, dissolved_on: org.dissolvedOn }),
    party: isOrgKind(org.kind) && orgKinds[org.kind].party,
    areaId: org.areaId,
    areaName: org.areaName,
    areaLevel: org.areaLevel,
    incubation: org.incubation,
    parent: parent ? ref(parent) : null,
    supervisor: supervisor ? ref(supervisor) : null,
    supervises: supervises.map(ref),
    children: children.map((c) => ({ ...ref(c), memberCount: members.get(c.id) ?? 0 })),
    memberCount: members.get(id) ?? 0,
    childKinds,
    abilities: { ...abilities(orgPolicy, actor, org), manage: orgPolicy.manage(actor, org) && !org.dissolvedOn },
  };
}

/**
 * `area.gridsReshaped`: the organizations the request names are re-pointed to their new grid (the
 * others stay on the retired grid, listed in the reshape's answer for a decision).
 */
export async function repointOrganizationsOnReshape(tx: Db, e: GridsReshaped): Promise<void> {
  for (const o of e.organizations) await tx.execute(sql`update organizations set area_id = ${o.gridId}, updated_at = now() where id = ${o.id}`);
}
