#!/usr/bin/env node
// npm run bench -- <name> [args]: runs bench/<name>.ts, which prints its figures and ends with
// "<name>: <figure> <unit>; reference <figure> <unit>; ratio <r>".
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const [name, ...rest] = process.argv.slice(2);
const available = fs.readdirSync(path.join(root, "bench")).filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(", ")}`);
  process.exit(2);
}
const r = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "bench", `${name}.ts`), ...rest], { stdio: "inherit", cwd: root });
process.exit(r.status ?? 1);
