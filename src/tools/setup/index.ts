/** First-run setup (首次设置): the system administrator and the jurisdiction, by web page or command line. A tool: see README.md. */
import type { GongzhiTool } from "../index.js";
import { setupRoutes } from "./routes.js";

export const setupTool: GongzhiTool = { name: "setup", routes: [{ plugin: setupRoutes }], after: "areas" };
export { runSetup, type SetupInput, type SetupResult } from "./service.js";
