/** The composition root: configuration + database → the HTTP app with every module's routes. */
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "./platform/paths.js";
import { Type } from "typebox";
import { resolveKeyring, type Config } from "./platform/config.js";
import type { DataKeyring } from "./platform/pii/keys.js";
import { migrate, openDatabase, type Database } from "./platform/db/index.js";
import { buildServer, type App, type ServerOptions } from "./platform/http/server.js";
import { authRoutes } from "./platform/auth/routes.js";
import { areaRoutes } from "./modules/areas/routes.js";
import { peopleRoutes, personRoutes, redGridRoutes } from "./modules/people/routes.js";
import { orgRoutes } from "./modules/orgs/routes.js";
import { partyRoutes } from "./modules/people/party-routes.js";
import { placeRoutes } from "./modules/places/routes.js";
import { caseIntakeRoutes } from "./modules/cases/intake-routes.js";
import { caseRoutes } from "./modules/cases/routes.js";
import { catalogueRoutes } from "./modules/cases/catalogue-routes.js";
import { whistleRoutes } from "./modules/cases/whistle-routes.js";
import { ledgerRoutes } from "./modules/ledgers/routes.js";
import { liveRoutes } from "./modules/cases/live-routes.js";
import { webhookRoutes } from "./modules/cases/webhook-routes.js";
import { GridIndex } from "./modules/areas/service.js";
import { SessionCache } from "./platform/auth/session-cache.js";
import { startSealer } from "./platform/audit/sealer.js";
import { configureCaseTimers } from "./modules/cases/timers.js";
import { startTimerRunner } from "./modules/cases/timer-runner.js";
import { auditRoutes } from "./platform/audit/routes.js";
import { measureRoutes } from "./modules/measures/index.js";
import { open311Routes } from "./modules/open311/routes.js";
import { boardRoutes } from "./modules/cases/board-routes.js";

const packageJson = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
export const version = packageJson.version;

export async function buildApp(config: Config, database: Database, opts: ServerOptions & { keyring?: DataKeyring } = {}): Promise<App> {
  const keyring = opts.keyring ?? resolveKeyring(config).keyring;
  configureCaseTimers({ warningShare: config.caseWarningPercent / 100 });
  const app = await buildServer({ config, database, gridIndex: new GridIndex(), sessions: new SessionCache(config.sessionCacheMs), keyring, version }, opts);

  app.get(
    "/api/health",
    {
      schema: {
        tags: ["platform"],
        summary: "Liveness and database check",
        response: { 200: Type.Object({ status: Type.Literal("ok"), database: Type.String(), version: Type.String() }) },
      },
      config: { rateLimit: false },
    },
    async () => {
      await database.query("select 1");
      return { status: "ok" as const, database: database.kind, version };
    },
  );
  app.get(
    "/api/config",
    {
      schema: {
        tags: ["platform"],
        summary: "Public settings for the web app",
        response: { 200: Type.Object({ tileUrl: Type.Union([Type.String(), Type.Null()]), version: Type.String() }) },
      },
    },
    async () => ({ tileUrl: config.tileUrl ?? null, version }),
  );

  await app.register(authRoutes);
  await app.register(areaRoutes);
  await app.register(peopleRoutes);
  await app.register(personRoutes);
  await app.register(redGridRoutes);
  await app.register(ledgerRoutes);
  await app.register(auditRoutes);
  await app.register(orgRoutes);
  await app.register(partyRoutes);
  await app.register(placeRoutes);
  await app.register(caseIntakeRoutes);
  await app.register(caseRoutes);
  await app.register(liveRoutes);
  await app.register(webhookRoutes);
  await app.register(catalogueRoutes);
  await app.register(open311Routes, { prefix: "/open311" });
  await app.register(boardRoutes);
  await app.register(measureRoutes);
  await app.register(whistleRoutes);
  return app;
}

/** Opens the configured database (embedded PGlite under dataDir/pgdata, or PostgreSQL) and migrates it. */
export async function openConfiguredDatabase(config: Config): Promise<Database> {
  const database = config.databaseUrl
    ? await openDatabase({ url: config.databaseUrl })
    : await openDatabase({ dataDir: path.join(config.dataDir, "pgdata") });
  try {
    await database.query("select 1");
  } catch (e) {
    await database.close().catch(() => undefined);
    throw new DatabaseUnreachableError(config.databaseUrl ?? config.dataDir, e);
  }
  await migrate(database);
  return database;
}

/** The configured database did not answer; the message names where, never the password. */
export class DatabaseUnreachableError extends Error {
  constructor(target: string, cause: unknown) {
    let where = target;
    try {
      const u = new URL(target);
      where = `${u.hostname}:${u.port || "5432"}${u.pathname}`;
    } catch {
      /* a directory */
    }
    const c = cause as { code?: string; message?: string };
    super(`cannot reach the database at ${where} (${c.code ?? c.message ?? "no answer"}); check DATABASE_URL and that PostgreSQL is running`);
    this.name = "DatabaseUnreachableError";
  }
}

export { startSealer, startTimerRunner };
