/** The audit room's public face: record in a transaction, seal and sign after commit, verify, prove. */
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
export {
  verifyAuditLog,
  DEFAULT_STALE_PENDING_MS,
  type AuditProblem,
  type AuditVerification,
  type VerifyOptions,
} from "./verify.js";
export {
  inclusionProof,
  sealedSeqOf,
  verifyReceipt,
  listCheckpoints,
  AuditEntryNotFoundError,
  AuditEntryNotSealedError,
  AuditLogInconsistentError,
  type AuditReceipt,
  type ReceiptEntry,
} from "./receipt.js";
export {
  AuditKeyError,
  AuditPublicKey,
  AuditSigner,
  generateAuditSigningKey,
  parseAuditPublicKey,
  parseAuditSigningKey,
} from "./signing.js";
export { checkpointsIn, readHeadFile, type Witness } from "./heads.js";
export { describeVerification, loadWitnesses, runAuditSeal, runAuditVerify, AuditWitnessError } from "./command.js";
export type { Checkpoint } from "./rows.js";
export type { LeafFields } from "./chain.js";
export { insertAuditEntries, reserveAuditIds, type NewAuditEntry } from "./bulk.js";
