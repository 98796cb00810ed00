/** The audit room's public face: record in a transaction, seal after commit, verify, prove. */
export { recordAudit, canonicalJson, sha256Hex, type AuditActor, type AuditInput } from "./service.js";
export {
  sealPending,
  startSealer,
  pendingCount,
  AuditChainBrokenError,
  DEFAULT_BATCH_SIZE,
  type SealOptions,
  type SealResult,
  type Sealer,
  type SealerOptions,
} from "./sealer.js";
export { verifyAuditLog, type AuditProblem, type AuditVerification, type VerifyOptions } from "./verify.js";
export {
  inclusionProof,
  verifyReceipt,
  listCheckpoints,
  AuditEntryNotFoundError,
  AuditEntryNotSealedError,
  AuditLogInconsistentError,
  type AuditReceipt,
  type ReceiptEntry,
} from "./receipt.js";
export { describeVerification, runAuditVerify } from "./command.js";
export type { Checkpoint } from "./rows.js";
export type { LeafFields } from "./chain.js";
