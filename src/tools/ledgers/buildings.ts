/**
 * 楼栋台账: buildings with their point (WGS 84). The point decides the grid (and so the
 * community); a point outside every grid, or in a grid outside the chosen area, is refused.
 * Missing compounds (小区) are created in the point's community; units are created as
 * "1单元" … "N单元".
 */
import { randomUUID } from "node:crypto";
import type { LedgerDefinition, RowCheckProblem } from "../../platform/tabular/index.js";
import { gridsInForce } from "../../modules/areas/index.js";
import { buildingsLedgerRows, compoundBuildingsOf, insertBuildingUnits, insertBuildings, insertCompounds, type NewBuilding, type NewBuildingUnit, type NewCompound } from "../../modules/places/index.js";
import { ok, parseCount, parseText, type LedgerKind } from "./ledger.js";
import { badCell, rowIssue } from "../../platform/tabular/index.js";

export interface BuildingRow extends Record<string, unknown> {
  compound: string;
  compoundAddress: string | null;
  name: string;
  floors: number;
  units: number | null;
  lng: number;
  lat: number;
  grid: string | null;
}

const coordinate = (label: string, min: number, max: number) => (v: string) => {
  const s = v.normalize("NFKC").trim();
  const labelEn = label === "经度" ? "longitude" : "latitude";
  if (!/^-?\d+(\.\d+)?$/.test(s)) return badCell("coordinate_format", { label, labelEn, example: label === "经度" ? "104.0712" : "30.6312" });
  const n = Number(s);
  return n < min || n > max ? badCell("coordinate_range", { label, labelEn, min, max }) : ok(n);
};

export const buildingsLedger: LedgerDefinition = {
  kind: "buildings",
  label: "楼栋台账",
  fields: [
    { key: "compound", label: "小区", aliases: ["小区名称", "院落", "小区/院落", "所属小区"], required: true, parse: parseText(60) },
    { key: "compoundAddress", label: "小区地址", aliases: ["地址", "门牌地址"], required: false, parse: parseText(200) },
    { key: "name", label: "楼栋名称", aliases: ["楼栋", "楼号", "栋号", "楼栋号"], required: true, parse: parseText(30) },
    { key: "floors", label: "层数", aliases: ["楼层数", "总层数"], required: true, parse: parseCount("层", 1, 120) },
    { key: "units", label: "单元数", aliases: ["单元"], required: false, parse: parseCount("个", 1, 30) },
    { key: "lng", label: "经度", aliases: ["lng", "lon", "longitude", "东经"], required: true, parse: coordinate("经度", 73, 136) },
    { key: "lat", label: "纬度", aliases: ["lat", "latitude", "北纬"], required: true, parse: coordinate("纬度", 3, 54) },
    { key: "grid", label: "所属网格", aliases: ["网格", "网格名称"], required: false, parse: parseText(60) },
  ],
};

export const buildingsKind: LedgerKind<BuildingRow> = {
  kind: "buildings",
  definition: buildingsLedger,
  auditAction: "buildings.import",
  personal: false,

  async prepare({ db, area, gridIndex, writeChunk }) {
    await gridIndex.refresh(db);
    // Grids in force today only: a building never lands in a grid retired by a split, merge or import.
    const grids = new Map((await gridsInForce(db)).map((g) => [g.id, g]));
    const communityIds = [...new Set([...grids.values()].filter((g) => g.path.startsWith(area.path) || area.path.startsWith(g.path)).map((g) => g.parent_id))];
    const existing = await compoundBuildingsOf(db, communityIds);
    const compoundsByKey = new Map<string, { id: string; address: string }>();
    const taken = new Set<string>();
    for (const e of existing) {
      compoundsByKey.set(`${e.community_id}\u0000${e.compound}`, { id: e.compound_id, address: e.address });
      if (e.building !== null) taken.add(`${e.compound_id}\u0000${e.building}`);
    }
    /** Grid of each row, found in rowCheck and used by the writer. */
    const located = new Map<BuildingRow, { gridId: string; communityId: string }>();

    return {
      uniqueKeys: [["compound", "name"]],
      rowCheck: (r) => {
        const hit = gridIndex.locate(r.lng, r.lat);
        if (!hit) return [rowIssue("lng", "point_outside_grids")];
        const grid = grids.get(hit.id);
        // An index that has not caught up with a split, merge or import may still hold a retired grid.
        if (!grid) return [rowIssue("lng", "point_in_retired_grid")];
        if (!grid.path.startsWith(area.path)) {
          return [rowIssue("lng", "point_outside_area_in", { grid: grid.name })];
        }
        const problems: RowCheckProblem[] = [];
        if (r.grid !== null && r.grid !== grid.name) problems.push(rowIssue("grid", "grid_mismatch", { grid: grid.name }));
        const compound = compoundsByKey.get(`${grid.parent_id}\u0000${r.compound}`);
        if (compound && taken.has(`${compound.id}\u0000${r.name}`)) problems.push(rowIssue("name", "building_taken", { compound: r.compound }));
        located.set(r, { gridId: grid.id, communityId: grid.parent_id });
        return problems;
      },
      async write(tx, list, progress) {
        const newCompounds: NewCompound[] = [];
        const compoundIdOf = (r: BuildingRow, communityId: string): string => {
          const key = `${communityId}\u0000${r.compound}`;
          let c = compoundsByKey.get(key);
          if (!c) {
            c = { id: randomUUID(), address: r.compoundAddress ?? r.compound };
            compoundsByKey.set(key, c);
            newCompounds.push({ id: c.id, communityId, name: r.compound, address: c.address });
          }
          return c.id;
        };
        const values: NewBuilding[] = [];
        const units: NewBuildingUnit[] = [];
        for (const r of list) {
          const at = located.get(r)!;
          const id = randomUUID();
          values.push({ id, compoundId: compoundIdOf(r, at.communityId), gridId: at.gridId, name: r.name, floors: r.floors, lng: r.lng, lat: r.lat });
          for (let u = 1; u <= (r.units ?? 1); u++) units.push({ buildingId: id, name: `${u}单元` });
        }
        await insertCompounds(tx, newCompounds, { chunk: 1000 });
        await insertBuildingUnits(tx, units, { chunk: 2000 });
        await insertBuildings(tx, values, { chunk: writeChunk, onProgress: progress });
        return {
          change: { rows: values.length, compounds: newCompounds.map((c) => c.id), buildings: values.map((b) => b.id) },
          summary: { rows: values.length, compoundsCreated: newCompounds.length, units: units.length },
        };
      },
    };
  },

  exportColumns: [
    { header: "小区", key: "compound" },
    { header: "小区地址", key: "compoundAddress" },
    { header: "楼栋名称", key: "name" },
    { header: "层数", key: "floors" },
    { header: "单元数", key: "units" },
    { header: "经度", key: "lng" },
    { header: "纬度", key: "lat" },
    { header: "所属网格", key: "grid" },
  ],

  async exportRows({ db, area }) {
    const list = await buildingsLedgerRows(db, area.path);
    return list.map((b) => ({
      compound: b.compound,
      compoundAddress: b.address,
      name: b.name,
      floors: b.floors,
      units: Number(b.units) || null,
      lng: b.lng,
      lat: b.lat,
      grid: b.grid,
    }));
  },
};
