/**
 * Public board of a community's cases (no login) and the reporter's receipt of a case.
 */
import { Type } from "typebox";
import type { App } from "../../../platform/http/server.js";
import { authenticate } from "../../../platform/http/auth.js";
import { errorResponses, IdParams, named, Nullable, Uuid } from "../../../platform/http/schemas.js";
import { caseReceipt, communityBoard, listPublicCommunities } from "./board.js";

const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const Community = named("BoardCommunity", Type.Object({ id: Type.String(), name: Type.String(), streetName: Nullable(Type.String()), districtName: Nullable(Type.String()) }));
const BoardItem = named("BoardItem", Type.Object({
  caseNo: Type.String(),
  categoryCode: Type.String(),
  categoryName: Type.String(),
  summary: Type.Object({ zh: Type.String(), en: Type.String() }, { description: "source and category only — never the reporter's words" }),
  status: Type.String(),
  statusLabel: Label,
  open: Type.Boolean(),
  gridName: Type.String({ description: "the only location shown" }),
  submittedOn: Type.String({ description: "China calendar day" }),
  closedOn: Nullable(Type.String()),
  onTime: Nullable(Type.Boolean()),
  overdue: Type.Boolean(),
}));
const Board = named("Board", Type.Object({
  community: Community,
  month: Type.String(),
  summary: Type.Object({ reported: Type.Integer(), closed: Type.Integer(), closedOnTime: Type.Integer(), onTimeRate: Nullable(Type.Number()) }),
  items: Type.Array(BoardItem),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
}));
/**
 * The audit receipt as `inclusionProof` makes it, field by field for clients; every object keeps
 * further fields, since dropping one would make the saved receipt fail verification.
 */
const loose = { additionalProperties: true } as const;
const AuditReceipt = Type.Object({
  entry: Type.Object({
    id: Type.Integer(),
    seq: Type.Integer(),
    occurredAtMicros: Type.String({ description: "microseconds since the Unix epoch" }),
    actorKind: Type.String(),
    actorId: Nullable(Type.String()),
    action: Type.String(),
    entityType: Type.String(),
    entityId: Type.String(),
    digest: Type.String(),
    summaryDigest: Nullable(Type.String()),
  }, loose),
  leafHash: Type.String(),
  leafIndex: Type.Integer(),
  treeSize: Type.Integer(),
  auditPath: Type.Array(Type.String()),
  checkpoint: Type.Object({
    id: Type.Integer(),
    firstSeq: Type.Integer(),
    lastSeq: Type.Integer(),
    merkleRoot: Type.String(),
    headHash: Type.String(),
    prevCheckpointHash: Nullable(Type.String()),
    keyId: Type.String(),
    checkpointHash: Type.String(),
    signature: Type.String({ description: "Ed25519 over checkpointHash; the key: GET /api/audit/public-key" }),
  }, loose),
}, loose);
const Receipt = named("PublicReceipt", Type.Object({
  caseId: Type.String(),
  caseNo: Type.String(),
  receipt: AuditReceipt,
  steps: Type.Array(
    Type.Object({
      action: Type.String(),
      label: Label,
      status: Type.String(),
      at: Type.String(),
      auditEntryId: Nullable(Type.Integer()),
      auditSeq: Nullable(Type.Integer({ description: "the step's entry in the sealed audit log; its receipt: GET /api/audit/receipts/{seq}" })),
    }),
  ),
}));

export async function boardRoutes(app: App): Promise<void> {
  app.get(
    "/api/public/communities",
    {
      schema: {
        tags: ["cases"],
        summary: "Communities, for the public board's picker (no login)",
        response: { 200: Type.Object({ items: Type.Array(Community) }), ...errorResponses() },
      },
    },
    async () => ({ items: await listPublicCommunities(app.ctx.database.db) }),
  );

  app.get(
    "/api/public/communities/:id/cases",
    {
      schema: {
        tags: ["cases"],
        summary: "A community's public, anonymised board of cases with this month's figures (no login)",
        params: Type.Object({ id: Uuid }, { additionalProperties: false }),
        querystring: Type.Object(
          { status: Type.Optional(Type.Union([Type.Literal("open"), Type.Literal("closed")])), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })) },
          { additionalProperties: false },
        ),
        response: { 200: Board, ...errorResponses(404) },
      },
    },
    async (req) => communityBoard(app.ctx.database.db, req.params.id, { ...(req.query.status ? { status: req.query.status } : {}), ...(req.query.page ? { page: req.query.page } : {}) }),
  );

  app.get(
    "/api/cases/:id/receipt",
    {
      schema: {
        tags: ["cases"],
        summary: "The receipt (audit inclusion proof) of a case's submission, for the reporter and its handlers; verify with POST /api/audit/receipts/verify",
        params: IdParams,
        response: { 200: Receipt, ...errorResponses(401, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      return caseReceipt(app.ctx.database.db, actor, req.params.id);
    },
  );
}
