import type { Config } from "../config.js";
import type { Database } from "../db/index.js";
import type { SessionCache } from "../auth/session-cache.js";
import type { DataKeyring } from "../pii/keys.js";

/**
 * Shared in-memory indexes that modules keep (the areas module's grid index). Each module declares
 * its own by augmenting this interface, so platform names no module:
 *
 *     declare module "../../platform/http/context.js" { interface AppIndexes { gridIndex: GridIndex } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface AppIndexes {}

/** What every route handler may reach: configuration, the database, shared in-memory indexes. */
export interface AppContext extends AppIndexes {
  config: Config;
  database: Database;
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
