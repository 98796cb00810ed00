#!/usr/bin/env node
// Fails when the Drizzle schema has changed without a committed migration: generates into a
// scratch copy of migrations/ and checks that nothing new appears.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
// drizzle-kit takes --out relative to the project, so the scratch copy lives inside it.
const scratchName = `.migrations-check-${process.pid}`;
const scratch = path.join(root, scratchName);
fs.rmSync(scratch, { recursive: true, force: true });
fs.cpSync(path.join(root, "migrations"), scratch, { recursive: true });
const before = new Set(fs.readdirSync(scratch));
try {
  execFileSync(
    path.join(root, "node_modules/.bin/drizzle-kit"),
    ["generate", "--dialect", "postgresql", "--schema", "./src/schema.ts", "--out", scratchName, "--name", "drift"],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  const added = fs.readdirSync(scratch).filter((f) => !before.has(f));
  if (added.length > 0) {
    console.error(`migrations: the schema changed without a migration (${added.join(", ")}); run npm run db:generate and commit it`);
    process.exitCode = 1;
  } else {
    console.log("migrations: schema and committed migrations agree");
  }
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
