/** HTTP for the case category catalogue (分类目录): the active tree, versions, drafts, publishing. */
import { Type } from "typebox";
import type { App } from "../../../platform/http/server.js";
import { authenticate } from "../../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../../platform/http/schemas.js";
import {
  createCategory,
  createDraft,
  deactivateCategory,
  discardDraft,
  getCatalogue,
  getCategoryTree,
  listCatalogues,
  publishCatalogue,
  updateCategory,
} from "./catalogue.js";

const tags = ["cases"];
const Unit = Type.Union([Type.Literal("workingHours"), Type.Literal("workingDays"), Type.Literal("naturalHours")]);
const Level = Type.Union([Type.Literal("grid"), Type.Literal("community"), Type.Literal("street"), Type.Literal("district"), Type.Literal("department")]);
const Responsibility = Type.Union([Type.Literal("owner"), Type.Literal("territory")], { description: "owner = 先属主 (a department); territory = 先属地" });
const Kind = Type.Union([Type.Literal("event"), Type.Literal("component")], { description: "event = 事件; component = 部件" });
const Limit = Type.Object({ value: Type.Number(), unit: Unit });
const Status = Type.Union([Type.Literal("draft"), Type.Literal("active"), Type.Literal("retired")]);

const Attribute = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40, pattern: "^[A-Za-z0-9_]+$" }),
    variable: Type.Boolean(),
    datatype: Type.Union([
      Type.Literal("string"),
      Type.Literal("number"),
      Type.Literal("datetime"),
      Type.Literal("text"),
      Type.Literal("singlevaluelist"),
      Type.Literal("multivaluelist"),
    ]),
    required: Type.Boolean(),
    description: Type.String({ minLength: 1, maxLength: 200 }),
    datatypeDescription: Type.Optional(Type.String({ maxLength: 200 })),
    order: Type.Integer({ minimum: 0, maximum: 1000 }),
    values: Type.Optional(
      Type.Array(Type.Object({ key: Type.String({ minLength: 1, maxLength: 40 }), name: Type.String({ minLength: 1, maxLength: 60 }) }, { additionalProperties: false }), { maxItems: 50 }),
    ),
  },
  { additionalProperties: false, description: "Open311 service definition attribute" },
);

const CategoryProps = {
  id: Type.String(),
  catalogueId: Type.String(),
  parentId: Nullable(Type.String()),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
  description: Nullable(Type.String()),
  kind: Kind,
  responseLimit: Nullable(Limit),
  handleLimit: Nullable(Limit),
  firstLevel: Nullable(Level),
  responsibility: Nullable(Responsibility),
  departmentOrgId: Nullable(Type.String()),
  departmentName: Nullable(Type.String()),
  keywords: Type.Array(Type.String()),
  attributes: Type.Array(Attribute),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
};
const Category = named("CaseCategory", Type.Object(CategoryProps));
const TopCategory = named("CaseTopCategory", Type.Object({ ...CategoryProps, children: Type.Array(Category) }));

const CatalogueSummary = named("CatalogueSummary", Type.Object({
  id: Type.String(),
  version: Type.Integer(),
  status: Status,
  note: Nullable(Type.String()),
  createdAt: Type.String({ format: "date-time" }),
  publishedAt: Nullable(Type.String({ format: "date-time" })),
  createdByName: Nullable(Type.String()),
  subCategoryCount: Type.Integer({ description: "sub-categories in use" }),
  topCategoryCount: Type.Integer({ description: "top-level categories in use" }),
}));
const Abilities = named("CatalogueAbilities", Type.Object({ edit: Type.Boolean(), publish: Type.Boolean(), discard: Type.Boolean(), createDraft: Type.Boolean() }));

const LimitValue = Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1000 }));
const editable = {
  name: Type.String({ minLength: 1, maxLength: 40 }),
  nameEn: Nullable(Type.String({ maxLength: 80 })),
  description: Nullable(Type.String({ maxLength: 300 })),
  kind: Kind,
  responseLimitValue: LimitValue,
  responseLimitUnit: Nullable(Unit),
  handleLimitValue: LimitValue,
  handleLimitUnit: Nullable(Unit),
  firstLevel: Nullable(Level),
  responsibility: Nullable(Responsibility),
  departmentOrgId: Nullable(Uuid),
  keywords: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 30 }),
  attributes: Type.Array(Attribute, { maxItems: 20 }),
  sortOrder: Type.Integer({ minimum: 0, maximum: 10000 }),
  active: Type.Boolean(),
};
const optional = Object.fromEntries(Object.entries(editable).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof typeof editable]: ReturnType<typeof Type.Optional<(typeof editable)[K]>> };

const CategoryCreateBody = Type.Object(
  {
    parentId: Type.Optional(Nullable(Uuid)),
    code: Type.String({ minLength: 1, maxLength: 12, pattern: "^[0-9A-Za-z]+$", description: "stable across versions; a sub-category's starts with its parent's" }),
    ...optional,
    name: editable.name,
  },
  { additionalProperties: false },
);
const CategoryPatchBody = Type.Object(optional, { additionalProperties: false, minProperties: 1 });
const CategoryParams = Type.Object({ id: Uuid, categoryId: Uuid }, { additionalProperties: false });

export async function catalogueRoutes(app: App): Promise<void> {
  const db = () => app.ctx.database.db;

  app.get(
    "/api/case-categories",
    {
      schema: {
        tags,
        summary: "The case categories in use (大类 → 小类) of the active catalogue version, or of an older version by number; any logged-in user",
        querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ catalogue: CatalogueSummary, items: Type.Array(TopCategory) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return getCategoryTree(db(), actor, req.query.version !== undefined ? { version: req.query.version } : {});
    },
  );

  app.get(
    "/api/case-catalogues",
    {
      schema: {
        tags,
        summary: "Versions of the category catalogue, newest first (drafts for editors only)",
        response: { 200: Type.Object({ items: Type.Array(CatalogueSummary), abilities: Type.Object({ createDraft: Type.Boolean() }) }), ...errorResponses(401) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listCatalogues(db(), actor);
    },
  );

  app.get(
    "/api/case-catalogues/:id",
    {
      schema: {
        tags,
        summary: "One catalogue version with every category (in use or not), the actor's abilities and, for editors of a draft, the departments to choose from",
        params: IdParams,
        response: {
          200: Type.Object({ catalogue: CatalogueSummary, items: Type.Array(Category), abilities: Abilities, departments: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return getCatalogue(db(), actor, req.params.id);
    },
  );

  app.post(
    "/api/case-catalogues/drafts",
    {
      schema: {
        tags,
        summary: "Start a revision: a draft copied from the active version (system and street administrators; one draft at a time)",
        body: Type.Object({ note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }, { additionalProperties: false }),
        response: { 201: CatalogueSummary, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await createDraft(db(), actor, req.body));
    },
  );

  app.post(
    "/api/case-catalogues/:id/categories",
    {
      schema: {
        tags,
        summary: "Add a top-level category (no parentId) or a sub-category to a draft",
        params: IdParams,
        body: CategoryCreateBody,
        response: { 201: Category, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await createCategory(db(), actor, req.params.id, req.body));
    },
  );

  app.patch(
    "/api/case-catalogues/:id/categories/:categoryId",
    {
      schema: {
        tags,
        summary: "Change a category of a draft (its code and parent stay; disabling a top-level category disables its sub-categories)",
        params: CategoryParams,
        body: CategoryPatchBody,
        response: { 200: Category, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updateCategory(db(), actor, req.params.id, req.params.categoryId, req.body);
    },
  );

  app.delete(
    "/api/case-catalogues/:id/categories/:categoryId",
    {
      schema: {
        tags,
        summary: "Take a category of a draft out of use (with its sub-categories); categories are never deleted, so codes stay unique across versions",
        params: CategoryParams,
        response: { 200: Type.Object({ deactivated: Type.Array(Type.String()) }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return deactivateCategory(db(), actor, req.params.id, req.params.categoryId);
    },
  );

  app.post(
    "/api/case-catalogues/:id/publish",
    {
      schema: {
        tags,
        summary: "Publish a draft: it becomes the active version and the active one is retired; new cases use it at once",
        params: IdParams,
        response: { 200: CatalogueSummary, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return publishCatalogue(db(), actor, req.params.id);
    },
  );

  app.delete(
    "/api/case-catalogues/:id",
    {
      schema: { tags, summary: "Discard a draft", params: IdParams, response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) } },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await discardDraft(db(), actor, req.params.id);
      return reply.status(204).send(null);
    },
  );
}
