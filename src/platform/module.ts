/**
 * The module contract. Each domain module exports one `GongzhiModule` from its `index.ts`, and the
 * module list (src/modules/index.ts) is the only place that names them all: the app registers
 * their routes from it and the event bus takes their subscriptions from it.
 *
 * A module's `index.ts` is also the only file other modules may import from it: its public
 * functions, policies, error codes and event types. Everything else in its folder is internal.
 */
import type { FastifyPluginAsync } from "fastify";
import type { EventBus } from "./events/index.js";
import type { LiveTopic } from "./notify/live.js";
import type { ErrorDef } from "./errors.js";
import type { ConsoleSection } from "./console-sections.js";
import type { Config } from "./config.js";
import type { Database, Db } from "./db/index.js";
import type { TodoProvider } from "./home/todos.js";
import type { SearchProvider } from "./search/index.js";

export interface ModuleRoutes {
  // Fastify plugins of this app are typed by its own App type; the list only needs to register them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  plugin: FastifyPluginAsync<any> | ((app: any, opts: any) => Promise<void>);
  /** URL prefix, when the module's routes are not under /api (Open311). */
  prefix?: string;
  /**
   * Under `prefix`, a run of slashes in the path is read as one (`/open311/v2//services.xml`):
   * for a standard whose clients join a discovered base URL and a method path themselves (Open311).
   * Routing stays exact otherwise; /api never gets this.
   */
  collapseSlashes?: boolean;
}

/** What a background job is started with by `gongzhi serve`. */
export interface JobContext {
  database: Database;
  config: Config;
  /** Told of an error the job survives (it keeps running); `detail` names what failed, never personal data. */
  onError: (error: unknown, detail?: object) => void;
}

/** A job a module runs in the server process while it serves (cases: the timer runner). */
export interface ModuleJob {
  name: string;
  start(ctx: JobContext): { stop(): Promise<void> };
}

export interface GongzhiModule {
  /** The folder name under src/modules. */
  name: string;
  /** Route plugins, registered in this order. */
  routes: ModuleRoutes[];
  /** The console's menu entries whose pages this module serves, with the roles that open them. */
  consoleSections?: readonly ConsoleSection[];
  /**
   * 待办: the actor's to-dos this module holds (cases waiting for their step, summons, registrations to
   * confirm …), each with its count and the link to the list showing exactly those; one query. The
   * console home (GET /api/home/todos) collects them in the module list's order.
   */
  todos?: TodoProvider;
  /** The error codes this module defines (its errors.ts, `defineErrors`). */
  errors?: Readonly<Record<string, ErrorDef>>;
  /**
   * Tables of this module's schema.ts that other modules may read in SQL (`from x`, `join x`): the
   * trees that scope and label other modules' lists — areas, the address tree, organizations —
   * so such a list stays one query. Any other table is read only through this module's public
   * functions (docs/decisions/007-module-walls.md, "Read models"; checked by src/modules/walls.test.ts).
   */
  readModels?: readonly string[];
  /** Live channels of this module on the SSE stream (cases: case steps). */
  liveTopics?: LiveTopic[];
  /** Takes the settings this module reads from the configuration (called by buildApp, before routes). */
  configure?(config: Config): void;
  /** Brings the database up to what this module needs at start (cases: the default catalogue), after migrations. */
  prepare?(db: Db): Promise<void>;
  /** What this module lets the search box find (persons, cases…), within the asker's scope (platform/search). */
  search?: SearchProvider;
  /** Background jobs, started by `gongzhi serve` after `prepare` and stopped on shutdown. */
  jobs?: ModuleJob[];
  /**
   * Plugs this module's implementations into the ports of the modules it builds on (people answers
   * areas' grid staff port for residents), so that a lower module never imports a higher one.
   * Called once by the module list, before `subscribe`.
   */
  connect?(): void;
  /** Subscribes this module's handlers to other modules' events (called once, by the module list). */
  subscribe?(bus: EventBus): void;
}
