/**
 * Reading an uploaded ledger (.xlsx or .csv) into a header and rows of strings. The type is told
 * by the bytes, not the file name: a .csv saved as .xls by some system reads fine, a PDF renamed
 * .xlsx is refused with a message saying what it is.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import { columnLetter } from "./cells.js";
import { countLines, decodeText, parseCsv, sniffDelimiter, type Delimiter, type TextEncoding } from "./csv-reader.js";
import { TabularError } from "./errors.js";
import { normalizeHeader } from "./mapping.js";
import { openWorkbook, type SheetRow } from "./xlsx-reader.js";

export interface ReadTableInput {
  bytes: Buffer | Uint8Array;
  /** Used only in the choice of messages; the content decides the format. */
  fileName: string;
}

export interface ReadTableOptions {
  /** Worksheet name, or 1-based position; default the first visible sheet. */
  sheet?: string | number;
  /** More data rows than this is `too_many_rows`, detected while reading. Default 200,000. */
  maxRows?: number;
  /** 1-based row of the header; default the first non-empty row (after a one-cell title row). */
  headerRow?: number;
  /** Rows read so far and an estimate of the total (from the sheet's range or the line count). */
  onProgress?(done: number, total?: number): void;
  signal?: AbortSignal;
}

/** What validation needs: cells as trimmed strings, and where each row is in the sheet. */
export interface Table {
  headers: string[];
  /** Each row has exactly `headers.length` cells; "" for an empty cell. */
  rows: string[][];
  /** 1-based sheet row of each entry of `rows`, for reports. */
  rowNumbers: number[];
}

export interface ReadTableResult extends Table {
  format: "xlsx" | "csv";
  headerRowNumber: number;
  /** .xlsx: the sheet read, and all sheet names (to offer a choice). */
  sheetName?: string;
  sheetNames?: string[];
  /** .csv: what was detected. */
  encoding?: TextEncoding;
  delimiter?: Delimiter;
}

export const defaultMaxRows = 200_000;
const progressEvery = 1_000;
const yieldEvery = 5_000;

const unsupported = (what: string, advice = "请上传 Excel 工作簿（.xlsx）或 CSV 文件"): TabularError =>
  new TabularError("unsupported_file_type", `上传的文件是${what}，不是可导入的表格；${advice}`);

function startsWith(bytes: Buffer, ...sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

/** Refuses the binary types someone might pick by mistake; anything else that is text is read as CSV. */
function detectFormat(bytes: Buffer): "xlsx" | "csv" {
  if (bytes.length === 0) throw new TabularError("empty_file", "上传的文件是空的（0 字节）");
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04) || startsWith(bytes, 0x50, 0x4b, 0x05, 0x06)) return "xlsx";
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    throw unsupported(
      "旧版 Excel（.xls）、WPS 表格（.et）或设置了密码的 Excel 文件",
      "请用 Excel 或 WPS 打开，「另存为」Excel 工作簿（.xlsx，不设密码）后再上传",
    );
  }
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46)) throw unsupported("PDF 文档");
  if (
    startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) ||
    startsWith(bytes, 0xff, 0xd8, 0xff) ||
    startsWith(bytes, 0x47, 0x49, 0x46, 0x38) ||
    startsWith(bytes, 0x49, 0x49, 0x2a, 0x00) ||
    startsWith(bytes, 0x4d, 0x4d, 0x00, 0x2a) ||
    (startsWith(bytes, 0x52, 0x49, 0x46, 0x46) && bytes.toString("latin1", 8, 12) === "WEBP") ||
    bytes.toString("latin1", 4, 12) === "ftypheic"
  ) {
    throw unsupported("图片", "请上传 Excel 工作簿（.xlsx）或 CSV 文件，不能识别图片或拍照中的表格");
  }
  if (startsWith(bytes, 0x1f, 0x8b) || startsWith(bytes, 0x52, 0x61, 0x72, 0x21) || startsWith(bytes, 0x37, 0x7a, 0xbc, 0xaf)) {
    throw unsupported("压缩包", "请解压后上传其中的 .xlsx 或 .csv 文件");
  }
  if (startsWith(bytes, 0x7b, 0x5c, 0x72, 0x74, 0x66)) throw unsupported("RTF 文档");
  const utf16 = startsWith(bytes, 0xff, 0xfe) || startsWith(bytes, 0xfe, 0xff);
  if (!utf16) {
    const head = bytes.subarray(0, 8192);
    let control = 0;
    for (const b of head) {
      if (b === 0) throw unsupported("无法识别的二进制文件");
      if (b < 9 || (b > 13 && b < 32)) control++;
    }
    if (control > head.length / 100) throw unsupported("无法识别的二进制文件");
  }
  return "csv";
}

/**
 * Reads the first sheet (or `opts.sheet`) of an .xlsx, or a CSV/TSV file. Skips empty rows; the
 * header is the first non-empty row (a lone title cell above a wider row is skipped). Errors:
 * `unsupported_file_type`, `empty_file` (also: only a header), `no_header`, `duplicate_header`,
 * `too_many_rows`, `sheet_not_found`, `corrupt_file`, `malformed_csv`.
 */
export async function readTable(input: ReadTableInput, opts: ReadTableOptions = {}): Promise<ReadTableResult> {
  const bytes = Buffer.isBuffer(input.bytes) ? input.bytes : Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength);
  const format = detectFormat(bytes);
  if (format === "xlsx") {
    const book = openWorkbook(bytes, opts.sheet);
    const table = await collect(book.rows, opts, () => book.lastRow, `工作表「${book.sheetName}」是空的`);
    return { format, ...table, sheetName: book.sheetName, sheetNames: book.sheetNames };
  }

  const decoded = decodeText(bytes);
  const encoding = decoded.encoding;
  let text = decoded.text;
  // Excel's own hint line "sep=;" names the delimiter and is not a row.
  const sep = /^sep=([,;\t])\r?\n/.exec(text);
  if (sep) text = text.slice(sep[0].length);
  if (text.trim() === "") throw new TabularError("empty_file", "上传的文件里没有任何内容");
  const lead = text.trimStart()[0];
  if (lead === "<") {
    throw unsupported("网页或 XML 格式的表格（一些系统导出的 .xls 其实是这种格式）", "请用 Excel 打开，「另存为」Excel 工作簿（.xlsx）后再上传");
  }
  if (lead === "{" || lead === "[") throw unsupported("JSON 文件", "网格边界（GeoJSON）请在网格导入中上传；台账请上传 .xlsx 或 .csv 文件");
  const delimiter = (sep?.[1] as Delimiter | undefined) ?? sniffDelimiter(text);
  let lines: number | undefined;
  const table = await collect(parseCsv(text, delimiter), opts, () => (lines ??= countLines(text)), "上传的文件里没有任何内容");
  return { format, ...table, encoding, delimiter };
}

const dataLike = /^\+?\d[\d\s-]{4,}[\dXx]$/;

async function collect(
  source: AsyncIterable<SheetRow> | Iterable<SheetRow>,
  opts: ReadTableOptions,
  lastRow: () => number | undefined,
  emptyMessage: string,
): Promise<Table & { headerRowNumber: number }> {
  const maxRows = opts.maxRows ?? defaultMaxRows;
  let header: SheetRow | undefined;
  let headers: string[] = [];
  let blankHeaderColumns: number[] = [];
  const lookahead: SheetRow[] = [];
  const rows: string[][] = [];
  const rowNumbers: number[] = [];

  const setHeader = (row: SheetRow): void => {
    header = row;
    let width = row.cells.length;
    while (width > 0 && row.cells[width - 1] === "") width--;
    headers = row.cells.slice(0, width).map((h) => h.replace(/\s+/g, " "));
    blankHeaderColumns = headers.flatMap((h, i) => (h === "" ? [i] : []));
    const suspicious = headers.findIndex((h) => dataLike.test(h));
    if (suspicious >= 0) {
      throw new TabularError(
        "no_header",
        `第 ${row.rowNumber} 行（${columnLetter(suspicious)} 列是一串数字）看起来是数据而不是列名；请在第一行填写列名（如「姓名」「身份证号」）`,
        { row: row.rowNumber, column: columnLetter(suspicious) },
      );
    }
    const seen = new Map<string, number>();
    headers.forEach((h, i) => {
      const key = normalizeHeader(h);
      if (key === "") return;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new TabularError(
          "duplicate_header",
          `表头（第 ${row.rowNumber} 行）有两列都叫「${h}」（${columnLetter(first)} 列和 ${columnLetter(i)} 列）；请删除或改名其中一列`,
          { row: row.rowNumber, column: h },
        );
      }
      seen.set(key, i);
    });
  };

  const addRow = async (row: SheetRow): Promise<void> => {
    const width = headers.length;
    const cells = row.cells;
    if (cells.length > width || blankHeaderColumns.length > 0) {
      for (let j = 0; j < cells.length; j++) {
        if (cells[j] !== "" && (j >= width || headers[j] === "")) {
          throw new TabularError(
            "no_header",
            `${columnLetter(j)} 列从第 ${row.rowNumber} 行起有数据，但表头（第 ${header!.rowNumber} 行）这一列是空的；请补上列名或删除这一列`,
            { row: row.rowNumber, column: columnLetter(j) },
          );
        }
      }
    }
    if (rows.length >= maxRows) {
      throw new TabularError("too_many_rows", `文件的数据超过 ${maxRows} 行，一次最多导入 ${maxRows} 行；请拆分成几个文件分批导入`, {
        row: row.rowNumber,
      });
    }
    if (cells.length > width) cells.length = width;
    while (cells.length < width) cells.push("");
    rows.push(cells);
    rowNumbers.push(row.rowNumber);
    const done = rows.length;
    if (done % progressEvery === 0 && opts.onProgress) {
      const last = lastRow();
      opts.onProgress(done, last === undefined ? undefined : Math.max(done, last - header!.rowNumber));
    }
    if (done % yieldEvery === 0) {
      await nextTurn();
      opts.signal?.throwIfAborted();
    }
  };

  const decide = async (): Promise<void> => {
    // A ledger often opens with its title in A1 (merged across the sheet) above the real header.
    const filled = (r: SheetRow): number => r.cells.reduce((n, c) => (c === "" ? n : n + 1), 0);
    let i = 0;
    while (i < lookahead.length - 1 && filled(lookahead[i]!) === 1 && filled(lookahead[i + 1]!) >= 3) i++;
    setHeader(lookahead[i]!);
    for (const r of lookahead.slice(i + 1)) await addRow(r);
    lookahead.length = 0;
  };

  opts.signal?.throwIfAborted();
  for await (const row of source) {
    if (row.cells.every((c) => c === "")) continue;
    if (header) {
      await addRow(row);
    } else if (opts.headerRow !== undefined) {
      if (row.rowNumber < opts.headerRow) continue;
      if (row.rowNumber > opts.headerRow) throw emptyHeaderRow(opts.headerRow);
      setHeader(row);
    } else {
      lookahead.push(row);
      if (lookahead.length >= 5) await decide();
    }
  }
  if (!header && lookahead.length > 0) await decide();
  if (!header) {
    if (opts.headerRow !== undefined) throw emptyHeaderRow(opts.headerRow);
    throw new TabularError("empty_file", emptyMessage);
  }
  if (rows.length === 0) {
    throw new TabularError("empty_file", `文件只有表头（第 ${header.rowNumber} 行），没有数据行`, { row: header.rowNumber });
  }
  opts.onProgress?.(rows.length, rows.length);
  return { headers, rows, rowNumbers, headerRowNumber: header.rowNumber };
}

function emptyHeaderRow(row: number): TabularError {
  return new TabularError("no_header", `指定的表头行（第 ${row} 行）是空的`, { row });
}
