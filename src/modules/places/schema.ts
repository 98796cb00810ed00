/** Tables of places: compounds, buildings, their units and dwellings. */
import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Geometry } from "../../platform/geojson.js";

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
    /** Optional footprint polygon (GeoJSON); the point stays the building's location. */
    footprint: jsonb("footprint").$type<Geometry>(),
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
