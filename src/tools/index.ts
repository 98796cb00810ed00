/**
 * The tools list: programs that sit beside the domain modules and use them only through their
 * public functions (each module's index.ts), never their tables. The demo street loader has no
 * routes; the ledgers (台账) import and export do, and the app registers them from this list (their
 * URLs are unchanged, under /api).
 */
import type { ModuleRoutes } from "../platform/module.js";
import { ledgersTool } from "./ledgers/index.js";
import { setupTool } from "./setup/index.js";

export interface GongzhiTool {
  /** The folder name under src/tools. */
  name: string;
  /** Route plugins, registered in this order. */
  routes: ModuleRoutes[];
  /** The module whose routes these follow (the order of the API document). */
  after: string;
}

export const tools: readonly GongzhiTool[] = [setupTool, ledgersTool];
