/**
 * `gongzhi backup` / `gongzhi restore` for the embedded database: one file holding a snapshot of
 * the PGlite data directory and the secrets kept beside it (the data keys without which the
 * encrypted ID numbers and phones cannot be read, the audit signing key and head file).
 *
 * PGlite is one process's at a time, so a snapshot is taken only while this process holds the
 * data directory's lock: with the server running, both commands refuse (a second process opening
 * the same directory could corrupt it, and a copy of the files under a live server is not consistent).
 *
 * The file format (version 1), chosen so a truncated or edited file is caught before anything is written:
 *
 *     GONGZHI-BACKUP 1\n
 *     <manifest: one line of JSON>\n
 *     <the PGlite data directory as a gzip tarball (PGlite's dumpDataDir)>
 *
 * The manifest names the schema state (migrations applied), the tarball's length and SHA-256, and
 * carries the secret files' text. Such a file therefore holds both the data and its keys: it is
 * written with mode 0600 and must be kept like the key file itself.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash, randomBytes } from "node:crypto";
import { DataDirLockedError, lockDataDir } from "./lock.js";
import { errorLine } from "../log.js";
import { ensureWritableDir, migrate, migrationsFolder, openDatabase, type Database } from "./index.js";

const magic = "GONGZHI-BACKUP 1\n";
const formatVersion = 1;

/** The files beside the database that travel with it; nothing else is ever written from a backup. */
export const dataKeysFileName = "data-keys.txt";
const carriedFiles = [dataKeysFileName, "audit-signing-key.txt", "audit-head.json"] as const;
type CarriedFile = (typeof carriedFiles)[number];

export interface BackupManifest {
  format: "gongzhi-backup";
  version: number;
  createdAt: string;
  /** The Gongzhi version that wrote it (for people; restore decides on `schema`). */
  gongzhiVersion: string;
  schema: SchemaState;
  database: { engine: "pglite"; compression: "gzip"; bytes: number; sha256: string };
  files: { name: string; content: string }[];
}

/** Migrations applied to a database: how many, and the newest one's timestamp (drizzle's `created_at`). */
export interface SchemaState {
  migrations: number;
  lastMigrationAt: number;
}

/** A refusal or a bad backup file: one readable line, no stack trace. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupError";
  }
}

/** Why the PostgreSQL deployment is not backed up by these commands, and what to do instead. */
export const postgresAdvice =
  "with DATABASE_URL the data is in PostgreSQL: back it up with pg_dump (e.g. `pg_dump -Fc -f gongzhi.dump \"$DATABASE_URL\"`) and restore with pg_restore, " +
  "and keep a copy of GONGZHI_DATA_KEYS (and GONGZHI_AUDIT_SIGNING_KEY) with it: without the data keys the encrypted ID numbers and phones cannot be read";

/** The schema this build migrates to. */
export function buildSchemaState(): SchemaState {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { when: number }[] };
  return { migrations: journal.entries.length, lastMigrationAt: Math.max(0, ...journal.entries.map((e) => e.when)) };
}

async function schemaStateOf(database: Database): Promise<SchemaState> {
  const [r] = await database.query<{ n: string | null; last: string | null }>(
    `select case when to_regclass('drizzle.__drizzle_migrations') is null then null else (select count(*)::text from drizzle.__drizzle_migrations) end as n,
            case when to_regclass('drizzle.__drizzle_migrations') is null then null else (select max(created_at)::text from drizzle.__drizzle_migrations) end as last`,
  );
  return { migrations: Number(r?.n ?? 0), lastMigrationAt: Number(r?.last ?? 0) };
}

/** A schema ahead of this build: restoring it would run code that does not know its tables. */
function newerThanBuild(state: SchemaState): boolean {
  const build = buildSchemaState();
  return state.migrations > build.migrations || state.lastMigrationAt > build.lastMigrationAt;
}

function newerSchemaError(state: SchemaState, gongzhiVersion: string): BackupError {
  const build = buildSchemaState();
  return new BackupError(
    `the backup comes from a newer Gongzhi (${gongzhiVersion}, ${state.migrations} migrations; this version knows ${build.migrations}); restore it with that version or a later one`,
  );
}

/** The backup file's bytes: magic line, manifest line, tarball. */
export function encodeBackup(manifest: BackupManifest, tarball: Buffer): Buffer {
  return Buffer.concat([Buffer.from(magic), Buffer.from(`${JSON.stringify(manifest)}\n`), tarball]);
}

/** Reads and checks a backup file's bytes; throws BackupError naming what is wrong with it. */
export function decodeBackup(bytes: Buffer, file: string): { manifest: BackupManifest; tarball: Buffer } {
  if (!bytes.subarray(0, magic.length).equals(Buffer.from(magic))) {
    if (bytes.subarray(0, 14).toString() === "GONGZHI-BACKUP") throw new BackupError(`${file} is a Gongzhi backup in a format this version does not read`);
    throw new BackupError(`${file} is not a Gongzhi backup`);
  }
  const end = bytes.indexOf(0x0a, magic.length);
  if (end < 0) throw new BackupError(`${file} is truncated or corrupt (no complete manifest)`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(bytes.subarray(magic.length, end).toString("utf8")) as BackupManifest;
  } catch {
    throw new BackupError(`${file} is truncated or corrupt (its manifest is not readable)`);
  }
  if (typeof manifest !== "object" || manifest === null) throw new BackupError(`${file} is truncated or corrupt (its manifest is not readable)`);
  if (manifest.format !== "gongzhi-backup" || manifest.version !== formatVersion || manifest.database?.engine !== "pglite" || !Array.isArray(manifest.files)) {
    throw new BackupError(`${file} is a Gongzhi backup in a format this version does not read`);
  }
  const tarball = bytes.subarray(end + 1);
  if (tarball.length !== manifest.database.bytes) {
    throw new BackupError(`${file} is truncated or corrupt (${tarball.length} bytes of database where the manifest says ${manifest.database.bytes})`);
  }
  if (sha256(tarball) !== manifest.database.sha256) throw new BackupError(`${file} is corrupt (the database snapshot does not match its checksum)`);
  for (const f of manifest.files) {
    if (!(carriedFiles as readonly string[]).includes(f.name) || typeof f.content !== "string") throw new BackupError(`${file} is corrupt (unexpected file ${JSON.stringify(f.name)} in its manifest)`);
  }
  if (!manifest.files.some((f) => f.name === dataKeysFileName)) throw new BackupError(`${file} holds no data keys; the personal data in it could not be read`);
  return { manifest, tarball };
}

function sha256(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}

/** Takes the data directory's lock; a running server gets a message saying to stop it. */
function lockForBackup(dataDir: string, command: "backup" | "restore"): () => void {
  try {
    return lockDataDir(dataDir, command);
  } catch (e) {
    if (!(e instanceof DataDirLockedError)) throw e;
    throw new BackupError(
      `the embedded database in ${dataDir} is in use by process ${e.holder.pid} (gongzhi ${e.holder.command}); stop it, then run gongzhi ${command} again ` +
        "(the embedded database is one process's at a time: it cannot be copied safely while it runs)",
    );
  }
}

/** Writes `bytes` to `file` with mode 0600, atomically; an existing file is replaced only when `force`. */
function writeSecretFile(file: string, bytes: Buffer | string, force: boolean): void {
  const aside = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(aside, "wx", 0o600);
  try {
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (force) fs.renameSync(aside, file);
    else fs.linkSync(aside, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") throw new BackupError(`${file} already exists; give --force to overwrite it`);
    throw e;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

export interface BackupOptions {
  dataDir: string;
  file: string;
  force: boolean;
  /** GONGZHI_DATA_KEYS when set: then these are the keys the data is encrypted with, not the file's. */
  dataKeysEnv: string | undefined;
  /** The configured audit head file; carried only when it is the default one in the data directory. */
  auditHeadFile: string | null;
  gongzhiVersion: string;
}

export interface BackupResult {
  bytes: number;
  schema: SchemaState;
  files: string[];
}

/** The secret files to carry, read while the lock is held. */
function secretFiles(opts: BackupOptions): { name: CarriedFile; content: string }[] {
  const out: { name: CarriedFile; content: string }[] = [];
  const envKeys = opts.dataKeysEnv?.trim();
  if (envKeys) {
    out.push({ name: dataKeysFileName, content: `# Gongzhi data keys (GONGZHI_DATA_KEYS format), copied from GONGZHI_DATA_KEYS by gongzhi backup.\n${envKeys}\n` });
  } else {
    const keysFile = path.join(opts.dataDir, dataKeysFileName);
    if (!fs.existsSync(keysFile)) {
      throw new BackupError(`no data keys: neither ${keysFile} nor GONGZHI_DATA_KEYS; a backup without them could not read the personal data, so none is made`);
    }
    out.push({ name: dataKeysFileName, content: fs.readFileSync(keysFile, "utf8") });
  }
  const signingKey = path.join(opts.dataDir, "audit-signing-key.txt");
  if (fs.existsSync(signingKey)) out.push({ name: "audit-signing-key.txt", content: fs.readFileSync(signingKey, "utf8") });
  const defaultHead = path.join(opts.dataDir, "audit-head.json");
  if (opts.auditHeadFile === defaultHead && fs.existsSync(defaultHead)) out.push({ name: "audit-head.json", content: fs.readFileSync(defaultHead, "utf8") });
  return out;
}

/** Backs up the embedded database in `dataDir` to `opts.file`; refuses while another process holds it. */
export async function backupEmbedded(opts: BackupOptions): Promise<BackupResult> {
  const pgdata = path.join(opts.dataDir, "pgdata");
  if (!fs.existsSync(path.join(pgdata, "PG_VERSION"))) throw new BackupError(`no embedded database in ${opts.dataDir}; set GONGZHI_DATA_DIR`);
  if (!opts.force && fs.existsSync(opts.file)) throw new BackupError(`${opts.file} already exists; give --force to overwrite it`);
  const release = lockForBackup(opts.dataDir, "backup");
  try {
    const files = secretFiles(opts);
    const database = await openDatabase({ dataDir: pgdata });
    let schema: SchemaState;
    let tarball: Buffer;
    try {
      schema = await schemaStateOf(database);
      tarball = Buffer.from(await (await database.pglite!.dumpDataDir("gzip")).arrayBuffer());
    } finally {
      await database.close();
    }
    const manifest: BackupManifest = {
      format: "gongzhi-backup",
      version: formatVersion,
      createdAt: new Date().toISOString(),
      gongzhiVersion: opts.gongzhiVersion,
      schema,
      database: { engine: "pglite", compression: "gzip", bytes: tarball.length, sha256: sha256(tarball) },
      files,
    };
    const bytes = encodeBackup(manifest, tarball);
    writeSecretFile(path.resolve(opts.file), bytes, opts.force);
    return { bytes: bytes.length, schema, files: files.map((f) => f.name) };
  } finally {
    release();
  }
}

export interface RestoreOptions {
  dataDir: string;
  file: string;
  force: boolean;
  /** The configured audit head file; the backup's is written only when this is the default one in the data directory. */
  auditHeadFile: string | null;
}

export interface RestoreResult {
  schema: SchemaState;
  /** Migrations this build applied on top of the backup's. */
  migrated: number;
  files: string[];
  /** Carried files not written, with why. */
  skipped: string[];
  /** Files of the replaced database that the backup does not carry, removed (only with --force). */
  removed: string[];
}

/** What in `dataDir` a restore would replace. */
function existingState(dataDir: string): string[] {
  const present: string[] = [];
  if (fs.existsSync(path.join(dataDir, "pgdata", "PG_VERSION"))) present.push("a database (pgdata)");
  for (const name of carriedFiles) if (fs.existsSync(path.join(dataDir, name))) present.push(name);
  return present;
}

/**
 * Restores a backup into `dataDir`: checks the file, loads the snapshot beside the current
 * database, checks it opens and migrates, and only then puts it and its keys in place.
 */
export async function restoreEmbedded(opts: RestoreOptions): Promise<RestoreResult> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(opts.file);
  } catch {
    throw new BackupError(`cannot read ${opts.file}`);
  }
  const { manifest, tarball } = decodeBackup(bytes, opts.file);
  if (newerThanBuild(manifest.schema)) throw newerSchemaError(manifest.schema, manifest.gongzhiVersion);
  ensureWritableDir(opts.dataDir);
  const release = lockForBackup(opts.dataDir, "restore");
  const staging = path.join(opts.dataDir, "pgdata.restoring");
  try {
    const present = existingState(opts.dataDir);
    if (present.length > 0 && !opts.force) {
      throw new BackupError(`${opts.dataDir} already holds ${present.join(", ")}; give --force to replace them with the backup (they are lost)`);
    }
    // Left over from an interrupted restore: ours to remove, the lock is held.
    fs.rmSync(staging, { recursive: true, force: true });
    const { schema, migrated } = await loadAndMigrate(staging, tarball, manifest.gongzhiVersion);
    const pgdata = path.join(opts.dataDir, "pgdata");
    const replaced = path.join(opts.dataDir, `pgdata.replaced-${process.pid}`);
    if (fs.existsSync(pgdata)) fs.renameSync(pgdata, replaced);
    fs.renameSync(staging, pgdata);
    fs.rmSync(replaced, { recursive: true, force: true });
    const written: string[] = [];
    const skipped: string[] = [];
    for (const f of manifest.files) {
      const target = path.join(opts.dataDir, f.name);
      if (f.name === "audit-head.json" && opts.auditHeadFile !== target) {
        skipped.push(`${f.name} (GONGZHI_AUDIT_HEAD_FILE points elsewhere or is off)`);
        continue;
      }
      writeSecretFile(target, f.content, true);
      written.push(f.name);
    }
    // A key or head file of the replaced database would not match the restored one.
    const removed: string[] = [];
    for (const name of carriedFiles) {
      const target = path.join(opts.dataDir, name);
      if (!manifest.files.some((f) => f.name === name) && fs.existsSync(target)) {
        fs.rmSync(target);
        removed.push(name);
      }
    }
    return { schema, migrated, files: written, skipped, removed };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
    release();
  }
}

/** Loads the snapshot into `dir`, refuses a newer schema, migrates it to this build's. */
async function loadAndMigrate(dir: string, tarball: Buffer, gongzhiVersion: string): Promise<{ schema: SchemaState; migrated: number }> {
  let database: Database;
  try {
    database = await openDatabase({ dataDir: dir, loadDataDir: new Blob([new Uint8Array(tarball)]) });
    await database.query("select 1");
  } catch {
    throw new BackupError("the database snapshot in the backup could not be opened (corrupt file?)");
  }
  try {
    const schema = await schemaStateOf(database);
    if (newerThanBuild(schema)) throw newerSchemaError(schema, gongzhiVersion);
    try {
      await migrate(database);
    } catch (e) {
      // Nothing is in place yet: the data directory still holds what it held.
      throw new BackupError(`the restored database does not migrate to this version (${errorLine(e)}); nothing was replaced`);
    }
    const after = await schemaStateOf(database);
    return { schema, migrated: after.migrations - schema.migrations };
  } finally {
    await database.close();
  }
}
