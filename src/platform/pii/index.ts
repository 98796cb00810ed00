export {
  DataKeyring,
  dataKeyBytes,
  generateDataKey,
  generateDataKeysValue,
  loadDataKeyring,
  loadOrCreateLocalKeyring,
  parseDataKeys,
  PiiConfigError,
  searchKeyId,
  type SearchKind,
} from "./keys.js";
export {
  decryptField,
  encryptField,
  keyIdOf,
  needsRotation,
  PiiCryptoError,
  rotateField,
  searchHash,
  type PiiCryptoErrorCode,
} from "./crypto.js";
export {
  idCheckDigit,
  makeIdNumber,
  validateIdNumber,
  validatePhone,
  type IdNumberResult,
  type PhoneResult,
} from "./validate.js";
export {
  createRevealGrant,
  grantCovers,
  isRevealActive,
  maxRevealWindowMs,
  purposeMaxLength,
  purposeMinLength,
  revealRemainingMs,
  revealWindowMs,
  validatePurpose,
  type PurposeResult,
  type RevealGrant,
} from "./reveal.js";
