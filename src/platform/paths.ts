/** Where the package's own files are, whether we run from src/ (tsx) or dist/server/ (compiled). */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "migrations"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find the Gongzhi package root (package.json with migrations/)");
    dir = parent;
  }
}

export const packageRoot = findRoot();
