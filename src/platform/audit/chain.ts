/**
 * The byte formats of the audit chain: what a leaf, a chain link and a checkpoint hash are made
 * of. Pure code shared by the sealer, the verifier and receipt checking; changing anything here
 * breaks every existing chain, so the formats carry a version (`v`).
 */
import { createHash } from "node:crypto";
import { canonicalJson, sha256Hex } from "./service.js";
import { hashLeaf } from "./merkle.js";

/** prevHash of the entry at seq 1. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * What a leaf commits to: every column of an entry that says what happened, plus its place (seq)
 * and its row id, so an entry cannot be moved under another id (a case keeps the id of its
 * receipt entry from before sealing).
 */
export interface LeafFields {
  id: number;
  seq: number;
  /** occurred_at in whole microseconds since the Unix epoch, as read from the database. */
  occurredAtMicros: string;
  actorKind: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  /** SHA-256 of the canonical change (computed by recordAudit). */
  digest: string;
  /** SHA-256 of the canonical JSON of the summary column, null when there is none. */
  summaryDigest: string | null;
}

/**
 * The canonical JSON a leaf hashes: exactly `canonicalJson` of the fields plus `v: 2`, written
 * out by hand (keys already in sorted order) because the sealer and the verifier run it for
 * every entry. A test holds it equal to `canonicalJson`.
 */
export function leafJson(f: LeafFields): string {
  const s = JSON.stringify;
  return (
    `{"action":${s(f.action)},"actorId":${f.actorId === null ? "null" : s(f.actorId)},"actorKind":${s(f.actorKind)},` +
    `"digest":${s(f.digest)},"entityId":${s(f.entityId)},"entityType":${s(f.entityType)},"id":${s(f.id)},` +
    `"occurredAtMicros":${s(f.occurredAtMicros)},"seq":${s(f.seq)},` +
    `"summaryDigest":${f.summaryDigest === null ? "null" : s(f.summaryDigest)},"v":2}`
  );
}

/** SHA-256(0x00 || canonical JSON of the fields): an RFC 6962 leaf hash. */
export function leafHashOf(f: LeafFields): string {
  return hashLeaf(Buffer.from(leafJson(f), "utf8"));
}

/** hash = SHA-256(prevHash || leafHash), both as 32 raw bytes. */
export function chainHash(prevHash: string, leafHash: string): string {
  return createHash("sha256").update(Buffer.from(prevHash, "hex")).update(Buffer.from(leafHash, "hex")).digest("hex");
}

/**
 * Digest of the summary as stored: the jsonb text is parsed and re-serialized canonically, so
 * the digest does not depend on how a driver or a PostgreSQL version prints jsonb.
 */
export function summaryDigestOf(summaryText: string | null): string | null {
  if (summaryText === null) return null;
  return sha256Hex(canonicalJson(JSON.parse(summaryText)));
}

/**
 * The fields of a checkpoint that its hash covers (its id and creation time are not). Seqs run
 * from 1 without gaps, so `lastSeq` is the number of entries in the log up to this checkpoint:
 * a signed checkpoint is a signed tree head, and a smaller log than one handed out is a truncation.
 */
export interface CheckpointFields {
  firstSeq: number;
  lastSeq: number;
  merkleRoot: string;
  headHash: string;
  prevCheckpointHash: string | null;
  /** The signing key's id (see signing.ts): which key must have signed the hash. */
  keyId: string;
}

export function checkpointHashOf(c: CheckpointFields): string {
  return sha256Hex(
    canonicalJson({
      v: 2,
      firstSeq: c.firstSeq,
      lastSeq: c.lastSeq,
      merkleRoot: c.merkleRoot,
      headHash: c.headHash,
      prevCheckpointHash: c.prevCheckpointHash,
      keyId: c.keyId,
    }),
  );
}
