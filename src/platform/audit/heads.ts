/**
 * 树头 Signed heads outside the database. A checkpoint's signature proves who made it; only a copy
 * kept elsewhere proves it still exists. The sealer writes the newest one to the head file beside
 * the data; receipts and `audit.checkpoint` webhooks hand them out. Any of them, given back to the
 * verifier (or the sealer), shows a log that was cut short or rewritten behind it.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { checkpointHashOf } from "./chain.js";
import { isHash } from "./merkle.js";
import type { AuditPublicKey } from "./signing.js";
import type { Checkpoint } from "./rows.js";

/** Why a checkpoint's signature does not hold, or "ok". */
export type SignatureCheck = "ok" | "malformed" | "hash_mismatch" | "unknown_key" | "bad_signature";

/** Checks a checkpoint on its own: well-formed, its hash over its fields, signed by one of `keys`. */
export function checkCheckpointSignature(cp: Checkpoint, keys: readonly AuditPublicKey[]): SignatureCheck {
  if (!isWellFormed(cp)) return "malformed";
  if (checkpointHashOf(cp) !== cp.checkpointHash) return "hash_mismatch";
  const key = keys.find((k) => k.keyId === cp.keyId);
  if (!key) return "unknown_key";
  return key.verifies(cp.checkpointHash, cp.signature) ? "ok" : "bad_signature";
}

export function describeSignatureCheck(check: Exclude<SignatureCheck, "ok">, keyId: unknown): string {
  switch (check) {
    case "malformed":
      return "it is not a well-formed checkpoint";
    case "hash_mismatch":
      return "its hash does not match its fields (edited?)";
    case "unknown_key":
      return `it names signing key ${JSON.stringify(keyId)}, which is not a known audit key (forged?)`;
    case "bad_signature":
      return "its signature does not verify under the audit key (forged or edited?)";
  }
}

function isWellFormed(cp: Checkpoint): boolean {
  return (
    typeof cp === "object" &&
    cp !== null &&
    Number.isSafeInteger(cp.firstSeq) &&
    Number.isSafeInteger(cp.lastSeq) &&
    cp.firstSeq >= 1 &&
    cp.lastSeq >= cp.firstSeq &&
    isHash(cp.merkleRoot) &&
    isHash(cp.headHash) &&
    isHash(cp.checkpointHash) &&
    (cp.prevCheckpointHash === null || isHash(cp.prevCheckpointHash)) &&
    typeof cp.keyId === "string" &&
    typeof cp.signature === "string"
  );
}

/** A head handed out earlier and given back to be compared with the database. */
export interface Witness {
  /** Where it came from, for the report: "the head file data/audit-head.json", "receipt.json". */
  source: string;
  checkpoint: Checkpoint;
}

/**
 * The checkpoints in a JSON document a witness may hold: a checkpoint itself (the head file), a
 * receipt or an `audit.checkpoint` webhook body (`{ checkpoint }`), the public listing
 * (`{ items }`), or an array of any of these. Throws on anything else.
 */
export function checkpointsIn(doc: unknown): Checkpoint[] {
  if (Array.isArray(doc)) return doc.flatMap(checkpointsIn);
  if (typeof doc !== "object" || doc === null) throw new Error("not a checkpoint, receipt or list of checkpoints");
  const d = doc as Record<string, unknown>;
  if (Array.isArray(d.items)) return d.items.flatMap(checkpointsIn);
  if (typeof d.checkpoint === "object" && d.checkpoint !== null) return [d.checkpoint as Checkpoint];
  if ("checkpointHash" in d && "lastSeq" in d) return [d as unknown as Checkpoint];
  throw new Error("not a checkpoint, receipt or list of checkpoints");
}

/** The head file's content: the newest checkpoint this process sealed, or undefined when there is none. */
export function readHeadFile(file: string): Checkpoint | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const [cp] = checkpointsIn(JSON.parse(text));
  return cp;
}

/**
 * Replaces the head file with `cp`, unless it already holds a later head (another process sealed
 * further; either way the file stays a true head). Written aside and renamed into place, so a
 * reader never sees half a file.
 */
export function writeHeadFile(file: string, cp: Checkpoint): void {
  try {
    const current = readHeadFile(file);
    if (current && current.lastSeq >= cp.lastSeq) return;
  } catch {
    // An unreadable head file is replaced by a good one.
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const published: Checkpoint = {
    id: cp.id,
    firstSeq: cp.firstSeq,
    lastSeq: cp.lastSeq,
    merkleRoot: cp.merkleRoot,
    headHash: cp.headHash,
    prevCheckpointHash: cp.prevCheckpointHash,
    keyId: cp.keyId,
    checkpointHash: cp.checkpointHash,
    signature: cp.signature,
  };
  const fd = fs.openSync(aside, "wx", 0o644);
  try {
    fs.writeFileSync(fd, `${JSON.stringify(published, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(aside, file);
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
