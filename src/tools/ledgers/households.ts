/**
 * 户台账: households into dwellings of buildings already registered in the area.
 *
 * Decision: compounds (小区) and buildings (楼栋) must exist — a building needs its point to
 * find its grid, which a households ledger does not carry, so they come from the buildings
 * ledger (or the registry pages). Units (单元) and dwellings (房屋) that are missing are created
 * under the building. A household is one row; the same household (same 户主身份证号, or the same
 * 户主姓名 when that column is absent) on two rows at different dwellings is refused on the
 * later row, naming the earlier one; so is a dwelling listed twice or already occupied.
 */
import { randomUUID } from "node:crypto";
import { decryptField, searchHash } from "../../platform/pii/crypto.js";
import { validateIdNumber } from "../../platform/pii/validate.js";
import { maskAddress, maskName } from "../../platform/mask.js";
import type { LedgerDefinition, RowCheckProblem } from "../../platform/tabular/index.js";
import { buildingsInCompoundsNamed, dwellingsOfBuildings, insertBuildingUnits, insertDwellings, unitsOfBuildings, type NewBuildingUnit, type NewDwelling } from "../../modules/places/index.js";
import { dwellingsByIdNumberHash, householdsLedgerRows, insertHouseholds, type NewHousehold } from "../../modules/people/index.js";
import { ok, parseCount, parseText, type LedgerKind } from "./ledger.js";
import { badCell, badIdNumber, rowIssue } from "../../platform/tabular/index.js";

export interface HouseholdRow extends Record<string, unknown> {
  compound: string;
  building: string;
  unit: string;
  floor: number | null;
  roomNo: string;
  headName: string;
  headIdNumber: string | null;
  size: number;
  address: string | null;
  note: string | null;
}

/** "2" → "2单元"; "二单元", "2单元" and "2 单元" as written. */
function unitName(v: string): string {
  const s = v.normalize("NFKC").replace(/\s+/g, "");
  return /^\d+$/.test(s) ? `${s}单元` : s;
}

export const householdsLedger: LedgerDefinition = {
  kind: "households",
  label: "户台账",
  fields: [
    { key: "compound", label: "小区", aliases: ["小区名称", "院落", "小区/院落", "所属小区"], required: true, parse: parseText(60) },
    { key: "building", label: "楼栋", aliases: ["楼栋名称", "楼号", "栋号", "楼栋号"], required: true, parse: parseText(30) },
    { key: "unit", label: "单元", aliases: ["单元号", "门栋"], required: true, parse: (v) => (v.length > 20 ? badCell("text_too_long", { max: 20 }) : ok(unitName(v))) },
    { key: "floor", label: "楼层", aliases: ["所在楼层", "层"], required: false, parse: parseCount("层", 1, 120) },
    {
      key: "roomNo",
      label: "房号",
      aliases: ["房间号", "门牌号", "室号"],
      required: true,
      parse: (v) => {
        const s = v.normalize("NFKC").replace(/\s+/g, "").replace(/[室号]$/, "");
        return /^[0-9A-Za-z-]{1,10}$/.test(s) ? ok(s) : badCell("room_invalid");
      },
    },
    { key: "headName", label: "户主姓名", aliases: ["户主", "户主名"], required: true, personal: true, parse: (v) => (/^[\p{Script=Han}·•A-Za-z ]{1,30}$/u.test(v) ? ok(v) : badCell("name_invalid")) },
    {
      key: "headIdNumber",
      label: "户主身份证号",
      aliases: ["户主公民身份号码", "户主证件号码"],
      required: false,
      personal: true,
      parse: (v) => {
        const r = validateIdNumber(v);
        return r.ok ? ok(r.normalized) : badIdNumber(r);
      },
    },
    { key: "size", label: "户人数", aliases: ["家庭人数", "人口数", "户内人数", "人数"], required: true, parse: parseCount("人", 1, 30) },
    { key: "address", label: "住址", aliases: ["地址", "家庭住址", "门牌地址"], required: false, personal: true, parse: parseText(200) },
    { key: "note", label: "备注", aliases: ["说明"], required: false, parse: parseText(500) },
  ],
};

/** The address a dwelling gets when the ledger has none: compound address and name, building, unit, room. */
function composeAddress(c: { name: string; address: string }, building: string, unit: string, room: string): string {
  const base = c.address.endsWith(c.name) ? c.address : c.name.endsWith("院") && c.address.endsWith(c.name.slice(0, -1)) ? `${c.address}院` : `${c.address}${c.name}`;
  return `${base}${building}${unit}${room}室`;
}

const key = (...parts: string[]) => parts.join("\u0000");

export const householdsKind: LedgerKind<HouseholdRow> = {
  kind: "households",
  definition: householdsLedger,
  auditAction: "households.import",
  personal: true,

  async prepare({ db, keyring, area, table, mapping, writeChunk }) {
    const compoundColumn = mapping.compound!;
    const names = [...new Set(table.rows.map((r) => r[compoundColumn] ?? "").filter(Boolean))];
    const found = await buildingsInCompoundsNamed(db, names);
    const inArea = new Map<string, (typeof found)[number] | null>();
    const elsewhere = new Map<string, string>();
    for (const b of found) {
      const k = key(b.compound, b.name);
      if (b.grid_path.startsWith(area.path)) inArea.set(k, inArea.has(k) ? null : b);
      else elsewhere.set(k, b.grid_name);
    }
    const buildingIds = [...new Set([...inArea.values()].filter((b) => b !== null).map((b) => b.id))];
    const units = new Map<string, string>();
    const dwellingByKey = new Map<string, { id: string; occupied: boolean }>();
    for (const u of await unitsOfBuildings(db, buildingIds)) units.set(key(u.building_id, u.name), u.id);
    for (const d of await dwellingsOfBuildings(db, buildingIds)) dwellingByKey.set(key(d.unit_id, d.room_no), { id: d.id, occupied: d.occupied });
    // Heads already in the registry (by keyed hash) and the dwelling of their household.
    const headDwelling = new Map<string, string | null>();
    const idColumn = mapping.headIdNumber;
    if (idColumn !== null && idColumn !== undefined) {
      const hashes = table.rows.flatMap((cells) => {
        const v = validateIdNumber(cells[idColumn] ?? "");
        return v.ok ? [searchHash(keyring, "idNumber", v.normalized)] : [];
      });
      for (const p of await dwellingsByIdNumberHash(db, hashes)) headDwelling.set(p.id_number_hash, p.dwelling_id);
    }

    const heads = new Map<string, { row: number; dwelling: string }>();
    const target = new Map<HouseholdRow, { building: NonNullable<(typeof found)[number]>; floor: number }>();

    return {
      uniqueKeys: [["compound", "building", "unit", "roomNo"]],
      rowCheck: (r, rowNumber) => {
        const problems: RowCheckProblem[] = [];
        const dwellingKey = key(r.compound, r.building, r.unit, r.roomNo);
        const headKey = r.headIdNumber !== null ? `id:${r.headIdNumber}` : `name:${r.headName}`;
        const earlier = heads.get(headKey);
        if (earlier === undefined) heads.set(headKey, { row: rowNumber, dwelling: dwellingKey });
        else if (earlier.dwelling !== dwellingKey) {
          problems.push(
            r.headIdNumber !== null ? rowIssue("headIdNumber", "household_twice", { row: earlier.row }) : rowIssue("headName", "household_twice_by_name", { row: earlier.row }),
          );
        }
        const b = inArea.get(key(r.compound, r.building));
        if (b === undefined) {
          const other = elsewhere.get(key(r.compound, r.building));
          problems.push(
            other
              ? rowIssue("building", "building_elsewhere", { compound: r.compound, building: r.building, area: other })
              : rowIssue("building", "building_not_found", { compound: r.compound, building: r.building }),
          );
          return problems;
        }
        if (b === null) {
          problems.push(rowIssue("building", "building_ambiguous", { compound: r.compound, building: r.building }));
          return problems;
        }
        const floor = r.floor ?? (/^\d{3,}$/.test(r.roomNo) ? Number(r.roomNo.slice(0, -2)) : null);
        if (floor === null) problems.push(rowIssue("roomNo", "floor_unknown"));
        else if (floor < 1 || floor > b.floors) problems.push(rowIssue(r.floor === null ? "roomNo" : "floor", "floor_out_of_range", { floors: b.floors }));
        const unitId = units.get(key(b.id, r.unit));
        const dwelling = unitId === undefined ? undefined : dwellingByKey.get(key(unitId, r.roomNo));
        if (dwelling?.occupied) problems.push(rowIssue("roomNo", "dwelling_occupied"));
        if (r.headIdNumber !== null) {
          const h = headDwelling.get(searchHash(keyring, "idNumber", r.headIdNumber));
          if (h !== undefined && h !== null && h !== dwelling?.id) problems.push(rowIssue("headIdNumber", "head_lives_elsewhere"));
        }
        if (floor !== null) target.set(r, { building: b, floor });
        return problems;
      },
      async write(tx, list, progress) {
        const newUnits: NewBuildingUnit[] = [];
        const newDwellings: NewDwelling[] = [];
        const values: NewHousehold[] = [];
        for (const r of list) {
          const { building: b, floor } = target.get(r)!;
          let unitId = units.get(key(b.id, r.unit));
          if (unitId === undefined) {
            unitId = randomUUID();
            units.set(key(b.id, r.unit), unitId);
            newUnits.push({ id: unitId, buildingId: b.id, name: r.unit });
          }
          let dwellingId = dwellingByKey.get(key(unitId, r.roomNo))?.id;
          if (dwellingId === undefined) {
            dwellingId = randomUUID();
            newDwellings.push({ id: dwellingId, unitId, buildingId: b.id, gridId: b.grid_id, floor, roomNo: r.roomNo });
          }
          values.push({
            dwellingId,
            gridId: b.grid_id,
            address: r.address ?? composeAddress({ name: b.compound, address: b.compound_address }, b.name, r.unit, r.roomNo),
            headName: r.headName,
            size: r.size,
            note: r.note,
          });
        }
        await insertBuildingUnits(tx, newUnits, { chunk: 2000 });
        await insertDwellings(tx, newDwellings, { chunk: 2000 });
        await insertHouseholds(tx, values, { chunk: writeChunk, onProgress: progress });
        return {
          change: { rows: values.length, units: newUnits.map((u) => u.id), dwellings: newDwellings.map((d) => d.id) },
          summary: { rows: values.length, unitsCreated: newUnits.length, dwellingsCreated: newDwellings.length },
        };
      },
    };
  },

  exportColumns: [
    { header: "小区", key: "compound" },
    { header: "楼栋", key: "building" },
    { header: "单元", key: "unit" },
    { header: "楼层", key: "floor" },
    { header: "房号", key: "roomNo", numFmt: "@" },
    { header: "户主姓名", key: "headName" },
    { header: "户主身份证号", key: "headIdNumber", numFmt: "@" },
    { header: "户人数", key: "size" },
    { header: "住址", key: "address" },
    { header: "备注", key: "note" },
  ],
  clearOnlyColumns: ["note"],

  async exportRows({ db, keyring, area, clear }) {
    const list = await householdsLedgerRows(db, area.path);
    return list.map((h) => ({
      compound: h.compound,
      building: h.building,
      unit: h.unit,
      floor: h.floor,
      roomNo: h.room_no,
      headName: clear ? h.head_name : maskName(h.head_name),
      headIdNumber: clear && h.head_id_enc ? decryptField(keyring, h.head_id_enc, "persons.id_number") : h.head_id_masked,
      size: h.size,
      address: clear ? h.address : maskAddress(h.address),
      // The staff's note is free text naming residents ("户内能人：张军（川剧）"): in clear files only.
      ...(clear ? { note: h.note } : {}),
    }));
  },
};
