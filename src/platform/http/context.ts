import type { Config } from "../config.js";
import type { Database } from "../db/index.js";
import type { GridIndex } from "../../modules/areas/service.js";
import type { SessionCache } from "../auth/session-cache.js";
import type { DataKeyring } from "../pii/keys.js";

/** What every route handler may reach: configuration, the database, shared in-memory indexes. */
export interface AppContext {
  config: Config;
  database: Database;
  gridIndex: GridIndex;
  sessions: SessionCache;
  /** Keys of personal data at rest. */
  keyring: DataKeyring;
  version: string;
}

declare module "fastify" {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
