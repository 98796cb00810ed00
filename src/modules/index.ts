/**
 * The module list: the one place that names every domain module. The app registers their routes
 * from it (src/app.ts), and importing it connects every module to the ports of the modules it
 * builds on, subscribes every module to the events it reacts to, then seals the event bus so that
 * events can be published.
 */
import { events } from "../platform/events/index.js";
import type { GongzhiModule } from "../platform/module.js";
import { defineConsoleSections } from "../platform/console-sections.js";
import { areasModule } from "./areas/index.js";
import { placesModule } from "./places/index.js";
import { peopleModule } from "./people/index.js";
import { accountsModule } from "./accounts/index.js";
import { orgsModule } from "./orgs/index.js";
import { casesModule } from "./cases/index.js";
import { measuresModule } from "./measures/index.js";
import { open311Module } from "./open311/index.js";

// In dependency order: a module comes after those it builds on, so subscribers of one event run
// in that order too (on area.gridsReshaped, places moves dwellings before people moves the
// households living in them).
export const modules: readonly GongzhiModule[] = [areasModule, placesModule, peopleModule, accountsModule, orgsModule, casesModule, measuresModule, open311Module];

// Ports first: a module may be used by a handler or a route only once its ports are plugged.
for (const m of modules) m.connect?.();

if (!events.isSealed) {
  for (const m of modules) if (m.consoleSections) defineConsoleSections(m.name, m.consoleSections);
  for (const m of modules) m.subscribe?.(events);
  events.seal();
}
