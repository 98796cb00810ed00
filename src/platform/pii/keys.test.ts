import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  DataKeyring,
  generateDataKey,
  generateDataKeysValue,
  loadDataKeyring,
  loadOrCreateLocalKeyring,
  parseDataKeys,
  PiiConfigError,
} from "./keys.js";

const b64 = (): string => randomBytes(32).toString("base64");

function configError(raw: string | undefined): PiiConfigError {
  try {
    parseDataKeys(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(PiiConfigError);
    return e as PiiConfigError;
  }
  throw new Error("expected PiiConfigError");
}

/** Neither the message, String(err) nor the problems list may hold any piece of key text. */
function expectNoSecrets(err: Error, secrets: string[]): void {
  for (const secret of secrets) {
    for (const text of [err.message, String(err), JSON.stringify(err), inspect(err)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(0, 12));
    }
  }
}

describe("parseDataKeys", () => {
  it("takes the first numbered key as current and keeps the others", () => {
    const keyring = parseDataKeys(`2:${b64()}, 1:${b64()}\ns:${b64()}`);
    expect(keyring.currentKeyId).toBe("2");
    expect(keyring.keyIds).toEqual(["2", "1"]);
    expect(keyring.encryptionKey("1")).toBeDefined();
    expect(keyring.encryptionKey("3")).toBeUndefined();
  });

  it("accepts the search key anywhere and URL-safe base64 without padding", () => {
    const key = randomBytes(32).toString("base64url");
    expect(parseDataKeys(`s:${b64()},7:${key}`).currentKeyId).toBe("7");
  });

  it("rejects empty values", () => {
    expect(configError(undefined).message).toMatch(/GONGZHI_DATA_KEYS is empty/);
    expect(configError("  , ").message).toMatch(/is empty/);
  });

  it("names each bad entry by position, never by content", () => {
    const notBase64 = "not*base64*at*all*but*secret";
    const short = randomBytes(16).toString("base64");
    const long = randomBytes(48).toString("base64");
    const dupe = b64();
    const err = configError(`1:${notBase64},2:${short},3:${long},4:${dupe},4:${b64()},s:${b64()}`);
    expect(err.problems).toEqual([
      "GONGZHI_DATA_KEYS entry 1 (key 1): the key is not valid base64",
      "GONGZHI_DATA_KEYS entry 2 (key 2): the key must decode to exactly 32 bytes",
      "GONGZHI_DATA_KEYS entry 3 (key 3): the key must decode to exactly 32 bytes",
      "GONGZHI_DATA_KEYS entry 5 (key 4): key id 4 appears more than once",
    ]);
    expectNoSecrets(err, [notBase64, short, long, dupe]);
  });

  it("does not echo an entry whose id is missing or invalid (it may be a pasted key)", () => {
    const bare = b64();
    const reversed = b64();
    const err = configError(`${bare},${reversed}:1,s:${b64()}`);
    expect(err.problems[0]).toBe("GONGZHI_DATA_KEYS entry 1 is not of the form <id>:<base64 key>");
    expect(err.problems[1]).toMatch(/^GONGZHI_DATA_KEYS entry 2 has an invalid key id/);
    expectNoSecrets(err, [bare, reversed]);
  });

  it("requires an encryption key and a search key", () => {
    expect(configError(`s:${b64()}`).problems).toEqual([expect.stringMatching(/has no encryption key/)]);
    expect(configError(`1:${b64()}`).problems).toEqual([expect.stringMatching(/has no search key/)]);
  });

  it("rejects placeholders and a key reused under two ids", () => {
    const same = b64();
    const err = configError(`1:${Buffer.alloc(32).toString("base64")},2:${same},s:${same}`);
    expect(err.problems).toEqual([
      "GONGZHI_DATA_KEYS entry 1 (key 1): the key is a placeholder (all bytes equal); generate one with generateDataKey",
      "GONGZHI_DATA_KEYS entry 3 (search key s): holds the same key as key 2; every entry needs its own key",
    ]);
    expectNoSecrets(err, [same]);
  });

  it("keeps key material out of String, JSON and inspect of a keyring", () => {
    const k1 = b64();
    const ks = b64();
    const keyring = parseDataKeys(`1:${k1},s:${ks}`);
    for (const text of [String(keyring), JSON.stringify(keyring), inspect(keyring, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain(k1.slice(0, 12));
      expect(text).not.toContain(ks.slice(0, 12));
      expect(text).not.toContain(Buffer.from(k1, "base64").toString("hex").slice(0, 16));
    }
    expect(JSON.parse(JSON.stringify(keyring))).toEqual({ currentKeyId: "1", keyIds: ["1"] });
  });
});

describe("generateDataKey", () => {
  it("gives fresh keys that parse, with the next free id", () => {
    const value = generateDataKeysValue();
    expect(value).toMatch(/^1:[A-Za-z0-9+/]{43}=,s:[A-Za-z0-9+/]{43}=$/);
    const keyring = parseDataKeys(value);
    const next = generateDataKey({ keyring });
    expect(next).toMatch(/^2:/);
    const rotated = parseDataKeys(`${next},${value}`);
    expect(rotated.currentKeyId).toBe("2");
    expect(generateDataKey({ keyring: rotated })).toMatch(/^3:/);
    expect(generateDataKey({ search: true })).toMatch(/^s:/);
    expect(generateDataKey()).not.toBe(generateDataKey());
  });
});

describe("loadOrCreateLocalKeyring", () => {
  const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-pii-"));

  it("creates a 0600 key file once and reads the same keys afterwards", () => {
    const dir = tmp();
    try {
      const file = path.join(dir, "nested", "data-keys");
      const first = loadOrCreateLocalKeyring(file);
      expect(first.created).toBe(true);
      expect(first.keyring).toBeInstanceOf(DataKeyring);
      if (process.platform !== "win32") expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const second = loadOrCreateLocalKeyring(file);
      expect(second.created).toBe(false);
      expect(second.keyring.keyIds).toEqual(first.keyring.keyIds);
      // Same key material: the search key gives the same hash.
      const h = (k: DataKeyring): string => k.searchKey("phone").export().toString("hex");
      expect(h(second.keyring)).toBe(h(first.keyring));
      expect(fs.readdirSync(path.dirname(file))).toEqual(["data-keys"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a damaged file without its content", () => {
    const dir = tmp();
    try {
      const file = path.join(dir, "data-keys");
      const secret = b64();
      fs.writeFileSync(file, `# comment\n${secret}\n`, { mode: 0o600 });
      let err: unknown;
      try {
        loadOrCreateLocalKeyring(file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PiiConfigError);
      expect((err as Error).message).toContain(`the local key file ${file} entry 1 is not of the form`);
      expectNoSecrets(err as Error, [secret]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("loadDataKeyring", () => {
  it("prefers GONGZHI_DATA_KEYS and falls back to the local file when unset or blank", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-pii-"));
    try {
      const localFile = path.join(dir, "data-keys");
      const fromEnv = loadDataKeyring({ raw: generateDataKeysValue(), localFile });
      expect([fromEnv.source, fromEnv.created, fs.existsSync(localFile)]).toEqual(["env", false, false]);
      const fromFile = loadDataKeyring({ raw: " ", localFile });
      expect([fromFile.source, fromFile.created, fs.existsSync(localFile)]).toEqual(["file", true, true]);
      expect(loadDataKeyring({ raw: undefined, localFile }).created).toBe(false);
      expect(() => loadDataKeyring({ raw: "1:x", localFile })).toThrow(PiiConfigError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
