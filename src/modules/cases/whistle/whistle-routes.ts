/** HTTP for 街乡吹哨、部门报到: blow the whistle on a case, the summons queue, report in, finish, score. */
import { Type } from "typebox";
import type { App } from "../../../platform/http/server.js";
import { authenticate } from "../../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../../platform/http/schemas.js";
import { blowWhistle, endSummons, finishSummons, recordSummonsOnBehalf, listDepartments, listSummons, maxDepartmentsPerWhistle, maxEvidencePhotos, reportIn, scoreSummons, summonsStats } from "./whistle.js";

const DateTime = Type.String({ format: "date-time" });
const Label = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });
const SummonsStatus = Type.Union(
  [Type.Literal("summoned"), Type.Literal("reportedIn"), Type.Literal("finished"), Type.Literal("withdrawn"), Type.Literal("excused")],
  { description: "待报到 / 已报到 / 已办结 / 已撤回 / 已免予报到" },
);
const TimeLimitSchema = Type.Object(
  {
    value: Type.Number({ exclusiveMinimum: 0, maximum: 72 }),
    unit: Type.Union([Type.Literal("workingHours"), Type.Literal("workingDays"), Type.Literal("naturalHours")]),
  },
  { additionalProperties: false, description: "e.g. {value: 0.5, unit: naturalHours} = 30 分钟; {value: 2, unit: workingHours}; {value: 1, unit: workingDays}" },
);

const Summons = named("Summons", Type.Object({
  id: Type.String(),
  whistleId: Type.String(),
  status: SummonsStatus,
  departmentOrgId: Type.String(),
  departmentName: Type.String(),
  reportInDueAt: DateTime,
  reportedInAt: Nullable(DateTime),
  reportedInOnTime: Nullable(Type.Boolean()),
  finishedAt: Nullable(DateTime),
  finishNote: Nullable(Type.String()),
  evidence: Type.Array(Type.String(), { description: "photo ids (GET /api/case-photos/:id)" }),
  recordedOnBehalf: Type.Boolean({ description: "代为登记: finished by the summoning side on the department's behalf" }),
  endedAt: Nullable(DateTime),
  endReason: Nullable(Type.String({ description: "why the summons was withdrawn or the department excused" })),
  score: Nullable(Type.Integer()),
  scoreNote: Nullable(Type.String()),
  scoredAt: Nullable(DateTime),
  createdAt: DateTime,
  overdue: Type.Boolean({ description: "not reported in and the report-in deadline has passed" }),
  whistle: Type.Object({ areaId: Type.String(), areaName: Type.String(), reason: Type.String(), blownAt: DateTime }),
  case: Type.Object({
    id: Type.String(),
    caseNo: Type.String(),
    categoryName: Type.String(),
    status: Type.String(),
    statusLabel: Label,
    gridName: Type.String(),
    summary: Type.String({ description: "the first 60 characters of the description" }),
  }),
  abilities: Type.Object({
    read: Type.Boolean(),
    reportIn: Type.Boolean(),
    finish: Type.Boolean(),
    score: Type.Boolean(),
    withdraw: Type.Boolean(),
    excuse: Type.Boolean(),
    recordOnBehalf: Type.Boolean(),
  }),
}));

const Whistle = named("Whistle", Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  areaId: Type.String(),
  areaName: Type.String(),
  reason: Type.String(),
  blownAt: DateTime,
  reportInLimit: TimeLimitSchema,
  summons: Type.Array(Type.Object({ id: Type.String(), departmentOrgId: Type.String(), departmentName: Type.String(), status: SummonsStatus, reportInDueAt: DateTime })),
}));

const Note = Type.String({ maxLength: 500 });

export async function whistleRoutes(app: App): Promise<void> {
  const db = () => app.ctx.database.db;

  app.post(
    "/api/cases/:id/whistle",
    {
      schema: {
        tags: ["cases"],
        summary: "吹哨: summon departments to an active case (street administrator, community secretary or worker in scope); each must report in before the deadline",
        params: IdParams,
        body: Type.Object(
          {
            departmentOrgIds: Type.Array(Uuid, { maxItems: maxDepartmentsPerWhistle, description: `1–${maxDepartmentsPerWhistle} distinct departments (GET /api/departments)` }),
            reason: Type.String({ maxLength: 500 }),
            reportInLimit: Type.Optional(TimeLimitSchema),
          },
          { additionalProperties: false },
        ),
        response: { 201: Whistle, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      return reply.status(201).send(await blowWhistle(db(), actor, req.params.id, req.body));
    },
  );

  app.get(
    "/api/summons",
    {
      schema: {
        tags: ["cases"],
        summary: "The summons queue: your department's summons, or those your street or community issued",
        querystring: Type.Object(
          {
            status: Type.Optional(SummonsStatus),
            caseNo: Type.Optional(Type.String({ maxLength: 40 })),
            caseId: Type.Optional(Uuid),
            overdue: Type.Optional(Type.Boolean()),
            mine: Type.Optional(
              Type.Union([Type.Literal("reportIn"), Type.Literal("finish"), Type.Literal("score")], {
                description: "waiting for your step: reportIn 待报到, finish 待办结 (your department), score 待评分 (your street or community)",
              }),
            ),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Summons), total: Type.Integer() }), ...errorResponses(401) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listSummons(db(), actor, req.query);
    },
  );

  app.get(
    "/api/summons/stats",
    {
      schema: {
        tags: ["cases"],
        summary: "Per department, the summons of a month you see: summoned, reported in (on time), finished, mean score",
        querystring: Type.Object({ month: Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$" }), areaId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            month: Type.String(),
            items: Type.Array(
              Type.Object({
                departmentOrgId: Type.String(),
                departmentName: Type.String(),
                summoned: Type.Integer(),
                reportedIn: Type.Integer(),
                reportedInOnTime: Type.Integer(),
                finished: Type.Integer({ description: "finished by the department itself" }),
                recordedOnBehalf: Type.Integer({ description: "代为登记: finished by the summoning side on its behalf" }),
                withdrawn: Type.Integer(),
                excused: Type.Integer(),
                scored: Type.Integer(),
                meanScore: Nullable(Type.Number()),
              }),
            ),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return summonsStats(db(), actor, req.query);
    },
  );

  app.get(
    "/api/departments",
    {
      schema: {
        tags: ["cases"],
        summary: "Departments you may summon (not dissolved; of your district or above); with caseId, those already summoned and not finished are marked",
        querystring: Type.Object({ caseId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                id: Type.String(),
                name: Type.String(),
                areaId: Nullable(Type.String()),
                areaName: Nullable(Type.String()),
                activeOnCase: Type.Boolean(),
                hasActiveLogin: Type.Boolean({ description: "an enabled user holds departmentStaff on it; without, no one can report in" }),
              }),
            ),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listDepartments(db(), actor, req.query) };
    },
  );

  app.post(
    "/api/summons/:id/report-in",
    {
      schema: {
        tags: ["cases"],
        summary: "报到: the summoned department reports in",
        params: IdParams,
        body: Type.Object({ note: Type.Optional(Nullable(Note)) }, { additionalProperties: false }),
        response: { 200: Summons, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return reportIn(db(), actor, req.params.id, req.body);
    },
  );

  app.post(
    "/api/summons/:id/finish",
    {
      schema: {
        tags: ["cases"],
        summary: "办结: the department records its part, with photos it uploaded (POST /api/case-photos)",
        params: IdParams,
        body: Type.Object(
          { note: Type.String({ maxLength: 1000 }), evidence: Type.Optional(Type.Array(Uuid, { maxItems: maxEvidencePhotos })) },
          { additionalProperties: false },
        ),
        response: { 200: Summons, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return finishSummons(db(), actor, req.params.id, req.body);
    },
  );

  for (const [path, as, summary] of [
    ["withdraw", "withdrawn", "撤回: the summoning street or community withdraws a waiting summons, with a reason"],
    ["excuse", "excused", "免予报到: the summoning street or community excuses the department from a waiting summons, with a reason"],
  ] as const) {
    app.post(
      `/api/summons/:id/${path}`,
      {
        schema: {
          tags: ["cases"],
          summary: `${summary}; the summons no longer keeps the case from closing`,
          params: IdParams,
          body: Type.Object({ reason: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
          response: { 200: Summons, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (req) => {
        const actor = await authenticate(req);
        return endSummons(db(), actor, req.params.id, { as, reason: req.body.reason });
      },
    );
  }

  app.post(
    "/api/summons/:id/record-on-behalf",
    {
      schema: {
        tags: ["cases"],
        summary: "代为登记: the summoning street or community records the department's part for it, with photos it uploaded; counted apart from the department's own 办结",
        params: IdParams,
        body: Type.Object(
          { note: Type.String({ maxLength: 1000 }), evidence: Type.Optional(Type.Array(Uuid, { maxItems: maxEvidencePhotos })) },
          { additionalProperties: false },
        ),
        response: { 200: Summons, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return recordSummonsOnBehalf(db(), actor, req.params.id, req.body);
    },
  );

  app.post(
    "/api/summons/:id/score",
    {
      schema: {
        tags: ["cases"],
        summary: "评分: the summoning street or community rates a department's finished part, 1–5, once",
        params: IdParams,
        body: Type.Object({ score: Type.Integer({ minimum: 1, maximum: 5 }), note: Type.Optional(Nullable(Note)) }, { additionalProperties: false }),
        response: { 200: Summons, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return scoreSummons(db(), actor, req.params.id, req.body);
    },
  );
}
