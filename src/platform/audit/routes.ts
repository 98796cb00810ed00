/**
 * 回执 over HTTP: a receipt (inclusion proof) for an audit entry, offline-checkable; the sealed
 * checkpoints, public so that outsiders can keep copies that pin the history; and a verifier
 * anyone can call with a receipt they hold.
 */
import { Type } from "typebox";
import { sql } from "drizzle-orm";
import type { App } from "../http/server.js";
import { authenticate } from "../http/auth.js";
import { errorResponses } from "../http/schemas.js";
import { AppError } from "../errors.js";
import { rows } from "../db/index.js";
import { AuditEntryNotFoundError, AuditEntryNotSealedError, inclusionProof, listCheckpoints, verifyReceipt, type AuditReceipt } from "./index.js";
import { auditPolicy } from "./policy.js";
import { authorize } from "../policy/index.js";

const Open = Type.Object({}, { additionalProperties: true });

export async function auditRoutes(app: App): Promise<void> {
  app.get(
    "/api/audit/entries/:id/receipt",
    {
      schema: {
        tags: ["audit"],
        summary: "Receipt (RFC 6962 inclusion proof) of a sealed audit entry — for its actor or a system administrator",
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: Open, ...errorResponses(401, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      const { database } = app.ctx;
      const [entry] = await rows<{ actor_id: string | null }>(database.db, sql`select actor_id from audit_entries where id = ${req.params.id}`);
      authorize(actor, "read", entry ? { actorId: entry.actor_id } : undefined, auditPolicy);
      try {
        return await inclusionProof(database.db, req.params.id);
      } catch (e) {
        if (e instanceof AuditEntryNotFoundError) throw new AppError("not_found");
        if (e instanceof AuditEntryNotSealedError) throw new AppError("audit_not_sealed");
        throw e;
      }
    },
  );

  app.get(
    "/api/audit/checkpoints",
    {
      schema: {
        tags: ["audit"],
        summary: "Sealed checkpoints (Merkle roots and hashes, no personal data): public, for outside copies",
        querystring: Type.Object(
          { afterId: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Open) }), ...errorResponses() },
      },
    },
    async (req) => ({ items: await listCheckpoints(app.ctx.database.db, { afterId: req.query.afterId ?? 0, limit: req.query.limit }) }),
  );

  app.post(
    "/api/audit/receipts/verify",
    {
      schema: {
        tags: ["audit"],
        summary: "Check a receipt offline-style: recompute its leaf, path and checkpoint hash; says whether the checkpoint is the one on record",
        body: Type.Object({ receipt: Open }, { additionalProperties: false }),
        response: { 200: Type.Object({ valid: Type.Boolean(), checkpointOnRecord: Type.Boolean() }), ...errorResponses() },
      },
    },
    async (req) => {
      const receipt = req.body.receipt as unknown as AuditReceipt;
      const valid = verifyReceipt(receipt);
      let checkpointOnRecord = false;
      if (valid) {
        const [c] = await rows<{ checkpoint_hash: string }>(app.ctx.database.db, sql`select checkpoint_hash from audit_checkpoints where id = ${receipt.checkpoint.id}`);
        checkpointOnRecord = c?.checkpoint_hash === receipt.checkpoint.checkpointHash;
      }
      return { valid, checkpointOnRecord };
    },
  );
}
