/**
 * Re-encrypts one encrypted column under the keyring's current key, in batches by id, each batch
 * in its own transaction. For columns holding one field per row (a phone, a secret); the persons
 * table with its several fields and hashes has its own rotation.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../db/index.js";
import { needsRotation, rotateField } from "./crypto.js";
import type { DataKeyring } from "./keys.js";

export interface EncryptedColumn {
  table: string;
  column: string;
  /** The context string the field was encrypted with (bound into the ciphertext). */
  context: string;
}

export async function rotateEncryptedColumn(db: Db, keyring: DataKeyring, col: EncryptedColumn, opts: { batchSize?: number } = {}): Promise<{ rotated: number }> {
  const batch = opts.batchSize ?? 1000;
  const table = sql.identifier(col.table);
  const column = sql.identifier(col.column);
  let rotated = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const list = await rows<{ id: string; v: string }>(
      db,
      sql`select id::text as id, ${column} as v from ${table} where id > ${after}::uuid and ${column} is not null order by id limit ${batch}`,
    );
    if (list.length === 0) break;
    await db.transaction(async (tx) => {
      for (const r of list) {
        if (!needsRotation(keyring, r.v)) continue;
        await tx.execute(sql`update ${table} set ${column} = ${rotateField(keyring, r.v, col.context)} where id = ${r.id}::uuid`);
        rotated++;
      }
    });
    after = list[list.length - 1]!.id;
  }
  return { rotated };
}
