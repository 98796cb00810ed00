import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { pickLang } from "../../platform/errors.js";
import { errorResponses, IdParams, named, Nullable } from "../../platform/http/schemas.js";
import { areaGeoJson, getArea, listRootAreas, locatePoint, searchAreas, updateArea } from "./service.js";
import { communityTopology, createGrid } from "./grids.js";
import type { Geometry } from "./geo.js";
import { gridRoutes } from "./grid-routes.js";
import { gridStaffRoutes } from "./staff-routes.js";
import { areaAdminRoutes, AreaWarningSchema } from "./admin-routes.js";
import { localizeWarnings } from "./admin.js";
import { Day, GeometrySchema, LineageLink } from "./http-schemas.js";

const Level = Type.Union([
  Type.Literal("city"),
  Type.Literal("district"),
  Type.Literal("street"),
  Type.Literal("community"),
  Type.Literal("grid"),
  Type.Literal("microGrid"),
]);
const AreaSummary = named("AreaSummary", Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  level: Level,
  code: Nullable(Type.String()),
  name: Type.String(),
  childCount: Type.Integer(),
}));
const areaDetailProperties = {
  id: Type.String(),
  parentId: Nullable(Type.String()),
  level: Level,
  code: Nullable(Type.String()),
  name: Type.String(),
  childCount: Type.Integer(),
  gridType: Nullable(Type.Union([Type.Literal("comprehensive"), Type.Literal("dedicated")])),
  householdCount: Type.Integer(),
  bbox: Nullable(Type.Array(Type.Number(), { minItems: 4, maxItems: 4 })),
  validFrom: Nullable(Type.String()),
  validTo: Nullable(Type.String()),
  predecessors: Type.Array(LineageLink),
  successors: Type.Array(LineageLink),
  abilities: Type.Object({
    update: Type.Boolean(),
    drawGrids: Type.Boolean(),
    manage: Type.Boolean({ description: "re-code or retire this district, street or community" }),
    addChild: Type.Boolean({ description: "create a district, street or community below (and import a street's communities)" }),
  }),
};
const AreaDetail = named("AreaDetail", Type.Object(areaDetailProperties));
const AreaUpdated = named("AreaUpdated", Type.Object({ ...areaDetailProperties, warnings: Type.Array(AreaWarningSchema) }));

const TopologyGridRef = Type.Object({ id: Type.String(), name: Type.String() });
/** 网格拓扑检查 of a community (`communityTopology`): areas in m², messages in the request's language. */
const TopologyReport = named("TopologyReport", Type.Object({
  ok: Type.Boolean(),
  communityAreaM2: Type.Number(),
  overlaps: Type.Array(Type.Object({ gridA: TopologyGridRef, gridB: TopologyGridRef, areaM2: Type.Number(), geometry: GeometrySchema, message: Type.String() })),
  gaps: Type.Array(Type.Object({ areaM2: Type.Number(), geometry: GeometrySchema, message: Type.String() })),
  outside: Type.Array(Type.Object({ grid: TopologyGridRef, areaM2: Type.Number(), geometry: GeometrySchema, message: Type.String() })),
  invalid: Type.Array(
    Type.Object({
      grid: Type.Union([TopologyGridRef, Type.Null()], { description: "null: the community's own boundary is malformed" }),
      problems: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
}));

export async function areaRoutes(app: App): Promise<void> {
  await app.register(gridRoutes);
  await app.register(gridStaffRoutes);
  await app.register(areaAdminRoutes);

  app.get(
    "/api/areas/roots",
    { schema: { tags: ["areas"], summary: "The area nodes the user was granted (top of what they may browse)", response: { 200: Type.Object({ items: Type.Array(AreaSummary) }), ...errorResponses(401) } } },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listRootAreas(app.ctx.database.db, actor) };
    },
  );

  app.get(
    "/api/areas/search",
    {
      schema: {
        tags: ["areas"],
        summary: "Areas in scope whose name or code contains q",
        querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 50 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(AreaSummary) }), ...errorResponses(401) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await searchAreas(app.ctx.database.db, actor, req.query.q) };
    },
  );

  app.get(
    "/api/areas/locate",
    {
      schema: {
        tags: ["areas"],
        summary: "Resolve a point (WGS 84) to its grid and community; with at=YYYY-MM-DD, the grid that held it that day",
        querystring: Type.Object(
          { lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }), at: Type.Optional(Day) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ grid: AreaSummary, community: Nullable(AreaSummary) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      await authenticate(req);
      return locatePoint(app.ctx.database.db, app.ctx.gridIndex, req.query.lng, req.query.lat, req.query.at);
    },
  );

  app.get(
    "/api/areas/:id",
    {
      schema: {
        tags: ["areas"],
        summary: "An area with its ancestors and children in force (on `at`, default today); a retired grid answers with its validity and successors (404 outside your scope)",
        params: IdParams,
        querystring: Type.Object({ at: Type.Optional(Day) }, { additionalProperties: false }),
        response: { 200: Type.Object({ area: AreaDetail, ancestors: Type.Array(AreaSummary), children: Type.Array(AreaSummary) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return getArea(app.ctx.database.db, actor, req.params.id, req.query.at);
    },
  );

  app.get(
    "/api/areas/:id/geojson",
    {
      schema: {
        tags: ["areas"],
        summary: "GeoJSON FeatureCollection of the area's boundary and the communities and grids below it (grids in force today, or as they were on `at`)",
        params: IdParams,
        querystring: Type.Object({ at: Type.Optional(Day) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            type: Type.Literal("FeatureCollection"),
            features: Type.Array(
              Type.Object({
                type: Type.Literal("Feature"),
                geometry: GeometrySchema,
                properties: Type.Object({
                  id: Type.String(),
                  name: Type.String(),
                  code: Nullable(Type.String()),
                  level: Level,
                  parentId: Nullable(Type.String()),
                  gridType: Nullable(Type.String()),
                  validFrom: Nullable(Type.String()),
                  validTo: Nullable(Type.String()),
                }),
              }),
            ),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const fc = await areaGeoJson(app.ctx.database.db, actor, req.params.id, req.query.at);
      return reply.type("application/geo+json").send(fc);
    },
  );

  app.patch(
    "/api/areas/:id",
    {
      schema: {
        tags: ["areas"],
        summary:
          "Rename an area, re-code a district, street or community (its subtree's codes follow), change a grid's type or redraw a boundary (as of effectiveOn, default today: the old name, code and boundary stay in the history). A boundary other than a grid's is checked against its parent and siblings; gaps come back as warnings.",
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            code: Type.Optional(Type.String({ pattern: "^[0-9]{6,12}$", description: "a district's, street's or community's new division code" })),
            gridType: Type.Optional(Type.Union([Type.Literal("comprehensive"), Type.Literal("dedicated")])),
            boundary: Type.Optional(GeometrySchema),
            effectiveOn: Type.Optional(Day),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: AreaUpdated, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      const updated = await updateArea(app.ctx.database.db, actor, req.params.id, {
        name: req.body.name,
        code: req.body.code,
        gridType: req.body.gridType,
        boundary: req.body.boundary as Geometry | undefined,
        effectiveOn: req.body.effectiveOn,
      });
      return { ...updated, warnings: localizeWarnings(updated.warnings, pickLang(req.headers["accept-language"])) };
    },
  );

  app.post(
    "/api/areas",
    {
      schema: {
        tags: ["areas"],
        summary: "Draw a new grid in a community (checked: valid polygon, inside the community, no overlap)",
        body: Type.Object(
          {
            communityId: Type.String({ format: "uuid" }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            code: Type.Optional(Type.String({ pattern: "^[0-9]{15}$", description: "community code + 3 digits; next free when absent" })),
            gridType: Type.Union([Type.Literal("comprehensive"), Type.Literal("dedicated")], { default: "comprehensive" }),
            boundary: GeometrySchema,
            validFrom: Type.Optional(Type.String({ format: "date" })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ id: Type.String(), code: Nullable(Type.String()) }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const created = await createGrid(app.ctx.database.db, actor, { ...req.body, boundary: req.body.boundary as Geometry });
      return reply.status(201).send(created);
    },
  );

  app.get(
    "/api/areas/:id/topology",
    {
      schema: {
        tags: ["areas"],
        summary: "Topology check of a community's grids: gaps, overlaps, parts outside, malformed polygons (areas in m²)",
        params: IdParams,
        response: { 200: TopologyReport, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return communityTopology(app.ctx.database.db, actor, req.params.id, pickLang(req.headers["accept-language"]));
    },
  );
}
