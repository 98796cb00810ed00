/**
 * Data keys for personal-data fields (PIPL: ID numbers and phones encrypted at rest).
 *
 * `GONGZHI_DATA_KEYS="2:<base64 32 bytes>,1:<base64 32 bytes>,s:<base64 32 bytes>"`:
 * - numbered entries are AES-256-GCM encryption keys; the FIRST numbered entry is the current key
 *   for new writes, the others are kept only to read ciphertexts written under them;
 * - the entry `s` is the search key, used only for the keyed hash of exact-match search.
 *
 * Why a dedicated search key: a search hash must not depend on which encryption key wrote the row,
 * or every rotation would have to recompute every hash before search works again. Deriving it from
 * the "first ever" encryption key instead would forbid ever retiring that key (the usual reason to
 * rotate is that a key may have leaked). So rotating encryption keys leaves search hashes alone;
 * replacing `s` (rare: only if it leaked) needs all hashes recomputed from decrypted values.
 *
 * Key material never appears in an error message, `String()`, `JSON.stringify` or `util.inspect`
 * of a keyring: keys are held as `KeyObject`s behind private fields.
 */
import { createSecretKey, hkdfSync, randomBytes, type KeyObject } from "node:crypto";
import fs from "node:fs";
import { inspect } from "node:util";
import { createSecretFileOnce } from "../secret-file.js";

/** Bytes of every key (AES-256, HMAC-SHA256). */
export const dataKeyBytes = 32;
/** Id of the search-hash key entry. */
export const searchKeyId = "s";
/** Encryption key ids are small positive whole numbers, so the next id is easy to pick. */
const encryptionKeyIdPattern = /^[1-9]\d{0,5}$/;
/** Standard or URL-safe base64, padding optional; length and canonical form are checked after decoding. */
const base64Pattern = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** A personal-data kind with its own search key (hashes of different kinds never collide). */
export type SearchKind = "idNumber" | "phone";

/** A bad key configuration; one readable line per problem, never key material. */
export class PiiConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "PiiConfigError";
  }
}

/** The encryption keys (current first) and the search key. Built by `parseDataKeys`. */
export class DataKeyring {
  readonly #encryption: ReadonlyMap<string, KeyObject>;
  readonly #search: KeyObject;
  readonly #searchByKind = new Map<SearchKind, KeyObject>();
  /** Id of the key that encrypts new values. */
  readonly currentKeyId: string;
  /** Every encryption key id, current first, then in configured order. */
  readonly keyIds: readonly string[];

  constructor(encryption: ReadonlyArray<readonly [id: string, key: Buffer]>, search: Buffer) {
    const first = encryption[0];
    if (!first) throw new PiiConfigError(["at least one numbered encryption key is required"]);
    if (search.length !== dataKeyBytes) throw new PiiConfigError([`the search key must be ${dataKeyBytes} bytes`]);
    const map = new Map<string, KeyObject>();
    for (const [id, key] of encryption) {
      if (!encryptionKeyIdPattern.test(id)) throw new PiiConfigError(["an encryption key id must be a positive whole number"]);
      if (key.length !== dataKeyBytes) throw new PiiConfigError([`key ${id} must be ${dataKeyBytes} bytes`]);
      if (map.has(id)) throw new PiiConfigError([`key id ${id} appears twice`]);
      map.set(id, createSecretKey(Buffer.from(key)));
    }
    this.#encryption = map;
    this.#search = createSecretKey(Buffer.from(search));
    this.currentKeyId = first[0];
    this.keyIds = [...map.keys()];
  }

  /** The AES-256-GCM key with this id, or undefined when the keyring does not hold it. */
  encryptionKey(id: string): KeyObject | undefined {
    return this.#encryption.get(id);
  }

  /**
   * HMAC key for one kind: HKDF-SHA256(search key, info "gongzhi/search/v1/<kind>"), so a phone
   * and an ID number with the same digits hash differently and no kind's key reveals another's.
   */
  searchKey(kind: SearchKind): KeyObject {
    let key = this.#searchByKind.get(kind);
    if (!key) {
      const derived = hkdfSync("sha256", this.#search, Buffer.alloc(0), `gongzhi/search/v1/${kind}`, dataKeyBytes);
      key = createSecretKey(Buffer.from(derived));
      this.#searchByKind.set(kind, key);
    }
    return key;
  }

  /** Ids only; keeps key material out of logs that serialize objects. */
  toJSON(): { currentKeyId: string; keyIds: readonly string[] } {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds };
  }

  toString(): string {
    return `DataKeyring(current ${this.currentKeyId}; keys ${this.keyIds.join(", ")}; search key set)`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function decodeKey(text: string): Buffer | "base64" | "length" {
  if (!base64Pattern.test(text)) return "base64";
  const standard = text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const bytes = Buffer.from(standard, "base64");
  if (bytes.toString("base64").replace(/=+$/, "") !== standard) return "base64";
  if (bytes.length !== dataKeyBytes) return "length";
  return bytes;
}

/**
 * Parses `GONGZHI_DATA_KEYS` (entries separated by commas or white space). Throws `PiiConfigError`
 * listing every problem; messages name entries by position and valid ids only, never by content,
 * because a mistyped entry may be a key.
 */
export function parseDataKeys(raw: string | undefined, name = "GONGZHI_DATA_KEYS"): DataKeyring {
  const entries = (raw ?? "").split(/[\s,]+/).filter((e) => e !== "");
  if (entries.length === 0) {
    throw new PiiConfigError([`${name} is empty; expected "1:<base64 of ${dataKeyBytes} bytes>,s:<base64 of ${dataKeyBytes} bytes>"`]);
  }
  const problems: string[] = [];
  const encryption: Array<[string, Buffer]> = [];
  let search: Buffer | undefined;
  const seenIds = new Set<string>();
  const seenKeys = new Map<string, string>();
  entries.forEach((entry, index) => {
    const where = `${name} entry ${index + 1}`;
    const colon = entry.indexOf(":");
    if (colon < 0) {
      problems.push(`${where} is not of the form <id>:<base64 key>`);
      return;
    }
    const id = entry.slice(0, colon);
    if (id !== searchKeyId && !encryptionKeyIdPattern.test(id)) {
      problems.push(`${where} has an invalid key id (expected a positive whole number, or "s" for the search key)`);
      return;
    }
    const label = id === searchKeyId ? `${where} (search key s)` : `${where} (key ${id})`;
    if (seenIds.has(id)) {
      problems.push(`${label}: key id ${id} appears more than once`);
      return;
    }
    seenIds.add(id);
    const key = decodeKey(entry.slice(colon + 1));
    if (key === "base64") {
      problems.push(`${label}: the key is not valid base64`);
      return;
    }
    if (key === "length") {
      problems.push(`${label}: the key must decode to exactly ${dataKeyBytes} bytes`);
      return;
    }
    if (key.every((b) => b === key[0])) {
      problems.push(`${label}: the key is a placeholder (all bytes equal); generate one with generateDataKey`);
      return;
    }
    const hex = key.toString("hex");
    const sameAs = seenKeys.get(hex);
    if (sameAs !== undefined) {
      problems.push(`${label}: holds the same key as ${sameAs}; every entry needs its own key`);
      return;
    }
    seenKeys.set(hex, id === searchKeyId ? "the search key s" : `key ${id}`);
    if (id === searchKeyId) search = key;
    else encryption.push([id, key]);
  });
  if (![...seenIds].some((id) => id !== searchKeyId)) {
    problems.push(`${name} has no encryption key; add one such as "1:<base64 of ${dataKeyBytes} bytes>" (the first numbered key encrypts new values)`);
  }
  if (!seenIds.has(searchKeyId)) {
    problems.push(`${name} has no search key; add "s:<base64 of ${dataKeyBytes} bytes>" (keyed hash for exact-match search, kept across rotations)`);
  }
  // Every path that leaves `search` unset has pushed a problem above.
  if (problems.length > 0 || search === undefined) throw new PiiConfigError(problems);
  return new DataKeyring(encryption, search);
}

/**
 * A fresh key entry for an operator: `"<id>:<base64>"`. With a keyring, the id is one more than
 * its highest key id (put the new entry FIRST to make it current); `{ search: true }` gives `s:…`.
 */
export function generateDataKey(options: { keyring?: DataKeyring; search?: boolean } = {}): string {
  const key = randomBytes(dataKeyBytes).toString("base64");
  if (options.search) return `${searchKeyId}:${key}`;
  const ids = options.keyring?.keyIds.map(Number) ?? [];
  return `${ids.length === 0 ? 1 : Math.max(...ids) + 1}:${key}`;
}

/** A complete fresh `GONGZHI_DATA_KEYS` value: one encryption key and the search key. */
export function generateDataKeysValue(): string {
  return `${generateDataKey()},${generateDataKey({ search: true })}`;
}

/**
 * For the embedded/demo case (`npm start` with no configuration): reads the keyring from `file`
 * (same format as `GONGZHI_DATA_KEYS`; lines starting with # are comments), or creates the file
 * with a fresh keyring, mode 0600, when none exists. Creation is atomic (written aside, then
 * hard-linked into place), so two processes starting together end up with the same keys.
 * `created` tells the caller to say where the file is and that losing it loses the data.
 */
export function loadOrCreateLocalKeyring(file: string): { keyring: DataKeyring; created: boolean } {
  const label = `the local key file ${file}`;
  const created = createSecretFileOnce(
    file,
    () =>
      "# Gongzhi data keys (GONGZHI_DATA_KEYS format). Losing this file makes encrypted ID numbers\n" +
      "# and phones unreadable: back it up apart from the database. Do not share it.\n" +
      `${generateDataKeysValue()}\n`,
  );
  const content = fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith("#"))
    .join("\n");
  return { keyring: parseDataKeys(content, label), created };
}

/**
 * The keyring the server uses: `GONGZHI_DATA_KEYS` when set (production: from a secret store),
 * otherwise the local key file (embedded/demo case; `localFile` is usually `<dataDir>/data-keys`).
 */
export function loadDataKeyring(options: { raw: string | undefined; localFile: string }): {
  keyring: DataKeyring;
  source: "env" | "file";
  created: boolean;
} {
  if (options.raw !== undefined && options.raw.trim() !== "") {
    return { keyring: parseDataKeys(options.raw), source: "env", created: false };
  }
  return { ...loadOrCreateLocalKeyring(options.localFile), source: "file" };
}
