/** Organizations: party organizations, co-building units, social organizations, posts. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { orgRoutes } from "./routes.js";
import { repointOrganizationsOnReshape } from "./manage.js";

export const orgsModule: GongzhiModule = {
  name: "orgs",
  routes: [{ plugin: orgRoutes }],
  subscribe(bus) {
    bus.subscribe("area.gridsReshaped", "orgs", repointOrganizationsOnReshape);
  },
};
