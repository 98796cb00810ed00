import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../../test-support/factories.js";
import { organizations } from "../../orgs/schema.js";
import { AppError } from "../../../platform/errors.js";
import { defaultCatalogue } from "./default-catalogue.js";
import { activeCategories, ensureDefaultCatalogue, findActiveCategory } from "./catalogue.js";

interface Limit {
  value: number;
  unit: string;
}
interface Category {
  id: string;
  parentId: string | null;
  code: string;
  name: string;
  handleLimit: Limit | null;
  responseLimit: Limit | null;
  firstLevel: string | null;
  responsibility: string | null;
  departmentOrgId: string | null;
  departmentName: string | null;
  active: boolean;
  attributes: { code: string; datatype: string }[];
}
interface Top extends Category {
  children: Category[];
}
interface Summary {
  id: string;
  version: number;
  status: string;
  note: string | null;
  subCategoryCount: number;
  topCategoryCount: number;
}
interface Detail {
  catalogue: Summary;
  items: Category[];
  abilities: Record<string, boolean>;
  departments: { id: string; name: string }[];
}

describe("the default catalogue (data)", () => {
  const subs = defaultCatalogue.flatMap((t) => t.children);

  it("has about ten top-level categories and 40–60 sub-categories with unique codes under their parent's", () => {
    expect(defaultCatalogue.length).toBeGreaterThanOrEqual(10);
    expect(subs.length).toBeGreaterThanOrEqual(40);
    expect(subs.length).toBeLessThanOrEqual(60);
    const codes = [...defaultCatalogue.map((t) => t.code), ...subs.map((s) => s.code)];
    expect(new Set(codes).size).toBe(codes.length);
    for (const t of defaultCatalogue) for (const s of t.children) expect(s.code.startsWith(t.code) && s.code.length > t.code.length).toBe(true);
  });

  it("gives every sub-category positive limits with a unit, and every owner-first one a department", () => {
    for (const s of subs) {
      expect(s.response.value).toBeGreaterThan(0);
      expect(s.handle.value).toBeGreaterThan(0);
      expect(["workingHours", "workingDays", "naturalHours"]).toContain(s.handle.unit);
      if (s.responsibility === "owner") expect(s.departmentName).toMatch(/局$/);
    }
    const byName = new Map(subs.map((s) => [s.name, s]));
    expect(byName.get("暴露垃圾")!.handle).toEqual({ value: 4, unit: "workingHours" });
    expect(byName.get("违章搭建")!.handle).toEqual({ value: 20, unit: "workingDays" });
    expect(byName.get("燃气泄漏")!.handle).toEqual({ value: 2, unit: "naturalHours" });
    expect(byName.get("井盖缺失破损")!.attributes!.find((a) => a.code === "cover_type")!.datatype).toBe("singlevaluelist");
  });
});

describe.each(testEngines())("case category catalogue on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let admin: Session;
  let streetAdmin: Session;
  let worker: Session;
  let resident: Session;
  let version1: string;
  let version2: string;
  const departments = new Map<string, string>();

  const count = async (query: string, params: unknown[] = []) => Number((await t.database.query<{ n: string }>(query, params))[0]!.n);
  const categoriesOf = (catalogueId: string) => count("select count(*)::text as n from case_categories where catalogue_id = $1", [catalogueId]);
  const catalogues = () => count("select count(*)::text as n from case_catalogues");
  const audits = (action: string) => count("select count(*)::text as n from audit_entries where action = $1", [action]);
  const detail = async (session: Session, id: string) => (await t.as(session, "GET", `/api/case-catalogues/${id}`)).json() as Detail;
  const byCode = (d: Detail, code: string) => d.items.find((c) => c.code === code)!;

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    const login = async (role: Parameters<typeof createTestUser>[1]["role"], areaId: string, personId?: string) =>
      t.login((await createTestUser(t.database.db, { role, areaId, ...(personId ? { personId } : {}) })).username);
    admin = await login("systemAdmin", s.city);
    streetAdmin = await login("streetAdmin", s.street);
    worker = await login("communityWorker", s.communityA);
    resident = await login("resident", s.gridA1, s.personA1);
  });
  afterAll(async () => t?.close());

  it("installs the default catalogue once, street first where no department exists yet, audited as the system", async () => {
    const first = await ensureDefaultCatalogue(t.database.db);
    expect(first.installed).toBe(true);
    expect(first.unresolved.sort()).toEqual(["住房和城乡建设局", "卫生健康局", "民政局", "市场监督管理局", "综合行政执法局"].sort());
    const [row] = await t.database.query<{ id: string; version: number; status: string; note: string }>("select id, version, status, note from case_catalogues");
    version1 = row!.id;
    expect(row).toMatchObject({ version: 1, status: "active" });
    expect(row!.note).toContain("住房和城乡建设局（0201、0202");
    const total = defaultCatalogue.length + defaultCatalogue.flatMap((c) => c.children).length;
    expect(await categoriesOf(version1)).toBe(total);
    const light = byCode(await detail(admin, version1), "0201");
    expect(light).toMatchObject({ firstLevel: "street", responsibility: "territory", departmentOrgId: null });
    expect(await count("select count(*)::text as n from audit_entries where action = 'case_catalogue.install' and actor_kind = 'system'")).toBe(1);

    const again = await ensureDefaultCatalogue(t.database.db);
    expect(again).toMatchObject({ installed: false, resolved: [] });
    expect(await catalogues()).toBe(1);
    expect(await categoriesOf(version1)).toBe(total);
    expect(await audits("case_catalogue.install")).toBe(1);
  });

  it("gives those categories their departments once the departments exist (e.g. after the demo loads), once", async () => {
    const [district] = await t.database.query<{ parent_id: string }>("select parent_id from areas where id = $1", [s.street]);
    for (const hint of ["住房和城乡建设局", "综合行政执法局", "民政局", "市场监督管理局", "卫生健康局"]) {
      const [o] = await t.database.db
        .insert(organizations)
        .values({ kind: "department", name: `测试区${hint}`, areaId: district!.parent_id, path: "/" })
        .returning({ id: organizations.id });
      departments.set(hint, o!.id);
    }
    const fix = await ensureDefaultCatalogue(t.database.db);
    expect(fix.installed).toBe(false);
    expect(fix.resolved).toContain("0201");
    expect(fix.unresolved).toEqual([]);
    const d = await detail(admin, version1);
    expect(byCode(d, "0201")).toMatchObject({ firstLevel: "department", responsibility: "owner", departmentOrgId: departments.get("住房和城乡建设局"), departmentName: "测试区住房和城乡建设局" });
    expect(byCode(d, "0401")).toMatchObject({ departmentOrgId: departments.get("市场监督管理局") });
    expect(byCode(d, "0101")).toMatchObject({ firstLevel: "grid", responsibility: "territory", departmentOrgId: null });
    expect(d.catalogue.note).not.toContain("未找到");
    expect((await ensureDefaultCatalogue(t.database.db)).resolved).toEqual([]);
    expect(await audits("case_catalogue.resolve_departments")).toBe(1);
  });

  it("lets every logged-in user read the active tree — the resident's reporting page too — and nobody else", async () => {
    const res = await t.as(resident, "GET", "/api/case-categories");
    expect(res.statusCode).toBe(200);
    const body = res.json() as { catalogue: Summary; items: Top[] };
    expect(body.catalogue).toMatchObject({ version: 1, status: "active", subCategoryCount: defaultCatalogue.flatMap((c) => c.children).length });
    expect(body.items.map((c) => c.name).slice(0, 3)).toEqual(["市容环境", "市政设施", "园林绿化"]);
    const garbage = body.items[0]!.children.find((c) => c.code === "0101")!;
    expect(garbage).toMatchObject({ name: "暴露垃圾", handleLimit: { value: 4, unit: "workingHours" }, firstLevel: "grid" });
    expect((await t.as(null, "GET", "/api/case-categories")).statusCode).toBe(401);
    expect((await t.as(resident, "GET", "/api/case-categories?version=9")).statusCode).toBe(404);
  });

  it("finds an active sub-category by code and refuses top-level, unknown and inactive codes with case_unknown_category", async () => {
    const garbage = await findActiveCategory(t.database.db, "0101");
    expect(garbage).toMatchObject({ code: "0101", name: "暴露垃圾", parentCode: "01", parentName: "市容环境", catalogueVersion: 1 });
    for (const code of ["01", "9999"]) {
      const e = await findActiveCategory(t.database.db, code).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AppError);
      expect(e).toMatchObject({ code: "case_unknown_category", field: "categoryCode" });
    }
    expect((await activeCategories(t.database.db)).length).toBe(defaultCatalogue.flatMap((c) => c.children).length);
  });

  it("does not let a resident or a community worker start a revision; nothing is written", async () => {
    const before = await catalogues();
    expect((await t.as(resident, "POST", "/api/case-catalogues/drafts", {})).statusCode).toBe(403);
    expect((await t.as(worker, "POST", "/api/case-catalogues/drafts", {})).statusCode).toBe(403);
    expect((await t.as(resident, "GET", "/api/case-catalogues")).json()).toMatchObject({ abilities: { createDraft: false } });
    expect(await catalogues()).toBe(before);
    expect(await audits("case_catalogue.draft")).toBe(0);
  });

  it("revises the catalogue: draft, edit, add, deactivate, publish — the old version retired and still readable", async () => {
    const created = await t.as(streetAdmin, "POST", "/api/case-catalogues/drafts", { note: "2026 年第二版：新增共享单车" });
    expect(created.statusCode).toBe(201);
    const draft = created.json() as Summary;
    version2 = draft.id;
    expect(draft).toMatchObject({ version: 2, status: "draft" });
    expect(await categoriesOf(version2)).toBe(await categoriesOf(version1));
    // One draft at a time.
    const second = await t.as(admin, "POST", "/api/case-catalogues/drafts", {});
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: "catalogue_draft_exists" });
    // Drafts are the editors' own.
    expect(((await t.as(worker, "GET", "/api/case-catalogues")).json() as { items: Summary[] }).items.map((c) => c.status)).toEqual(["active"]);
    expect((await t.as(worker, "GET", `/api/case-catalogues/${version2}`)).statusCode).toBe(404);

    const d = await detail(streetAdmin, version2);
    expect(d.abilities).toEqual({ edit: true, publish: true, discard: true, createDraft: false });
    expect(d.departments.map((x) => x.name)).toContain("测试区住房和城乡建设局");
    const garbage = byCode(d, "0101");
    const env = byCode(d, "01");
    const patched = await t.as(streetAdmin, "PATCH", `/api/case-catalogues/${version2}/categories/${garbage.id}`, { handleLimitValue: 6, keywords: ["垃圾", "清运"] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ code: "0101", handleLimit: { value: 6, unit: "workingHours" } });
    const bikes = await t.as(streetAdmin, "POST", `/api/case-catalogues/${version2}/categories`, {
      parentId: env.id,
      code: "0109",
      name: "共享单车乱停放",
      responseLimitValue: 2,
      responseLimitUnit: "workingHours",
      handleLimitValue: 1,
      handleLimitUnit: "workingDays",
      firstLevel: "community",
      responsibility: "owner",
      departmentOrgId: departments.get("综合行政执法局"),
    });
    expect(bikes.statusCode).toBe(201);
    expect(bikes.json()).toMatchObject({ code: "0109", departmentName: "测试区综合行政执法局", active: true });
    const other = byCode(d, "12");
    const off = await t.as(streetAdmin, "DELETE", `/api/case-catalogues/${version2}/categories/${other.id}`);
    expect(off.json()).toEqual({ deactivated: ["12", "1201", "1202", "1203"] });
    expect((await t.as(streetAdmin, "DELETE", `/api/case-catalogues/${version2}/categories/${byCode(d, "0108").id}`)).json()).toEqual({ deactivated: ["0108"] });

    // A community worker may not publish: the draft is not theirs to see, the active version not theirs to change.
    expect((await t.as(worker, "POST", `/api/case-catalogues/${version2}/publish`)).statusCode).toBe(404);
    expect((await t.as(worker, "POST", `/api/case-catalogues/${version1}/publish`)).statusCode).toBe(403);
    expect((await t.as(streetAdmin, "POST", `/api/case-catalogues/${version1}/publish`)).json()).toMatchObject({ code: "catalogue_not_draft" });

    const published = await t.as(streetAdmin, "POST", `/api/case-catalogues/${version2}/publish`);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ version: 2, status: "active" });
    const statuses = await t.database.query<{ version: number; status: string }>("select version, status from case_catalogues order by version");
    expect(statuses).toEqual([
      { version: 1, status: "retired" },
      { version: 2, status: "active" },
    ]);
    const tree = (await t.as(resident, "GET", "/api/case-categories")).json() as { catalogue: Summary; items: Top[] };
    expect(tree.catalogue.version).toBe(2);
    expect(tree.items.map((c) => c.code)).not.toContain("12");
    const env2 = tree.items.find((c) => c.code === "01")!;
    expect(env2.children.map((c) => c.code)).toContain("0109");
    expect(env2.children.map((c) => c.code)).not.toContain("0108");
    expect(env2.children.find((c) => c.code === "0101")!.handleLimit).toEqual({ value: 6, unit: "workingHours" });
    const old = (await t.as(resident, "GET", "/api/case-categories?version=1")).json() as { catalogue: Summary; items: Top[] };
    expect(old.catalogue.status).toBe("retired");
    expect(old.items[0]!.children.find((c) => c.code === "0101")!.handleLimit).toEqual({ value: 4, unit: "workingHours" });
    expect((await findActiveCategory(t.database.db, "0109")).catalogueVersion).toBe(2);
    await expect(findActiveCategory(t.database.db, "1201")).rejects.toMatchObject({ code: "case_unknown_category" });
    await expect(findActiveCategory(t.database.db, "0108")).rejects.toMatchObject({ code: "case_unknown_category" });
    for (const action of ["draft", "category_update", "category_create", "category_deactivate", "publish"]) expect(await audits(`case_catalogue.${action}`)).toBeGreaterThan(0);
  });

  it("refuses bad categories with category_invalid and the field, writing nothing", async () => {
    const draft = ((await t.as(admin, "POST", "/api/case-catalogues/drafts", {})).json() as Summary).id;
    const d = await detail(admin, draft);
    const env = byCode(d, "01");
    const garbage = byCode(d, "0101");
    const [otherOrg] = await t.database.db.insert(organizations).values({ kind: "residentsCommittee", name: "甲社区居民委员会", areaId: s.communityA, path: "/" }).returning({ id: organizations.id });
    const good = {
      parentId: env.id,
      code: "0110",
      name: "沿街晾晒",
      responseLimitValue: 2,
      responseLimitUnit: "workingHours",
      handleLimitValue: 1,
      handleLimitUnit: "workingDays",
      firstLevel: "grid",
      responsibility: "territory",
    };
    const cases: [string, "POST" | "PATCH", object, string][] = [
      ["unknown parent", "POST", { ...good, parentId: randomUUID() }, "parentId"],
      ["a sub-category as parent", "POST", { ...good, parentId: garbage.id, code: "010101" }, "parentId"],
      ["duplicate code", "POST", { ...good, code: "0101" }, "code"],
      ["code not under the parent's", "POST", { ...good, code: "0299" }, "code"],
      ["limit without unit", "POST", { ...good, handleLimitUnit: undefined }, "handleLimitUnit"],
      ["no response limit", "POST", { ...good, responseLimitValue: undefined, responseLimitUnit: undefined }, "responseLimitValue"],
      ["owner first without department", "POST", { ...good, responsibility: "owner" }, "departmentOrgId"],
      ["department first without department", "POST", { ...good, firstLevel: "department" }, "departmentOrgId"],
      ["a body that is not a department", "POST", { ...good, responsibility: "owner", departmentOrgId: otherOrg!.id }, "departmentOrgId"],
      ["a top-level category with limits", "POST", { code: "13", name: "新大类", handleLimitValue: 3, handleLimitUnit: "workingDays" }, "handleLimitValue"],
      ["owner first without department (edit)", "PATCH", { responsibility: "owner" }, "departmentOrgId"],
      ["limit without unit (edit)", "PATCH", { handleLimitUnit: null }, "handleLimitUnit"],
    ];
    const before = await categoriesOf(draft);
    const auditsBefore = await count("select count(*)::text as n from audit_entries");
    for (const [label, method, body, field] of cases) {
      const url = method === "POST" ? `/api/case-catalogues/${draft}/categories` : `/api/case-catalogues/${draft}/categories/${garbage.id}`;
      const res = await t.as(admin, method, url, body);
      expect({ label, status: res.statusCode, body: res.json() as object }).toMatchObject({ label, status: 400, body: { code: "category_invalid", field } });
    }
    expect(await categoriesOf(draft)).toBe(before);
    expect(byCode(await detail(admin, draft), "0101")).toEqual(garbage);
    expect(await count("select count(*)::text as n from audit_entries")).toBe(auditsBefore);

    // The message says what is wrong in the reader's language.
    const en = await t.app.inject({
      method: "POST",
      url: `/api/case-catalogues/${draft}/categories`,
      headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "accept-language": "en" },
      payload: { ...good, handleLimitUnit: undefined },
    });
    expect(en.json()).toMatchObject({ field: "handleLimitUnit", message: expect.stringContaining("no unit") as unknown });
    const zh = await t.as(admin, "POST", `/api/case-catalogues/${draft}/categories`, { ...good, responsibility: "owner" });
    expect((zh.json() as { message: string }).message).toBe("类别设置有误：「先属主」的类别须指定责任部门");

    // Published and retired versions are not edited.
    const active = await detail(admin, version2);
    for (const id of [version2, version1]) {
      const v = await detail(admin, id);
      const cat = byCode(v, "0101");
      const res = await t.as(admin, "PATCH", `/api/case-catalogues/${id}/categories/${cat.id}`, { name: "改名" });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ code: "catalogue_not_draft" });
      expect((await t.as(admin, "POST", `/api/case-catalogues/${id}/categories`, { ...good, parentId: byCode(v, "01").id })).json()).toMatchObject({ code: "catalogue_not_draft" });
      expect((await t.as(admin, "DELETE", `/api/case-catalogues/${id}`)).json()).toMatchObject({ code: "catalogue_not_draft" });
    }
    expect(byCode(await detail(admin, version2), "0101")).toEqual(byCode(active, "0101"));

    // A good one goes in; then the draft is discarded with everything in it.
    expect((await t.as(admin, "POST", `/api/case-catalogues/${draft}/categories`, good)).statusCode).toBe(201);
    expect((await t.as(streetAdmin, "DELETE", `/api/case-catalogues/${draft}`)).statusCode).toBe(204);
    expect(await categoriesOf(draft)).toBe(0);
    expect(await catalogues()).toBe(2);
    expect(await audits("case_catalogue.discard")).toBe(1);
  });

  it("checks departments again at publishing: a dissolved department stops the publish, nothing changes", async () => {
    const draft = ((await t.as(admin, "POST", "/api/case-catalogues/drafts", {})).json() as Summary).id;
    const housing = departments.get("住房和城乡建设局")!;
    await t.database.query("update organizations set dissolved_on = '2026-01-01' where id = $1", [housing]);
    try {
      const res = await t.as(admin, "POST", `/api/case-catalogues/${draft}/publish`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: "category_invalid", field: "0201.departmentOrgId" });
      const statuses = await t.database.query<{ version: number; status: string }>("select version, status from case_catalogues order by version");
      expect(statuses.map((r) => r.status)).toEqual(["retired", "active", "draft"]);
    } finally {
      await t.database.query("update organizations set dissolved_on = null where id = $1", [housing]);
    }
    // Taking every top-level category out of use leaves nothing to publish.
    const d = await detail(admin, draft);
    for (const top of d.items.filter((c) => c.parentId === null)) await t.as(admin, "DELETE", `/api/case-catalogues/${draft}/categories/${top.id}`);
    expect((await t.as(admin, "POST", `/api/case-catalogues/${draft}/publish`)).json()).toMatchObject({ code: "catalogue_empty" });
    expect((await t.as(admin, "DELETE", `/api/case-catalogues/${draft}`)).statusCode).toBe(204);
  });
});
