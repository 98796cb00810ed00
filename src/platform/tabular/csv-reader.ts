/**
 * CSV and other delimited text: decoding (UTF-8 with or without BOM, UTF-16 "Unicode text" from
 * Excel, and GB18030/GBK — what Excel in China saves as "CSV"), delimiter sniffing and an
 * RFC 4180 parser. The parser is hand-written because it is the hot loop of a 100,000-row import:
 * it slices between delimiters with `indexOf`/`charCodeAt` and runs several times faster than
 * csv-parse on the same text.
 */
import { TabularError } from "./errors.js";
import type { SheetRow } from "./xlsx-reader.js";

export type TextEncoding = "utf-8" | "gb18030" | "utf-16le" | "utf-16be";
export type Delimiter = "," | "\t" | ";";

export function decodeText(bytes: Buffer): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8").decode(bytes.subarray(3)), encoding: "utf-8" };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(bytes.subarray(2)), encoding: "utf-16le" };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(bytes.subarray(2)), encoding: "utf-16be" };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    // Not valid UTF-8: a Chinese-locale Excel or WPS "CSV" is GBK, which GB18030 contains.
    return { text: new TextDecoder("gb18030").decode(bytes), encoding: "gb18030" };
  }
}

const candidates: readonly Delimiter[] = [",", "\t", ";"];

/**
 * The delimiter whose count of fields is the same (and above one) on the first records; else the
 * one giving the header the most fields; else a comma.
 */
export function sniffDelimiter(text: string): Delimiter {
  const sample = text.slice(0, 64 * 1024);
  let best: Delimiter = ",";
  let bestScore = -1;
  for (const d of candidates) {
    const counts: number[] = [];
    try {
      for (const row of parseCsv(sample, d, 1, true)) {
        if (row.cells.length === 1 && row.cells[0] === "") continue;
        counts.push(row.cells.length);
        if (counts.length >= 20) break;
      }
    } catch {
      // An unclosed quote in a cut sample; judge by what was read.
    }
    const first = counts[0] ?? 1;
    if (first <= 1) continue;
    // The last record of a cut sample may be partial; it does not count against consistency.
    const checked = counts.length > 1 && sample.length < text.length ? counts.slice(0, -1) : counts;
    const consistent = checked.every((c) => c === first);
    const score = (consistent ? 1_000_000 : 0) + first;
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Records of `text`, one per spreadsheet row as Excel shows the file: a quoted cell may span lines,
 * an empty line is an (empty) row. Cells are trimmed; `="0123"` (the trick system exports use to
 * keep Excel from turning ID numbers into numbers) is unwrapped. An unclosed quote is an error
 * naming the row where it opens, unless `lenient` (sniffing a sample).
 */
export function* parseCsv(text: string, delimiter: Delimiter, firstRow = 1, lenient = false): Generator<SheetRow> {
  const d = delimiter.charCodeAt(0);
  const len = text.length;
  let pos = 0;
  let rowNumber = firstRow;
  while (pos < len) {
    const cells: string[] = [];
    for (;;) {
      let value: string;
      if (text.charCodeAt(pos) === 34) {
        let start = pos + 1;
        value = "";
        for (;;) {
          const q = text.indexOf('"', start);
          if (q < 0) {
            if (!lenient) {
              throw new TabularError("malformed_csv", `第 ${rowNumber} 行有一个没有闭合的英文双引号（"），请检查该行`, { row: rowNumber });
            }
            value += text.slice(start);
            pos = len;
            break;
          }
          if (text.charCodeAt(q + 1) === 34) {
            value += text.slice(start, q + 1);
            start = q + 2;
            continue;
          }
          value += text.slice(start, q);
          pos = q + 1;
          break;
        }
        // Text after the closing quote (a"b"c): kept, as Excel does.
        let end = pos;
        while (end < len) {
          const c = text.charCodeAt(end);
          if (c === d || c === 10 || c === 13) break;
          end++;
        }
        if (end > pos) value += text.slice(pos, end);
        pos = end;
        if (value.includes("\r")) value = value.replace(/\r\n?/g, "\n");
      } else {
        let end = pos;
        while (end < len) {
          const c = text.charCodeAt(end);
          if (c === d || c === 10 || c === 13) break;
          end++;
        }
        value = text.slice(pos, end);
        pos = end;
      }
      value = value.trim();
      if (value.length > 2 && value.charCodeAt(0) === 61 && value.charCodeAt(1) === 34 && value.endsWith('"')) {
        value = value.slice(2, -1).replace(/""/g, '"').trim();
      }
      cells.push(value);
      if (pos >= len) break;
      const c = text.charCodeAt(pos);
      if (c === d) {
        pos++;
        if (pos === len) cells.push("");
        continue;
      }
      pos += c === 13 && text.charCodeAt(pos + 1) === 10 ? 2 : 1;
      break;
    }
    yield { rowNumber, cells };
    rowNumber++;
  }
}

/** Counts line breaks: an upper bound of the number of rows, for progress. */
export function countLines(text: string): number {
  let n = 1;
  const br = text.includes("\n") ? "\n" : "\r";
  for (let i = text.indexOf(br); i >= 0; i = text.indexOf(br, i + 1)) n++;
  return n;
}
