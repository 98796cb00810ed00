import { describe, expect, it } from "vitest";
import { AppError, formatMessage, type Bilingual } from "../../../platform/errors.js";
import type { CategoryAttribute } from "../schema.js";
import { checkAttributeAnswers } from "./attributes.js";
import { checkAttributes, Open311Error } from "../../open311/service.js";

const definition: CategoryAttribute[] = [
  {
    code: "cover_type",
    variable: true,
    datatype: "singlevaluelist",
    required: true,
    description: "井盖类型",
    order: 1,
    values: [
      { key: "rain", name: "雨水" },
      { key: "sewage", name: "污水" },
    ],
  },
  { code: "HAZARDS", variable: true, datatype: "multivaluelist", required: false, description: "有什么影响", order: 2, values: [{ key: "smell", name: "异味" }, { key: "blocking", name: "堵路" }] },
  { code: "depth_cm", variable: true, datatype: "number", required: false, description: "坑有多深（厘米）", order: 3 },
  { code: "seen_at", variable: true, datatype: "datetime", required: false, description: "什么时候发现的", order: 4 },
  { code: "lamp_no", variable: true, datatype: "string", required: false, description: "灯杆编号", order: 5 },
  { code: "details", variable: true, datatype: "text", required: false, description: "补充说明", order: 6 },
  { code: "PHOTO_HINT", variable: false, datatype: "string", required: false, description: "请尽量附照片", order: 7 },
];

/** The refusal of `answers`: its field, the problem's key and the zh-CN / en messages. */
function refusal(answers: Record<string, unknown>, def: readonly CategoryAttribute[] = definition) {
  try {
    checkAttributeAnswers(def, answers);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const err = e as AppError;
    return {
      code: err.code,
      field: err.field,
      problem: (err.params.detail as Bilingual).code,
      zh: formatMessage(err.code, "zh-CN", err.params),
      en: formatMessage(err.code, "en", err.params),
    };
  }
  throw new Error(`accepted ${JSON.stringify(answers)}`);
}

describe("checking the answers to a sub-category's attributes (附加信息)", () => {
  it("returns the answers normalised: trimmed, numbers as numbers, China time, choices without repeats; unanswered optional ones left out", () => {
    const out = checkAttributeAnswers(definition, {
      cover_type: " rain ",
      HAZARDS: ["smell", "blocking", "smell"],
      depth_cm: "12.5",
      seen_at: "2026-03-01T00:15:30Z",
      lamp_no: "  ",
      details: "井盖边上有一道裂缝",
    });
    expect(out).toEqual({ cover_type: "rain", HAZARDS: ["smell", "blocking"], depth_cm: 12.5, seen_at: "2026-03-01T08:15:30+08:00", details: "井盖边上有一道裂缝" });
    // Keys come out in the questions' order, whatever order they came in.
    expect(Object.keys(checkAttributeAnswers(definition, { details: "x", cover_type: "sewage" }))).toEqual(["cover_type", "details"]);
  });

  it("takes an answer as text, a number or a list of text: a one-item list is its item, a lone key is a one-item multiple choice", () => {
    expect(checkAttributeAnswers(definition, { cover_type: ["sewage"], HAZARDS: "smell", depth_cm: 30, lamp_no: ["A-17"] })).toEqual({
      cover_type: "sewage",
      HAZARDS: ["smell"],
      depth_cm: 30,
      lamp_no: "A-17",
    });
    // Empty text, empty lists and null are unanswered, which is fine for optional questions.
    expect(checkAttributeAnswers(definition, { cover_type: "rain", HAZARDS: [], depth_cm: null, details: "" })).toEqual({ cover_type: "rain" });
  });

  it("drops an answer to a note (variable false) and never asks it", () => {
    expect(checkAttributeAnswers(definition, { cover_type: "rain", PHOTO_HINT: "好的" })).toEqual({ cover_type: "rain" });
    const noteRequired: CategoryAttribute[] = [{ code: "NOTE", variable: false, datatype: "string", required: true, description: "请注意安全", order: 1 }];
    expect(checkAttributeAnswers(noteRequired, {})).toEqual({});
  });

  it("refuses a code the category does not ask, before anything else, on field attributes.<CODE>", () => {
    const r = refusal({ COLOUR: "red" });
    expect(r).toMatchObject({ code: "validation_failed", field: "attributes.COLOUR", problem: "unknown" });
    expect(r.zh).toContain("「COLOUR」不是这一类问题要填写的内容");
    expect(r.en).toContain("COLOUR is not a question of this category");
  });

  it("refuses a missing required answer, also when it is blank or an empty list", () => {
    for (const answers of [{}, { cover_type: "" }, { cover_type: "   " }, { cover_type: [] }, { cover_type: null }]) {
      expect(refusal(answers)).toMatchObject({ field: "attributes.cover_type", problem: "required" });
    }
    expect(refusal({}).zh).toContain("请填写「井盖类型」");
    expect(checkAttributeAnswers([], undefined)).toEqual({});
  });

  it("refuses a choice that is not among the keys, and two answers to a single choice", () => {
    const bad = refusal({ cover_type: "gas" });
    expect(bad).toMatchObject({ field: "attributes.cover_type", problem: "notInList" });
    expect(bad.zh).toContain("雨水、污水");
    expect(bad.en).toContain("rain, sewage");
    expect(refusal({ cover_type: "雨水" }).problem).toBe("notInList");
    expect(refusal({ cover_type: ["rain", "sewage"] })).toMatchObject({ field: "attributes.cover_type", problem: "notInList" });
    expect(refusal({ cover_type: "rain", HAZARDS: ["smell", "fire"] })).toMatchObject({ field: "attributes.HAZARDS", problem: "notInList" });
  });

  it("refuses a number that is not a finite decimal", () => {
    for (const depth of ["abc", "12cm", "0x10", "Infinity", "1e999", Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(refusal({ cover_type: "rain", depth_cm: depth })).toMatchObject({ field: "attributes.depth_cm", problem: "notNumber" });
    }
    expect(checkAttributeAnswers(definition, { cover_type: "rain", depth_cm: "-3" }).depth_cm).toBe(-3);
    expect(checkAttributeAnswers(definition, { cover_type: "rain", depth_cm: "1e2" }).depth_cm).toBe(100);
    expect(refusal({ cover_type: "rain", depth_cm: ["1", "2"] }).problem).toBe("oneValue");
  });

  it("refuses a date-time without its zone or that is no date at all", () => {
    for (const at of ["2026-03-01", "2026-03-01T08:15:30", "2026-13-01T08:15:30Z", "yesterday"]) {
      expect(refusal({ cover_type: "rain", seen_at: at })).toMatchObject({ field: "attributes.seen_at", problem: "notDatetime" });
    }
    expect(checkAttributeAnswers(definition, { cover_type: "rain", seen_at: "2026-03-01T08:15+08:00" }).seen_at).toBe("2026-03-01T08:15:00+08:00");
  });

  it("refuses text that is too long (200 characters on one line, 4,000 in a text) or carries HTML", () => {
    expect(checkAttributeAnswers(definition, { cover_type: "rain", lamp_no: "灯".repeat(200) }).lamp_no).toHaveLength(200);
    const long = refusal({ cover_type: "rain", lamp_no: "灯".repeat(201) });
    expect(long).toMatchObject({ field: "attributes.lamp_no", problem: "tooLong" });
    expect(long.zh).toContain("不能超过 200 个字");
    expect(checkAttributeAnswers(definition, { cover_type: "rain", details: "裂".repeat(4000) }).details).toHaveLength(4000);
    expect(refusal({ cover_type: "rain", details: "裂".repeat(4001) }).problem).toBe("tooLong");
    expect(refusal({ cover_type: "rain", details: 'see <a href="x">here</a>' })).toMatchObject({ field: "attributes.details", problem: "html" });
    expect(checkAttributeAnswers(definition, { cover_type: "rain", details: "水深 < 5 厘米 > 3 厘米" }).details).toBe("水深 < 5 厘米 > 3 厘米");
  });

  it("refuses an answer that is neither text, a number nor a list of text", () => {
    for (const odd of [true, { key: "rain" }, [1, 2]]) {
      expect(refusal({ cover_type: odd })).toMatchObject({ field: "attributes.cover_type", problem: "notText" });
    }
  });

  it("keeps a code such as __proto__ as plain data", () => {
    const proto: CategoryAttribute[] = [{ code: "__proto__", variable: true, datatype: "string", required: true, description: "奇怪的编码", order: 1 }];
    const out = checkAttributeAnswers(proto, JSON.parse('{"__proto__": "x"}') as Record<string, unknown>);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(out, "__proto__")).toBe(true);
    expect(JSON.stringify(out)).toBe('{"__proto__":"x"}');
  });
});

describe("Open311 answers go through the same check, refused in the spec's words", () => {
  const open311 = (answers: [string, string[]][]) => checkAttributes(definition, new Map(answers));
  const open311Refusal = (answers: [string, string[]][]) => {
    try {
      open311(answers);
    } catch (e) {
      expect(e).toBeInstanceOf(Open311Error);
      return { status: (e as Open311Error).status, description: (e as Open311Error).description };
    }
    throw new Error("accepted");
  };

  it("stores form answers as the JSON intake does", () => {
    expect(open311([["cover_type", ["rain"]], ["HAZARDS", ["smell", "smell"]], ["depth_cm", ["7"]], ["seen_at", ["2026-03-01T08:00:00+08:00"]]])).toEqual({
      cover_type: "rain",
      HAZARDS: ["smell"],
      depth_cm: 7,
      seen_at: "2026-03-01T08:00:00+08:00",
    });
  });

  it("answers each problem with a 400 naming attribute[CODE]", () => {
    expect(open311Refusal([["COLOUR", ["red"]]])).toEqual({ status: 400, description: "attribute[COLOUR] is not an attribute of this service" });
    expect(open311Refusal([])).toEqual({ status: 400, description: "attribute[cover_type] is required (井盖类型)" });
    expect(open311Refusal([["cover_type", ["gas"]]]).description).toBe("attribute[cover_type] must be one of: rain, sewage");
    expect(open311Refusal([["cover_type", ["rain"]], ["HAZARDS", ["fire"]]]).description).toBe("attribute[HAZARDS][] values must be among: smell, blocking");
    expect(open311Refusal([["cover_type", ["rain"]], ["depth_cm", ["deep"]]]).description).toBe("attribute[depth_cm] must be a number");
    expect(open311Refusal([["cover_type", ["rain"]], ["seen_at", ["2026-03-01"]]]).description).toBe("attribute[seen_at] must be an ISO 8601 date-time with a time zone");
    expect(open311Refusal([["cover_type", ["rain"]], ["lamp_no", ["a", "b"]]]).description).toBe("attribute[lamp_no] takes one value");
    expect(open311Refusal([["cover_type", ["rain"]], ["lamp_no", ["<b>1</b>"]]]).description).toBe("attribute[lamp_no] is too long or contains HTML");
  });
});
