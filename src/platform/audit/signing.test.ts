import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { createPublicKey, verify } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, resolveAuditSigner } from "../config.js";
import {
  AuditKeyError,
  generateAuditSigningKey,
  loadLocalSigningKey,
  loadOrCreateLocalSigningKey,
  parseAuditPublicKey,
  parseAuditSigningKey,
  signedMessage,
} from "./signing.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-audit-key-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

// RFC 8032 §7.1, test 1: the seed and the public key it must give.
const rfcSeed = Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex");
const rfcPublic = Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex");

describe("audit signing key", () => {
  it("is a standard Ed25519 key: the RFC 8032 seed gives its public key, and openssl-style tools can check a signature", () => {
    const signer = parseAuditSigningKey(`ed25519:${rfcSeed.toString("base64")}`);
    expect(signer.publicKey.text).toBe(`ed25519:${rfcPublic.toString("base64")}`);
    const hash = "ab".repeat(32);
    const signature = signer.sign(hash);
    expect(signer.publicKey.verifies(hash, signature)).toBe(true);
    expect(signer.publicKey.verifies("cd".repeat(32), signature)).toBe(false);
    // What GET /api/audit/public-key publishes is enough to check it outside Gongzhi.
    const published = parseAuditPublicKey(signer.publicKey.text);
    expect(published.keyId).toBe(signer.keyId);
    expect(verify(null, signedMessage(hash), createPublicKey(published.pem), Buffer.from(signature, "base64"))).toBe(true);
    expect(signedMessage(hash).toString()).toBe(`gongzhi/audit/checkpoint/v2:${hash}`);
  });

  it("refuses bad values in one line each, without repeating them", () => {
    const secretish = "ed25519:c2VjcmV0LWJ1dC10b28tc2hvcnQ";
    for (const [raw, message] of [
      ["", /is empty/],
      ["c2VjcmV0", /must look like "ed25519:<base64 of 32 bytes>"/],
      [secretish, /must decode to exactly 32 bytes/],
      ["ed25519:!!!", /not valid base64/],
      [`ed25519:${Buffer.alloc(32, 7).toString("base64")}`, /placeholder/],
    ] as const) {
      let error: unknown;
      try {
        parseAuditSigningKey(raw);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AuditKeyError);
      expect((error as AuditKeyError).problems).toHaveLength(1);
      expect((error as AuditKeyError).message).toMatch(message);
      if (raw.length > 8) expect((error as AuditKeyError).message).not.toContain(raw.slice(8));
    }
  });

  it("never shows the private key when printed or serialized", () => {
    const value = generateAuditSigningKey();
    const signer = parseAuditSigningKey(value);
    const seed = value.slice("ed25519:".length);
    for (const shown of [String(signer), JSON.stringify(signer), inspect(signer, { depth: 5 })]) {
      expect(shown).toContain(signer.keyId);
      expect(shown).not.toContain(seed);
    }
  });

  it("keeps the embedded database's key in a file of its own, created once with mode 0600", () => {
    const file = path.join(tempDir(), "audit-signing-key.txt");
    expect(loadLocalSigningKey(file)).toBeUndefined();
    const first = loadOrCreateLocalSigningKey(file);
    expect(first.created).toBe(true);
    if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateLocalSigningKey(file);
    expect(again.created).toBe(false);
    expect(again.signer.keyId).toBe(first.signer.keyId);
    expect(loadLocalSigningKey(file)?.keyId).toBe(first.signer.keyId);
  });
});

describe("audit configuration", () => {
  it("requires the key from the environment with PostgreSQL, and otherwise keeps a key file in the data directory", () => {
    const pg = loadConfig({ DATABASE_URL: "postgres://u:p@db.example:5433/gongzhi", GONGZHI_DATA_DIR: tempDir() });
    expect(() => resolveAuditSigner(pg)).toThrow(ConfigError);
    expect(() => resolveAuditSigner(pg)).toThrow(/GONGZHI_AUDIT_SIGNING_KEY is required with DATABASE_URL/);
    expect(resolveAuditSigner(pg, { create: false }).signer).toBeUndefined();

    const dataDir = tempDir();
    const embedded = loadConfig({ GONGZHI_DATA_DIR: dataDir });
    expect(resolveAuditSigner(embedded, { create: false }).signer).toBeUndefined();
    expect(fs.existsSync(path.join(dataDir, "audit-signing-key.txt"))).toBe(false);
    const made = resolveAuditSigner(embedded);
    expect(made.createdFile).toBe(path.join(dataDir, "audit-signing-key.txt"));
    expect(resolveAuditSigner(embedded, { create: false }).signer?.keyId).toBe(made.signer.keyId);

    const value = generateAuditSigningKey();
    expect(resolveAuditSigner(loadConfig({ DATABASE_URL: "postgres://db/x", GONGZHI_AUDIT_SIGNING_KEY: value })).signer.keyId).toBe(
      parseAuditSigningKey(value).keyId,
    );
  });

  it("puts the head file beside the data, one per PostgreSQL database, or nowhere when off", () => {
    const dataDir = tempDir();
    expect(loadConfig({ GONGZHI_DATA_DIR: dataDir }).auditHeadFile).toBe(path.join(dataDir, "audit-head.json"));
    expect(loadConfig({ GONGZHI_DATA_DIR: dataDir, DATABASE_URL: "postgres://u:p@db.example:5433/gongzhi" }).auditHeadFile).toBe(
      path.join(dataDir, "audit-head-db.example_5433_gongzhi.json"),
    );
    expect(loadConfig({ GONGZHI_AUDIT_HEAD_FILE: "/var/lib/gongzhi/head.json" }).auditHeadFile).toBe("/var/lib/gongzhi/head.json");
    expect(loadConfig({ GONGZHI_AUDIT_HEAD_FILE: "off" }).auditHeadFile).toBeNull();
  });

  it("lists every bad audit setting in one configuration error", () => {
    let error: unknown;
    try {
      loadConfig({ GONGZHI_AUDIT_SIGNING_KEY: "nonsense", GONGZHI_AUDIT_PREVIOUS_PUBLIC_KEYS: `${parseAuditSigningKey(generateAuditSigningKey()).publicKey.text}, ed25519:AAAA` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'GONGZHI_AUDIT_SIGNING_KEY must look like "ed25519:<base64 of 32 bytes>"',
      "GONGZHI_AUDIT_PREVIOUS_PUBLIC_KEYS entry 2: the public key must decode to exactly 32 bytes",
    ]);
  });
});
