/**
 * The command line as a person runs it: a real process, the embedded database or PostgreSQL.
 * `gongzhi audit verify` must exit non-zero naming the first bad entry after a direct edit.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliTargets, gongzhi } from "./test-support/cli.js";

const { targets, tempDir, cleanup } = cliTargets("cli");
afterAll(cleanup);

describe.each(targets)("gongzhi command line on $name", (target) => {
  it("creates users and keys, verifies the audit log, and names the first edited entry", async () => {
    const env = await target.env();
    const migrated = await gongzhi(["migrate"], env);
    expect(migrated.stderr).toBe("");
    expect(migrated.code).toBe(0);
    // A tiny area to grant on.
    await target.query(env, "insert into areas (id, level, code, name, path, depth) values ('00000000-0000-4000-8000-000000000001', 'street', '510107005', '玉林街道', '/00000000-0000-4000-8000-000000000001/', 0)");
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
    expect(ok.stdout).toMatch(/audit log intact: 4 entries in \d+ signed checkpoints verified, reaching all 1 signed heads/);

    // Verify only reads: an entry nobody sealed stays unsealed, and once stale it is a finding.
    await target.query(env, "insert into audit_entries (occurred_at, actor_kind, action, entity_type, entity_id, digest) values (now() - interval '1 hour', 'system', 'user.create', 'user', 'forged', repeat('ab', 32))");
    const stale = await gongzhi(["audit", "verify"], env);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/1 entry has waited more than 60 s unsealed/);
    expect(await target.query(env, "select seq from audit_entries where entity_id = 'forged'")).toEqual([{ seq: null }]);
    // Sealing is a separate, deliberate step.
    const sealed = await gongzhi(["audit", "seal"], env);
    expect(sealed.stdout).toMatch(/sealed 1 entries in 1 signed checkpoints/);
    expect((await gongzhi(["audit", "verify"], env)).stdout).toMatch(/intact: 5 entries/);
    // A tail cut off with its checkpoint shows against the head file beside the data.
    await target.query(env, "delete from audit_entries where seq = 5");
    await target.query(env, "delete from audit_checkpoints where last_seq = 5");
    const cut = await gongzhi(["audit", "verify"], env);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/the log ends at seq 4, but the signed head from the head file .* shows 5 entries/);

    await target.query(env, "update audit_entries set action = 'user.delete' where seq = 2");
    const bad = await gongzhi(["audit", "verify"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/first bad entry seq 2\b/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 300_000);

  it.runIf(target.name === "postgres")("needs the audit signing key from the environment with PostgreSQL, before writing anything", async () => {
    const { GONGZHI_AUDIT_SIGNING_KEY: _key, ...env } = await target.env();
    expect((await gongzhi(["migrate"], env)).code).toBe(0);
    await target.query(env, "insert into areas (id, level, code, name, path, depth) values ('00000000-0000-4000-8000-000000000001', 'street', '510107005', '玉林街道', '/00000000-0000-4000-8000-000000000001/', 0)");
    const r = await gongzhi(["user", "add", "wangjg", "--name", "王建国", "--role", "streetAdmin", "--area", "510107005", "--password-stdin"], env, "Yulin-street-2026\n");
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/GONGZHI_AUDIT_SIGNING_KEY is required with DATABASE_URL/);
    expect(await target.query(env, "select count(*)::int as n from users")).toEqual([{ n: 0 }]);
  }, 120_000);

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
    const dir = tempDir("port");
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
    const dir = tempDir("lock");
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
