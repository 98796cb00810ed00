/**
 * HTTP for intake: report a case, upload and fetch its photos, similar open cases nearby, merge a
 * duplicate, and the 12345 hotline import. Photos and the import read raw bodies, each with its
 * own parser in its own encapsulated plugin.
 */
import { Type } from "typebox";
import type { FastifyRequest } from "fastify";
import type { App } from "../../../platform/http/server.js";
import { authenticate } from "../../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../../platform/http/schemas.js";
import { fileNameHeader } from "../../../platform/http/headers.js";
import { AppError, formatMessage, pickLang } from "../../../platform/errors.js";
import { writeXlsx } from "../../../platform/tabular/index.js";
import { localizeOutcome } from "../../../platform/tabular/index.js";
import { descriptionMaxLength, findReportingPerson, sourceOf, submissionReceipt, submitCase } from "./intake.js";
import { photoMimes, readPhoto, storePhoto } from "../photos.js";
import { findSimilarCases, mergeCase } from "./similar.js";
import { hotlineImportArea, hotlineTemplateColumns, importHotline, type HotlineImportOutcome } from "./hotline-import.js";

const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const IsoTime = Type.String({ format: "date-time" });

const ReportBody = Type.Object(
  {
    categoryCode: Type.String({ minLength: 1, maxLength: 20, description: "sub-category code (小类) of the catalogue in use" }),
    description: Type.String({ minLength: 1, maxLength: descriptionMaxLength }),
    urgency: Type.Optional(Type.Union([Type.Literal("normal"), Type.Literal("urgent"), Type.Literal("emergency")])),
    lng: Type.Optional(Lng),
    lat: Type.Optional(Lat),
    buildingId: Type.Optional(Uuid),
    locationText: Type.Optional(Type.String({ maxLength: 200 })),
    anonymous: Type.Optional(Type.Boolean()),
    contactName: Type.Optional(Type.String({ maxLength: 30 })),
    contactPhone: Type.Optional(Type.String({ maxLength: 30, description: "kept encrypted; shown masked to the case's handlers only" })),
    photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 9, description: "photos uploaded first with POST /api/case-photos" })),
    idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: "or the Idempotency-Key header" })),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    reporterPersonId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

const Receipt = named("CaseReceipt", Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  status: Type.String(),
  gridId: Type.String(),
  gridName: Type.String(),
  level: Type.Union([Type.Literal("grid"), Type.Literal("community"), Type.Literal("street"), Type.Literal("district"), Type.Literal("department")]),
  responseDueAt: Nullable(Type.String()),
  handleDueAt: Nullable(Type.String()),
  receiptEntryId: Nullable(Type.Integer()),
}));

const Similar = Type.Union([
  Type.Object(
    {
      kind: Type.Literal("case"),
      id: Type.String(),
      caseNo: Type.String(),
      status: Type.String(),
      statusLabel: Type.String(),
      distanceM: Type.Integer(),
      submittedAt: IsoTime,
      excerpt: Type.String({ description: "first words of the description, digits hidden" }),
    },
    { description: "a case the asker may read" },
  ),
  Type.Object(
    {
      kind: Type.Literal("board"),
      summary: Type.Object({ zh: Type.String(), en: Type.String() }, { description: "the public board's phrase: source and category" }),
      gridName: Type.String(),
      status: Type.String(),
      statusLabel: Type.String(),
      submittedOn: Type.String({ description: "China calendar day" }),
    },
    { description: "for a resident, another open case as the public board shows it: no number, no words of the reporter, no distance" },
  ),
]);

const Photo = named("CasePhoto", Type.Object({ id: Type.String(), mime: Type.String(), size: Type.Integer(), width: Nullable(Type.Integer()), height: Nullable(Type.Integer()), sha256: Type.String() }));
const Binary = Type.Unsafe<Buffer>({ type: "string", format: "binary" });
const FileError = Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true });
/**
 * What a hotline import answers (200), and with code and message on 422: described field by field
 * so the console reads the report through the generated types. Problems keep any further fields.
 */
const HotlineReport = named("HotlineImportReport", Type.Object({
  ok: Type.Boolean(),
  written: Type.Integer(),
  summary: Type.Object({ total: Type.Integer(), valid: Type.Integer(), invalid: Type.Integer(), problemCount: Type.Integer(), omittedProblems: Type.Integer() }),
  problems: Type.Array(
    Type.Object(
      { row: Type.Integer(), column: Type.Optional(Type.String()), field: Type.Optional(Type.String()), reason: Type.String(), message: Type.String(), code: Type.Optional(Type.String()) },
      { additionalProperties: true, description: "one bad row or cell, without its value" },
    ),
  ),
  mapping: Type.Record(Type.String(), Nullable(Type.String()), { description: "each field's column header, null when not found" }),
  headers: Type.Array(Type.String()),
  cases: Type.Array(Type.Object({ row: Type.Integer(), ticket: Type.String(), caseId: Type.String(), caseNo: Type.String() }), { description: "empty on a dry run" }),
}, { additionalProperties: true }));
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const sheetTypes = ["application/octet-stream", "text/csv", xlsxType, "application/vnd.ms-excel"];

function idempotencyHeader(req: FastifyRequest): string | undefined {
  const v = req.headers["idempotency-key"];
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

export async function caseIntakeRoutes(app: App): Promise<void> {
  const db = () => app.ctx.database.db;

  app.post(
    "/api/cases",
    {
      schema: {
        tags: ["cases"],
        summary:
          "Report a case (受理登记). Source follows the role: a resident's report; a worker's patrol (巡查上报, registered at once in the grid worker's own grid); on behalf of a resident with reporterPersonId. A point (lng, lat) or a buildingId decides the grid. An Idempotency-Key (header or body) makes a repeat answer 409 case_duplicate_submission with the case number.",
        headers: Type.Object({ "idempotency-key": Type.Optional(Type.String({ maxLength: 100 })) }),
        body: ReportBody,
        response: { 201: Receipt, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const { idempotencyKey, ...body } = req.body;
      const key = idempotencyHeader(req) ?? idempotencyKey;
      const row = await submitCase(db(), app.ctx, actor, { ...body, source: sourceOf(actor, body), ...(key !== undefined ? { idempotencyKey: key } : {}) });
      return reply.status(201).send(await submissionReceipt(db(), row, app.ctx.gridIndex));
    },
  );

  app.post(
    "/api/cases/reporting-person",
    {
      schema: {
        tags: ["cases"],
        summary:
          "代居民反映: find the resident a worker reports for by exact ID number (in the body, never in the URL), within the worker's scope; masked name and grid only (worker roles)",
        body: Type.Object({ idNumber: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ id: Type.String(), name: Type.String({ description: "masked" }), gridName: Nullable(Type.String()) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      void reply.header("cache-control", "no-store");
      return findReportingPerson(db(), app.ctx.keyring, actor, req.body.idNumber);
    },
  );

  app.get(
    "/api/cases/similar",
    {
      schema: {
        tags: ["cases"],
        summary:
          "Open cases of the same sub-category within 200 m submitted in the last 7 days, nearest first (at most 5): those the asker may read, and for a resident the others at public-board level; no personal data",
        querystring: Type.Object({ categoryCode: Type.String({ minLength: 1, maxLength: 20 }), lng: Lng, lat: Lat }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Similar) }), ...errorResponses(401) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await findSimilarCases(db(), actor, req.query) };
    },
  );

  app.post(
    "/api/cases/:id/merge",
    {
      schema: {
        tags: ["cases"],
        summary: "Merge a submitted or registered case into an open case of the same sub-category (合并; dispatchers)",
        params: IdParams,
        body: Type.Object({ intoId: Uuid, note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ id: Type.String(), caseNo: Type.String(), status: Type.String(), mergedIntoId: Type.String(), intoCaseNo: Type.String() }),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      const { case: merged, into } = await mergeCase(db(), actor, req.params.id, req.body);
      return { id: merged.id, caseNo: merged.caseNo, status: merged.status, mergedIntoId: into.id, intoCaseNo: into.caseNo };
    },
  );

  await app.register(casePhotoRoutes);
  await app.register(hotlineImportRoutes);
}

/** Photos: the raw image is the body; any other type is read too, so that it is answered photo_not_image. */
async function casePhotoRoutes(app: App): Promise<void> {
  const maxBytes = app.ctx.config.photoMaxMb * 1024 * 1024;
  app.addContentTypeParser("*", (req, payload, done) => {
    const tooLarge = () => new AppError("photo_too_large", { maxMb: app.ctx.config.photoMaxMb });
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      payload.resume();
      done(tooLarge(), undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (err: Error | null, body?: Buffer) => {
      if (finished) return;
      finished = true;
      done(err, body);
    };
    payload.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish(tooLarge());
        return;
      }
      if (!finished) chunks.push(chunk);
    });
    payload.on("end", () => finish(null, Buffer.concat(chunks)));
    payload.on("error", (e) => finish(e));
  });

  app.post(
    "/api/case-photos",
    {
      schema: {
        tags: ["cases"],
        summary: `Upload a photo for a report (raw body, Content-Type ${photoMimes.join(" | ")}; at most GONGZHI_PHOTO_MAX_MB, default 8 MB, and 40 megapixels by its header; decoded in full, stored turned upright in the same format without EXIF/XMP/ICC metadata — size, sha256, width and height are the stored photo's). Attach it with photoIds when submitting.`,
        response: { 201: Photo, ...errorResponses(401, 413, 415) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      if (!Buffer.isBuffer(req.body)) throw new AppError("photo_not_image");
      return reply.status(201).send(await storePhoto(app.ctx.database.db, actor, req.body, req.headers["content-type"]));
    },
  );

  app.get(
    "/api/case-photos/:id",
    {
      schema: {
        tags: ["cases"],
        summary: "A case photo: for whoever may read its case, or its uploader until it is attached (Cache-Control: private)",
        params: IdParams,
        response: { 200: Binary, ...errorResponses(401, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      const photo = await readPhoto(app.ctx.database.db, actor, req.params.id);
      return reply
        .header("content-type", photo.mime)
        .header("cache-control", "private, max-age=86400")
        .header("etag", `"${photo.sha256}"`)
        .header("x-content-type-options", "nosniff")
        .send(photo.bytes);
    },
  );
}

/** 12345 hotline import: the sheet is the raw body, like the ledger imports. */
async function hotlineImportRoutes(app: App): Promise<void> {
  app.addContentTypeParser(sheetTypes, { parseAs: "buffer", bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.post(
    "/api/imports/hotline",
    {
      schema: {
        tags: ["imports"],
        summary:
          "Import 12345 hotline tickets (.xlsx or .csv as the raw body; header x-file-name) into a street or community: every row is validated first; any problem → 422 with the report and nothing written; dryRun=true only validates.",
        querystring: Type.Object({ areaId: Uuid, dryRun: Type.Boolean({ default: false }) }, { additionalProperties: false }),
        response: {
          ...errorResponses(401, 403, 404, 409, 413),
          400: FileError,
          415: FileError,
          200: HotlineReport,
          422: Type.Object({ code: Type.String(), message: Type.String(), problems: Type.Array(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
        },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      if (!Buffer.isBuffer(req.body)) throw new AppError("unsupported_media_type");
      const outcome = await importHotline(app.ctx.database.db, app.ctx, actor, {
        areaId: req.query.areaId,
        file: { bytes: req.body, fileName: fileNameHeader(req.headers["x-file-name"]) },
        dryRun: req.query.dryRun,
      });
      const lang = pickLang(req.headers["accept-language"]);
      if (!outcome.ok) return reply.status(422).send(rejection(outcome, lang, req.id));
      return localizeOutcome(outcome, lang);
    },
  );

  app.get(
    "/api/imports/hotline/template",
    {
      schema: {
        tags: ["imports"],
        summary: "An empty .xlsx with the hotline import's columns, to fill in",
        querystring: Type.Object({ areaId: Uuid }, { additionalProperties: false }),
        response: { 200: Binary, ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      await hotlineImportArea(app.ctx.database.db, actor, req.query.areaId);
      const file = await writeXlsx({ sheetName: "12345热线工单", columns: hotlineTemplateColumns(), rows: [] });
      return reply
        .header("content-type", xlsxType)
        .header("content-disposition", `attachment; filename="hotline.xlsx"; filename*=UTF-8''${encodeURIComponent("12345热线工单导入模板.xlsx")}`)
        .header("cache-control", "no-store")
        .send(file);
    },
  );
}

function rejection(outcome: HotlineImportOutcome, lang: "zh-CN" | "en", requestId: string) {
  return {
    code: "import_rejected",
    message: formatMessage("import_rejected", lang, { rows: outcome.summary.invalid, total: outcome.summary.total }),
    requestId,
    ...localizeOutcome(outcome, lang),
  };
}
