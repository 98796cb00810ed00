import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, IdParams } from "../../platform/http/schemas.js";
import { getHousehold, listHouseholds, updateHousehold } from "./service.js";

const Household = Type.Object({
  id: Type.String(),
  gridId: Type.String(),
  gridName: Type.String(),
  address: Type.String({ description: "masked unless the role needs the clear value" }),
  headName: Type.String(),
  size: Type.Integer(),
  note: Type.Union([Type.String(), Type.Null()]),
  masked: Type.Boolean(),
  abilities: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});

export async function peopleRoutes(app: App): Promise<void> {
  app.get(
    "/api/households",
    {
      schema: {
        tags: ["people"],
        summary: "Households in your scope (masked), optionally under one area",
        querystring: Type.Object(
          {
            areaId: Type.Optional(Type.String({ format: "uuid" })),
            page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
            pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(Household), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listHouseholds(app.ctx.database.db, actor, { areaId: req.query.areaId, page: req.query.page, pageSize: req.query.pageSize });
    },
  );

  app.get(
    "/api/households/:id",
    { schema: { tags: ["people"], summary: "One household (clear values for roles that need them; audited)", params: IdParams, response: { 200: Household, ...errorResponses(401, 404) } } },
    async (req) => {
      const actor = await authenticate(req);
      return getHousehold(app.ctx.database.db, actor, req.params.id);
    },
  );

  app.patch(
    "/api/households/:id",
    {
      schema: {
        tags: ["people"],
        summary: "Update the worker's note on a household",
        params: IdParams,
        body: Type.Object({ note: Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]) }, { additionalProperties: false }),
        response: { 200: Household, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return updateHousehold(app.ctx.database.db, actor, req.params.id, { note: req.body.note });
    },
  );
}
