import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * 党组织 and other bodies: one tree of organizations. `kind` names the body:
 * streetWorkingCommittee, communityPartyCommittee, gridPartyBranch, buildingPartyGroup,
 * interestPartyGroup, residentsCommittee, workStation, serviceStation, department, …
 */
export const organizations = pgTable(
  "organizations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    parentId: uuid("parent_id"),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    /** Area the body belongs to (a street, community, grid); departments may have a district. */
    areaId: uuid("area_id"),
    path: text("path").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("organizations_parent_idx").on(t.parentId), index("organizations_area_idx").on(t.areaId), index("organizations_path_idx").on(t.path.op("text_pattern_ops"))],
);
