import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable } from "../../platform/http/schemas.js";
import { pickLang } from "../../platform/errors.js";
import { organizationTree } from "./service.js";
import { orgKinds, placement, type OrgKind } from "./kinds.js";
import { createOrganization, dissolveOrganization, getOrganization, updateOrganization } from "./manage.js";
import { addCommitteeSeat, addPost, endPost, listCrossAppointments, listOrgPosts, listPersonPosts } from "./posts.js";

const KindSchema = Type.Union(Object.keys(orgKinds).map((k) => Type.Literal(k)));
const Incubation = Type.Union([Type.Literal("incubating"), Type.Literal("graduated")], { description: "孵化中 / 已出壳" });
const DateOnly = Type.String({ format: "date" });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Title = Type.String({ minLength: 1, maxLength: 60 });
const OrgRef = Type.Object({ id: Type.String(), kind: Type.String(), kindLabel: Type.String(), name: Type.String(), dissolvedOn: Nullable(Type.String()) });
const Post = named("OrgPost", Type.Object({
  id: Type.String(),
  personId: Type.Union([Type.String(), Type.Null()], { description: "null when you may not read the person" }),
  personName: Type.String({ description: "as the person page shows it to you: clear for the roles that may read it clear, masked otherwise" }),
  personInRegistry: Type.Boolean({ description: "false: recorded only for the post (e.g. a co-building unit member living elsewhere)" }),
  orgId: Type.String(),
  orgName: Type.String(),
  orgKind: Type.String(),
  orgKindLabel: Type.String(),
  title: Type.String(),
  partTime: Type.Boolean(),
  startedOn: Nullable(Type.String()),
  endedOn: Nullable(Type.String()),
}));
const IncludeEnded = Type.Object({ includeEnded: Type.Boolean({ default: false }) }, { additionalProperties: false });

const OrgNode = named("OrgNode", Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  kind: Type.String(),
  kindLabel: Type.String(),
  party: Type.Boolean(),
  name: Type.String(),
  areaId: Nullable(Type.String()),
  areaName: Nullable(Type.String()),
  memberCount: Type.Integer({ description: "party members whose organization relation is held here" }),
  incubation: Nullable(Incubation),
}));

const OrgKindRule = named("OrgKindRule", Type.Object({
  kind: Type.String({ description: "one of the kinds the create body takes" }),
  label: Type.String({ description: "in the request's language" }),
  party: Type.Boolean({ description: "a party organization (党组织)" }),
  parents: Type.Array(Nullable(Type.String()), { description: "kinds its parent may have; null: it may stand without a parent, directly at its area" }),
  levels: Type.Array(Type.String(), { description: "area levels it may belong to" }),
}));

export async function orgRoutes(app: App): Promise<void> {
  app.get(
    "/api/org-kinds",
    {
      schema: {
        tags: ["organizations"],
        summary: "The kinds of body that can be created here, with where each may stand (parent kinds and area levels); departments stand at a district",
        response: { 200: Type.Object({ items: Type.Array(OrgKindRule) }), ...errorResponses(401) },
      },
    },
    async (req) => {
      await authenticate(req);
      const lang = pickLang(req.headers["accept-language"]);
      const items = (Object.keys(placement) as OrgKind[]).flatMap((kind) => {
        const rule = placement[kind];
        const def = orgKinds[kind];
        return rule ? [{ kind, label: lang === "en" ? def.en : def.zh, party: def.party, parents: rule.parents, levels: rule.levels }] : [];
      });
      return { items };
    },
  );

  app.get(
    "/api/organizations",
    {
      schema: {
        tags: ["organizations"],
        summary: "Organizations of an area and below, parents before children (party=true: the party organization tree 党组织)",
        querystring: Type.Object({ areaId: Type.String({ format: "uuid" }), party: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(OrgNode) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await organizationTree(app.ctx.database.db, actor, req.query.areaId, { party: req.query.party, lang: pickLang(req.headers["accept-language"]) }) };
    },
  );

  app.post(
    "/api/organizations",
    {
      schema: {
        tags: ["organizations"],
        summary: "Create a body under its parent (the kind must fit the parent's kind and the area's level; area in your scope)",
        body: Type.Object(
          { kind: KindSchema, name: Name, parentId: Nullable(Type.String({ format: "uuid" })), areaId: Type.String({ format: "uuid" }), incubation: Type.Optional(Nullable(Incubation)) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const out = await createOrganization(app.ctx.database.db, actor, req.body);
      return reply.status(201).send(out);
    },
  );

  app.get(
    "/api/organizations/:id",
    {
      schema: {
        tags: ["organizations"],
        summary: "One body with its parent, live children, supervisor, the bodies it supervises and your abilities",
        params: IdParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            kind: Type.String(),
            kindLabel: Type.String(),
            name: Type.String(),
            dissolvedOn: Nullable(Type.String()),
            party: Type.Boolean(),
            areaId: Type.String(),
            areaName: Type.String(),
            areaLevel: Type.String(),
            incubation: Nullable(Incubation),
            parent: Nullable(OrgRef),
            supervisor: Nullable(OrgRef),
            supervises: Type.Array(OrgRef),
            children: Type.Array(Type.Object({ ...OrgRef.properties, memberCount: Type.Integer() })),
            memberCount: Type.Integer(),
            childKinds: Type.Array(Type.String()),
            abilities: Type.Object({ read: Type.Boolean(), manage: Type.Boolean() }),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return getOrganization(app.ctx.database.db, actor, req.params.id, pickLang(req.headers["accept-language"]));
    },
  );

  app.patch(
    "/api/organizations/:id",
    {
      schema: {
        tags: ["organizations"],
        summary: "Rename a body, set a social organization's incubation status, or set/clear its supervisor",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), incubation: Type.Optional(Incubation), supervisorId: Type.Optional(Nullable(Type.String({ format: "uuid" }))) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await updateOrganization(app.ctx.database.db, actor, req.params.id, req.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/api/organizations/:id/dissolve",
    {
      schema: {
        tags: ["organizations"],
        summary: "Dissolve a body on a date (refused while it has live sub-organizations or open posts); it stays for history",
        params: IdParams,
        body: Type.Object({ dissolvedOn: DateOnly }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await dissolveOrganization(app.ctx.database.db, actor, req.params.id, req.body.dissolvedOn);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/organizations/:id/posts",
    {
      schema: { tags: ["organizations"], summary: "Posts held in a body (open ones; includeEnded for the history)", params: IdParams, querystring: IncludeEnded, response: { 200: Type.Object({ items: Type.Array(Post) }), ...errorResponses(401, 404) } },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listOrgPosts(app.ctx.database.db, actor, req.params.id, { includeEnded: req.query.includeEnded, lang: pickLang(req.headers["accept-language"]) }) };
    },
  );

  app.post(
    "/api/organizations/:id/posts",
    {
      schema: {
        tags: ["organizations"],
        summary: "Add a post held by a person in a body (职务)",
        params: IdParams,
        body: Type.Object(
          { personId: Type.String({ format: "uuid" }), title: Title, partTime: Type.Boolean({ default: false }), startedOn: Type.Optional(Nullable(DateOnly)) },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await addPost(app.ctx.database.db, actor, req.params.id, req.body));
    },
  );

  app.post(
    "/api/posts/:id/end",
    {
      schema: {
        tags: ["organizations"],
        summary: "End a post on a date",
        params: IdParams,
        body: Type.Object({ endedOn: DateOnly }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await endPost(app.ctx.database.db, actor, req.params.id, req.body.endedOn);
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/api/persons/:id/posts",
    {
      schema: { tags: ["organizations"], summary: "Posts a person holds (or held) in the bodies you may read", params: IdParams, querystring: IncludeEnded, response: { 200: Type.Object({ items: Type.Array(Post) }), ...errorResponses(401, 404) } },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listPersonPosts(app.ctx.database.db, actor, req.params.id, { includeEnded: req.query.includeEnded, lang: pickLang(req.headers["accept-language"]) }) };
    },
  );

  app.get(
    "/api/areas/:id/cross-appointments",
    {
      schema: {
        tags: ["organizations"],
        summary: "交叉任职: persons holding open posts in two or more bodies under an area",
        params: IdParams,
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ personId: Type.Union([Type.String(), Type.Null()], { description: "null when you may not read the person" }), personName: Type.String(), personInRegistry: Type.Boolean(), posts: Type.Array(Post) })) }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listCrossAppointments(app.ctx.database.db, actor, req.params.id, pickLang(req.headers["accept-language"])) };
    },
  );

  app.post(
    "/api/organizations/:id/committee-seats",
    {
      schema: {
        tags: ["organizations"],
        summary: "大党委: seat a member of a co-building unit part-time in the community party committee (existing person, or a new person without a household), with their post in the unit",
        params: IdParams,
        body: Type.Object(
          {
            coBuildingUnitId: Type.String({ format: "uuid" }),
            person: Type.Union([
              Type.Object({ personId: Type.String({ format: "uuid" }) }, { additionalProperties: false }),
              Type.Object(
                { name: Name, gender: Type.Union([Type.Literal("male"), Type.Literal("female")]), birthYear: Type.Integer({ minimum: 1900, maximum: 2100 }) },
                { additionalProperties: false },
              ),
            ]),
            title: Title,
            unitTitle: Title,
            startedOn: Type.Optional(Nullable(DateOnly)),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ personId: Type.String(), postId: Type.String(), unitPostId: Nullable(Type.String()) }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await addCommitteeSeat(app.ctx.database.db, actor, req.params.id, req.body));
    },
  );
}
