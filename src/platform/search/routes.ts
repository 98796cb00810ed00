/**
 * POST /api/search: one box for persons, households, buildings, organizations and cases. The query
 * travels in the body because it may be an ID number (never in a URL or an access log).
 */
import { Type } from "typebox";
import type { App } from "../http/server.js";
import { authenticate } from "../http/auth.js";
import { errorResponses } from "../http/schemas.js";
import { AppError, pickLang } from "../errors.js";
import { queryWords } from "./segment.js";
import { searchKinds, type SearchHit, type SearchHitKind, type SearchProvider } from "./index.js";

export const searchQueryMaxLength = 60;
const defaultLimit = 5;

const Kind = Type.Union([Type.Literal("person"), Type.Literal("household"), Type.Literal("building"), Type.Literal("organization"), Type.Literal("case")]);

const Hit = Type.Object({
  kind: Kind,
  id: Type.String(),
  title: Type.String({ description: "masked as the kind's list masks it" }),
  detail: Type.String(),
  masked: Type.Boolean({ description: "the clear value is behind the record's audited reveal" }),
});

const Group = Type.Object({
  kind: Kind,
  items: Type.Array(Hit),
  more: Type.Boolean({ description: "more hits than `limit` exist" }),
});

export async function searchRoutes(app: App, opts: { providers: SearchProvider[] }): Promise<void> {
  const byKind = new Map<SearchHitKind, SearchProvider>();
  for (const p of opts.providers) for (const k of p.kinds) byKind.set(k, p);

  app.post(
    "/api/search",
    {
      schema: {
        tags: ["search"],
        summary: "Search persons (name or ID number), households (address), buildings, organizations and cases (number or words) within your scope",
        body: Type.Object(
          {
            q: Type.String({ minLength: 1, maxLength: searchQueryMaxLength }),
            kind: Type.Optional(Kind),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: `hits per kind, ${defaultLimit} by default` })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ groups: Type.Array(Group) }), ...errorResponses(400, 401) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      void reply.header("cache-control", "no-store");
      const text = req.body.q.trim();
      if (text === "") throw new AppError("validation_failed", { detail: "请输入要查找的内容" }, "q");
      const limit = req.body.limit ?? defaultLimit;
      const query = { text, words: queryWords(text), limit, keyring: app.ctx.keyring, lang: pickLang(req.headers["accept-language"]) };
      const providers = [...new Set(req.body.kind ? [byKind.get(req.body.kind)].filter((p) => p !== undefined) : opts.providers)];
      const db = app.ctx.database.db;
      const hits: SearchHit[] = [];
      // One after another: the embedded database serves one query at a time anyway.
      for (const p of providers) hits.push(...(await p.search(db, actor, query)));
      const groups = [];
      for (const kind of searchKinds) {
        if (req.body.kind && kind !== req.body.kind) continue;
        const items = hits.filter((h) => h.kind === kind);
        if (items.length > 0) groups.push({ kind, items: items.slice(0, limit), more: items.length > limit });
      }
      return { groups };
    },
  );
}
