import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { readTable } from "./read.js";
import type { Problem } from "./validate.js";
import { reportXlsx, writeCsv, writeXlsx, type ExportColumn } from "./write.js";

async function load(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  // ExcelJS declares its own `Buffer` (an ArrayBuffer); hand it exactly the file's bytes.
  await wb.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return wb.worksheets[0]!;
}

const columns: ExportColumn[] = [
  { header: "姓名", key: "name" },
  { header: "身份证号", key: "idNumber", numFmt: "@" },
  { header: "家庭人数", key: "size", width: 10 },
  { header: "备注", key: "note" },
];
const rows = [
  { name: "王**", idNumber: "1101**********002X", size: 3, note: "住在幸福路 12 号院内，子女在外地工作" },
  { name: "李*", idNumber: null, size: 0.1 + 0.2, note: "=HYPERLINK(\"http://evil\")" },
];

describe("writeXlsx", () => {
  it("writes a bold, frozen header, widths and values", async () => {
    const bytes = await writeXlsx({ sheetName: "人员", columns, rows });
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("PK\u0003\u0004");
    const ws = await load(bytes);
    expect(ws.name).toBe("人员");
    expect(ws.getRow(1).values).toEqual([undefined, "姓名", "身份证号", "家庭人数", "备注"]);
    expect(ws.getCell("A1").font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.getColumn(1).width).toBe(8);
    expect(ws.getColumn(3).width).toBe(10);
    expect(ws.getColumn(4).width).toBe(38); // 18 Chinese characters + 2 digits + 2
    expect(ws.getColumn(2).numFmt).toBe("@");
    expect(ws.getCell("A2").value).toBe("王**");
    expect(ws.getCell("C3").value).toBeCloseTo(0.3);
    expect(ws.getCell("B3").value).toBeNull();
    // A string that looks like a formula stays a string.
    expect(ws.getCell("D3").value).toBe('=HYPERLINK("http://evil")');
  });

  it("puts a title above the header and freezes both; reads back through readTable", async () => {
    const bytes = await writeXlsx({ sheetName: "a/b:c", title: "幸福社区人员台账（已脱敏）", columns, rows });
    const ws = await load(bytes);
    expect(ws.name).toBe("a_b_c");
    expect(ws.getCell("A1").value).toBe("幸福社区人员台账（已脱敏）");
    expect(ws.getCell("A1").isMerged && ws.getCell("D1").isMerged).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 2 });
    const t = await readTable({ bytes, fileName: "export.xlsx" });
    expect(t.headerRowNumber).toBe(2);
    expect(t.headers).toEqual(["姓名", "身份证号", "家庭人数", "备注"]);
    expect(t.rows).toEqual([
      ["王**", "1101**********002X", "3", "住在幸福路 12 号院内，子女在外地工作"],
      ["李*", "", "0.3", '=HYPERLINK("http://evil")'],
    ]);
    expect(t.rowNumbers).toEqual([3, 4]);
  });
});

describe("writeCsv", () => {
  it("writes UTF-8 with BOM and CRLF, quotes what needs it, defuses formulas", async () => {
    const bytes = writeCsv({
      columns: [
        { header: "姓名", key: "a" },
        { header: "电话", key: "b" },
        { header: "备注", key: "c" },
      ],
      rows: [
        { a: "王五", b: "+86 138 0000 0000", c: '他说"好",\n明天来' },
        { a: "@SUM(A1)", b: "-5", c: 1.1 * 3 },
        { a: null, b: undefined, c: "-1+2" }, // Excel would show 1
      ],
    });
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString("utf8")).toBe(
      '姓名,电话,备注\r\n王五,+86 138 0000 0000,"他说""好"",\n明天来"\r\n\'@SUM(A1),-5,3.3\r\n,,\'-1+2\r\n',
    );
    const t = await readTable({ bytes, fileName: "x.csv" });
    expect(t.rows[0]).toEqual(["王五", "+86 138 0000 0000", '他说"好",\n明天来']);
  });
});

describe("reportXlsx", () => {
  it("lists 行号, 列, 问题 and says how many were left out", async () => {
    const problems: Problem[] = [
      { row: 4, column: "身份证号", columnIndex: 1, field: "idNumber", reason: "校验位不正确", message: "第 4 行「身份证号」校验位不正确" },
      { row: 5, reason: "性别与身份证号不一致", message: "第 5 行：性别与身份证号不一致" },
    ];
    const ws = await load(await reportXlsx(problems, { omitted: 12 }));
    expect(ws.name).toBe("导入问题");
    expect(ws.getRow(1).values).toEqual([undefined, "行号", "列", "问题"]);
    expect(ws.getRow(2).values).toEqual([undefined, 4, "身份证号（B 列）", "校验位不正确"]);
    expect(ws.getRow(3).values).toEqual([undefined, 5, undefined, "性别与身份证号不一致"]);
    expect(ws.getCell("C4").value).toContain("另有 12 个问题未列出");
  });
});
