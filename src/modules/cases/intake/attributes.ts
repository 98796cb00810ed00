/**
 * 附加信息: the answers to a sub-category's attributes — the extra questions of its Open311
 * service definition (灯杆编号, 井盖类型, 是否有人被困 …). One check for every intake (the
 * resident's and the worker's forms, the API, Open311), so a case stores the same shapes
 * whichever way it came in.
 */
import { AppError, bilingual, type MessageParam } from "../../../platform/errors.js";
import { isoChina, parseIsoInstant } from "../../../platform/calendar/instant.js";
import type { CategoryAttribute } from "../schema.js";

/** An answer as stored on the case: text (string, text, datetime, single choice), a number, or the keys of a multiple choice. */
export type AttributeAnswer = string | number | string[];

/** Longest answers, in characters: a one-line answer, and a text (as long as a case's description may be on Open311). */
export const attributeTextMax = { string: 200, text: 4000 } as const;

const htmlTag = /<\/?[A-Za-z!][^>]*>/;
const decimal = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** The problems an answer can have; the message's `code` (in `params.detail`) is one of these keys. */
const problems = {
  unknown: { zh: "「{code}」不是这一类问题要填写的内容", en: "{code} is not a question of this category" },
  required: { zh: "请填写「{question}」", en: "please answer “{question}”" },
  oneValue: { zh: "「{question}」只能填一项", en: "“{question}” takes one answer" },
  notText: { zh: "「{question}」请填写文字", en: "“{question}” must be text" },
  notInList: { zh: "「{question}」只能从这些选项中选：{choices}", en: "“{question}” must be one of: {keys}" },
  notNumber: { zh: "「{question}」请填写数字", en: "“{question}” must be a number" },
  notDatetime: {
    zh: "「{question}」请填写带时区的日期时间，如 2026-03-01T08:00:00+08:00",
    en: "“{question}” must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T08:00:00+08:00",
  },
  tooLong: { zh: "「{question}」不能超过 {max} 个字", en: "“{question}” may not exceed {max} characters" },
  html: { zh: "「{question}」不能包含 HTML 标签", en: "“{question}” may not contain HTML" },
} as const;

export type AttributeProblem = keyof typeof problems;

/** The error code of a refused answer; its field is `attributes.<CODE>` and `params.detail.code` the problem. */
export const attributeErrorCode = "validation_failed";

function refuse(problem: AttributeProblem, code: string, params: Record<string, MessageParam> = {}): AppError {
  return new AppError(attributeErrorCode, { detail: bilingual(problems, problem, { code, ...params }) }, `attributes.${code}`);
}

/** An answer as a list of strings (a number as its text); null when it is neither text, a number nor a list of text. */
function asList(raw: unknown): string[] | null {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === "string") return [raw];
  if (typeof raw === "number") return [String(raw)];
  if (Array.isArray(raw) && raw.every((v) => typeof v === "string")) return raw;
  return null;
}

function checkOne(a: CategoryAttribute, raw: unknown): AttributeAnswer | undefined {
  const q = { question: a.description };
  const list = asList(raw);
  if (list === null) throw refuse("notText", a.code, q);
  const values = list.map((v) => v.trim()).filter((v) => v !== "");
  if (values.length === 0) {
    if (a.required) throw refuse("required", a.code, q);
    return undefined;
  }
  const choices = a.values ?? [];
  const keys = new Set(choices.map((v) => v.key));
  const notInList = () =>
    refuse("notInList", a.code, { ...q, choices: choices.map((v) => v.name).join("、"), keys: choices.map((v) => v.key).join(", ") });
  if (a.datatype === "multivaluelist") {
    if (!values.every((v) => keys.has(v))) throw notInList();
    return [...new Set(values)];
  }
  if (values.length > 1) throw a.datatype === "singlevaluelist" ? notInList() : refuse("oneValue", a.code, q);
  const value = values[0]!;
  switch (a.datatype) {
    case "singlevaluelist":
      if (!keys.has(value)) throw notInList();
      return value;
    case "number": {
      const n = typeof raw === "number" ? raw : decimal.test(value) ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw refuse("notNumber", a.code, q);
      return n;
    }
    case "datetime": {
      const at = parseIsoInstant(value);
      if (!at) throw refuse("notDatetime", a.code, q);
      // One form on every case (China time, its zone written out), whatever zone the client used.
      return isoChina(at)!;
    }
    case "string":
    case "text": {
      const max = attributeTextMax[a.datatype];
      if ([...value].length > max) throw refuse("tooLong", a.code, { ...q, max });
      if (htmlTag.test(value)) throw refuse("html", a.code, q);
      return value;
    }
  }
}

/**
 * Checks the answers of a report against its sub-category's attributes and returns them as the
 * case stores them: trimmed text, numbers as numbers, date-times in China time, multiple choices
 * without repeats; unanswered optional questions left out. An answer is text, a number or a list
 * of text (a one-item list is as good as its item, so form-encoded answers fit too); empty text
 * and empty lists count as unanswered.
 *
 * Attributes with `variable: false` are notes shown with the form, not questions: an answer to
 * one is dropped. Throws `validation_failed` on field `attributes.<CODE>` (the problem's key in
 * `params.detail.code`): a code that is not an attribute (checked first), a required answer
 * missing, a choice not among the keys, a number that is not a finite decimal, a date-time
 * without its zone, text too long (200 / 4,000 characters) or with HTML.
 */
export function checkAttributeAnswers(definition: readonly CategoryAttribute[], answers: Record<string, unknown> | undefined): Record<string, AttributeAnswer> {
  const given = Object.entries(answers ?? {});
  const byCode = new Map(definition.map((a) => [a.code, a]));
  for (const [code] of given) {
    if (!byCode.has(code)) throw refuse("unknown", code.slice(0, 40));
  }
  const answered = new Map(given);
  const out: [string, AttributeAnswer][] = [];
  for (const a of [...definition].sort((x, y) => x.order - y.order)) {
    if (!a.variable) continue;
    const value = checkOne(a, answered.get(a.code));
    if (value !== undefined) out.push([a.code, value]);
  }
  // fromEntries defines own properties, so even a code such as "__proto__" stays plain data.
  return Object.fromEntries(out);
}
