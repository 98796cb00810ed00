/**
 * Validation of every row before anything is written: all problems are collected (up to a cap),
 * each naming the sheet row and the column, in zh-CN, without the values of personal fields.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { ColumnMapping, FieldDefinition, LedgerDefinition } from "./mapping.js";
import type { Table } from "./read.js";
import { hasControlCharacters } from "../text.js";

export interface Problem {
  /** 1-based sheet row (as Excel shows it). */
  row: number;
  /** Header text of the column, when the problem concerns one cell. */
  column?: string;
  /** 0-based column index (letter: `columnLetter(columnIndex)`). */
  columnIndex?: number;
  /** Field key. */
  field?: string;
  /** What is wrong, without the row and column: "校验位不正确". */
  reason: string;
  /** The full sentence: "第 12 行「身份证号」校验位不正确". */
  message: string;
  /** Stable code of the reason, when the ledger (or this module) gave one: "required", "duplicate_in_file"… */
  code?: string;
  /** The reason and the full sentence in English, when the reason has an English text. */
  reasonEn?: string;
  messageEn?: string;
}

/** A cross-field problem from `rowCheck`: a message, or a message tied to one field's column. */
export type RowCheckProblem = string | { field?: string | undefined; message: string; code?: string; en?: string };

export interface ValidateOptions<T> {
  /** Rows validated so far, of `total`. */
  onProgress?(done: number, total: number): void;
  /**
   * Checks across fields (birth date agrees with the ID number…), called only for rows whose
   * every field parsed. Messages are zh-CN, without the row number.
   */
  rowCheck?(row: T, rowNumber: number): readonly RowCheckProblem[] | undefined;
  /** Field combinations that must be unique within the file, e.g. [["idNumber"]]. */
  uniqueKeys?: readonly (readonly string[])[];
  /** Problems kept in the list; the rest are only counted. Default 1,000. */
  maxProblems?: number;
  signal?: AbortSignal;
}

export interface ValidationResult<T> {
  /** True when no row has a problem. */
  ok: boolean;
  /** The parsed rows, only when `ok` (else empty): empty cell → null; field not mapped → absent. */
  rows: T[];
  /** Sheet row of each parsed row (for errors found later, e.g. by the database). */
  rowNumbers: number[];
  problems: Problem[];
  summary: {
    total: number;
    valid: number;
    invalid: number;
    /** All problems found, listed or not. */
    problemCount: number;
    /** Problems beyond `maxProblems`, not in `problems`. */
    omittedProblems: number;
  };
}

const personalPlaceholder = "***";

/**
 * Removes personal values from a message: the whole value, and any run of 3+ digits/letters
 * taken from it (a message quoting "出生日期 19491231" from an ID number says nothing then).
 */
function scrub(message: string, values: readonly string[]): string {
  let out = message;
  for (const value of values) {
    if (value === "") continue;
    out = out.split(value).join(personalPlaceholder);
    out = out.replace(/[0-9A-Za-z]{3,}/g, (run) => (value.includes(run) || value.toUpperCase().includes(run.toUpperCase()) ? personalPlaceholder : run));
  }
  return out;
}

/**
 * Parses and checks every row of `table` through `definition` and `mapping` (from `applyMapping`).
 * Never stops at the first problem. Duplicates within the file (`uniqueKeys`) are reported on the
 * later row, naming the earlier one.
 */
export async function validateRows<T extends Record<string, unknown> = Record<string, unknown>>(
  table: Table,
  definition: LedgerDefinition,
  mapping: ColumnMapping,
  opts: ValidateOptions<T> = {},
): Promise<ValidationResult<T>> {
  const maxProblems = opts.maxProblems ?? 1_000;
  const total = table.rows.length;
  const problems: Problem[] = [];
  let problemCount = 0;
  let invalid = 0;
  const parsed: T[] = [];
  const columns = definition.fields.flatMap((field) => {
    const index = mapping[field.key];
    return index === null || index === undefined ? [] : [{ field, index, header: table.headers[index] ?? field.label }];
  });
  const personalColumns = columns.filter((c) => c.field.personal).map((c) => c.index);
  const byKey = new Map(columns.map((c) => [c.field.key, c]));
  const labelOf = (key: string): string => byKey.get(key)?.header ?? definition.fields.find((f) => f.key === key)?.label ?? key;
  const unique = (opts.uniqueKeys ?? [])
    .filter((keys) => keys.length > 0 && keys.every((k) => byKey.has(k)))
    .map((keys) => ({ keys, seen: new Map<string, number>(), label: keys.map(labelOf).join("、") }));

  for (let r = 0; r < total; r++) {
    const cells = table.rows[r]!;
    const rowNumber = table.rowNumbers[r] ?? r + 2;
    let rowProblems = 0;
    /** `hide`: personal values the reason might quote. */
    const report = (
      reason: string,
      column?: { field: FieldDefinition; index: number; header: string },
      hide?: readonly string[],
      coded?: { code?: string | undefined; en?: string | undefined },
    ): void => {
      rowProblems++;
      problemCount++;
      if (problems.length >= maxProblems) return;
      const clean = hide && hide.length > 0 ? scrub(reason, hide) : reason;
      const problem: Problem = column
        ? { row: rowNumber, column: column.header, columnIndex: column.index, field: column.field.key, reason: clean, message: `第 ${rowNumber} 行「${column.header}」${clean}` }
        : { row: rowNumber, reason: clean, message: `第 ${rowNumber} 行：${clean}` };
      if (coded?.code !== undefined) problem.code = coded.code;
      if (coded?.en !== undefined) {
        const en = hide && hide.length > 0 ? scrub(coded.en, hide) : coded.en;
        problem.reasonEn = en;
        problem.messageEn = column ? `Row ${rowNumber}, column “${column.header}”: ${en}` : `Row ${rowNumber}: ${en}`;
      }
      problems.push(problem);
    };

    const out: Record<string, unknown> = {};
    for (const column of columns) {
      const value = cells[column.index] ?? "";
      if (value === "") {
        if (column.field.required) report("不能为空", column, undefined, { code: "required", en: "must not be empty" });
        else out[column.field.key] = null;
        continue;
      }
      if (hasControlCharacters(value)) {
        report("含有不可见的控制字符", column, undefined, { code: "control_characters", en: "contains control characters" });
        continue;
      }
      const result = column.field.parse(value, { rowNumber, column: column.header });
      if (result.ok) out[column.field.key] = result.value;
      else report(result.message, column, column.field.personal ? [value] : undefined, result);
    }

    if (rowProblems === 0 && opts.rowCheck) {
      const hide = personalColumns.map((i) => cells[i] ?? "");
      for (const p of opts.rowCheck(out as T, rowNumber) ?? []) {
        if (typeof p === "string") report(p, undefined, hide);
        else report(p.message, p.field === undefined ? undefined : byKey.get(p.field), hide, p);
      }
    }

    for (const u of unique) {
      const parts = u.keys.map((k) => out[k]);
      if (parts.some((v) => v === null || v === undefined || v === "")) continue;
      const key = parts.length === 1 ? String(parts[0]) : JSON.stringify(parts);
      const first = u.seen.get(key);
      if (first === undefined) u.seen.set(key, rowNumber);
      else if (u.keys.length === 1) report(`与第 ${first} 行重复`, byKey.get(u.keys[0]!), undefined, { code: "duplicate_in_file", en: `repeats row ${first}` });
      else report(`「${u.label}」与第 ${first} 行相同`, undefined, undefined, { code: "duplicate_in_file", en: `“${u.label}” is the same as in row ${first}` });
    }
    if (rowProblems > 0) invalid++;
    else parsed.push(out as T);

    if ((r + 1) % 1_000 === 0) opts.onProgress?.(r + 1, total);
    if ((r + 1) % 5_000 === 0) {
      await nextTurn();
      opts.signal?.throwIfAborted();
    }
  }
  opts.onProgress?.(total, total);

  const ok = invalid === 0;
  return {
    ok,
    rows: ok ? parsed : [],
    rowNumbers: ok ? [...table.rowNumbers] : [],
    problems,
    summary: { total, valid: total - invalid, invalid, problemCount, omittedProblems: problemCount - problems.length },
  };
}
