/** Turning spreadsheet values into the strings the rest of the pipeline sees. */

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** "A" → 0, "AA" → 26 (upper-case letters only). */
export function columnIndex(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + (letters.charCodeAt(i) - 64);
  return n - 1;
}

/**
 * A number as a person would type it: no binary float noise (0.1 + 0.2 → "0.3"), integers in
 * full ("13812345678", not "1.3812345678e10"). Excel keeps 15 significant digits, so nothing
 * beyond that is real.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return Object.is(n, -0) ? "0" : String(n);
  return String(Number(n.toPrecision(15)));
}

export type DateKind = "date" | "datetime" | "time";

const pad = (n: number): string => String(n).padStart(2, "0");

function clock(h: number, m: number, s: number): string {
  return s === 0 ? `${pad(h)}:${pad(m)}` : `${pad(h)}:${pad(m)}:${pad(s)}`;
}

/**
 * An Excel serial date as YYYY-MM-DD (date), YYYY-MM-DD HH:mm[:ss] (datetime) or HH:mm[:ss] (time).
 * 1900 system: day 1 is 1900-01-01 and Excel's phantom 1900-02-29 (serial 60) is kept off the
 * calendar; 1904 system (old Mac files): day 0 is 1904-01-01.
 */
export function formatSerialDate(serial: number, kind: DateKind, date1904: boolean): string {
  const totalSeconds = Math.round(serial * 86_400);
  const days = Math.floor(totalSeconds / 86_400);
  const secondsOfDay = totalSeconds - days * 86_400;
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay % 3600) / 60);
  const s = secondsOfDay % 60;
  if (kind === "time") return clock(h, m, s);
  let epochDay: number; // days since 1970-01-01
  if (date1904) epochDay = days - 24_107;
  else epochDay = days < 61 ? days - 25_568 : days - 25_569;
  const date = new Date(epochDay * 86_400_000);
  const ymd = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (kind === "date" || secondsOfDay === 0) return ymd;
  return `${ymd} ${clock(h, m, s)}`;
}

/**
 * Whether an Excel number format shows a date or a time. `code` is the format code; built-in
 * formats (no code in the file) are looked up by id, including the zh-CN ones Excel in China
 * uses (27–36, 50–58: yyyy"年"m"月"d"日" and friends).
 */
export function dateKindOfFormat(numFmtId: number, code: string | undefined): DateKind | null {
  if (code === undefined) {
    if ((numFmtId >= 14 && numFmtId <= 17) || (numFmtId >= 27 && numFmtId <= 31) || numFmtId === 36) return "date";
    if ((numFmtId >= 50 && numFmtId <= 54) || numFmtId === 57 || numFmtId === 58) return "date";
    if (numFmtId === 22) return "datetime";
    if ((numFmtId >= 18 && numFmtId <= 21) || (numFmtId >= 32 && numFmtId <= 35)) return "time";
    if ((numFmtId >= 45 && numFmtId <= 47) || numFmtId === 55 || numFmtId === 56) return "time";
    return null;
  }
  // Only the first section (positive numbers) matters; drop literals, colours, locales, escapes.
  const section = (code.split(";")[0] ?? "")
    .replace(/"[^"]*"/g, "")
    .replace(/\[[^\]]*\]/g, "")
    .replace(/\\./g, "")
    .replace(/[_*]./g, "")
    .replace(/general/gi, "")
    .replace(/am\/pm|a\/p/gi, "");
  const hasTime = /[hs]/i.test(section);
  const hasDate = /[yd]/i.test(section) || (/m/i.test(section) && !hasTime);
  if (hasDate && hasTime) return "datetime";
  if (hasDate) return "date";
  if (hasTime) return "time";
  return null;
}

/** The value of an ISO 8601 date cell (t="d"), shown the same way as serial dates. */
export function formatIsoDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(iso);
  if (!m) return iso;
  const [, ymd, h, min, s] = m;
  if (h === undefined || (h === "00" && min === "00" && (s === undefined || s === "00"))) return ymd!;
  return `${ymd} ${clock(Number(h), Number(min), Number(s ?? 0))}`;
}

/** Display width of a string in a spreadsheet column: CJK and full-width characters count twice. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    width += cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000) ? 2 : 1;
  }
  return width;
}
