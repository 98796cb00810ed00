/**
 * http: requests/s and p99 of an authenticated, scope-filtered read route (a street admin
 * listing a community's households: session lookup, grants, scope filter in SQL, masking)
 * against a bare Fastify route serving a JSON body of the same size, in the same run.
 * Embedded database by default; set DATABASE_URL to measure on PostgreSQL.
 * Usage: npm run bench -- http [seconds=10] [connections=10]
 */
import Fastify from "fastify";
import { buildApp } from "../src/app.js";
import { loadConfig } from "../src/platform/config.js";
import { migrate, openDatabase } from "../src/platform/db/index.js";
import { loadDemoStreet } from "../src/tools/demo/index.js";
import { fmt, runLoad } from "./support/load.js";
import { generateDataKeysValue, parseDataKeys } from "../src/platform/pii/keys.js";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 10);
const url = process.env.DATABASE_URL || undefined;

const database = await openDatabase({ url });
await migrate(database);
const keyring = parseDataKeys(generateDataKeysValue());
await loadDemoStreet(database, { reset: true, keyring });
const config = loadConfig({ LOG_LEVEL: "silent", GONGZHI_RATE_LIMIT_PER_MINUTE: "1000000" });
const app = await buildApp(config, database, { logger: false, keyring });
const ourAddress = await app.listen({ port: 0, host: "127.0.0.1" });

const login = await fetch(`${ourAddress}/api/auth/login`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username: "streetadmin", password: "Gongzhi@2026" }),
});
if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
const [community] = await database.query<{ id: string; name: string }>("select id, name from areas where level = 'community' order by code limit 1");
const route = `/api/households?areaId=${community!.id}&pageSize=20`;
const sample = await fetch(`${ourAddress}${route}`, { headers: { cookie } });
const body = await sample.text();
if (!sample.ok) throw new Error(`route failed: ${sample.status} ${body}`);

const bare = Fastify({ logger: false });
const payload = JSON.parse(body) as unknown;
bare.get("/bare", async () => payload);
const bareAddress = await bare.listen({ port: 0, host: "127.0.0.1" });

console.log(`database: ${database.kind}; route: GET /api/households?areaId=<${community!.name}>&pageSize=20 (${body.length} bytes); ${connections} connections × ${seconds} s`);
// Warm both up before measuring.
await runLoad(`${ourAddress}${route}`, { seconds: 2, connections, headers: { cookie } });
await runLoad(`${bareAddress}/bare`, { seconds: 2, connections });
const ours = await runLoad(`${ourAddress}${route}`, { seconds, connections, headers: { cookie } });
const ref = await runLoad(`${bareAddress}/bare`, { seconds, connections });
console.log(`ours:      ${fmt(ours.requestsPerSecond)} req/s, p50 ${ours.p50} ms, p99 ${ours.p99} ms, ${ours.total} requests, ${ours.errors} errors, ${ours.non2xx} non-2xx`);
console.log(`reference: ${fmt(ref.requestsPerSecond)} req/s, p50 ${ref.p50} ms, p99 ${ref.p99} ms, ${ref.total} requests, ${ref.errors} errors, ${ref.non2xx} non-2xx`);
await app.close();
await bare.close();
await database.close();
if (ours.non2xx > 0 || ours.errors > 0) console.log("WARNING: our route answered errors during the run; figures are not valid");
console.log(`http: ${fmt(ours.requestsPerSecond)} req/s (p99 ${ours.p99} ms); reference ${fmt(ref.requestsPerSecond)} req/s (p99 ${ref.p99} ms); ratio ${fmt(ours.requestsPerSecond / ref.requestsPerSecond, 3)}`);
