/** Tables of the measures module (考核指标). */
import { sql } from "drizzle-orm";
import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * Weights of the composite score per jurisdiction (an area; null = the whole deployment) from a
 * month on ("2026-11"). The latest row at or before a month applies.
 */
export const measureWeights = pgTable(
  "measure_weights",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    areaId: uuid("area_id"),
    fromMonth: text("from_month").notNull(),
    weights: jsonb("weights").$type<Record<string, number>>().notNull(),
    setBy: uuid("set_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("measure_weights_area_month_key").on(sql`coalesce(${t.areaId}::text, '')`, t.fromMonth)],
);
