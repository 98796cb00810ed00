/**
 * Reading audit rows for hashing. Values the hash covers are read as text computed by the
 * database (occurred_at in microseconds, summary as jsonb text), never through a driver's type
 * parsing, so PGlite and node-postgres hash the very same bytes.
 */
import { sql } from "../db/index.js";
import { summaryDigestOf, type CheckpointFields, type LeafFields } from "./chain.js";

export const ENTRY_COLUMNS = sql.raw(
  `id, seq, (extract(epoch from occurred_at) * 1000000)::bigint::text as occurred_micros,
   actor_kind, actor_id, action, entity_type, entity_id, digest, summary::text as summary_text,
   prev_hash, hash, checkpoint_id`,
);

/** What the sealer needs of a pending row (its chain columns are still null). */
export const PENDING_COLUMNS = sql.raw(
  `id, (extract(epoch from occurred_at) * 1000000)::bigint::text as occurred_micros,
   actor_kind, actor_id, action, entity_type, entity_id, digest, summary::text as summary_text`,
);

/** bigint columns come back as numbers from PGlite and as strings from node-postgres. */
type Int = number | string;

export interface EntryRow {
  id: Int;
  seq: Int | null;
  occurred_micros: string;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  digest: string;
  summary_text: string | null;
  prev_hash: string | null;
  hash: string | null;
  checkpoint_id: Int | null;
}

/** The columns a leaf hash is computed from. */
type LeafColumns = Pick<
  EntryRow,
  "occurred_micros" | "actor_kind" | "actor_id" | "action" | "entity_type" | "entity_id" | "digest" | "summary_text"
>;

export type PendingRow = LeafColumns & Pick<EntryRow, "id">;

export function toInt(value: Int): number;
export function toInt(value: Int | null): number | null;
export function toInt(value: Int | null): number | null {
  return value === null ? null : Number(value);
}

export function leafFieldsOf(row: LeafColumns & Pick<EntryRow, "id">, seq: number): LeafFields {
  return {
    id: toInt(row.id),
    seq,
    occurredAtMicros: row.occurred_micros,
    actorKind: row.actor_kind,
    actorId: row.actor_id,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    digest: row.digest,
    summaryDigest: summaryDigestOf(row.summary_text),
  };
}

export const CHECKPOINT_COLUMNS = sql.raw(
  `id, first_seq, last_seq, merkle_root, head_hash, prev_checkpoint_hash, checkpoint_hash, key_id, signature`,
);

export interface CheckpointRow {
  id: Int;
  first_seq: Int;
  last_seq: Int;
  merkle_root: string;
  head_hash: string;
  prev_checkpoint_hash: string | null;
  checkpoint_hash: string;
  key_id: string;
  signature: string;
}

/**
 * A checkpoint as published, carried in receipts, written to the head file and pushed to
 * `audit.checkpoint` webhooks: a signed tree head of the log's first `lastSeq` entries.
 */
export interface Checkpoint extends CheckpointFields {
  id: number;
  checkpointHash: string;
  /** Base64 Ed25519 signature of `checkpointHash` by the key `keyId`. */
  signature: string;
}

export function checkpointOf(row: CheckpointRow): Checkpoint {
  return {
    id: toInt(row.id),
    firstSeq: toInt(row.first_seq),
    lastSeq: toInt(row.last_seq),
    merkleRoot: row.merkle_root,
    headHash: row.head_hash,
    prevCheckpointHash: row.prev_checkpoint_hash,
    checkpointHash: row.checkpoint_hash,
    keyId: row.key_id,
    signature: row.signature,
  };
}
