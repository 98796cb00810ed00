/**
 * `gongzhi audit verify` and `gongzhi audit seal`: the command-line faces of `verifyAuditLog` and
 * `sealPending`. The CLI wires them up; they print a readable verdict and return the exit code.
 * Verify only reads: it never seals what it finds pending, since sealing vouches for entries.
 */
import fs from "node:fs";
import type { Db } from "../db/index.js";
import { verifyAuditLog, type AuditVerification } from "./verify.js";
import { sealPending, type SealOptions } from "./sealer.js";
import { checkpointsIn, readHeadFile, type Witness } from "./heads.js";
import type { AuditPublicKey } from "./signing.js";

export function describeVerification(v: AuditVerification): string[] {
  const pending = v.pending > 0 ? `; ${v.pending} recent entries pending sealing (not yet covered)` : "";
  const witnesses = v.witnesses > 0 ? `, reaching all ${v.witnesses} signed heads kept outside the database` : "";
  if (v.ok) return [`audit log intact: ${v.entries} entries in ${v.checkpoints} signed checkpoints verified${witnesses}${pending}`];
  const bad = v.firstBad!;
  const where =
    bad.seq !== null
      ? `entry seq ${bad.seq}${bad.id !== null ? ` (id ${bad.id})` : ""}`
      : bad.checkpointId !== undefined
        ? `checkpoint #${bad.checkpointId}`
        : bad.id !== null
          ? `entry id ${bad.id}`
          : "head";
  return [
    `audit log TAMPERED: first bad ${where}`,
    `  ${bad.reason}`,
    `  (${v.entries} entries and ${v.checkpoints} checkpoints checked before it${pending})`,
  ];
}

/** A head file or `--head` argument that is neither readable JSON nor a checkpoint, receipt or list of them. */
export class AuditWitnessError extends Error {
  constructor(source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = "AuditWitnessError";
  }
}

/**
 * The heads to hold the database to: the head file (when there is one) and each `--head`, a file
 * or inline JSON holding a checkpoint, a receipt, an `audit.checkpoint` webhook body or a list.
 * `notes` says what could not be checked.
 */
export function loadWitnesses(headFile: string | null, heads: readonly string[]): { witnesses: Witness[]; notes: string[] } {
  const witnesses: Witness[] = [];
  const notes: string[] = [];
  if (headFile) {
    let cp;
    try {
      cp = readHeadFile(headFile);
    } catch {
      throw new AuditWitnessError(`the head file ${headFile}`, "cannot be read as a signed checkpoint (damaged or replaced?)");
    }
    if (cp) witnesses.push({ source: `the head file ${headFile}`, checkpoint: cp });
    else notes.push(`note: no head file at ${headFile}; without it (or --head) a log cut short at its end cannot be told from a shorter one`);
  } else {
    notes.push("note: no head file is configured (GONGZHI_AUDIT_HEAD_FILE=off); give signed heads with --head to detect a log cut short at its end");
  }
  for (const arg of heads) {
    const inline = /^\s*[[{]/.test(arg);
    const source = inline ? "(inline JSON)" : arg;
    const label = `--head ${source}`;
    let doc: unknown;
    try {
      doc = JSON.parse(inline ? arg : fs.readFileSync(arg, "utf8"));
    } catch (e) {
      throw new AuditWitnessError(label, (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "not readable JSON");
    }
    try {
      checkpointsIn(doc).forEach((checkpoint, i, all) => witnesses.push({ source: all.length > 1 ? `${source} [${i + 1}]` : source, checkpoint }));
    } catch (e) {
      throw new AuditWitnessError(label, (e as Error).message);
    }
  }
  return { witnesses, notes };
}

export interface VerifyCommandOptions {
  publicKeys: readonly AuditPublicKey[];
  witnesses: readonly Witness[];
  stalePendingMs: number;
}

/** Verifies the log, prints the verdict, returns the process exit code (0 intact, 1 tampered). Writes nothing. */
export async function runAuditVerify(db: Db, opts: VerifyCommandOptions, print: (line: string) => void): Promise<number> {
  const v = await verifyAuditLog(db, opts);
  for (const line of describeVerification(v)) print(line);
  return v.ok ? 0 : 1;
}

/** `gongzhi audit seal`: seals what is pending (as the server does every second), prints what it did. */
export async function runAuditSeal(db: Db, opts: SealOptions, print: (line: string) => void): Promise<void> {
  const r = await sealPending(db, opts);
  print(r.sealed === 0 ? "nothing to seal" : `sealed ${r.sealed} entries in ${r.checkpoints} signed checkpoints`);
}
