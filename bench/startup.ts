/**
 * startup: cold start of `gongzhi serve` (compiled) on the embedded database with the demo
 * street already loaded — time from spawn to the first healthy answer, and resident memory then
 * and after serving a map and a list — against a bare Fastify process in the same run.
 * Usage: npm run bench -- startup [runs=3]   (builds the server first if dist/ is missing)
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const runs = Number(process.argv[2] ?? 3);
const root = path.resolve(".");
if (!fs.existsSync(path.join(root, "dist/server/cli.js"))) execFileSync("npm", ["run", "-s", "build:server"], { stdio: "inherit" });

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function timeToHealthy(args: string[], env: Record<string, string>, after?: (base: string) => Promise<void>) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" }, stdio: "ignore" });
  let ms = 0;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) {
        ms = performance.now() - started;
        break;
      }
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const rssAtStart = rssMb(child.pid!);
  if (after) await after(base);
  const rssAfter = rssMb(child.pid!);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  return { ms, rssAtStart, rssAfter };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-startup-"));
const env = { GONGZHI_DATA_DIR: dataDir, DATABASE_URL: "", LOG_LEVEL: "silent", GONGZHI_DEMO: "auto" };
console.log("preparing: loading the demo street into a fresh embedded database…");
execFileSync(process.execPath, ["bin/gongzhi.js", "demo"], { env: { ...process.env, ...env }, stdio: "inherit" });

const exercise = async (base: string) => {
  const login = await fetch(`${base}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "streetadmin", password: "Gongzhi@2026" }) });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const roots = (await (await fetch(`${base}/api/areas/roots`, { headers: { cookie } })).json()) as { items: { id: string }[] };
  await (await fetch(`${base}/api/areas/${roots.items[0]!.id}/geojson`, { headers: { cookie } })).text();
  await (await fetch(`${base}/api/households?pageSize=50`, { headers: { cookie } })).text();
};

const ours: { ms: number; rssAtStart: number; rssAfter: number }[] = [];
const ref: { ms: number; rssAtStart: number; rssAfter: number }[] = [];
for (let i = 0; i < runs; i++) {
  ours.push(await timeToHealthy(["bin/gongzhi.js", "serve"], env, exercise));
  ref.push(await timeToHealthy(["bench/support/bare-server.mjs"], {}));
  console.log(`run ${i + 1}: gongzhi ${ours[i]!.ms.toFixed(0)} ms, RSS ${ours[i]!.rssAtStart.toFixed(0)} MB at start, ${ours[i]!.rssAfter.toFixed(0)} MB after a login, a map and a list; bare Fastify ${ref[i]!.ms.toFixed(0)} ms, RSS ${ref[i]!.rssAtStart.toFixed(0)} MB`);
}
fs.rmSync(dataDir, { recursive: true, force: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const oursMs = median(ours.map((r) => r.ms));
const refMs = median(ref.map((r) => r.ms));
console.log(`median resident memory: gongzhi ${median(ours.map((r) => r.rssAfter)).toFixed(0)} MB (after use), bare Fastify ${median(ref.map((r) => r.rssAtStart)).toFixed(0)} MB`);
console.log(`startup: ${oursMs.toFixed(0)} ms (RSS ${median(ours.map((r) => r.rssAtStart)).toFixed(0)} MB); reference ${refMs.toFixed(0)} ms (RSS ${median(ref.map((r) => r.rssAtStart)).toFixed(0)} MB); ratio ${(refMs / oursMs).toFixed(3)}`);
