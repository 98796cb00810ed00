#!/usr/bin/env node
// End-to-end tests in Debian's Chromium: builds the platform, starts it on a fresh embedded
// database with the demo street, runs every test/e2e/*.e2e.mjs against it, stops it. A file named
// *.fresh.e2e.mjs gets a server of its own on an empty database without the demo (GONGZHI_DEMO=off),
// for flows that start from nothing; its log is a file the test may read (E2E_SERVER_LOG), as an
// operator reads the console of a server they just started.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!fs.existsSync(chromium)) {
  if (process.env.CI) {
    console.error(`e2e: ${chromium} is missing; .ci/run installs it (apt-get install -y chromium)`);
    process.exit(1);
  }
  console.log(`e2e: skipped, ${chromium} is not installed (apt-get install -y chromium)`);
  process.exit(0);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

if (!process.env.E2E_SKIP_BUILD) {
  console.log("e2e: building…");
  execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
}
/**
 * Starts a server on a fresh embedded database. It writes its log straight into a file (no pipe
 * through this process, which blocks while a script runs), which the scripts may read
 * (E2E_SERVER_LOG): the setup code and, with GONGZHI_SMS=log, a sign-up's SMS code are written
 * there, as an operator or a developer would read them — no test-only route.
 */
async function startServer({ demo }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-e2e-"));
  const logFile = path.join(dataDir, "server.log");
  const logFd = fs.openSync(logFile, "a");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // Every e2e file drives one server from one address, faster than people click: the per-client
  // limits are raised so a busy minute of scripted steps is not mistaken for abuse.
  const server = spawn(process.execPath, [path.join(root, "bin/gongzhi.js"), "serve"], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      GONGZHI_DATA_DIR: path.join(dataDir, "data"),
      DATABASE_URL: "",
      LOG_LEVEL: "info",
      GONGZHI_DEMO: demo ? "auto" : "off",
      GONGZHI_SMS: "log",
      GONGZHI_LOGIN_RATE_LIMIT_PER_MINUTE: "500",
      GONGZHI_RATE_LIMIT_PER_MINUTE: "6000",
    },
    stdio: ["ignore", logFd, logFd],
  });
  fs.closeSync(logFd);
  const state = { server, base, dataDir, logFile };
  await waitForHealth(state);
  return state;
}

async function stopServer(state) {
  if (!state) return;
  if (state.server.exitCode === null) {
    state.server.kill("SIGTERM");
    await new Promise((r) => state.server.once("exit", r));
  }
  fs.rmSync(state.dataDir, { recursive: true, force: true });
}

async function waitForHealth(state) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (state.server.exitCode !== null) throw new Error(`server exited (${state.server.exitCode}):\n${fs.readFileSync(state.logFile, "utf8")}`);
    try {
      const res = await fetch(`${state.base}/api/health`);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not become healthy:\n${fs.readFileSync(state.logFile, "utf8").slice(-4000)}`);
}

let failed = 0;
let passed = 0;
let demoServer;
try {
  const dir = path.join(root, "test/e2e");
  // E2E_ONLY=cases-pages,places runs just those files (names without .e2e.mjs), for working on one page.
  const only = (process.env.E2E_ONLY ?? "").split(",").map((x) => x.trim()).filter(Boolean);
  const nameOf = (x) => x.replace(/(\.fresh)?\.e2e\.mjs$/, "");
  const files = fs.readdirSync(dir).filter((x) => x.endsWith(".e2e.mjs") && (only.length === 0 || only.includes(nameOf(x))));
  if (files.length === 0) throw new Error(`no e2e file matches E2E_ONLY=${process.env.E2E_ONLY}`);
  for (const f of files.sort()) {
    const fresh = f.endsWith(".fresh.e2e.mjs");
    let own;
    console.log(`e2e: ${f}${fresh ? " (own server, no demo)" : ""}`);
    try {
      let state;
      if (fresh) state = own = await startServer({ demo: false });
      else state = demoServer ??= await startServer({ demo: true });
      execFileSync(process.execPath, [path.join(dir, f)], { stdio: "inherit", env: { ...process.env, E2E_BASE_URL: state.base, E2E_SERVER_LOG: state.logFile }, timeout: 300_000 });
      passed++;
    } catch (e) {
      failed++;
      if (!e?.status) console.error(`e2e: ${e?.message ?? e}`);
      console.error(`e2e: ${f} FAILED`);
    } finally {
      await stopServer(own);
    }
  }
} catch (e) {
  failed++;
  console.error(`e2e: ${e.message}`);
} finally {
  await stopServer(demoServer);
}
console.log(`e2e files: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
