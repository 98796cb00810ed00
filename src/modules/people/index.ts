/** People: persons, households, party members and registrations, red grids. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { peopleRoutes, personRoutes, redGridRoutes } from "./routes.js";
import { partyRoutes } from "./party-routes.js";
import { subscribeNotices } from "../../platform/notify/catalogue.js";
import { peopleNotices } from "./notices.js";

export const peopleModule: GongzhiModule = {
  name: "people",
  routes: [{ plugin: peopleRoutes }, { plugin: personRoutes }, { plugin: redGridRoutes }, { plugin: partyRoutes }],
  subscribe(bus) {
    subscribeNotices(bus, "people", peopleNotices);
  },
};

// For the tools (src/tools): bulk writes and reads of the registry, contact encryption, who reads households.
export * from "./bulk.js";
export { encryptContact } from "./persons.js";
export { householdClearReaders, householdReaders } from "./policy.js";
export { runRedGridAssignment } from "./red-grid-service.js";
