#!/usr/bin/env node
// npm test: typecheck, lint, generated-artefact drift, unit and database tests (PGlite, and
// PostgreSQL when TEST_DATABASE_URL is set), end-to-end in Chromium. Ends with one line
// "tests: N passed, M failed" counting unit/DB tests and e2e steps.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const run = (args, extra = {}) => spawnSync("npm", ["run", "-s", ...args], { cwd: root, stdio: "inherit", ...extra });

for (const step of ["typecheck", "lint", "check:generated", "check:engines"]) {
  const r = run([step]);
  if (r.status !== 0) {
    console.error(`test: ${step} failed`);
    console.log("tests: 0 passed, 1 failed");
    process.exit(1);
  }
}
if (!process.env.TEST_DATABASE_URL) console.log("test: TEST_DATABASE_URL is not set; database tests run on PGlite only");

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-test-")), "vitest.json");
const unit = spawnSync("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], { cwd: root, stdio: "inherit" });
let passed = 0;
let failed = 0;
try {
  const r = JSON.parse(fs.readFileSync(report, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  if (r.numTotalTests === 0) failed += 1;
} catch {
  failed += 1;
}
if (unit.status !== 0 && failed === 0) failed += 1;

const e2e = spawnSync("node", ["scripts/e2e.mjs"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
process.stdout.write(e2e.stdout);
// Each e2e script prints its own "e2e: N passed, M failed".
let e2eFailed = 0;
for (const m of (e2e.stdout ?? "").matchAll(/^e2e: (\d+) passed, (\d+) failed$/gm)) {
  passed += Number(m[1]);
  e2eFailed += Number(m[2]);
}
failed += e2eFailed;
if (e2e.status !== 0 && !/skipped/.test(e2e.stdout ?? "") && e2eFailed === 0) failed += 1;

console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
