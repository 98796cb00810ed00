/**
 * Sealing and verification throughput of the audit log.
 *   npx tsx bench/audit-seal.ts [entries=10000] [batchSize=1000]
 * Uses PGlite in memory, or PostgreSQL when DATABASE_URL is set (the database must be empty
 * and migrated: the bench writes audit rows and leaves them).
 */
import { migrate, openDatabase } from "../src/platform/db/index.js";
import { sealPending } from "../src/platform/audit/sealer.js";
import { verifyAuditLog } from "../src/platform/audit/verify.js";
import { generateAuditSigningKey, parseAuditSigningKey } from "../src/platform/audit/signing.js";

const entries = Number(process.argv[2] ?? 10_000);
const batchSize = Number(process.argv[3] ?? 1000);
const signer = parseAuditSigningKey(generateAuditSigningKey());
const database = await openDatabase({ url: process.env.DATABASE_URL });
await migrate(database);
try {
  await database.query(
    `insert into audit_entries (actor_kind, actor_id, action, entity_type, entity_id, digest, summary)
     select 'user', 'u' || (g % 50), 'case.update', 'case', 'case-' || g, md5(g::text) || md5((g + 1)::text),
            case when g % 3 = 0 then null else jsonb_build_object('step', g) end
     from generate_series(1, $1::int) g`,
    [entries],
  );
  // CPU time of this process as well as wall time: PGlite runs in-process, so its CPU time is
  // the work itself, undisturbed by whatever else the machine is doing.
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  let t = performance.now();
  let c = process.cpuUsage();
  const sealed = await sealPending(database.db, { signer, batchSize });
  const sealMs = performance.now() - t;
  const sealCpu = cpuMs(c);
  t = performance.now();
  c = process.cpuUsage();
  const verified = await verifyAuditLog(database.db, { publicKeys: [signer.publicKey] });
  const verifyMs = performance.now() - t;
  const verifyCpu = cpuMs(c);
  const rate = (ms: number) => Math.round((sealed.sealed / ms) * 1000);
  console.log(
    `${database.kind}: sealed ${sealed.sealed} entries in ${sealed.checkpoints} checkpoints in ${sealMs.toFixed(0)} ms (cpu ${sealCpu.toFixed(0)} ms, ` +
      `${rate(sealMs)}/s); verified ${verified.entries} (ok=${verified.ok}) in ${verifyMs.toFixed(0)} ms ` +
      `(cpu ${verifyCpu.toFixed(0)} ms, ${rate(verifyMs)}/s)`,
  );
} finally {
  await database.close();
}
