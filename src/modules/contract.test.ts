/**
 * The module contract (src/platform/module.ts) as the module list presents it: every module is a
 * folder with an index.ts and a README, defines its own error codes, and every code the server
 * can answer with is defined exactly once — by platform or by the module that throws it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { modules } from "./index.js";
import { errorCodes, formatMessage, type ErrorCode } from "../platform/errors.js";

const srcDir = join(import.meta.dirname, "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") && !p.endsWith(".test.ts") ? [p] : [];
  });
}

describe("the module contract", () => {
  it("lists every module folder once, each with its index.ts and README", () => {
    const folders = readdirSync(join(srcDir, "modules")).filter((n) => statSync(join(srcDir, "modules", n)).isDirectory());
    expect(modules.map((m) => m.name).sort()).toEqual(folders.sort());
    for (const m of modules) {
      expect(existsSync(join(srcDir, "modules", m.name, "index.ts")), m.name).toBe(true);
      expect(existsSync(join(srcDir, "modules", m.name, "README.md")), m.name).toBe(true);
    }
  });

  it("carries what the server starts besides routes: configuration, start-up preparation and jobs", () => {
    const cases = modules.find((m) => m.name === "cases")!;
    expect(typeof cases.configure).toBe("function");
    expect(typeof cases.prepare).toBe("function");
    expect(modules.flatMap((m) => (m.jobs ?? []).map((j) => `${m.name}: ${j.name}`))).toEqual(["cases: case timers"]);
    // Settings are checked where they are taken: an impossible warning share is refused.
    expect(() => cases.configure!({ caseWarningPercent: 150 } as Parameters<NonNullable<typeof cases.configure>>[0])).toThrow(RangeError);
  });

  it("gives each error code one owner: platform or the module that declares it in its contract", () => {
    const codes = errorCodes();
    expect(new Set(codes.map((c) => c.code)).size).toBe(codes.length);
    const owners = new Set(["platform", ...modules.map((m) => m.name)]);
    // Platform's parts (platform/auth, platform/setup) keep their codes beside their code.
    for (const c of codes) expect(owners.has(c.owner.replace(/^platform\/[a-z]+$/, "platform")), `${c.code} of ${c.owner}`).toBe(true);
    for (const m of modules) {
      const declared = Object.keys(m.errors ?? {}).sort();
      expect(codes.filter((c) => c.owner === m.name).map((c) => c.code).sort(), m.name).toEqual(declared);
    }
    // Anchors, so an empty catalogue cannot pass.
    expect(codes.find((c) => c.code === "case_illegal_transition")?.owner).toBe("cases");
    expect(codes.find((c) => c.code === "not_found")?.owner).toBe("platform");
    expect(codes.find((c) => c.code === "username_taken")?.owner).toBe("platform/auth");
  });

  it("defines every code the source throws, with a message in both languages", () => {
    const known = new Set(errorCodes().map((c) => c.code));
    const thrown = new Set<string>();
    for (const file of sourceFiles(srcDir)) {
      for (const m of readFileSync(file, "utf8").matchAll(/new AppError\(\s*"([a-z_]+)"/g)) thrown.add(m[1]!);
    }
    expect(thrown.size).toBeGreaterThan(40);
    expect([...thrown].filter((c) => !known.has(c))).toEqual([]);
    for (const code of known) {
      expect(formatMessage(code as ErrorCode, "zh-CN").length, code).toBeGreaterThan(0);
      expect(formatMessage(code as ErrorCode, "en").length, code).toBeGreaterThan(0);
    }
  });
});
