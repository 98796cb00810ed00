/** Organizations: party organizations, co-building units, social organizations, posts. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { orgReaders } from "./policy.js";
import { orgErrors } from "./errors.js";
import { orgRoutes } from "./routes.js";
import { repointOrganizationsOnReshape } from "./manage.js";
import { plugPostHolderAreas } from "../people/index.js";
import { postHolderAreas } from "./post-areas.js";
import { orgsSearch } from "./search.js";

export const orgsModule: GongzhiModule = {
  name: "orgs",
  consoleSections: [{ key: "organizations", roles: orgReaders }],
  errors: orgErrors,
  routes: [{ plugin: orgRoutes }],
  search: orgsSearch,
  // Organizations: lists of posts, party members and cases name the body and scope by its area.
  readModels: ["organizations"],
  connect() {
    // People places a person recorded only for posts by the bodies of their posts: orgs answers.
    plugPostHolderAreas(postHolderAreas);
  },
  subscribe(bus) {
    bus.subscribe("area.gridsReshaped", "orgs", repointOrganizationsOnReshape);
  },
};

// For the tools (src/tools): bulk writes and reads of organizations, the kinds of organization.
export * from "./bulk.js";
export { orgKinds } from "./kinds.js";
// For other modules: organization names, departments, who may be summoned.
export { activeDepartments, isActiveDepartment, organizationNames, summonability, summonableDepartments } from "./reads.js";
