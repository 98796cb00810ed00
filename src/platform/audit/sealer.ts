/**
 * 封存 Sealing: chaining committed audit entries into the hash chain, after commit.
 *
 * Writers only insert unsealed rows, so auditing never serializes the platform's writes. One
 * sealer at a time (an advisory lock, whichever process holds it) numbers every unsealed row it
 * can see, in id order, continuing the chain from the last checkpoint; a transaction that commits
 * late simply lands in a later batch. Each batch is one period with one checkpoint, signed with
 * the audit key; after commit the newest one goes to the head file beside the data.
 */
import { sql } from "drizzle-orm";
import { rows, type Database, type Db } from "../db/index.js";
import { GENESIS_HASH, chainHash, checkpointHashOf, leafHashOf } from "./chain.js";
import { merkleRoot } from "./merkle.js";
import { CHECKPOINT_COLUMNS, PENDING_COLUMNS, checkpointOf, leafFieldsOf, toInt, type Checkpoint, type CheckpointRow, type PendingRow } from "./rows.js";
import { checkCheckpointSignature, describeSignatureCheck, readHeadFile, writeHeadFile } from "./heads.js";
import type { AuditPublicKey, AuditSigner } from "./signing.js";

/**
 * Advisory lock key held by the sealing transaction (an arbitrary constant used for nothing else;
 * look for it in pg_locks.objid/classid to see who is sealing).
 */
export const SEALER_LOCK_KEY = "7157390127010416116";

export const DEFAULT_BATCH_SIZE = 1000;

/** The chain head does not match the last checkpoint: someone changed sealed rows. */
export class AuditChainBrokenError extends Error {
  readonly code = "audit_chain_broken";
  constructor(detail: string) {
    super(`audit log head is inconsistent (${detail}); sealing stopped, run \`gongzhi audit verify\``);
    this.name = "AuditChainBrokenError";
  }
}

export interface SealOptions {
  /** Signs each checkpoint (the audit key, from configuration). */
  signer: AuditSigner;
  /** Public keys of earlier signing keys, whose checkpoints the chain may continue from. */
  previousKeys?: readonly AuditPublicKey[];
  /**
   * The head file: read before sealing (the database must still hold the head it names) and
   * replaced by the newest checkpoint after each batch. Null or absent: none.
   */
  headFile?: string | null;
  /**
   * Called in the sealing transaction with each new checkpoint, e.g. to queue it for the
   * `audit.checkpoint` webhooks; an error rolls the batch back.
   */
  onCheckpoint?: (tx: Db, checkpoint: Checkpoint) => Promise<void>;
  /** Entries per batch, that is per checkpoint (default 1000). */
  batchSize?: number;
}

export interface SealResult {
  sealed: number;
  checkpoints: number;
}

/** Number of committed entries not sealed yet. */
export async function pendingCount(db: Db): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, sql`select count(*) as n from audit_entries where seq is null`);
  return Number(row!.n);
}

/**
 * Seals every pending entry, batch by batch. Returns at once, sealing nothing, when another
 * sealer holds the lock (it will seal them). Pass the database handle, not a transaction: each
 * batch commits on its own.
 */
export async function sealPending(db: Db, opts: SealOptions): Promise<SealResult> {
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer`);
  const result: SealResult = { sealed: 0, checkpoints: 0 };
  for (;;) {
    // Cheap check first, so an idle sealer tick costs one index probe and no transaction.
    const [any] = await rows(db, sql`select 1 from audit_entries where seq is null limit 1`);
    if (!any) break;
    // READ COMMITTED matters: each statement after the lock must see the previous holder's commit.
    const batch = await db.transaction((tx) => sealBatch(tx, batchSize, opts), { isolationLevel: "read committed" });
    if (batch === null) break;
    result.sealed += batch.sealed;
    if (batch.checkpoint) {
      result.checkpoints++;
      // After commit: a head that was rolled back must never be handed out.
      if (opts.headFile) writeHeadFile(opts.headFile, batch.checkpoint);
    }
    if (batch.sealed < batchSize) break;
  }
  return result;
}

/** One period: how many entries it sealed under which checkpoint, or null when another sealer holds the lock. */
async function sealBatch(tx: Db, batchSize: number, opts: SealOptions): Promise<{ sealed: number; checkpoint?: Checkpoint } | null> {
  const [lock] = await rows<{ locked: boolean }>(tx, sql`select pg_try_advisory_xact_lock(${sql.raw(SEALER_LOCK_KEY)}) as locked`);
  if (!lock?.locked) return null;

  const head = await readHead(tx, opts);
  // No FOR UPDATE: the advisory lock already keeps other sealers out and writers never update,
  // so row locks would only double the tuple writes of the UPDATE below.
  const pending = await rows<PendingRow>(
    tx,
    sql`select ${PENDING_COLUMNS} from audit_entries where seq is null order by id limit ${batchSize}`,
  );
  if (pending.length === 0) return { sealed: 0 };

  const ids: number[] = [];
  const seqs: number[] = [];
  const prevs: string[] = [];
  const hashes: string[] = [];
  const leaves: string[] = [];
  let prev = head.hash;
  let seq = head.seq;
  for (const row of pending) {
    seq++;
    const leaf = leafHashOf(leafFieldsOf(row, seq));
    const hash = chainHash(prev, leaf);
    ids.push(toInt(row.id));
    seqs.push(seq);
    prevs.push(prev);
    hashes.push(hash);
    leaves.push(leaf);
    prev = hash;
  }

  const fields = {
    firstSeq: head.seq + 1,
    lastSeq: seq,
    merkleRoot: merkleRoot(leaves),
    headHash: prev,
    prevCheckpointHash: head.checkpointHash,
    keyId: opts.signer.keyId,
  };
  const checkpointHash = checkpointHashOf(fields);
  const signature = opts.signer.sign(checkpointHash);
  const [checkpoint] = await rows<CheckpointRow>(
    tx,
    sql`insert into audit_checkpoints (first_seq, last_seq, merkle_root, head_hash, prev_checkpoint_hash, checkpoint_hash, key_id, signature)
        values (${fields.firstSeq}, ${fields.lastSeq}, ${fields.merkleRoot}, ${fields.headHash}, ${fields.prevCheckpointHash},
                ${checkpointHash}, ${fields.keyId}, ${signature})
        returning ${CHECKPOINT_COLUMNS}`,
  );

  // One statement for the whole batch. Arrays travel as PostgreSQL array literals: the values are
  // integers and hex strings, so they need no quoting, and both drivers pass one text parameter.
  // The id range keeps the join on the primary key rather than hashing every unsealed row.
  // (Under the lock no other sealer can have touched these rows since they were read.)
  const [updated] = await rows<{ n: number | string }>(
    tx,
    sql`with sealed as (
          update audit_entries as e
          set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash,
              checkpoint_id = ${checkpoint!.id}, sealed_at = now()
          from unnest(${arrayLiteral(ids)}::bigint[], ${arrayLiteral(seqs)}::bigint[],
                      ${arrayLiteral(prevs)}::text[], ${arrayLiteral(hashes)}::text[]) as v(id, seq, prev_hash, hash)
          where e.id = v.id and e.id between ${ids[0]!} and ${ids[ids.length - 1]!}
          returning 1
        )
        select count(*) as n from sealed`,
  );
  if (Number(updated!.n) !== pending.length) {
    throw new Error(`sealing updated ${Number(updated!.n)} of ${pending.length} selected entries`);
  }
  const sealed = checkpointOf(checkpoint!);
  await opts.onCheckpoint?.(tx, sealed);
  return { sealed: pending.length, checkpoint: sealed };
}

function arrayLiteral(values: readonly (number | string)[]): string {
  return `{${values.join(",")}}`;
}

interface Head {
  seq: number;
  hash: string;
  checkpointHash: string | null;
}

/**
 * Where the chain continues: the last checkpoint, which commits to its last seq and head hash.
 * The rows must agree with it (no sealed entry past it, its head entry unchanged), it must bear
 * the audit key's signature, and it must not end before the head in the head file (nor differ
 * from it); if anything disagrees, sealing on top would bury the damage under fresh, validly
 * signed periods, so the sealer refuses.
 */
async function readHead(tx: Db, opts: SealOptions): Promise<Head> {
  const [row] = await rows<CheckpointRow & { max_seq: number | string | null; entry_hash: string | null }>(
    tx,
    sql`select (select max(seq) from audit_entries) as max_seq, c.*,
               (select e.hash from audit_entries e where e.seq = c.last_seq) as entry_hash
        from (select 1) as one
        left join lateral (
          select ${CHECKPOINT_COLUMNS} from audit_checkpoints order by id desc limit 1
        ) c on true`,
  );
  const maxSeq = toInt(row!.max_seq);
  const last = row!.id === null ? undefined : checkpointOf(row!);
  await checkHeadFile(tx, opts.headFile, last);
  if (!last) {
    if (maxSeq !== null) throw new AuditChainBrokenError(`entries are sealed up to seq ${maxSeq} but there is no checkpoint`);
    return { seq: 0, hash: GENESIS_HASH, checkpointHash: null };
  }
  if (maxSeq !== last.lastSeq) {
    throw new AuditChainBrokenError(`the last checkpoint ends at seq ${last.lastSeq} but the highest sealed seq is ${maxSeq ?? "none"}`);
  }
  if (row!.entry_hash !== last.headHash) {
    throw new AuditChainBrokenError(`the entry at seq ${last.lastSeq} does not carry the last checkpoint's head hash`);
  }
  const check = checkCheckpointSignature(last, [opts.signer.publicKey, ...(opts.previousKeys ?? [])]);
  if (check !== "ok") throw new AuditChainBrokenError(`the last checkpoint #${last.id}: ${describeSignatureCheck(check, last.keyId)}`);
  return { seq: last.lastSeq, hash: last.headHash, checkpointHash: last.checkpointHash };
}

/** The database must still hold the head this process (or one beside it) last wrote to the head file. */
async function checkHeadFile(tx: Db, file: string | null | undefined, last: Checkpoint | undefined): Promise<void> {
  if (!file) return;
  let head: Checkpoint | undefined;
  try {
    head = readHeadFile(file);
  } catch {
    throw new AuditChainBrokenError(`the head file ${file} cannot be read as a checkpoint`);
  }
  if (!head) return;
  const moved = `if this database was replaced on purpose, move ${file} aside`;
  if (!last || last.lastSeq < head.lastSeq) {
    throw new AuditChainBrokenError(
      `the head file ${file} shows ${head.lastSeq} sealed entries but the database's last checkpoint ends at seq ${last?.lastSeq ?? 0} (truncated?; ${moved})`,
    );
  }
  const [same] = await rows<{ checkpoint_hash: string }>(
    tx,
    sql`select checkpoint_hash from audit_checkpoints where last_seq = ${head.lastSeq} order by id limit 1`,
  );
  if (same?.checkpoint_hash !== head.checkpointHash) {
    throw new AuditChainBrokenError(`the database's checkpoint at seq ${head.lastSeq} is not the one in the head file ${file} (rewritten?; ${moved})`);
  }
}

export interface SealerOptions extends SealOptions {
  /** Pause between sealing runs (default 1000 ms): the bound on how long an entry stays pending. */
  intervalMs?: number;
  /** Called with any error of a sealing run; the sealer keeps running. */
  onError: (error: unknown) => void;
}

export interface Sealer {
  /** Stops the timer, waits for a running batch, then seals once more so nothing is left pending. */
  stop(): Promise<void>;
}

/** Runs `sealPending` every `intervalMs` until stopped. Runs never overlap. */
export function startSealer(database: Database, opts: SealerOptions): Sealer {
  const intervalMs = opts.intervalMs ?? 1000;
  const { intervalMs: _interval, onError: _onError, ...sealOpts } = opts;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const run = async (): Promise<void> => {
    try {
      await sealPending(database.db, sealOpts);
    } catch (error) {
      opts.onError(error);
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run().finally(() => {
        running = undefined;
        schedule();
      });
    }, intervalMs);
    // The sealer alone must not keep the process alive; stop() does the final sealing.
    timer.unref();
  };
  schedule();

  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      await running;
      await run();
    },
  };
}
