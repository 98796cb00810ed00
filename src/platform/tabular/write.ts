/**
 * Exports: .xlsx (header bold and frozen, sensible widths) and .csv (UTF-8 with BOM so Excel in
 * China shows Chinese correctly). These write what they are given: masking happens before, in
 * the ledger's export, according to the reader's role (src/platform/mask.ts).
 */
import { PassThrough } from "node:stream";
import { setImmediate as nextTurn } from "node:timers/promises";
import ExcelJS from "exceljs";
import { columnLetter, displayWidth, formatNumber } from "./cells.js";
import type { Problem } from "./validate.js";

export type ExportValue = string | number | null | undefined;

export interface ExportColumn {
  /** zh-CN header, e.g. the field's label, so an export can be imported again. */
  header: string;
  key: string;
  /** In characters (a Chinese character counts two); default from the content, 8–60. */
  width?: number;
  /** Excel number format of the column, e.g. "@" (text: ID numbers typed later stay text) or "yyyy-mm-dd". */
  numFmt?: string;
}

export interface ExportSheet {
  sheetName: string;
  columns: readonly ExportColumn[];
  rows: readonly Record<string, ExportValue>[];
  /** A title row above the header (merged across the columns). */
  title?: string;
}

/** Sheet names: at most 31 characters, none of \ / ? * [ ] :. */
function safeSheetName(name: string): string {
  const clean = name.replace(/[\\/?*[\]:]/g, "_").trim().slice(0, 31);
  return clean || "Sheet1";
}

function widthsOf(sheet: ExportSheet): number[] {
  const sample = sheet.rows.slice(0, 1000);
  return sheet.columns.map((c) => {
    if (c.width !== undefined) return c.width;
    let w = displayWidth(c.header);
    for (const row of sample) {
      const v = row[c.key];
      if (v !== null && v !== undefined) w = Math.max(w, displayWidth(typeof v === "number" ? formatNumber(v) : v));
    }
    return Math.min(60, Math.max(8, w + 2));
  });
}

/** One worksheet as an .xlsx file, written with ExcelJS's streaming writer (strings inline, no shared-string table). */
export async function writeXlsx(sheet: ExportSheet): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on("end", resolve);
    out.on("error", reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const headerRow = sheet.title ? 2 : 1;
  const ws = workbook.addWorksheet(safeSheetName(sheet.sheetName), { views: [{ state: "frozen", ySplit: headerRow }] });
  const widths = widthsOf(sheet);
  ws.columns = sheet.columns.map((c, i) => ({ key: c.key, width: widths[i], ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const n = sheet.columns.length;
  if (sheet.title) {
    const titleRow = ws.addRow([sheet.title]);
    titleRow.font = { bold: true, size: 14 };
    titleRow.height = 24;
    // After addRow: merging first would create row 1 and push the title to row 2.
    if (n > 1) ws.mergeCells(1, 1, 1, n);
    titleRow.commit();
  }
  const header = ws.addRow(sheet.columns.map((c) => c.header));
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFEFEFEF" } };
    cell.border = { bottom: { style: "thin" } };
  });
  header.commit();
  let written = 0;
  for (const row of sheet.rows) {
    ws.addRow(sheet.columns.map((c) => row[c.key] ?? null)).commit();
    // ExcelJS does ~20 µs of synchronous work per row; let requests through during big exports.
    if (++written % 2_000 === 0) await nextTurn();
  }
  ws.commit();
  await workbook.commit();
  await ended;
  return Buffer.concat(chunks);
}

/**
 * Text that Excel would run as a formula (=, +, -, @ …) gets a leading apostrophe (CSV
 * injection); signed numbers and phone numbers (+86 138…) cannot be formulas and stay as they are.
 */
function csvCell(value: ExportValue): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "number" ? formatNumber(value) : value;
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text) && !/^[+-]?[\d\s().,-]*$/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The same data as CSV: UTF-8 with a BOM, comma-separated, CRLF line ends (what Excel expects). */
export function writeCsv(sheet: Pick<ExportSheet, "columns" | "rows">): Buffer {
  const lines: string[] = [sheet.columns.map((c) => csvCell(c.header)).join(",")];
  for (const row of sheet.rows) lines.push(sheet.columns.map((c) => csvCell(row[c.key])).join(","));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join("\r\n") + "\r\n", "utf8")]);
}

/** The problem list of a failed import, for download: 行号, 列, 问题. */
export async function reportXlsx(
  problems: readonly Problem[],
  opts: { omitted?: number; title?: string } = {},
): Promise<Buffer> {
  const rows: Record<string, ExportValue>[] = problems.map((p) => ({
    row: p.row,
    column: p.column === undefined ? "" : p.columnIndex === undefined ? p.column : `${p.column}（${columnLetter(p.columnIndex)} 列）`,
    reason: p.reason,
  }));
  if (opts.omitted) rows.push({ row: null, column: "", reason: `另有 ${opts.omitted} 个问题未列出；请改正以上问题后重新导入，再查看其余问题` });
  return writeXlsx({
    sheetName: "导入问题",
    title: opts.title,
    columns: [
      { header: "行号", key: "row", width: 8 },
      { header: "列", key: "column" },
      { header: "问题", key: "reason", width: 60 },
    ],
    rows,
  });
}
