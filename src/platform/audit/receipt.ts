/**
 * 回执 Receipts: an entry with its RFC 6962 inclusion proof in its checkpoint's Merkle tree.
 * Whoever holds one can check, without the database, that the entry is exactly as sealed and
 * belongs to the checkpoint; comparing the checkpoint hash with a published copy (see
 * `listCheckpoints`) then shows the log itself was not rewritten.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../db/index.js";
import { checkpointHashOf, leafHashOf, type LeafFields } from "./chain.js";
import { inclusionPath, isHash, merkleRoot, verifyInclusion } from "./merkle.js";
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

export interface ReceiptEntry extends LeafFields {
  id: number;
}

export interface AuditReceipt {
  entry: ReceiptEntry;
  leafHash: string;
  /** Position of the entry in its checkpoint's tree: seq - checkpoint.firstSeq. */
  leafIndex: number;
  /** Leaves in the checkpoint's tree: lastSeq - firstSeq + 1. */
  treeSize: number;
  /** Sibling hashes from the leaf up to the root (RFC 6962 PATH). */
  auditPath: string[];
  checkpoint: Checkpoint;
}

export class AuditEntryNotFoundError extends Error {
  readonly code = "audit_entry_not_found";
  constructor(readonly entryId: number) {
    super(`audit entry ${entryId} does not exist`);
    this.name = "AuditEntryNotFoundError";
  }
}

/** Receipts exist only for sealed entries; the sealer runs every second or so. */
export class AuditEntryNotSealedError extends Error {
  readonly code = "audit_entry_not_sealed";
  constructor(readonly entryId: number) {
    super(`audit entry ${entryId} is not sealed yet; its receipt is available once the sealer has run (within seconds)`);
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

/** Builds the receipt of a sealed entry. Refuses rather than issue a proof the log itself contradicts. */
export async function inclusionProof(db: Db, entryId: number): Promise<AuditReceipt> {
  const [row] = await rows<EntryRow>(db, sql`select ${ENTRY_COLUMNS} from audit_entries where id = ${entryId}`);
  if (!row) throw new AuditEntryNotFoundError(entryId);
  const seq = toInt(row.seq);
  if (seq === null) throw new AuditEntryNotSealedError(entryId);

  const checkpointId = toInt(row.checkpoint_id);
  const [cpRow] =
    checkpointId === null
      ? []
      : await rows<CheckpointRow>(db, sql`select ${CHECKPOINT_COLUMNS} from audit_checkpoints where id = ${checkpointId}`);
  if (!cpRow) throw new AuditLogInconsistentError(`entry ${entryId} names checkpoint ${checkpointId ?? "none"}, which does not exist`);
  const checkpoint = checkpointOf(cpRow);
  if (seq < checkpoint.firstSeq || seq > checkpoint.lastSeq) {
    throw new AuditLogInconsistentError(`entry ${entryId} (seq ${seq}) lies outside its checkpoint #${checkpoint.id}`);
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
    entry: { id: toInt(row.id), ...leafFieldsOf(row, seq) },
    leafHash: leaves[leafIndex]!,
    leafIndex,
    treeSize,
    auditPath: inclusionPath(leaves, leafIndex),
    checkpoint,
  };
}

/**
 * Checks a receipt with nothing but its own content: the leaf is recomputed from the entry's
 * fields, the root from the audit path, and the checkpoint hash from the checkpoint's fields.
 * Returns false for any mismatch or malformed receipt; never throws.
 */
export function verifyReceipt(receipt: AuditReceipt): boolean {
  try {
    const { entry, checkpoint: cp } = receipt;
    if (!Number.isSafeInteger(entry.seq) || !Number.isSafeInteger(cp.firstSeq) || !Number.isSafeInteger(cp.lastSeq)) return false;
    if (!isHash(cp.merkleRoot) || !isHash(cp.headHash) || !isHash(cp.checkpointHash)) return false;
    if (cp.prevCheckpointHash !== null && !isHash(cp.prevCheckpointHash)) return false;
    const leaf = leafHashOf(entry);
    if (receipt.leafHash !== leaf) return false;
    if (receipt.leafIndex !== entry.seq - cp.firstSeq || receipt.treeSize !== cp.lastSeq - cp.firstSeq + 1) return false;
    if (!verifyInclusion(leaf, receipt.leafIndex, receipt.treeSize, receipt.auditPath, cp.merkleRoot)) return false;
    return checkpointHashOf(cp) === cp.checkpointHash;
  } catch {
    return false;
  }
}

/**
 * Checkpoints in order, for publishing elsewhere (a transparency page, a notary, another
 * organization's archive). Each one's hash commits to all before it, so a published checkpoint
 * pins the whole log up to its last seq.
 */
export async function listCheckpoints(db: Db, opts: { afterId?: number; limit?: number } = {}): Promise<Checkpoint[]> {
  const found = await rows<CheckpointRow>(
    db,
    sql`select ${CHECKPOINT_COLUMNS} from audit_checkpoints
        where id > ${opts.afterId ?? 0} order by id limit ${opts.limit ?? 1000}`,
  );
  return found.map(checkpointOf);
}
