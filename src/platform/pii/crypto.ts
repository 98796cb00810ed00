/**
 * Field encryption for personal data (PIPL): AES-256-GCM with a 96-bit random IV per value.
 *
 * Stored form: `v1.<keyId>.<iv base64url>.<ciphertext‖tag base64url>`. The associated data is
 * `gongzhi:v1:<keyId>:<context>`, so a value only decrypts under the header it was written with and
 * in the column (`context`, e.g. "persons.id_number") it was written for: copying a ciphertext into
 * another column fails instead of revealing it there.
 *
 * Errors (`PiiCryptoError`) say what went wrong in general terms and never carry the plaintext, the
 * ciphertext or key material, so they are safe in logs and error responses.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from "node:crypto";
import type { DataKeyring, SearchKind } from "./keys.js";

const version = "v1";
const ivBytes = 12;
const tagBytes = 16;
const base64urlPattern = /^[A-Za-z0-9_-]*$/;

export type PiiCryptoErrorCode = "malformed" | "unknown_key" | "decrypt_failed" | "invalid_context";

export class PiiCryptoError extends Error {
  constructor(
    readonly code: PiiCryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "PiiCryptoError";
  }
}

interface Parsed {
  keyId: string;
  iv: Buffer;
  sealed: Buffer;
}

function fromBase64url(text: string): Buffer | undefined {
  if (!base64urlPattern.test(text)) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}

function parse(ciphertext: string): Parsed {
  const malformed = (): PiiCryptoError =>
    new PiiCryptoError("malformed", `not an encrypted field value (expected ${version}.<key id>.<iv>.<ciphertext>)`);
  if (typeof ciphertext !== "string") throw malformed();
  const parts = ciphertext.split(".");
  if (parts.length !== 4) throw malformed();
  const [ver, keyId, ivText, sealedText] = parts as [string, string, string, string];
  if (ver !== version || !/^[1-9]\d{0,5}$/.test(keyId)) throw malformed();
  const iv = fromBase64url(ivText);
  const sealed = fromBase64url(sealedText);
  if (!iv || iv.length !== ivBytes || !sealed || sealed.length < tagBytes) throw malformed();
  return { keyId, iv, sealed };
}

function checkContext(context: string): void {
  if (typeof context !== "string" || context.trim() === "") {
    throw new PiiCryptoError("invalid_context", "an encryption context (such as table.column) is required");
  }
}

function associatedData(keyId: string, context: string): Buffer {
  return Buffer.from(`gongzhi:${version}:${keyId}:${context}`, "utf8");
}

/** Encrypts `plaintext` under the keyring's current key, bound to `context` ("table.column"). */
export function encryptField(keyring: DataKeyring, plaintext: string, context: string): string {
  checkContext(context);
  const keyId = keyring.currentKeyId;
  const key = keyring.encryptionKey(keyId);
  if (!key) throw new PiiCryptoError("unknown_key", `the current key ${keyId} is missing from the keyring`);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes });
  cipher.setAAD(associatedData(keyId, context));
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${version}.${keyId}.${iv.toString("base64url")}.${sealed.toString("base64url")}`;
}

/**
 * Decrypts a value written by `encryptField` for the same `context`. Throws `PiiCryptoError`:
 * `malformed`, `unknown_key` (written under a key no longer configured) or `decrypt_failed`
 * (wrong context, wrong key material, or the value was altered).
 */
export function decryptField(keyring: DataKeyring, ciphertext: string, context: string): string {
  checkContext(context);
  const { keyId, iv, sealed } = parse(ciphertext);
  const key = keyring.encryptionKey(keyId);
  if (!key) {
    throw new PiiCryptoError("unknown_key", `the value was encrypted under key ${keyId}, which is not in the configured keyring`);
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes });
    decipher.setAAD(associatedData(keyId, context));
    decipher.setAuthTag(sealed.subarray(sealed.length - tagBytes));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - tagBytes)), decipher.final()]).toString("utf8");
  } catch {
    // Node's own message ("Unsupported state or unable to authenticate data") says no more than this.
    throw new PiiCryptoError(
      "decrypt_failed",
      `the value does not decrypt under key ${keyId} for ${context}: wrong column, wrong key material, or altered`,
    );
  }
}

/**
 * Keyed hash for exact-match search: hex HMAC-SHA256 of the NORMALIZED value (from
 * `validateIdNumber` / `validatePhone`) under the kind's search key. Independent of the
 * encryption keys, so it stays the same across encryption-key rotation.
 */
export function searchHash(keyring: DataKeyring, kind: SearchKind, normalizedValue: string): string {
  return createHmac("sha256", keyring.searchKey(kind)).update(normalizedValue, "utf8").digest("hex");
}

/** The id of the key a stored value was written under. */
export function keyIdOf(ciphertext: string): string {
  return parse(ciphertext).keyId;
}

/** True when the value was written under a key other than the current one. */
export function needsRotation(keyring: DataKeyring, ciphertext: string): boolean {
  return parse(ciphertext).keyId !== keyring.currentKeyId;
}

/**
 * The value re-encrypted under the current key (with a fresh IV). Always decrypts first, so a
 * rotation run also proves every value is intact; a value already under the current key is
 * returned unchanged, which lets the caller skip writing it.
 */
export function rotateField(keyring: DataKeyring, ciphertext: string, context: string): string {
  const plaintext = decryptField(keyring, ciphertext, context);
  if (!needsRotation(keyring, ciphertext)) return ciphertext;
  return encryptField(keyring, plaintext, context);
}
