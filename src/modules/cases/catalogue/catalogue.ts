/**
 * 分类目录: the versioned two-level dispatch catalogue (大类 → 小类). One version is active; an
 * administrator copies it into a draft, edits the draft, and publishes it (the old active version
 * is retired, in one transaction). Codes are stable across versions (they are the Open311
 * service_code and what measures group by), so a category's code and parent never change once
 * created; a category leaves use by being deactivated, never deleted.
 *
 * Who: system and street administrators edit and publish; every logged-in actor reads the active
 * and older versions (the resident's reporting page lists the active one); drafts are the editors'.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "../../../platform/db/index.js";
import type { Actor } from "../../../platform/auth/actor.js";
import { AppError, bilingual, type Bilingual, type MessageParam } from "../../../platform/errors.js";
import { authorize } from "../../../platform/policy/index.js";
import { recordAudit } from "../../../platform/audit/service.js";
import type { TimeLimit, TimeLimitUnit } from "../../../platform/calendar/index.js";
import { users } from "../../../platform/auth/schema.js";
import { activeDepartments, isActiveDepartment, organizationNames } from "../../orgs/index.js";
import { caseCatalogues, caseCategories, caseLevels, type CaseLevel, type CategoryAttribute } from "../schema.js";
import { defaultCatalogue } from "./default-catalogue.js";
import { catalogueAbilities, cataloguePolicy, type CatalogueAbilities } from "../policy.js";

export type CatalogueRow = typeof caseCatalogues.$inferSelect;
export type CategoryRow = typeof caseCategories.$inferSelect;
export type CatalogueStatus = CatalogueRow["status"];

// --- presentation ------------------------------------------------------------------------------

export interface CatalogueSummary {
  id: string;
  version: number;
  status: CatalogueStatus;
  note: string | null;
  createdAt: string;
  publishedAt: string | null;
  createdByName: string | null;
  /** Sub-categories in use (active, under an active top-level category). */
  subCategoryCount: number;
  topCategoryCount: number;
}

export interface CategoryView {
  id: string;
  catalogueId: string;
  parentId: string | null;
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  kind: "event" | "component";
  responseLimit: TimeLimit | null;
  handleLimit: TimeLimit | null;
  firstLevel: CaseLevel | null;
  responsibility: "owner" | "territory" | null;
  departmentOrgId: string | null;
  departmentName: string | null;
  keywords: string[];
  attributes: CategoryAttribute[];
  sortOrder: number;
  active: boolean;
}

export interface TopCategoryView extends CategoryView {
  children: CategoryView[];
}

const limitOf = (value: number | null, unit: TimeLimitUnit | null): TimeLimit | null => (value !== null && unit !== null ? { value, unit } : null);

function presentCategory(r: CategoryRow, departmentName: string | null): CategoryView {
  return {
    id: r.id,
    catalogueId: r.catalogueId,
    parentId: r.parentId,
    code: r.code,
    name: r.name,
    nameEn: r.nameEn,
    description: r.description,
    kind: r.kind,
    responseLimit: limitOf(r.responseLimitValue, r.responseLimitUnit),
    handleLimit: limitOf(r.handleLimitValue, r.handleLimitUnit),
    firstLevel: r.firstLevel,
    responsibility: r.responsibility,
    departmentOrgId: r.departmentOrgId,
    departmentName,
    keywords: r.keywords,
    attributes: r.attributes,
    sortOrder: r.sortOrder,
    active: r.active,
  };
}

/** Every category of a version (in use or not), ordered for display: sort order, then code. */
async function loadCategoryViews(db: Db, catalogueId: string): Promise<CategoryView[]> {
  const list = await db.select().from(caseCategories).where(eq(caseCategories.catalogueId, catalogueId)).orderBy(asc(caseCategories.sortOrder), asc(caseCategories.code));
  const names = await organizationNames(db, list.map((c) => c.departmentOrgId));
  return list.map((c) => presentCategory(c, c.departmentOrgId ? (names.get(c.departmentOrgId) ?? null) : null));
}

/** Top-level categories with their sub-categories; an inactive top-level category hides its children. */
export function categoryTree(list: readonly CategoryView[], opts: { activeOnly: boolean }): TopCategoryView[] {
  const tops = list.filter((c) => c.parentId === null && (!opts.activeOnly || c.active));
  return tops.map((t) => ({ ...t, children: list.filter((c) => c.parentId === t.id && (!opts.activeOnly || c.active)) }));
}

async function summarize(db: Db, rowsIn: CatalogueRow[]): Promise<CatalogueSummary[]> {
  if (rowsIn.length === 0) return [];
  const ids = rowsIn.map((r) => r.id);
  const parent = alias(caseCategories, "parent");
  const counts = await db
    .select({
      catalogueId: caseCategories.catalogueId,
      subs: sql<number>`count(*) filter (where ${caseCategories.parentId} is not null and ${caseCategories.active} and ${parent.active})`.mapWith(Number),
      tops: sql<number>`count(*) filter (where ${caseCategories.parentId} is null and ${caseCategories.active})`.mapWith(Number),
    })
    .from(caseCategories)
    .leftJoin(parent, eq(parent.id, caseCategories.parentId))
    .where(inArray(caseCategories.catalogueId, ids))
    .groupBy(caseCategories.catalogueId);
  const creatorIds = [...new Set(rowsIn.map((r) => r.createdBy).filter((x): x is string => x !== null))];
  const names = creatorIds.length
    ? new Map((await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, creatorIds))).map((u) => [u.id, u.name]))
    : new Map<string, string>();
  const byId = new Map(counts.map((c) => [c.catalogueId, c]));
  return rowsIn.map((r) => ({
    id: r.id,
    version: r.version,
    status: r.status,
    note: r.note,
    createdAt: r.createdAt.toISOString(),
    publishedAt: r.publishedAt?.toISOString() ?? null,
    createdByName: r.createdBy ? (names.get(r.createdBy) ?? null) : null,
    subCategoryCount: byId.get(r.id)?.subs ?? 0,
    topCategoryCount: byId.get(r.id)?.tops ?? 0,
  }));
}

async function summaryOf(db: Db, row: CatalogueRow): Promise<CatalogueSummary> {
  return (await summarize(db, [row]))[0]!;
}

/** Departments (organizations of kind department, not dissolved), for the editor's picker. */
export function listDepartments(db: Db): Promise<{ id: string; name: string }[]> {
  return activeDepartments(db);
}

// --- reading -----------------------------------------------------------------------------------

/** The active version's tree (categories in use only), or an older version's by number. */
export async function getCategoryTree(db: Db, actor: Actor, opts: { version?: number } = {}): Promise<{ catalogue: CatalogueSummary; items: TopCategoryView[] }> {
  const [row] = await db
    .select()
    .from(caseCatalogues)
    .where(opts.version !== undefined ? eq(caseCatalogues.version, opts.version) : eq(caseCatalogues.status, "active"));
  authorize(actor, "read", row, cataloguePolicy);
  return { catalogue: await summaryOf(db, row), items: categoryTree(await loadCategoryViews(db, row.id), { activeOnly: true }) };
}

export async function listCatalogues(db: Db, actor: Actor): Promise<{ items: CatalogueSummary[]; abilities: { createDraft: boolean } }> {
  const all = await db.select().from(caseCatalogues).orderBy(desc(caseCatalogues.version));
  const visible = all.filter((c) => cataloguePolicy.read(actor, c));
  const active = all.find((c) => c.status === "active");
  const draftExists = all.some((c) => c.status === "draft");
  return {
    items: await summarize(db, visible),
    abilities: { createDraft: active !== undefined && !draftExists && catalogueAbilities(actor, active).createDraft },
  };
}

export interface CatalogueDetail {
  catalogue: CatalogueSummary;
  /** Every category of the version, in use or not, flat (parents before children by code). */
  items: CategoryView[];
  abilities: CatalogueAbilities;
  /** Departments to choose from (editors of a draft only; empty otherwise). */
  departments: { id: string; name: string }[];
}

export async function getCatalogue(db: Db, actor: Actor, id: string): Promise<CatalogueDetail> {
  const [row] = await db.select().from(caseCatalogues).where(eq(caseCatalogues.id, id));
  authorize(actor, "read", row, cataloguePolicy);
  const abilities = catalogueAbilities(actor, row);
  return {
    catalogue: await summaryOf(db, row),
    items: await loadCategoryViews(db, row.id),
    abilities,
    departments: abilities.edit ? await listDepartments(db) : [],
  };
}

/** A sub-category (小类) in use in the active version, with its top-level category. */
export interface ActiveCategory extends CategoryRow {
  parentCode: string;
  parentName: string;
  catalogueVersion: number;
}

function activeCategoryQuery(db: Db) {
  const parent = alias(caseCategories, "parent");
  return {
    parent,
    query: db
      .select({ category: caseCategories, parentCode: parent.code, parentName: parent.name, catalogueVersion: caseCatalogues.version })
      .from(caseCategories)
      .innerJoin(caseCatalogues, eq(caseCatalogues.id, caseCategories.catalogueId))
      .innerJoin(parent, eq(parent.id, caseCategories.parentId))
      .$dynamic(),
  };
}

/** Every sub-category in use in the active version (for intake forms, Open311 services). */
export async function activeCategories(db: Db): Promise<ActiveCategory[]> {
  const { parent, query } = activeCategoryQuery(db);
  const list = await query
    .where(and(eq(caseCatalogues.status, "active"), isNotNull(caseCategories.parentId), eq(caseCategories.active, true), eq(parent.active, true)))
    .orderBy(asc(parent.sortOrder), asc(parent.code), asc(caseCategories.sortOrder), asc(caseCategories.code));
  return list.map((r) => ({ ...r.category, parentCode: r.parentCode, parentName: r.parentName, catalogueVersion: r.catalogueVersion }));
}

/**
 * The sub-category `code` of the active version. `case_unknown_category` (400, on `field`) when it
 * is unknown, not in use, under a top-level category not in use, or itself a top-level category.
 */
export async function findActiveCategory(db: Db, code: string, field = "categoryCode"): Promise<ActiveCategory> {
  const { parent, query } = activeCategoryQuery(db);
  const [r] = await query
    .where(and(eq(caseCatalogues.status, "active"), eq(caseCategories.code, code), eq(caseCategories.active, true), eq(parent.active, true)))
    .limit(1);
  if (!r) throw new AppError("case_unknown_category", { code }, field);
  return { ...r.category, parentCode: r.parentCode, parentName: r.parentName, catalogueVersion: r.catalogueVersion };
}

// --- validation --------------------------------------------------------------------------------

const problems = {
  parentUnknown: { zh: "上级大类在本版本中不存在", en: "the parent category does not exist in this version" },
  parentNotTop: { zh: "目录只有两级，只能在大类下建小类", en: "the catalogue has two levels; a sub-category goes under a top-level category" },
  parentInactive: { zh: "上级大类已停用，请先启用大类", en: "the parent category is not in use; enable it first" },
  codeTaken: { zh: "编码「{code}」在本版本中已被使用", en: "the code {code} is already used in this version" },
  codePrefix: { zh: "小类编码须以所属大类的编码「{parent}」开头，并且比它长", en: "a sub-category's code must start with its parent's code {parent} and be longer" },
  limitMissing: { zh: "小类须设置{which}（数值和单位）", en: "a sub-category needs a {which} (value and unit)" },
  limitUnit: { zh: "{which}填了数值，还须选择单位：工作小时、工作日或自然小时", en: "the {which} has a value but no unit: working hours, working days or natural hours" },
  limitValue: { zh: "{which}须大于 0", en: "the {which} must be greater than 0" },
  limitNoValue: { zh: "{which}选了单位，还须填写数值", en: "the {which} has a unit but no value" },
  topHasDetails: {
    zh: "大类不设时限、处置层级、责任主体和附加信息，请在小类上设置",
    en: "a top-level category has no time limits, level, responsibility or attributes; set them on its sub-categories",
  },
  firstLevelMissing: { zh: "须选择先行处置的层级", en: "choose the level that handles it first" },
  firstLevelInvalid: { zh: "先行处置层级只能是网格、社区、街道、区级或职能部门", en: "the first level must be grid, community, street, district or department" },
  responsibilityMissing: { zh: "须选择责任主体：先属主（部件）或先属地（事件）", en: "choose who is responsible: owner first or territory first" },
  departmentMissing: { zh: "「先属主」的类别须指定责任部门", en: "an owner-first category must name its responsible department" },
  departmentForLevel: { zh: "先行处置层级为职能部门时须指定责任部门", en: "a category handled first by a department must name the department" },
  departmentUnknown: { zh: "所选责任部门不存在、已撤销或不是职能部门", en: "the department does not exist, was dissolved or is not a department" },
  attributeCodes: { zh: "附加信息的编码不能重复", en: "attribute codes must be unique" },
  attributeValues: { zh: "单选或多选的附加信息须列出可选项", en: "a list attribute needs its values" },
} as const;

function invalid(problem: keyof typeof problems, field: string, params: Record<string, MessageParam> = {}): AppError {
  return new AppError("category_invalid", { detail: bilingual(problems, problem, params) }, field);
}

const limitNames = {
  response: { code: "responseLimit", zh: "响应时限", en: "response time limit" },
  handle: { code: "handleLimit", zh: "办理时限", en: "handling time limit" },
} satisfies Record<string, Bilingual>;
const limitUnits: readonly TimeLimitUnit[] = ["workingHours", "workingDays", "naturalHours"];

/** The columns an editor sets on a category. */
export interface CategoryFields {
  name: string;
  nameEn: string | null;
  description: string | null;
  kind: "event" | "component";
  responseLimitValue: number | null;
  responseLimitUnit: TimeLimitUnit | null;
  handleLimitValue: number | null;
  handleLimitUnit: TimeLimitUnit | null;
  firstLevel: CaseLevel | null;
  responsibility: "owner" | "territory" | null;
  departmentOrgId: string | null;
  keywords: string[];
  attributes: CategoryAttribute[];
  sortOrder: number;
  active: boolean;
}

export type CategoryCreate = Partial<CategoryFields> & { parentId?: string | null; code: string; name: string };
export type CategoryPatch = Partial<CategoryFields>;

/** Checks a category as it would be stored (`c`), with its parent; throws `category_invalid` with the field. */
async function validateCategory(tx: Db, c: CategoryFields & { parentId: string | null; code: string }, parent: CategoryRow | null): Promise<void> {
  if (parent === null) {
    const details: [keyof CategoryFields, unknown][] = [
      ["responseLimitValue", c.responseLimitValue],
      ["responseLimitUnit", c.responseLimitUnit],
      ["handleLimitValue", c.handleLimitValue],
      ["handleLimitUnit", c.handleLimitUnit],
      ["firstLevel", c.firstLevel],
      ["responsibility", c.responsibility],
      ["departmentOrgId", c.departmentOrgId],
    ];
    const set = details.find(([, v]) => v !== null);
    if (set) throw invalid("topHasDetails", set[0]);
    if (c.attributes.length > 0) throw invalid("topHasDetails", "attributes");
    return;
  }
  // A sub-category that is not in use keeps whatever it had; it is checked again when enabled.
  if (!c.active) return;
  if (!parent.active) throw invalid("parentInactive", "active");
  for (const which of ["response", "handle"] as const) {
    const value = c[`${which}LimitValue`];
    const unit = c[`${which}LimitUnit`];
    const name = limitNames[which];
    if (value === null && unit === null) throw invalid("limitMissing", `${which}LimitValue`, { which: name });
    if (value === null) throw invalid("limitNoValue", `${which}LimitValue`, { which: name });
    if (unit === null) throw invalid("limitUnit", `${which}LimitUnit`, { which: name });
    if (!limitUnits.includes(unit)) throw invalid("limitUnit", `${which}LimitUnit`, { which: name });
    if (!(value > 0) || !Number.isFinite(value)) throw invalid("limitValue", `${which}LimitValue`, { which: name });
  }
  if (c.firstLevel === null) throw invalid("firstLevelMissing", "firstLevel");
  if (!caseLevels.includes(c.firstLevel)) throw invalid("firstLevelInvalid", "firstLevel");
  if (c.responsibility === null) throw invalid("responsibilityMissing", "responsibility");
  if (c.responsibility === "owner" && c.departmentOrgId === null) throw invalid("departmentMissing", "departmentOrgId");
  if (c.firstLevel === "department" && c.departmentOrgId === null) throw invalid("departmentForLevel", "departmentOrgId");
  if (c.departmentOrgId !== null) {
    if (!(await isActiveDepartment(tx, c.departmentOrgId))) throw invalid("departmentUnknown", "departmentOrgId");
  }
  const attrCodes = c.attributes.map((a) => a.code);
  if (new Set(attrCodes).size !== attrCodes.length) throw invalid("attributeCodes", "attributes");
  if (c.attributes.some((a) => (a.datatype === "singlevaluelist" || a.datatype === "multivaluelist") && (a.values ?? []).length === 0)) {
    throw invalid("attributeValues", "attributes");
  }
}

// --- editing -----------------------------------------------------------------------------------

/** Serializes catalogue-level changes (install, new draft, publish) across processes. */
const catalogueLockKey = 2026_0401;

const auditActor = (actor: Actor) => ({ kind: actor.kind, id: actor.userId });

/** The catalogue, locked; 404 unreadable, 403 not an editor, 409 `catalogue_not_draft` when it is not a draft. */
async function lockDraft(tx: Db, actor: Actor, id: string): Promise<CatalogueRow> {
  const [row] = await tx.select().from(caseCatalogues).where(eq(caseCatalogues.id, id)).for("update");
  authorize(actor, "edit", row, cataloguePolicy);
  if (row.status !== "draft") throw new AppError("catalogue_not_draft");
  return row;
}

async function categoryViewById(tx: Db, id: string): Promise<CategoryView> {
  const [c] = await tx.select().from(caseCategories).where(eq(caseCategories.id, id));
  const name = c!.departmentOrgId ? (await organizationNames(tx, [c!.departmentOrgId])).get(c!.departmentOrgId) : undefined;
  return presentCategory(c!, name ?? null);
}

/** 新建修订草稿: a copy of the active version as version max+1. One draft at a time. */
export async function createDraft(db: Db, actor: Actor, input: { note?: string | null } = {}): Promise<CatalogueSummary> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${catalogueLockKey})`);
    const [active] = await tx.select().from(caseCatalogues).where(eq(caseCatalogues.status, "active"));
    authorize(actor, "edit", active, cataloguePolicy);
    const [draft] = await tx.select().from(caseCatalogues).where(eq(caseCatalogues.status, "draft"));
    if (draft) throw new AppError("catalogue_draft_exists", { version: draft.version });
    const [{ max } = { max: 0 }] = await tx.select({ max: sql<number>`coalesce(max(${caseCatalogues.version}), 0)`.mapWith(Number) }).from(caseCatalogues);
    const [created] = await tx
      .insert(caseCatalogues)
      .values({ version: max + 1, status: "draft", note: input.note ?? null, createdBy: actor.userId })
      .returning();
    const source = await tx.select().from(caseCategories).where(eq(caseCategories.catalogueId, active.id));
    const newIds = new Map(source.map((c) => [c.id, randomUUID()]));
    if (source.length > 0) {
      await tx.insert(caseCategories).values(
        source.map((c) => ({ ...c, id: newIds.get(c.id)!, catalogueId: created!.id, parentId: c.parentId === null ? null : (newIds.get(c.parentId) ?? null) })),
      );
    }
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "case_catalogue.draft",
      entityType: "case_catalogue",
      entityId: created!.id,
      change: { version: created!.version, from: active.version, note: created!.note },
      summary: { version: created!.version, from: active.version },
    });
    return summaryOf(tx, created!);
  });
}

/** Adds a top-level category (no parentId) or a sub-category to a draft. */
export async function createCategory(db: Db, actor: Actor, catalogueId: string, input: CategoryCreate): Promise<CategoryView> {
  return db.transaction(async (tx) => {
    await lockDraft(tx, actor, catalogueId);
    const parentId = input.parentId ?? null;
    let parent: CategoryRow | null = null;
    if (parentId !== null) {
      const [p] = await tx.select().from(caseCategories).where(and(eq(caseCategories.id, parentId), eq(caseCategories.catalogueId, catalogueId)));
      if (!p) throw invalid("parentUnknown", "parentId");
      if (p.parentId !== null) throw invalid("parentNotTop", "parentId");
      parent = p;
      if (!(input.code.startsWith(p.code) && input.code.length > p.code.length)) throw invalid("codePrefix", "code", { parent: p.code });
    }
    const [taken] = await tx
      .select({ id: caseCategories.id })
      .from(caseCategories)
      .where(and(eq(caseCategories.catalogueId, catalogueId), eq(caseCategories.code, input.code)));
    if (taken) throw invalid("codeTaken", "code", { code: input.code });
    const fields: CategoryFields = {
      name: input.name,
      nameEn: input.nameEn ?? null,
      description: input.description ?? null,
      kind: input.kind ?? "event",
      responseLimitValue: input.responseLimitValue ?? null,
      responseLimitUnit: input.responseLimitUnit ?? null,
      handleLimitValue: input.handleLimitValue ?? null,
      handleLimitUnit: input.handleLimitUnit ?? null,
      firstLevel: input.firstLevel ?? null,
      responsibility: input.responsibility ?? null,
      departmentOrgId: input.departmentOrgId ?? null,
      keywords: input.keywords ?? [],
      attributes: input.attributes ?? [],
      sortOrder: input.sortOrder ?? 0,
      active: input.active ?? true,
    };
    await validateCategory(tx, { ...fields, parentId, code: input.code }, parent);
    const [row] = await tx
      .insert(caseCategories)
      .values({ ...fields, catalogueId, parentId, code: input.code })
      .returning({ id: caseCategories.id });
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "case_catalogue.category_create",
      entityType: "case_catalogue",
      entityId: catalogueId,
      change: { categoryId: row!.id, parentId, code: input.code, ...fields },
      summary: { code: input.code, name: input.name },
    });
    return categoryViewById(tx, row!.id);
  });
}

/** Changes a category of a draft. Its code and parent stay. Disabling a top-level category disables its sub-categories too. */
export async function updateCategory(db: Db, actor: Actor, catalogueId: string, categoryId: string, patch: CategoryPatch): Promise<CategoryView> {
  return db.transaction(async (tx) => {
    await lockDraft(tx, actor, catalogueId);
    const [current] = await tx.select().from(caseCategories).where(and(eq(caseCategories.id, categoryId), eq(caseCategories.catalogueId, catalogueId)));
    if (!current) throw new AppError("not_found");
    let parent: CategoryRow | null = null;
    if (current.parentId !== null) {
      [parent = null] = await tx.select().from(caseCategories).where(eq(caseCategories.id, current.parentId));
    }
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as CategoryPatch;
    const next: CategoryFields = {
      name: current.name,
      nameEn: current.nameEn,
      description: current.description,
      kind: current.kind,
      responseLimitValue: current.responseLimitValue,
      responseLimitUnit: current.responseLimitUnit,
      handleLimitValue: current.handleLimitValue,
      handleLimitUnit: current.handleLimitUnit,
      firstLevel: current.firstLevel,
      responsibility: current.responsibility,
      departmentOrgId: current.departmentOrgId,
      keywords: current.keywords,
      attributes: current.attributes,
      sortOrder: current.sortOrder,
      active: current.active,
      ...defined,
    };
    await validateCategory(tx, { ...next, parentId: current.parentId, code: current.code }, parent);
    await tx.update(caseCategories).set(next).where(eq(caseCategories.id, categoryId));
    const deactivated = current.parentId === null && current.active && !next.active ? await deactivateChildren(tx, catalogueId, categoryId) : [];
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "case_catalogue.category_update",
      entityType: "case_catalogue",
      entityId: catalogueId,
      change: { categoryId, code: current.code, patch: defined, deactivated },
      summary: { code: current.code, fields: Object.keys(defined) },
    });
    return categoryViewById(tx, categoryId);
  });
}

async function deactivateChildren(tx: Db, catalogueId: string, parentId: string): Promise<string[]> {
  const list = await tx
    .update(caseCategories)
    .set({ active: false })
    .where(and(eq(caseCategories.catalogueId, catalogueId), eq(caseCategories.parentId, parentId), eq(caseCategories.active, true)))
    .returning({ code: caseCategories.code });
  return list.map((r) => r.code).sort();
}

/** 停用: takes a category of a draft out of use (a top-level one with its sub-categories). Returns the codes now out of use. */
export async function deactivateCategory(db: Db, actor: Actor, catalogueId: string, categoryId: string): Promise<{ deactivated: string[] }> {
  return db.transaction(async (tx) => {
    await lockDraft(tx, actor, catalogueId);
    const [current] = await tx.select().from(caseCategories).where(and(eq(caseCategories.id, categoryId), eq(caseCategories.catalogueId, catalogueId)));
    if (!current) throw new AppError("not_found");
    const deactivated: string[] = [];
    if (current.active) {
      await tx.update(caseCategories).set({ active: false }).where(eq(caseCategories.id, categoryId));
      deactivated.push(current.code);
    }
    if (current.parentId === null) deactivated.push(...(await deactivateChildren(tx, catalogueId, categoryId)));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "case_catalogue.category_deactivate",
      entityType: "case_catalogue",
      entityId: catalogueId,
      change: { categoryId, deactivated },
      summary: { code: current.code, deactivated },
    });
    return { deactivated };
  });
}

/** 发布: the draft becomes the active version and the active one is retired, in one transaction. */
export async function publishCatalogue(db: Db, actor: Actor, catalogueId: string): Promise<CatalogueSummary> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${catalogueLockKey})`);
    await lockDraft(tx, actor, catalogueId);
    // Every sub-category in use is checked again: a department may have been dissolved since.
    const all = await tx.select().from(caseCategories).where(eq(caseCategories.catalogueId, catalogueId)).orderBy(asc(caseCategories.code));
    const byId = new Map(all.map((c) => [c.id, c]));
    let inUse = 0;
    for (const c of all) {
      const parent = c.parentId === null ? null : (byId.get(c.parentId) ?? null);
      if (parent === null || !c.active || !parent.active) continue;
      try {
        await validateCategory(tx, c, parent);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== "category_invalid") throw e;
        const inner = e.params.detail as Bilingual;
        throw new AppError(
          "category_invalid",
          { detail: { code: inner.code, zh: `小类「${c.code} ${c.name}」${inner.zh}`, en: `sub-category ${c.code}: ${inner.en}` } },
          `${c.code}.${e.field ?? ""}`,
        );
      }
      inUse++;
    }
    if (inUse === 0) throw new AppError("catalogue_empty");
    const retired = await tx
      .update(caseCatalogues)
      .set({ status: "retired" })
      .where(eq(caseCatalogues.status, "active"))
      .returning({ id: caseCatalogues.id, version: caseCatalogues.version });
    const [published] = await tx
      .update(caseCatalogues)
      .set({ status: "active", publishedAt: new Date() })
      .where(eq(caseCatalogues.id, catalogueId))
      .returning();
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "case_catalogue.publish",
      entityType: "case_catalogue",
      entityId: catalogueId,
      change: { version: published!.version, retired: retired.map((r) => r.version), subCategories: inUse },
      summary: { version: published!.version, retired: retired.map((r) => r.version) },
    });
    return summaryOf(tx, published!);
  });
}

/** 放弃草稿: deletes a draft and its categories. */
export async function discardDraft(db: Db, actor: Actor, catalogueId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const draft = await lockDraft(tx, actor, catalogueId);
    const removed = await tx.delete(caseCategories).where(eq(caseCategories.catalogueId, catalogueId)).returning({ id: caseCategories.id });
    await tx.delete(caseCatalogues).where(eq(caseCatalogues.id, catalogueId));
    await recordAudit(tx, {
      actor: auditActor(actor),
      action: "case_catalogue.discard",
      entityType: "case_catalogue",
      entityId: catalogueId,
      change: { version: draft.version, categories: removed.length },
      summary: { version: draft.version },
    });
  });
}

// --- the default catalogue ---------------------------------------------------------------------

export interface EnsureCatalogueResult {
  /** True when this call installed version 1. */
  installed: boolean;
  /** Owner-first sub-categories given their department by this call (install or a later fix-up). */
  resolved: string[];
  /** Department name endings no organization matched: their categories go to the street first. */
  unresolved: string[];
}

/** An organization of kind department whose name ends with `hint`; the first by name when several do. */
function matchDepartment(departments: { id: string; name: string }[], hint: string): string | null {
  return departments.find((d) => d.name.endsWith(hint))?.id ?? null;
}

const installedNote = { zh: "默认分类目录（系统安装）", en: "default catalogue (installed by the system)" };

function fallbackNote(unresolved: Map<string, string[]>): string {
  if (unresolved.size === 0) return `${installedNote.zh}。`;
  const parts = [...unresolved].map(([dept, codes]) => `${dept}（${codes.join("、")}）`);
  return `${installedNote.zh}。未找到以下职能部门，相关小类暂由街道属地先行处置，请新建修订草稿指定责任部门：${parts.join("；")}。`;
}

/** Owner-first sub-categories of the default catalogue, by code. */
const defaultOwnerFirst = new Map(defaultCatalogue.flatMap((t) => t.children.filter((s) => s.departmentName !== undefined).map((s) => [s.code, s] as const)));

/**
 * Installs the default catalogue as version 1 (active) when there is no catalogue at all; audited
 * as the system. Idempotent and safe with several processes starting at once.
 *
 * Owner-first categories get the department whose name ends with their hint; without one (a fresh
 * install before its departments exist) they fall back to the street, territory first, and the
 * version's note says so. A later call (e.g. after the demo street brought its departments) gives
 * those untouched fallbacks of the system-installed active version their department.
 */
export async function ensureDefaultCatalogue(db: Db): Promise<EnsureCatalogueResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${catalogueLockKey})`);
    const departments = await listDepartments(tx);
    const [existing] = await tx.select({ id: caseCatalogues.id }).from(caseCatalogues).limit(1);
    if (existing) return { installed: false, ...(await resolveFallbacks(tx, departments)) };

    const [catalogue] = await tx.insert(caseCatalogues).values({ version: 1, status: "active", publishedAt: new Date(), note: "" }).returning();
    const unresolved = new Map<string, string[]>();
    const resolved: string[] = [];
    const values: (typeof caseCategories.$inferInsert)[] = [];
    defaultCatalogue.forEach((t, ti) => {
      const topId = randomUUID();
      values.push({ id: topId, catalogueId: catalogue!.id, code: t.code, name: t.name, nameEn: t.nameEn, description: t.description, sortOrder: ti + 1 });
      t.children.forEach((s, si) => {
        let { firstLevel, responsibility } = s;
        let departmentOrgId: string | null = null;
        if (s.departmentName !== undefined) {
          departmentOrgId = matchDepartment(departments, s.departmentName);
          if (departmentOrgId === null) {
            firstLevel = "street";
            responsibility = "territory";
            unresolved.set(s.departmentName, [...(unresolved.get(s.departmentName) ?? []), s.code]);
          } else resolved.push(s.code);
        }
        values.push({
          catalogueId: catalogue!.id,
          parentId: topId,
          code: s.code,
          name: s.name,
          nameEn: s.nameEn,
          description: s.description,
          kind: s.kind,
          responseLimitValue: s.response.value,
          responseLimitUnit: s.response.unit,
          handleLimitValue: s.handle.value,
          handleLimitUnit: s.handle.unit,
          firstLevel,
          responsibility,
          departmentOrgId,
          keywords: s.keywords,
          attributes: s.attributes ?? [],
          sortOrder: si + 1,
        });
      });
    });
    await tx.insert(caseCategories).values(values);
    const note = fallbackNote(unresolved);
    await tx.update(caseCatalogues).set({ note }).where(eq(caseCatalogues.id, catalogue!.id));
    await recordAudit(tx, {
      actor: { kind: "system" },
      action: "case_catalogue.install",
      entityType: "case_catalogue",
      entityId: catalogue!.id,
      change: { version: 1, categories: values.length, resolved, unresolved: [...unresolved.keys()] },
      summary: { version: 1, categories: values.length, unresolvedDepartments: [...unresolved.keys()] },
    });
    return { installed: true, resolved, unresolved: [...unresolved.keys()] };
  });
}

/** Gives the street-first fallbacks of the system-installed active version their department, once it exists. */
async function resolveFallbacks(tx: Db, departments: { id: string; name: string }[]): Promise<{ resolved: string[]; unresolved: string[] }> {
  const [active] = await tx
    .select()
    .from(caseCatalogues)
    .where(and(eq(caseCatalogues.status, "active"), isNull(caseCatalogues.createdBy)))
    .for("update");
  if (!active) return { resolved: [], unresolved: [] };
  const fallbacks = await tx
    .select()
    .from(caseCategories)
    .where(
      and(
        eq(caseCategories.catalogueId, active.id),
        isNotNull(caseCategories.parentId),
        isNull(caseCategories.departmentOrgId),
        eq(caseCategories.firstLevel, "street"),
        eq(caseCategories.responsibility, "territory"),
        inArray(caseCategories.code, [...defaultOwnerFirst.keys()]),
      ),
    );
  if (fallbacks.length === 0) return { resolved: [], unresolved: [] };
  const resolved: string[] = [];
  const unresolved = new Map<string, string[]>();
  for (const c of fallbacks.sort((a, b) => a.code.localeCompare(b.code))) {
    const d = defaultOwnerFirst.get(c.code)!;
    const departmentOrgId = matchDepartment(departments, d.departmentName!);
    if (departmentOrgId === null) {
      unresolved.set(d.departmentName!, [...(unresolved.get(d.departmentName!) ?? []), c.code]);
      continue;
    }
    await tx.update(caseCategories).set({ departmentOrgId, firstLevel: d.firstLevel, responsibility: d.responsibility }).where(eq(caseCategories.id, c.id));
    resolved.push(c.code);
  }
  if (resolved.length === 0) return { resolved, unresolved: [...unresolved.keys()] };
  await tx.update(caseCatalogues).set({ note: fallbackNote(unresolved) }).where(eq(caseCatalogues.id, active.id));
  await recordAudit(tx, {
    actor: { kind: "system" },
    action: "case_catalogue.resolve_departments",
    entityType: "case_catalogue",
    entityId: active.id,
    change: { version: active.version, resolved, unresolved: [...unresolved.keys()] },
    summary: { version: active.version, resolved: resolved.length },
  });
  return { resolved, unresolved: [...unresolved.keys()] };
}
