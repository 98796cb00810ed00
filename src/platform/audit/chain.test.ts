import { describe, expect, it } from "vitest";
import { GENESIS_HASH, chainHash, checkpointHashOf, leafHashOf, leafJson, summaryDigestOf, type LeafFields } from "./chain.js";
import { canonicalJson, sha256Hex } from "./service.js";
import { hashLeaf } from "./merkle.js";

const base: LeafFields = {
  id: 4711,
  seq: 42,
  occurredAtMicros: "1767225600123456",
  actorKind: "user",
  actorId: "u-1",
  action: "case.dispatch",
  entityType: "case",
  entityId: "c-9",
  digest: "ab".repeat(32),
  summaryDigest: null,
};

describe("audit chain formats", () => {
  it("writes the leaf JSON exactly as canonicalJson would", () => {
    const variants: LeafFields[] = [
      base,
      { ...base, actorId: null, summaryDigest: "cd".repeat(32) },
      { ...base, entityId: 'quote " backslash \\ newline \n tab \t', action: "吹哨报到", seq: 9_007_199_254_740_991, id: 9_007_199_254_740_991 },
      { ...base, actorKind: "apiKey", entityType: "emoji 😀 \u2028 \u0001" },
    ];
    for (const f of variants) {
      expect(leafJson(f)).toBe(canonicalJson({ v: 2, ...f }));
      expect(JSON.parse(leafJson(f))).toEqual({ v: 2, ...f });
    }
  });

  it("hashes a leaf as SHA-256(0x00 || canonical JSON), covering seq and id, and ignores extra properties", () => {
    expect(leafHashOf(base)).toBe(hashLeaf(canonicalJson({ v: 2, ...base })));
    expect(leafHashOf({ ...base, checkpointId: 7 } as LeafFields)).toBe(leafHashOf(base));
    for (const key of Object.keys(base) as (keyof LeafFields)[]) {
      const changed = { ...base, [key]: key === "seq" ? 43 : key === "id" ? 4712 : key === "actorId" ? null : "x" };
      expect(leafHashOf(changed), key).not.toBe(leafHashOf(base));
    }
  });

  it("chains on raw bytes and hashes checkpoints over their fields", () => {
    const leaf = leafHashOf(base);
    expect(chainHash(GENESIS_HASH, leaf)).toBe(
      sha256Hex(Buffer.concat([Buffer.alloc(32), Buffer.from(leaf, "hex")])),
    );
    const cp = { firstSeq: 1, lastSeq: 10, merkleRoot: leaf, headHash: leaf, prevCheckpointHash: null, keyId: "0123456789abcdef" };
    expect(checkpointHashOf(cp)).toBe(sha256Hex(canonicalJson({ v: 2, ...cp })));
    expect(checkpointHashOf({ ...cp, lastSeq: 11 })).not.toBe(checkpointHashOf(cp));
    expect(checkpointHashOf({ ...cp, keyId: "fedcba9876543210" })).not.toBe(checkpointHashOf(cp));
  });

  it("digests a summary by value, not by how jsonb prints it", () => {
    expect(summaryDigestOf(null)).toBeNull();
    expect(summaryDigestOf('{"b": 1, "a": [1, 2]}')).toBe(summaryDigestOf('{"a":[1,2],"b":1}'));
    expect(summaryDigestOf('{"a": [2, 1]}')).not.toBe(summaryDigestOf('{"a": [1, 2]}'));
  });
});
