/**
 * The walls between modules, measured from the source: which tables each module owns (the
 * `pgTable` names of its schema.ts; platform's tables belong to platform), which SQL in a module
 * inserts, updates or deletes a table another owner has, which SQL reads (`from x`, `join x`) a
 * table another module owns, and which imports cross from one module into another. Used by
 * src/modules/walls.test.ts (which fails on any foreign write, and on any foreign read of a table
 * its owner has not published as a read model) and by scripts/walls-report.mjs (before/after figures).
 *
 * Test files are left out: a test may build its fixtures in any table.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modulesDir = join(srcDir, "modules");
const platformDir = join(srcDir, "platform");

/**
 * Folders of src/modules that are not held to the walls. None: demo and ledgers moved to src/tools,
 * where they create and read data only through the modules' public functions.
 */
export const temporaryExceptions: readonly string[] = [];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const isTest = (file: string) => file.endsWith(".test.ts");

/** The module folders under src/modules (every folder, exceptions included). */
export function moduleNames(): string[] {
  return readdirSync(modulesDir).filter((n) => statSync(join(modulesDir, n)).isDirectory());
}

/** Non-test source files of a module. */
export function moduleFiles(module: string): string[] {
  return walk(join(modulesDir, module)).filter((f) => !isTest(f));
}

export interface TableOwner {
  /** "areas", "people", … or "platform/auth" for platform's tables. */
  owner: string;
  /** SQL name. */
  table: string;
  /** The Drizzle variable that holds it (`export const householdMoves = pgTable("household_moves", …)`). */
  variable: string;
}

function tablesIn(file: string, owner: string): TableOwner[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/export const (\w+)\s*=\s*pgTable\(\s*"([a-z0-9_]+)"/g)].map((m) => ({ owner, variable: m[1]!, table: m[2]! }));
}

/** Every table with its owner: each module's schema.ts, and platform's schema files. */
export function tableOwners(): TableOwner[] {
  const fromModules = moduleNames().flatMap((m) => walk(join(modulesDir, m)).filter((f) => f.endsWith(`${sep}schema.ts`)).flatMap((f) => tablesIn(f, m)));
  const fromPlatform = walk(platformDir)
    .filter((f) => f.endsWith(`${sep}schema.ts`))
    .flatMap((f) => tablesIn(f, `platform/${relative(platformDir, dirname(f)).split(sep).join("/")}`));
  return [...fromModules, ...fromPlatform];
}

export interface ForeignWrite {
  file: string;
  line: number;
  table: string;
  owner: string;
  statement: string;
}

/** The text inside template literals (where this code base writes its SQL), other text blanked, line breaks kept. */
function templateText(text: string): string {
  let out = "";
  let inTemplate = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "`" && text[i - 1] !== "\\") {
      inTemplate = !inTemplate;
      out += " ";
      continue;
    }
    out += inTemplate || c === "\n" ? c : " ";
  }
  return out;
}

const lineOf = (text: string, index: number) => text.slice(0, index).split("\n").length;

/** Writes in `module`'s files to tables owned by anyone else. */
export function foreignWrites(module: string): ForeignWrite[] {
  const owners = tableOwners();
  const byTable = new Map(owners.map((o) => [o.table, o]));
  const byVariable = new Map(owners.map((o) => [o.variable, o]));
  const found: ForeignWrite[] = [];
  for (const file of moduleFiles(module)) {
    const text = readFileSync(file, "utf8");
    const rel = relative(srcDir, file).split(sep).join("/");
    const sqlText = templateText(text);
    for (const m of sqlText.matchAll(/\b(insert\s+into|update|delete\s+from|merge\s+into)\s+([a-z_][a-z0-9_]*)/gi)) {
      const o = byTable.get(m[2]!.toLowerCase());
      if (o && o.owner !== module) found.push({ file: rel, line: lineOf(text, m.index), table: o.table, owner: o.owner, statement: m[0].replace(/\s+/g, " ") });
    }
    for (const m of text.matchAll(/\.(insert|update|delete)\(\s*(\w+)\s*\)/g)) {
      const o = byVariable.get(m[2]!);
      if (o && o.owner !== module) found.push({ file: rel, line: lineOf(text, m.index), table: o.table, owner: o.owner, statement: m[0] });
    }
  }
  return found;
}

/**
 * The tables a module publishes as a read model (`readModels: ["areas"]` on the GongzhiModule in
 * its index.ts): other modules may join them in SQL. Read from the source like the tables, so the
 * report runs without loading the app; walls.test.ts checks it against the module list.
 */
export function readModelsOf(module: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(modulesDir, module, "index.ts"), "utf8");
  } catch {
    return [];
  }
  const m = /\breadModels:\s*\[([^\]]*)\]/.exec(text);
  return m ? [...m[1]!.matchAll(/"([a-z0-9_]+)"/g)].map((x) => x[1]!) : [];
}

export interface ForeignRead {
  file: string;
  line: number;
  table: string;
  owner: string;
  statement: string;
  /** The owner publishes the table as a read model (allowed). */
  published: boolean;
}

/**
 * Raw SQL reads (`from x`, `join x` inside template literals) in `module`'s files of a table owned
 * by another module (platform's tables are read through platform and not counted). Drizzle reads
 * (`.from(t)`, `.innerJoin(t, …)`) need the owner's schema.ts imported, which dependency-cruiser
 * already refuses (`module-internals`). `delete from x` is a write, counted by foreignWrites.
 */
export function foreignReads(module: string, files: readonly string[] = moduleFiles(module)): ForeignRead[] {
  const owners = tableOwners().filter((o) => !o.owner.startsWith("platform/"));
  const byTable = new Map(owners.map((o) => [o.table, o]));
  const published = new Map<string, string[]>();
  const found: ForeignRead[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const rel = relative(srcDir, file).split(sep).join("/");
    const sqlText = templateText(text);
    for (const m of sqlText.matchAll(/\b(delete\s+)?(from|join)\s+([a-z_][a-z0-9_]*)/gi)) {
      if (m[1]) continue;
      const o = byTable.get(m[3]!.toLowerCase());
      if (!o || o.owner === module) continue;
      if (!published.has(o.owner)) published.set(o.owner, readModelsOf(o.owner));
      found.push({
        file: rel,
        line: lineOf(text, m.index),
        table: o.table,
        owner: o.owner,
        statement: m[0].replace(/\s+/g, " "),
        published: published.get(o.owner)!.includes(o.table),
      });
    }
  }
  return found;
}

export interface CrossImport {
  file: string;
  line: number;
  from: string;
  to: string;
  /** The imported file inside `to`, e.g. "schema.ts" or "index.ts". */
  target: string;
}

/** Import statements (and re-exports) in `module`'s non-test files that reach into another module. */
export function crossImports(module: string): CrossImport[] {
  const found: CrossImport[] = [];
  for (const file of moduleFiles(module)) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gm)) {
      const target = resolve(dirname(file), m[1]!);
      const rel = relative(modulesDir, target).split(sep);
      if (rel[0] === ".." || rel.length < 2 || rel[0] === module) continue;
      const name = relative(srcDir, file).split(sep).join("/");
      found.push({ file: name, line: lineOf(text, m.index), from: module, to: rel[0]!, target: rel.slice(1).join("/").replace(/\.js$/, ".ts") });
    }
  }
  return found;
}

/** Import statements in platform's non-test files that reach into src/modules. */
export function platformImportsOfModules(): { file: string; line: number; specifier: string }[] {
  return walk(platformDir)
    .filter((f) => !isTest(f))
    .flatMap((file) => {
      const text = readFileSync(file, "utf8");
      return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)"/gm)]
        .filter((m) => !relative(modulesDir, resolve(dirname(file), m[1]!)).startsWith(".."))
        .map((m) => ({ file: relative(srcDir, file).split(sep).join("/"), line: lineOf(text, m.index), specifier: m[1]! }));
    });
}

/** Pairs of modules that import each other, directly or through others (each cycle's members, sorted). */
export function moduleCycles(modules: readonly string[]): string[][] {
  const edges = new Map(modules.map((m) => [m, new Set(crossImports(m).map((i) => i.to).filter((t) => modules.includes(t)))]));
  // Strongly connected components (Tarjan) of the module graph; each with more than one module is a cycle.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) components.push(c.sort());
    }
  };
  for (const m of modules) if (!idx.has(m)) visit(m);
  return components;
}
