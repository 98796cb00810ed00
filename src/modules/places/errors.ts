/**
 * The error codes this module defines (Places: compounds, buildings, units and dwellings), added to the one catalogue the server answers
 * with (platform/errors.ts). Messages may use {name} placeholders filled from an AppError's params.
 */
import { defineErrors } from "../../platform/errors.js";

export const placeErrors = defineErrors("places", {
  place_outside_grids: {
    status: 400,
    zh: "该位置不在本社区的任何网格内，请在地图上重新选点",
    en: "This point is not inside any grid of the community; pick the location again",
  },
  place_not_empty: { status: 409, zh: "{what}下还有{count}个{children}，不能删除", en: "The {what} still has {count} {children}; it cannot be deleted" },
  building_floors_below_dwellings: {
    status: 400,
    zh: "楼栋层数不能少于已登记房屋的最高楼层（{floor} 层）",
    en: "The building cannot have fewer floors than its highest registered dwelling (floor {floor})",
  },
  unit_name_taken: { status: 409, zh: "这栋楼已有同名的单元", en: "This building already has a unit of that name" },
  dwelling_floor_above_building: {
    status: 400,
    zh: "楼层 {floor} 超出了这栋楼的层数（共 {floors} 层）",
    en: "Floor {floor} is above the building's {floors} floors",
  },
  dwelling_room_taken: { status: 409, zh: "本单元已有相同房号的房屋", en: "This unit already has a dwelling with that room number" },
});

declare module "../../platform/errors.js" {
  interface ErrorCatalogue extends Codes<typeof placeErrors> {}
}
