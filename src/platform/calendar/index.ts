/**
 * Working-time calendar: case deadlines counted in working hours and working days, in China time,
 * skipping weekends and statutory holidays and counting make-up working days (调休).
 *
 * Everything here is pure computation over data handed in; the bundled State Council notices
 * (`holidays/<year>.json`) are one source of that data, a database table may be another.
 * China time is UTC+8 all year (no DST), so the offset is applied by hand and the machine's
 * time zone never matters.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Asia/Shanghai: UTC+8, no daylight saving time since 1991. */
const CHINA_OFFSET = 8 * HOUR;

/** A calendar day in China time, `YYYY-MM-DD`. */
export type CivilDate = string;

/** 法定节假日: a statutory holiday range from a notice, both ends inclusive. */
export interface HolidayRange {
  name: string;
  start: CivilDate;
  end: CivilDate;
}

/** 调休上班日: a weekend day the notice declares a working day. */
export interface MakeUpWorkday {
  date: CivilDate;
  name: string;
}

/** One year's 国务院办公厅关于…部分节假日安排的通知, as stored in `holidays/<year>.json`. */
export interface HolidayYear {
  year: number;
  /** Document number and title of the notice. */
  source: string;
  holidays: HolidayRange[];
  workdays: MakeUpWorkday[];
}

/** A working period within a day, China time, `HH:MM` to `HH:MM` (end exclusive; `24:00` allowed). */
export interface WorkingPeriod {
  start: string;
  end: string;
}

/** Government office hours: 09:00–12:00 and 13:30–17:30, seven working hours a day. */
export const DEFAULT_WORKING_PERIODS: readonly WorkingPeriod[] = Object.freeze([
  Object.freeze({ start: "09:00", end: "12:00" }),
  Object.freeze({ start: "13:30", end: "17:30" }),
]);

export type TimeLimitUnit = "workingHours" | "workingDays" | "naturalHours";

/** A time limit (办理时限) as configured for a case category. */
export interface TimeLimit {
  value: number;
  unit: TimeLimitUnit;
}

export interface WorkingCalendarOptions {
  /** Holiday data, one entry per year; every year a computation touches must be present. */
  years: readonly HolidayYear[];
  /** Working periods of a working day; default {@link DEFAULT_WORKING_PERIODS}. */
  periods?: readonly WorkingPeriod[];
  /**
   * What to do on a day whose year has no data. `"error"` (default) throws
   * `calendar_year_missing`; `"weekendsOnly"` treats Monday–Friday as working days, which is
   * wrong around holidays and therefore only on explicit request.
   */
  missingYear?: "error" | "weekendsOnly";
}

export type CalendarErrorCode = "calendar_invalid_input" | "calendar_invalid_data" | "calendar_year_missing";

export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    /** The year without data, for `calendar_year_missing`. */
    readonly year?: number,
  ) {
    super(message);
    this.name = "CalendarError";
  }
}

// ---------------------------------------------------------------------------------------------
// China-time arithmetic. A "local" number is UTC milliseconds shifted by +8 h, so that
// Math.floor(local / DAY) is the China calendar day and local % DAY the China clock time.

function toLocal(at: Date): number {
  return at.getTime() + CHINA_OFFSET;
}

function fromLocal(local: number): Date {
  return new Date(local - CHINA_OFFSET);
}

function dayNumberToCivil(day: number): CivilDate {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

function dayNumberToYear(day: number): number {
  return new Date(day * DAY).getUTCFullYear();
}

/** 0 = Sunday … 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Parses `YYYY-MM-DD` into a day number, or undefined when it is not a real date. */
function civilToDayNumber(civil: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(civil);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = ms / DAY;
  return dayNumberToCivil(day) === civil ? day : undefined;
}

/** The China calendar day of an instant. */
export function chinaDateOf(at: Date): CivilDate {
  return dayNumberToCivil(Math.floor(toLocal(checkDate(at, "at")) / DAY));
}

function checkDate(value: Date, name: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new CalendarError("calendar_invalid_input", `${name} must be a valid Date, got ${String(value)}`);
  }
  return value;
}

function checkAmount(value: number, name: string, integer = false): number {
  const ok = typeof value === "number" && Number.isFinite(value) && value >= 0 && (!integer || Number.isInteger(value));
  if (!ok) {
    const expected = integer ? "a whole number ≥ 0" : "a finite number ≥ 0";
    throw new CalendarError("calendar_invalid_input", `${name} must be ${expected}, got ${String(value)}`);
  }
  return value;
}

function dayOf(value: Date | CivilDate, name: string): number {
  if (typeof value === "string") {
    const day = civilToDayNumber(value);
    if (day === undefined) {
      throw new CalendarError("calendar_invalid_input", `${name} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
    }
    return day;
  }
  return Math.floor(toLocal(checkDate(value, name)) / DAY);
}

// ---------------------------------------------------------------------------------------------
// Holiday data: validation and loading.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unknownKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.push(`${where}: unknown field "${key}"`);
  }
}

/**
 * Checks one year's data and returns it typed; throws `calendar_invalid_data` listing every
 * problem. Dates may spill into the neighbouring years (a notice sometimes joins 12-30/12-31 of
 * the year before to 元旦); make-up working days must fall on a Saturday or Sunday.
 */
export function parseHolidayYear(raw: unknown, origin = "holiday data"): HolidayYear {
  const problems: string[] = [];
  if (!isRecord(raw)) throw new CalendarError("calendar_invalid_data", `${origin}: expected a JSON object`);
  unknownKeys(raw, ["year", "source", "holidays", "workdays"], origin, problems);

  const year = raw.year;
  if (typeof year !== "number" || !Number.isInteger(year) || year < 1949 || year > 9999) {
    throw new CalendarError("calendar_invalid_data", `${origin}: "year" must be a whole number, got ${JSON.stringify(year)}`);
  }
  if (typeof raw.source !== "string" || raw.source.trim() === "") problems.push(`${origin}: "source" must be a non-empty string`);

  const firstDay = civilToDayNumber(`${year - 1}-01-01`) ?? 0;
  const lastDay = civilToDayNumber(`${year + 1}-12-31`) ?? 0;
  const date = (value: unknown, where: string): number | undefined => {
    const day = typeof value === "string" ? civilToDayNumber(value) : undefined;
    if (day === undefined) problems.push(`${where}: ${JSON.stringify(value)} is not a date YYYY-MM-DD`);
    else if (day < firstDay || day > lastDay) problems.push(`${where}: ${String(value)} is too far from ${year}`);
    return day;
  };
  const name = (value: unknown, where: string): void => {
    if (typeof value !== "string" || value.trim() === "") problems.push(`${where}: "name" must be a non-empty string`);
  };

  const holidayDays = new Set<number>();
  if (!Array.isArray(raw.holidays)) problems.push(`${origin}: "holidays" must be an array`);
  else {
    for (const [i, entry] of (raw.holidays as unknown[]).entries()) {
      const where = `${origin}: holidays[${i}]`;
      if (!isRecord(entry)) {
        problems.push(`${where}: expected an object`);
        continue;
      }
      unknownKeys(entry, ["name", "start", "end"], where, problems);
      name(entry.name, where);
      const start = date(entry.start, `${where}.start`);
      const end = date(entry.end, `${where}.end`);
      if (start === undefined || end === undefined) continue;
      if (end < start) problems.push(`${where}: end is before start`);
      for (let d = start; d <= end; d++) {
        if (holidayDays.has(d)) problems.push(`${where}: ${dayNumberToCivil(d)} is already in another holiday`);
        holidayDays.add(d);
      }
    }
  }

  const workdayDays = new Set<number>();
  if (!Array.isArray(raw.workdays)) problems.push(`${origin}: "workdays" must be an array`);
  else {
    for (const [i, entry] of (raw.workdays as unknown[]).entries()) {
      const where = `${origin}: workdays[${i}]`;
      if (!isRecord(entry)) {
        problems.push(`${where}: expected an object`);
        continue;
      }
      unknownKeys(entry, ["date", "name"], where, problems);
      name(entry.name, where);
      const day = date(entry.date, `${where}.date`);
      if (day === undefined) continue;
      const civil = dayNumberToCivil(day);
      const wd = weekday(day);
      if (wd !== 0 && wd !== 6) problems.push(`${where}: ${civil} is a weekday, not a weekend make-up day`);
      if (holidayDays.has(day)) problems.push(`${where}: ${civil} is also a holiday`);
      if (workdayDays.has(day)) problems.push(`${where}: ${civil} is listed twice`);
      workdayDays.add(day);
    }
  }

  if (problems.length > 0) throw new CalendarError("calendar_invalid_data", problems.join("; "));
  return raw as unknown as HolidayYear;
}

/**
 * The folder of the bundled notices. From sources (vitest, tsx) it sits next to this file; the
 * server build (`tsc`) does not copy JSON, so from `dist/server/platform/calendar/` the sources'
 * folder in the same checkout or package is used.
 */
export function bundledHolidaysDir(): string {
  const candidates = [
    new URL("./holidays/", import.meta.url),
    new URL("../../../../src/platform/calendar/holidays/", import.meta.url),
  ];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (fs.existsSync(dir)) return dir;
  }
  throw new CalendarError(
    "calendar_invalid_data",
    `holiday data folder not found (looked in ${candidates.map((c) => fileURLToPath(c)).join(", ")})`,
  );
}

/** Reads and validates every `<year>.json` in a folder (default: the bundled notices). */
export function loadHolidayYears(dir: string = bundledHolidaysDir()): HolidayYear[] {
  const years: HolidayYear[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const full = path.join(dir, file);
    const m = /^(\d{4})\.json$/.exec(file);
    if (!m) throw new CalendarError("calendar_invalid_data", `${full}: holiday files must be named <year>.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(full, "utf8"));
    } catch (error) {
      throw new CalendarError("calendar_invalid_data", `${full}: ${(error as Error).message}`);
    }
    const data = parseHolidayYear(raw, full);
    if (data.year !== Number(m[1])) {
      throw new CalendarError("calendar_invalid_data", `${full}: file name says ${m[1]} but "year" is ${data.year}`);
    }
    years.push(data);
  }
  return years;
}

function parsePeriods(periods: readonly WorkingPeriod[]): { start: number; end: number }[] {
  const clock = (value: string, where: string): number => {
    const m = /^(\d{2}):(\d{2})$/.exec(value);
    const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
    if (!m || Number(m[2]) > 59 || minutes > 24 * 60) {
      throw new CalendarError("calendar_invalid_input", `${where} must be HH:MM (00:00–24:00), got ${JSON.stringify(value)}`);
    }
    return minutes * MINUTE;
  };
  if (periods.length === 0) throw new CalendarError("calendar_invalid_input", "at least one working period is required");
  const parsed = periods
    .map((p, i) => ({ start: clock(p.start, `periods[${i}].start`), end: clock(p.end, `periods[${i}].end`) }))
    .sort((a, b) => a.start - b.start);
  parsed.forEach((p, i) => {
    if (p.end <= p.start) throw new CalendarError("calendar_invalid_input", "a working period must end after it starts");
    const prev = parsed[i - 1];
    if (prev && p.start < prev.end) throw new CalendarError("calendar_invalid_input", "working periods overlap");
  });
  return parsed;
}

// ---------------------------------------------------------------------------------------------

type DayRule = { kind: "holiday" | "workday"; name: string };

/**
 * Working time per the notices and the configured office hours. Immutable; build one per set of
 * data and share it. Rules:
 * - a working day is Monday–Friday unless a holiday, plus every make-up working day;
 * - working time is the configured periods of working days, start inclusive, end exclusive;
 * - durations resolve to whole milliseconds.
 */
export class WorkingCalendar {
  private readonly rules = new Map<number, DayRule>();
  private readonly years = new Set<number>();
  private readonly periods: { start: number; end: number }[];
  private readonly missingYear: "error" | "weekendsOnly";

  constructor(options: WorkingCalendarOptions) {
    this.periods = parsePeriods(options.periods ?? DEFAULT_WORKING_PERIODS);
    this.missingYear = options.missingYear ?? "error";
    for (const raw of options.years) {
      const data = parseHolidayYear(raw, `holiday data ${String((raw as { year?: unknown }).year)}`);
      if (this.years.has(data.year)) throw new CalendarError("calendar_invalid_data", `year ${data.year} is given twice`);
      this.years.add(data.year);
      const set = (day: number, rule: DayRule): void => {
        const existing = this.rules.get(day);
        if (existing && existing.kind !== rule.kind) {
          throw new CalendarError(
            "calendar_invalid_data",
            `${dayNumberToCivil(day)} is a ${existing.kind} in one year's data and a ${rule.kind} in another's`,
          );
        }
        this.rules.set(day, rule);
      };
      for (const h of data.holidays) {
        for (let d = civilToDayNumber(h.start)!; d <= civilToDayNumber(h.end)!; d++) set(d, { kind: "holiday", name: h.name });
      }
      for (const w of data.workdays) set(civilToDayNumber(w.date)!, { kind: "workday", name: w.name });
    }
  }

  /** Years with holiday data, ascending. */
  coveredYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** Whether a China calendar day (given as `YYYY-MM-DD` or any instant on it) is a working day. */
  isWorkingDay(day: Date | CivilDate): boolean {
    return this.isWorkingDayNumber(dayOf(day, "day"));
  }

  /** The first working day strictly after the given China calendar day. */
  nextWorkingDay(day: Date | CivilDate): CivilDate {
    let d = dayOf(day, "day") + 1;
    while (!this.isWorkingDayNumber(d)) d++;
    return dayNumberToCivil(d);
  }

  /** Whether an instant falls inside a working period of a working day. */
  isWorkingTime(at: Date): boolean {
    const local = toLocal(checkDate(at, "at"));
    const day = Math.floor(local / DAY);
    const clock = local - day * DAY;
    return this.isWorkingDayNumber(day) && this.periods.some((p) => clock >= p.start && clock < p.end);
  }

  /** The instant itself if it is working time, else the start of the next working period. */
  nextWorkingTime(at: Date): Date {
    return fromLocal(this.advance(toLocal(checkDate(at, "at")), 0));
  }

  /**
   * The instant after `hours` of working time from `start`. A start outside working time begins
   * counting at the next working period; a deadline that exhausts a period ends at that
   * period's end (e.g. 12:00), not at the start of the next one.
   */
  addWorkingHours(start: Date, hours: number): Date {
    checkDate(start, "start");
    checkAmount(hours, "hours");
    return fromLocal(this.advance(toLocal(start), Math.round(hours * HOUR)));
  }

  /**
   * N个工作日: close of business (end of the last working period) of the Nth working day after
   * the China calendar day of receipt. The day of receipt never counts, whatever the hour and
   * whether or not it is a working day. `days = 0` means the close of the day of receipt, or of
   * the next working day if it is not one.
   */
  addWorkingDays(start: Date, days: number): Date {
    checkDate(start, "start");
    checkAmount(days, "days", true);
    let d = Math.floor(toLocal(start) / DAY);
    if (days === 0) {
      while (!this.isWorkingDayNumber(d)) d++;
    } else {
      for (let counted = 0; counted < days; ) {
        d++;
        if (this.isWorkingDayNumber(d)) counted++;
      }
    }
    return fromLocal(d * DAY + this.periods[this.periods.length - 1]!.end);
  }

  /** Calendar (natural) hours: holidays and nights count. */
  addNaturalHours(start: Date, hours: number): Date {
    checkDate(start, "start");
    checkAmount(hours, "hours");
    return new Date(start.getTime() + Math.round(hours * HOUR));
  }

  /** Working time in milliseconds from `a` to `b`; negative when `b` is before `a`. */
  workingTimeBetween(a: Date, b: Date): number {
    checkDate(a, "a");
    checkDate(b, "b");
    if (b.getTime() < a.getTime()) return 0 - this.workingTimeBetween(b, a) || 0; // never -0
    const from = toLocal(a);
    const to = toLocal(b);
    let total = 0;
    for (let d = Math.floor(from / DAY); d * DAY < to; d++) {
      if (!this.isWorkingDayNumber(d)) continue;
      for (const p of this.periods) {
        const overlap = Math.min(to, d * DAY + p.end) - Math.max(from, d * DAY + p.start);
        if (overlap > 0) total += overlap;
      }
    }
    return total;
  }

  /** {@link workingTimeBetween} in hours. */
  workingHoursBetween(a: Date, b: Date): number {
    return this.workingTimeBetween(a, b) / HOUR;
  }

  /** The deadline of a time limit (办理时限) starting at `start`. */
  addTimeLimit(start: Date, limit: TimeLimit): Date {
    switch (limit.unit) {
      case "workingHours":
        return this.addWorkingHours(start, limit.value);
      case "workingDays":
        return this.addWorkingDays(start, limit.value);
      case "naturalHours":
        return this.addNaturalHours(start, limit.value);
      default: {
        const unit: never = limit.unit;
        throw new CalendarError("calendar_invalid_input", `unknown time limit unit ${JSON.stringify(unit)}`);
      }
    }
  }

  /** Walks forward `ms` of working time from a local instant. */
  private advance(startLocal: number, ms: number): number {
    let remaining = ms;
    for (let d = Math.floor(startLocal / DAY); ; d++) {
      if (!this.isWorkingDayNumber(d)) continue;
      for (const p of this.periods) {
        const from = Math.max(startLocal, d * DAY + p.start);
        const available = d * DAY + p.end - from;
        if (available <= 0) continue;
        if (remaining <= available) return from + remaining;
        remaining -= available;
      }
    }
  }

  private isWorkingDayNumber(day: number): boolean {
    const rule = this.rules.get(day);
    if (rule) return rule.kind === "workday";
    const year = dayNumberToYear(day);
    if (!this.years.has(year) && this.missingYear === "error") {
      throw new CalendarError(
        "calendar_year_missing",
        `no holiday data for ${year} (needed for ${dayNumberToCivil(day)}); add src/platform/calendar/holidays/${year}.json`,
        year,
      );
    }
    const wd = weekday(day);
    return wd !== 0 && wd !== 6;
  }
}

/** A calendar over the bundled notices (or the given years) and office hours. */
export function createWorkingCalendar(options: Partial<WorkingCalendarOptions> = {}): WorkingCalendar {
  return new WorkingCalendar({ ...options, years: options.years ?? loadHolidayYears() });
}
