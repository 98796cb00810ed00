/**
 * Tampering done the way an insider would: raw SQL on the tables, no application code and no
 * signing key. Each case starts from a fresh, intact log of 30 entries in three signed checkpoints
 * (seq 1–10, 11–20, 21–30), sealed with a head file beside the data as the server keeps it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import type { Database } from "../db/index.js";
import { recordAudit } from "./service.js";
import { AuditChainBrokenError, sealPending } from "./sealer.js";
import { verifyAuditLog, type AuditVerification } from "./verify.js";
import { AuditWitnessError, loadWitnesses, runAuditVerify } from "./command.js";
import { chainHash, checkpointHashOf, leafHashOf, type LeafFields } from "./chain.js";
import { AuditLogInconsistentError, inclusionProof } from "./receipt.js";
import { generateAuditSigningKey, parseAuditSigningKey } from "./signing.js";
import type { Witness } from "./heads.js";

interface Row {
  id: number;
  seq: number;
  hash: string;
  checkpointId: number;
}

const signer = parseAuditSigningKey(generateAuditSigningKey());
const publicKeys = [signer.publicKey];

describe.each(testEngines())("audit tampering on $name", (engine) => {
  let database: Database;
  let bySeq: Map<number, Row>;
  let checkpointIds: number[];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-audit-head-"));
  const headFile = path.join(dir, "audit-head.json");

  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => {
    await database?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    // A case may drop the unique index on seq, as an attacker with DDL rights could.
    await database.query("truncate audit_entries, audit_checkpoints restart identity");
    await database.query("create unique index if not exists audit_entries_seq_key on audit_entries (seq)");
    fs.rmSync(headFile, { force: true });
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
    expect(await sealPending(database.db, { signer, batchSize: 10, headFile })).toEqual({ sealed: 30, checkpoints: 3 });
    const found = await database.query<{ id: unknown; seq: unknown; hash: string; checkpoint_id: unknown }>(
      "select id, seq, hash, checkpoint_id from audit_entries order by seq",
    );
    bySeq = new Map(
      found.map((r) => [Number(r.seq), { id: Number(r.id), seq: Number(r.seq), hash: r.hash, checkpointId: Number(r.checkpoint_id) }]),
    );
    checkpointIds = (await database.query<{ id: unknown }>("select id from audit_checkpoints order by id")).map((r) => Number(r.id));
    // Every case below must start from a log that verifies, or its failure would prove nothing.
    expect(await verify()).toEqual({ ok: true, entries: 30, checkpoints: 3, pending: 0, witnesses: 1 });
  });

  const at = (seq: number): Row => bySeq.get(seq)!;

  /** The head file as `gongzhi audit verify` reads it, plus any heads handed out earlier. */
  function witnesses(extra: Witness[] = []): Witness[] {
    return [...loadWitnesses(headFile, []).witnesses, ...extra];
  }

  function verify(extra: Witness[] = []): Promise<AuditVerification> {
    return verifyAuditLog(database.db, { publicKeys, witnesses: witnesses(extra), pageSize: 7 });
  }

  async function expectBad(expected: { seq: number | null; id: number | null; checkpointId?: number }, reason: RegExp, extra: Witness[] = []) {
    const v = await verify(extra);
    expect(v.ok).toBe(false);
    expect(v.firstBad).toMatchObject(expected);
    expect(v.firstBad?.reason).toMatch(reason);
    if (expected.checkpointId === undefined) expect(v.firstBad?.checkpointId).toBeUndefined();
    return v;
  }

  /** What `gongzhi audit verify` prints and returns (it only reads). */
  async function runVerify(): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    const code = await runAuditVerify(database.db, { publicKeys, witnesses: witnesses(), stalePendingMs: 60_000 }, (l) => out.push(l));
    return { code, out: out.join("\n") };
  }

  /** Every row of both audit tables, hashed: what "verify writes nothing" is checked with. */
  async function tableChecksums(): Promise<string[]> {
    const sums = await database.query<{ t: string | null }>(
      `select md5(string_agg(e::text, '|' order by e.id)) as t from audit_entries e
       union all select md5(string_agg(c::text, '|' order by c.id)) from audit_checkpoints c`,
    );
    return sums.map((r) => r.t ?? "empty");
  }

  /** A row an insider forges with valid-looking hashes, computed with the log's own formats. */
  async function forge(seq: number, prevHash: string, checkpointId: number): Promise<number> {
    const [next] = await database.query<{ id: unknown }>("select max(id) + 1000 as id from audit_entries");
    const fields: LeafFields = {
      id: Number(next!.id),
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
    await database.query(
      `insert into audit_entries (id, occurred_at, actor_kind, actor_id, action, entity_type, entity_id, digest,
                                  seq, prev_hash, hash, checkpoint_id, sealed_at)
       values ($1, '2024-01-01 00:00:00+00', 'user', 'u1', 'fund.approve', 'fund', 'forged', $2, $3, $4, $5, $6, now())`,
      [fields.id, fields.digest, seq, prevHash, hash, checkpointId],
    );
    return fields.id;
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
    const { code, out } = await runVerify();
    expect(code).toBe(1);
    expect(out.split("\n")[0]).toBe(`audit log TAMPERED: first bad entry seq 15 (id ${at(15).id})`);
  });

  it("treats a re-serialized summary as unchanged, and a removed one as an edit", async () => {
    // Keys reordered and whitespace changed is the same jsonb value: not an edit.
    await database.query(`update audit_entries set summary = '{"status":"ok","i":14}' where seq = 14`);
    expect((await verify()).ok).toBe(true);
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

  /** Replaces a checkpoint's Merkle root, recomputing its hash; `sign` re-signs it (an insider holding the key). */
  async function replaceRoot(checkpointId: number, sign: (hash: string) => string | null) {
    const [cp] = await database.query<{ first_seq: unknown; last_seq: unknown; head_hash: string; prev_checkpoint_hash: string; key_id: string }>(
      "select first_seq, last_seq, head_hash, prev_checkpoint_hash, key_id from audit_checkpoints where id = $1",
      [checkpointId],
    );
    const merkleRoot = "cd".repeat(32);
    const checkpointHash = checkpointHashOf({
      firstSeq: Number(cp!.first_seq),
      lastSeq: Number(cp!.last_seq),
      merkleRoot,
      headHash: cp!.head_hash,
      prevCheckpointHash: cp!.prev_checkpoint_hash,
      keyId: cp!.key_id,
    });
    await database.query("update audit_checkpoints set merkle_root = $1, checkpoint_hash = $2, signature = coalesce($3, signature) where id = $4", [
      merkleRoot,
      checkpointHash,
      sign(checkpointHash),
      checkpointId,
    ]);
  }

  it("detects an edited Merkle root whose checkpoint hash was recomputed to match: the signature no longer holds", async () => {
    await replaceRoot(checkpointIds[1]!, () => null);
    await expectBad({ seq: null, id: null, checkpointId: checkpointIds[1] }, /seq 11–20\): its signature does not verify under the audit key/);
  });

  it("detects an edited Merkle root even re-signed with the audit key", async () => {
    await replaceRoot(checkpointIds[1]!, (hash) => signer.sign(hash));
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
  // ---------------------------------------------------------------------------------------------
  // What the log could not show before signed checkpoints, heads kept outside the database and a
  // verifier that only reads (issue 10).

  /** The receipt of an entry, as handed out before the tampering: its checkpoint is a signed head. */
  async function receiptHead(seq: number, source = `receipt of seq ${seq}`): Promise<Witness> {
    return { source, checkpoint: (await inclusionProof(database.db, seq)).checkpoint };
  }

  it("(a) detects the last checkpoint deleted together with the entries it covers", async () => {
    const receipt = await receiptHead(25);
    await database.query("delete from audit_entries where seq > 20");
    await database.query("delete from audit_checkpoints where id = $1", [checkpointIds[2]]);
    await expectBad({ seq: 21, id: null }, /seq 21 is missing: the log ends at seq 20, but the signed head from the head file .* shows 30 entries \(truncated\?\)/);
    // A receipt handed out earlier is a witness too, without the head file.
    const v = await verifyAuditLog(database.db, { publicKeys, witnesses: [receipt] });
    expect(v.firstBad?.reason).toMatch(/log ends at seq 20, but the signed head from receipt of seq 25 .* shows 30 entries/);
    // And the sealer will not build on the shortened log.
    await database.db.transaction((tx) => recordAudit(tx, { actor: { kind: "system" }, action: "x", entityType: "x", entityId: "x", change: {} }));
    await expect(sealPending(database.db, { signer, headFile })).rejects.toThrow(/head file .* shows 30 sealed entries but the database's last checkpoint ends at seq 20/);
  });

  it("(a) detects the last three checkpoints deleted together with all their entries", async () => {
    await database.query("delete from audit_entries");
    await database.query("delete from audit_checkpoints");
    await expectBad({ seq: 1, id: null }, /seq 1 is missing: the log ends at seq 0, but the signed head .* shows 30 entries/);
    expect((await runVerify()).code).toBe(1);
  });

  it("(b) detects an edit hidden by unsealing the entries from its checkpoint on and deleting those checkpoints; neither verify nor the sealer seals them", async () => {
    const receipt = await receiptHead(25);
    await database.query("update audit_entries set action = 'case.close' where seq = 15");
    await database.query("update audit_entries set seq = null, prev_hash = null, hash = null, checkpoint_id = null, sealed_at = null where seq >= 11");
    await database.query("delete from audit_checkpoints where id <> $1", [checkpointIds[0]]);

    const before = await tableChecksums();
    const { code, out } = await runVerify();
    expect(code).toBe(1);
    expect(out).toMatch(/TAMPERED: first bad entry seq 11\n.*the log ends at seq 10, but the signed head from the head file .* shows 30 entries/);
    expect(await tableChecksums()).toEqual(before);
    expect((await verify()).pending).toBe(20);
    // The sealer refuses to launder them while the head file stands.
    await expect(sealPending(database.db, { signer, headFile })).rejects.toBeInstanceOf(AuditChainBrokenError);
    expect(await tableChecksums()).toEqual(before);

    // A sealer without the head file re-seals them under the key: the receipt handed out earlier shows the rewrite.
    await sealPending(database.db, { signer, batchSize: 10 });
    const v = await verifyAuditLog(database.db, { publicKeys, witnesses: [receipt] });
    expect(v.ok).toBe(false);
    expect(v.firstBad?.reason).toMatch(/the log up to seq 30 is not the one the signed head from receipt of seq 25 .* shows: checkpoint #\d+ ends there with another hash \(rewritten\?\)/);
  });

  it("(c) reports a forged unsealed entry once it has waited past the sealer's delay, and does not seal it", async () => {
    await database.query(
      `insert into audit_entries (occurred_at, actor_kind, actor_id, action, entity_type, entity_id, digest)
       values (now() - interval '10 minutes', 'user', 'u1', 'fund.approve', 'fund', 'forged', repeat('ab', 32))`,
    );
    const [forged] = await database.query<{ id: unknown }>("select id from audit_entries where seq is null");
    const before = await tableChecksums();
    const { code, out } = await runVerify();
    expect(code).toBe(1);
    expect(out).toMatch(new RegExp(`first bad entry id ${Number(forged!.id)}\\n.*1 entry has waited more than 60 s unsealed .*inserted by hand`));
    expect(await tableChecksums()).toEqual(before);
    const [still] = await database.query<{ seq: unknown }>("select seq from audit_entries where id = $1", [forged!.id]);
    expect(still!.seq).toBeNull();
  });

  it("(c) leaves a fresh unsealed entry pending, unsealed", async () => {
    await database.db.transaction((tx) => recordAudit(tx, { actor: { kind: "system" }, action: "x", entityType: "x", entityId: "x", change: {} }));
    const before = await tableChecksums();
    const { code, out } = await runVerify();
    expect(code).toBe(0);
    expect(out).toMatch(/intact: 30 entries in 3 signed checkpoints verified, reaching all 1 signed heads .*; 1 recent entries pending sealing/);
    expect(await tableChecksums()).toEqual(before);
  });

  it("(d) detects the row ids of two entries swapped, and issues no receipt for either", async () => {
    await database.query("update audit_entries set id = -1 where seq = 14");
    await database.query("update audit_entries set id = $1 where seq = 16", [at(14).id]);
    await database.query("update audit_entries set id = $1 where seq = 14", [at(16).id]);
    await expectBad({ seq: 14, id: at(16).id }, /seq 14 \(id \d+\) does not match its hash: its columns were edited \(or its id changed\)/);
    await expect(inclusionProof(database.db, 14)).rejects.toBeInstanceOf(AuditLogInconsistentError);
    await expect(inclusionProof(database.db, 16)).rejects.toBeInstanceOf(AuditLogInconsistentError);
  });

  it("verify writes nothing: not the pending entries, not the tables, not the head file", async () => {
    await database.db.transaction((tx) => recordAudit(tx, { actor: { kind: "system" }, action: "x", entityType: "x", entityId: "x", change: {} }));
    await database.query("update audit_entries set action = 'case.close' where seq = 15");
    const before = { tables: await tableChecksums(), head: fs.readFileSync(headFile, "utf8") };
    expect((await runVerify()).code).toBe(1);
    expect({ tables: await tableChecksums(), head: fs.readFileSync(headFile, "utf8") }).toEqual(before);
  });

  it("detects a checkpoint signed with another key, or with a signature that does not verify", async () => {
    const intruder = parseAuditSigningKey(generateAuditSigningKey());
    // The whole chain rewritten from seq 15 on, consistently, but signed with the intruder's own key.
    await database.query("update audit_entries set action = 'case.close' where seq = 15");
    await database.query("update audit_entries set seq = null, prev_hash = null, hash = null, checkpoint_id = null, sealed_at = null where seq >= 11");
    await database.query("delete from audit_checkpoints where id <> $1", [checkpointIds[0]]);
    await expect(sealPending(database.db, { signer: intruder })).rejects.toThrow(/checkpoint #\d+: it names signing key .* not a known audit key/);
    await sealPending(database.db, { signer: intruder, previousKeys: [signer.publicKey], batchSize: 10 });
    const [second] = await database.query<{ id: unknown }>("select id from audit_checkpoints where first_seq = 11");
    await expectBad({ seq: null, id: null, checkpointId: Number(second!.id) }, /seq 11–20\): it names signing key "[0-9a-f]{16}", which is not a known audit key/);

    // The audit key's id with a signature that is not the key's.
    await database.query("update audit_checkpoints set signature = $1 where id = $2", [intruder.sign("00".repeat(32)), checkpointIds[0]]);
    await expectBad({ seq: null, id: null, checkpointId: checkpointIds[0] }, /seq 1–10\): its signature does not verify under the audit key/);
  });

  it("detects a signature swapped for another checkpoint's", async () => {
    const [a, b] = await database.query<{ signature: string }>("select signature from audit_checkpoints order by id limit 2");
    await database.query("update audit_checkpoints set signature = $1 where id = $2", [b!.signature, checkpointIds[0]]);
    await database.query("update audit_checkpoints set signature = $1 where id = $2", [a!.signature, checkpointIds[1]]);
    await expectBad({ seq: null, id: null, checkpointId: checkpointIds[0] }, /seq 1–10\): its signature does not verify under the audit key/);
  });

  it("does not trust a head file whose signature is forged", async () => {
    const head = JSON.parse(fs.readFileSync(headFile, "utf8")) as { lastSeq: number; signature: string };
    fs.writeFileSync(headFile, JSON.stringify({ ...head, signature: parseAuditSigningKey(generateAuditSigningKey()).sign("00".repeat(32)) }));
    await expectBad({ seq: null, id: null }, /head from the head file .* cannot be trusted: its signature does not verify/);
    // Nor one that is not a checkpoint at all: the command stops and says so.
    fs.writeFileSync(headFile, "{ not json");
    expect(() => loadWitnesses(headFile, [])).toThrow(AuditWitnessError);
    expect(() => loadWitnesses(headFile, [])).toThrow(/the head file .* cannot be read as a signed checkpoint/);
    await database.db.transaction((tx) => recordAudit(tx, { actor: { kind: "system" }, action: "x", entityType: "x", entityId: "x", change: {} }));
    await expect(sealPending(database.db, { signer, headFile })).rejects.toThrow(/head file .* cannot be read as a checkpoint/);
  });
});
