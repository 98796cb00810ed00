/** Every table of the platform, for Drizzle and drizzle-kit. Each module owns its own file. */
export * from "../auth/schema.js";
export * from "../audit/schema.js";
export * from "../notify/schema.js";
export * from "../../modules/areas/schema.js";
export * from "../../modules/people/schema.js";
export * from "../../modules/orgs/schema.js";
export * from "../../modules/cases/schema.js";
export * from "../../modules/measures/schema.js";
