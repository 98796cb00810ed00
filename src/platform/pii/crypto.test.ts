import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { decryptField, encryptField, keyIdOf, needsRotation, PiiCryptoError, rotateField, searchHash } from "./crypto.js";
import { parseDataKeys } from "./keys.js";

const b64 = (): string => randomBytes(32).toString("base64");
const k1 = b64();
const k2 = b64();
const ks = b64();
const before = parseDataKeys(`1:${k1},s:${ks}`);
/** After rotation: key 2 is current, key 1 kept for reading. */
const after = parseDataKeys(`2:${k2},1:${k1},s:${ks}`);
/** Key 1 retired once everything is rotated. */
const retired = parseDataKeys(`2:${k2},s:${ks}`);

const idNumber = "11010519491231002X";
const phone = "13812345678";
const ctx = "persons.id_number";

function cryptoError(fn: () => unknown): PiiCryptoError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PiiCryptoError);
    return e as PiiCryptoError;
  }
  throw new Error("expected PiiCryptoError");
}

function expectClean(err: Error, ...secrets: string[]): void {
  for (const text of [err.message, String(err), inspect(err), JSON.stringify(err)]) {
    for (const s of [idNumber, phone, k1, k2, ks, ...secrets]) expect(text).not.toContain(s);
  }
}

describe("encryptField / decryptField", () => {
  it("round-trips, with a fresh IV each time", () => {
    const a = encryptField(before, idNumber, ctx);
    const b = encryptField(before, idNumber, ctx);
    expect(a).toMatch(/^v1\.1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(idNumber);
    expect(decryptField(before, a, ctx)).toBe(idNumber);
    expect(decryptField(before, b, ctx)).toBe(idNumber);
    expect(decryptField(before, encryptField(before, "", ctx), ctx)).toBe("");
    expect(decryptField(before, encryptField(before, "王建国 ☎ 028-85123456", "x.y"), "x.y")).toBe("王建国 ☎ 028-85123456");
  });

  it("fails for another context (no swapping values between columns)", () => {
    const sealed = encryptField(before, idNumber, ctx);
    const err = cryptoError(() => decryptField(before, sealed, "persons.phone"));
    expect(err.code).toBe("decrypt_failed");
    expectClean(err, sealed);
  });

  it("fails for tampered values, each part", () => {
    const sealed = encryptField(before, phone, "persons.phone");
    const [v, id, iv, ct] = sealed.split(".") as [string, string, string, string];
    const flip = (s: string, i: number): string => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    for (const tampered of [
      [v, id, flip(iv, 3), ct].join("."),
      [v, id, iv, flip(ct, 2)].join("."),
      [v, id, iv, flip(ct, ct.length - 3)].join("."),
    ]) {
      const err = cryptoError(() => decryptField(before, tampered, "persons.phone"));
      expect(err.code).toBe("decrypt_failed");
      expectClean(err, tampered);
    }
    // Claiming another key id: unknown here, wrong key where it exists.
    expect(cryptoError(() => decryptField(before, ["v1", "2", iv, ct].join("."), "persons.phone")).code).toBe("unknown_key");
    expect(cryptoError(() => decryptField(after, ["v1", "2", iv, ct].join("."), "persons.phone")).code).toBe("decrypt_failed");
  });

  it("rejects malformed values without echoing them", () => {
    const sealed = encryptField(before, idNumber, ctx);
    const [, , iv, ct] = sealed.split(".") as [string, string, string, string];
    for (const bad of [
      "",
      idNumber,
      `v2.1.${iv}.${ct}`,
      `v1.x.${iv}.${ct}`,
      `v1.1.${iv}`,
      `v1.1.${iv}.${ct}.x`,
      `v1.1.${iv}A.${ct}`,
      `v1.1.${iv}.${ct.slice(0, 10)}`,
      `v1.1.${iv}.${ct}==`,
    ]) {
      const err = cryptoError(() => decryptField(before, bad, ctx));
      expect(err.code).toBe("malformed");
      expectClean(err, ...(bad ? [bad] : []));
    }
  });

  it("requires a context", () => {
    expect(cryptoError(() => encryptField(before, idNumber, " ")).code).toBe("invalid_context");
  });

  it("fails cleanly when a key was retired too early", () => {
    const err = cryptoError(() => decryptField(retired, encryptField(before, idNumber, ctx), ctx));
    expect(err.code).toBe("unknown_key");
    expect(err.message).toBe("the value was encrypted under key 1, which is not in the configured keyring");
    expectClean(err);
  });

  it("fails cleanly with other key material under the same id", () => {
    const impostor = parseDataKeys(`1:${b64()},s:${ks}`);
    const err = cryptoError(() => decryptField(impostor, encryptField(before, idNumber, ctx), ctx));
    expect(err.code).toBe("decrypt_failed");
    expectClean(err);
  });
});

describe("rotation", () => {
  it("still reads old-key values and moves them to the current key", () => {
    const old = encryptField(before, idNumber, ctx);
    expect(needsRotation(before, old)).toBe(false);
    expect(needsRotation(after, old)).toBe(true);
    expect(decryptField(after, old, ctx)).toBe(idNumber);

    const rotated = rotateField(after, old, ctx);
    expect(keyIdOf(rotated)).toBe("2");
    expect(needsRotation(after, rotated)).toBe(false);
    expect(decryptField(after, rotated, ctx)).toBe(idNumber);
    // Once every value is rotated, key 1 can go.
    expect(decryptField(retired, rotated, ctx)).toBe(idNumber);
    // Still bound to its column after rotation.
    expect(cryptoError(() => decryptField(after, rotated, "persons.phone")).code).toBe("decrypt_failed");
  });

  it("returns a current value unchanged, and refuses a broken one", () => {
    const current = encryptField(after, phone, "persons.phone");
    expect(rotateField(after, current, "persons.phone")).toBe(current);
    const err = cryptoError(() => rotateField(after, current, "persons.id_number"));
    expect(err.code).toBe("decrypt_failed");
    expectClean(err);
  });
});

describe("searchHash", () => {
  it("is equal for equal values and separated by kind", () => {
    const h = searchHash(before, "idNumber", idNumber);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(searchHash(before, "idNumber", idNumber)).toBe(h);
    expect(searchHash(before, "idNumber", "110105194912310029")).not.toBe(h);
    expect(searchHash(before, "phone", "13812345678")).not.toBe(searchHash(before, "idNumber", "13812345678"));
  });

  it("is stable across encryption-key rotation, and changes with the search key", () => {
    for (const [kind, value] of [["idNumber", idNumber], ["phone", phone]] as const) {
      const h = searchHash(before, kind, value);
      expect(searchHash(after, kind, value)).toBe(h);
      expect(searchHash(retired, kind, value)).toBe(h);
      expect(searchHash(parseDataKeys(`1:${k1},s:${b64()}`), kind, value)).not.toBe(h);
    }
  });
});
