import type { Config } from "../config.js";
import type { Database } from "../db/index.js";
import type { GridIndex } from "../../modules/areas/service.js";

/** What every route handler may reach: configuration, the database, shared in-memory indexes. */
export interface AppContext {
  config: Config;
  database: Database;
  gridIndex: GridIndex;
  version: string;
}

declare module "fastify" {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
