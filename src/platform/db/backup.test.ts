/**
 * `gongzhi backup` and `gongzhi restore` as a person runs them: a small embedded database with an
 * encrypted ID number and sealed audit entries goes into one file and comes back in a fresh data
 * directory, readable with the restored keys and with an intact audit log; and the refusals.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { cliTargets, gongzhi } from "../../test-support/cli.js";
import { buildTinyStreet } from "../../test-support/factories.js";
import { loadConfig, resolveAuditSigner, resolveKeyring } from "../config.js";
import { openConfiguredDatabase } from "../../app.js";
import { encryptContact } from "../../modules/people/index.js";
import { persons } from "../../modules/people/schema.js";
import { recordAudit } from "../audit/service.js";
import { sealPending } from "../audit/sealer.js";
import { decryptField } from "../pii/crypto.js";
import { generateDataKeysValue, loadOrCreateLocalKeyring } from "../pii/keys.js";
import { migrate, openDatabase } from "./index.js";
import { BackupError, buildSchemaState, type BackupManifest, decodeBackup, encodeBackup, restoreEmbedded } from "./backup.js";
import { createHash } from "node:crypto";

const { tempDir, cleanup } = cliTargets("backup");
afterAll(cleanup);

const idNumber = "11010519491231002X";

/** A data directory as the server leaves it: keys beside the database, one person, sealed audit entries. */
async function smallDataDir(): Promise<{ dir: string; personId: string }> {
  const dir = tempDir("source");
  const config = loadConfig({ GONGZHI_DATA_DIR: dir });
  const { keyring } = resolveKeyring(config);
  const { signer } = resolveAuditSigner(config);
  const database = await openConfiguredDatabase(config);
  try {
    const street = await buildTinyStreet(database.db);
    await database.db.update(persons).set(encryptContact(keyring, { idNumber })).where(eq(persons.id, street.personA1));
    for (let i = 0; i < 3; i++) {
      await recordAudit(database.db, { actor: { kind: "system", id: null }, action: "person.update", entityType: "person", entityId: street.personA1, change: { i } });
    }
    await sealPending(database.db, { signer, previousKeys: [], headFile: config.auditHeadFile });
    return { dir, personId: street.personA1 };
  } finally {
    await database.close();
  }
}

async function query(dir: string, text: string): Promise<Record<string, unknown>[]> {
  const database = await openDatabase({ dataDir: path.join(dir, "pgdata") });
  try {
    return await database.query(text);
  } finally {
    await database.close();
  }
}

describe("gongzhi backup and restore (embedded database)", () => {
  let source: { dir: string; personId: string };
  let file: string;

  beforeAll(async () => {
    source = await smallDataDir();
    file = path.join(tempDir("files"), "gongzhi.backup");
  }, 120_000);

  it("backs up with the keys, mode 0600, and never overwrites without --force", async () => {
    const r = await gongzhi(["backup", file], { GONGZHI_DATA_DIR: source.dir });
    expect(r.stderr).toContain("holds the database AND its data keys");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("with data-keys.txt, audit-signing-key.txt, audit-head.json");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const { manifest } = decodeBackup(fs.readFileSync(file), file);
    expect(manifest.files.find((f) => f.name === "data-keys.txt")?.content).toBe(fs.readFileSync(path.join(source.dir, "data-keys.txt"), "utf8"));

    const before = fs.readFileSync(file);
    const again = await gongzhi(["backup", file], { GONGZHI_DATA_DIR: source.dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`gongzhi: ${file} already exists; give --force to overwrite it\n`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  }, 120_000);

  it("restores into a fresh data directory: rows, decryptable ID number, intact audit log", async () => {
    const target = tempDir("target");
    const r = await gongzhi(["restore", file], { GONGZHI_DATA_DIR: target });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(fs.statSync(path.join(target, "data-keys.txt")).mode & 0o777).toBe(0o600);

    const [person] = await query(target, `select name, id_number_enc from persons where id = '${source.personId}'`);
    expect(person?.name).toBe("张建国");
    const { keyring } = loadOrCreateLocalKeyring(path.join(target, "data-keys.txt"));
    expect(decryptField(keyring, String(person?.id_number_enc), "persons.id_number")).toBe(idNumber);
    const [audit] = await query(target, "select count(*)::int as n from audit_entries where action = 'person.update'");
    expect(audit?.n).toBe(3);

    const verify = await gongzhi(["audit", "verify"], { GONGZHI_DATA_DIR: target });
    expect(verify.stderr).toBe("");
    expect(verify.code).toBe(0);

    // The target now holds a database: replaced only with --force.
    const again = await gongzhi(["restore", file], { GONGZHI_DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already holds a database (pgdata), data-keys.txt");
    expect(again.stderr).toContain("give --force");
    const forced = await gongzhi(["restore", "--force", file], { GONGZHI_DATA_DIR: target });
    expect(forced.stderr).toBe("");
    expect(forced.code).toBe(0);
  }, 240_000);

  it("refuses while the server holds the data directory", async () => {
    // This test process plays the running server.
    fs.writeFileSync(path.join(source.dir, "gongzhi.lock"), JSON.stringify({ pid: process.pid, command: "serve", startedAt: "2026-12-07T08:00:00.000Z" }));
    try {
      const other = path.join(tempDir("files"), "other.backup");
      const b = await gongzhi(["backup", other], { GONGZHI_DATA_DIR: source.dir });
      expect(b.code).toBe(1);
      expect(b.stderr).toContain(`in use by process ${process.pid} (gongzhi serve); stop it, then run gongzhi backup again`);
      expect(fs.existsSync(other)).toBe(false);
      const r = await gongzhi(["restore", "--force", file], { GONGZHI_DATA_DIR: source.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("stop it, then run gongzhi restore again");
    } finally {
      fs.rmSync(path.join(source.dir, "gongzhi.lock"));
    }
  }, 120_000);

  it("names a file that is not a backup, a truncated one and one from a newer schema, writing nothing", async () => {
    const dir = tempDir("bad");
    const notBackup = path.join(dir, "notes.txt");
    fs.writeFileSync(notBackup, "hello\n");
    const bytes = fs.readFileSync(file);
    const truncated = path.join(dir, "truncated.backup");
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
    const { manifest, tarball } = decodeBackup(bytes, file);
    const newer = path.join(dir, "newer.backup");
    fs.writeFileSync(newer, encodeBackup({ ...manifest, gongzhiVersion: "9.0.0", schema: { ...manifest.schema, migrations: manifest.schema.migrations + 1 } }, tarball));

    const cases: [string, string][] = [
      [notBackup, `gongzhi: ${notBackup} is not a Gongzhi backup\n`],
      [truncated, `gongzhi: ${truncated} is truncated or corrupt (${tarball.length - 1000} bytes of database where the manifest says ${tarball.length})\n`],
      [newer, `gongzhi: the backup comes from a newer Gongzhi (9.0.0, ${manifest.schema.migrations + 1} migrations; this version knows ${manifest.schema.migrations}); restore it with that version or a later one\n`],
    ];
    for (const [bad, message] of cases) {
      const target = tempDir("target");
      const r = await gongzhi(["restore", bad], { GONGZHI_DATA_DIR: target });
      expect(r.stderr).toBe(message);
      expect(r.code).toBe(1);
      expect(fs.readdirSync(target)).toEqual([]);
    }
  }, 120_000);

  it("checks the schema inside the snapshot too, not only the manifest's word for it", async () => {
    const newer = await openDatabase({});
    let tarball: Buffer;
    try {
      await migrate(newer);
      await newer.query("insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-later-version', $1)", [buildSchemaState().lastMigrationAt + 1]);
      tarball = Buffer.from(await (await newer.pglite!.dumpDataDir("gzip")).arrayBuffer());
    } finally {
      await newer.close();
    }
    const lying = path.join(tempDir("bad"), "lying.backup");
    const manifest: BackupManifest = {
      format: "gongzhi-backup",
      version: 1,
      createdAt: new Date().toISOString(),
      gongzhiVersion: "9.0.0",
      schema: buildSchemaState(),
      database: { engine: "pglite", compression: "gzip", bytes: tarball.length, sha256: createHash("sha256").update(tarball).digest("hex") },
      files: [{ name: "data-keys.txt", content: `${generateDataKeysValue()}\n` }],
    };
    fs.writeFileSync(lying, encodeBackup(manifest, tarball));
    const target = tempDir("target");
    const restoring = restoreEmbedded({ dataDir: target, file: lying, force: false, auditHeadFile: null });
    await expect(restoring).rejects.toThrow(BackupError);
    await expect(restoring).rejects.toThrow(/^the backup comes from a newer Gongzhi/);
    expect(fs.readdirSync(target)).toEqual([]);
  }, 120_000);

  it("on PostgreSQL, names pg_dump and the data keys instead", async () => {
    const env = { DATABASE_URL: "postgres://gongzhi@127.0.0.1:1/gongzhi", GONGZHI_DATA_DIR: tempDir("pg") };
    for (const args of [["backup", path.join(env.GONGZHI_DATA_DIR, "x.backup")], ["restore", file]]) {
      const r = await gongzhi(args, env);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(`gongzhi ${args[0]} is for the embedded database; with DATABASE_URL the data is in PostgreSQL: back it up with pg_dump`);
      expect(r.stderr).toContain("GONGZHI_DATA_KEYS");
    }
    expect(fs.readdirSync(env.GONGZHI_DATA_DIR)).toEqual([]);
  }, 60_000);
});
