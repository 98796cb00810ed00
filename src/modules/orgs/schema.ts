import { boolean, date, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

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
    /** Social organizations: incubating 孵化中 / graduated 已出壳. */
    incubation: text("incubation").$type<"incubating" | "graduated">(),
    /** A body that supervises this one (the residents' committee supervises the work station). */
    supervisorId: uuid("supervisor_id"),
    /** Dissolved bodies stay for history but leave the tree. */
    dissolvedOn: date("dissolved_on"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("organizations_parent_idx").on(t.parentId), index("organizations_area_idx").on(t.areaId), index("organizations_path_idx").on(t.path.op("text_pattern_ops"))],
);

/** 职务: a post held by a person in an organization; one person may hold several (交叉任职). */
export const posts = pgTable(
  "posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id").notNull(),
    orgId: uuid("org_id").notNull(),
    title: text("title").notNull(),
    /** A part-time seat, e.g. a co-building unit's member of the 大党委. */
    partTime: boolean("part_time").notNull().default(false),
    startedOn: date("started_on"),
    endedOn: date("ended_on"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("posts_person_idx").on(t.personId), index("posts_org_idx").on(t.orgId)],
);
