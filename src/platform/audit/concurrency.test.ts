import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import type { Database } from "../db/index.js";
import { recordAudit } from "./service.js";
import { SEALER_LOCK_KEY, pendingCount, sealPending, type SealResult } from "./sealer.js";
import { verifyAuditLog } from "./verify.js";
import { generateAuditSigningKey, parseAuditSigningKey } from "./signing.js";

const signer = parseAuditSigningKey(generateAuditSigningKey());
const publicKeys = [signer.publicKey];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testEngines())("audit sealing under concurrency on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.query("truncate audit_entries, audit_checkpoints restart identity");
  });

  async function sealedRows() {
    const found = await database.query<{ id: unknown; seq: unknown; checkpoint_id: unknown }>(
      "select id, seq, checkpoint_id from audit_entries order by id",
    );
    return found.map((r) => ({ id: Number(r.id), seq: r.seq === null ? null : Number(r.seq), checkpointId: Number(r.checkpoint_id) }));
  }

  it("seals every entry exactly once while writers and two sealers run at the same time", async () => {
    const writers = 20;
    const perWriter = 6;
    let writing = true;
    const sealerRuns: SealResult[] = [];

    const sealer = async () => {
      // Keep sealing while anyone writes, then until nothing is left.
      while (writing || (await pendingCount(database.db)) > 0) {
        sealerRuns.push(await sealPending(database.db, { signer, batchSize: 7 }));
        await sleep(Math.random() * 4);
      }
    };
    const writer = async (w: number) => {
      await sleep(Math.random() * 10);
      await database.db.transaction(async (tx) => {
        for (let i = 0; i < perWriter; i++) {
          await recordAudit(tx, {
            actor: { kind: "user", id: `writer-${w}` },
            action: "case.update",
            entityType: "case",
            entityId: `case-${w}`,
            change: { w, i },
          });
          // Hold the transaction open a little so commits interleave with sealing.
          await sleep(Math.random() * 3);
        }
      });
    };

    const sealers = [sealer(), sealer()];
    await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
    writing = false;
    await Promise.all(sealers);

    const total = writers * perWriter;
    const all = await sealedRows();
    expect(all).toHaveLength(total);
    expect(all.filter((r) => r.seq === null)).toEqual([]);
    // Contiguous 1..total, no seq used twice, and the sealers together report each entry once.
    expect(all.map((r) => r.seq).sort((a, b) => a! - b!)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(sealerRuns.reduce((n, r) => n + r.sealed, 0)).toBe(total);
    const checkpoints = sealerRuns.reduce((n, r) => n + r.checkpoints, 0);
    expect(checkpoints).toBeGreaterThanOrEqual(Math.ceil(total / 7));
    expect(await verifyAuditLog(database.db, { publicKeys })).toEqual({ ok: true, entries: total, checkpoints, pending: 0, witnesses: 0 });
  });

  it("seals 10,000 pending entries in well under a few seconds", async () => {
    await database.query(
      `insert into audit_entries (actor_kind, actor_id, action, entity_type, entity_id, digest, summary)
       select 'user', 'u' || (g % 50), 'case.update', 'case', 'case-' || g, md5(g::text) || md5((g + 1)::text),
              case when g % 3 = 0 then null else jsonb_build_object('step', g) end
       from generate_series(1, 10000) g`,
    );
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await sealPending(database.db, { signer });
    const sealMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const sealCpuMs = (user + system) / 1000;
    expect(result).toEqual({ sealed: 10_000, checkpoints: 10 });

    const verifyStarted = performance.now();
    expect(await verifyAuditLog(database.db, { publicKeys })).toEqual({ ok: true, entries: 10_000, checkpoints: 10, pending: 0, witnesses: 0 });
    const verifyMs = performance.now() - verifyStarted;
    console.info(
      `${engine.name}: sealed 10,000 entries in ${sealMs.toFixed(0)} ms (${sealCpuMs.toFixed(0)} ms CPU in this process), ` +
        `verified in ${verifyMs.toFixed(0)} ms`,
    );
    // PGlite works inside this process, so its CPU time is the cost itself, whatever else the
    // machine runs meanwhile (test files run in parallel); PostgreSQL's work is in the server.
    expect(engine.name === "pglite" ? sealCpuMs : sealMs).toBeLessThan(5000);
  });

  it.runIf(engine.name === "postgres")("lets only one sealer run, and the other returns at once", async () => {
    await database.query(
      "insert into audit_entries (actor_kind, action, entity_type, entity_id, digest) values ('system', 'x', 'y', 'z', md5('d') || md5('e'))",
    );
    const holder = await database.pool!.connect();
    try {
      await holder.query("begin");
      await holder.query(`select pg_advisory_xact_lock(${SEALER_LOCK_KEY})`);
      expect(await sealPending(database.db, { signer })).toEqual({ sealed: 0, checkpoints: 0 });
      expect(await pendingCount(database.db)).toBe(1);
      await holder.query("commit");
    } finally {
      // Destroy rather than return the connection, so a failed assertion cannot leave an open
      // transaction holding the lock in the pool.
      holder.release(true);
    }
    expect(await sealPending(database.db, { signer })).toEqual({ sealed: 1, checkpoints: 1 });
  });

  it.runIf(engine.name === "postgres")("seals a transaction that commits late into a later batch", async () => {
    const late = await database.pool!.connect();
    let lateId: number;
    try {
      await late.query("begin");
      const [row] = (
        await late.query<{ id: string }>(
          "insert into audit_entries (actor_kind, action, entity_type, entity_id, digest) values ('system', 'late', 'case', 'c', md5('a') || md5('b')) returning id",
        )
      ).rows;
      lateId = Number(row!.id);
      // Entries with higher ids commit and are sealed while the early one is still open.
      await database.db.transaction(async (tx) => {
        for (let i = 0; i < 3; i++) {
          await recordAudit(tx, { actor: { kind: "system" }, action: "early", entityType: "case", entityId: `c${i}`, change: i });
        }
      });
      expect(await sealPending(database.db, { signer })).toEqual({ sealed: 3, checkpoints: 1 });
      await late.query("commit");
    } finally {
      late.release(true);
    }
    expect(await pendingCount(database.db)).toBe(1);
    expect(await sealPending(database.db, { signer })).toEqual({ sealed: 1, checkpoints: 1 });
    const all = await sealedRows();
    expect(all.find((r) => r.id === lateId)?.seq).toBe(4);
    expect(Math.min(...all.map((r) => r.id))).toBe(lateId);
    expect((await verifyAuditLog(database.db, { publicKeys })).ok).toBe(true);
  });
});
