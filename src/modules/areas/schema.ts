import { date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Geometry } from "./geo.js";

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

export const areaLevels = ["city", "district", "street", "community", "grid", "microGrid"] as const;
export type AreaLevel = (typeof areaLevels)[number];

/** 小区/院落 */
export const compounds = pgTable(
  "compounds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    communityId: uuid("community_id").notNull(),
    name: text("name").notNull(),
    address: text("address").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("compounds_community_idx").on(t.communityId)],
);

/** 楼栋: a point (lng, lat) inside its grid. */
export const buildings = pgTable(
  "buildings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    compoundId: uuid("compound_id").notNull(),
    gridId: uuid("grid_id").notNull(),
    name: text("name").notNull(),
    floors: integer("floors").notNull(),
    lng: doublePrecision("lng").notNull(),
    lat: doublePrecision("lat").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("buildings_grid_idx").on(t.gridId), index("buildings_compound_idx").on(t.compoundId)],
);

/** 单元/门栋 */
export const buildingUnits = pgTable(
  "building_units",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    buildingId: uuid("building_id").notNull(),
    name: text("name").notNull(),
  },
  (t) => [index("building_units_building_idx").on(t.buildingId)],
);

/** 房屋 */
export const dwellings = pgTable(
  "dwellings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    unitId: uuid("unit_id").notNull(),
    buildingId: uuid("building_id").notNull(),
    gridId: uuid("grid_id").notNull(),
    floor: integer("floor").notNull(),
    roomNo: text("room_no").notNull(),
    floorAreaM2: doublePrecision("floor_area_m2"),
  },
  (t) => [index("dwellings_grid_idx").on(t.gridId), index("dwellings_unit_idx").on(t.unitId)],
);
