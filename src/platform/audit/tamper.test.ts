/**
 * Tampering done the way an insider would: raw SQL on the tables, no application code. Each case
 * starts from a fresh, intact log of 30 entries in three checkpoints (seq 1–10, 11–20, 21–30).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import type { Database } from "../db/index.js";
import { recordAudit } from "./service.js";
import { sealPending } from "./sealer.js";
import { verifyAuditLog, type AuditVerification } from "./verify.js";
import { runAuditVerify } from "./command.js";
import { chainHash, leafHashOf } from "./chain.js";

interface Row {
  id: number;
  seq: number;
  hash: string;
  checkpointId: number;
}

describe.each(testEngines())("audit tampering on $name", (engine) => {
  let database: Database;
  let bySeq: Map<number, Row>;
  let checkpointIds: number[];

  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  beforeEach(async () => {
    // A case may drop the unique index on seq, as an attacker with DDL rights could.
    await database.query("truncate audit_entries, audit_checkpoints restart identity");
    await database.query("create unique index if not exists audit_entries_seq_key on audit_entries (seq)");
    for (let i = 1; i <= 30; i++) {
      await database.db.transaction((tx) =>
        recordAudit(tx, {
          actor: i % 4 === 0 ? { kind: "system" } : { kind: "user", id: `u${i % 3}` },
          action: i % 2 ? "case.dispatch" : "vote.cast",
          entityType: i % 2 ? "case" : "vote",
          entityId: `entity-${i}`,
          change: { i, amount: i * 10 },
          ...(i % 3 ? { summary: { i, status: "ok" } } : {}),
        }),
      );
    }
    expect(await sealPending(database.db, { batchSize: 10 })).toEqual({ sealed: 30, checkpoints: 3 });
    const found = await database.query<{ id: unknown; seq: unknown; hash: string; checkpoint_id: unknown }>(
      "select id, seq, hash, checkpoint_id from audit_entries order by seq",
    );
    bySeq = new Map(
      found.map((r) => [Number(r.seq), { id: Number(r.id), seq: Number(r.seq), hash: r.hash, checkpointId: Number(r.checkpoint_id) }]),
    );
    checkpointIds = (await database.query<{ id: unknown }>("select id from audit_checkpoints order by id")).map((r) => Number(r.id));
    // Every case below must start from a log that verifies, or its failure would prove nothing.
    expect(await verifyAuditLog(database.db)).toEqual({ ok: true, entries: 30, checkpoints: 3, pending: 0 });
  });

  const at = (seq: number): Row => bySeq.get(seq)!;

  async function expectBad(expected: { seq: number | null; id: number | null; checkpointId?: number }, reason: RegExp) {
    const v: AuditVerification = await verifyAuditLog(database.db, { pageSize: 7 });
    expect(v.ok).toBe(false);
    expect(v.firstBad).toMatchObject(expected);
    expect(v.firstBad?.reason).toMatch(reason);
    if (expected.checkpointId === undefined) expect(v.firstBad?.checkpointId).toBeUndefined();
    return v;
  }

  /** A row an insider forges with valid-looking hashes, computed with the log's own formats. */
  async function forge(seq: number, prevHash: string, checkpointId: number): Promise<number> {
    const fields = {
      seq,
      occurredAtMicros: "1704067200000000",
      actorKind: "user",
      actorId: "u1",
      action: "fund.approve",
      entityType: "fund",
      entityId: "forged",
      digest: "ab".repeat(32),
      summaryDigest: null,
    };
    const hash = chainHash(prevHash, leafHashOf(fields));
    const [row] = await database.query<{ id: unknown }>(
      `insert into audit_entries (occurred_at, actor_kind, actor_id, action, entity_type, entity_id, digest,
                                  seq, prev_hash, hash, checkpoint_id, sealed_at)
       values ('2024-01-01 00:00:00+00', 'user', 'u1', 'fund.approve', 'fund', 'forged', $1, $2, $3, $4, $5, now())
       returning id`,
      [fields.digest, seq, prevHash, hash, checkpointId],
    );
    return Number(row!.id);
  }

  it.each([
    ["action", "action = 'case.close'"],
    ["digest", "digest = md5('x') || md5('y')"],
    ["entity_id", "entity_id = 'entity-99'"],
    ["occurred_at (by one microsecond)", "occurred_at = occurred_at + interval '1 microsecond'"],
    ["actor_id", "actor_id = null"],
    ["actor_kind", "actor_kind = 'apiKey'"],
    ["summary", `summary = '{"i": 15, "status": "rejected"}'`],
  ])("detects an edited %s", async (_column, assignment) => {
    await database.query(`update audit_entries set ${assignment} where seq = 15`);
    await expectBad({ seq: 15, id: at(15).id }, /seq 15 .*does not match its hash: its columns were edited/);
    const out: string[] = [];
    expect(await runAuditVerify(database.db, (l) => out.push(l))).toBe(1);
    expect(out[0]).toBe(`audit log TAMPERED: first bad entry seq 15 (id ${at(15).id})`);
  });

  it("treats a re-serialized summary as unchanged, and a removed one as an edit", async () => {
    // Keys reordered and whitespace changed is the same jsonb value: not an edit.
    await database.query(`update audit_entries set summary = '{"status":"ok","i":14}' where seq = 14`);
    expect((await verifyAuditLog(database.db)).ok).toBe(true);
    await database.query(`update audit_entries set summary = null where seq = 14`);
    await expectBad({ seq: 14, id: at(14).id }, /columns were edited/);
  });

  it("detects an entry deleted in the middle", async () => {
    await database.query("delete from audit_entries where seq = 15");
    await expectBad({ seq: 15, id: null }, /seq 15 is missing .*from seq 14 to seq 16/);
  });

  it("detects a deletion covered up by renumbering the entries after it", async () => {
    await database.query("delete from audit_entries where seq = 15");
    await database.query("update audit_entries set seq = -(seq - 1) where seq > 15");
    await database.query("update audit_entries set seq = -seq where seq < 0");
    await expectBad({ seq: 15, id: at(16).id }, /does not link to the hash of seq 14/);
  });

  it("detects a forged entry inserted in the middle, shifting the others", async () => {
    // Shift seq 15.. up by one without tripping the unique index mid-statement.
    await database.query("update audit_entries set seq = -seq - 1 where seq >= 15");
    await database.query("update audit_entries set seq = -seq where seq < 0");
    const forged = await forge(15, at(14).hash, checkpointIds[1]!);
    await expectBad({ seq: 15, id: forged }, /seq 15 .*is not part of the chain.*inserted/);
  });

  it("detects a forged entry inserted at the end of a checkpoint, shifting the others", async () => {
    await database.query("update audit_entries set seq = -seq - 1 where seq >= 20");
    await database.query("update audit_entries set seq = -seq where seq < 0");
    const forged = await forge(20, at(19).hash, checkpointIds[1]!);
    await expectBad({ seq: 20, id: forged }, /not part of the chain/);
  });

  it("detects a forged entry duplicating an existing seq", async () => {
    await database.query("drop index audit_entries_seq_key");
    const forged = await forge(15, at(14).hash, checkpointIds[1]!);
    await expectBad({ seq: 15, id: forged }, /seq 15 appears more than once/);
  });

  it("detects a forged entry appended after the last checkpoint", async () => {
    const forged = await forge(31, at(30).hash, checkpointIds[2]!);
    await expectBad({ seq: 31, id: forged }, /seq 31 is sealed but no checkpoint covers it/);
  });

  it("detects two entries whose seqs were swapped (reordering)", async () => {
    await database.query("update audit_entries set seq = -1 where seq = 14");
    await database.query("update audit_entries set seq = 14 where seq = 16");
    await database.query("update audit_entries set seq = 16 where seq = -1");
    await expectBad({ seq: 14, id: at(16).id }, /seq 14 does not link to the hash of seq 13/);
  });

  it("detects swapped neighbours with their hashes carried along", async () => {
    // Swapping every column but id, as if the rows' contents were exchanged.
    await database.query(`
      update audit_entries a set action = b.action, entity_id = b.entity_id, entity_type = b.entity_type,
        digest = b.digest, prev_hash = b.prev_hash, hash = b.hash, occurred_at = b.occurred_at,
        actor_id = b.actor_id, actor_kind = b.actor_kind, summary = b.summary
      from audit_entries b where (a.seq, b.seq) in ((7, 8), (8, 7))`);
    await expectBad({ seq: 7, id: at(7).id }, /seq 7 does not link to the hash of seq 6/);
  });

  it("detects an edited Merkle root of a checkpoint", async () => {
    await database.query(`update audit_checkpoints set merkle_root = md5('a') || md5('b') where id = $1`, [checkpointIds[1]]);
    await expectBad({ seq: null, id: null, checkpointId: checkpointIds[1] }, /seq 11–20\): its hash does not match its fields/);
  });

  it("detects an edited Merkle root even when the checkpoint hash is recomputed to match", async () => {
    const { checkpointHashOf } = await import("./chain.js");
    const [cp] = await database.query<{ first_seq: unknown; last_seq: unknown; head_hash: string; prev_checkpoint_hash: string }>(
      "select first_seq, last_seq, head_hash, prev_checkpoint_hash from audit_checkpoints where id = $1",
      [checkpointIds[1]],
    );
    const merkleRoot = "cd".repeat(32);
    const checkpointHash = checkpointHashOf({
      firstSeq: Number(cp!.first_seq),
      lastSeq: Number(cp!.last_seq),
      merkleRoot,
      headHash: cp!.head_hash,
      prevCheckpointHash: cp!.prev_checkpoint_hash,
    });
    await database.query("update audit_checkpoints set merkle_root = $1, checkpoint_hash = $2 where id = $3", [
      merkleRoot,
      checkpointHash,
      checkpointIds[1],
    ]);
    await expectBad({ seq: null, id: null, checkpointId: checkpointIds[1] }, /Merkle root does not match its entries/);
  });

  it("detects the last entry deleted (tail truncation)", async () => {
    await database.query("delete from audit_entries where seq = 30");
    await expectBad({ seq: 30, id: null }, /seq 30 is missing: checkpoint #\d+ covers up to seq 30 .*truncated/);
  });

  it("detects the last checkpoint deleted while its entries remain", async () => {
    await database.query("delete from audit_checkpoints where id = $1", [checkpointIds[2]]);
    await expectBad({ seq: 21, id: at(21).id }, /seq 21 is sealed but no checkpoint covers it/);
  });

  it("detects a middle checkpoint deleted", async () => {
    await database.query("delete from audit_checkpoints where id = $1", [checkpointIds[1]]);
    await expectBad({ seq: 11, id: at(11).id }, /seq 11 is sealed but no checkpoint covers it.*starts at seq 21/);
  });

  it("detects an entry moved to another checkpoint", async () => {
    await database.query("update audit_entries set checkpoint_id = $1 where seq = 15", [checkpointIds[0]]);
    await expectBad({ seq: 15, id: at(15).id }, /names checkpoint #\d+, but its seq lies in checkpoint/);
  });

  it("detects an edited prev_hash", async () => {
    await database.query("update audit_entries set prev_hash = $1 where seq = 1", ["0".repeat(63) + "1"]);
    await expectBad({ seq: 1, id: at(1).id }, /seq 1 does not start from the genesis hash/);
  });
});
