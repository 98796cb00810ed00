import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  EMPTY_ROOT,
  MerkleAccumulator,
  hashChildren,
  hashLeaf,
  inclusionPath,
  merkleRoot,
  verifyInclusion,
} from "./merkle.js";

// The Certificate Transparency reference inputs and tree heads (certificate-transparency-go,
// merkle tree tests); an implementation that disagrees with them proves nothing to anyone else.
const CT_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(
  (h) => Buffer.from(h, "hex"),
);
const CT_ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const CT_LEAVES = CT_INPUTS.map((d) => hashLeaf(d));
const CT_PROOFS = [
  {
    index: 0,
    size: 8,
    path: [
      "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ],
  },
  { index: 2, size: 3, path: ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"] },
  { index: 1, size: 2, path: ["6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"] },
];

/** The RFC 6962 definition, written as literally as possible, to check the fast code against. */
function referenceRoot(leaves: string[]): string {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return hashChildren(referenceRoot(leaves.slice(0, k)), referenceRoot(leaves.slice(k)));
}

function leavesOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => hashLeaf(`leaf ${i}`));
}

function flipFirstNibble(h: string): string {
  return (h[0] === "0" ? "1" : "0") + h.slice(1);
}

describe("merkle (RFC 6962)", () => {
  it("hashes leaves and nodes with the 0x00 / 0x01 prefixes", () => {
    expect(EMPTY_ROOT).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(hashLeaf(Buffer.alloc(0))).toBe(createHash("sha256").update(Buffer.from([0])).digest("hex"));
    const [a, b] = [hashLeaf("a"), hashLeaf("b")];
    const expected = createHash("sha256")
      .update(Buffer.concat([Buffer.from([1]), Buffer.from(a, "hex"), Buffer.from(b, "hex")]))
      .digest("hex");
    expect(hashChildren(a, b)).toBe(expected);
    expect(hashChildren(b, a)).not.toBe(expected);
  });

  it("matches the Certificate Transparency reference roots for sizes 0..8", () => {
    expect(merkleRoot([])).toBe(EMPTY_ROOT);
    for (let n = 1; n <= 8; n++) expect(merkleRoot(CT_LEAVES.slice(0, n)), `size ${n}`).toBe(CT_ROOTS[n - 1]);
  });

  it("matches the Certificate Transparency reference inclusion proofs", () => {
    for (const p of CT_PROOFS) {
      const leaves = CT_LEAVES.slice(0, p.size);
      expect(inclusionPath(leaves, p.index), `leaf ${p.index} of ${p.size}`).toEqual(p.path);
      expect(verifyInclusion(CT_LEAVES[p.index]!, p.index, p.size, p.path, CT_ROOTS[p.size - 1]!)).toBe(true);
    }
  });

  it("streams to the same root as the recursive definition, for sizes 0..70", () => {
    const all = leavesOf(70);
    const acc = new MerkleAccumulator();
    expect(acc.root()).toBe(referenceRoot([]));
    for (let n = 1; n <= 70; n++) {
      acc.push(all[n - 1]!);
      expect(acc.size).toBe(n);
      expect(acc.root(), `size ${n}`).toBe(referenceRoot(all.slice(0, n)));
    }
  });

  it("proves every leaf of every tree of size 1..33, and rejects tampered proofs", () => {
    const all = leavesOf(33);
    let checked = 0;
    for (let n = 1; n <= 33; n++) {
      const leaves = all.slice(0, n);
      const root = merkleRoot(leaves);
      for (let i = 0; i < n; i++) {
        const path = inclusionPath(leaves, i);
        const leaf = leaves[i]!;
        expect(verifyInclusion(leaf, i, n, path, root), `leaf ${i} of ${n}`).toBe(true);
        checked++;

        // Wrong leaf, wrong root, wrong index. (A wrong tree size may still verify when both sizes
        // give the leaf the same path, which is why a receipt's size is bound by its checkpoint.)
        expect(verifyInclusion(hashLeaf("forged"), i, n, path, root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, path, flipFirstNibble(root))).toBe(false);
        if (n > 1) expect(verifyInclusion(leaf, (i + 1) % n, n, path, root)).toBe(false);
        expect(verifyInclusion(leaf, n, n, path, root)).toBe(false);
        expect(verifyInclusion(leaf, -1, n, path, root)).toBe(false);

        // Every single-node edit of the path, a truncated path and an extended path.
        for (let j = 0; j < path.length; j++) {
          const edited = [...path];
          edited[j] = flipFirstNibble(edited[j]!);
          expect(verifyInclusion(leaf, i, n, edited, root), `edited node ${j}`).toBe(false);
        }
        if (path.length > 0) expect(verifyInclusion(leaf, i, n, path.slice(0, -1), root)).toBe(false);
        expect(verifyInclusion(leaf, i, n, [...path, hashLeaf("extra")], root)).toBe(false);
        if (path.length >= 2 && path[0] !== path[1]) {
          expect(verifyInclusion(leaf, i, n, [path[1]!, path[0]!, ...path.slice(2)], root)).toBe(false);
        }
      }
    }
    expect(checked).toBe((33 * 34) / 2);
  });

  it("rejects malformed input instead of throwing", () => {
    const leaves = CT_LEAVES;
    const root = CT_ROOTS[7]!;
    const path = inclusionPath(leaves, 5);
    expect(verifyInclusion("nothex", 5, 8, path, root)).toBe(false);
    expect(verifyInclusion(leaves[5]!, 5, 8, path, root.toUpperCase())).toBe(false);
    expect(verifyInclusion(leaves[5]!, 5, 8, [...path.slice(0, 2), "ab"], root)).toBe(false);
    expect(verifyInclusion(leaves[5]!, 5.5, 8, path, root)).toBe(false);
    expect(verifyInclusion(leaves[5]!, 5, 8, "x" as unknown as string[], root)).toBe(false);
    expect(() => inclusionPath(leaves, 8)).toThrow(RangeError);
    expect(() => inclusionPath([], 0)).toThrow(RangeError);
  });
});

