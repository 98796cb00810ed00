/**
 * 12345 热线转办导入: a street (or community) takes in a batch of hotline tickets transferred to it
 * as an .xlsx/.csv sheet, the same way as the registry's ledgers — every row is checked first
 * (unknown category, a point outside every grid or outside the chosen area, a ticket repeated in
 * the file or already imported, a bad phone, empty content, a bad call time); any problem and
 * nothing is written, the report naming row and column without quoting values; otherwise every
 * row becomes a case (source hotline, submitted at the time of the call) in one transaction.
 *
 * Template columns: 工单编号, 来电时间, 诉求类别 (sub-category code or name), 诉求内容, 经度, 纬度
 * (required); 地址, 联系人, 联系电话, 紧急程度 (optional).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { rows, type Db } from "../../../platform/db/index.js";
import type { Actor } from "../../../platform/auth/actor.js";
import { AppError, bilingual, type MessageParam, type MessageTemplates } from "../../../platform/errors.js";
import { recordAudit } from "../../../platform/audit/service.js";
import { authorize } from "../../../platform/policy/index.js";
import { validatePhone } from "../../../platform/pii/validate.js";
import { applyMapping, badCell, badPhone, ok, parseText, readTable, suggestMapping, validateRows, type LedgerDefinition, type ParseResult, type Problem, type RowCheckProblem } from "../../../platform/tabular/index.js";
import { hotlineImportPolicy } from "../policy.js";
import { descriptionMaxLength, submitCase, type IntakeContext } from "./intake.js";
import { activeCategories, type ActiveCategory } from "../catalogue/catalogue.js";
import { cases, type CaseUrgency } from "../schema.js";

export const hotlineMessages = {
  datetime_format: { zh: "时间格式应为 2026-11-20 09:15", en: "a time is written like 2026-11-20 09:15" },
  datetime_invalid: { zh: "不是有效的日期时间", en: "is not a valid date and time" },
  datetime_future: { zh: "来电时间不能晚于现在", en: "the call time cannot be in the future" },
  datetime_too_old: { zh: "来电时间早于 2000 年，请核对", en: "the call time is before 2000; check it" },
  urgency_invalid: { zh: "紧急程度应填写“一般”“紧急”或“特急”", en: "the urgency must be “一般” (normal), “紧急” (urgent) or “特急” (emergency)" },
  category_unknown: {
    zh: "没有这个诉求类别（应填写现行分类目录中小类的编码或名称）",
    en: "no such category (write the code or name of a sub-category of the catalogue in use)",
  },
  category_ambiguous: { zh: "有多个小类叫这个名称，请填写类别编码", en: "several sub-categories have this name; write the category code" },
  ticket_imported: { zh: "该工单已经导入过（案件 {caseNo}）", en: "this ticket was already imported (case {caseNo})" },
  point_outside_grids: {
    zh: "坐标不在任何网格内，请核对经度、纬度（WGS 84）",
    en: "the point is not inside any grid; check the longitude and latitude (WGS 84)",
  },
  point_outside_area: {
    zh: "坐标落在「{grid}」，不在本次导入的区域内，请核对坐标或改由所属街道导入",
    en: "the point lies in “{grid}”, outside the area of this import; check the point or let its own street import it",
  },
} satisfies MessageTemplates;

type HotlineMessageCode = keyof typeof hotlineMessages;

function badHotline(code: HotlineMessageCode, params: Record<string, MessageParam> = {}): ParseResult<never> {
  const t = bilingual(hotlineMessages, code, params);
  return { ok: false, message: t.zh, code, en: t.en };
}

function hotlineIssue(field: string, code: HotlineMessageCode, params: Record<string, MessageParam> = {}): RowCheckProblem {
  const t = bilingual(hotlineMessages, code, params);
  return { field, message: t.zh, code, en: t.en };
}

/** A call time in China time: 2026-11-20 09:15[:30], 2026/11/20 9:15, 2026年11月20日 9:15, or ISO 8601 with a zone. */
export function parseCallTime(v: string, now = new Date()): ParseResult<Date> {
  const s = v.normalize("NFKC").trim();
  let at: Date;
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.exec(s);
  if (zoned) {
    at = new Date(s);
  } else {
    const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?[ T]+(\d{1,2})[:时](\d{1,2})分?(?:[:分]?(\d{1,2})秒?)?$/.exec(s);
    if (!m) return badHotline("datetime_format");
    const [y, mo, d, h, mi, se] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    if (h > 23 || mi > 59 || se > 59) return badHotline("datetime_invalid");
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return badHotline("datetime_invalid");
    at = new Date(Date.UTC(y, mo - 1, d, h - 8, mi, se));
  }
  if (Number.isNaN(at.getTime())) return badHotline("datetime_invalid");
  if (at.getTime() > now.getTime() + 60_000) return badHotline("datetime_future");
  if (at.getUTCFullYear() < 2000) return badHotline("datetime_too_old");
  return ok(at);
}

const urgencyWords: Record<string, CaseUrgency> = {
  一般: "normal",
  普通: "normal",
  正常: "normal",
  normal: "normal",
  紧急: "urgent",
  加急: "urgent",
  urgent: "urgent",
  特急: "emergency",
  特别紧急: "emergency",
  突发: "emergency",
  emergency: "emergency",
};

const coordinate = (label: "经度" | "纬度", min: number, max: number) => (v: string) => {
  const s = v.normalize("NFKC").trim();
  const labelEn = label === "经度" ? "longitude" : "latitude";
  if (!/^-?\d+(\.\d+)?$/.test(s)) return badCell("coordinate_format", { label, labelEn, example: label === "经度" ? "104.0712" : "30.6312" });
  const n = Number(s);
  return n < min || n > max ? badCell("coordinate_range", { label, labelEn, min, max }) : ok(n);
};

export interface HotlineRow extends Record<string, unknown> {
  ticket: string;
  calledAt: Date;
  category: string;
  content: string;
  lng: number;
  lat: number;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
  urgency: CaseUrgency | null;
}

export const hotlineDefinition: LedgerDefinition = {
  kind: "hotline",
  label: "12345 热线工单",
  fields: [
    { key: "ticket", label: "工单编号", aliases: ["工单号", "热线工单号", "工单编码"], required: true, parse: parseText(64) },
    { key: "calledAt", label: "来电时间", aliases: ["受理时间", "来电日期", "登记时间"], required: true, parse: (v) => parseCallTime(v) },
    { key: "category", label: "诉求类别", aliases: ["类别", "问题类别", "类别编码", "诉求分类"], required: true, parse: parseText(60) },
    { key: "content", label: "诉求内容", aliases: ["问题描述", "内容", "诉求描述"], required: true, parse: parseText(descriptionMaxLength) },
    { key: "lng", label: "经度", aliases: ["lng", "lon", "longitude"], required: true, parse: coordinate("经度", 73, 136) },
    { key: "lat", label: "纬度", aliases: ["lat", "latitude"], required: true, parse: coordinate("纬度", 3, 54) },
    { key: "address", label: "地址", aliases: ["位置", "地址/位置", "事发地址", "诉求地址"], required: false, personal: true, parse: parseText(200) },
    { key: "contactName", label: "联系人", aliases: ["来电人", "姓名", "诉求人"], required: false, personal: true, parse: parseText(30) },
    {
      key: "contactPhone",
      label: "联系电话",
      aliases: ["来电号码", "电话", "手机号码"],
      required: false,
      personal: true,
      parse: (v) => {
        const r = validatePhone(v);
        return r.ok ? ok(v) : badPhone(r);
      },
    },
    {
      key: "urgency",
      label: "紧急程度",
      aliases: ["紧急度", "缓急程度"],
      required: false,
      parse: (v) => {
        const u = urgencyWords[v.normalize("NFKC").trim().toLowerCase()];
        return u ? ok(u) : badHotline("urgency_invalid");
      },
    },
  ],
};

export interface HotlineImportOptions {
  areaId: string;
  file: { bytes: Uint8Array; fileName: string };
  dryRun?: boolean;
  /** Field key → header (or 0-based column, or null); default the suggestion. */
  mapping?: Record<string, string | number | null> | undefined;
  ignoreColumns?: string[] | undefined;
}

export interface HotlineImportOutcome {
  ok: boolean;
  written: number;
  summary: { total: number; valid: number; invalid: number; problemCount: number; omittedProblems: number };
  problems: Problem[];
  mapping: Record<string, string | null>;
  headers: string[];
  /** The cases made, by sheet row (empty on a dry run or a rejection). */
  cases: { row: number; ticket: string; caseId: string; caseNo: string }[];
}

/** The area of a hotline import, authorized (404 out of scope, 403 not allowed). */
export async function hotlineImportArea(db: Db, actor: Actor, areaId: string): Promise<{ id: string; path: string; name: string }> {
  const [area] = await rows<{ id: string; path: string; name: string }>(db, sql`select id, path, name from areas where id = ${areaId}`);
  authorize(actor, "import", area ? { areaPath: area.path } : undefined, hotlineImportPolicy);
  return area!;
}

function resolveCategory(byCode: Map<string, ActiveCategory>, byName: Map<string, ActiveCategory[]>, value: string): ActiveCategory | "ambiguous" | null {
  const s = value.normalize("NFKC").trim();
  const code = byCode.get(s);
  if (code) return code;
  const named = byName.get(s) ?? [];
  if (named.length > 1) return "ambiguous";
  return named[0] ?? null;
}

/** Validates a hotline sheet for an area and, unless `dryRun`, makes every row a case in one transaction. */
export async function importHotline(db: Db, ctx: IntakeContext, actor: Actor, opts: HotlineImportOptions): Promise<HotlineImportOutcome> {
  const area = await hotlineImportArea(db, actor, opts.areaId);
  const table = await readTable(opts.file, { maxRows: 20_000 });
  const suggested: Record<string, string | number | null> = { ...suggestMapping(table.headers, hotlineDefinition).mapping };
  const mapping = applyMapping(table.headers, hotlineDefinition, { ...suggested, ...(opts.mapping ?? {}) }, { ignoreColumns: opts.ignoreColumns ?? [] });

  const categories = await activeCategories(db);
  const byCode = new Map(categories.map((c) => [c.code, c]));
  const byName = new Map<string, ActiveCategory[]>();
  for (const c of categories) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  const ticketColumn = mapping.ticket;
  const tickets = ticketColumn === null || ticketColumn === undefined ? [] : [...new Set(table.rows.map((r) => (r[ticketColumn] ?? "").trim()).filter((t) => t !== ""))];
  const imported = await importedTickets(db, tickets);
  await ctx.gridIndex.refresh(db);
  const gridNames = new Map((await rows<{ id: string; name: string }>(db, sql`select id, name from areas where level = 'grid'`)).map((g) => [g.id, g.name]));
  const resolved = new Map<HotlineRow, ActiveCategory>();

  const parsed = await validateRows<HotlineRow>(table, hotlineDefinition, mapping, {
    uniqueKeys: [["ticket"]],
    rowCheck: (row) => {
      for (const f of hotlineDefinition.fields) if (!(f.key in row)) (row as Record<string, unknown>)[f.key] = null;
      const problems: RowCheckProblem[] = [];
      const category = resolveCategory(byCode, byName, row.category);
      if (category === "ambiguous") problems.push(hotlineIssue("category", "category_ambiguous"));
      else if (category === null) problems.push(hotlineIssue("category", "category_unknown"));
      else resolved.set(row, category);
      const prior = imported.get(row.ticket);
      if (prior) problems.push(hotlineIssue("ticket", "ticket_imported", { caseNo: prior }));
      const grid = ctx.gridIndex.locate(row.lng, row.lat);
      if (!grid) problems.push(hotlineIssue("lng", "point_outside_grids"));
      else if (!grid.path.startsWith(area.path)) problems.push(hotlineIssue("lng", "point_outside_area", { grid: gridNames.get(grid.id) ?? "" }));
      return problems;
    },
  });
  const headerOf = (k: string) => (mapping[k] === null || mapping[k] === undefined ? null : (table.headers[mapping[k]] ?? null));
  const outcome = (written: number, made: HotlineImportOutcome["cases"]): HotlineImportOutcome => ({
    ok: parsed.ok,
    written,
    summary: parsed.summary,
    problems: parsed.problems,
    mapping: Object.fromEntries(hotlineDefinition.fields.map((f) => [f.key, headerOf(f.key)])),
    headers: table.headers,
    cases: made,
  });
  if (!parsed.ok || opts.dryRun) return outcome(0, []);

  const made = await db.transaction(async (tx) => {
    // One hotline import at a time, so two uploads of the same sheet cannot both pass the ticket check.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gongzhi.cases.hotline_import'))`);
    const again = await importedTickets(tx, parsed.rows.map((r) => r.ticket));
    if (again.size > 0) throw new AppError("conflict", { detail: "hotline tickets imported meanwhile; validate the file again" }, "工单编号");
    const out: HotlineImportOutcome["cases"] = [];
    for (let i = 0; i < parsed.rows.length; i++) {
      const r = parsed.rows[i]!;
      const c = await submitCase(
        tx,
        ctx,
        actor,
        {
          source: "hotline",
          categoryCode: resolved.get(r)!.code,
          description: r.content,
          urgency: r.urgency ?? "normal",
          lng: r.lng,
          lat: r.lat,
          ...(r.address !== null ? { locationText: r.address } : {}),
          ...(r.contactName !== null ? { contactName: r.contactName } : {}),
          ...(r.contactPhone !== null ? { contactPhone: r.contactPhone } : {}),
          externalRef: r.ticket,
          submittedAt: r.calledAt,
        },
        { tx },
      );
      out.push({ row: parsed.rowNumbers[i]!, ticket: r.ticket, caseId: c.id, caseNo: c.caseNo });
    }
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "cases.hotline_import",
      entityType: "area",
      entityId: area.id,
      change: { file: opts.file.fileName, cases: out.map((c) => c.caseId) },
      summary: { rows: out.length, first: out[0]?.caseNo ?? null, last: out.at(-1)?.caseNo ?? null },
    });
    return out;
  });
  return outcome(made.length, made);
}

/** Ticket → case number of hotline tickets already imported. */
async function importedTickets(db: Db, tickets: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < tickets.length; i += 1000) {
    const part = tickets.slice(i, i + 1000);
    const found = await db
      .select({ ref: cases.externalRef, caseNo: cases.caseNo })
      .from(cases)
      .where(and(eq(cases.source, "hotline"), inArray(cases.externalRef, part)));
    for (const f of found) if (f.ref !== null) out.set(f.ref, f.caseNo);
  }
  return out;
}

/** An empty template to fill in. */
export function hotlineTemplateColumns(): { header: string; key: string }[] {
  return hotlineDefinition.fields.map((f) => ({ header: f.label, key: f.key }));
}
