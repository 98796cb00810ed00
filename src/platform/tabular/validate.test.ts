import { describe, expect, it } from "vitest";
import { applyMapping, suggestMapping, type FieldDefinition, type LedgerDefinition } from "./mapping.js";
import { readTable, type Table } from "./read.js";
import { validateRows } from "./validate.js";

// A persons ledger as the real definitions will look, self-contained (GB 11643 check digit).
const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * idWeights[i]!;
  return "10X98765432"[sum % 11]!;
}
/** FAKE numbers for tests: region 510107, the given birth date, sequence `seq`. */
function fakeId(birth: string, seq: number): string {
  const first17 = `510107${birth.replace(/-/g, "")}${String(seq).padStart(3, "0")}`;
  return first17 + checkDigit(first17);
}

const isDate = (v: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

const fields: FieldDefinition[] = [
  {
    key: "name",
    label: "姓名",
    aliases: ["名字"],
    required: true,
    personal: true,
    parse: (v) => (/\d/.test(v) ? { ok: false, message: "不能包含数字" } : { ok: true, value: v }),
  },
  {
    key: "idNumber",
    label: "身份证号",
    aliases: ["公民身份号码"],
    required: true,
    personal: true,
    parse: (v) => {
      const s = v.toUpperCase();
      if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, message: "应为 18 位（最后一位可以是 X）" };
      if (checkDigit(s.slice(0, 17)) !== s[17]) return { ok: false, message: "校验位不正确" };
      return { ok: true, value: s };
    },
  },
  {
    key: "phone",
    label: "联系电话",
    aliases: ["电话"],
    required: false,
    personal: true,
    parse: (v) => (/^1[3-9]\d{9}$/.test(v) ? { ok: true, value: v } : { ok: false, message: "应为 11 位手机号码" }),
  },
  {
    key: "gender",
    label: "性别",
    required: true,
    parse: (v) => (v === "男" ? { ok: true, value: "male" } : v === "女" ? { ok: true, value: "female" } : { ok: false, message: "只能填写「男」或「女」" }),
  },
  {
    key: "birthDate",
    label: "出生日期",
    required: false,
    parse: (v) => (isDate(v) ? { ok: true, value: v } : { ok: false, message: `「${v}」不是日期，应写成 1990-01-31` }),
  },
  {
    key: "size",
    label: "家庭人数",
    required: false,
    parse: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 20 ? { ok: true, value: Number(v) } : { ok: false, message: "应为 1 到 20 之间的整数" }),
  },
  { key: "note", label: "备注", required: false, parse: (v) => ({ ok: true, value: v }) },
];
const persons: LedgerDefinition = { kind: "persons", label: "人员台账", fields };

interface Person extends Record<string, unknown> {
  name: string;
  idNumber: string;
  phone?: string | null;
  gender: "male" | "female";
  birthDate?: string | null;
  size?: number | null;
}

async function tableOf(csv: string): Promise<Table> {
  return readTable({ bytes: Buffer.from(csv, "utf8"), fileName: "persons.csv" });
}

function mappingFor(table: Table) {
  const s = suggestMapping(table.headers, persons);
  return applyMapping(table.headers, persons, s.mapping, { ignoreColumns: s.unknownHeaders });
}

const A = fakeId("1980-05-06", 11);
const B = fakeId("1992-11-30", 24);
const C = fakeId("2001-02-03", 35);

describe("validateRows", () => {
  it("parses a clean file: empty cells null, unmapped fields absent", async () => {
    const table = await tableOf(`名字,公民身份号码,性别,出生日期,电话\n王建国,${A},男,1980-05-06,13812345678\n李秀英,${B.toLowerCase()},女,,\n`);
    const result = await validateRows<Person>(table, persons, mappingFor(table));
    expect(result.ok).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.summary).toEqual({ total: 2, valid: 2, invalid: 0, problemCount: 0, omittedProblems: 0 });
    expect(result.rows).toEqual([
      { name: "王建国", idNumber: A, gender: "male", birthDate: "1980-05-06", phone: "13812345678" },
      { name: "李秀英", idNumber: B, gender: "female", birthDate: null, phone: null },
    ]);
    expect(result.rows[0]).not.toHaveProperty("size");
    expect(result.rowNumbers).toEqual([2, 3]);
  });

  it("collects every problem with the sheet's row numbers (blank lines and a multi-line cell counted)", async () => {
    const csv = [
      "姓名,身份证号,性别,出生日期,家庭人数,备注",
      `王建国,${A},男,1980-05-06,3,`, // row 2: fine
      "", // row 3: blank
      `李秀英,${B.slice(0, 17)}${B.endsWith("0") ? "1" : "0"},女,1992-13-01,0,`, // row 4: check digit, date, size
      `,${C},未知,,,"两行`, // row 5 (a quoted cell spanning two lines): name empty, gender
      `的备注"`,
      `张3,123,男,,,`, // row 6: name, ID length
      `赵六,${C},女,,,`, // row 7: fine
    ].join("\r\n");
    const table = await tableOf(csv);
    const result = await validateRows(table, persons, mappingFor(table));
    expect(result.ok).toBe(false);
    expect(result.rows).toEqual([]);
    expect(result.problems.map((p) => p.message)).toEqual([
      "第 4 行「身份证号」校验位不正确",
      "第 4 行「出生日期」「1992-13-01」不是日期，应写成 1990-01-31",
      "第 4 行「家庭人数」应为 1 到 20 之间的整数",
      "第 5 行「姓名」不能为空",
      "第 5 行「性别」只能填写「男」或「女」",
      "第 6 行「姓名」不能包含数字",
      "第 6 行「身份证号」应为 18 位（最后一位可以是 X）",
    ]);
    expect(result.problems[0]).toEqual({
      row: 4,
      column: "身份证号",
      columnIndex: 1,
      field: "idNumber",
      reason: "校验位不正确",
      message: "第 4 行「身份证号」校验位不正确",
    });
    expect(result.summary).toEqual({ total: 5, valid: 2, invalid: 3, problemCount: 7, omittedProblems: 0 });
  });

  it("refuses cells with control characters other than tab and line breaks, whatever the field's parse would say", async () => {
    // Built as a table: a NUL in the first 8 KB of a CSV already makes the file binary.
    const table: Table = {
      headers: ["姓名", "身份证号", "性别", "备注"],
      rows: [
        ["王建国", A, "男", "独居\u0000老人"],
        ["李秀英", B, "女", "第一行\n\t第二行\r\n"],
        ["赵\u001b六", C, "女", ""],
      ],
      rowNumbers: [2, 3, 4],
    };
    const result = await validateRows(table, persons, mappingFor(table));
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.message, p.code, p.messageEn])).toEqual([
      ["第 2 行「备注」含有不可见的控制字符", "control_characters", "Row 2, column “备注”: contains control characters"],
      ["第 4 行「姓名」含有不可见的控制字符", "control_characters", "Row 4, column “姓名”: contains control characters"],
    ]);
  });

  it("reports duplicates within the file on the later row, naming the earlier one", async () => {
    const table = await tableOf(`姓名,身份证号,性别\n王建国,${A},男\n李秀英,${B},女\n王建国,${A.toLowerCase()},男\n\n王二,${A},男\n`);
    const result = await validateRows(table, persons, mappingFor(table), { uniqueKeys: [["idNumber"], ["name", "gender"]] });
    expect(result.problems.map((p) => p.message)).toEqual([
      "第 4 行「身份证号」与第 2 行重复",
      "第 4 行：「姓名、性别」与第 2 行相同",
      "第 6 行「身份证号」与第 2 行重复",
    ]);
    expect(result.summary.invalid).toBe(2);
  });

  it("never puts a personal value in a message, whatever parse or rowCheck say", async () => {
    const careless: LedgerDefinition = {
      kind: "x",
      fields: [
        { key: "name", label: "姓名", required: true, personal: true, parse: (v) => ({ ok: false, message: `「${v}」不在户籍名单中` }) },
        { key: "idNumber", label: "身份证号", required: true, personal: true, parse: (v) => ({ ok: false, message: `${v} 的出生日期 ${v.slice(6, 14)} 无效` }) },
        { key: "phone", label: "电话", required: true, personal: true, parse: (v) => ({ ok: true, value: v }) },
        { key: "note", label: "备注", required: false, parse: (v) => ({ ok: false, message: `「${v}」太长` }) },
      ],
    };
    const table: Table = { headers: ["姓名", "身份证号", "电话", "备注"], rows: [["王建国", A, "13812345678", "随便写写"]], rowNumbers: [9] };
    const result = await validateRows(table, careless, { name: 0, idNumber: 1, phone: 2, note: 3 });
    const text = result.problems.map((p) => `${p.message} ${p.reason}`).join("\n");
    expect(text).not.toContain("王建国");
    expect(text).not.toContain(A);
    expect(text).not.toContain(A.slice(6, 14));
    expect(result.problems.map((p) => p.message)).toEqual(["第 9 行「姓名」「***」不在户籍名单中", "第 9 行「身份证号」*** 的出生日期 *** 无效", "第 9 行「备注」「随便写写」太长"]);

    const crossTable: Table = { headers: ["姓名", "电话"], rows: [["王建国", "13812345678"]], rowNumbers: [2] };
    const crossDef: LedgerDefinition = { kind: "x", fields: careless.fields.filter((f) => f.key === "phone").concat([{ ...fields[0]!, key: "name" }]) };
    const cross = await validateRows(crossTable, crossDef, { name: 0, phone: 1 }, { rowCheck: (row) => [`电话 ${String(row.phone)} 已登记给${String(row.name)}`] });
    expect(cross.problems.map((p) => p.message)).toEqual(["第 2 行：电话 *** 已登记给***"]);
  });

  it("runs cross-field checks on rows whose fields all parsed, tied to a column when asked", async () => {
    const table = await tableOf(`姓名,身份证号,性别,出生日期\n王建国,${A},男,1980-05-06\n李秀英,${B},男,1990-01-01\n张三,${C},男,bad\n`);
    const result = await validateRows<Person>(table, persons, mappingFor(table), {
      rowCheck: (row) => {
        const out: ({ field: string; message: string } | string)[] = [];
        const birth = `${row.idNumber.slice(6, 10)}-${row.idNumber.slice(10, 12)}-${row.idNumber.slice(12, 14)}`;
        if (row.birthDate && row.birthDate !== birth) out.push({ field: "birthDate", message: "与身份证号中的出生日期不一致" });
        if ((Number(row.idNumber[16]) % 2 === 1 ? "male" : "female") !== row.gender) out.push("性别与身份证号不一致");
        return out;
      },
    });
    expect(result.problems.map((p) => p.message)).toEqual([
      "第 3 行「出生日期」与身份证号中的出生日期不一致",
      "第 3 行：性别与身份证号不一致",
      "第 4 行「出生日期」「bad」不是日期，应写成 1990-01-31",
    ]);
  });

  it("caps the list and counts the rest", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ["", `${i}`]);
    const table: Table = { headers: ["姓名", "身份证号"], rows, rowNumbers: rows.map((_, i) => i + 2) };
    const result = await validateRows(table, { kind: "x", fields: fields.slice(0, 2) }, { name: 0, idNumber: 1 }, { maxProblems: 25 });
    expect(result.problems).toHaveLength(25);
    expect(result.problems.at(-1)?.row).toBe(14);
    expect(result.summary).toEqual({ total: 60, valid: 0, invalid: 60, problemCount: 120, omittedProblems: 95 });
  });

  it("reports progress", async () => {
    const rows = Array.from({ length: 2300 }, () => ["王五"]);
    const calls: number[] = [];
    await validateRows({ headers: ["姓名"], rows, rowNumbers: rows.map((_, i) => i + 2) }, { kind: "x", fields: [fields[0]!] }, { name: 0 }, { onProgress: (done) => calls.push(done) });
    expect(calls).toEqual([1000, 2000, 2300]);
  });
});

describe("throughput", () => {
  it("reads and validates 100,000 persons of 10 columns (timing printed, not asserted)", async () => {
    const n = 100_000;
    const lines = ["姓名,身份证号,联系电话,性别,出生日期,家庭人数,与户主关系,楼栋,房号,备注"];
    const start = Date.UTC(1950, 0, 1);
    for (let i = 0; i < n; i++) {
      const birth = new Date(start + Math.floor(i / 500) * 86_400_000).toISOString().slice(0, 10);
      const seq = i % 500;
      lines.push(`居民${String.fromCharCode(0x4e00 + (i % 2000))},${fakeId(birth, seq)},1${38 + (i % 2)}${String(i).padStart(8, "0")},${seq % 2 ? "男" : "女"},${birth},${1 + (i % 6)},户主,${1 + (i % 40)}栋,${100 + (i % 30)}室,"备注, 第 ${i} 条"`);
    }
    const bytes = Buffer.from(lines.join("\r\n"), "utf8");

    const t0 = performance.now();
    const table = await readTable({ bytes, fileName: "persons.csv" });
    const t1 = performance.now();
    const s = suggestMapping(table.headers, persons);
    const mapping = applyMapping(table.headers, persons, s.mapping, { ignoreColumns: s.unknownHeaders });
    const result = await validateRows(table, persons, mapping, { uniqueKeys: [["idNumber"]] });
    const t2 = performance.now();

    console.log(
      `[tabular] 100,000 rows × 10 columns, ${(bytes.length / 1e6).toFixed(1)} MB CSV: read ${Math.round(t1 - t0)} ms, ` +
        `map + validate ${Math.round(t2 - t1)} ms, total ${Math.round(t2 - t0)} ms`,
    );
    expect(result.problems.slice(0, 3)).toEqual([]);
    expect(result.summary).toMatchObject({ total: n, valid: n, invalid: 0 });
  });
});
