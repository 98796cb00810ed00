/**
 * Tables of notifications: the inbox (站内信), each person's choice of what they are told, and
 * webhooks with their deliveries. Moved here from cases (same table names, no data moved).
 */
import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** 站内信: the in-app inbox. */
export const notifications = pgTable(
  "notifications",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    userId: uuid("user_id").notNull(),
    kind: text("kind").notNull(),
    caseId: uuid("case_id"),
    title: text("title").notNull(),
    body: text("body").notNull(),
    titleEn: text("title_en"),
    bodyEn: text("body_en"),
    link: text("link"),
    readAt: timestamp("read_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.id)],
);

/** Outside systems told of events (case steps, audit checkpoints, catalogued notices): each delivery is signed (HMAC-SHA256) and retried. */
export const webhooks = pgTable("webhooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  /** Signing secret, AES-256-GCM ciphertext like other secrets at rest. */
  secretEnc: text("secret_enc").notNull(),
  /** Event names ("case.submitted", "case.closed", …); empty = all. */
  events: text("events").array().notNull().default([]),
  /** Limit to cases under this area (null = all). */
  areaId: uuid("area_id"),
  active: boolean("active").notNull().default(true),
  createdBy: uuid("created_by"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    webhookId: uuid("webhook_id").notNull(),
    event: text("event").notNull(),
    payload: jsonb("payload").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    failedAt: timestamp("failed_at", { withTimezone: true }),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.deliveredAt} is null and ${t.failedAt} is null`),
    index("webhook_deliveries_hook_idx").on(t.webhookId, t.id),
  ],
);

/** What each person does not want to be told (by notice kind); no row = everything on. */
export const notificationPreferences = pgTable("notification_preferences", {
  userId: uuid("user_id").primaryKey(),
  /** Notice kinds switched off ("work.assigned", …). */
  mutedKinds: text("muted_kinds").array().notNull().default([]),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
