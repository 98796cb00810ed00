import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, Nullable } from "../../platform/http/schemas.js";
import { pickLang } from "../../platform/errors.js";
import { organizationTree } from "./service.js";

const OrgNode = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  kind: Type.String(),
  kindLabel: Type.String(),
  party: Type.Boolean(),
  name: Type.String(),
  areaId: Nullable(Type.String()),
  areaName: Nullable(Type.String()),
  memberCount: Type.Integer({ description: "party members whose organization relation is held here" }),
});

export async function orgRoutes(app: App): Promise<void> {
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
}
