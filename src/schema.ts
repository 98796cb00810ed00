/**
 * Every table, for drizzle-kit (drizzle.config.ts, scripts/check-migrations.mjs). Each module owns
 * its own schema.ts and platform its own; this list sits outside platform so that platform never
 * imports a module. Code does not import it: the database handle (platform/db) is not typed by it.
 */
export * from "./platform/auth/schema.js";
export * from "./platform/audit/schema.js";
export * from "./platform/pii/schema.js";
export * from "./platform/notify/schema.js";
export * from "./platform/setup/schema.js";
export * from "./modules/areas/schema.js";
export * from "./modules/places/schema.js";
export * from "./modules/people/schema.js";
export * from "./modules/orgs/schema.js";
export * from "./modules/cases/schema.js";
export * from "./modules/measures/schema.js";
export * from "./modules/accounts/schema.js";
