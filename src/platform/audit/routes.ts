/**
 * 回执 over HTTP: a receipt (inclusion proof) for an audit entry by its seq, offline-checkable;
 * the signed checkpoints and the public key, public so that outsiders can keep copies that pin
 * the history and check them; and a verifier anyone can call with a receipt they hold.
 */
import { Type } from "typebox";
import { sql } from "drizzle-orm";
import type { App } from "../http/server.js";
import { authenticate } from "../http/auth.js";
import { errorResponses } from "../http/schemas.js";
import { AppError } from "../errors.js";
import { rows } from "../db/index.js";
import { auditVerificationKeys } from "../config.js";
import { AuditEntryNotFoundError, AuditLogInconsistentError, inclusionProof, listCheckpoints, verifyReceipt, type AuditReceipt } from "./index.js";
import { auditPolicy } from "./policy.js";
import { authorize } from "../policy/index.js";

const Open = Type.Object({}, { additionalProperties: true });

export async function auditRoutes(app: App): Promise<void> {
  // Checking needs only public keys: the current signing key's (from configuration, or the
  // embedded database's key file, which `serve` creates before the routes) and earlier ones.
  const { signer, publicKeys } = auditVerificationKeys(app.ctx.config);

  app.get(
    "/api/audit/receipts/:seq",
    {
      schema: {
        tags: ["audit"],
        summary: "Receipt (RFC 6962 inclusion proof in a signed checkpoint) of the sealed audit entry at this seq — for its actor or a system administrator",
        params: Type.Object({ seq: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
        response: { 200: Open, ...errorResponses(401, 404, 409) },
      },
    },
    async (req) => {
      const actor = await authenticate(req);
      const { database } = app.ctx;
      const [entry] = await rows<{ actor_id: string | null }>(database.db, sql`select actor_id from audit_entries where seq = ${req.params.seq}`);
      authorize(actor, "read", entry ? { actorId: entry.actor_id } : undefined, auditPolicy);
      try {
        return await inclusionProof(database.db, req.params.seq);
      } catch (e) {
        if (e instanceof AuditEntryNotFoundError) throw new AppError("not_found");
        if (e instanceof AuditLogInconsistentError) throw new AppError("audit_log_inconsistent");
        throw e;
      }
    },
  );

  app.get(
    "/api/audit/public-key",
    {
      schema: {
        tags: ["audit"],
        summary: "The Ed25519 public key(s) that sign audit checkpoints, current first: for checking receipts and checkpoints elsewhere",
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                keyId: Type.String(),
                algorithm: Type.Literal("Ed25519"),
                publicKey: Type.String({ description: "ed25519:<base64 of the 32 raw bytes>" }),
                pem: Type.String({ description: "SPKI PEM" }),
                current: Type.Boolean(),
              }),
            ),
            signedMessage: Type.String({ description: "what each signature signs: this text with the checkpoint hash in place of <checkpointHash>, as UTF-8" }),
          }),
          ...errorResponses(),
        },
      },
    },
    async () => ({
      items: publicKeys.map((k, i) => ({ keyId: k.keyId, algorithm: "Ed25519" as const, publicKey: k.text, pem: k.pem, current: signer !== undefined && i === 0 })),
      signedMessage: "gongzhi/audit/checkpoint/v2:<checkpointHash>",
    }),
  );

  app.get(
    "/api/audit/checkpoints",
    {
      schema: {
        tags: ["audit"],
        summary: "Sealed, signed checkpoints (Merkle roots, hashes, signatures; no personal data): public, for outside copies",
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
        summary: "Check a receipt offline-style: recompute its leaf, path and checkpoint hash and check the signature; says whether the checkpoint is the one on record",
        body: Type.Object({ receipt: Open }, { additionalProperties: false }),
        response: { 200: Type.Object({ valid: Type.Boolean(), checkpointOnRecord: Type.Boolean() }), ...errorResponses() },
      },
    },
    async (req) => {
      const receipt = req.body.receipt as unknown as AuditReceipt;
      const valid = verifyReceipt(receipt, publicKeys);
      let checkpointOnRecord = false;
      if (valid) {
        const [c] = await rows<{ checkpoint_hash: string }>(app.ctx.database.db, sql`select checkpoint_hash from audit_checkpoints where id = ${receipt.checkpoint.id}`);
        checkpointOnRecord = c?.checkpoint_hash === receipt.checkpoint.checkpointHash;
      }
      return { valid, checkpointOnRecord };
    },
  );
}
