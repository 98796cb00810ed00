#!/usr/bin/env node
// The walls between modules, counted: module-to-module import statements (and how many reach past
// a module's index.ts), platform → modules imports, SQL writes to another module's tables, SQL
// reads of another module's tables (published read models / unpublished), and cycles between modules. Run: node scripts/walls-report.mjs  (add --list for every offender)
// The counting lives in src/test-support/walls.ts, shared with src/modules/walls.test.ts.
import { register } from "tsx/esm/api";

register();
const w = await import("../src/test-support/walls.ts");
const list = process.argv.includes("--list");
const held = w.moduleNames().filter((m) => !w.temporaryExceptions.includes(m));

const imports = held.flatMap((m) => w.crossImports(m));
const pastIndex = imports.filter((i) => i.target !== "index.ts");
const platform = w.platformImportsOfModules();
const writes = held.flatMap((m) => w.foreignWrites(m));
const cycles = w.moduleCycles(held);
const reads = held.flatMap((m) => w.foreignReads(m).map((r) => ({ ...r, from: m })));
const unpublished = reads.filter((r) => !r.published);
/** "from->owner n" pairs, for the one-line summary. */
const byPair = (list) => Object.entries(list.reduce((acc, r) => ({ ...acc, [`${r.from}->${r.owner}`]: (acc[`${r.from}->${r.owner}`] ?? 0) + 1 }), {})).map(([k, n]) => `${k} ${n}`).join(", ");

console.log(`modules held to the walls: ${held.join(", ")}`);
console.log(`module-to-module import statements: ${imports.length} (past index.ts: ${pastIndex.length})`);
console.log(`platform -> modules import statements: ${platform.length}`);
console.log(`SQL writes to another owner's tables: ${writes.length}`);
console.log(`SQL reads of another module's tables: ${reads.length} (published read models: ${reads.length - unpublished.length}; unpublished: ${unpublished.length}${unpublished.length ? ` — ${byPair(unpublished)}` : ""})`);
console.log(`cycles between modules: ${cycles.length}${cycles.length ? ` (${cycles.map((c) => c.join(" <-> ")).join("; ")})` : ""}`);
if (list) {
  for (const i of pastIndex) console.log(`  import  ${i.file}:${i.line} -> ${i.to}/${i.target}`);
  for (const p of platform) console.log(`  platform ${p.file}:${p.line} -> ${p.specifier}`);
  for (const x of writes) console.log(`  write   ${x.file}:${x.line} ${x.statement} (${x.owner})`);
  for (const r of unpublished) console.log(`  read    ${r.file}:${r.line} ${r.statement} (${r.owner}, unpublished)`);
}
