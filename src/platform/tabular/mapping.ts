/**
 * Column mapping (列映射): which column of the uploaded sheet feeds which field of a ledger
 * (台账). `suggestMapping` guesses from labels and aliases; the person confirms or corrects it;
 * `applyMapping` checks what they confirmed before any row is validated.
 */
import { columnLetter } from "./cells.js";
import { TabularError, type MappingIssue } from "./errors.js";

/** A failure's `message` is zh-CN; `code` and `en` (the English text) are optional. */
export type ParseResult<V = unknown> = { ok: true; value: V } | { ok: false; message: string; code?: string; en?: string };

export interface ParseContext {
  /** 1-based row of the sheet. */
  rowNumber: number;
  /** Header text of the column being read. */
  column: string;
}

export interface FieldDefinition<V = unknown> {
  /** Key in the parsed row object (English, e.g. "idNumber"). */
  key: string;
  /** zh-CN column name, e.g. "身份证号"; also the header of exports and templates. */
  label: string;
  /** Other headers seen in real ledgers, e.g. ["公民身份号码", "证件号码"]. */
  aliases?: readonly string[];
  required: boolean;
  /**
   * Personal data (ID numbers, phones, names, addresses): no message about this field may
   * contain the cell's value, whatever `parse` returns.
   */
  personal?: boolean;
  /**
   * Turns a trimmed, non-empty cell into the value to store, or says in zh-CN what is wrong
   * ("校验位不正确"); the row and column are added by the caller. Empty cells never reach it.
   */
  parse(value: string, ctx: ParseContext): ParseResult<V>;
}

/** A ledger that can be imported: households, persons, party members, buildings… */
export interface LedgerDefinition {
  kind: string;
  /** zh-CN name of the ledger, e.g. "人员台账", used in messages. */
  label?: string;
  fields: readonly FieldDefinition[];
}

/** Field key → 0-based column index in `headers`, or null when the field is not in the file. */
export type ColumnMapping = Record<string, number | null>;

export interface MappingSuggestion {
  mapping: ColumnMapping;
  /** Non-empty headers that no field claimed, in sheet order. */
  unknownHeaders: string[];
  /** Keys of required fields no column was found for. */
  missingRequired: string[];
}

/**
 * Header text reduced for comparison: full-width → half-width (NFKC), lower case, without white
 * space and required-field markers (*, ※) or colons.
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s*※:]+/g, "");
}

/** …and without annotations in brackets: "身份证号（必填）", "出生日期[yyyy-mm-dd]", "【备注】" → the bare name. */
function bareHeader(normalized: string): string {
  return normalized.replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕|<[^>]*>|《[^》]*》/g, "") || normalized;
}

/**
 * Best guess: a header equal to a field's label (or key) wins over one equal to an alias, which
 * wins over one equal after removing bracketed annotations. Each header feeds at most one field;
 * on a tie the earlier field and then the leftmost header win.
 */
export function suggestMapping(headers: readonly string[], definition: LedgerDefinition): MappingSuggestion {
  const normalized = headers.map(normalizeHeader);
  const bare = normalized.map(bareHeader);
  const mapping: ColumnMapping = {};
  for (const f of definition.fields) mapping[f.key] = null;
  const taken = new Set<number>();

  const tiers: ((f: FieldDefinition, i: number) => boolean)[] = [
    (f, i) => normalized[i] === normalizeHeader(f.label) || normalized[i] === normalizeHeader(f.key),
    (f, i) => (f.aliases ?? []).some((a) => normalized[i] === normalizeHeader(a)),
    (f, i) => [f.label, ...(f.aliases ?? [])].some((a) => bare[i] === bareHeader(normalizeHeader(a))),
  ];
  for (const matches of tiers) {
    for (const f of definition.fields) {
      if (mapping[f.key] !== null) continue;
      for (let i = 0; i < headers.length; i++) {
        if (normalized[i] === "" || taken.has(i) || !matches(f, i)) continue;
        mapping[f.key] = i;
        taken.add(i);
        break;
      }
    }
  }
  return {
    mapping,
    unknownHeaders: headers.filter((h, i) => normalized[i] !== "" && !taken.has(i)),
    missingRequired: definition.fields.filter((f) => f.required && mapping[f.key] === null).map((f) => f.key),
  };
}

export interface ApplyMappingOptions {
  /**
   * Headers the person chose to leave out of the import. Any other column that no field uses is
   * an `unmapped_column` issue, so a column is never dropped silently. `true`: ignore them all.
   */
  ignoreColumns?: readonly string[] | true;
}

/**
 * Checks a mapping chosen by a person (web page or `--map 姓名=户主姓名`): field key → header
 * text, 0-based column index, or null (not imported). Fields left out are not imported. Throws
 * `invalid_mapping` listing every issue: an unknown field or column, a required field without a
 * column, a column used by two fields, a column used by none and not ignored.
 */
export function applyMapping(
  headers: readonly string[],
  definition: LedgerDefinition,
  requested: Readonly<Record<string, string | number | null | undefined>>,
  options: ApplyMappingOptions = {},
): ColumnMapping {
  const issues: MappingIssue[] = [];
  const fields = new Map(definition.fields.map((f) => [f.key, f]));
  const normalized = headers.map(normalizeHeader);
  const mapping: ColumnMapping = {};
  for (const f of definition.fields) mapping[f.key] = null;
  const ledger = definition.label ?? "该台账";

  for (const [key, target] of Object.entries(requested)) {
    const field = fields.get(key);
    if (!field) {
      issues.push({ code: "unknown_field", field: key, message: `${ledger}没有字段「${key}」` });
      continue;
    }
    if (target === null || target === undefined) continue;
    if (typeof target === "number") {
      if (!Number.isInteger(target) || target < 0 || target >= headers.length || normalized[target] === "") {
        const where = Number.isInteger(target) && target >= 0 ? `${columnLetter(target)} 列` : `第 ${target} 列`;
        issues.push({ code: "unknown_column", field: key, column: where, message: `「${field.label}」对应的 ${where}在文件中不存在或没有表头` });
        continue;
      }
      mapping[key] = target;
      continue;
    }
    let index = headers.findIndex((h) => h === target.trim());
    if (index < 0) index = normalized.indexOf(normalizeHeader(target));
    if (index < 0 || normalized[index] === "") {
      issues.push({ code: "unknown_column", field: key, column: target, message: `文件中没有名为「${target}」的列（「${field.label}」对应的列）` });
      continue;
    }
    mapping[key] = index;
  }

  const users = new Map<number, string[]>();
  for (const [key, index] of Object.entries(mapping)) {
    if (index !== null) users.set(index, [...(users.get(index) ?? []), key]);
  }
  for (const [index, keys] of users) {
    if (keys.length < 2) continue;
    const labels = keys.map((k) => `「${fields.get(k)?.label ?? k}」`).join("和");
    issues.push({ code: "column_mapped_twice", column: headers[index], message: `列「${headers[index]}」同时对应了${labels}，一列只能对应一个字段` });
  }
  for (const f of definition.fields) {
    if (f.required && mapping[f.key] === null && !issues.some((x) => x.field === f.key)) {
      issues.push({ code: "required_field_unmapped", field: f.key, message: `必填字段「${f.label}」没有对应的列` });
    }
  }
  if (options.ignoreColumns !== true) {
    const ignored = new Set((options.ignoreColumns ?? []).map(normalizeHeader));
    headers.forEach((h, i) => {
      if (normalized[i] === "" || users.has(i) || ignored.has(normalized[i]!)) return;
      issues.push({ code: "unmapped_column", column: h, message: `列「${h}」没有对应任何字段；请为它选择字段，或选择忽略这一列` });
    });
  }
  if (issues.length > 0) {
    throw new TabularError("invalid_mapping", `列映射有 ${issues.length} 处问题：${issues.map((x) => x.message).join("；")}`, { issues });
  }
  return mapping;
}
