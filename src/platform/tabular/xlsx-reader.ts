/**
 * A small .xlsx reader for imports. The upload is already in memory, so the ZIP is read through its
 * central directory (any part order, no temp files), and the sheet is inflated and scanned in
 * chunks, row by row: a 100,000-row sheet never exists as one string, and a `maxRows` overflow
 * stops the inflation. Cell values become display strings (see cells.ts); styles are read only
 * to tell dates from numbers — including the zh-CN built-in date formats, which ExcelJS's reader
 * does not know.
 */
import { Readable } from "node:stream";
import zlib from "node:zlib";
import { columnIndex, dateKindOfFormat, formatIsoDate, formatNumber, formatSerialDate, type DateKind } from "./cells.js";
import { TabularError } from "./errors.js";

export interface SheetRow {
  /** 1-based row number in the sheet. */
  rowNumber: number;
  /** Trimmed display strings; "" for empty cells. */
  cells: string[];
}

export interface OpenedWorkbook {
  sheetNames: string[];
  sheetName: string;
  /** Last row of the sheet's declared range (`<dimension>`), when the file states it. */
  lastRow?: number;
  rows: AsyncGenerator<SheetRow>;
}

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** A part larger than this once inflated is refused (a "ZIP bomb" or not a ledger). */
const maxPartBytes = 512 * 1024 * 1024;

function corrupt(): TabularError {
  return new TabularError("corrupt_file", "Excel 文件已损坏或不完整，无法读取；请用 Excel 打开后重新另存为 .xlsx 再上传");
}

function readCentralDirectory(buf: Buffer): Map<string, ZipEntry> {
  // End of central directory: 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw corrupt();
  let count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buf.readUInt32LE(locator) !== 0x07064b50) throw corrupt();
    const zip64 = Number(buf.readBigUInt64LE(locator + 8));
    if (zip64 + 56 > buf.length || buf.readUInt32LE(zip64) !== 0x06064b50) throw corrupt();
    count = Number(buf.readBigUInt64LE(zip64 + 32));
    offset = Number(buf.readBigUInt64LE(zip64 + 48));
  }
  const entries = new Map<string, ZipEntry>();
  let p = offset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw corrupt();
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      name: buf.toString("utf8", p + 46, p + 46 + nameLength),
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    };
    if (entry.size === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) {
      readZip64Extra(buf, p + 46 + nameLength, extraLength, entry);
    }
    entries.set(entry.name.replace(/^\/+/, "").toLowerCase(), entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function readZip64Extra(buf: Buffer, start: number, length: number, entry: ZipEntry): void {
  let p = start;
  while (p + 4 <= start + length) {
    const id = buf.readUInt16LE(p);
    const size = buf.readUInt16LE(p + 2);
    if (id === 0x0001) {
      let q = p + 4;
      if (entry.size === 0xffffffff) {
        entry.size = Number(buf.readBigUInt64LE(q));
        q += 8;
      }
      if (entry.compressedSize === 0xffffffff) {
        entry.compressedSize = Number(buf.readBigUInt64LE(q));
        q += 8;
      }
      if (entry.localOffset === 0xffffffff) entry.localOffset = Number(buf.readBigUInt64LE(q));
      return;
    }
    p += 4 + size;
  }
}

function compressedData(buf: Buffer, entry: ZipEntry): Buffer {
  const p = entry.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== 0x04034b50) throw corrupt();
  if (entry.flags & 1) {
    throw new TabularError("unsupported_file_type", "文件设置了密码，无法读取；请在 Excel 中取消密码后另存为 .xlsx 再上传");
  }
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) throw corrupt();
  return buf.subarray(start, end);
}

function readPart(buf: Buffer, entry: ZipEntry): string {
  const data = compressedData(buf, entry);
  if (entry.method === 0) return data.toString("utf8");
  if (entry.method !== 8) throw corrupt();
  try {
    return zlib.inflateRawSync(data, { maxOutputLength: maxPartBytes }).toString("utf8");
  } catch {
    throw corrupt();
  }
}

/** The part's text in chunks, inflated as it is consumed. */
async function* streamPart(buf: Buffer, entry: ZipEntry): AsyncGenerator<string> {
  const data = compressedData(buf, entry);
  if (entry.method === 0) {
    yield data.toString("utf8");
    return;
  }
  if (entry.method !== 8) throw corrupt();
  const decoder = new TextDecoder("utf-8");
  const inflate = zlib.createInflateRaw({ chunkSize: 256 * 1024 });
  const source = Readable.from([data]);
  source.pipe(inflate);
  let total = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxPartBytes) throw corrupt();
      yield decoder.decode(chunk, { stream: true });
    }
  } catch (error) {
    if (error instanceof TabularError) throw error;
    throw corrupt();
  } finally {
    source.destroy();
    inflate.destroy();
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

// ---------------------------------------------------------------------------------------------
// XML, the little of it that SpreadsheetML needs. Elements may carry a namespace prefix (x:row).

const entityRe = /&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g;
const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  let out = text;
  if (out.includes("&")) {
    out = out.replace(entityRe, (_, e: string) => {
      if (e[0] !== "#") return named[e] ?? "";
      const cp = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
    });
  }
  // Excel escapes characters XML cannot carry as _xHHHH_ (a cell line break is often _x000D_).
  if (out.includes("_x")) out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return out;
}

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attrs);
  if (!m) return undefined;
  return decodeXml(m[1] ?? m[2] ?? "");
}

/** Attributes of every `<tag …>` in `xml`, with or without a namespace prefix. */
function tags(xml: string, tag: string): string[] {
  const re = new RegExp(`<(?:\\w+:)?${tag}\\b([^>]*)>`, "g");
  const out: string[] = [];
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[1] ?? "");
  return out;
}

const runTextRe = /<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g;
const phoneticRe = /<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g;

/** Text of a shared string or inline string: its runs joined, phonetic guides (rPh) left out. */
function richText(inner: string): string {
  const body = inner.includes("rPh") ? inner.replace(phoneticRe, "") : inner;
  let text = "";
  runTextRe.lastIndex = 0;
  for (let m = runTextRe.exec(body); m; m = runTextRe.exec(body)) text += m[1] ?? "";
  return decodeXml(text);
}

function resolveTarget(baseDir: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = baseDir ? baseDir.split("/") : [];
  for (const seg of target.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== "." && seg !== "") parts.push(seg);
  }
  return parts.join("/");
}

interface Relationship {
  type: string;
  target: string;
}

function readRels(buf: Buffer, entries: Map<string, ZipEntry>, path: string): Map<string, Relationship> {
  const rels = new Map<string, Relationship>();
  const entry = entries.get(path.toLowerCase());
  if (!entry) return rels;
  for (const attrs of tags(readPart(buf, entry), "Relationship")) {
    const id = attr(attrs, "Id");
    const target = attr(attrs, "Target");
    if (id && target && attr(attrs, "TargetMode") !== "External") rels.set(id, { type: attr(attrs, "Type") ?? "", target });
  }
  return rels;
}

function readSharedStrings(xml: string): string[] {
  const strings: string[] = [];
  const re = /<(?:\w+:)?si(?:\s*\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g;
  for (let m = re.exec(xml); m; m = re.exec(xml)) strings.push(m[1] ? richText(m[1]) : "");
  return strings;
}

/** Per cell style index (the `s` attribute), whether its number format shows a date or time. */
function readDateStyles(xml: string): (DateKind | null)[] {
  const codes = new Map<number, string>();
  for (const attrs of tags(xml, "numFmt")) {
    const id = Number(attr(attrs, "numFmtId"));
    const code = attr(attrs, "formatCode");
    if (Number.isInteger(id) && code !== undefined) codes.set(id, code);
  }
  const cellXfs = /<(?:\w+:)?cellXfs\b[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(xml)?.[1] ?? "";
  return tags(cellXfs, "xf").map((attrs) => {
    const id = Number(attr(attrs, "numFmtId") ?? 0);
    return dateKindOfFormat(id, codes.get(id));
  });
}

interface SheetRef {
  name: string;
  path: string;
  hidden: boolean;
}

/**
 * Opens the workbook and picks a sheet: by name, by 1-based position, or by default the first
 * visible one. Throws `corrupt_file`, `unsupported_file_type` (a ZIP that is not a workbook) or
 * `sheet_not_found`.
 */
export function openWorkbook(buf: Buffer, sheet?: string | number): OpenedWorkbook {
  const entries = readCentralDirectory(buf);
  const rootRels = readRels(buf, entries, "_rels/.rels");
  const officeDoc = [...rootRels.values()].find((r) => r.type.endsWith("/officeDocument"));
  const workbookPath = officeDoc ? resolveTarget("", officeDoc.target) : "xl/workbook.xml";
  const workbookEntry = entries.get(workbookPath.toLowerCase());
  if (!workbookEntry) throw notAWorkbook(entries);
  const workbookXml = readPart(buf, workbookEntry);
  const dir = workbookPath.includes("/") ? workbookPath.slice(0, workbookPath.lastIndexOf("/")) : "";
  const rels = readRels(buf, entries, `${dir ? `${dir}/` : ""}_rels/${workbookPath.slice(dir.length ? dir.length + 1 : 0)}.rels`);

  const wbPr = tags(workbookXml, "workbookPr")[0] ?? "";
  const date1904 = ["1", "true"].includes(attr(wbPr, "date1904") ?? "");
  const sheets: SheetRef[] = [];
  for (const attrs of tags(workbookXml, "sheet")) {
    const relId = /\s[\w]+:id\s*=\s*["']([^"']*)["']/.exec(attrs)?.[1];
    const rel = relId ? rels.get(relId) : undefined;
    if (!rel || !rel.type.endsWith("/worksheet")) continue; // chart sheets, dialog sheets
    const state = attr(attrs, "state");
    sheets.push({ name: attr(attrs, "name") ?? "", path: resolveTarget(dir, rel.target), hidden: state === "hidden" || state === "veryHidden" });
  }
  const sheetNames = sheets.map((s) => s.name);
  const chosen = pickSheet(sheets, sheet);

  const relOfType = (suffix: string): string | undefined => {
    const r = [...rels.values()].find((x) => x.type.endsWith(suffix));
    return r ? resolveTarget(dir, r.target) : undefined;
  };
  const sharedPath = relOfType("/sharedStrings");
  const sharedEntry = sharedPath ? entries.get(sharedPath.toLowerCase()) : undefined;
  const shared = sharedEntry ? readSharedStrings(readPart(buf, sharedEntry)) : [];
  const stylesPath = relOfType("/styles");
  const stylesEntry = stylesPath ? entries.get(stylesPath.toLowerCase()) : undefined;
  const dateStyles = stylesEntry ? readDateStyles(readPart(buf, stylesEntry)) : [];

  const sheetEntry = entries.get(chosen.path.toLowerCase());
  if (!sheetEntry) throw corrupt();
  const parts = streamPart(buf, sheetEntry);
  const state: { lastRow?: number } = {};
  return {
    sheetNames,
    sheetName: chosen.name,
    get lastRow() {
      return state.lastRow;
    },
    rows: scanRows(parts, shared, dateStyles, date1904, state),
  };
}

function notAWorkbook(entries: Map<string, ZipEntry>): TabularError {
  const names = [...entries.keys()];
  let what = "ZIP 压缩包";
  if (names.some((n) => n.startsWith("word/"))) what = "Word 文档";
  else if (names.some((n) => n.startsWith("ppt/"))) what = "PowerPoint 演示文稿";
  else if (names.includes("mimetype") || names.includes("content.xml")) what = "OpenDocument（WPS/LibreOffice）文件";
  return new TabularError("unsupported_file_type", `上传的文件是${what}，不是 Excel 表格；请上传 .xlsx 或 .csv 文件（其他表格格式请先另存为 .xlsx）`);
}

function pickSheet(sheets: SheetRef[], sheet: string | number | undefined): SheetRef {
  if (sheets.length === 0) throw new TabularError("empty_file", "Excel 文件中没有工作表");
  if (sheet === undefined) return sheets.find((s) => !s.hidden) ?? sheets[0]!;
  if (typeof sheet === "number") {
    const found = Number.isInteger(sheet) ? sheets[sheet - 1] : undefined;
    if (!found) throw new TabularError("sheet_not_found", `文件中没有第 ${sheet} 个工作表（共 ${sheets.length} 个）`);
    return found;
  }
  const found = sheets.find((s) => s.name === sheet) ?? sheets.find((s) => s.name.trim() === sheet.trim());
  if (!found) {
    const list = sheets.map((s) => `「${s.name}」`).join("、");
    throw new TabularError("sheet_not_found", `文件中没有名为「${sheet}」的工作表；现有工作表：${list}`);
  }
  return found;
}

async function* scanRows(
  parts: AsyncGenerator<string>,
  shared: string[],
  dateStyles: (DateKind | null)[],
  date1904: boolean,
  state: { lastRow?: number },
): AsyncGenerator<SheetRow> {
  let pending = "";
  let prefix: string | undefined;
  let closeTag = "</row>";
  let rowRe = /<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g;
  let cellRe = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g;
  let valueRe = /<v(?:\s[^>]*)?>([\s\S]*?)<\/v>/;
  let inlineRe = /<is>([\s\S]*?)<\/is>/;
  let previousRow = 0;

  for await (const chunk of parts) {
    pending += chunk;
    if (prefix === undefined) {
      const m = /<(\w+:)?sheetData\b/.exec(pending);
      if (!m) continue;
      prefix = m[1] ?? "";
      const dim = new RegExp(`<${prefix}dimension\\b[^>]*\\bref\\s*=\\s*["'][A-Z]*\\d*:?[A-Z]*(\\d+)["']`).exec(pending);
      if (dim) state.lastRow = Number(dim[1]);
      if (prefix) {
        const p = prefix;
        closeTag = `</${p}row>`;
        rowRe = new RegExp(`<${p}row\\b([^>]*?)(?:\\/>|>([\\s\\S]*?)<\\/${p}row>)`, "g");
        cellRe = new RegExp(`<${p}c\\b([^>]*?)(?:\\/>|>([\\s\\S]*?)<\\/${p}c>)`, "g");
        valueRe = new RegExp(`<${p}v(?:\\s[^>]*)?>([\\s\\S]*?)<\\/${p}v>`);
        inlineRe = new RegExp(`<${p}is>([\\s\\S]*?)<\\/${p}is>`);
      }
      pending = pending.slice(m.index);
    }
    const end = pending.lastIndexOf(closeTag);
    if (end < 0) continue;
    const complete = pending.slice(0, end + closeTag.length);
    pending = pending.slice(end + closeTag.length);
    yield* rowsOf(complete);
  }
  yield* rowsOf(pending);

  function* rowsOf(xml: string): Generator<SheetRow> {
    rowRe.lastIndex = 0;
    for (let m = rowRe.exec(xml); m; m = rowRe.exec(xml)) {
      const r = Number(/(?:^|\s)r\s*=\s*["'](\d+)/.exec(m[1] ?? "")?.[1]);
      const rowNumber = Number.isInteger(r) && r > 0 ? r : previousRow + 1;
      previousRow = rowNumber;
      const inner = m[2];
      if (!inner) continue;
      const cells = cellsOf(inner);
      if (cells.length > 0) yield { rowNumber, cells };
    }
  }

  function cellsOf(xml: string): string[] {
    const cells: string[] = [];
    let col = -1;
    cellRe.lastIndex = 0;
    for (let m = cellRe.exec(xml); m; m = cellRe.exec(xml)) {
      const attrs = m[1] ?? "";
      const ref = /(?:^|\s)r\s*=\s*["']([A-Z]+)/.exec(attrs);
      col = ref ? columnIndex(ref[1]!) : col + 1;
      const inner = m[2];
      if (!inner) continue;
      let value = cellValue(attrs, inner);
      if (value.includes("\r")) value = value.replace(/\r\n?/g, "\n");
      value = value.trim();
      if (value === "") continue;
      while (cells.length < col) cells.push("");
      cells[col] = value;
    }
    return cells;
  }

  function cellValue(attrs: string, inner: string): string {
    const type = /(?:^|\s)t\s*=\s*["'](\w+)/.exec(attrs)?.[1] ?? "n";
    if (type === "inlineStr") {
      const is = inlineRe.exec(inner);
      return is ? richText(is[1] ?? "") : "";
    }
    const raw = valueRe.exec(inner)?.[1];
    if (raw === undefined) return "";
    switch (type) {
      case "s":
        return shared[Number(raw)] ?? "";
      case "str":
      case "e":
        return decodeXml(raw);
      case "b":
        return raw.trim() === "1" ? "TRUE" : "FALSE";
      case "d":
        return formatIsoDate(raw.trim());
      default: {
        const n = Number(raw);
        if (raw.trim() === "" || !Number.isFinite(n)) return decodeXml(raw);
        const style = /(?:^|\s)s\s*=\s*["'](\d+)/.exec(attrs)?.[1];
        const kind = style === undefined ? null : (dateStyles[Number(style)] ?? null);
        return kind ? formatSerialDate(n, kind, date1904) : formatNumber(n);
      }
    }
  }
}
