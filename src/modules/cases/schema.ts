import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, customType, doublePrecision, index, integer, jsonb, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { TimeLimitUnit } from "../../platform/calendar/index.js";

/** Raw bytes (photos are kept in the database so PGlite and PostgreSQL behave alike). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
  toDriver: (v) => v,
});

/** A text search vector (the words of a text, cut by platform/search; never parsed by PostgreSQL). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/** Levels a case moves between, lowest first. */
export const caseLevels = ["grid", "community", "street", "district", "department"] as const;
export type CaseLevel = (typeof caseLevels)[number];

export const caseSources = ["resident", "patrol", "onBehalf", "hotline", "open311", "deliberation", "emergency"] as const;
export type CaseSource = (typeof caseSources)[number];

export const caseUrgencies = ["normal", "urgent", "emergency"] as const;
export type CaseUrgency = (typeof caseUrgencies)[number];

export const caseRatings = ["satisfied", "basic", "dissatisfied"] as const;
export type CaseRating = (typeof caseRatings)[number];

/**
 * 分类目录: one version of the dispatch catalogue. A city revises it often; a case keeps the
 * category of the version it was registered under. One version is `active` at a time; a `draft`
 * is edited, then published (the active one becomes `retired`).
 */
export const caseCatalogues = pgTable(
  "case_catalogues",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    version: integer("version").notNull(),
    status: text("status").$type<"draft" | "active" | "retired">().notNull(),
    note: text("note"),
    createdBy: uuid("created_by"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("case_catalogues_version_key").on(t.version), uniqueIndex("case_catalogues_one_active").on(t.status).where(sql`${t.status} = 'active'`)],
);

/**
 * 案件类别: two levels (大类 → 小类) in one catalogue version. Sub-categories carry the time limits,
 * the level that handles them first and who is responsible (先属主 owner / 先属地 territory).
 */
export const caseCategories = pgTable(
  "case_categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    catalogueId: uuid("catalogue_id").notNull(),
    /** Null for a top-level category (大类). */
    parentId: uuid("parent_id"),
    /** Stable across versions: "01", "0103"; Open311 service_code. */
    code: text("code").notNull(),
    name: text("name").notNull(),
    nameEn: text("name_en"),
    description: text("description"),
    /** 事件 event (territory first by default) or 部件 component (owner first). */
    kind: text("kind").$type<"event" | "component">().notNull().default("event"),
    responseLimitValue: doublePrecision("response_limit_value"),
    responseLimitUnit: text("response_limit_unit").$type<TimeLimitUnit>(),
    handleLimitValue: doublePrecision("handle_limit_value"),
    handleLimitUnit: text("handle_limit_unit").$type<TimeLimitUnit>(),
    firstLevel: text("first_level").$type<CaseLevel>(),
    responsibility: text("responsibility").$type<"owner" | "territory">(),
    /** Responsible department (orgs.organizations, kind department) for owner-first categories. */
    departmentOrgId: uuid("department_org_id"),
    keywords: text("keywords").array().notNull().default([]),
    /** Open311 attributes of the service definition: [{code, datatype, required, description, values}]. */
    attributes: jsonb("attributes").$type<CategoryAttribute[]>().notNull().default([]),
    sortOrder: integer("sort_order").notNull().default(0),
    active: boolean("active").notNull().default(true),
  },
  (t) => [uniqueIndex("case_categories_code_key").on(t.catalogueId, t.code), index("case_categories_parent_idx").on(t.parentId)],
);

export interface CategoryAttribute {
  code: string;
  variable: boolean;
  datatype: "string" | "number" | "datetime" | "text" | "singlevaluelist" | "multivaluelist";
  required: boolean;
  description: string;
  datatypeDescription?: string;
  order: number;
  values?: { key: string; name: string }[];
}

/**
 * Case numbers: "GZ" + the China date + the last six digits of this sequence. A sequence hands out
 * numbers without holding a lock until commit, so intakes do not queue behind each other.
 */
export const caseNoSeq = pgSequence("case_no_seq", { startWith: 1 });

/**
 * 案件: one reported problem and where it stands. Status and level change only through the state
 * machine (machine.ts → core.ts), which also writes a `case_events` row and an audit entry.
 */
export const cases = pgTable(
  "cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Human case number, e.g. "GZ20261122000123". */
    caseNo: text("case_no").notNull(),
    source: text("source").$type<CaseSource>().notNull(),
    categoryId: uuid("category_id").notNull(),
    /** Sub-category code, kept for measures across catalogue versions. */
    categoryCode: text("category_code").notNull(),
    description: text("description").notNull(),
    urgency: text("urgency").$type<CaseUrgency>().notNull().default("normal"),
    status: text("status").notNull(),
    level: text("level").$type<CaseLevel>().notNull(),
    /** Area now handling the case (grid, community, street, district). */
    handlingAreaId: uuid("handling_area_id"),
    /** Department now handling the case, when level = department. */
    handlingOrgId: uuid("handling_org_id"),
    /** 派遣到人: the person the dispatcher named (a handler of the level); null = anyone of the level. Cleared when the case leaves that level or goes back. */
    assigneeUserId: uuid("assignee_user_id"),
    /** The grid the location fell in at intake, and its path for scope. */
    gridId: uuid("grid_id").notNull(),
    areaPath: text("area_path").notNull(),
    communityId: uuid("community_id"),
    streetId: uuid("street_id"),
    lng: doublePrecision("lng").notNull(),
    lat: doublePrecision("lat").notNull(),
    buildingId: uuid("building_id"),
    /** Where, in the reporter's words (personal: never on public pages). */
    locationText: text("location_text"),
    reporterUserId: uuid("reporter_user_id"),
    reporterPersonId: uuid("reporter_person_id"),
    /** Reported by a worker (patrol, on behalf, hotline import). */
    recordedByUserId: uuid("recorded_by_user_id"),
    anonymous: boolean("anonymous").notNull().default(false),
    contactName: text("contact_name"),
    contactPhoneEnc: text("contact_phone_enc"),
    contactPhoneHash: text("contact_phone_hash"),
    contactPhoneMasked: text("contact_phone_masked"),
    /** The client's idempotency key, unique per submitter. */
    idempotencyKey: text("idempotency_key"),
    submitterKey: text("submitter_key"),
    /** 12345 ticket number, Open311 token. */
    externalRef: text("external_ref"),
    /** Open311 attribute answers and other structured extras. */
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    mergedIntoId: uuid("merged_into_id"),
    rejectReason: text("reject_reason"),
    reopenCount: integer("reopen_count").notNull().default(0),
    reworkCount: integer("rework_count").notNull().default(0),
    extensionCount: integer("extension_count").notNull().default(0),
    returnCount: integer("return_count").notNull().default(0),
    escalationCount: integer("escalation_count").notNull().default(0),
    whistled: boolean("whistled").notNull().default(false),
    responseDueAt: timestamp("response_due_at", { withTimezone: true }),
    handleDueAt: timestamp("handle_due_at", { withTimezone: true }),
    registeredAt: timestamp("registered_at", { withTimezone: true }),
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
    /** 签收: the handler took the case and (by rule) contacted the reporter — the response. */
    receivedAt: timestamp("received_at", { withTimezone: true }),
    feedbackAt: timestamp("feedback_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** Closed no later than handleDueAt (set at closing). */
    closedOnTime: boolean("closed_on_time"),
    rating: text("rating").$type<CaseRating>(),
    resolved: boolean("resolved"),
    ratedAt: timestamp("rated_at", { withTimezone: true }),
    /** A repeat of an earlier case (same category, place and reporter or spot, within 30 days). */
    repeatOfId: uuid("repeat_of_id"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    /** Audit entry of the submission: the reporter's receipt. */
    receiptEntryId: bigint("receipt_entry_id", { mode: "number" }),
    /**
     * Words of the description and the place in the reporter's words (platform/search `indexWords`),
     * for the search box and the list's keyword; null until indexed (prepare() fills the gaps).
     */
    searchWords: tsvector("search_words"),
  },
  (t) => [
    uniqueIndex("cases_case_no_key").on(t.caseNo),
    uniqueIndex("cases_idempotency_key").on(t.submitterKey, t.idempotencyKey),
    /** A 12345 ticket is imported once. */
    uniqueIndex("cases_hotline_ref_key").on(t.externalRef).where(sql`${t.source} = 'hotline'`),
    index("cases_area_path_idx").on(t.areaPath.op("text_pattern_ops")),
    index("cases_status_idx").on(t.status),
    index("cases_grid_idx").on(t.gridId),
    index("cases_reporter_idx").on(t.reporterUserId),
    index("cases_submitted_idx").on(t.submittedAt),
    index("cases_handling_org_idx").on(t.handlingOrgId),
    index("cases_assignee_idx").on(t.assigneeUserId),
    index("cases_category_code_idx").on(t.categoryCode, t.submittedAt),
    index("cases_search_words_idx").using("gin", t.searchWords),
    /** The beginning of a case number (search box, list keyword) in any collation. */
    index("cases_case_no_pattern_idx").on(t.caseNo.op("text_pattern_ops")),
    index("cases_search_pending_idx").on(t.id).where(sql`${t.searchWords} is null`),
  ],
);

/**
 * 办理记录: every transition of a case, in order — who, when, from → to, the note and evidence.
 * `visibleToReporter` marks steps shown on the reporter's timeline.
 */
export const caseEvents = pgTable(
  "case_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: uuid("case_id").notNull(),
    at: timestamp("at", { withTimezone: true, precision: 6 }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    /** "system" for timers; the user's display name otherwise (a worker's name, never a resident's). */
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    fromLevel: text("from_level"),
    toLevel: text("to_level"),
    note: text("note"),
    /** Photo ids (case_photos) attached to this step. */
    evidence: uuid("evidence").array().notNull().default([]),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    visibleToReporter: boolean("visible_to_reporter").notNull().default(true),
    auditEntryId: bigint("audit_entry_id", { mode: "number" }),
  },
  (t) => [index("case_events_case_idx").on(t.caseId, t.id)],
);

/** 照片: images of a report, a handler's result or a department's part. Checked on upload. */
export const casePhotos = pgTable(
  "case_photos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null until the report it was uploaded for is submitted. */
    caseId: uuid("case_id"),
    uploadedBy: uuid("uploaded_by"),
    mime: text("mime").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    width: integer("width"),
    height: integer("height"),
    bytes: bytea("bytes").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("case_photos_case_idx").on(t.caseId)],
);

/**
 * Durable timers: response and handling deadlines, warnings before them, report-in deadlines.
 * Runners claim due rows with `FOR UPDATE SKIP LOCKED`, so each fires exactly once however many
 * server processes share the database.
 */
export const caseTimers = pgTable(
  "case_timers",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: uuid("case_id").notNull(),
    /** responseWarning, responseDue, handleWarning, handleDue, reportInDue, … */
    kind: text("kind").notNull(),
    summonsId: uuid("summons_id"),
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    firedAt: timestamp("fired_at", { withTimezone: true }),
    firedBy: text("fired_by"),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("case_timers_due_idx").on(t.dueAt).where(sql`${t.firedAt} is null and ${t.cancelledAt} is null`),
    index("case_timers_case_idx").on(t.caseId),
  ],
);

/** 吹哨: a street or community official summons departments to a case. */
export const caseWhistles = pgTable(
  "case_whistles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    /** The street or community that blew the whistle. */
    areaId: uuid("area_id").notNull(),
    blownBy: uuid("blown_by").notNull(),
    reason: text("reason").notNull(),
    blownAt: timestamp("blown_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("case_whistles_case_idx").on(t.caseId)],
);

/**
 * 报到: one department summoned by a whistle. It must report in before `reportInDueAt`, then
 * record its part (finished). The case cannot close while any summons is unfinished.
 */
export const caseSummons = pgTable(
  "case_summons",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    whistleId: uuid("whistle_id").notNull(),
    caseId: uuid("case_id").notNull(),
    departmentOrgId: uuid("department_org_id").notNull(),
    /** withdrawn 已撤回 / excused 已免除: the summoning side ended the summons without the department's part. */
    status: text("status").$type<"summoned" | "reportedIn" | "finished" | "withdrawn" | "excused">().notNull().default("summoned"),
    reportInDueAt: timestamp("report_in_due_at", { withTimezone: true }).notNull(),
    reportedInAt: timestamp("reported_in_at", { withTimezone: true }),
    reportedInBy: uuid("reported_in_by"),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    finishedBy: uuid("finished_by"),
    finishNote: text("finish_note"),
    evidence: uuid("evidence").array().notNull().default([]),
    /** 代为登记: the summoning side recorded the department's part for it (finishedBy is that official). */
    recordedOnBehalf: boolean("recorded_on_behalf").notNull().default(false),
    /** Withdrawn or excused: when, by whom and why. */
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endedBy: uuid("ended_by"),
    endReason: text("end_reason"),
    /** The summoning street's rating of the department's part, 1–5. */
    score: integer("score"),
    scoreNote: text("score_note"),
    scoredBy: uuid("scored_by"),
    scoredAt: timestamp("scored_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("case_summons_case_idx").on(t.caseId),
    index("case_summons_department_idx").on(t.departmentOrgId, t.status),
    uniqueIndex("case_summons_whistle_department_key").on(t.whistleId, t.departmentOrgId),
  ],
);

/** 延期: a handler asks for more time; the dispatcher approves or declines. */
export const caseExtensions = pgTable(
  "case_extensions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    requestedBy: uuid("requested_by").notNull(),
    reason: text("reason").notNull(),
    extraValue: doublePrecision("extra_value").notNull(),
    extraUnit: text("extra_unit").$type<TimeLimitUnit>().notNull(),
    status: text("status").$type<"pending" | "approved" | "declined">().notNull().default("pending"),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decisionNote: text("decision_note"),
    newDueAt: timestamp("new_due_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("case_extensions_case_idx").on(t.caseId)],
);
