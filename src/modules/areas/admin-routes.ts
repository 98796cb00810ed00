/** HTTP for area administration: division codes, new districts/streets/communities, retiring, community import. */
import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../platform/http/schemas.js";
import { AppError, formatMessage, pickLang } from "../../platform/errors.js";
import { setupNeeded } from "../../platform/setup/code.js";
import { Day, GeometrySchema } from "./http-schemas.js";
import { divisionChildren } from "./divisions.js";
import { createChildArea, localizeWarnings, retireArea } from "./admin.js";
import { importCommunities, localizeCommunityImport } from "./community-import.js";
import type { Geometry } from "./geo.js";

export const AreaWarningSchema = named(
  "AreaWarning",
  Type.Object({ code: Type.String(), message: Type.String(), areaM2: Type.Number() }, { description: "A boundary warning (a gap in the parent, a child outside); it never blocks" }),
);

const CommunityImportOutcome = named("CommunityImportOutcome", Type.Object({
  ok: Type.Boolean(),
  dryRun: Type.Boolean(),
  summary: Type.Object({ total: Type.Integer(), invalid: Type.Integer(), created: Type.Integer(), updated: Type.Integer() }),
  problems: Type.Array(Type.Object({ feature: Type.Integer({ description: "1-based position in the collection" }), name: Nullable(Type.String()), code: Type.String(), message: Type.String() })),
  communities: Type.Array(
    Type.Object({
      feature: Type.Integer(),
      id: Nullable(Type.String()),
      name: Type.String(),
      code: Nullable(Type.String()),
      action: Type.Union([Type.Literal("create"), Type.Literal("update")]),
    }),
  ),
  warnings: Type.Array(AreaWarningSchema),
}));

export async function areaAdminRoutes(app: App): Promise<void> {
  app.addContentTypeParser("application/geo+json", { parseAs: "string", bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new AppError("invalid_json"), undefined);
    }
  });

  app.get(
    "/api/divisions",
    {
      schema: {
        tags: ["areas"],
        summary:
          "Official division codes (统计用区划代码) below a parent: provinces without one; a province's cities, a city's districts, a district's streets, a street's communities. Open without login only while first-run setup is pending.",
        querystring: Type.Object({ parent: Type.Optional(Type.String({ pattern: "^[0-9]{6}([0-9]{3})?$", description: "6-digit province/city/district or 9-digit street code" })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })) }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      if (!(await setupNeeded(app.ctx.database.db))) await authenticate(req);
      const items = divisionChildren(req.query.parent);
      if (!items) throw new AppError("division_unknown", { code: req.query.parent ?? "" }, "parent");
      return { items };
    },
  );

  app.post(
    "/api/areas/:id/children",
    {
      schema: {
        tags: ["areas"],
        summary:
          "Create a district under a city, a street under a district or a community under a street (system admin; street admin: communities of their street). The boundary, if given, must be a sound polygon inside the parent, overlapping no sibling; gaps come back as warnings.",
        params: IdParams,
        body: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            code: Type.Optional(Type.String({ pattern: "^[0-9]{6,12}$", description: "division code extending the parent's; next free when absent" })),
            boundary: Type.Optional(GeometrySchema),
            validFrom: Type.Optional(Day),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({ id: Type.String(), level: Type.String(), code: Nullable(Type.String()), warnings: Type.Array(AreaWarningSchema) }),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const made = await createChildArea(app.ctx.database.db, actor, { parentId: req.params.id, name: req.body.name, code: req.body.code, boundary: req.body.boundary as Geometry | undefined, validFrom: req.body.validFrom });
      return reply.status(201).send({ ...made, warnings: localizeWarnings(made.warnings, pickLang(req.headers["accept-language"])) });
    },
  );

  app.post(
    "/api/areas/:id/retire",
    {
      schema: {
        tags: ["areas"],
        summary: "Retire a district, street or community as of effectiveOn (default today); refused while areas below it are in force or cases in it are open. Its history stays.",
        params: IdParams,
        body: Type.Object({ effectiveOn: Type.Optional(Day) }, { additionalProperties: false }),
        response: { 200: Type.Object({ id: Type.String(), validTo: Type.String() }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return retireArea(app.ctx.database.db, actor, req.params.id, { effectiveOn: req.body.effectiveOn });
    },
  );

  app.post(
    "/api/imports/communities",
    {
      schema: {
        tags: ["imports"],
        summary:
          "Import a street's communities from a GeoJSON FeatureCollection (properties name, optional code). A feature whose code (or, without one, name) is a community of the street redraws it; others create communities. Every feature is validated first; any problem → 422 with the report and nothing written. dryRun only checks.",
        querystring: Type.Object({ streetId: Uuid, dryRun: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        body: Type.Object(
          {
            type: Type.Literal("FeatureCollection"),
            features: Type.Array(Type.Unknown(), { maxItems: 2000 }),
            name: Type.Optional(Type.String()),
            crs: Type.Optional(Type.Unknown()),
            bbox: Type.Optional(Type.Array(Type.Number())),
          },
          { additionalProperties: false },
        ),
        response: {
          ...errorResponses(401, 403, 404, 413, 415),
          200: CommunityImportOutcome,
          422: Type.Object({ code: Type.String(), message: Type.String(), problems: Type.Array(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const outcome = await importCommunities(app.ctx.database.db, actor, { streetId: req.query.streetId, features: req.body.features, dryRun: req.query.dryRun });
      const lang = pickLang(req.headers["accept-language"]);
      if (!outcome.ok) {
        const body = {
          code: "community_import_rejected",
          message: formatMessage("community_import_rejected", lang, { bad: outcome.summary.invalid, total: outcome.summary.total }),
          requestId: req.id,
          ...localizeCommunityImport(outcome, lang),
        };
        return reply.status(422).send(body);
      }
      return localizeCommunityImport(outcome, lang);
    },
  );
}
