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
import { userAdminRoutes } from "./platform/auth/admin-routes.js";
import { modules } from "./modules/index.js";
import { tools } from "./tools/index.js";
import { GridIndex } from "./modules/areas/index.js";
import { SessionCache } from "./platform/auth/session-cache.js";
import { startSealer } from "./platform/audit/sealer.js";
import { auditRoutes } from "./platform/audit/routes.js";
import { liveRoutes } from "./platform/notify/routes.js";
import { webhookRoutes } from "./platform/notify/webhook-routes.js";
import { homeRoutes } from "./platform/home/routes.js";
import { searchRoutes } from "./platform/search/routes.js";

const packageJson = JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string };
export const version = packageJson.version;

export async function buildApp(config: Config, database: Database, opts: ServerOptions & { keyring?: DataKeyring } = {}): Promise<App> {
  const keyring = opts.keyring ?? resolveKeyring(config).keyring;
  for (const m of modules) m.configure?.(config);
  const collapseSlashesUnder = modules.flatMap((m) => m.routes.flatMap((r) => (r.collapseSlashes && r.prefix ? [r.prefix] : [])));
  const app = await buildServer(
    { config, database, gridIndex: new GridIndex(), sessions: new SessionCache(config.sessionCacheMs), keyring, version },
    { ...opts, collapseSlashesUnder },
  );

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
        response: {
          200: Type.Object({
            version: Type.String(),
            map: Type.Object(
              {
                provider: Type.Union([Type.Literal("none"), Type.Literal("tianditu"), Type.Literal("xyz")]),
                layers: Type.Array(Type.Object({ url: Type.String(), subdomains: Type.Array(Type.String()) }), { description: "tile layers, bottom first; empty offline" }),
                datum: Type.Union([Type.Literal("wgs84"), Type.Literal("gcj02")], { description: "the datum the tiles are drawn in; stored points are WGS-84 and shifted for display" }),
                attribution: Type.String({ description: "plain text" }),
                maxZoom: Type.Integer(),
              },
              { description: "the map's tile provider (GONGZHI_MAP_TILES …); provider none: the maps draw the registry's own shapes only" },
            ),
          }),
        },
      },
    },
    async () => ({
      version,
      map: config.mapTiles
        ? { provider: config.mapTiles.provider, layers: config.mapTiles.layers, datum: config.mapTiles.datum, attribution: config.mapTiles.attribution, maxZoom: config.mapTiles.maxZoom }
        : { provider: "none" as const, layers: [], datum: "wgs84" as const, attribution: "", maxZoom: 20 },
    }),
  );

  await app.register(authRoutes);
  await app.register(userAdminRoutes);
  await app.register(auditRoutes);
  await app.register(liveRoutes, { topics: modules.flatMap((m) => m.liveTopics ?? []) });
  await app.register(webhookRoutes);
  await app.register(homeRoutes, { providers: modules.flatMap((m) => (m.todos ? [m.todos] : [])) });
  await app.register(searchRoutes, { providers: modules.flatMap((m) => (m.search ? [m.search] : [])) });
  // A tool's routes follow the module it names (`after`), keeping the API document's order.
  for (const t of tools) if (!modules.some((m) => m.name === t.after)) throw new Error(`tool ${t.name}: no module ${t.after} to follow`);
  const routeOwners = modules.flatMap((m) => [m, ...tools.filter((t) => t.after === m.name)]);
  for (const m of routeOwners) for (const r of m.routes) await app.register(r.plugin, r.prefix ? { prefix: r.prefix } : {});
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

export { startSealer };
