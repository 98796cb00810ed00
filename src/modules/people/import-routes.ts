import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses } from "../../platform/http/schemas.js";
import { AppError, formatMessage, pickLang } from "../../platform/errors.js";
import { importPersons } from "./import.js";

const fileTypes = ["application/octet-stream", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel"];

function jsonHeader<T>(value: string | string[] | undefined, name: string): T | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  try {
    return JSON.parse(decodeURIComponent(value)) as T;
  } catch {
    throw new AppError("validation_failed", { detail: `${name} must be URL-encoded JSON` }, name);
  }
}

export async function importRoutes(app: App): Promise<void> {
  // The file travels as the raw request body (no multipart), up to 50 MB.
  app.addContentTypeParser(fileTypes, { parseAs: "buffer", bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    "/api/imports/persons",
    {
      schema: {
        tags: ["imports"],
        summary:
          "Import a persons ledger (.xlsx or .csv as the raw body; header x-file-name). Every row is validated first; any problem → 422 with the report and nothing written. dryRun=true only validates. Optional headers: x-column-mapping (URL-encoded JSON field → header), x-ignore-columns (URL-encoded JSON array of headers).",
        querystring: Type.Object({ areaId: Type.String({ format: "uuid" }), dryRun: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        response: {
          ...errorResponses(401, 403, 404, 413, 415),
          200: Type.Object({ ok: Type.Boolean(), written: Type.Integer() }, { additionalProperties: true }),
          422: Type.Object({ code: Type.String(), message: Type.String(), problems: Type.Array(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      if (!Buffer.isBuffer(req.body)) throw new AppError("unsupported_media_type");
      const fileName = typeof req.headers["x-file-name"] === "string" ? decodeURIComponent(req.headers["x-file-name"]) : "upload";
      const outcome = await importPersons(app.ctx.database.db, app.ctx.keyring, actor, {
        areaId: req.query.areaId,
        file: { bytes: req.body, fileName },
        mapping: jsonHeader<Record<string, string | null>>(req.headers["x-column-mapping"], "x-column-mapping"),
        ignoreColumns: jsonHeader<string[]>(req.headers["x-ignore-columns"], "x-ignore-columns"),
        dryRun: req.query.dryRun,
      });
      if (!outcome.ok) {
        const lang = pickLang(req.headers["accept-language"]);
        const body = {
          code: "import_rejected",
          message: formatMessage("import_rejected", lang, { rows: outcome.summary.invalid, total: outcome.summary.total }),
          requestId: req.id,
          ...outcome,
        };
        return reply.status(422).send(body);
      }
      return outcome;
    },
  );
}
