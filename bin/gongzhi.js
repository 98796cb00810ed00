#!/usr/bin/env node
// The `gongzhi` command: runs the compiled command line (npm run build compiles it to dist/server).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, "..", "dist", "server", "cli.js");
if (!fs.existsSync(cli)) {
  process.stderr.write("gongzhi: the server is not built yet; run `npm run build` first\n");
  process.exit(1);
}
await import(cli);
