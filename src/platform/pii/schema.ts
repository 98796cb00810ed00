import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * A time-limited reveal of one personal field, asked for with a stated purpose. Every reveal is
 * also an audit entry; the purpose is kept here, not in the public chain summary.
 */
export const piiReveals = pgTable(
  "pii_reveals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: uuid("entity_id").notNull(),
    field: text("field").notNull(),
    purpose: text("purpose").notNull(),
    grantedAt: timestamp("granted_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("pii_reveals_entity_idx").on(t.entityType, t.entityId), index("pii_reveals_user_idx").on(t.userId)],
);
