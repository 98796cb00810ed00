/**
 * 核验 Verification: recompute the whole sealed log from its columns and report the first entry,
 * in seq order, that does not hold. Streams entries and checkpoints page by page in one
 * read-only snapshot, so it checks millions of entries in constant memory and never sees a
 * half-sealed batch. It writes nothing: sealing vouches for entries, so it is the sealer's job.
 *
 * Beyond the chain: every checkpoint's signature (the key is outside the database), the heads
 * handed out earlier (head file, receipts, webhooks) against the database's, and entries left
 * unsealed for longer than the sealer could explain.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../db/index.js";
import { GENESIS_HASH, chainHash, checkpointHashOf, leafHashOf } from "./chain.js";
import { MerkleAccumulator } from "./merkle.js";
import { checkCheckpointSignature, describeSignatureCheck, type Witness } from "./heads.js";
import type { AuditPublicKey } from "./signing.js";
import {
  CHECKPOINT_COLUMNS,
  ENTRY_COLUMNS,
  checkpointOf,
  leafFieldsOf,
  toInt,
  type Checkpoint,
  type CheckpointRow,
  type EntryRow,
} from "./rows.js";

export interface AuditProblem {
  /** Seq of the first bad entry, or of the first missing one; null when a checkpoint is at fault. */
  seq: number | null;
  /** Row id of the bad entry; null when the entry is missing or a checkpoint is at fault. */
  id: number | null;
  /** The checkpoint at fault, when it is one. */
  checkpointId?: number;
  reason: string;
}

export interface AuditVerification {
  ok: boolean;
  /** Sealed entries checked (all of them when ok). */
  entries: number;
  /** Checkpoints checked (all of them when ok). */
  checkpoints: number;
  /** Committed entries not sealed yet: not covered by the chain; an error only once stale. */
  pending: number;
  /** Heads from outside the database compared with it (all of them when ok). */
  witnesses: number;
  firstBad?: AuditProblem;
}

/** Entries unsealed for longer than this are a finding, by default: sixty seal intervals of a second. */
export const DEFAULT_STALE_PENDING_MS = 60_000;

export interface VerifyOptions {
  /** Keys whose signatures are accepted: the current audit key's public half, and earlier ones. */
  publicKeys: readonly AuditPublicKey[];
  /** Heads handed out earlier (head file, receipts, webhook deliveries): the log must still reach each. */
  witnesses?: readonly Witness[];
  /** Unsealed entries older than this (ms) are reported (default DEFAULT_STALE_PENDING_MS). */
  stalePendingMs?: number;
  /** Rows per page (default 2000). */
  pageSize?: number;
}

/** Checks the sealed log end to end. Pass the database handle: it opens its own read-only snapshot. */
export async function verifyAuditLog(db: Db, opts: VerifyOptions): Promise<AuditVerification> {
  const pageSize = opts.pageSize ?? 2000;
  if (opts.publicKeys.length === 0) throw new RangeError("verifyAuditLog needs the audit public key to check signatures");
  return db.transaction(
    async (tx) => {
      const walk = new Walk(tx, pageSize, opts.publicKeys);
      let problem = await walk.run();
      let witnesses = 0;
      for (const w of opts.witnesses ?? []) {
        if (problem) break;
        problem = await witnessProblem(tx, w, walk.lastSeq, opts.publicKeys);
        if (!problem) witnesses++;
      }
      problem ??= (await unsealedProblem(tx)) ?? (await stalePendingProblem(tx, opts.stalePendingMs ?? DEFAULT_STALE_PENDING_MS));
      const [p] = await rows<{ n: number | string }>(tx, sql`select count(*) as n from audit_entries where seq is null`);
      const result: AuditVerification = {
        ok: problem === undefined,
        entries: walk.entries,
        checkpoints: walk.checkpoints,
        pending: Number(p!.n),
        witnesses,
      };
      if (problem) result.firstBad = problem;
      return result;
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * A head handed out earlier must be signed by the audit key and still be in the log: the log
 * reaches its seq, and the checkpoint ending there is the same one. A log that ends before it was
 * cut short (the newest checkpoints deleted with their entries, or unsealed to be sealed again).
 */
async function witnessProblem(tx: Db, w: Witness, lastSeq: number, keys: readonly AuditPublicKey[]): Promise<AuditProblem | undefined> {
  const cp = w.checkpoint;
  const check = checkCheckpointSignature(cp, keys);
  if (check !== "ok") return { seq: null, id: null, reason: `the head from ${w.source} cannot be trusted: ${describeSignatureCheck(check, cp.keyId)}` };
  if (lastSeq < cp.lastSeq) {
    return {
      seq: lastSeq + 1,
      id: null,
      reason: `entry seq ${lastSeq + 1} is missing: the log ends at seq ${lastSeq}, but the signed head from ${w.source} (checkpoint #${cp.id}) shows ${cp.lastSeq} entries (truncated?)`,
    };
  }
  const [row] = await rows<{ id: number | string; checkpoint_hash: string }>(
    tx,
    sql`select id, checkpoint_hash from audit_checkpoints where last_seq = ${cp.lastSeq} order by id limit 1`,
  );
  if (row?.checkpoint_hash !== cp.checkpointHash) {
    return {
      seq: null,
      id: null,
      ...(row ? { checkpointId: toInt(row.id) } : {}),
      reason: `the log up to seq ${cp.lastSeq} is not the one the signed head from ${w.source} (checkpoint #${cp.id}) shows: ${row ? `checkpoint #${toInt(row.id)} ends there with another hash` : "no checkpoint ends there"} (rewritten?)`,
    };
  }
  return undefined;
}

/**
 * Entries waiting longer than the sealer would leave them: the sealer is not running, or someone
 * inserted them by hand. Verification does not seal them, since sealing vouches for them.
 */
async function stalePendingProblem(tx: Db, staleMs: number): Promise<AuditProblem | undefined> {
  const [row] = await rows<{ n: number | string; id: number | string | null }>(
    tx,
    sql`select count(*) as n, min(id) as id from audit_entries
        where seq is null and occurred_at < now() - make_interval(secs => ${staleMs / 1000}::double precision)`,
  );
  const n = Number(row!.n);
  if (n === 0) return undefined;
  const id = toInt(row!.id);
  return {
    seq: null,
    id,
    reason: `${n} entr${n === 1 ? "y has" : "ies have"} waited more than ${Math.round(staleMs / 1000)} s unsealed (first: entry id ${id}): the sealer is not running, or they were inserted by hand; check them before sealing (\`gongzhi audit seal\`), since sealing vouches for them`,
  };
}

/** A pending row that carries chain fields was sealed once and had its seq removed. */
async function unsealedProblem(tx: Db): Promise<AuditProblem | undefined> {
  const [row] = await rows<{ id: number | string }>(
    tx,
    sql`select id from audit_entries
        where seq is null and (hash is not null or prev_hash is not null or checkpoint_id is not null)
        order by id limit 1`,
  );
  if (!row) return undefined;
  return {
    seq: null,
    id: toInt(row.id),
    reason: `entry id ${toInt(row.id)} has chain hashes but no seq: it was sealed and then unnumbered`,
  };
}

async function* pagesOf<T>(fetch: (last: T | undefined) => Promise<T[]>, pageSize: number): AsyncGenerator<T> {
  let last: T | undefined;
  for (;;) {
    const page = await fetch(last);
    yield* page;
    if (page.length < pageSize) return;
    last = page[page.length - 1];
  }
}

class Walk {
  entries = 0;
  checkpoints = 0;
  /** Seq of the last entry checked: the size of the log as far as it holds. */
  get lastSeq(): number {
    return this.expected - 1;
  }
  private readonly entryRows: AsyncGenerator<EntryRow>;
  private readonly checkpointRows: AsyncGenerator<CheckpointRow>;

  // The chain as recomputed so far.
  private expected = 1;
  private prevHash = GENESIS_HASH;
  private prevPrevHash: string | null = null;
  private prevEntry: { id: number; seq: number } | null = null;

  // The checkpoint covering the current entries, and the one before it.
  private cp: Checkpoint | undefined;
  private prevCp: Checkpoint | undefined;
  private acc = new MerkleAccumulator();
  /** A checkpoint whose last entry was just read: judged once the next entry's link is known. */
  private closing: { cp: Checkpoint; root: string; head: string } | undefined;

  constructor(
    tx: Db,
    pageSize: number,
    private readonly keys: readonly AuditPublicKey[],
  ) {
    this.entryRows = pagesOf<EntryRow>(
      (last) =>
        rows<EntryRow>(
          tx,
          last === undefined
            ? sql`select ${ENTRY_COLUMNS} from audit_entries where seq is not null order by seq, id limit ${pageSize}`
            : sql`select ${ENTRY_COLUMNS} from audit_entries
                  where seq >= ${last.seq} and (seq > ${last.seq} or id > ${last.id})
                  order by seq, id limit ${pageSize}`,
        ),
      pageSize,
    );
    // Checkpoints in creation order: the sealer makes them in seq order under its lock, and any
    // reordering shows up as a range that does not continue the previous one.
    this.checkpointRows = pagesOf<CheckpointRow>(
      (last) =>
        rows<CheckpointRow>(
          tx,
          sql`select ${CHECKPOINT_COLUMNS} from audit_checkpoints
              where id > ${last === undefined ? -1 : last.id} order by id limit ${pageSize}`,
        ),
      pageSize,
    );
  }

  async run(): Promise<AuditProblem | undefined> {
    for await (const row of this.entryRows) {
      const problem = await this.check(row);
      if (problem) return problem;
    }
    return this.finish();
  }

  private async check(row: EntryRow): Promise<AuditProblem | undefined> {
    const id = toInt(row.id);
    const seq = toInt(row.seq)!;

    // An entry that links past its predecessor names that predecessor as the intruder; this runs
    // before the checkpoint close so an entry forged at the end of a period is named too.
    if (seq === this.expected && this.prevEntry && row.prev_hash !== this.prevHash && row.prev_hash === this.prevPrevHash) {
      const p = this.prevEntry;
      return {
        seq: p.seq,
        id: p.id,
        reason: `entry seq ${p.seq} (id ${p.id}) is not part of the chain: the next entry links past it to seq ${p.seq - 1} (inserted?)`,
      };
    }
    const closed = this.close();
    if (closed) return closed;

    if (seq < this.expected) {
      return { seq, id, reason: `seq ${seq} appears more than once (entry id ${id} duplicates it)` };
    }
    if (seq > this.expected) {
      return {
        seq: this.expected,
        id: null,
        reason: `entry seq ${this.expected} is missing (deleted?): the log goes from seq ${this.expected - 1} to seq ${seq}`,
      };
    }

    if (!this.cp || seq > this.cp.lastSeq) {
      const problem = await this.nextCheckpoint();
      if (problem) return problem;
      if (!this.cp) {
        return { seq, id, reason: `entry seq ${seq} is sealed but no checkpoint covers it (inserted after the last checkpoint?)` };
      }
      if (this.cp.firstSeq > seq) {
        return {
          seq,
          id,
          reason: `entry seq ${seq} is sealed but no checkpoint covers it: the next checkpoint #${this.cp.id} starts at seq ${this.cp.firstSeq} (checkpoint deleted?)`,
        };
      }
    }
    const cp = this.cp;
    if (toInt(row.checkpoint_id) !== cp.id) {
      return {
        seq,
        id,
        reason: `entry seq ${seq} names checkpoint #${toInt(row.checkpoint_id) ?? "none"}, but its seq lies in checkpoint #${cp.id} (seq ${cp.firstSeq}–${cp.lastSeq})`,
      };
    }

    if (row.prev_hash !== this.prevHash) {
      return {
        seq,
        id,
        reason:
          seq === 1
            ? `entry seq 1 does not start from the genesis hash`
            : `entry seq ${seq} does not link to the hash of seq ${seq - 1} (an entry before it was inserted, removed or reordered)`,
      };
    }
    const leaf = leafHashOf(leafFieldsOf(row, seq));
    const hash = chainHash(this.prevHash, leaf);
    if (row.hash !== hash) {
      return { seq, id, reason: `entry seq ${seq} (id ${id}) does not match its hash: its columns were edited (or its id changed)` };
    }

    this.acc.push(leaf);
    this.entries++;
    if (seq === cp.lastSeq) this.closing = { cp, root: this.acc.root(), head: hash };
    this.prevPrevHash = this.prevHash;
    this.prevHash = hash;
    this.prevEntry = { id, seq };
    this.expected = seq + 1;
    return undefined;
  }

  /** Judges the checkpoint whose last entry was read: its root and head against the entries. */
  private close(): AuditProblem | undefined {
    const c = this.closing;
    if (!c) return undefined;
    this.closing = undefined;
    const where = `checkpoint #${c.cp.id} (seq ${c.cp.firstSeq}–${c.cp.lastSeq})`;
    if (c.root !== c.cp.merkleRoot) {
      return {
        seq: null,
        id: null,
        checkpointId: c.cp.id,
        reason: `${where}: its Merkle root does not match its entries (root edited, or an entry in it replaced)`,
      };
    }
    if (c.head !== c.cp.headHash) {
      return { seq: null, id: null, checkpointId: c.cp.id, reason: `${where}: its head hash is not the hash of seq ${c.cp.lastSeq}` };
    }
    return undefined;
  }

  /** Moves to the next checkpoint and checks it on its own and against the previous one. */
  private async nextCheckpoint(): Promise<AuditProblem | undefined> {
    this.prevCp = this.cp;
    const next = await this.checkpointRows.next();
    this.cp = next.done ? undefined : checkpointOf(next.value);
    this.acc = new MerkleAccumulator();
    const cp = this.cp;
    if (!cp) return undefined;
    this.checkpoints++;
    const prev = this.prevCp;
    const where = `checkpoint #${cp.id} (seq ${cp.firstSeq}–${cp.lastSeq})`;
    const bad = (reason: string): AuditProblem => ({ seq: null, id: null, checkpointId: cp.id, reason: `${where}: ${reason}` });

    // A range starting later than expected leaves entries uncovered: the caller names the first.
    const expectedFirst = prev ? prev.lastSeq + 1 : 1;
    if (cp.firstSeq > expectedFirst) return undefined;
    if (checkpointHashOf(cp) !== cp.checkpointHash) return bad("its hash does not match its fields (edited?)");
    const signature = checkCheckpointSignature(cp, this.keys);
    if (signature !== "ok") return bad(describeSignatureCheck(signature, cp.keyId));
    if (cp.prevCheckpointHash !== (prev?.checkpointHash ?? null)) {
      return bad(prev ? `it does not link to the hash of checkpoint #${prev.id}` : "the first checkpoint links to a previous one");
    }
    if (cp.firstSeq < expectedFirst) return bad(`it overlaps the previous checkpoint, which ends at seq ${expectedFirst - 1}`);
    if (cp.lastSeq < cp.firstSeq) return bad("its range is empty");
    return undefined;
  }

  /** After the last entry: everything a checkpoint promised must have been there. */
  private async finish(): Promise<AuditProblem | undefined> {
    const closed = this.close();
    if (closed) return closed;
    if (this.cp && this.expected <= this.cp.lastSeq) {
      return {
        seq: this.expected,
        id: null,
        reason: `entry seq ${this.expected} is missing: checkpoint #${this.cp.id} covers up to seq ${this.cp.lastSeq} but the log ends at seq ${this.expected - 1} (truncated?)`,
      };
    }
    const problem = await this.nextCheckpoint();
    if (problem) return problem;
    if (this.cp) {
      return {
        seq: this.expected,
        id: null,
        reason: `entry seq ${this.expected} is missing: checkpoint #${this.cp.id} covers seq ${this.cp.firstSeq}–${this.cp.lastSeq} but the log ends at seq ${this.expected - 1} (truncated?)`,
      };
    }
    return undefined;
  }
}
