/**
 * HTTP for ledgers: imports (file as the raw request body), their progress as jobs, the
 * column-mapping preview, templates, and masked or clear exports.
 */
import { Type } from "typebox";
import type { FastifyReply } from "fastify";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, named, Nullable } from "../../platform/http/schemas.js";
import { fileNameHeader, jsonHeader } from "../../platform/http/headers.js";
import { AppError, formatMessage, pickLang } from "../../platform/errors.js";
import { reportXlsx, writeXlsx } from "../../platform/tabular/index.js";
import { exportLedger } from "./export.js";
import { importLedger, ledgerArea, ledgers, previewImport, templateColumns, type ImportOutcome } from "./import.js";
import { ImportJobs, localizeJob } from "./jobs.js";
import { localizeOutcome } from "../../platform/tabular/index.js";
import { ledgerKinds, type LedgerKindName } from "./ledger.js";

const fileTypes = ["application/octet-stream", "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-excel"];
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const KindParams = Type.Object({ kind: Type.Union(ledgerKinds.map((k) => Type.Literal(k))) }, { additionalProperties: false });
/** File-level errors carry `issues` (the column-mapping problems) besides the usual shape. */
const FileError = Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true });
const Binary = Type.Unsafe<Buffer>({ type: "string", format: "binary", description: "an .xlsx file" });
const Kind = Type.Unsafe<LedgerKindName>(Type.Union(ledgerKinds.map((k) => Type.Literal(k))));
/** One bad row of a report (`Problem`, in the request's language): the sheet row, the column, what is wrong; never a cell's value. */
const Problem = Type.Object({
  row: Type.Integer({ description: "1-based sheet row" }),
  column: Type.Optional(Type.String({ description: "header text" })),
  columnIndex: Type.Optional(Type.Integer({ description: "0-based" })),
  field: Type.Optional(Type.String()),
  reason: Type.String(),
  message: Type.String(),
  code: Type.Optional(Type.String()),
});
/** An import's report (`ImportOutcome`); the 422 of a rejected import carries the same fields. */
const Outcome = named("LedgerImportOutcome", Type.Object({
  ok: Type.Boolean(),
  written: Type.Integer(),
  summary: Type.Object({ total: Type.Integer(), valid: Type.Integer(), invalid: Type.Integer(), problemCount: Type.Integer(), omittedProblems: Type.Integer() }),
  problems: Type.Array(Problem),
  mapping: Type.Record(Type.String(), Nullable(Type.String()), { description: "field → header used" }),
  headers: Type.Array(Type.String()),
}));
/** What the column-mapping step needs (`ImportPreview`): headers, row count, the suggested mapping; no cell values. */
const Preview = named("LedgerImportPreview", Type.Object({
  format: Type.Union([Type.Literal("xlsx"), Type.Literal("csv")]),
  sheetName: Nullable(Type.String()),
  headers: Type.Array(Type.String()),
  rowCount: Type.Integer(),
  suggestion: Type.Record(Type.String(), Nullable(Type.String()), { description: "field → suggested header" }),
  unknownHeaders: Type.Array(Type.String()),
  missingRequired: Type.Array(Type.String()),
  fields: Type.Array(Type.Object({ key: Type.String(), label: Type.String(), required: Type.Boolean(), aliases: Type.Array(Type.String()) })),
}));
const MappingIssue = Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()), column: Type.Optional(Type.String()) });
const Job = named("LedgerJob", Type.Object(
  {
    id: Type.String({ format: "uuid" }),
    kind: Kind,
    areaId: Type.String(),
    dryRun: Type.Boolean(),
    phase: Type.Union([Type.Literal("reading"), Type.Literal("validating"), Type.Literal("writing"), Type.Literal("done"), Type.Literal("failed")]),
    done: Type.Integer(),
    total: Type.Union([Type.Integer(), Type.Null()]),
    startedAt: Type.String(),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.Union([Outcome, Type.Null()]),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String(), issues: Type.Optional(Type.Array(MappingIssue)) }, { additionalProperties: true }), Type.Null()]),
  },
  { additionalProperties: false },
));

function sendXlsx(reply: FastifyReply, name: string, file: Buffer) {
  return reply
    .header("content-type", xlsxType)
    .header("content-disposition", `attachment; filename="ledger.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .header("cache-control", "no-store")
    .send(file);
}

export async function ledgerRoutes(app: App): Promise<void> {
  /** One registry per app (per process); see jobs.ts. */
  const jobs = new ImportJobs();
  // The file travels as the raw request body (no multipart), up to 50 MB.
  app.addContentTypeParser(fileTypes, { parseAs: "buffer", bodyLimit: 50 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    "/api/imports/:kind",
    {
      schema: {
        tags: ["imports"],
        summary:
          "Import a ledger — persons, households, party-members or buildings — (.xlsx or .csv as the raw body; header x-file-name). Every row is validated first; any problem → 422 with the report and nothing written. dryRun=true only validates. async=true answers 202 with a job to poll at /api/imports/jobs/{id}. Optional headers: x-column-mapping (URL-encoded JSON field → header), x-ignore-columns (URL-encoded JSON array of headers).",
        params: KindParams,
        querystring: Type.Object(
          { areaId: Type.String({ format: "uuid" }), dryRun: Type.Boolean({ default: false }), async: Type.Boolean({ default: false }) },
          { additionalProperties: false },
        ),
        response: {
          ...errorResponses(401, 403, 404, 413),
          400: FileError,
          415: FileError,
          200: Outcome,
          202: Job,
          422: Type.Object({ code: Type.String(), message: Type.String(), problems: Type.Array(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      if (!Buffer.isBuffer(req.body)) throw new AppError("unsupported_media_type");
      const kind = req.params.kind as LedgerKindName;
      const db = app.ctx.database.db;
      const options = {
        areaId: req.query.areaId,
        file: { bytes: req.body, fileName: fileNameHeader(req.headers["x-file-name"]) },
        mapping: jsonHeader<Record<string, string | null>>(req.headers["x-column-mapping"], "x-column-mapping"),
        ignoreColumns: jsonHeader<string[]>(req.headers["x-ignore-columns"], "x-ignore-columns"),
        dryRun: req.query.dryRun,
        gridIndex: app.ctx.gridIndex,
      };
      if (req.query.async) {
        await ledgerArea(db, actor, req.query.areaId, "import");
        const job = jobs.start({ ownerId: actor.userId, kind, areaId: req.query.areaId, dryRun: req.query.dryRun }, (onProgress) =>
          importLedger(db, app.ctx.keyring, actor, kind, { ...options, onProgress }),
        );
        return reply.status(202).send(localizeJob(job, pickLang(req.headers["accept-language"])));
      }
      const outcome = await importLedger(db, app.ctx.keyring, actor, kind, options);
      if (!outcome.ok) return reply.status(422).send(rejection(outcome, req.headers["accept-language"], req.id));
      return localizeOutcome(outcome, pickLang(req.headers["accept-language"]));
    },
  );

  app.post(
    "/api/imports/:kind/preview",
    {
      schema: {
        tags: ["imports"],
        summary: "Read only the headers of a ledger file (raw body) and suggest the column mapping; no cell values are returned.",
        params: KindParams,
        querystring: Type.Object({ areaId: Type.String({ format: "uuid" }) }, { additionalProperties: false }),
        response: { ...errorResponses(401, 403, 404, 413), 400: FileError, 415: FileError, 200: Preview },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      if (!Buffer.isBuffer(req.body)) throw new AppError("unsupported_media_type");
      return previewImport(app.ctx.database.db, actor, req.params.kind, {
        areaId: req.query.areaId,
        file: { bytes: req.body, fileName: fileNameHeader(req.headers["x-file-name"]) },
      });
    },
  );

  app.get(
    "/api/imports/:kind/template",
    {
      schema: {
        tags: ["imports"],
        summary: "An empty .xlsx of the ledger with its column names, to fill in",
        params: KindParams,
        response: { ...errorResponses(401), 200: Binary },
      },
    },
    async (req, reply) => {
      await authenticate(req);
      const kind = req.params.kind as LedgerKindName;
      const label = ledgers[kind].definition.label ?? kind;
      return sendXlsx(reply, `${label}模板.xlsx`, await writeXlsx({ sheetName: label, columns: templateColumns(kind), rows: [] }));
    },
  );

  app.get(
    "/api/imports/jobs/:id",
    {
      schema: {
        tags: ["imports"],
        summary: "Progress of an import job (phase reading|validating|writing|done|failed, done of total, outcome); only the user who started it sees it",
        params: Type.Object({ id: Type.String({ format: "uuid" }) }, { additionalProperties: false }),
        response: { ...errorResponses(401, 404), 200: Job },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      const job = jobs.get(req.params.id, actor.userId);
      if (!job) throw new AppError("not_found");
      return localizeJob(job, pickLang(req.headers["accept-language"]));
    },
  );

  app.get(
    "/api/imports/jobs/:id/report",
    {
      schema: {
        tags: ["imports"],
        summary: "The problem report of a finished import job as .xlsx (行号, 列, 问题)",
        params: Type.Object({ id: Type.String({ format: "uuid" }) }, { additionalProperties: false }),
        response: { ...errorResponses(401, 404), 200: Binary },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const job = jobs.get(req.params.id, actor.userId);
      if (!job?.outcome) throw new AppError("not_found");
      const label = ledgers[job.kind].definition.label ?? job.kind;
      // The report is a Chinese sheet (行号, 列, 问题) for the community's files, whatever the language asked.
      const file = await reportXlsx(localizeOutcome(job.outcome, "zh-CN").problems, { omitted: job.outcome.summary.omittedProblems, title: `${label}导入问题（共 ${job.outcome.summary.invalid} 行）` });
      return sendXlsx(reply, `${label}导入问题.xlsx`, file);
    },
  );

  app.get(
    "/api/exports/:kind",
    {
      schema: {
        tags: ["imports"],
        summary: "Export a ledger of an area (grid, community, street) as .xlsx with personal data masked; audited",
        params: KindParams,
        querystring: Type.Object({ areaId: Type.String({ format: "uuid" }) }, { additionalProperties: false }),
        response: { ...errorResponses(401, 403, 404), 200: Binary },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const out = await exportLedger(app.ctx.database.db, app.ctx.keyring, actor, req.params.kind, { areaId: req.query.areaId });
      return sendXlsx(reply.header("x-row-count", String(out.rows)), out.fileName, out.file);
    },
  );

  app.post(
    "/api/exports/:kind",
    {
      schema: {
        tags: ["imports"],
        summary: "Export a ledger with clear values, for roles whose work needs them, with a stated purpose; audited once with the row count",
        params: KindParams,
        body: Type.Object({ areaId: Type.String({ format: "uuid" }), purpose: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { ...errorResponses(400, 401, 403, 404), 200: Binary },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const out = await exportLedger(app.ctx.database.db, app.ctx.keyring, actor, req.params.kind, {
        areaId: req.body.areaId,
        clear: { purpose: req.body.purpose },
      });
      return sendXlsx(reply.header("x-row-count", String(out.rows)), out.fileName, out.file);
    },
  );
}

function rejection(outcome: ImportOutcome, acceptLanguage: string | string[] | undefined, requestId: string) {
  const lang = pickLang(typeof acceptLanguage === "string" ? acceptLanguage : undefined);
  return {
    code: "import_rejected",
    message: formatMessage("import_rejected", lang, { rows: outcome.summary.invalid, total: outcome.summary.total }),
    requestId,
    ...localizeOutcome(outcome, lang),
  };
}
