/** A write the caller was told succeeded survives the process being killed (embedded database). */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./index.js";

describe("embedded database durability", () => {
  it("keeps every acknowledged write after SIGKILL", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-crash-"));
    try {
      const child = spawnSync(process.execPath, ["--import", "tsx", path.resolve("src/test-support/fixtures/write-then-crash.ts"), dir], { encoding: "utf8", timeout: 120_000 });
      expect(child.signal).toBe("SIGKILL");
      const acknowledged = child.stdout.split("\n").filter((l) => l.startsWith("committed")).length;
      expect(acknowledged).toBe(5);
      const database = await openDatabase({ dataDir: dir });
      const users = await database.query<{ username: string }>("select username from users where username like 'crash_%' order by username");
      const audit = await database.query<{ n: string }>("select count(*)::text as n from audit_entries where action = 'user.create'");
      await database.close();
      expect(users.map((u) => u.username)).toEqual(["crash_0", "crash_1", "crash_2", "crash_3", "crash_4"]);
      expect(audit[0]!.n).toBe("5");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
