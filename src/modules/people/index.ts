/** People: persons, households, party members and registrations, red grids. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { partyReaders, redGridReaders } from "./policy.js";
import { peopleErrors } from "./errors.js";
import { peopleRoutes, personRoutes, redGridRoutes } from "./routes.js";
import { partyRoutes } from "./party-routes.js";
import { registrationTodos } from "./party-registrations.js";
import { subscribeNotices } from "../../platform/notify/catalogue.js";
import { peopleNotices } from "./notices.js";
import { moveHouseholdsOfBuilding, moveHouseholdsOnReshape } from "./grid-moves.js";
import { plugAreaResidents } from "../areas/index.js";
import { areaResidents } from "./area-residents.js";
import { plugPlaceOccupants } from "../places/index.js";
import { placeOccupants } from "./place-occupants.js";
import { plugUserPersons } from "../../platform/auth/persons-port.js";
import { userPersons } from "./user-persons.js";
import { peopleSearch } from "./search.js";

export type { HouseholdMoveCause, HouseholdsMoved } from "./events.js";

export const peopleModule: GongzhiModule = {
  name: "people",
  consoleSections: [
    // 红色网格: every staff role but departments; 党员管理 and 双找登记: the party registry's readers.
    { key: "redGrid", roles: redGridReaders },
    { key: "partyMembers", roles: partyReaders },
    { key: "partyRegistrations", roles: partyReaders },
  ],
  errors: peopleErrors,
  todos: registrationTodos,
  routes: [{ plugin: peopleRoutes }, { plugin: personRoutes }, { plugin: redGridRoutes }, { plugin: partyRoutes }],
  search: peopleSearch,
  connect() {
    // Grid staff (areas) shows and offers residents: people answers for its persons and policy.
    plugAreaResidents(areaResidents);
    // Places shows and counts the households living in its dwellings: people answers.
    plugPlaceOccupants(placeOccupants);
    // User administration (platform) links a login to a registry person: people answers whether it may.
    plugUserPersons(userPersons);
  },
  subscribe(bus) {
    subscribeNotices(bus, "people", peopleNotices);
    // Households (and their persons and red grid links) change grid in one place: grid-moves.ts.
    bus.subscribe("building.moved", "people", moveHouseholdsOfBuilding);
    bus.subscribe("area.gridsReshaped", "people", moveHouseholdsOnReshape);
  },
};

export { householdPolicy, householdReaders, householdClearReaders, personPolicy, type HouseholdRecord, type PersonRecord } from "./policy.js";
export { createPostOnlyPerson, encryptContact, loadPersonRecord, loadPersonRecords } from "./persons.js";
export { gridPersonById, gridPersonsByIdNumberHash, type GridPerson } from "./reads.js";
export { partyMemberCounts, personSummaries, type PersonSummary } from "./reads.js";
// The port through which people places post-only persons by their posts' bodies; orgs plugs it in (connect()).
export { plugPostHolderAreas, type PostHolderAreas } from "./post-areas-port.js";

// For the tools (src/tools): bulk writes and reads of the registry.
export * from "./bulk.js";
export { runRedGridAssignment } from "./red-grid-service.js";

// For the command line (`gongzhi keys rotate`).
export { rotatePersonKeys } from "./persons.js";
export { rotateRegistrationKeys } from "./party-registrations.js";

// For resident accounts (accounts): invitation households, their members, registry candidates.
export { householdMembers, householdPlaces, registryCandidates, residentPerson } from "./resident-links.js";
export type { HouseholdMember, HouseholdPlace, RegistryCandidate, ResidentPerson } from "./resident-links.js";
