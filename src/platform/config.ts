/**
 * Configuration, read and validated once at start (Outline `server/env.ts` style).
 * A bad value stops the process with one readable line per problem, never a stack trace.
 */
import path from "node:path";
import { parseMapTiles, type MapTiles } from "./map/tiles.js";
import { DataKeyring, parseDataKeys, PiiConfigError, loadOrCreateLocalKeyring } from "./pii/keys.js";
import {
  AuditKeyError,
  loadLocalSigningKey,
  loadOrCreateLocalSigningKey,
  parseAuditPublicKey,
  parseAuditSigningKey,
  type AuditPublicKey,
  type AuditSigner,
} from "./audit/signing.js";

export interface Config {
  /** HTTP port; default 3000. */
  port: number;
  host: string;
  /** PostgreSQL URL; when absent the embedded database (PGlite) in `dataDir` is used. */
  databaseUrl: string | undefined;
  /** Optional read replica for read-heavy dashboards. */
  databaseReadUrl: string | undefined;
  /** Directory of the embedded database and other local state. */
  dataDir: string;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Load the demo street on first start: auto = only on an empty embedded database. */
  demo: "auto" | "on" | "off";
  /**
   * The deployment is reached over HTTPS (directly or through a TLS proxy): cookies get the
   * Secure flag, and HSTS and upgrade-insecure-requests are sent. Off, an intranet served over
   * plain HTTP keeps working (browsers would otherwise upgrade its asset requests to HTTPS).
   */
  https: boolean;
  /** Session lifetime, idle, in minutes. */
  sessionIdleMinutes: number;
  /** How often the audit sealer runs, in milliseconds (bounded sealing delay). */
  auditSealIntervalMs: number;
  /**
   * The map's tile provider (GONGZHI_MAP_TILES, GONGZHI_TIANDITU_KEY, GONGZHI_MAP_TILE_URL …);
   * null by default: no external tile server (platform/map/tiles.ts).
   */
  mapTiles: MapTiles | null;
  /**
   * How long a checked session is trusted in memory, in ms (0 = check the database on every
   * request). Logout in this process takes effect at once; elsewhere within this delay.
   */
  sessionCacheMs: number;
  /**
   * Keys for personal data at rest (GONGZHI_DATA_KEYS). Absent: the embedded database keeps its
   * own key file in the data directory; PostgreSQL requires the variable.
   */
  dataKeyring: DataKeyring | undefined;
  /**
   * Signs audit checkpoints (GONGZHI_AUDIT_SIGNING_KEY). Absent: the embedded database keeps its
   * own key file in the data directory; PostgreSQL requires the variable.
   */
  auditSigner: AuditSigner | undefined;
  /** Public keys of earlier audit signing keys (GONGZHI_AUDIT_PREVIOUS_PUBLIC_KEYS), still accepted on old checkpoints. */
  auditPreviousKeys: AuditPublicKey[];
  /**
   * Where the sealer keeps the newest signed head, outside the database (GONGZHI_AUDIT_HEAD_FILE;
   * default `<data dir>/audit-head.json`, `off` for none).
   */
  auditHeadFile: string | null;
  /** Requests per minute per client on the API (login has its own tighter limit). */
  rateLimitPerMinute: number;
  /** Login attempts per minute per client (on top of the per-account lockout). */
  loginRateLimitPerMinute: number;
  /** How often the case timer runner looks for due deadlines, in ms (bounds how late a deadline fires). */
  caseTimerIntervalMs: number;
  /** Share of a case deadline's working time left when the warning (临期提醒) fires, in percent. */
  caseWarningPercent: number;
  /**
   * Whether the author of a case's latest 反馈 may also verify it (核查) — for deployments with
   * one-person communities; off by default (separation of duties, cases/verification.ts).
   */
  caseSelfVerification: boolean;
  /** 考核指标: units with fewer cases than this in a month are listed apart, not ranked (GONGZHI_MEASURES_MIN_CASES, default 5). */
  measuresMinCases: number;
  /** Largest case photo accepted, in MB (GONGZHI_PHOTO_MAX_MB, default 8). */
  photoMaxMb: number;
  /**
   * How a resident's mobile is confirmed at sign-up (GONGZHI_SMS): `log` writes the code to the
   * server log (development; the number masked), `off` (default) asks for no code.
   */
  sms: "log" | "off";
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name}=${JSON.stringify(raw)} is not a whole number (expected ${min}–${max})`);
    return def;
  }
  const n = Number(raw);
  if (n < min || n > max) problems.push(`${name}=${raw} is out of range (expected ${min}–${max})`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], def: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${name}=${JSON.stringify(raw)} is not one of ${allowed.join(", ")}`);
  return def;
}

function bool(env: Env, name: string, def: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return def;
  if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
  problems.push(`${name}=${JSON.stringify(raw)} is not a boolean (true/false)`);
  return def;
}

function pgUrl(env: Env, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  try {
    const u = new URL(raw);
    if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
      problems.push(`${name} must be a postgres:// or postgresql:// URL`);
    }
  } catch {
    problems.push(`${name} is not a valid URL`);
  }
  return raw;
}

function keyring(env: Env, problems: string[]): DataKeyring | undefined {
  const raw = env.GONGZHI_DATA_KEYS;
  if (raw === undefined || raw.trim() === "") return undefined;
  try {
    return parseDataKeys(raw);
  } catch (e) {
    if (e instanceof PiiConfigError) problems.push(...e.problems);
    else problems.push("GONGZHI_DATA_KEYS could not be read");
    return undefined;
  }
}

function auditSigner(env: Env, problems: string[]): AuditSigner | undefined {
  const raw = env.GONGZHI_AUDIT_SIGNING_KEY;
  if (raw === undefined || raw.trim() === "") return undefined;
  try {
    return parseAuditSigningKey(raw);
  } catch (e) {
    if (e instanceof AuditKeyError) problems.push(...e.problems);
    else problems.push("GONGZHI_AUDIT_SIGNING_KEY could not be read");
    return undefined;
  }
}

function auditPublicKeys(env: Env, problems: string[]): AuditPublicKey[] {
  const name = "GONGZHI_AUDIT_PREVIOUS_PUBLIC_KEYS";
  const keys: AuditPublicKey[] = [];
  (env[name] ?? "")
    .split(/[\s,]+/)
    .filter((e) => e !== "")
    .forEach((entry, i) => {
      try {
        keys.push(parseAuditPublicKey(entry, `${name} entry ${i + 1}`));
      } catch (e) {
        problems.push(...(e instanceof AuditKeyError ? e.problems : [`${name} entry ${i + 1} could not be read`]));
      }
    });
  return keys;
}

/**
 * The head file: as configured, or in the data directory — for PostgreSQL named after the server
 * and database, so that one working directory used with several databases (or with the embedded
 * one) never holds one log to another's head.
 */
function auditHeadFile(env: Env, dataDir: string, databaseUrl: string | undefined): string | null {
  const raw = env.GONGZHI_AUDIT_HEAD_FILE?.trim();
  if (raw !== undefined && raw !== "") return raw.toLowerCase() === "off" ? null : path.resolve(raw);
  if (!databaseUrl) return path.join(dataDir, "audit-head.json");
  let name = "postgres";
  try {
    const u = new URL(databaseUrl);
    name = `${u.hostname}_${u.port || "5432"}_${decodeURIComponent(u.pathname.slice(1)) || "postgres"}`;
  } catch {
    // An invalid URL is reported by pgUrl.
  }
  return path.join(dataDir, `audit-head-${name.replace(/[^A-Za-z0-9._-]/g, "_")}.json`);
}

/** The embedded database's audit key file, beside its data keys. */
export function auditKeyFile(config: Config): string {
  return path.join(config.dataDir, "audit-signing-key.txt");
}

/**
 * The audit signing key: the configured one, or for the embedded database a key file in the data
 * directory, created on first start unless `create` is false (verification never makes a key:
 * then it is undefined when there is none).
 */
export function resolveAuditSigner(config: Config): { signer: AuditSigner; createdFile?: string };
export function resolveAuditSigner(config: Config, opts: { create: false }): { signer: AuditSigner | undefined };
export function resolveAuditSigner(config: Config, opts: { create?: boolean } = {}): { signer: AuditSigner | undefined; createdFile?: string } {
  if (config.auditSigner) return { signer: config.auditSigner };
  if (config.databaseUrl) {
    if (opts.create === false) return { signer: undefined };
    throw new ConfigError(["GONGZHI_AUDIT_SIGNING_KEY is required with DATABASE_URL (create a value with `gongzhi audit keygen`)"]);
  }
  const file = auditKeyFile(config);
  try {
    if (opts.create === false) return { signer: loadLocalSigningKey(file) };
    const { signer, created } = loadOrCreateLocalSigningKey(file);
    return created ? { signer, createdFile: file } : { signer };
  } catch (e) {
    if (e instanceof AuditKeyError) throw new ConfigError(e.problems);
    throw e;
  }
}

/**
 * The public keys that check audit signatures: the current signing key's (when there is one;
 * never created here) first, then earlier ones still accepted on old checkpoints.
 */
export function auditVerificationKeys(config: Config): { signer: AuditSigner | undefined; publicKeys: AuditPublicKey[] } {
  const { signer } = resolveAuditSigner(config, { create: false });
  return { signer, publicKeys: [...(signer ? [signer.publicKey] : []), ...config.auditPreviousKeys] };
}

/**
 * The keyring for personal data: the configured one, or for the embedded database a key file in
 * the data directory created on first start (back it up apart from the database).
 */
export function resolveKeyring(config: Config): { keyring: DataKeyring; createdFile?: string } {
  if (config.dataKeyring) return { keyring: config.dataKeyring };
  if (config.databaseUrl) {
    throw new ConfigError(["GONGZHI_DATA_KEYS is required with DATABASE_URL (create a value with `gongzhi keys generate`)"]);
  }
  const file = path.join(config.dataDir, "data-keys.txt");
  const { keyring: k, created } = loadOrCreateLocalKeyring(file);
  return created ? { keyring: k, createdFile: file } : { keyring: k };
}

/** Reads the configuration from the environment; throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
  const config: Config = {
    port: int(env, "PORT", 3000, 0, 65535, problems),
    host: env.HOST && env.HOST.trim() !== "" ? env.HOST.trim() : "127.0.0.1",
    databaseUrl: pgUrl(env, "DATABASE_URL", problems),
    databaseReadUrl: pgUrl(env, "DATABASE_READ_URL", problems),
    dataDir: path.resolve(env.GONGZHI_DATA_DIR && env.GONGZHI_DATA_DIR !== "" ? env.GONGZHI_DATA_DIR : "data"),
    logLevel: oneOf(env, "LOG_LEVEL", logLevels, "info", problems),
    demo: oneOf(env, "GONGZHI_DEMO", ["auto", "on", "off"] as const, "auto", problems),
    // GONGZHI_COOKIE_SECURE is the older name of GONGZHI_HTTPS, still honoured.
    https: bool(env, "GONGZHI_HTTPS", false, problems) || bool(env, "GONGZHI_COOKIE_SECURE", false, problems),
    sessionIdleMinutes: int(env, "GONGZHI_SESSION_IDLE_MINUTES", 120, 1, 60 * 24 * 30, problems),
    auditSealIntervalMs: int(env, "GONGZHI_AUDIT_SEAL_INTERVAL_MS", 1000, 10, 60_000, problems),
    mapTiles: parseMapTiles(env, problems),
    rateLimitPerMinute: int(env, "GONGZHI_RATE_LIMIT_PER_MINUTE", 600, 1, 1_000_000, problems),
    loginRateLimitPerMinute: int(env, "GONGZHI_LOGIN_RATE_LIMIT_PER_MINUTE", 20, 1, 100_000, problems),
    sessionCacheMs: int(env, "GONGZHI_SESSION_CACHE_MS", 5000, 0, 60_000, problems),
    caseTimerIntervalMs: int(env, "GONGZHI_CASE_TIMER_INTERVAL_MS", 5000, 100, 600_000, problems),
    caseWarningPercent: int(env, "GONGZHI_CASE_WARNING_PERCENT", 20, 1, 90, problems),
    caseSelfVerification: bool(env, "GONGZHI_CASE_SELF_VERIFICATION", false, problems),
    measuresMinCases: int(env, "GONGZHI_MEASURES_MIN_CASES", 5, 1, 10_000, problems),
    photoMaxMb: int(env, "GONGZHI_PHOTO_MAX_MB", 8, 1, 100, problems),
    sms: oneOf(env, "GONGZHI_SMS", ["log", "off"] as const, "off", problems),
    dataKeyring: keyring(env, problems),
    auditSigner: auditSigner(env, problems),
    auditPreviousKeys: auditPublicKeys(env, problems),
    auditHeadFile: null,
  };
  config.auditHeadFile = auditHeadFile(env, config.dataDir, config.databaseUrl);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
