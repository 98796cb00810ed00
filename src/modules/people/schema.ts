import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

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
    /** Skills of a community talent 能人 (e.g. 水电维修, 法律咨询). */
    skills: text("skills").array().notNull().default([]),
    /** Resident ID number, AES-256-GCM ciphertext (src/platform/pii); never stored in clear. */
    idNumberEnc: text("id_number_enc"),
    /** Keyed hash (HMAC) of the normalized ID number, for exact-match search and duplicates. */
    idNumberHash: text("id_number_hash"),
    /** Masked form (1101**********1234), kept so lists never decrypt. */
    idNumberMasked: text("id_number_masked"),
    phoneEnc: text("phone_enc"),
    phoneHash: text("phone_hash"),
    phoneMasked: text("phone_masked"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("persons_household_idx").on(t.householdId),
    index("persons_grid_idx").on(t.gridId),
    uniqueIndex("persons_id_number_hash_key").on(t.idNumberHash),
    index("persons_phone_hash_idx").on(t.phoneHash),
    /** The search box's match of a whole name or its beginning (people/search.ts). */
    index("persons_name_idx").on(t.name.op("text_pattern_ops")),
  ],
);

/** A household's move between dwellings; the history stays when the household moves on. */
export const householdMoves = pgTable(
  "household_moves",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    householdId: uuid("household_id").notNull(),
    fromDwellingId: uuid("from_dwelling_id"),
    toDwellingId: uuid("to_dwelling_id").notNull(),
    movedOn: date("moved_on").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("household_moves_household_idx").on(t.householdId)],
);



/** 红色网格员 assignments: which party member looks after which household. */
export const redGridAssignments = pgTable(
  "red_grid_assignments",
  {
    householdId: uuid("household_id").primaryKey(),
    /** Null with `pinned` = deliberately left unassigned by a person. */
    memberId: uuid("member_id"),
    reason: text("reason").notNull(),
    /** A manual decision, kept on every re-run. */
    pinned: boolean("pinned").notNull().default(false),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("red_grid_assignments_member_idx").on(t.memberId)],
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
    /** The day the community confirmed the report-in (双报到). */
    reportInConfirmedOn: date("report_in_confirmed_on"),
    /** Name of the party organization holding the relation when it is outside this tree (e.g. a company's party committee). */
    outsideOrgName: text("outside_org_name"),
    /** Work unit of an in-service member (their service is reported back to it). */
    workUnit: text("work_unit"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("party_members_person_idx").on(t.personId), index("party_members_org_idx").on(t.partyOrgId)],
);

/**
 * 双找: "find members, members find the organization". A party member whose relation is elsewhere
 * (an in-service member reporting in where they live, or a floating member looking for an
 * organization) registers with a community; the community confirms or declines.
 */
export const partyRegistrations = pgTable(
  "party_registrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    communityId: uuid("community_id").notNull(),
    /** reportIn 在职党员到居住地社区报到 / floating 流动党员找组织 */
    kind: text("kind").$type<"reportIn" | "floating">().notNull(),
    /** Known person (a resident registering themself, or a worker who found them); null until matched. */
    personId: uuid("person_id"),
    name: text("name").notNull(),
    phoneEnc: text("phone_enc"),
    phoneHash: text("phone_hash"),
    phoneMasked: text("phone_masked"),
    /** The party organization holding their relation today. */
    orgName: text("org_name").notNull(),
    workUnit: text("work_unit"),
    skills: text("skills").array().notNull().default([]),
    message: text("message"),
    status: text("status").$type<"registered" | "confirmed" | "declined">().notNull().default("registered"),
    decisionNote: text("decision_note"),
    registeredBy: uuid("registered_by"),
    registeredAt: timestamp("registered_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    /** The party member record created or updated on confirmation. */
    partyMemberId: uuid("party_member_id"),
  },
  (t) => [index("party_registrations_community_idx").on(t.communityId, t.status), index("party_registrations_person_idx").on(t.personId)],
);
