import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import type { Database, Db } from "../db/index.js";
import { recordAudit, type AuditInput } from "./service.js";
import { AuditChainBrokenError, pendingCount, sealPending, startSealer } from "./sealer.js";
import { verifyAuditLog } from "./verify.js";
import {
  AuditEntryNotFoundError,
  AuditEntryNotSealedError,
  inclusionProof,
  listCheckpoints,
  sealedSeqOf,
  verifyReceipt,
  type AuditReceipt,
} from "./receipt.js";
import { describeVerification, runAuditVerify } from "./command.js";
import { generateAuditSigningKey, parseAuditSigningKey } from "./signing.js";

const signer = parseAuditSigningKey(generateAuditSigningKey());
const publicKeys = [signer.publicKey];

function input(i: number): AuditInput {
  return {
    actor: i % 3 === 0 ? { kind: "system" } : { kind: "user", id: `user-${i % 4}` },
    action: i % 2 ? "household.update" : "area.create",
    entityType: i % 2 ? "household" : "area",
    entityId: `e-${i}`,
    change: { before: { n: i - 1 }, after: { n: i, note: "门牌 12 号" } },
    ...(i % 5 === 0 ? {} : { summary: { field: "n", step: i, tags: ["a", "b"] } }),
  };
}

/** Records `n` entries, each in its own committed transaction; returns their ids. */
async function record(db: Db, n: number, from = 0): Promise<number[]> {
  const ids: number[] = [];
  for (let i = from; i < from + n; i++) ids.push(await db.transaction((tx) => recordAudit(tx, input(i))));
  return ids;
}

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(testEngines())("audit log on $name", (engine) => {
  let database: Database;
  let db: Db;
  beforeAll(async () => {
    database = await engine.open();
    db = database.db;
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.query("truncate audit_entries, audit_checkpoints restart identity");
  });

  it("records, seals into checkpoints and verifies", async () => {
    expect(await verifyAuditLog(db, { publicKeys })).toEqual({ ok: true, entries: 0, checkpoints: 0, pending: 0, witnesses: 0 });
    const ids = await record(db, 25);
    expect(await pendingCount(db)).toBe(25);

    expect(await sealPending(db, { signer, batchSize: 10 })).toEqual({ sealed: 25, checkpoints: 3 });
    expect(await pendingCount(db)).toBe(0);
    expect(await sealPending(db, { signer })).toEqual({ sealed: 0, checkpoints: 0 });

    // Seq follows id order within the sealer's view, contiguous from 1.
    const sealed = await database.query<{ id: string | number; seq: string | number; checkpoint_id: string | number }>(
      "select id, seq, checkpoint_id from audit_entries order by seq",
    );
    expect(sealed.map((r) => Number(r.id))).toEqual(ids);
    expect(sealed.map((r) => Number(r.seq))).toEqual(ids.map((_, i) => i + 1));

    const checkpoints = await listCheckpoints(db);
    expect(checkpoints.map((c) => [c.firstSeq, c.lastSeq])).toEqual([
      [1, 10],
      [11, 20],
      [21, 25],
    ]);
    expect(checkpoints[0]!.prevCheckpointHash).toBeNull();
    expect(checkpoints[1]!.prevCheckpointHash).toBe(checkpoints[0]!.checkpointHash);
    expect(checkpoints[2]!.prevCheckpointHash).toBe(checkpoints[1]!.checkpointHash);
    expect(await listCheckpoints(db, { afterId: checkpoints[0]!.id, limit: 1 })).toEqual([checkpoints[1]]);

    const v = await verifyAuditLog(db, { publicKeys, pageSize: 7 });
    expect(v).toEqual({ ok: true, entries: 25, checkpoints: 3, pending: 0, witnesses: 0 });
  });

  it("continues the chain across sealing runs", async () => {
    await record(db, 4);
    await sealPending(db, { signer });
    await record(db, 3, 4);
    expect(await sealPending(db, { signer })).toEqual({ sealed: 3, checkpoints: 1 });
    const [cp1, cp2] = await listCheckpoints(db);
    expect([cp2!.firstSeq, cp2!.lastSeq]).toEqual([5, 7]);
    expect(cp2!.prevCheckpointHash).toBe(cp1!.checkpointHash);
    const [fifth] = await database.query<{ prev_hash: string }>("select prev_hash from audit_entries where seq = 5");
    expect(fifth!.prev_hash).toBe(cp1!.headHash);
    expect((await verifyAuditLog(db, { publicKeys })).ok).toBe(true);
  });

  it("reports unsealed entries as pending, not as corruption", async () => {
    await record(db, 5);
    await sealPending(db, { signer });
    await record(db, 3, 5);
    const v = await verifyAuditLog(db, { publicKeys });
    expect(v).toEqual({ ok: true, entries: 5, checkpoints: 1, pending: 3, witnesses: 0 });
    expect(describeVerification(v)[0]).toMatch(/intact: 5 entries in 1 signed checkpoints.*3 recent entries pending/);

    // Only an entry that was never sealed is pending: one that lost its seq is tampering.
    await database.query("update audit_entries set seq = null where seq = 5");
    const bad = await verifyAuditLog(db, { publicKeys });
    expect(bad.ok).toBe(false);
    expect(bad.pending).toBe(4);
    expect(bad.firstBad).toMatchObject({ seq: 5, id: null });
  });

  it("issues receipts by seq that verify, and fail when any field is altered", async () => {
    const ids = await record(db, 13);
    await expect(sealedSeqOf(db, ids[0]!)).rejects.toBeInstanceOf(AuditEntryNotSealedError);
    await expect(sealedSeqOf(db, 999_999)).rejects.toBeInstanceOf(AuditEntryNotFoundError);
    await expect(inclusionProof(db, 1)).rejects.toBeInstanceOf(AuditEntryNotFoundError);
    await sealPending(db, { signer, batchSize: 6 });

    for (const [i, id] of ids.entries()) {
      expect(await sealedSeqOf(db, id)).toBe(i + 1);
      const receipt = await inclusionProof(db, i + 1);
      expect(receipt.entry).toMatchObject({ id, seq: i + 1, entityId: `e-${i}` });
      expect(receipt.treeSize).toBe(i < 12 ? 6 : 1);
      expect(receipt.leafIndex).toBe(i % 6);
      expect(receipt.checkpoint.keyId).toBe(signer.keyId);
      expect(verifyReceipt(receipt, publicKeys), `receipt of entry ${i}`).toBe(true);
      // A receipt survives a trip through JSON (it is handed out as JSON).
      expect(verifyReceipt(JSON.parse(JSON.stringify(receipt)) as AuditReceipt, publicKeys)).toBe(true);
    }
    await expect(inclusionProof(db, 14)).rejects.toBeInstanceOf(AuditEntryNotFoundError);

    const receipt = await inclusionProof(db, 9);
    // Checked against another key, the same receipt does not hold.
    expect(verifyReceipt(receipt, [parseAuditSigningKey(generateAuditSigningKey()).publicKey])).toBe(false);
    const altered: [string, (r: AuditReceipt) => void][] = [
      ["id", (r) => (r.entry.id += 1)],
      ["action", (r) => (r.entry.action = "household.delete")],
      ["entityId", (r) => (r.entry.entityId = "e-999")],
      ["actorId", (r) => (r.entry.actorId = "someone-else")],
      ["actorKind", (r) => (r.entry.actorKind = "apiKey")],
      ["digest", (r) => (r.entry.digest = r.entry.digest.replace(/^./, (c) => (c === "0" ? "1" : "0")))],
      ["summaryDigest", (r) => (r.entry.summaryDigest = null)],
      ["occurredAtMicros", (r) => (r.entry.occurredAtMicros = String(BigInt(r.entry.occurredAtMicros) + 1n))],
      ["seq", (r) => (r.entry.seq += 1)],
      ["leafIndex", (r) => (r.leafIndex += 1)],
      ["treeSize", (r) => (r.treeSize += 1)],
      ["auditPath", (r) => (r.auditPath[0] = r.auditPath[1]!)],
      ["auditPath length", (r) => r.auditPath.pop()],
      ["merkleRoot", (r) => (r.checkpoint.merkleRoot = r.leafHash)],
      ["checkpoint lastSeq", (r) => (r.checkpoint.lastSeq += 1)],
      ["checkpointHash", (r) => (r.checkpoint.checkpointHash = r.checkpoint.merkleRoot)],
      ["prevCheckpointHash", (r) => (r.checkpoint.prevCheckpointHash = null)],
      ["headHash", (r) => (r.checkpoint.headHash = r.leafHash)],
      ["keyId", (r) => (r.checkpoint.keyId = "0".repeat(16))],
      ["signature", (r) => (r.checkpoint.signature = Buffer.alloc(64, 1).toString("base64"))],
    ];
    for (const [field, alter] of altered) {
      const copy = structuredClone(receipt);
      alter(copy);
      expect(verifyReceipt(copy, publicKeys), `receipt with altered ${field}`).toBe(false);
    }
    expect(verifyReceipt({} as AuditReceipt, publicKeys)).toBe(false);
  });

  it("refuses receipts when the log contradicts its checkpoint", async () => {
    await record(db, 4);
    await sealPending(db, { signer });
    await database.query("update audit_entries set action = 'x' where seq = 2");
    await expect(inclusionProof(db, 1)).rejects.toThrow(/do not match its Merkle root/);
  });

  it("runs a sealer that keeps up and seals the rest when stopped", async () => {
    const errors: unknown[] = [];
    const sealer = startSealer(database, { signer, intervalMs: 25, onError: (e) => errors.push(e) });
    try {
      await record(db, 5);
      await until(async () => (await pendingCount(db)) === 0);
      await record(db, 2, 5);
    } finally {
      await sealer.stop();
    }
    expect(await pendingCount(db)).toBe(0);
    expect(errors).toEqual([]);
    expect(await verifyAuditLog(db, { publicKeys })).toMatchObject({ ok: true, entries: 7, pending: 0, witnesses: 0 });
  });

  it("refuses to seal on top of a damaged head, and reports it", async () => {
    await record(db, 3);
    await sealPending(db, { signer });
    await database.query("delete from audit_entries where seq = 3");
    await record(db, 1, 3);
    await expect(sealPending(db, { signer })).rejects.toBeInstanceOf(AuditChainBrokenError);
    expect(await pendingCount(db)).toBe(1);

    const errors: unknown[] = [];
    const sealer = startSealer(database, { signer, intervalMs: 10_000, onError: (e) => errors.push(e) });
    await sealer.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(AuditChainBrokenError);
  });

  it("prints a verdict and an exit code for the command line", async () => {
    await record(db, 6);
    await sealPending(db, { signer });
    const out: string[] = [];
    expect(await runAuditVerify(db, { publicKeys, witnesses: [], stalePendingMs: 60_000 }, (l) => out.push(l))).toBe(0);
    expect(out.join("\n")).toMatch(/intact: 6 entries in 1 signed checkpoints/);

    await database.query("update audit_entries set entity_id = 'other' where seq = 4");
    out.length = 0;
    expect(await runAuditVerify(db, { publicKeys, witnesses: [], stalePendingMs: 60_000 }, (l) => out.push(l))).toBe(1);
    expect(out.join("\n")).toMatch(/TAMPERED: first bad entry seq 4 \(id \d+\)\n.*columns were edited/);
  });
});
