import { integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * 首次设置码: the one-time code that opens the first-run page while no system administrator
 * exists. Printed once in the server's log at start; only its SHA-256 is kept. A new start issues
 * a new code and voids the earlier ones; a code ends when used, when it expires, or after too many
 * wrong tries.
 */
export const setupCodes = pgTable("setup_codes", {
  id: uuid("id").primaryKey().defaultRandom(),
  codeHash: text("code_hash").notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  voidedAt: timestamp("voided_at", { withTimezone: true }),
  failedAttempts: integer("failed_attempts").notNull().default(0),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
