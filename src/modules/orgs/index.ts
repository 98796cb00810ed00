/** Organizations: party organizations, co-building units, social organizations, posts. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { orgRoutes } from "./routes.js";

export const orgsModule: GongzhiModule = { name: "orgs", routes: [{ plugin: orgRoutes }] };

// For the tools (src/tools): bulk writes and reads of organizations, the kinds of organization.
export * from "./bulk.js";
export { orgKinds } from "./kinds.js";
