import { sql } from "drizzle-orm";
import { date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Geometry } from "../../platform/geojson.js";
import type { AreaLevel } from "../../platform/area-tree.js";

/**
 * 区域: one node of the tree city → district → street → community → grid (→ microGrid).
 * `path` holds the ids from the root, "/id/id/…/", so a subtree is `path LIKE prefix || '%'`.
 */
export const areas = pgTable(
  "areas",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    parentId: uuid("parent_id"),
    level: text("level").$type<AreaLevel>().notNull(),
    /** GB/T 2260 / statistical division code where known; grid codes extend the community code. */
    code: text("code"),
    name: text("name").notNull(),
    path: text("path").notNull(),
    depth: integer("depth").notNull(),
    /** Grid type: comprehensive 综合网格 / dedicated 专属网格. */
    gridType: text("grid_type").$type<"comprehensive" | "dedicated">(),
    /** GeoJSON Polygon or MultiPolygon, WGS 84 (lng, lat). */
    boundary: jsonb("boundary").$type<Geometry>(),
    minLng: doublePrecision("min_lng"),
    minLat: doublePrecision("min_lat"),
    maxLng: doublePrecision("max_lng"),
    maxLat: doublePrecision("max_lat"),
    validFrom: date("valid_from"),
    validTo: date("valid_to"),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("areas_parent_idx").on(t.parentId),
    index("areas_path_idx").on(t.path.op("text_pattern_ops")),
    uniqueIndex("areas_code_key").on(t.code),
  ],
);

export { areaLevels, type AreaLevel } from "../../platform/area-tree.js";

/**
 * A grid's boundary as it was from `validFrom` (inclusive) to `validTo` (exclusive, null = still
 * in force). Redrawing closes one version and opens the next, so history still resolves: "which
 * grid held this point on 2025-03-01?" reads these rows, not just `areas.boundary`.
 */
export const areaBoundaryVersions = pgTable(
  "area_boundary_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    areaId: uuid("area_id").notNull(),
    boundary: jsonb("boundary").$type<Geometry>().notNull(),
    minLng: doublePrecision("min_lng").notNull(),
    minLat: doublePrecision("min_lat").notNull(),
    maxLng: doublePrecision("max_lng").notNull(),
    maxLat: doublePrecision("max_lat").notNull(),
    validFrom: date("valid_from").notNull(),
    validTo: date("valid_to"),
    /** drawn, redrawn, split, merged, imported */
    reason: text("reason").$type<BoundaryChange>().notNull(),
    recordedBy: uuid("recorded_by"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("area_boundary_versions_area_idx").on(t.areaId, t.validFrom)],
);

export type BoundaryChange = "drawn" | "redrawn" | "split" | "merged" | "imported";

/** Lineage between grids: a split retires one grid into several, a merge several into one. */
export const areaLineage = pgTable(
  "area_lineage",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").$type<"split" | "merge">().notNull(),
    fromAreaId: uuid("from_area_id").notNull(),
    toAreaId: uuid("to_area_id").notNull(),
    effectiveOn: date("effective_on").notNull(),
    recordedBy: uuid("recorded_by"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("area_lineage_from_idx").on(t.fromAreaId), index("area_lineage_to_idx").on(t.toAreaId)],
);

/** 网格力量 posts: grid leader 网格长, grid instructor 网格指导员, full-time / part-time grid worker 专职/兼职网格员. */
export const gridStaffRoles = ["leader", "instructor", "fullTime", "partTime"] as const;
export type GridStaffRole = (typeof gridStaffRoles)[number];

/**
 * A grid's staff member for a term (`endedOn` null while in office): a login (`userId`, e.g. the
 * grid worker's account), a resident (`personId`), or only a name. `name` is kept as appointed, so
 * the list reads without joins and survives a login's removal. One current leader per grid.
 */
export const gridStaff = pgTable(
  "grid_staff",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gridId: uuid("grid_id").notNull(),
    role: text("role").$type<GridStaffRole>().notNull(),
    userId: uuid("user_id"),
    personId: uuid("person_id"),
    name: text("name").notNull(),
    startedOn: date("started_on").notNull(),
    endedOn: date("ended_on"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("grid_staff_grid_idx").on(t.gridId),
    uniqueIndex("grid_staff_one_leader_key").on(t.gridId).where(sql`${t.role} = 'leader' and ${t.endedOn} is null`),
  ],
);

/**
 * An area's name and code as they were from `validFrom` (inclusive) to `validTo` (exclusive, null =
 * still in force): a rename or re-code of a district, street or community closes one row and opens
 * the next, so what an area was called on a past day still answers (`GET /api/areas/:id/history`).
 */
export const areaNameVersions = pgTable(
  "area_name_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    areaId: uuid("area_id").notNull(),
    name: text("name").notNull(),
    code: text("code"),
    validFrom: date("valid_from").notNull(),
    validTo: date("valid_to"),
    /** created, renamed, recoded */
    reason: text("reason").$type<"created" | "renamed" | "recoded">().notNull(),
    recordedBy: uuid("recorded_by"),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("area_name_versions_area_idx").on(t.areaId, t.validFrom)],
);
