/**
 * The command line as a person runs it: a real process, the embedded database or PostgreSQL.
 * `gongzhi audit verify` must exit non-zero naming the first bad entry after a direct edit.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./platform/db/index.js";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function gongzhi(args: string[], env: Record<string, string>, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("src/cli.ts"), ...args], {
      env: { ...process.env, LOG_LEVEL: "silent", DATABASE_URL: "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.end(input ?? "");
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

interface Target {
  name: string;
  env(): Promise<Record<string, string>>;
  tamper(env: Record<string, string>, sqlText: string): Promise<void>;
}

const targets: Target[] = [
  {
    name: "pglite",
    async env() {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-cli-"));
      cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
      return { GONGZHI_DATA_DIR: dir };
    },
    async tamper(env, sqlText) {
      const database = await openDatabase({ dataDir: path.join(env.GONGZHI_DATA_DIR!, "pgdata") });
      await database.query(sqlText);
      await database.close();
    },
  },
];
const pgUrl = process.env.TEST_DATABASE_URL;
if (pgUrl) {
  targets.push({
    name: "postgres",
    async env() {
      const name = `gz_cli_${randomBytes(5).toString("hex")}`;
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.end();
      cleanups.push(async () => {
        const a = new pg.Client({ connectionString: pgUrl });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      });
      const u = new URL(pgUrl);
      u.pathname = `/${name}`;
      return { DATABASE_URL: u.toString() };
    },
    async tamper(env, sqlText) {
      const c = new pg.Client({ connectionString: env.DATABASE_URL });
      await c.connect();
      await c.query(sqlText);
      await c.end();
    },
  });
}

describe.each(targets)("gongzhi command line on $name", (target) => {
  it("creates users and keys, verifies the audit log, and names the first edited entry", async () => {
    const env = await target.env();
    const migrated = await gongzhi(["migrate"], env);
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    // A tiny area to grant on.
    await target.tamper(env, "insert into areas (id, level, code, name, path, depth) values ('00000000-0000-4000-8000-000000000001', 'street', '510107005', '玉林街道', '/00000000-0000-4000-8000-000000000001/', 0)");
    const weak = await gongzhi(["user", "add", "wangjg", "--name", "王建国", "--role", "streetAdmin", "--area", "510107005", "--password-stdin"], env, "weak\n");
    expect(weak.code).not.toBe(0);
    expect(weak.stderr.trim().split("\n")).toHaveLength(1);
    expect(weak.stderr).toMatch(/at least 8 characters/);
    for (const name of ["wangjg", "lixy", "zhaogl"]) {
      const added = await gongzhi(["user", "add", name, "--name", "测试", "--role", "streetAdmin", "--area", "510107005", "--password-stdin"], env, "Yulin-street-2026\n");
      expect(added.stderr).toBe("");
      expect(added.code).toBe(0);
    }
    const key = await gongzhi(["apikey", "add", "wangjg", "--name", "12345 热线对接"], env);
    expect(key.code).toBe(0);
    expect(key.stdout.trim()).toMatch(/^gzk_[0-9a-f]{8}_[A-Za-z0-9_-]+$/);
    const ok = await gongzhi(["audit", "verify"], env);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/audit log intact: 4 entries/);

    await target.tamper(env, "update audit_entries set action = 'user.delete' where seq = 2");
    const bad = await gongzhi(["audit", "verify"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/first bad entry seq 2\b/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 300_000);

  it("says in one line what is wrong with the configuration", async () => {
    const env = await target.env();
    const r = await gongzhi(["migrate"], { ...env, PORT: "70000", LOG_LEVEL: "loud" });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/PORT=70000 is out of range/);
    expect(r.stderr).toMatch(/LOG_LEVEL="loud"/);
  }, 120_000);
});

describe("serve", () => {
  it("refuses an occupied port in one line, before touching the database", async () => {
    const net = await import("node:net");
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as { port: number }).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-port-"));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const r = await gongzhi(["serve"], { GONGZHI_DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1" });
    blocker.close();
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(fs.existsSync(path.join(dir, "pgdata"))).toBe(false);
  }, 120_000);
});

describe("the embedded database's lock", () => {
  it("refuses a second process in one line naming the holder", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-lock-"));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    // This test process plays the server holding the directory.
    fs.writeFileSync(path.join(dir, "gongzhi.lock"), JSON.stringify({ pid: process.pid, command: "serve", startedAt: "2026-11-22T08:00:00.000Z" }));
    const r = await gongzhi(["audit", "verify"], { GONGZHI_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`in use by process ${process.pid} (gongzhi serve`);
    // A lock left by a dead process is taken over.
    fs.writeFileSync(path.join(dir, "gongzhi.lock"), JSON.stringify({ pid: 2 ** 22 + 7, command: "serve", startedAt: "2026-11-22T08:00:00.000Z" }));
    const r2 = await gongzhi(["migrate"], { GONGZHI_DATA_DIR: dir });
    expect(r2.stderr).toBe("");
    expect(r2.code).toBe(0);
  }, 180_000);
});
