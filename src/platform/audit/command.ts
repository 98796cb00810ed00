/**
 * `gongzhi audit verify`: the command-line face of `verifyAuditLog`. The CLI wires it up; it
 * prints a readable verdict and returns the exit code (0 intact, 1 tampered).
 */
import type { Db } from "../db/index.js";
import { verifyAuditLog, type AuditVerification } from "./verify.js";

export function describeVerification(v: AuditVerification): string[] {
  const pending = v.pending > 0 ? `; ${v.pending} recent entries pending sealing (not yet covered)` : "";
  if (v.ok) return [`audit log intact: ${v.entries} entries in ${v.checkpoints} checkpoints verified${pending}`];
  const bad = v.firstBad!;
  const where =
    bad.seq !== null
      ? `entry seq ${bad.seq}${bad.id !== null ? ` (id ${bad.id})` : ""}`
      : bad.checkpointId !== undefined
        ? `checkpoint #${bad.checkpointId}`
        : `entry id ${bad.id ?? "?"}`;
  return [
    `audit log TAMPERED: first bad ${where}`,
    `  ${bad.reason}`,
    `  (${v.entries} entries and ${v.checkpoints} checkpoints checked before it${pending})`,
  ];
}

/** Verifies the log, prints the verdict, returns the process exit code. */
export async function runAuditVerify(db: Db, print: (line: string) => void): Promise<number> {
  const v = await verifyAuditLog(db);
  for (const line of describeVerification(v)) print(line);
  return v.ok ? 0 : 1;
}
