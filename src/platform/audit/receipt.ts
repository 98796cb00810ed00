/**
 * 回执 Receipts: an entry with its RFC 6962 inclusion proof in its checkpoint's Merkle tree.
 * Entries are addressed by seq, their place in the signed log (the leaf covers it, and the row id
 * too). Whoever holds a receipt can check, without the database, that the entry is exactly as
 * sealed, belongs to the checkpoint and that the audit key signed that checkpoint; the checkpoint
 * is also a signed head the holder can later give back to `gongzhi audit verify --head`.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../db/index.js";
import { leafHashOf, type LeafFields } from "./chain.js";
import { inclusionPath, merkleRoot, verifyInclusion } from "./merkle.js";
import { checkCheckpointSignature } from "./heads.js";
import type { AuditPublicKey } from "./signing.js";
import {
  CHECKPOINT_COLUMNS,
  ENTRY_COLUMNS,
  checkpointOf,
  leafFieldsOf,
  toInt,
  type Checkpoint,
  type CheckpointRow,
  type EntryRow,
} from "./rows.js";

export type ReceiptEntry = LeafFields;

export interface AuditReceipt {
  entry: ReceiptEntry;
  leafHash: string;
  /** Position of the entry in its checkpoint's tree: seq - checkpoint.firstSeq. */
  leafIndex: number;
  /** Leaves in the checkpoint's tree: lastSeq - firstSeq + 1. */
  treeSize: number;
  /** Sibling hashes from the leaf up to the root (RFC 6962 PATH). */
  auditPath: string[];
  /** The signed checkpoint: a head of the log's first `lastSeq` entries. */
  checkpoint: Checkpoint;
}

export class AuditEntryNotFoundError extends Error {
  readonly code = "audit_entry_not_found";
  constructor(readonly ref: string) {
    super(`audit entry ${ref} does not exist`);
    this.name = "AuditEntryNotFoundError";
  }
}

/** Receipts exist only for sealed entries; the sealer runs every second or so. */
export class AuditEntryNotSealedError extends Error {
  readonly code = "audit_entry_not_sealed";
  constructor(readonly entryId: number) {
    super(`audit entry id ${entryId} is not sealed yet; its receipt is available once the sealer has run (within seconds)`);
    this.name = "AuditEntryNotSealedError";
  }
}

export class AuditLogInconsistentError extends Error {
  readonly code = "audit_log_inconsistent";
  constructor(detail: string) {
    super(`cannot issue a receipt: ${detail}; run \`gongzhi audit verify\``);
    this.name = "AuditLogInconsistentError";
  }
}

/**
 * The seq of an entry known by its row id (a case keeps the id of its receipt entry, written
 * before sealing numbered it): for finding a receipt, which then names both.
 */
export async function sealedSeqOf(db: Db, entryId: number): Promise<number> {
  const [row] = await rows<{ seq: number | string | null }>(db, sql`select seq from audit_entries where id = ${entryId}`);
  if (!row) throw new AuditEntryNotFoundError(`id ${entryId}`);
  const seq = toInt(row.seq);
  if (seq === null) throw new AuditEntryNotSealedError(entryId);
  return seq;
}

/** Builds the receipt of the sealed entry at `seq`. Refuses rather than issue a proof the log itself contradicts. */
export async function inclusionProof(db: Db, seq: number): Promise<AuditReceipt> {
  const [row] = await rows<EntryRow>(db, sql`select ${ENTRY_COLUMNS} from audit_entries where seq = ${seq}`);
  if (!row) throw new AuditEntryNotFoundError(`seq ${seq}`);
  const entryId = toInt(row.id);

  const checkpointId = toInt(row.checkpoint_id);
  const [cpRow] =
    checkpointId === null
      ? []
      : await rows<CheckpointRow>(db, sql`select ${CHECKPOINT_COLUMNS} from audit_checkpoints where id = ${checkpointId}`);
  if (!cpRow) throw new AuditLogInconsistentError(`entry seq ${seq} names checkpoint ${checkpointId ?? "none"}, which does not exist`);
  const checkpoint = checkpointOf(cpRow);
  if (seq < checkpoint.firstSeq || seq > checkpoint.lastSeq) {
    throw new AuditLogInconsistentError(`entry seq ${seq} (id ${entryId}) lies outside its checkpoint #${checkpoint.id}`);
  }

  const members = await rows<EntryRow>(
    db,
    sql`select ${ENTRY_COLUMNS} from audit_entries
        where seq between ${checkpoint.firstSeq} and ${checkpoint.lastSeq} order by seq`,
  );
  const treeSize = checkpoint.lastSeq - checkpoint.firstSeq + 1;
  if (members.length !== treeSize || members.some((m, i) => toInt(m.seq) !== checkpoint.firstSeq + i)) {
    throw new AuditLogInconsistentError(`checkpoint #${checkpoint.id} should hold ${treeSize} entries, found ${members.length}`);
  }
  const leaves = members.map((m) => leafHashOf(leafFieldsOf(m, toInt(m.seq)!)));
  if (merkleRoot(leaves) !== checkpoint.merkleRoot) {
    throw new AuditLogInconsistentError(`the entries of checkpoint #${checkpoint.id} do not match its Merkle root`);
  }

  const leafIndex = seq - checkpoint.firstSeq;
  return {
    entry: leafFieldsOf(row, seq),
    leafHash: leaves[leafIndex]!,
    leafIndex,
    treeSize,
    auditPath: inclusionPath(leaves, leafIndex),
    checkpoint,
  };
}

/**
 * Checks a receipt with nothing but its own content and the audit public key(s): the leaf is
 * recomputed from the entry's fields, the root from the audit path, the checkpoint hash from the
 * checkpoint's fields, and its signature. Returns false for any mismatch or malformed receipt;
 * never throws.
 */
export function verifyReceipt(receipt: AuditReceipt, keys: readonly AuditPublicKey[]): boolean {
  try {
    const { entry, checkpoint: cp } = receipt;
    if (!Number.isSafeInteger(entry.seq) || !Number.isSafeInteger(entry.id)) return false;
    if (checkCheckpointSignature(cp, keys) !== "ok") return false;
    const leaf = leafHashOf(entry);
    if (receipt.leafHash !== leaf) return false;
    if (receipt.leafIndex !== entry.seq - cp.firstSeq || receipt.treeSize !== cp.lastSeq - cp.firstSeq + 1) return false;
    return verifyInclusion(leaf, receipt.leafIndex, receipt.treeSize, receipt.auditPath, cp.merkleRoot);
  } catch {
    return false;
  }
}

/**
 * Checkpoints in order, for publishing elsewhere (a transparency page, a notary, another
 * organization's archive). Each one's hash commits to all before it and is signed, so a published
 * checkpoint pins the whole log up to its last seq.
 */
export async function listCheckpoints(db: Db, opts: { afterId?: number; limit?: number } = {}): Promise<Checkpoint[]> {
  const found = await rows<CheckpointRow>(
    db,
    sql`select ${CHECKPOINT_COLUMNS} from audit_checkpoints
        where id > ${opts.afterId ?? 0} order by id limit ${opts.limit ?? 1000}`,
  );
  return found.map(checkpointOf);
}
