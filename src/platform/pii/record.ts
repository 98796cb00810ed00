import type { Db } from "../db/index.js";
import { piiReveals } from "./schema.js";

/**
 * Keeps one reveal of personal data: who saw which field of what, for which stated purpose, until
 * when. The caller writes the audit entry in the same transaction.
 */
export async function recordPiiReveal(
  tx: Db,
  r: { userId: string; entityType: string; entityId: string; field: string; purpose: string; grantedAt: Date; expiresAt: Date },
): Promise<void> {
  await tx.insert(piiReveals).values(r);
}
