import { date, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** 户: a household living in a dwelling. `gridId` is denormalized for scope filtering. */
export const households = pgTable(
  "households",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    dwellingId: uuid("dwelling_id").notNull(),
    gridId: uuid("grid_id").notNull(),
    /** Full address (personal data: never in logs, URLs or public pages). */
    address: text("address").notNull(),
    headName: text("head_name").notNull(),
    size: integer("size").notNull(),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("households_grid_idx").on(t.gridId), index("households_dwelling_idx").on(t.dwellingId)],
);

/** 人员 */
export const persons = pgTable(
  "persons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    householdId: uuid("household_id"),
    gridId: uuid("grid_id"),
    name: text("name").notNull(),
    gender: text("gender").$type<"male" | "female">().notNull(),
    birthYear: integer("birth_year").notNull(),
    /** Relation to the head of household: 户主, 配偶, 子女, 父母, 孙子女, 其他. */
    relation: text("relation").notNull(),
    /** Tags: elderlyAlone 独居老人, disabled, lowIncome 低保, veteran, buildingHead 楼栋长, talent 能人, volunteer. */
    tags: text("tags").array().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("persons_household_idx").on(t.householdId), index("persons_grid_idx").on(t.gridId)],
);

/** 党员: organization relation, status and the separate report-in community (双报到). */
export const partyMembers = pgTable(
  "party_members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id").notNull(),
    partyOrgId: uuid("party_org_id"),
    joinedOn: date("joined_on"),
    status: text("status").$type<"inService" | "retired" | "floating">().notNull(),
    reportInCommunityId: uuid("report_in_community_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("party_members_person_idx").on(t.personId), index("party_members_org_idx").on(t.partyOrgId)],
);
