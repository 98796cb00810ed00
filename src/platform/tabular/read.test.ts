/**
 * Fixtures are built here: .xlsx with ExcelJS (as Excel users' files look to a reader) or by hand
 * (a stored ZIP with exactly the XML under test), CSV as strings or raw bytes (GBK from a table of
 * known code points, checked against TextDecoder("gb18030")).
 */
import zlib from "node:zlib";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { dateKindOfFormat, formatNumber, formatSerialDate } from "./cells.js";
import { TabularError, type TabularErrorCode } from "./errors.js";
import { readTable, type ReadTableOptions } from "./read.js";

async function xlsx(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csv = (text: string): Buffer => Buffer.from(text, "utf8");

/** A ZIP of the given parts (deflated unless `stored`), enough to hand-craft an .xlsx. */
function zip(files: Record<string, string | Buffer>, stored = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
    const body = stored ? data : zlib.deflateRawSync(data);
    const nameBytes = Buffer.from(name, "utf8");
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const rel = (id: string, type: string, target: string): string =>
  `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;

/** An .xlsx as some non-Excel producers write it: prefixed elements, inline strings, no cell refs. */
function handmadeXlsx(sheetData: string, opts: { sharedStrings?: string; styles?: string; date1904?: boolean; stored?: boolean } = {}): Buffer {
  const files: Record<string, string> = {
    "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    "_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel("rId1", "officeDocument", "/xl/workbook.xml")}</Relationships>`,
    "xl/workbook.xml": `<x:workbook ${ns}><x:workbookPr${opts.date1904 ? ' date1904="1"' : ""}/><x:sheets><x:sheet name="名单 &amp; 说明" sheetId="1" r:id="rId1"/></x:sheets></x:workbook>`,
    "xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel("rId1", "worksheet", "worksheets/data.xml")}${rel("rId2", "sharedStrings", "sharedStrings.xml")}${rel("rId3", "styles", "styles.xml")}</Relationships>`,
    "xl/worksheets/data.xml": `<x:worksheet ${ns}><x:dimension ref="A1:D9"/><x:sheetData>${sheetData}</x:sheetData></x:worksheet>`,
    "xl/sharedStrings.xml": `<x:sst ${ns}>${opts.sharedStrings ?? ""}</x:sst>`,
    "xl/styles.xml":
      opts.styles ??
      `<x:styleSheet ${ns}><x:numFmts count="1"><x:numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;;@"/></x:numFmts>` +
        `<x:cellXfs count="5"><x:xf numFmtId="0"/><x:xf numFmtId="31"/><x:xf numFmtId="22"/><x:xf numFmtId="176"/><x:xf numFmtId="58"/></x:cellXfs></x:styleSheet>`,
  };
  return zip(files, opts.stored);
}

async function readError(bytes: Buffer, fileName = "f", opts?: ReadTableOptions): Promise<TabularError> {
  try {
    await readTable({ bytes, fileName }, opts);
  } catch (error) {
    if (error instanceof TabularError) return error;
    throw error;
  }
  throw new Error("expected a TabularError");
}

async function expectCode(bytes: Buffer, code: TabularErrorCode, opts?: ReadTableOptions): Promise<TabularError> {
  const error = await readError(bytes, "f", opts);
  expect(error.code).toBe(code);
  expect(error.message).toMatch(/[\u4e00-\u9fff]/); // zh-CN
  return error;
}

describe("cell formatting", () => {
  it("writes numbers without float noise and dates as YYYY-MM-DD", () => {
    expect(formatNumber(0.1 + 0.2)).toBe("0.3");
    expect(formatNumber(1.1 * 3)).toBe("3.3");
    expect(formatNumber(13812345678)).toBe("13812345678");
    expect(formatNumber(-0)).toBe("0");
    expect(formatNumber(2.5)).toBe("2.5");
    expect(formatSerialDate(45292, "date", false)).toBe("2024-01-01");
    expect(formatSerialDate(45292.75, "datetime", false)).toBe("2024-01-01 18:00");
    expect(formatSerialDate(0.5 + 1 / 86_400, "time", false)).toBe("12:00:01");
    expect(formatSerialDate(59, "date", false)).toBe("1900-02-28");
    expect(formatSerialDate(61, "date", false)).toBe("1900-03-01");
    expect(formatSerialDate(0, "date", true)).toBe("1904-01-01");
  });

  it("knows the zh-CN built-in date formats and custom codes", () => {
    expect(dateKindOfFormat(14, undefined)).toBe("date");
    expect(dateKindOfFormat(31, undefined)).toBe("date"); // yyyy"年"m"月"d"日"
    expect(dateKindOfFormat(57, undefined)).toBe("date");
    expect(dateKindOfFormat(32, undefined)).toBe("time"); // h"时"mm"分"
    expect(dateKindOfFormat(22, undefined)).toBe("datetime");
    expect(dateKindOfFormat(0, undefined)).toBeNull();
    expect(dateKindOfFormat(49, undefined)).toBeNull(); // @
    expect(dateKindOfFormat(176, 'yyyy"年"m"月"d"日";@')).toBe("date");
    expect(dateKindOfFormat(177, "[$-804]yyyy/m/d h:mm")).toBe("datetime");
    expect(dateKindOfFormat(178, "mm:ss")).toBe("time");
    expect(dateKindOfFormat(179, '0.00_);[Red]\\(0.00\\)')).toBeNull();
    expect(dateKindOfFormat(180, '0"天"')).toBeNull();
    expect(dateKindOfFormat(181, "General")).toBeNull();
  });
});

describe("readTable: .xlsx", () => {
  it("reads strings, dates, floats, formulas and booleans; skips a title and empty rows, keeping sheet row numbers", async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet("人员");
      ws.addRow(["幸福社区人员台账（2024 年）"]);
      ws.mergeCells("A1:F1");
      ws.addRow(["姓名", " 身份证号（必填）", "出生日期", "补贴", "登记时间", "全名"]);
      ws.addRow(["  王建国 ", "11010519491231002X", new Date(Date.UTC(1949, 11, 31)), 0.1 + 0.2, new Date(Date.UTC(2024, 2, 5, 8, 30)), { formula: 'A3&"!"', result: "王建国!" }]);
      ws.getCell("E3").numFmt = "yyyy-mm-dd hh:mm";
      ws.addRow([]);
      ws.addRow(["李四", 110105194912310000, 45292, 13812345678, true, null]);
      ws.getCell("C5").numFmt = 'yyyy"年"m"月"d"日"';
      ws.addRow(["", "", null]); // only empty strings: skipped
      ws.addRow([{ richText: [{ text: "赵" }, { font: { bold: true }, text: "六" }] }, "x&y<z>", "", "", false]);
    });
    const progress: number[] = [];
    const t = await readTable({ bytes, fileName: "人员.xlsx" }, { onProgress: (done) => progress.push(done) });
    expect(t.format).toBe("xlsx");
    expect(t.sheetName).toBe("人员");
    expect(t.headerRowNumber).toBe(2);
    expect(t.headers).toEqual(["姓名", "身份证号（必填）", "出生日期", "补贴", "登记时间", "全名"]);
    expect(t.rows).toEqual([
      ["王建国", "11010519491231002X", "1949-12-31", "0.3", "2024-03-05 08:30", "王建国!"],
      ["李四", "110105194912310000", "2024-01-01", "13812345678", "TRUE", ""],
      ["赵六", "x&y<z>", "", "", "FALSE", ""],
    ]);
    expect(t.rowNumbers).toEqual([3, 5, 7]);
    expect(progress.at(-1)).toBe(3);
  });

  it("reads prefixed XML, inline and shared strings (without phonetic guides), zh-CN built-in date formats", async () => {
    const sheet =
      `<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>出生日期</x:t></x:is></x:c><x:c t="str"><x:v>登记时间</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>` +
      `<x:row r="3"><x:c r="A3" t="s"><x:v>2</x:v></x:c><x:c r="B3" s="1"><x:v>32874</x:v></x:c><x:c r="C3" s="2"><x:v>45292.5</x:v></x:c><x:c r="D3" t="inlineStr"><x:is><x:r><x:t xml:space="preserve">第一行_x000D_</x:t></x:r><x:r><x:t>\n第二行 &#x4e8c;</x:t></x:r></x:is></x:c></x:row>` +
      `<x:row r="4"/>` +
      `<x:row><x:c r="A5" t="s"><x:v>3</x:v></x:c><x:c r="B5" s="3"><x:v>32874</x:v></x:c><x:c r="C5" s="4"><x:v>45292</x:v></x:c><x:c r="D5" t="e"><x:v>#N/A</x:v></x:c></x:row>`;
    const shared =
      '<x:si><x:t>姓名</x:t></x:si><x:si><x:t>备注</x:t></x:si>' +
      '<x:si><x:r><x:t>东</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>方</x:t></x:r><x:rPh sb="0" eb="1"><x:t>ドン</x:t></x:rPh><x:phoneticPr fontId="1"/></x:si><x:si/>';
    const t = await readTable({ bytes: handmadeXlsx(sheet, { sharedStrings: shared }), fileName: "名单.xlsx" });
    expect(t.sheetNames).toEqual(["名单 & 说明"]);
    expect(t.headers).toEqual(["姓名", "出生日期", "登记时间", "备注"]);
    expect(t.rows).toEqual([
      ["东方", "1990-01-01", "2024-01-01 12:00", "第一行\n第二行 二"],
      ["", "1990-01-01", "2024-01-01", "#N/A"],
    ]);
    expect(t.rowNumbers).toEqual([3, 5]);
  });

  it("reads dates of the 1904 system (from an uncompressed ZIP)", async () => {
    const sheet = `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>日期</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2" s="1"><x:v>0</x:v></x:c></x:row>`;
    const t = await readTable({ bytes: handmadeXlsx(sheet, { date1904: true, stored: true }), fileName: "mac.xlsx" });
    expect(t.rows).toEqual([["1904-01-01"]]);
  });

  it("picks the first visible sheet by default, or one by name or position", async () => {
    const bytes = await xlsx((wb) => {
      wb.addWorksheet("隐藏", { state: "hidden" }).addRow(["a"]);
      const s1 = wb.addWorksheet("说明");
      s1.addRow(["填写说明"]);
      s1.addRow(["请勿修改表头"]);
      const s2 = wb.addWorksheet("数据");
      s2.addRow(["姓名", "电话"]);
      s2.addRow(["王五", "13800000000"]);
    });
    const byDefault = await readTable({ bytes, fileName: "a.xlsx" });
    expect(byDefault.sheetName).toBe("说明");
    expect(byDefault.sheetNames).toEqual(["隐藏", "说明", "数据"]);
    expect((await readTable({ bytes, fileName: "a.xlsx" }, { sheet: "数据" })).rows).toEqual([["王五", "13800000000"]]);
    expect((await readTable({ bytes, fileName: "a.xlsx" }, { sheet: 3 })).headers).toEqual(["姓名", "电话"]);
    const missing = await expectCode(bytes, "sheet_not_found", { sheet: "户籍" });
    expect(missing.message).toContain("「数据」");
    await expectCode(bytes, "sheet_not_found", { sheet: 4 });
  });

  it("takes an explicit header row", async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet("a");
      ws.addRow(["说明：身份证号必须是 18 位", "", "第二句"]);
      ws.addRow(["姓名", "身份证号", "电话"]);
      ws.addRow(["王五", "x", "y"]);
    });
    // Auto-detection takes row 1 (two cells: not a lone title), then finds data under its blank B1.
    await expectCode(bytes, "no_header");
    const t = await readTable({ bytes, fileName: "a.xlsx" }, { headerRow: 2 });
    expect(t.headers).toEqual(["姓名", "身份证号", "电话"]);
    expect(t.rowNumbers).toEqual([3]);
    await expectCode(bytes, "no_header", { headerRow: 5 });
  });

  it("refuses an empty sheet, a header-only sheet, duplicate headers and data without a header", async () => {
    const empty = await xlsx((wb) => wb.addWorksheet("空表"));
    expect((await expectCode(empty, "empty_file")).message).toContain("「空表」");

    const headerOnly = await xlsx((wb) => wb.addWorksheet("a").addRow(["姓名", "身份证号"]));
    expect((await expectCode(headerOnly, "empty_file")).message).toBe("文件只有表头（第 1 行），没有数据行");

    const duplicate = await xlsx((wb) => {
      const ws = wb.addWorksheet("a");
      ws.addRow(["姓名", "电话", " 姓　名 "]);
      ws.addRow(["a", "b", "c"]);
    });
    const dup = await expectCode(duplicate, "duplicate_header");
    expect(dup.message).toContain("A 列和 C 列");

    const beyond = await xlsx((wb) => {
      const ws = wb.addWorksheet("a");
      ws.addRow(["姓名", "电话"]);
      ws.addRow(["a", "b"]);
      ws.addRow(["a", "b", null, "孤零零的备注"]);
    });
    const noHeader = await expectCode(beyond, "no_header");
    expect(noHeader.message).toBe("D 列从第 3 行起有数据，但表头（第 1 行）这一列是空的；请补上列名或删除这一列");
    expect(noHeader.message).not.toContain("孤零零");

    const gap = await xlsx((wb) => {
      const ws = wb.addWorksheet("a");
      ws.addRow(["姓名", null, "电话"]);
      ws.addRow(["a", "b", "c"]);
    });
    expect((await expectCode(gap, "no_header")).details.column).toBe("B");

    const dataAsHeader = await xlsx((wb) => {
      const ws = wb.addWorksheet("a");
      ws.addRow(["王建国", "11010519491231002X", "男"]);
      ws.addRow(["李四", "110105194912310010", "女"]);
    });
    const looksLikeData = await expectCode(dataAsHeader, "no_header");
    expect(looksLikeData.message).not.toContain("110105");
  });

  it("stops at maxRows", async () => {
    const bytes = await xlsx((wb) => {
      const ws = wb.addWorksheet("a");
      ws.addRow(["序号"]);
      for (let i = 1; i <= 20; i++) ws.addRow([i]);
    });
    expect((await readTable({ bytes, fileName: "a.xlsx" }, { maxRows: 20 })).rows).toHaveLength(20);
    const e = await expectCode(bytes, "too_many_rows", { maxRows: 19 });
    expect(e.status).toBe(413);
    expect(e.message).toContain("19 行");
  });

  it("names a ZIP that is not a workbook, and a broken one", async () => {
    const docx = zip({ "[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>" });
    expect((await expectCode(docx, "unsupported_file_type")).message).toContain("Word 文档");
    const bytes = await xlsx((wb) => wb.addWorksheet("a").addRow(["x"]));
    await expectCode(bytes.subarray(0, bytes.length - 40), "corrupt_file");
  });
});

describe("readTable: CSV", () => {
  it("reads UTF-8 with and without BOM, CRLF, and trims cells", async () => {
    const text = "姓名,电话\r\n 张三 ,13800000000\r\n李四,\r\n";
    for (const bytes of [csv(text), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), csv(text)])]) {
      const t = await readTable({ bytes, fileName: "a.csv" });
      expect(t).toMatchObject({ format: "csv", encoding: "utf-8", delimiter: ",", headers: ["姓名", "电话"] });
      expect(t.rows).toEqual([
        ["张三", "13800000000"],
        ["李四", ""],
      ]);
      expect(t.rowNumbers).toEqual([2, 3]);
    }
  });

  it("reads GBK (what Excel in China saves as CSV)", async () => {
    // 姓名 D0D5 C3FB, 电话 B5E7 BBB0, 张三 D5C5 C8FD, 李四 C0EE CBC4, 备注 B1B8 D7A2
    const bytes = Buffer.from("D0D5C3FB2CB5E7BBB02CB1B8D7A20D0AD5C5C8FD2C3133383030303030303030" + "2C0D0AC0EECBC42C2C22B1B8D7A20A2C22", "hex");
    const text = "姓名,电话,备注\r\n张三,13800000000,\r\n李四,,\"备注\n,\"";
    expect(new TextDecoder("gb18030").decode(bytes)).toBe(text);
    const t = await readTable({ bytes, fileName: "名单.csv" });
    expect(t.encoding).toBe("gb18030");
    expect(t.headers).toEqual(["姓名", "电话", "备注"]);
    expect(t.rows).toEqual([
      ["张三", "13800000000", ""],
      ["李四", "", "备注\n,"],
    ]);
  });

  it("reads UTF-16 tab-separated text (Excel's 'Unicode text')", async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("姓名\t电话\r\n王五\t010-1234\r\n", "utf16le")]);
    const t = await readTable({ bytes, fileName: "a.txt" });
    expect(t).toMatchObject({ encoding: "utf-16le", delimiter: "\t", headers: ["姓名", "电话"], rows: [["王五", "010-1234"]] });
  });

  it("sniffs tab and semicolon delimiters, and honours a sep= line", async () => {
    expect((await readTable({ bytes: csv("a\tb\tc\n1\t2,5\t3\n"), fileName: "x.csv" })).delimiter).toBe("\t");
    const semi = await readTable({ bytes: csv("姓名;金额;备注\n王五;1,5;\"a;b\"\n"), fileName: "x.csv" });
    expect(semi.delimiter).toBe(";");
    expect(semi.rows).toEqual([["王五", "1,5", "a;b"]]);
    const sep = await readTable({ bytes: csv("sep=;\n姓名;电话\n王五;1\n"), fileName: "x.csv" });
    expect(sep).toMatchObject({ delimiter: ";", headerRowNumber: 1, rowNumbers: [2] });
  });

  it("keeps quoted cells with delimiters, quotes and line breaks; counts rows as Excel shows them", async () => {
    const text = ['姓名,地址,备注', '王五,"幸福路 1 号,2 栋","他说""好""', '第二行"', "", ",,", '李四,"多', "行", '地址",x"y', "赵六,=\"0012\",'x"].join("\n");
    const t = await readTable({ bytes: csv(text), fileName: "x.csv" });
    expect(t.rows).toEqual([
      ["王五", "幸福路 1 号,2 栋", '他说"好"\n第二行'],
      ["李四", "多\n行\n地址", 'x"y'],
      ["赵六", "0012", "'x"],
    ]);
    // Records 2, 5 and 6: record 2 spans two lines, 3 and 4 are empty.
    expect(t.rowNumbers).toEqual([2, 5, 6]);
  });

  it("names the row of an unclosed quote", async () => {
    const e = await expectCode(csv('姓名,备注\n王五,ok\n李四,"没有闭合\n赵六,x\n'), "malformed_csv");
    expect(e.details.row).toBe(3);
    expect(e.message).toContain("第 3 行");
  });

  it("stops when aborted", async () => {
    const lines = ["序号", ...Array.from({ length: 12_000 }, (_, i) => String(i))];
    const controller = new AbortController();
    const reading = readTable({ bytes: csv(lines.join("\n")), fileName: "x.csv" }, { signal: controller.signal, onProgress: (done) => done === 3000 && controller.abort() });
    await expect(reading).rejects.toThrow(/abort/i);
  });

  it("reports progress with an estimated total", async () => {
    const lines = ["序号,名称", ...Array.from({ length: 2500 }, (_, i) => `${i},n${i}`)];
    const calls: [number, number | undefined][] = [];
    await readTable({ bytes: csv(lines.join("\n")), fileName: "x.csv" }, { onProgress: (d, t) => calls.push([d, t]) });
    expect(calls).toEqual([
      [1000, 2500],
      [2000, 2500],
      [2500, 2500],
    ]);
  });

  it("refuses empty, header-only and blank files", async () => {
    expect((await expectCode(Buffer.alloc(0), "empty_file")).message).toContain("0 字节");
    await expectCode(csv(" \r\n\r\n"), "empty_file");
    await expectCode(Buffer.from([0xef, 0xbb, 0xbf]), "empty_file");
    await expectCode(csv("姓名,电话\n\n,\n"), "empty_file");
  });
});

describe("readTable: wrong file types", () => {
  const cases: [string, Buffer, string][] = [
    ["PDF", Buffer.from("%PDF-1.7\n%âãÏÓ\n1 0 obj", "latin1"), "PDF"],
    ["xls (BIFF/OLE)", Buffer.from("D0CF11E0A1B11AE1000000000000000000000000", "hex"), ".xlsx"],
    ["PNG", Buffer.from("89504E470D0A1A0A0000000D49484452", "hex"), "图片"],
    ["JPEG", Buffer.from("FFD8FFE000104A464946", "hex"), "图片"],
    ["gzip", Buffer.from("1F8B0800000000000003", "hex"), "压缩包"],
    ["HTML disguised as .xls", csv("<html><table><tr><td>姓名</td></tr></table></html>"), "网页"],
    ["GeoJSON", csv('{"type":"FeatureCollection","features":[]}'), "GeoJSON"],
    ["binary", Buffer.from([0x00, 0x01, 0x02, 0x03, 0x41, 0x42]), "二进制"],
  ];
  it.each(cases)("%s", async (_name, bytes, hint) => {
    const e = await readError(bytes, "ledger.xlsx");
    expect(e.code).toBe("unsupported_file_type");
    expect(e.status).toBe(415);
    expect(e.message).toContain(hint);
  });

  it("goes by content, not by extension", async () => {
    const t = await readTable({ bytes: csv("姓名\t电话\n王五\t1\n"), fileName: "系统导出.xls" });
    expect(t).toMatchObject({ format: "csv", delimiter: "\t" });
    const x = await xlsx((wb) => {
      const ws = wb.addWorksheet("a");
      ws.addRow(["姓名"]);
      ws.addRow(["王五"]);
    });
    expect((await readTable({ bytes: x, fileName: "名单.csv" })).format).toBe("xlsx");
    expect((await readTable({ bytes: new Uint8Array(x), fileName: "名单" })).rows).toEqual([["王五"]]);
  });
});
