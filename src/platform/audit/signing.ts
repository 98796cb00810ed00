/**
 * 签名 The audit signing key: Ed25519 (node:crypto), kept outside the database like the data keys.
 *
 * `GONGZHI_AUDIT_SIGNING_KEY="ed25519:<base64 of the 32-byte private seed>"` (production, from a
 * secret store; required with DATABASE_URL), or for the embedded database the key file
 * `audit-signing-key.txt` in the data directory, created on first start. Every checkpoint is signed
 * with it, so someone who can write the database but not read this key cannot forge a checkpoint,
 * and whoever holds the public key (GET /api/audit/public-key) can check one.
 *
 * The private key never appears in an error message, `String()`, `JSON.stringify` or
 * `util.inspect` of a signer: it is held as a `KeyObject` behind a private field.
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from "node:crypto";
import fs from "node:fs";
import { inspect } from "node:util";
import { createSecretFileOnce } from "../secret-file.js";

const PREFIX = "ed25519:";
const SEED_BYTES = 32;
/** PKCS#8 DER of an Ed25519 private key is this header followed by the 32-byte seed (RFC 8410). */
const PKCS8_HEADER = Buffer.from("302e020100300506032b657004220420", "hex");
/** SPKI DER of an Ed25519 public key is this header followed by the 32 raw bytes. */
const SPKI_HEADER = Buffer.from("302a300506032b6570032100", "hex");
const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** What is signed: the checkpoint hash, behind a label so the signature means nothing elsewhere. */
export function signedMessage(checkpointHash: string): Buffer {
  return Buffer.from(`gongzhi/audit/checkpoint/v2:${checkpointHash}`, "utf8");
}

/** A bad signing key or public key; one readable line per problem, never key material. */
export class AuditKeyError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "AuditKeyError";
  }
}

/** A public key that checkpoints can be checked against. */
export class AuditPublicKey {
  readonly #key: KeyObject;
  /** First 16 hex digits of SHA-256 of the raw public key; each checkpoint names the key that signed it. */
  readonly keyId: string;
  /** `ed25519:<base64 of the 32 raw bytes>`: the form configuration and `--public-key` take. */
  readonly text: string;

  constructor(raw: Buffer) {
    if (raw.length !== SEED_BYTES) throw new AuditKeyError([`an Ed25519 public key is ${SEED_BYTES} bytes`]);
    this.#key = createPublicKey({ key: Buffer.concat([SPKI_HEADER, raw]), format: "der", type: "spki" });
    this.keyId = createHash("sha256").update(raw).digest("hex").slice(0, 16);
    this.text = `${PREFIX}${raw.toString("base64")}`;
  }

  /** PEM (SPKI), for `openssl pkeyutl -verify` and other tools. */
  get pem(): string {
    return this.#key.export({ format: "pem", type: "spki" }).toString();
  }

  /** Does `signature` (base64) sign this checkpoint hash under this key? Never throws. */
  verifies(checkpointHash: string, signature: string): boolean {
    try {
      if (typeof signature !== "string" || !base64Pattern.test(signature)) return false;
      const bytes = Buffer.from(signature, "base64");
      if (bytes.length !== 64) return false;
      return verify(null, signedMessage(checkpointHash), this.#key, bytes);
    } catch {
      return false;
    }
  }

  toJSON(): { keyId: string; publicKey: string } {
    return { keyId: this.keyId, publicKey: this.text };
  }
}

/** The private signing key with its public half. Built by `parseAuditSigningKey`. */
export class AuditSigner {
  readonly #key: KeyObject;
  readonly publicKey: AuditPublicKey;

  constructor(seed: Buffer) {
    if (seed.length !== SEED_BYTES) throw new AuditKeyError([`an Ed25519 private key is ${SEED_BYTES} bytes`]);
    this.#key = createPrivateKey({ key: Buffer.concat([PKCS8_HEADER, seed]), format: "der", type: "pkcs8" });
    const spki = createPublicKey(this.#key).export({ format: "der", type: "spki" });
    this.publicKey = new AuditPublicKey(spki.subarray(SPKI_HEADER.length));
  }

  get keyId(): string {
    return this.publicKey.keyId;
  }

  /** Base64 Ed25519 signature of the checkpoint hash. */
  sign(checkpointHash: string): string {
    return sign(null, signedMessage(checkpointHash), this.#key).toString("base64");
  }

  toJSON(): { keyId: string } {
    return { keyId: this.keyId };
  }

  toString(): string {
    return `AuditSigner(key ${this.keyId})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function decode(text: string, name: string, what: string): Buffer {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) throw new AuditKeyError([`${name} must look like "${PREFIX}<base64 of ${SEED_BYTES} bytes>"`]);
  const body = t.slice(PREFIX.length);
  const standard = body.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const bytes = Buffer.from(standard, "base64");
  if (!base64Pattern.test(body) || bytes.toString("base64").replace(/=+$/, "") !== standard) {
    throw new AuditKeyError([`${name}: the ${what} is not valid base64`]);
  }
  if (bytes.length !== SEED_BYTES) throw new AuditKeyError([`${name}: the ${what} must decode to exactly ${SEED_BYTES} bytes`]);
  if (bytes.every((b) => b === bytes[0])) {
    throw new AuditKeyError([`${name}: the ${what} is a placeholder (all bytes equal); generate one with \`gongzhi audit keygen\``]);
  }
  return bytes;
}

/** Parses `GONGZHI_AUDIT_SIGNING_KEY`. Messages never repeat the value: a mistyped value may be a key. */
export function parseAuditSigningKey(raw: string | undefined, name = "GONGZHI_AUDIT_SIGNING_KEY"): AuditSigner {
  if (raw === undefined || raw.trim() === "") throw new AuditKeyError([`${name} is empty; create a value with \`gongzhi audit keygen\``]);
  return new AuditSigner(decode(raw, name, "private key"));
}

/** Parses a public key as published (`ed25519:<base64 of 32 bytes>`). */
export function parseAuditPublicKey(raw: string, name = "the public key"): AuditPublicKey {
  return new AuditPublicKey(decode(raw, name, "public key"));
}

/** A fresh `GONGZHI_AUDIT_SIGNING_KEY` value. */
export function generateAuditSigningKey(): string {
  return `${PREFIX}${randomBytes(SEED_BYTES).toString("base64")}`;
}

function readKeyFile(file: string): AuditSigner {
  const content = fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith("#"))
    .join("")
    .trim();
  return parseAuditSigningKey(content, `the audit key file ${file}`);
}

/**
 * The embedded database's key file: read it, or create it (mode 0600, atomically: written aside,
 * then hard-linked into place, so two processes starting together agree) when there is none.
 */
export function loadOrCreateLocalSigningKey(file: string): { signer: AuditSigner; created: boolean } {
  const created = createSecretFileOnce(
    file,
    () =>
      "# Gongzhi audit signing key (GONGZHI_AUDIT_SIGNING_KEY format). It signs the audit log's\n" +
      "# checkpoints: keep it apart from database backups, and do not share it.\n" +
      `${generateAuditSigningKey()}\n`,
  );
  return { signer: readKeyFile(file), created };
}

/** The key file when it exists (for checking only: verification never creates a key). */
export function loadLocalSigningKey(file: string): AuditSigner | undefined {
  return fs.existsSync(file) ? readKeyFile(file) : undefined;
}
