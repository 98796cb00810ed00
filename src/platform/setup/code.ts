/**
 * 首次设置: whether the installation still needs its first system administrator, and the one-time
 * code that guards the first-run page meanwhile. The code is printed in the server's log at start
 * (so only whoever reads the log can use it), kept only as a SHA-256 hash, used once, expires, and
 * dies after `maxSetupCodeAttempts` wrong tries (a restart prints a new one).
 */
import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, type Db } from "../db/index.js";
import { AppError } from "../errors.js";
import { setupCodes } from "./schema.js";
import "./errors.js";

/** How long a printed code stays good. */
export const setupCodeHours = 24;
/** Wrong tries a code survives; the next one voids it. */
export const maxSetupCodeAttempts = 10;

// Without 0/O and 1/I/L, so a code read off a terminal is typed right.
const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function hashCode(code: string): string {
  return createHash("sha256").update(normalizeSetupCode(code)).digest("hex");
}

/** What a person types, as the code was printed: upper case, without spaces and dashes. */
export function normalizeSetupCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

/** True while no system administrator exists: setup is still to be done. */
export async function setupNeeded(db: Db): Promise<boolean> {
  const [r] = await rows<{ n: number | string }>(db, sql`select count(*) as n from role_grants where role = 'systemAdmin'`);
  return Number(r?.n ?? 0) === 0;
}

/**
 * Issues a new code (voiding any earlier one) and returns it in clear, for the log; undefined when
 * setup is not needed. 12 characters of a 31-letter alphabet: about 59 bits.
 */
export async function issueSetupCode(db: Db, now = new Date()): Promise<{ code: string; expiresAt: Date } | undefined> {
  if (!(await setupNeeded(db))) return undefined;
  let raw = "";
  for (let i = 0; i < 12; i++) raw += alphabet[randomInt(alphabet.length)];
  const code = `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  const expiresAt = new Date(now.getTime() + setupCodeHours * 3_600_000);
  await db.transaction(async (tx) => {
    await tx.execute(sql`update setup_codes set voided_at = ${now} where used_at is null and voided_at is null`);
    await tx.insert(setupCodes).values({ codeHash: hashCode(code), expiresAt, createdAt: now });
  });
  return { code, expiresAt };
}

/**
 * Checks a code against the live one, in the caller's transaction: a wrong code counts a try (and
 * the last allowed try voids the code), an expired, used or voided one is refused. With `consume`,
 * a right code is marked used. Errors: `setup_code_invalid` (field `code`), `setup_code_expired`.
 */
export async function checkSetupCode(tx: Db, code: string, opts: { consume: boolean; now?: Date }): Promise<void> {
  const now = opts.now ?? new Date();
  const [live] = await rows<{ id: string; code_hash: string; expires_at: string | Date; failed_attempts: number }>(
    tx,
    sql`select id, code_hash, expires_at, failed_attempts from setup_codes
        where used_at is null and voided_at is null order by created_at desc limit 1 for update`,
  );
  if (!live) throw new AppError("setup_code_expired", {}, "code");
  if (new Date(live.expires_at) <= now) throw new AppError("setup_code_expired", {}, "code");
  const given = Buffer.from(hashCode(code), "hex");
  const expected = Buffer.from(live.code_hash, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    const tries = live.failed_attempts + 1;
    await tx.execute(
      tries >= maxSetupCodeAttempts
        ? sql`update setup_codes set failed_attempts = ${tries}, voided_at = ${now} where id = ${live.id}`
        : sql`update setup_codes set failed_attempts = ${tries} where id = ${live.id}`,
    );
    // Thrown after the count is written: the caller commits it (see `countFailedSetupCode`).
    throw new AppError("setup_code_invalid", { left: Math.max(0, maxSetupCodeAttempts - tries) }, "code");
  }
  if (opts.consume) await tx.execute(sql`update setup_codes set used_at = ${now} where id = ${live.id}`);
}

/**
 * Checks a code in a transaction of its own, so a wrong try is counted even though the request
 * fails; `setup` then runs in another transaction that consumes the code.
 */
export async function verifySetupCode(db: Db, code: string, now?: Date): Promise<void> {
  let failure: AppError | undefined;
  await db.transaction(async (tx) => {
    try {
      await checkSetupCode(tx, code, { consume: false, ...(now ? { now } : {}) });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      failure = e;
    }
  });
  if (failure) throw failure;
}
