#!/usr/bin/env node
/**
 * The `gongzhi` command line: serve, migrate, demo, user add|list|disable|enable|unlock|reset-password|grant|revoke, apikey add, audit verify, backup, restore.
 * Same configuration as the server. Every expected failure ends in one readable line and a
 * non-zero exit, never a stack trace.
 */
// The module list first, as the app and the tests load it: modules are evaluated in their
// dependency order, and every module has subscribed before any event can be published.
import { modules } from "./modules/index.js";
import fs from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { auditVerificationKeys, ConfigError, loadConfig, resolveAuditSigner, resolveKeyring, type Config } from "./platform/config.js";
import { errorLine } from "./platform/log.js";
import { generateDataKey, generateDataKeysValue, PiiConfigError } from "./platform/pii/keys.js";
import { rotatePersonKeys, rotateRegistrationKeys } from "./modules/people/index.js";
import { rotateWebhookSecrets } from "./platform/notify/webhooks.js";
import { caseContactColumn, importHotline, missingHolidayYears } from "./modules/cases/index.js";
import { rotateEncryptedColumn } from "./platform/pii/rotate.js";
import { importLedger, isLedgerKind, ledgerKinds } from "./tools/ledgers/index.js";
import { reportXlsx, TabularError } from "./platform/tabular/index.js";
import { actorOf } from "./platform/auth/service.js";
import { ensureWritableDir, type Database } from "./platform/db/index.js";
import { DataDirLockedError, lockDataDir } from "./platform/db/lock.js";
import { BackupError, backupEmbedded, postgresAdvice, restoreEmbedded } from "./platform/db/backup.js";
import { AppError, cliLang, formatMessage, type Lang } from "./platform/errors.js";
import { localizeProblems } from "./platform/tabular/index.js";
import { buildApp, DatabaseUnreachableError, openConfiguredDatabase, startSealer, version } from "./app.js";
import net from "node:net";
import { startWebhookWorker } from "./platform/notify/webhook-worker.js";
import { createApiKey, createUser, findUserByUsername } from "./platform/auth/service.js";
import { isRole, roles } from "./platform/policy/roles.js";
import { commandLineOperator, getUser, grantRole, listUsers, resetPassword, revokeGrant, setUserDisabled, unlockUser } from "./platform/auth/admin.js";
import {
  AuditChainBrokenError,
  AuditKeyError,
  AuditWitnessError,
  DEFAULT_STALE_PENDING_MS,
  generateAuditSigningKey,
  loadWitnesses,
  parseAuditPublicKey,
  parseAuditSigningKey,
  runAuditSeal,
  runAuditVerify,
  sealPending,
  type SealOptions,
} from "./platform/audit/index.js";
import { queueCheckpointWebhooks } from "./platform/notify/webhooks.js";
import { migrationsFolder, openDatabase } from "./platform/db/index.js";
import { demoLogins, hasDemoStreet, loadDemoStreet } from "./tools/demo/index.js";
import { rows, sql } from "./platform/db/index.js";
import {
  createChildArea,
  divisionChildren,
  GridImportCliError,
  GridIndex,
  importCommunities,
  localizeCommunityImport,
  localizeGridImport,
  repairedWord,
  retireArea,
  runGridImport,
  updateArea,
  type Geometry,
} from "./modules/areas/index.js";
import { runSetup } from "./tools/setup/index.js";
import { issueSetupCode } from "./platform/setup/code.js";

class CliError extends Error {}

function fail(message: string, code = 1): never {
  process.stderr.write(`gongzhi: ${message}\n`);
  process.exit(code);
}

/** Turns the errors we expect at start-up into one line. */
function describe(e: unknown, config?: Config): string {
  if (e instanceof ConfigError || e instanceof PiiConfigError || e instanceof AuditKeyError) return `configuration: ${e.problems.join("; ")}`;
  if (e instanceof AuditChainBrokenError || e instanceof AuditWitnessError) return e.message;
  if (e instanceof DataDirLockedError || e instanceof CliError || e instanceof DatabaseUnreachableError || e instanceof BackupError) return e.message;
  if (e instanceof AppError) return formatMessage(e.code, "en", e.params) + (e.field ? ` (${e.field})` : "");
  if (e instanceof TabularError) return `${e.code}: ${e.message}`;
  const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
  if (err?.code === "EADDRINUSE") return `port ${err.port ?? config?.port} on ${err.address ?? config?.host} is already in use; stop the other process or set PORT`;
  if (err?.code === "EACCES" && err.syscall === "listen") return `no permission to listen on port ${config?.port}; choose PORT above 1024`;
  if (err?.code === "EACCES" || err?.code === "EROFS" || err?.code === "ENOTDIR" || err?.code === "ENOENT" || err?.code === "EPERM") {
    return `the data directory ${config?.dataDir ?? ""} cannot be created or written (${err.code}); set GONGZHI_DATA_DIR to a writable directory`;
  }
  // Never the message: a failed query's carries its parameters (src/platform/log.ts).
  return `unexpected error: ${errorLine(e)}`;
}

/** Opens the configured database for a command, holding the embedded data directory's lock. */
async function withDatabase(command: string, fn: (database: Database, config: Config) => Promise<void>, opts: { readOnly?: boolean } = {}): Promise<void> {
  let config: Config | undefined;
  let release: (() => void) | undefined;
  let database: Database | undefined;
  try {
    config = loadConfig();
    if (!config.databaseUrl) {
      ensureWritableDir(config.dataDir);
      release = lockDataDir(config.dataDir, command);
    }
    database = opts.readOnly ? await openReadOnly(config) : await openConfiguredDatabase(config);
    await fn(database, config);
  } catch (e) {
    await database?.close().catch(() => undefined);
    release?.();
    fail(describe(e, config));
  } finally {
    await database?.close().catch(() => undefined);
    release?.();
  }
}

/**
 * How this process seals audit entries: the signing key (for the embedded database, a key file
 * created beside it on first use) and the head file. Resolved before a command writes, so a
 * missing key stops it before anything is written.
 */
function auditSealing(config: Config): SealOptions {
  const { signer, createdFile } = resolveAuditSigner(config);
  if (createdFile) process.stdout.write(`Created the audit signing key file: ${createdFile} — back it up apart from the database.\n`);
  if (config.auditHeadFile) ensureWritableDir(path.dirname(config.auditHeadFile));
  return { signer, previousKeys: config.auditPreviousKeys, headFile: config.auditHeadFile };
}

/**
 * Opens the configured database for reading only: no migration (it would write), no new embedded
 * data directory. A database behind this version's migrations is refused rather than migrated.
 */
async function withReadOnlyDatabase(command: string, fn: (database: Database, config: Config) => Promise<void>): Promise<void> {
  await withDatabase(command, fn, { readOnly: true });
}

async function openReadOnly(config: Config): Promise<Database> {
  const pgdata = path.join(config.dataDir, "pgdata");
  if (!config.databaseUrl && !fs.existsSync(pgdata)) throw new CliError(`no embedded database in ${config.dataDir}; set GONGZHI_DATA_DIR or DATABASE_URL`);
  const database = config.databaseUrl ? await openDatabase({ url: config.databaseUrl, poolSize: 2 }) : await openDatabase({ dataDir: pgdata });
  try {
    const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    const [applied] = await rows<{ n: string | null }>(
      database.db,
      sql`select case when to_regclass('drizzle.__drizzle_migrations') is null then null
                 else (select count(*)::text from drizzle.__drizzle_migrations) end as n`,
    );
    if (Number(applied?.n ?? 0) < journal.entries.length) throw new CliError("the database is not migrated to this version; run `gongzhi migrate` first (verification never migrates, so it never writes)");
  } catch (e) {
    await database.close().catch(() => undefined);
    if (e instanceof CliError) throw e;
    throw new DatabaseUnreachableError(config.databaseUrl ?? config.dataDir, e);
  }
  return database;
}

/** An area named on the command line by its division/grid code or its id. */
async function areaByCodeOrId(database: Database, codeOrId: string): Promise<{ id: string; name: string }> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(codeOrId);
  const [area] = await rows<{ id: string; name: string }>(
    database.db,
    isUuid ? sql`select id, name from areas where id = ${codeOrId}` : sql`select id, name from areas where code = ${codeOrId}`,
  );
  if (!area) throw new CliError(`no area with code or id ${codeOrId}`);
  return area;
}

function printLogins(url: string): void {
  process.stdout.write(`\n共治 Gongzhi is running: ${url}\n  API docs: ${url}/docs\n\nDemo logins (password for all: ${demoLogins[0]?.password ?? ""}):\n`);
  for (const l of demoLogins) process.stdout.write(`  ${l.username.padEnd(16)} ${l.roleLabel}\n`);
  process.stdout.write("\n");
}

/** Fails early, before any database work, when the port is taken. */
function checkPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

async function serve(): Promise<void> {
  let config: Config | undefined;
  let release: (() => void) | undefined;
  let database: Database | undefined;
  try {
    config = loadConfig();
    await checkPortFree(config.port, config.host);
    if (!config.databaseUrl) {
      ensureWritableDir(config.dataDir);
      release = lockDataDir(config.dataDir, "serve");
    }
    const { keyring, createdFile } = resolveKeyring(config);
    if (createdFile) process.stdout.write(`Created the key file for personal data: ${createdFile} — back it up apart from the database.\n`);
    const sealing = auditSealing(config);
    if (!config.auditHeadFile) process.stderr.write("note: GONGZHI_AUDIT_HEAD_FILE=off: no signed head is kept outside the database, so a log cut short at its end shows only against heads given to `gongzhi audit verify --head`\n");
    database = await openConfiguredDatabase(config);
    let demoLoaded = false;
    if (config.demo === "on" || (config.demo === "auto" && !config.databaseUrl)) {
      if (!(await hasDemoStreet(database.db))) {
        process.stdout.write("Loading the demo street (first start)…\n");
        await loadDemoStreet(database, { keyring });
      }
      demoLoaded = true;
    }
    // Each module brings the database up to what it needs (cases: the default catalogue).
    for (const m of modules) await m.prepare?.(database.db);
    const app = await buildApp(config, database, { keyring });
    const sealer = startSealer(database, { ...sealing, onCheckpoint: queueCheckpointWebhooks, intervalMs: config.auditSealIntervalMs, onError: (e: unknown) => app.log.error({ err: e }, "audit sealer failed") });
    const jobContext = { database, config };
    const jobs = modules.flatMap((m) => m.jobs ?? []).map((job) => job.start({ ...jobContext, onError: (e, detail) => app.log.error({ err: e, job: job.name, ...detail }, `${job.name} failed`) }));
    const webhookWorker = startWebhookWorker(database, keyring, { onError: (e: unknown) => app.log.error({ err: e }, "webhook delivery failed") });
    const address = await app.listen({ port: config.port, host: config.host });
    const url = address.replace("://127.0.0.1", "://localhost").replace("://[::1]", "://localhost");
    const setup = await issueSetupCode(database.db);
    if (setup) {
      // No system administrator yet: the first-run page opens with this code (only its hash is stored).
      process.stdout.write(
        `\n共治 Gongzhi is running: ${url}\n  API docs: ${url}/docs\n\n首次设置 First-run setup: open ${url}/setup and enter the one-time code\n\n    ${setup.code}\n\n  valid until ${setup.expiresAt.toISOString()} (once; a restart prints a new one), or run: gongzhi setup --help\n\n`,
      );
    } else if (demoLoaded || (await hasDemoStreet(database.db))) printLogins(url);
    else process.stdout.write(`\n共治 Gongzhi is running: ${url}\n  API docs: ${url}/docs\n  Create a user with: gongzhi user add --help\n`);
    const missingYears = missingHolidayYears();
    if (missingYears.length > 0)
      process.stderr.write(
        `note: no holiday data for ${missingYears.join(", ")}; case deadlines in those years count Monday–Friday as working days until src/platform/calendar/holidays/<year>.json is added\n`,
      );
    const db = database;
    const rel = release;
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      await app.close().catch(() => undefined);
      for (const job of jobs) await job.stop().catch(() => undefined);
      await webhookWorker.stop().catch(() => undefined);
      await sealer.stop().catch(() => undefined);
      await db.close().catch(() => undefined);
      rel?.();
      process.exit(0);
    };
    process.once("SIGINT", () => void shutdown());
    process.once("SIGTERM", () => void shutdown());
  } catch (e) {
    await database?.close().catch(() => undefined);
    release?.();
    fail(describe(e, config));
  }
}

const program = new Command();
program
  .name("gongzhi")
  .description("共治 Gongzhi — community governance platform. Configuration from the environment: PORT, HOST, DATABASE_URL (else the embedded database in GONGZHI_DATA_DIR, default ./data), LOG_LEVEL, GONGZHI_DEMO (auto|on|off).")
  .version(version)
  .showHelpAfterError();

program.command("serve").description("start the web server (migrates; loads the demo street on first start of the embedded database)").action(serve);

program
  .command("migrate")
  .description("apply database migrations and exit")
  .action(() =>
    withDatabase("migrate", async (database) => {
      const [r] = await rows<{ n: string }>(database.db, sql`select count(*)::text as n from drizzle.__drizzle_migrations`);
      process.stdout.write(`migrations applied (${r?.n ?? "?"} in total) on ${database.kind}\n`);
    }),
  );

program
  .command("demo")
  .description("load the demo street (玉林街道, 成都市武侯区); with --reset, delete and reload it")
  .option("--reset", "delete the demo street and its users first, then reload")
  .action((opts: { reset?: boolean }) =>
    withDatabase("demo", async (database, config) => {
      const sealing = auditSealing(config);
      const result = await loadDemoStreet(database, { reset: opts.reset === true, keyring: resolveKeyring(config).keyring });
      if (!result.loaded) {
        process.stdout.write("the demo street is already loaded; use --reset to reload it\n");
        return;
      }
      await sealPending(database.db, sealing);
      process.stdout.write(`demo street loaded: ${Object.entries(result.counts).map(([k, v]) => `${k} ${v}`).join(", ")}\n`);
      process.stdout.write(`demo cases: ${result.cases.cases} (${Object.entries(result.cases.byStatus).map(([k, v]) => `${k} ${v}`).join(", ")})\n`);
    }),
  );

program
  .command("backup")
  .description("write the embedded database and its data keys to one file (mode 0600), with the server stopped; PostgreSQL: use pg_dump")
  .argument("<file>", "the backup file to write")
  .option("--force", "overwrite the file if it exists")
  .action(async (file: string, opts: { force?: boolean }) => {
    let config: Config | undefined;
    try {
      config = loadConfig();
      if (config.databaseUrl) throw new CliError(`gongzhi backup is for the embedded database; ${postgresAdvice}`);
      const r = await backupEmbedded({
        dataDir: config.dataDir,
        file,
        force: opts.force === true,
        dataKeysEnv: process.env.GONGZHI_DATA_KEYS,
        auditHeadFile: config.auditHeadFile,
        gongzhiVersion: version,
      });
      process.stdout.write(`backup written: ${file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.schema.migrations} migrations; with ${r.files.join(", ")})\n`);
      process.stderr.write(
        "This file holds the database AND its data keys: whoever has it can read every ID number and phone in it. Keep it as secret as the key file (it is written with mode 0600), and store it encrypted or offline.\n",
      );
    } catch (e) {
      fail(describe(e, config));
    }
  });

program
  .command("restore")
  .description("restore a file written by gongzhi backup into the embedded database's data directory (with the server stopped), then migrate it")
  .argument("<file>", "the backup file")
  .option("--force", "replace the database and key files already in the data directory (they are lost)")
  .action(async (file: string, opts: { force?: boolean }) => {
    let config: Config | undefined;
    try {
      config = loadConfig();
      if (config.databaseUrl) throw new CliError(`gongzhi restore is for the embedded database; ${postgresAdvice}`);
      const r = await restoreEmbedded({ dataDir: config.dataDir, file, force: opts.force === true, auditHeadFile: config.auditHeadFile });
      process.stdout.write(
        `restored into ${config.dataDir}: ${r.schema.migrations} migrations${r.migrated > 0 ? ` + ${r.migrated} applied now` : ""}; wrote ${r.files.join(", ")}\n`,
      );
      for (const s of r.skipped) process.stderr.write(`note: not restored: ${s}\n`);
      if (r.removed.length > 0) process.stderr.write(`note: removed the replaced database's ${r.removed.join(", ")} (the backup does not carry one)\n`);
      if (process.env.GONGZHI_DATA_KEYS?.trim()) {
        process.stderr.write(`note: GONGZHI_DATA_KEYS is set and is used instead of the restored ${path.join(config.dataDir, "data-keys.txt")}; it must hold the backup's keys\n`);
      }
      process.stdout.write("check it with: gongzhi audit verify\n");
    } catch (e) {
      fail(describe(e, config));
    }
  });

const user = program.command("user").description("manage users");
user
  .command("add")
  .description("create a user with one role granted on an area (by division code, grid code or id)")
  .argument("<username>", "login name: 3–64 letters, digits, _ . -")
  .requiredOption("--name <displayName>", "display name, e.g. 王建国")
  .addOption(new Option("--role <role>", "role granted").choices([...roles]).makeOptionMandatory())
  .requiredOption("--area <codeOrId>", "area the role is granted on (its subtree is the scope)")
  .option("--password-stdin", "read the password from standard input (else GONGZHI_PASSWORD)")
  .action((username: string, opts: { name: string; role: string; area: string; passwordStdin?: boolean }) =>
    withDatabase("user add", async (database, config) => {
      const sealing = auditSealing(config);
      const password = opts.passwordStdin ? fs.readFileSync(0, "utf8").replace(/\r?\n$/, "") : process.env.GONGZHI_PASSWORD;
      if (!password) throw new CliError("give the password on standard input with --password-stdin, or in GONGZHI_PASSWORD");
      if (!isRole(opts.role)) throw new CliError(`unknown role ${opts.role}`);
      const area = await areaByCodeOrId(database, opts.area);
      const created = await createUser(database.db, { username, displayName: opts.name, password, grants: [{ role: opts.role, areaId: area.id }] }, { kind: "system" });
      await sealPending(database.db, sealing);
      process.stdout.write(`user ${username} created (${created.id}) as ${opts.role} on ${area.name}\n`);
    }),
  );

/** A login named on the command line, or a one-line refusal. */
async function userByName(database: Database, username: string): Promise<{ id: string }> {
  const u = await findUserByUsername(database.db, username);
  if (!u) throw new CliError(`no user ${username}`);
  return u;
}

user
  .command("list")
  .description("list users: username, name, roles on areas, state")
  .option("--search <text>", "part of the username or name")
  .addOption(new Option("--role <role>", "holding this role").choices([...roles]))
  .option("--area <codeOrId>", "holding a role at or below this area")
  .option("--disabled", "disabled accounts only")
  .option("--locked", "locked accounts only")
  .action((opts: { search?: string; role?: string; area?: string; disabled?: boolean; locked?: boolean }) =>
    withReadOnlyDatabase("user list", async (database) => {
      const area = opts.area ? await areaByCodeOrId(database, opts.area) : undefined;
      const lang = cliLang();
      for (let page = 1; ; page++) {
        const res = await listUsers(
          database.db,
          commandLineOperator,
          { q: opts.search, role: opts.role && isRole(opts.role) ? opts.role : undefined, areaId: area?.id, disabled: opts.disabled ? true : undefined, locked: opts.locked ? true : undefined, page, pageSize: 100 },
          lang,
        );
        for (const u of res.items) {
          const grants = u.grants.map((g) => `${g.role}@${g.orgName ?? g.areaName ?? "?"}`).join(", ");
          const state = [u.disabled ? "disabled" : "", u.lockedUntil ? `locked until ${u.lockedUntil}` : "", u.mustChangePassword ? "must change password" : ""].filter(Boolean).join("; ");
          process.stdout.write(`${u.username.padEnd(20)} ${u.displayName.padEnd(10)} ${grants}${state ? `  [${state}]` : ""}\n`);
        }
        if (page * res.pageSize >= res.total) {
          process.stderr.write(`${res.total} user(s)\n`);
          break;
        }
      }
    }),
  );

for (const [verb, disabled] of [
  ["disable", true],
  ["enable", false],
] as const) {
  user
    .command(verb)
    .description(disabled ? "disable a login; its sessions end at once" : "enable a disabled login")
    .argument("<username>")
    .action((username: string) =>
      withDatabase(`user ${verb}`, async (database, config) => {
        const sealing = auditSealing(config);
        const u = await userByName(database, username);
        await setUserDisabled(database.db, commandLineOperator, u.id, disabled);
        await sealPending(database.db, sealing);
        process.stdout.write(`user ${username} ${disabled ? "disabled; its sessions ended" : "enabled"}\n`);
      }),
    );
}

user
  .command("unlock")
  .description("clear a login's failed logins and lock")
  .argument("<username>")
  .action((username: string) =>
    withDatabase("user unlock", async (database, config) => {
      const sealing = auditSealing(config);
      const u = await userByName(database, username);
      await unlockUser(database.db, commandLineOperator, u.id);
      await sealPending(database.db, sealing);
      process.stdout.write(`user ${username} unlocked\n`);
    }),
  );

user
  .command("reset-password")
  .description("reset a password: print a temporary one (changed at next login), or with --link a one-time link (24 h)")
  .argument("<username>")
  .option("--link", "make a one-time link instead of a temporary password")
  .option("--base-url <url>", "the site's address, to print the link in full", "")
  .action((username: string, opts: { link?: boolean; baseUrl: string }) =>
    withDatabase("user reset-password", async (database, config) => {
      const sealing = auditSealing(config);
      const u = await userByName(database, username);
      const r = await resetPassword(database.db, commandLineOperator, u.id, opts.link ? "link" : "temporary");
      await sealPending(database.db, sealing);
      if (r.mode === "temporary") {
        process.stdout.write(`${r.temporaryPassword}\n`);
        process.stderr.write(`temporary password for ${username}: shown once; they change it at next login. Their sessions ended.\n`);
      } else {
        process.stdout.write(`${opts.baseUrl.replace(/\/$/, "")}/reset/${r.token}\n`);
        process.stderr.write(`one-time link for ${username}: shown once, valid until ${r.expiresAt.toISOString()}.\n`);
      }
    }),
  );

user
  .command("grant")
  .description("grant a role on an area (by division code, grid code or id), or department staff on a department")
  .argument("<username>")
  .addOption(new Option("--role <role>", "role granted").choices([...roles]).makeOptionMandatory())
  .option("--area <codeOrId>", "area the role is granted on")
  .option("--org <id>", "the department (for departmentStaff)")
  .action((username: string, opts: { role: string; area?: string; org?: string }) =>
    withDatabase("user grant", async (database, config) => {
      const sealing = auditSealing(config);
      const u = await userByName(database, username);
      const area = opts.area ? await areaByCodeOrId(database, opts.area) : undefined;
      await grantRole(database.db, commandLineOperator, u.id, { role: opts.role, areaId: area?.id ?? null, orgId: opts.org ?? null });
      await sealPending(database.db, sealing);
      process.stdout.write(`granted ${opts.role} to ${username}${area ? ` on ${area.name}` : ""}\n`);
    }),
  );

user
  .command("revoke")
  .description("revoke a role from a login (on one area when it holds the role on several)")
  .argument("<username>")
  .addOption(new Option("--role <role>", "role revoked").choices([...roles]).makeOptionMandatory())
  .option("--area <codeOrId>", "the area of the grant")
  .action((username: string, opts: { role: string; area?: string }) =>
    withDatabase("user revoke", async (database, config) => {
      const sealing = auditSealing(config);
      const u = await userByName(database, username);
      const area = opts.area ? await areaByCodeOrId(database, opts.area) : undefined;
      const view = await getUser(database.db, commandLineOperator, u.id, cliLang());
      const matching = view.grants.filter((g) => g.role === opts.role && (!area || g.areaId === area.id));
      if (matching.length === 0) throw new CliError(`${username} holds no ${opts.role}${area ? ` on ${area.name}` : ""}`);
      if (matching.length > 1) throw new CliError(`${username} holds ${opts.role} on ${matching.map((g) => g.areaName).join(", ")}; name one with --area`);
      await revokeGrant(database.db, commandLineOperator, u.id, matching[0]!.id);
      await sealPending(database.db, sealing);
      process.stdout.write(`revoked ${opts.role} from ${username}${matching[0]!.areaName ? ` on ${matching[0]!.areaName}` : ""}\n`);
    }),
  );

program
  .command("setup")
  .description("first-run setup without the web page: the system administrator and the street (from the official division codes) with its communities, all or nothing; refused once an administrator exists")
  .requiredOption("--admin-username <username>", "the administrator's login name: 3–64 letters, digits, _ . -")
  .requiredOption("--admin-name <displayName>", "the administrator's name, e.g. 王建国")
  .option("--password-file <file>", "read the administrator's password from this file (else --password-stdin, else GONGZHI_PASSWORD)")
  .option("--password-stdin", "read the password from standard input")
  .requiredOption("--street <code>", "the street's 9-digit division code, e.g. 510107005 (玉林街道); its city and district are created with it")
  .option("--communities <codes>", "comma-separated 12-digit community codes of the street, `all` (default) or `none`", "all")
  .option("--community-name <code=name...>", "rename an official community, e.g. 510107005001=老马路社区 (repeatable)")
  .option("--add-community <name...>", "a community not in the official list, by name (repeatable; it gets the next free code)")
  .option("--list", "only list the street's official communities and exit")
  .action((opts: { adminUsername: string; adminName: string; passwordFile?: string; passwordStdin?: boolean; street: string; communities: string; communityName?: string[]; addCommunity?: string[]; list?: boolean }) =>
    withDatabase("setup", async (database, config) => {
      const official = /^\d{9}$/.test(opts.street) ? (divisionChildren(opts.street) ?? []) : [];
      if (opts.list) {
        for (const d of official) process.stdout.write(`${d.code} ${d.name}\n`);
        return;
      }
      const sealing = auditSealing(config);
      const password = opts.passwordFile
        ? fs.readFileSync(opts.passwordFile, "utf8").replace(/\r?\n$/, "")
        : opts.passwordStdin
          ? fs.readFileSync(0, "utf8").replace(/\r?\n$/, "")
          : process.env.GONGZHI_PASSWORD;
      if (!password) throw new CliError("give the password with --password-file, --password-stdin or GONGZHI_PASSWORD");
      const renames = new Map<string, string>();
      for (const pair of opts.communityName ?? []) {
        const at = pair.indexOf("=");
        if (at < 1) throw new CliError(`--community-name ${pair}: expected <code>=<name>`);
        renames.set(pair.slice(0, at), pair.slice(at + 1));
      }
      const codes = opts.communities === "all" ? official.map((d) => d.code) : opts.communities === "none" ? [] : opts.communities.split(",").map((c) => c.trim()).filter(Boolean);
      const communities = [
        ...codes.map((code) => ({ code, name: renames.get(code) ?? official.find((d) => d.code === code)?.name ?? code })),
        ...(opts.addCommunity ?? []).map((name) => ({ name })),
      ];
      const r = await runSetup(database.db, { admin: { username: opts.adminUsername, displayName: opts.adminName, password }, street: opts.street, communities });
      await sealPending(database.db, sealing);
      process.stdout.write(
        `set up ${r.city.name} ${r.district.name} ${r.street.name} (${r.street.code}) with ${r.communities.length} communities; system administrator ${r.username} — log in with it\n`,
      );
    }),
  );

const area = program.command("area").description("administer districts, streets and communities (as a user: their scope applies; audited)");
area
  .command("add")
  .description("create a district under a city, a street under a district or a community under a street")
  .requiredOption("--parent <codeOrId>", "the city, district or street")
  .requiredOption("--name <name>", "its name")
  .option("--code <code>", "its division code (default: the next free one under the parent)")
  .option("--boundary <file>", "a GeoJSON Polygon, MultiPolygon, Feature or one-feature FeatureCollection (checked against the parent and the siblings)")
  .requiredOption("--as <username>", "the user the change is made as")
  .action((opts: { parent: string; name: string; code?: string; boundary?: string; as: string }) =>
    withDatabase("area add", async (database, config) => {
      const sealing = auditSealing(config);
      const actor = await cliActor(database, opts.as);
      const parent = await areaByCodeOrId(database, opts.parent);
      const made = await createChildArea(database.db, actor, { parentId: parent.id, name: opts.name, code: opts.code, boundary: opts.boundary ? readBoundary(opts.boundary) : undefined });
      await sealPending(database.db, sealing);
      for (const w of made.warnings) process.stderr.write(`warning: ${cliLang() === "en" ? (w.messageEn ?? w.message) : w.message}\n`);
      process.stdout.write(`${made.level} ${opts.name} created under ${parent.name} (code ${made.code ?? "none"}, id ${made.id})\n`);
    }),
  );
area
  .command("update")
  .description("rename, re-code (the subtree's codes follow) or redraw an area as of --effective-on")
  .argument("<codeOrId>", "the area")
  .option("--name <name>", "the new name")
  .option("--code <code>", "the new division code")
  .option("--boundary <file>", "the new boundary (GeoJSON)")
  .option("--effective-on <YYYY-MM-DD>", "the day the change takes effect (default today)")
  .requiredOption("--as <username>", "the user the change is made as")
  .action((codeOrId: string, opts: { name?: string; code?: string; boundary?: string; effectiveOn?: string; as: string }) =>
    withDatabase("area update", async (database, config) => {
      const sealing = auditSealing(config);
      const actor = await cliActor(database, opts.as);
      const target = await areaByCodeOrId(database, codeOrId);
      if (opts.name === undefined && opts.code === undefined && opts.boundary === undefined) throw new CliError("give --name, --code or --boundary");
      const updated = await updateArea(database.db, actor, target.id, { name: opts.name, code: opts.code, boundary: opts.boundary ? readBoundary(opts.boundary) : undefined, effectiveOn: opts.effectiveOn });
      await sealPending(database.db, sealing);
      for (const w of updated.warnings) process.stderr.write(`warning: ${cliLang() === "en" ? (w.messageEn ?? w.message) : w.message}\n`);
      process.stdout.write(`${updated.level} ${updated.name} updated (code ${updated.code ?? "none"})\n`);
    }),
  );
area
  .command("retire")
  .description("retire a district, street or community as of --effective-on; refused while areas below it are in force or cases in it are open")
  .argument("<codeOrId>", "the area")
  .option("--effective-on <YYYY-MM-DD>", "the day it is retired (default today)")
  .requiredOption("--as <username>", "the user the change is made as")
  .action((codeOrId: string, opts: { effectiveOn?: string; as: string }) =>
    withDatabase("area retire", async (database, config) => {
      const sealing = auditSealing(config);
      const actor = await cliActor(database, opts.as);
      const target = await areaByCodeOrId(database, codeOrId);
      const r = await retireArea(database.db, actor, target.id, { effectiveOn: opts.effectiveOn });
      await sealPending(database.db, sealing);
      process.stdout.write(`${target.name} retired as of ${r.validTo}\n`);
    }),
  );

/** The user a command acts as, with their grants. */
async function cliActor(database: Database, username: string) {
  const u = await findUserByUsername(database.db, username);
  if (!u) throw new CliError(`no user ${username}`);
  return actorOf(database.db, u.id);
}

/** A boundary from a GeoJSON file: a geometry, a Feature, or a FeatureCollection of one feature. */
function readBoundary(file: string): Geometry {
  let data: { type?: string; geometry?: unknown; features?: { geometry?: unknown }[] };
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8")) as typeof data;
  } catch {
    throw new CliError(`${file} is not a readable JSON file`);
  }
  const g = data.type === "Feature" ? data.geometry : data.type === "FeatureCollection" && data.features?.length === 1 ? data.features[0]!.geometry : data;
  const shape = g as { type?: string } | undefined;
  if (!shape || (shape.type !== "Polygon" && shape.type !== "MultiPolygon")) throw new CliError(`${file}: expected a Polygon or MultiPolygon (or one feature holding one)`);
  return g as Geometry;
}

const apikey = program.command("apikey").description("manage API keys of machine clients");
apikey
  .command("add")
  .description("create an API key for a user and print it (shown once)")
  .argument("<username>", "the user the key acts as")
  .requiredOption("--name <name>", "what the key is for, e.g. 12345 hotline bridge")
  .action((username: string, opts: { name: string }) =>
    withDatabase("apikey add", async (database, config) => {
      const sealing = auditSealing(config);
      const u = await findUserByUsername(database.db, username);
      if (!u) throw new CliError(`no user ${username}`);
      const key = await createApiKey(database.db, { userId: u.id, name: opts.name });
      await sealPending(database.db, sealing);
      process.stdout.write(`${key.key}\n`);
      process.stderr.write(`API key ${opts.name} for ${username}: keep it secret; it is not shown again.\n`);
    }),
  );

const keys = program.command("keys").description("keys of personal data at rest (ID numbers, phones)");
keys
  .command("generate")
  .description("print a new GONGZHI_DATA_KEYS value (first setup), or with --add the next encryption key to prepend for rotation")
  .option("--add", "print only a new encryption key, numbered after the configured ones")
  .action((opts: { add?: boolean }) => {
    try {
      const config = loadConfig();
      if (opts.add) {
        if (!config.dataKeyring) throw new CliError("--add needs the current GONGZHI_DATA_KEYS in the environment");
        process.stdout.write(`${generateDataKey({ keyring: config.dataKeyring })}\n`);
        process.stderr.write("Put this entry FIRST in GONGZHI_DATA_KEYS (keep the others), restart, then run `gongzhi keys rotate`.\n");
      } else {
        process.stdout.write(`${generateDataKeysValue()}\n`);
        process.stderr.write("Keep this value secret and backed up apart from the database: without it, encrypted ID numbers and phones cannot be read.\n");
      }
    } catch (e) {
      fail(describe(e));
    }
  });
keys
  .command("rotate")
  .description("re-encrypt every encrypted personal field under the current (first) key")
  .action(() =>
    withDatabase("keys rotate", async (database, config) => {
      const { keyring } = resolveKeyring(config);
      const { rotated } = await rotatePersonKeys(database.db, keyring, { onProgress: (n) => process.stderr.write(`\rre-encrypted ${n} persons…`) });
      process.stderr.write("\n");
      const registrations = await rotateRegistrationKeys(database.db, keyring);
      const hooks = await rotateWebhookSecrets(database.db, keyring);
      const contacts = await rotateEncryptedColumn(database.db, keyring, caseContactColumn);
      process.stdout.write(
        `keys rotated: ${rotated} persons, ${registrations.rotated} party registrations, ${contacts.rotated} case contact phones and ${hooks.rotated} webhook secrets re-encrypted under key ${keyring.currentKeyId}\n`,
      );
    }),
  );

program
  .command("import")
  .description("import a ledger (.xlsx or .csv) into an area: every row is validated first, then all rows are written or none")
  .argument("<kind>", `what the ledger holds: ${ledgerKinds.join(" | ")} | grids | communities | hotline (12345 tickets → cases)`)
  .argument("<file>", "the .xlsx or .csv file (grids: a GeoJSON FeatureCollection)")
  .option("--area <codeOrId>", "the area (grid, community or street) the ledger belongs to (required for ledgers)")
  .option("--community <codeOrId>", "grids: the community whose grids the GeoJSON holds")
  .option("--street <codeOrId>", "communities: the street whose communities the GeoJSON holds")
  .option("--replace", "grids: retire the community's current grids (a feature with a current grid's code redraws it)")
  .option("--effective-on <YYYY-MM-DD>", "grids: the day the new boundaries take effect (default today)")
  .option("--repair", "grids: make shapes valid and give overlaps, gaps and slivers outside the community up to --repair-max-m2 to a neighbour; each change is listed")
  .option("--repair-max-m2 <m2>", "grids, with --repair: the largest overlap, gap or sliver (m²) repaired; larger ones are refused as without --repair")
  .requiredOption("--as <username>", "the user the import is made as (their scope applies; recorded in the audit log)")
  .option("--dry-run", "validate only; write nothing")
  .option("--mapping <file.json>", 'column mapping: {"field": "header", …} or {"mapping": {…}, "ignore": ["header", …]}')
  .option("--report <file.xlsx>", "on problems, write the list of bad rows to this .xlsx")
  .option("--lang <zh-CN|en>", "language of the row and feature messages (default: English when LANG or LC_ALL starts with en, else Chinese)")
  .action((kind: string, file: string, opts: { area?: string; community?: string; street?: string; replace?: boolean; effectiveOn?: string; repair?: boolean; repairMaxM2?: string; as: string; dryRun?: boolean; mapping?: string; report?: string; lang?: string }) =>
    withDatabase("import", async (database, config) => {
      const sealing = auditSealing(config);
      const lang: Lang = opts.lang === undefined ? cliLang() : opts.lang.toLowerCase().startsWith("en") ? "en" : "zh-CN";
      if (kind === "grids") return importGridsCommand(database, sealing, file, opts, lang);
      if (kind === "communities") return importCommunitiesCommand(database, sealing, file, opts, lang);
      if (kind === "hotline") return importHotlineCommand(database, config, sealing, file, opts, lang);
      if (!opts.area) throw new CliError("--area <codeOrId> is required");
      if (!isLedgerKind(kind)) throw new CliError(`unknown ledger kind ${kind}; known: ${ledgerKinds.join(", ")}`);
      if (!fs.existsSync(file)) throw new CliError(`no file ${file}`);
      const mapping = opts.mapping ? readMappingFile(opts.mapping) : undefined;
      const area = await areaByCodeOrId(database, opts.area);
      const u = await findUserByUsername(database.db, opts.as);
      if (!u) throw new CliError(`no user ${opts.as}`);
      const actor = await actorOf(database.db, u.id);
      const labels = { read: "读取", validate: "校验", write: "写入" } as const;
      // One line per report on stderr (a terminal overwrites it in place): at most twice a second, and always the last of a stage.
      const tty = process.stderr.isTTY === true;
      let last = 0;
      let lastStage = "";
      const outcome = await importLedger(database.db, resolveKeyring(config).keyring, actor, kind, {
        areaId: area.id,
        file: { bytes: fs.readFileSync(file), fileName: path.basename(file) },
        dryRun: opts.dryRun === true,
        mapping: mapping?.mapping,
        ignoreColumns: mapping?.ignore,
        onProgress: (stage, done, total) => {
          const now = Date.now();
          if (now - last < 500 && done !== total && stage === lastStage) return;
          last = now;
          const line = `${labels[stage]} ${done}${total !== undefined ? `/${total}` : ""}`;
          if (tty) process.stderr.write(`${stage !== lastStage && lastStage !== "" ? "\n" : "\r"}${line} 行…   `);
          else process.stderr.write(`${line}\n`);
          lastStage = stage;
        },
      });
      if (tty) process.stderr.write("\n");
      if (!outcome.ok) {
        for (const p of localizeProblems(outcome.problems.slice(0, 50), lang)) process.stderr.write(`  ${p.message}\n`);
        const more = outcome.summary.problemCount - 50;
        if (outcome.problems.length > 50) process.stderr.write(lang === "en" ? `  … and ${more} more problems\n` : `  ……另有 ${more} 个问题\n`);
        if (opts.report) fs.writeFileSync(opts.report, await reportXlsx(outcome.problems, { omitted: outcome.summary.omittedProblems }));
        throw new CliError(`import rejected: ${outcome.summary.invalid} of ${outcome.summary.total} rows have problems; nothing was written${opts.report ? ` (report: ${opts.report})` : ""}`);
      }
      await sealPending(database.db, sealing);
      process.stdout.write(opts.dryRun ? `dry run: all ${outcome.summary.total} rows are valid; nothing written\n` : `imported ${outcome.written} ${kind}\n`);
    }),
  );

/** `gongzhi import hotline`: 12345 tickets transferred to a street become cases, every row or none. */
async function importHotlineCommand(database: Database, config: Config, sealing: SealOptions, file: string, opts: { area?: string; as: string; dryRun?: boolean; report?: string }, lang: Lang): Promise<void> {
  if (!opts.area) throw new CliError("--area <codeOrId> is required");
  if (!fs.existsSync(file)) throw new CliError(`no file ${file}`);
  const area = await areaByCodeOrId(database, opts.area);
  const u = await findUserByUsername(database.db, opts.as);
  if (!u) throw new CliError(`no user ${opts.as}`);
  const actor = await actorOf(database.db, u.id);
  const outcome = await importHotline(database.db, { gridIndex: new GridIndex(), keyring: resolveKeyring(config).keyring }, actor, {
    areaId: area.id,
    file: { bytes: fs.readFileSync(file), fileName: path.basename(file) },
    dryRun: opts.dryRun === true,
  });
  if (!outcome.ok) {
    for (const p of localizeProblems(outcome.problems.slice(0, 50), lang)) process.stderr.write(`  ${p.message}\n`);
    const more = outcome.summary.problemCount - 50;
    if (outcome.problems.length > 50) process.stderr.write(lang === "en" ? `  … and ${more} more problems\n` : `  ……另有 ${more} 个问题\n`);
    if (opts.report) fs.writeFileSync(opts.report, await reportXlsx(outcome.problems, { omitted: outcome.summary.omittedProblems }));
    throw new CliError(`import rejected: ${outcome.summary.invalid} of ${outcome.summary.total} rows have problems; nothing was written${opts.report ? ` (report: ${opts.report})` : ""}`);
  }
  await sealPending(database.db, sealing);
  if (opts.dryRun) {
    process.stdout.write(`dry run: all ${outcome.summary.total} tickets are valid; nothing written\n`);
    return;
  }
  const first = outcome.cases[0]?.caseNo;
  const last = outcome.cases.at(-1)?.caseNo;
  process.stdout.write(`imported ${outcome.written} hotline tickets as cases${first ? ` ${first}${last !== first ? `–${last}` : ""}` : ""}\n`);
}

/** `gongzhi import communities`: a street's communities from GeoJSON, all features or none. */
async function importCommunitiesCommand(database: Database, sealing: SealOptions, file: string, opts: { street?: string; as: string; dryRun?: boolean }, lang: Lang): Promise<void> {
  if (!opts.street) throw new CliError("--street <codeOrId> is required for communities");
  const actor = await cliActor(database, opts.as);
  const street = await areaByCodeOrId(database, opts.street);
  let fc: { type?: string; features?: unknown[] };
  try {
    fc = JSON.parse(fs.readFileSync(file, "utf8")) as typeof fc;
  } catch {
    throw new CliError(`${file} is not a readable JSON file`);
  }
  if (fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) throw new CliError(`${file}: expected a GeoJSON FeatureCollection`);
  const outcome = localizeCommunityImport(await importCommunities(database.db, actor, { streetId: street.id, features: fc.features, dryRun: opts.dryRun === true }), lang);
  for (const w of outcome.warnings) process.stderr.write(`${lang === "en" ? "warning" : "提示"}: ${w.message}\n`);
  if (!outcome.ok) {
    for (const p of outcome.problems.slice(0, 50)) process.stderr.write(`  ${p.message}\n`);
    throw new CliError(`import rejected: ${outcome.summary.invalid} of ${outcome.summary.total} features have problems; nothing was written`);
  }
  await sealPending(database.db, sealing);
  const s = outcome.summary;
  process.stdout.write(opts.dryRun ? `dry run: all ${s.total} features are valid (${s.created} new, ${s.updated} redrawn); nothing written\n` : `imported ${s.total} communities: ${s.created} new, ${s.updated} redrawn\n`);
}

/** `gongzhi import grids`: a community's grid boundaries from GeoJSON, all features or none. */
async function importGridsCommand(
  database: Database,
  sealing: SealOptions,
  file: string,
  opts: { community?: string; replace?: boolean; effectiveOn?: string; repair?: boolean; repairMaxM2?: string; as: string; dryRun?: boolean },
  lang: Lang,
): Promise<void> {
  if (!opts.community) throw new CliError("--community <codeOrId> is required for grids");
  const u = await findUserByUsername(database.db, opts.as);
  if (!u) throw new CliError(`no user ${opts.as}`);
  const actor = await actorOf(database.db, u.id);
  try {
    const outcome = await runGridImport(
      database.db,
      actor,
      { file, community: opts.community, dryRun: opts.dryRun, replace: opts.replace, effectiveOn: opts.effectiveOn, repair: opts.repair, repairMaxM2: opts.repairMaxM2 },
      (line) => process.stderr.write(`${line}\n`),
      lang,
    );
    await sealPending(database.db, sealing);
    const s = outcome.summary;
    for (const r of localizeGridImport(outcome, lang).repairs) process.stdout.write(`${repairedWord(lang)}${r.message}\n`);
    const repaired = opts.repair ? `, ${s.repaired} repaired` : "";
    process.stdout.write(
      opts.dryRun
        ? `dry run: all ${s.total} features are valid (${s.created} new, ${s.redrawn} redrawn, ${s.retired} retired${repaired}); nothing written\n`
        : `imported ${s.total} grids: ${s.created} new, ${s.redrawn} redrawn, ${s.retired} retired${repaired} as of ${outcome.effectiveOn}\n`,
    );
  } catch (e) {
    if (e instanceof GridImportCliError) throw new CliError(e.message);
    throw e;
  }
}

/** A mapping file: either field → header, or { mapping: field → header, ignore: [header…] }. */
function readMappingFile(file: string): { mapping: Record<string, string | number | null>; ignore: string[] | undefined } {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new CliError(`${file} is not a readable JSON file`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new CliError(`${file}: expected a JSON object`);
  const d = data as Record<string, unknown>;
  if (typeof d.mapping === "object" && d.mapping !== null) {
    const ignore = Array.isArray(d.ignore) ? d.ignore.map(String) : undefined;
    return { mapping: d.mapping as Record<string, string | number | null>, ignore };
  }
  return { mapping: d as Record<string, string | number | null>, ignore: undefined };
}

const audit = program.command("audit").description("the tamper-evident audit log");
audit
  .command("verify")
  .description(
    "check the audit log without writing anything: every hash and checkpoint signature, the signed heads kept outside the database (the head file, --head), and entries left unsealed; exits 1 naming the first bad entry",
  )
  .option("--head <fileOrJson...>", "a signed head handed out earlier, as a file or inline JSON: a receipt, an audit.checkpoint webhook body, a checkpoint or the checkpoint listing (repeatable)")
  .option("--public-key <key...>", "an audit public key (ed25519:<base64>) to accept besides the configured one, e.g. of an earlier signing key (repeatable)")
  .option("--stale-after <seconds>", `report entries unsealed for longer than this (default ${DEFAULT_STALE_PENDING_MS / 1000}, or 60 seal intervals if longer)`)
  .action((opts: { head?: string[]; publicKey?: string[]; staleAfter?: string }) =>
    withReadOnlyDatabase("audit verify", async (database, config) => {
      const publicKeys = [...auditVerificationKeys(config).publicKeys, ...(opts.publicKey ?? []).map((k, i) => parseAuditPublicKey(k, `--public-key ${i + 1}`))];
      if (publicKeys.length === 0) {
        throw new CliError("no audit public key to check signatures with: set GONGZHI_AUDIT_SIGNING_KEY (as the server has it) or give --public-key (GET /api/audit/public-key)");
      }
      if (opts.staleAfter !== undefined && !/^\d+$/.test(opts.staleAfter)) throw new CliError("--stale-after must be a whole number of seconds");
      const stalePendingMs = opts.staleAfter !== undefined ? Number(opts.staleAfter) * 1000 : Math.max(DEFAULT_STALE_PENDING_MS, 60 * config.auditSealIntervalMs);
      const { witnesses, notes } = loadWitnesses(config.auditHeadFile, opts.head ?? []);
      for (const note of notes) process.stderr.write(`${note}\n`);
      const lines: string[] = [];
      const code = await runAuditVerify(database.db, { publicKeys, witnesses, stalePendingMs }, (l) => lines.push(l));
      if (code !== 0) throw new CliError(lines.join("\n"));
      process.stdout.write(`${lines.join("\n")}\n`);
    }),
  );
audit
  .command("seal")
  .description("seal and sign the entries waiting to be sealed, as the running server does every second (for when it is stopped); check unexpected ones first: sealing vouches for them")
  .action(() =>
    withDatabase("audit seal", async (database, config) => {
      const sealing = auditSealing(config);
      await runAuditSeal(database.db, sealing, (l) => process.stdout.write(`${l}\n`));
    }),
  );
audit
  .command("keygen")
  .description("print a new GONGZHI_AUDIT_SIGNING_KEY value (Ed25519), and its public key on standard error")
  .action(() => {
    const value = generateAuditSigningKey();
    const signer = parseAuditSigningKey(value);
    process.stdout.write(`${value}\n`);
    process.stderr.write(
      `Keep this value secret and apart from the database: whoever holds it can sign audit checkpoints.\nIts public key (publish it; GET /api/audit/public-key serves it): ${signer.publicKey.text}\n`,
    );
  });
audit
  .command("public-key")
  .description("print the configured audit public key (ed25519:<base64>), for outside witnesses")
  .action(() => {
    try {
      const config = loadConfig();
      const { signer } = resolveAuditSigner(config, { create: false });
      if (!signer) throw new CliError("no audit signing key is configured yet (GONGZHI_AUDIT_SIGNING_KEY, or the embedded database's key file)");
      process.stdout.write(`${signer.publicKey.text}\n`);
    } catch (e) {
      fail(describe(e));
    }
  });

program.parseAsync(process.argv).catch((e: unknown) => fail(describe(e)));
