/**
 * The `gongzhi` command as a person runs it, for tests: a real process (through tsx) on a fresh
 * embedded database directory or, with TEST_DATABASE_URL, a fresh PostgreSQL database.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { openDatabase } from "../platform/db/index.js";
import { generateAuditSigningKey } from "../platform/audit/signing.js";
import { databaseUrl, pgOnce } from "./databases.js";

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The command as compiled once for this run by the global setup (GONGZHI_TEST_CLI), or from the
 * sources through tsx when a test runs without it.
 */
function command(): string[] {
  const compiled = process.env.GONGZHI_TEST_CLI;
  return compiled && fs.existsSync(compiled) ? [compiled] : ["--import", "tsx", path.resolve("src/cli.ts")];
}

/** Runs `gongzhi <args>` with `env` over the test process's environment (quiet logs, no DATABASE_URL unless given). */
export function gongzhi(args: string[], env: Record<string, string>, input = ""): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...command(), ...args], {
      env: { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A place the command can run against, and a way to look at (or tamper with) it directly. */
export interface CliTarget {
  name: string;
  /** A fresh, empty database for one test: the environment that points the command at it. */
  env(): Promise<Record<string, string>>;
  query(env: Record<string, string>, sqlText: string): Promise<Record<string, unknown>[]>;
}

/**
 * PGlite always, PostgreSQL when TEST_DATABASE_URL is set. Register `cleanup` in `afterAll`:
 * it removes the data directories and drops the databases made by `env()`.
 */
export function cliTargets(prefix: string): { targets: CliTarget[]; tempDir: (name: string) => string; cleanup: () => Promise<void> } {
  const cleanups: (() => Promise<void>)[] = [];
  /** A temporary directory removed by `cleanup`. */
  const tempDir = (name: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gongzhi-${name}-`));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const targets: CliTarget[] = [
    {
      name: "pglite",
      async env() {
        return { GONGZHI_DATA_DIR: tempDir(prefix) };
      },
      async query(env, sqlText) {
        const database = await openDatabase({ dataDir: path.join(env.GONGZHI_DATA_DIR!, "pgdata") });
        try {
          return await database.query<Record<string, unknown>>(sqlText);
        } finally {
          await database.close();
        }
      },
    },
  ];
  const pgUrl = process.env.TEST_DATABASE_URL;
  if (pgUrl) {
    targets.push({
      name: "postgres",
      async env() {
        const name = `gz_${prefix}_${randomBytes(5).toString("hex")}`;
        await pgOnce(pgUrl, `CREATE DATABASE ${name}`);
        cleanups.push(async () => void (await pgOnce(pgUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)));
        // PostgreSQL needs the audit signing key from the environment, as in production; the data
        // directory holds the audit head file, so it is one per test too.
        return { DATABASE_URL: databaseUrl(pgUrl, name), GONGZHI_AUDIT_SIGNING_KEY: generateAuditSigningKey(), GONGZHI_DATA_DIR: tempDir(prefix) };
      },
      async query(env, sqlText) {
        return pgOnce(env.DATABASE_URL!, sqlText);
      },
    });
  }
  return { targets, tempDir, cleanup: async () => { for (const c of cleanups.splice(0)) await c(); } };
}
