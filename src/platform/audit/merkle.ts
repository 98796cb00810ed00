/**
 * Merkle trees as Certificate Transparency builds them (RFC 6962 §2.1, RFC 9162 §2.1): leaves are
 * hashed as SHA-256(0x00 || data), interior nodes as SHA-256(0x01 || left || right), and a tree of
 * n leaves splits at the largest power of two below n. Hashes travel as lowercase hex strings.
 * Pure code: no database, so a receipt can be checked anywhere this file is copied to.
 */
import { createHash } from "node:crypto";

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** Root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash("sha256").digest("hex");

const HASH_RE = /^[0-9a-f]{64}$/;

export function isHash(value: unknown): value is string {
  return typeof value === "string" && HASH_RE.test(value);
}

/** SHA-256(0x00 || data), hex. */
export function hashLeaf(data: Uint8Array | string): string {
  return createHash("sha256").update(LEAF_PREFIX).update(data).digest("hex");
}

function nodeBytes(left: Buffer, right: Buffer): Buffer {
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

/** SHA-256(0x01 || left || right), hex. */
export function hashChildren(left: string, right: string): string {
  return nodeBytes(Buffer.from(left, "hex"), Buffer.from(right, "hex")).toString("hex");
}

/**
 * Builds the root leaf by leaf in O(log n) memory, so a verifier can stream millions of leaves.
 * Keeps the roots of the perfect subtrees seen so far; the RFC 6962 root of any size is their
 * fold from the right, because its split point is always the largest power of two.
 */
export class MerkleAccumulator {
  private readonly stack: { height: number; hash: Buffer }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leafHash: string): void {
    let node: { height: number; hash: Buffer } = { height: 0, hash: Buffer.from(leafHash, "hex") };
    for (let top = this.stack.at(-1); top && top.height === node.height; top = this.stack.at(-1)) {
      this.stack.pop();
      node = { height: node.height + 1, hash: nodeBytes(top.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
  }

  root(): string {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let acc: Buffer = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = nodeBytes(this.stack[i]!.hash, acc);
    return acc.toString("hex");
  }
}

/** MTH(D[n]) of RFC 6962 over already-hashed leaves. */
export function merkleRoot(leafHashes: readonly string[]): string {
  const acc = new MerkleAccumulator();
  for (const leaf of leafHashes) acc.push(leaf);
  return acc.root();
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the sibling hashes from the leaf up to the root. */
export function inclusionPath(leafHashes: readonly string[], index: number): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leafHashes.length) {
    throw new RangeError(`leaf index ${index} is outside a tree of ${leafHashes.length} leaves`);
  }
  const path: string[] = [];
  let lo = 0;
  let hi = leafHashes.length;
  let m = index;
  // Walk down from the root, collecting the sibling subtree at each split; the path lists them
  // from the leaf upwards, so they are prepended.
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m < k) {
      path.unshift(merkleRoot(leafHashes.slice(lo + k, hi)));
      hi = lo + k;
    } else {
      path.unshift(merkleRoot(leafHashes.slice(lo, lo + k)));
      lo += k;
      m -= k;
    }
  }
  return path;
}

/** RFC 9162 §2.1.3.2: does `path` prove `leafHash` is leaf `index` of the tree of `treeSize` with `root`? */
export function verifyInclusion(
  leafHash: string,
  index: number,
  treeSize: number,
  path: readonly string[],
  root: string,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !Array.isArray(path) || !path.every(isHash)) return false;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return false;
  // Plain arithmetic rather than bit operators, which would truncate to 32 bits.
  let fn = index;
  let sn = treeSize - 1;
  let r: Buffer = Buffer.from(leafHash, "hex");
  for (const p of path) {
    if (sn === 0) return false;
    const sibling = Buffer.from(p, "hex");
    if (fn % 2 === 1 || fn === sn) {
      r = nodeBytes(sibling, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeBytes(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString("hex") === root;
}
