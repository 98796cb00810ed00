/** The app run in-process against a real database, driven with `inject` (no sockets). */
import type { LightMyRequestResponse } from "fastify";
import { buildApp } from "../app.js";
import { loadConfig } from "../platform/config.js";
import type { Database } from "../platform/db/index.js";
import type { App } from "../platform/http/server.js";
import type { TestEngine } from "./databases.js";
import { generateDataKeysValue, parseDataKeys, type DataKeyring } from "../platform/pii/keys.js";
import { generateAuditSigningKey, type AuditSigner } from "../platform/audit/signing.js";
import { testPassword } from "./factories.js";

export interface Session {
  cookie: string;
  csrf: string;
}

export interface TestApp {
  app: App;
  database: Database;
  keyring: DataKeyring;
  /** The app's audit signing key: seal with `sealPending(t.database.db, { signer: t.auditSigner })`. */
  auditSigner: AuditSigner;
  login(username: string, password?: string): Promise<Session>;
  /** A request as a logged-in user; writes carry the CSRF token. */
  as(session: Session | null, method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, body?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestApp(engine: TestEngine, env: Record<string, string> = {}, opts: { logStream?: { write(line: string): void } } = {}): Promise<TestApp> {
  const database = await engine.open();
  // Tests edit sessions in the database directly, so the session cache is off unless a test turns it on.
  const config = loadConfig({
    LOG_LEVEL: "silent",
    GONGZHI_RATE_LIMIT_PER_MINUTE: "100000",
    GONGZHI_SESSION_CACHE_MS: "0",
    GONGZHI_AUDIT_SIGNING_KEY: generateAuditSigningKey(),
    ...env,
  });
  const keyring = parseDataKeys(generateDataKeysValue());
  // With a log stream (a test reading the server's log), log lines go there at the configured level.
  const app = await buildApp(config, database, opts.logStream ? { logStream: opts.logStream, keyring } : { logger: false, keyring });
  await app.ready();
  const t: TestApp = {
    app,
    database,
    keyring,
    auditSigner: config.auditSigner!,
    async login(username, password = testPassword) {
      const res = await app.inject({ method: "POST", url: "/api/auth/login", payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const setCookie = res.cookies.find((c) => c.name === "gz_session");
      return { cookie: `gz_session=${setCookie!.value}`, csrf: res.json<{ csrfToken: string }>().csrfToken };
    },
    async as(session, method, url, body) {
      const headers: Record<string, string> = {};
      if (session) {
        headers.cookie = session.cookie;
        if (method !== "GET") headers["x-csrf-token"] = session.csrf;
      }
      return app.inject({ method, url, headers, ...(body !== undefined ? { payload: body as object } : {}) });
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
  return t;
}
