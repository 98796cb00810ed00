import { sql } from "drizzle-orm";
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * 审计记录: one entry per state change, written in the changing transaction. `seq`, `prevHash`,
 * `hash` and `checkpointId` stay null until the sealer chains the entry (seconds after commit).
 */
export const auditEntries = pgTable(
  "audit_entries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, precision: 6 }).notNull().defaultNow(),
    actorId: text("actor_id"),
    actorKind: text("actor_kind").notNull(),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    /** SHA-256 (hex) of the canonical JSON of the change; the change itself may hold personal data. */
    digest: text("digest").notNull(),
    /** Non-personal summary for reading the log. */
    summary: jsonb("summary"),
    seq: bigint("seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    hash: text("hash"),
    checkpointId: bigint("checkpoint_id", { mode: "number" }),
    sealedAt: timestamp("sealed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("audit_entries_seq_key").on(t.seq),
    index("audit_entries_unsealed_idx").on(t.id).where(sql`${t.seq} is null`),
    index("audit_entries_entity_idx").on(t.entityType, t.entityId),
  ],
);

/**
 * A sealed period: the Merkle root (RFC 6962) over the leaves of entries firstSeq..lastSeq, and
 * the Ed25519 signature of its hash by the audit signing key (kept outside the database).
 */
export const auditCheckpoints = pgTable("audit_checkpoints", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  firstSeq: bigint("first_seq", { mode: "number" }).notNull(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  merkleRoot: text("merkle_root").notNull(),
  /** Chain hash of the entry at lastSeq. */
  headHash: text("head_hash").notNull(),
  prevCheckpointHash: text("prev_checkpoint_hash"),
  checkpointHash: text("checkpoint_hash").notNull(),
  /** Id of the signing key (covered by the checkpoint hash). */
  keyId: text("key_id").notNull(),
  /** Base64 Ed25519 signature of the checkpoint hash. */
  signature: text("signature").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
