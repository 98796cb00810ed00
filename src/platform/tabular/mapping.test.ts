import { describe, expect, it } from "vitest";
import { TabularError, type MappingIssue } from "./errors.js";
import { applyMapping, normalizeHeader, suggestMapping, type FieldDefinition, type LedgerDefinition } from "./mapping.js";

const text = (key: string, label: string, required: boolean, aliases: string[] = []): FieldDefinition => ({
  key,
  label,
  aliases,
  required,
  parse: (value) => ({ ok: true, value }),
});

const persons: LedgerDefinition = {
  kind: "persons",
  label: "人员台账",
  fields: [
    text("name", "姓名", true, ["名字", "户主姓名", "居民姓名"]),
    text("idNumber", "身份证号", true, ["公民身份号码", "证件号码", "身份证号码"]),
    text("phone", "联系电话", false, ["电话", "手机号", "手机号码"]),
    text("relation", "与户主关系", false, ["关系"]),
  ],
};

function mappingIssues(fn: () => unknown): MappingIssue[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TabularError);
    expect((error as TabularError).code).toBe("invalid_mapping");
    return (error as TabularError).details.issues ?? [];
  }
  throw new Error("expected invalid_mapping");
}

describe("normalizeHeader", () => {
  it("folds full-width characters, spaces and required markers", () => {
    expect(normalizeHeader(" 姓　名 ")).toBe("姓名");
    expect(normalizeHeader("＊身份证号（必填）")).toBe("身份证号(必填)");
    expect(normalizeHeader("ＩＤ Number：")).toBe("idnumber");
  });
});

describe("suggestMapping", () => {
  it("matches labels, aliases and annotated or full-width headers", () => {
    const headers = ["序号", "名字", "公民身份号码（必填）", "手机号码", "籍贯", "", "与户主关系"];
    expect(suggestMapping(headers, persons)).toEqual({
      mapping: { name: 1, idNumber: 2, phone: 3, relation: 6 },
      unknownHeaders: ["序号", "籍贯"],
      missingRequired: [],
    });
    const fullWidth = suggestMapping(["＊姓　名", "身份证号【18位】", "电话(手机)", "ｅｍａｉｌ"], persons);
    expect(fullWidth.mapping).toEqual({ name: 0, idNumber: 1, phone: 2, relation: null });
    expect(fullWidth.unknownHeaders).toEqual(["ｅｍａｉｌ"]);
  });

  it("prefers the label over an alias, and gives each column to one field", () => {
    const s = suggestMapping(["户主姓名", "姓名", "电话", "电话"], persons);
    expect(s.mapping.name).toBe(1);
    expect(s.mapping.phone).toBe(2);
    expect(s.unknownHeaders).toEqual(["户主姓名", "电话"]);
  });

  it("accepts field keys as headers (a template exported by the API)", () => {
    expect(suggestMapping(["name", "idNumber"], persons).mapping).toMatchObject({ name: 0, idNumber: 1 });
  });

  it("lists required fields it could not place", () => {
    const s = suggestMapping(["电话", "地址"], persons);
    expect(s.missingRequired).toEqual(["name", "idNumber"]);
    expect(s.unknownHeaders).toEqual(["地址"]);
  });
});

describe("applyMapping", () => {
  const headers = ["名字", "身份证", "电话", "备注", ""];

  it("accepts header names, indices and nulls, with unknown columns ignored explicitly", () => {
    expect(applyMapping(headers, persons, { name: "名字", idNumber: 1, phone: " 电 话 ", relation: null }, { ignoreColumns: ["备注"] })).toEqual({
      name: 0,
      idNumber: 1,
      phone: 2,
      relation: null,
    });
    expect(applyMapping(headers, persons, { name: 0, idNumber: "身份证" }, { ignoreColumns: true })).toEqual({
      name: 0,
      idNumber: 1,
      phone: null,
      relation: null,
    });
  });

  it("combines a suggestion with a correction (the CLI's --map)", () => {
    const suggested = suggestMapping(headers, persons);
    expect(suggested.missingRequired).toEqual(["idNumber"]);
    const mapping = applyMapping(headers, persons, { ...suggested.mapping, idNumber: "身份证" }, { ignoreColumns: suggested.unknownHeaders.filter((h) => h !== "身份证") });
    expect(mapping).toEqual({ name: 0, idNumber: 1, phone: 2, relation: null });
  });

  it("names every problem: unknown column or field, missing required field, a column used twice, a column left over", () => {
    const issues = mappingIssues(() => applyMapping(headers, persons, { name: "姓名", phone: "名字", relation: "名字", gender: "性别" }));
    expect(issues.map((i) => i.code).sort()).toEqual([
      "column_mapped_twice",
      "required_field_unmapped",
      "unknown_column",
      "unknown_field",
      "unmapped_column",
      "unmapped_column",
      "unmapped_column",
    ]);
    const messages = issues.map((i) => i.message);
    expect(messages).toContain("文件中没有名为「姓名」的列（「姓名」对应的列）");
    expect(messages).toContain("人员台账没有字段「gender」");
    expect(messages).toContain("列「名字」同时对应了「联系电话」和「与户主关系」，一列只能对应一个字段");
    expect(messages).toContain("必填字段「身份证号」没有对应的列");
    expect(messages).toContain("列「备注」没有对应任何字段；请为它选择字段，或选择忽略这一列");
    // The required field whose named column is missing is reported once, as the unknown column.
    expect(issues.filter((i) => i.field === "name")).toHaveLength(1);
  });

  it("refuses an index outside the sheet or on a blank header", () => {
    const issues = mappingIssues(() => applyMapping(headers, persons, { name: 0, idNumber: 4, phone: 9 }, { ignoreColumns: true }));
    expect(issues.map((i) => [i.code, i.column])).toEqual([
      ["unknown_column", "E 列"],
      ["unknown_column", "J 列"],
    ]);
  });

  it("puts all issues in the error message", () => {
    try {
      applyMapping(["a"], persons, {});
    } catch (error) {
      expect((error as TabularError).message).toMatch(/^列映射有 3 处问题：必填字段「姓名」没有对应的列；必填字段「身份证号」没有对应的列；列「a」/);
      return;
    }
    throw new Error("expected an error");
  });
});
