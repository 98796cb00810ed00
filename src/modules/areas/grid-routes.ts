/** HTTP for grid history, split, merge and the GeoJSON import of a community's grids. */
import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../platform/http/schemas.js";
import { AppError, formatMessage, pickLang } from "../../platform/errors.js";
import { Day, GeometrySchema, GridTypeSchema, LineageLink, LineStringSchema } from "./http-schemas.js";
import { mergeGrids, splitGrid } from "./reshape.js";
import { gridHistory } from "./service.js";
import { importGrids, localizeGridImport } from "./grid-import.js";
import { maxRepairM2 } from "./repair.js";
import type { Geometry } from "./geo.js";
import type { LineString } from "./partition.js";

const Contents = named("GridContents", Type.Object({
  buildings: Type.Integer(),
  dwellings: Type.Integer(),
  households: Type.Integer(),
  persons: Type.Integer(),
  openCases: Type.Integer({ description: "cases not yet closed; they follow their point into the new grids" }),
}));
const ReshapeResult = named("GridReshapeResult", Type.Object({
  dryRun: Type.Boolean(),
  effectiveOn: Type.String(),
  retired: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), code: Nullable(Type.String()) })),
  grids: Type.Array(
    Type.Object({
      id: Nullable(Type.String()),
      name: Type.String(),
      code: Nullable(Type.String()),
      gridType: GridTypeSchema,
      boundary: GeometrySchema,
      areaM2: Type.Number(),
      contents: Contents,
    }),
  ),
  organizations: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), target: Nullable(Type.Integer()) })),
  grantsCopied: Type.Integer(),
  unlocated: Contents,
}));

const RepairParty = Type.Object({
  feature: Nullable(Type.Integer({ description: "an imported feature, by number" })),
  id: Nullable(Type.String({ description: "a current grid that stays" })),
  name: Type.String(),
});
/** One change made by the repair of an import (`repair.ts`). */
const GridImportRepair = named("GridImportRepair", Type.Object({
  kind: Type.Union([
    Type.Literal("duplicate_points"),
    Type.Literal("spike"),
    Type.Literal("self_intersection"),
    Type.Literal("outside"),
    Type.Literal("overlap"),
    Type.Literal("gap"),
  ]),
  feature: Type.Integer({ description: "the feature whose shape changed" }),
  name: Type.String(),
  areaM2: Type.Number({ description: "m² moved (overlap given up, gap taken in, part outside cut off); self_intersection: the rebuilt area; 0 for vertices and spikes" }),
  from: Nullable(RepairParty),
  to: Nullable(RepairParty),
  at: Type.Optional(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 })),
  code: Type.String(),
  message: Type.String(),
}));

/** A GeoJSON import's report (`GridImportOutcome` after `localizeGridImport`: messages in the request's language). */
const GridImportOutcome = named("GridImportOutcome", Type.Object({
  ok: Type.Boolean(),
  dryRun: Type.Boolean(),
  effectiveOn: Type.String(),
  summary: Type.Object({
    total: Type.Integer(),
    invalid: Type.Integer(),
    created: Type.Integer(),
    redrawn: Type.Integer(),
    retired: Type.Integer(),
    repaired: Type.Integer({ description: "features whose shape the repair changed" }),
  }),
  problems: Type.Array(Type.Object({ feature: Type.Integer({ description: "1-based position in the collection" }), name: Nullable(Type.String()), code: Type.String(), message: Type.String() })),
  repairs: Type.Array(GridImportRepair, { description: "with repair=true: each change made (written as listed unless dryRun); empty otherwise" }),
  grids: Type.Array(
    Type.Object({
      feature: Type.Integer(),
      id: Nullable(Type.String()),
      name: Type.String(),
      code: Nullable(Type.String()),
      gridType: GridTypeSchema,
      action: Type.Union([Type.Literal("create"), Type.Literal("redraw")]),
    }),
  ),
  retired: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), code: Nullable(Type.String()) })),
  lineage: Type.Array(Type.Object({ from: Type.String(), feature: Type.Integer(), to: Nullable(Type.String()), kind: Type.Union([Type.Literal("split"), Type.Literal("merge")]) })),
  grantsCopied: Type.Integer(),
  staffCopied: Type.Integer(),
  unlocated: Contents,
}));

const Name = Type.String({ minLength: 1, maxLength: 100 });
const GridCode = Type.String({ pattern: "^[0-9]{15}$", description: "community code + 3 digits; next free when absent" });

export async function gridRoutes(app: App): Promise<void> {
  // GeoJSON files arrive as application/geo+json as well as application/json.
  app.addContentTypeParser("application/geo+json", { parseAs: "string", bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError("invalid_json"), undefined);
    }
  });

  app.get(
    "/api/areas/:id/history",
    {
      schema: {
        tags: ["areas"],
        summary: "An area's boundary, name and code versions by validity dates, and (a grid) the grids it was split or merged from and into",
        params: IdParams,
        response: {
          200: Type.Object({
            versions: Type.Array(
              Type.Object({
                id: Type.String(),
                boundary: GeometrySchema,
                validFrom: Type.String(),
                validTo: Nullable(Type.String()),
                reason: Type.String(),
                recordedAt: Type.String(),
              }),
            ),
            names: Type.Array(
              Type.Object({
                name: Type.String(),
                code: Nullable(Type.String()),
                validFrom: Type.String(),
                validTo: Nullable(Type.String()),
                reason: Type.Union([Type.Literal("created"), Type.Literal("renamed"), Type.Literal("recoded")]),
              }),
              { description: "the area's name and code by validity dates (rename, re-code)" },
            ),
            predecessors: Type.Array(LineageLink),
            successors: Type.Array(LineageLink),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return gridHistory(app.ctx.database.db, actor, req.params.id);
    },
  );

  app.post(
    "/api/areas/:id/split",
    {
      schema: {
        tags: ["areas"],
        summary:
          "Split a grid into parts (polygons, or cut along a LineString) as of effectiveOn; contents move by location, grants are copied, the grid's party organizations are listed (or re-pointed). dryRun previews.",
        params: IdParams,
        body: Type.Object(
          {
            parts: Type.Optional(
              Type.Array(
                Type.Object(
                  { name: Type.Optional(Name), code: Type.Optional(GridCode), gridType: Type.Optional(GridTypeSchema), boundary: Type.Optional(GeometrySchema) },
                  { additionalProperties: false },
                ),
                { maxItems: 20 },
              ),
            ),
            cutLine: Type.Optional(LineStringSchema),
            effectiveOn: Type.Optional(Day),
            dryRun: Type.Boolean({ default: false }),
            organizations: Type.Optional(Type.Array(Type.Object({ id: Uuid, part: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: ReshapeResult, 201: ReshapeResult, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const result = await splitGrid(app.ctx.database.db, actor, {
        gridId: req.params.id,
        parts: req.body.parts?.map((p) => ({ ...p, boundary: p.boundary as Geometry | undefined })),
        cutLine: req.body.cutLine as LineString | undefined,
        effectiveOn: req.body.effectiveOn,
        dryRun: req.body.dryRun,
        organizations: req.body.organizations,
      });
      return reply.status(result.dryRun ? 200 : 201).send(result);
    },
  );

  app.post(
    "/api/areas/merge",
    {
      schema: {
        tags: ["areas"],
        summary: "Merge neighbouring grids of one community into one as of effectiveOn; the union must be one polygon. dryRun previews.",
        body: Type.Object(
          {
            gridIds: Type.Array(Uuid, { minItems: 2, maxItems: 20 }),
            name: Name,
            code: Type.Optional(GridCode),
            gridType: Type.Union([Type.Literal("comprehensive"), Type.Literal("dedicated")], { default: "comprehensive" }),
            effectiveOn: Type.Optional(Day),
            dryRun: Type.Boolean({ default: false }),
            repointOrganizations: Type.Boolean({ default: false }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ReshapeResult, 201: ReshapeResult, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const result = await mergeGrids(app.ctx.database.db, actor, req.body);
      return reply.status(result.dryRun ? 200 : 201).send(result);
    },
  );

  app.post(
    "/api/imports/grids",
    {
      schema: {
        tags: ["imports"],
        summary:
          "Import a community's grids from a GeoJSON FeatureCollection (application/json or application/geo+json); properties name, code (optional), type 综合/专属. Every feature is validated first; any problem → 422 with the report and nothing written. replace=true retires the current grids as of effectiveOn (a feature with a current grid's code redraws it). repair=true with repairMaxM2 repairs what lies within the threshold and lists each change; nothing is repaired unasked.",
        querystring: Type.Object(
          {
            communityId: Uuid,
            dryRun: Type.Boolean({ default: false }),
            replace: Type.Boolean({ default: false }),
            effectiveOn: Type.Optional(Day),
            repair: Type.Boolean({ default: false, description: "repair shapes, overlaps, gaps and slivers outside the community within repairMaxM2 (each change listed in repairs)" }),
            repairMaxM2: Type.Optional(Type.Number({ minimum: 0, maximum: maxRepairM2, description: "with repair: the largest overlap, gap or sliver (m²) repaired; larger ones are refused" })),
          },
          { additionalProperties: false },
        ),
        body: Type.Object(
          {
            type: Type.Literal("FeatureCollection"),
            features: Type.Array(Type.Unknown(), { maxItems: 5000 }),
            name: Type.Optional(Type.String()),
            crs: Type.Optional(Type.Unknown()),
            bbox: Type.Optional(Type.Array(Type.Number())),
          },
          { additionalProperties: false },
        ),
        response: {
          ...errorResponses(401, 403, 404, 413, 415),
          200: GridImportOutcome,
          422: Type.Object({ code: Type.String(), message: Type.String(), problems: Type.Array(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const outcome = await importGrids(app.ctx.database.db, actor, {
        communityId: req.query.communityId,
        features: req.body.features,
        dryRun: req.query.dryRun,
        replace: req.query.replace,
        effectiveOn: req.query.effectiveOn,
        repair: req.query.repair,
        repairMaxM2: req.query.repairMaxM2,
      });
      const lang = pickLang(req.headers["accept-language"]);
      if (!outcome.ok) {
        const body = {
          code: "grid_import_rejected",
          message: formatMessage("grid_import_rejected", lang, { bad: outcome.summary.invalid, total: outcome.summary.total }),
          requestId: req.id,
          ...localizeGridImport(outcome, lang),
        };
        return reply.status(422).send(body);
      }
      return localizeGridImport(outcome, lang);
    },
  );
}
