/**
 * HTTP for reading cases and taking each step of their life: the queue, the map, one case, the
 * contact reveal, and one POST route per action, each answering with the updated case.
 */
import { Type, type Static, type TSchema } from "typebox";
import type { Actor } from "../../../platform/auth/actor.js";
import type { Db } from "../../../platform/db/index.js";
import { authenticate } from "../../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../../platform/http/schemas.js";
import type { App } from "../../../platform/http/server.js";
import type { TransitionResult } from "../core.js";
import {
  cancelCase,
  closeCase,
  decideExtension,
  dispatchCase,
  escalate,
  feedbackCase,
  parkCase,
  rateCase,
  receiveCase,
  registerCase,
  rejectCase,
  reopenCase,
  requestExtension,
  returnCase,
  sendDownCase,
  startCase,
  unparkCase,
  verifyCase,
} from "./lifecycle.js";
import { caseStatuses } from "../machine.js";
import { listDispatchCandidates } from "./assignees.js";
import { caseAbilityKeys, caseDetailAfter, caseMap, getCaseDetail, listCases, queueNames, revealCaseContact } from "./queries.js";
import { caseLevels, caseRatings, caseSources } from "../schema.js";

/** One of a fixed list of strings (typed as that list; `enum` in the schema). */
const oneOf = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: "string", enum: [...values], ...(description ? { description } : {}) });

const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const Status = oneOf(caseStatuses);
const Level = oneOf(caseLevels);
const Source = oneOf(caseSources);
const TimeUnit = Type.Union([Type.Literal("workingHours"), Type.Literal("workingDays"), Type.Literal("naturalHours")]);
const DateTime = Type.String({ format: "date-time" });
const NullableDateTime = Nullable(DateTime);
/** A reason or note: 1–500 characters with something other than spaces. */
const Text = Type.String({ minLength: 1, maxLength: 500, pattern: "\\S" });
const OptionalNote = Type.Optional(Nullable(Text));
const Named = Type.Object({ id: Type.String(), name: Type.String() });

const CaseListItem = named("CaseListItem", Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  description: Type.String({ description: "the first 80 characters" }),
  status: Status,
  statusLabel: Label,
  level: Level,
  levelLabel: Label,
  source: Source,
  urgency: Type.String(),
  gridId: Type.String(),
  gridName: Type.String(),
  handlingOrgName: Nullable(Type.String()),
  anonymous: Type.Boolean({ description: "the reporter asked to stay anonymous (匿名); lists never carry contact data" }),
  submittedAt: DateTime,
  responseDueAt: NullableDateTime,
  handleDueAt: NullableDateTime,
  overdue: Type.Boolean(),
  whistled: Type.Boolean(),
}));

const TimelineEvent = named("CaseTimelineEvent", Type.Object({
  id: Type.Integer(),
  at: DateTime,
  action: Type.String(),
  actionLabel: Label,
  actorLabel: Type.String({ description: "a worker's name, 系统 for timers, 反映人 for the reporter" }),
  fromStatus: Nullable(Type.String()),
  toStatus: Type.String(),
  fromLevel: Nullable(Type.String()),
  toLevel: Nullable(Type.String()),
  note: Nullable(Type.String()),
  evidence: Type.Array(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
}));

const Limit = Nullable(Type.Object({ value: Type.Number(), unit: Type.String() }));

const CaseDetail = named("CaseDetail", Type.Object({
  id: Type.String(),
  caseNo: Type.String(),
  source: Source,
  urgency: Type.String(),
  description: Type.String(),
  status: Status,
  statusLabel: Label,
  level: Level,
  levelLabel: Label,
  category: Type.Object({
    id: Type.String(),
    code: Type.String(),
    name: Type.String(),
    parent: Nullable(Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() })),
    responseLimit: Limit,
    handleLimit: Limit,
    firstLevel: Nullable(Type.String()),
  }),
  grid: Named,
  community: Nullable(Named),
  street: Nullable(Named),
  handlingArea: Nullable(Named),
  handlingOrg: Nullable(Named),
  /** 派遣到人: the person named at dispatch (staff only). */
  assignee: Nullable(Named),
  lng: Type.Number(),
  lat: Type.Number(),
  buildingId: Nullable(Type.String()),
  locationText: Nullable(Type.String({ description: "for the reporter, handlers and departments on the case only" })),
  answers: Type.Array(Type.Object({ code: Type.String(), question: Type.String(), answer: Type.String() }), {
    description: "answers to the category's questions (附加信息) as text, in the questions' order; same readers as locationText",
  }),
  reporter: Nullable(
    Type.Object(
      { anonymous: Type.Boolean(), name: Nullable(Type.String()), phoneMasked: Nullable(Type.String()), hasPhone: Type.Boolean() },
      { description: "masked contact, for handlers and the reporter; null for everyone else. See /contact/reveal" },
    ),
  ),
  anonymous: Type.Boolean(),
  externalRef: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
  mergedIntoId: Nullable(Type.String()),
  repeatOfId: Nullable(Type.String()),
  receiptEntryId: Nullable(Type.Integer({ description: "the audit entry of the submission: the reporter's receipt" })),
  counts: Type.Object({ reopen: Type.Integer(), rework: Type.Integer(), extension: Type.Integer(), return: Type.Integer(), escalation: Type.Integer() }),
  whistled: Type.Boolean(),
  submittedAt: DateTime,
  registeredAt: NullableDateTime,
  dispatchedAt: NullableDateTime,
  receivedAt: NullableDateTime,
  feedbackAt: NullableDateTime,
  closedAt: NullableDateTime,
  closedOnTime: Nullable(Type.Boolean()),
  responseDueAt: NullableDateTime,
  handleDueAt: NullableDateTime,
  overdue: Type.Boolean(),
  rating: Nullable(Type.String()),
  resolved: Nullable(Type.Boolean()),
  ratedAt: NullableDateTime,
  photos: Type.Array(Type.Object({ id: Type.String(), eventId: Nullable(Type.Integer()) })),
  timeline: Type.Array(TimelineEvent, { description: "in order; the reporter sees only the steps meant for them" }),
  summons: Type.Array(
    Type.Object({
      id: Type.String(),
      departmentOrgId: Type.String(),
      departmentName: Type.String(),
      status: Type.String(),
      reportInDueAt: DateTime,
      reportedInAt: NullableDateTime,
      finishedAt: NullableDateTime,
      recordedOnBehalf: Type.Boolean({ description: "代为登记: recorded by the summoning side on the department's behalf" }),
      endReason: Nullable(Type.String({ description: "withdrawn / excused: why (staff only)" })),
      score: Nullable(Type.Integer()),
    }),
  ),
  extensions: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.String(),
      reason: Type.String(),
      extraValue: Type.Number(),
      extraUnit: Type.String(),
      requestedAt: DateTime,
      decidedAt: NullableDateTime,
      decisionNote: Nullable(Type.String()),
      newDueAt: NullableDateTime,
    }),
  ),
  // Named one by one so clients know every key (the web app switches on them).
  abilities: Type.Object(Object.fromEntries(caseAbilityKeys.map((k) => [k, Type.Boolean()])), {
    description: "each action: allowed by the state machine from the current status and by the policy for you",
  }),
}));

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(Status, { maxItems: 13, description: "repeat for several" })),
    level: Type.Optional(Level),
    categoryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: "a category code or its prefix (\"01\" for the whole 大类)" })),
    areaId: Type.Optional(Uuid),
    source: Type.Optional(Source),
    overdue: Type.Optional(Type.Boolean()),
    mine: Type.Optional(Type.Union([Type.Literal("handling"), Type.Literal("reported"), Type.Literal("verify"), Type.Literal("dispatch")])),
    queue: Type.Optional(
      Type.Union(queueNames.map((q) => Type.Literal(q)), {
        description: "a queue tab: only cases whose step you can take (toRegister 立案/不予受理, toDispatch 派遣, handling 签收/处置/反馈 — only yours when dispatched to a person, toVerify 核查 — not your own feedback, toClose 结案 — no department still summoned)",
      }),
    ),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: "the beginning of a case number, or words of the description or place (Chinese words are segmented)" })),
    from: Type.Optional(Type.String({ format: "date", description: "submitted on or after (China time)" })),
    to: Type.Optional(Type.String({ format: "date", description: "submitted on or before (China time)" })),
    sort: Type.Optional(Type.Union([Type.Literal("newest"), Type.Literal("due")], { default: "newest" })),
    page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
  },
  { additionalProperties: false },
);

const obj = <P extends Record<string, TSchema>>(props: P) => Type.Object(props, { additionalProperties: false });

export async function caseRoutes(app: App): Promise<void> {
  const db = () => app.ctx.database.db;

  app.get(
    "/api/cases",
    {
      schema: {
        tags: ["cases"],
        summary: "The case queue (案件队列): cases you may read, filtered and paged; no personal data",
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(CaseListItem), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() }), ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return listCases(db(), actor, req.query);
    },
  );

  app.get(
    "/api/cases/:id/dispatch-candidates",
    {
      schema: {
        tags: ["cases"],
        summary: "派遣到人: the people you may name when dispatching this case to a level (those who handle cases at that level there, or the department's staff)",
        params: IdParams,
        querystring: obj({ level: Type.Optional(Level), orgId: Type.Optional(Uuid) }),
        response: {
          200: Type.Object({ items: Type.Array(Type.Object({ userId: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()) })) }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return { items: await listDispatchCandidates(db(), actor, req.params.id, req.query) };
    },
  );

  app.get(
    "/api/cases/map",
    {
      schema: {
        tags: ["cases"],
        summary: "Open cases in your scope (under an area) grouped by grid, with points, for the console map",
        querystring: obj({ areaId: Type.Optional(Uuid) }),
        response: {
          200: Type.Object({
            grids: Type.Array(
              Type.Object({
                gridId: Type.String(),
                name: Type.String(),
                count: Type.Integer(),
                overdue: Type.Integer(),
                points: Type.Array(Type.Object({ id: Type.String(), lng: Type.Number(), lat: Type.Number(), caseNo: Type.String(), status: Status, overdue: Type.Boolean() })),
              }),
            ),
          }),
          ...errorResponses(401, 404),
        },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return caseMap(db(), actor, req.query);
    },
  );

  app.get(
    "/api/cases/:id",
    {
      schema: {
        tags: ["cases"],
        summary: "One case with its timeline, summons, extensions and what you may do next",
        params: IdParams,
        response: { 200: CaseDetail, ...errorResponses(401, 404) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return getCaseDetail(db(), actor, req.params.id);
    },
  );

  app.post(
    "/api/cases/:id/contact/reveal",
    {
      schema: {
        tags: ["cases"],
        summary: "Show the reporter's phone in clear to a handler or dispatcher for a stated purpose, for a few minutes (audited)",
        params: IdParams,
        body: obj({ purpose: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()), expiresAt: DateTime }), ...errorResponses(401, 403, 404) },
      },
    },
    async (req, reply) => {
      const actor = await authenticate(req);
      void reply.header("cache-control", "no-store");
      return revealCaseContact(db(), app.ctx.keyring, actor, req.params.id, req.body.purpose);
    },
  );

  /** One POST route per step: run it in a transaction and answer with the case as it now is. */
  function action<B extends TSchema>(path: string, summary: string, body: B, run: (tx: Db, actor: Actor, id: string, body: Static<B>) => Promise<TransitionResult>): void {
    app.post(
      `/api/cases/:id/${path}`,
      { schema: { tags: ["cases"], summary, params: IdParams, body, response: { 200: CaseDetail, ...errorResponses(401, 403, 404, 409) } } },
      async (req) => {
        const actor = await authenticate(req);
        const { id } = req.params;
        return db().transaction(async (tx) => {
          const result = await run(tx, actor, id, req.body as Static<B>);
          return caseDetailAfter(tx, actor, result.case);
        });
      },
    );
  }

  action("register", "立案: accept a submitted case", obj({ note: OptionalNote }), (tx, a, id, b) => registerCase(tx, a, id, b));
  action("reject", "不予受理: reject a submitted case with a reason", obj({ reason: Text }), (tx, a, id, b) => rejectCase(tx, a, id, b));
  action(
    "dispatch",
    "派遣: send a registered case to a grid, community, street, the district or a department (default: where it is routed now)",
    obj({
      level: Type.Optional(Level),
      orgId: Type.Optional(Nullable(Uuid)),
      assigneeUserId: Type.Optional(Nullable(Type.String({ format: "uuid", description: "派遣到人: one of GET /api/cases/{id}/dispatch-candidates for that level; told alone, and the case shows in their queue" }))),
      note: OptionalNote,
    }),
    (tx, a, id, b) => dispatchCase(tx, a, id, b),
  );
  action("receive", "签收: the handler takes the case (the response)", obj({ note: OptionalNote }), (tx, a, id, b) => receiveCase(tx, a, id, b));
  action("start", "开始处置", obj({ note: OptionalNote }), (tx, a, id, b) => startCase(tx, a, id, b));
  action("return", "退单: return the case to its dispatcher with a reason", obj({ reason: Text }), (tx, a, id, b) => returnCase(tx, a, id, b));
  action(
    "feedback",
    "处置反馈: the handler's result, with photos uploaded by the handler",
    obj({ note: Text, evidence: Type.Optional(Type.Array(Uuid, { maxItems: 9 })) }),
    (tx, a, id, b) => feedbackCase(tx, a, id, b),
  );
  action("verify", "核查: pass, or fail with a reason (返工)", obj({ passed: Type.Boolean(), note: OptionalNote }), (tx, a, id, b) => verifyCase(tx, a, id, b));
  action("close", "结案: close a verified case (every summoned department must have finished)", obj({ note: OptionalNote }), (tx, a, id, b) => closeCase(tx, a, id, b));
  action(
    "rate",
    "回访评价: the reporter says whether it was resolved and how satisfied they are",
    obj({ resolved: Type.Boolean(), rating: oneOf(caseRatings), comment: OptionalNote }),
    (tx, a, id, b) => rateCase(tx, a, id, b),
  );
  action("reopen", "不满意重办: the reporter reopens a case rated dissatisfied (once)", obj({ reason: Text }), (tx, a, id, b) => reopenCase(tx, a, id, b));
  action(
    "escalate",
    "上报: to the next level up (or a given higher level; a department needs orgId)",
    obj({ reason: Text, toLevel: Type.Optional(Level), orgId: Type.Optional(Nullable(Uuid)) }),
    (tx, a, id, b) => escalate(tx, a, id, b),
  );
  action("send-down", "下派: a registered case to a lower level", obj({ toLevel: Level, reason: Text }), (tx, a, id, b) => sendDownCase(tx, a, id, b));
  action("park", "挂账: park a long-term case", obj({ reason: Text }), (tx, a, id, b) => parkCase(tx, a, id, b));
  action("unpark", "恢复办理: back to the status before parking", obj({ note: OptionalNote }), (tx, a, id, b) => unparkCase(tx, a, id, b));
  action("cancel", "撤销: by the reporter while submitted, by the dispatcher otherwise", obj({ reason: Text }), (tx, a, id, b) => cancelCase(tx, a, id, b));
  action(
    "extensions",
    "申请延期: ask the dispatcher for more time (one request at a time)",
    obj({ reason: Text, extraValue: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }), extraUnit: TimeUnit }),
    (tx, a, id, b) => requestExtension(tx, a, id, b),
  );

  app.post(
    "/api/cases/:id/extensions/:extensionId/decision",
    {
      schema: {
        tags: ["cases"],
        summary: "延期审批: approve (moves the handling deadline on the working calendar) or decline an extension request",
        params: obj({ id: Uuid, extensionId: Uuid }),
        body: obj({ approve: Type.Boolean(), note: OptionalNote }),
        response: { 200: CaseDetail, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return db().transaction(async (tx) => {
        const result = await decideExtension(tx, actor, req.params.id, { approve: req.body.approve, note: req.body.note ?? null, extensionId: req.params.extensionId });
        return caseDetailAfter(tx, actor, result.case);
      });
    },
  );
}
