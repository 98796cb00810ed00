/**
 * Expected values are worked out by hand from the State Council notices (国办发明电〔2024〕12号,
 * 国办发明电〔2025〕7号) and office hours 09:00–12:00, 13:30–17:30 (7 h a day); they are written
 * as +08:00 literals so nothing here depends on the implementation or the machine's time zone.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CalendarError,
  chinaDateOf,
  createWorkingCalendar,
  loadHolidayYears,
  parseHolidayYear,
  WorkingCalendar,
  type HolidayYear,
} from "./index.js";

const cal = createWorkingCalendar();
const at = (iso: string): Date => new Date(`${iso}+08:00`);
const HOUR = 3_600_000;

function expectCalendarError(fn: () => unknown, code: CalendarError["code"]): CalendarError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    expect((error as CalendarError).code).toBe(code);
    return error as CalendarError;
  }
  throw new Error(`expected a CalendarError ${code}`);
}

describe("bundled data", () => {
  it("loads every year in the folder", () => {
    expect(cal.coveredYears()).toEqual(expect.arrayContaining([2025, 2026]));
    const y2026 = loadHolidayYears().find((y) => y.year === 2026);
    expect(y2026?.source).toContain("国办发明电〔2025〕7号");
    expect(y2026?.holidays).toContainEqual({ name: "春节", start: "2026-02-15", end: "2026-02-23" });
  });
});

describe("2026 Spring Festival (2/15–2/23 off; Sat 2/14 and Sat 2/28 worked)", () => {
  it("knows which days are worked", () => {
    expect(cal.isWorkingDay("2026-02-13")).toBe(true); // Friday
    expect(cal.isWorkingDay("2026-02-14")).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay("2026-02-15")).toBe(false);
    expect(cal.isWorkingDay("2026-02-16")).toBe(false); // Monday in the holiday
    expect(cal.isWorkingDay("2026-02-21")).toBe(false); // Saturday in the holiday
    expect(cal.isWorkingDay("2026-02-23")).toBe(false); // Monday, last holiday day
    expect(cal.isWorkingDay("2026-02-24")).toBe(true);
    expect(cal.isWorkingDay("2026-02-28")).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay("2026-03-01")).toBe(false); // ordinary Sunday
    expect(cal.nextWorkingDay("2026-02-13")).toBe("2026-02-14");
    expect(cal.nextWorkingDay("2026-02-14")).toBe("2026-02-24");
    expect(cal.nextWorkingDay(at("2026-02-27T23:00:00"))).toBe("2026-02-28");
  });

  it("runs working hours into the make-up Saturday", () => {
    // Fri 16:00–17:30 = 1.5 h, then Sat 2/14 09:00 + 2.5 h.
    expect(cal.addWorkingHours(at("2026-02-13T16:00:00"), 4)).toEqual(at("2026-02-14T11:30:00"));
    // Fri 7 h, then 1 h on Sat 2/14.
    expect(cal.addWorkingHours(at("2026-02-13T09:00:00"), 8)).toEqual(at("2026-02-14T10:00:00"));
    // Sat 2/14 16:30: 1 h left that day, the next 2 h after the holiday.
    expect(cal.addWorkingHours(at("2026-02-14T16:30:00"), 3)).toEqual(at("2026-02-24T11:00:00"));
    expect(cal.addWorkingHours(at("2026-02-27T17:00:00"), 1)).toEqual(at("2026-02-28T09:30:00"));
  });

  it("starts counting a case received in the holiday on 2/24", () => {
    expect(cal.nextWorkingTime(at("2026-02-18T10:00:00"))).toEqual(at("2026-02-24T09:00:00"));
    expect(cal.addWorkingHours(at("2026-02-18T10:00:00"), 2)).toEqual(at("2026-02-24T11:00:00"));
    expect(cal.addWorkingHours(at("2026-02-14T20:00:00"), 7)).toEqual(at("2026-02-24T17:30:00"));
    expect(cal.addWorkingDays(at("2026-02-18T10:00:00"), 1)).toEqual(at("2026-02-24T17:30:00"));
  });

  it("counts working days from the day after receipt, closing at 17:30", () => {
    // Receipt Fri 2/13: day 1 = Sat 2/14, day 2 = 2/24, day 3 = 2/25.
    expect(cal.addWorkingDays(at("2026-02-13T10:00:00"), 3)).toEqual(at("2026-02-25T17:30:00"));
    // The hour of receipt does not matter, nor does receipt after closing time.
    expect(cal.addWorkingDays(at("2026-02-13T23:59:00"), 1)).toEqual(at("2026-02-14T17:30:00"));
    expect(cal.addWorkingDays(at("2026-02-14T08:00:00"), 1)).toEqual(at("2026-02-24T17:30:00"));
    // 0 days: close of the day of receipt, or of the next working day.
    expect(cal.addWorkingDays(at("2026-02-13T10:00:00"), 0)).toEqual(at("2026-02-13T17:30:00"));
    expect(cal.addWorkingDays(at("2026-02-20T10:00:00"), 0)).toEqual(at("2026-02-24T17:30:00"));
  });

  it("measures working time across the holiday", () => {
    // Fri 2/13 7 h + Sat 2/14 7 h.
    expect(cal.workingHoursBetween(at("2026-02-13T09:00:00"), at("2026-02-24T09:00:00"))).toBe(14);
    expect(cal.workingHoursBetween(at("2026-02-15T00:00:00"), at("2026-02-23T23:59:59"))).toBe(0);
  });
});

describe("2026 National Day (中秋 9/25–9/27, 国庆 10/1–10/7; Sun 9/20 and Sat 10/10 worked)", () => {
  it("knows which days are worked", () => {
    expect(cal.isWorkingDay("2026-09-19")).toBe(false); // Saturday
    expect(cal.isWorkingDay("2026-09-20")).toBe(true); // Sunday, make-up day
    expect(cal.isWorkingDay("2026-09-25")).toBe(false); // Friday, 中秋
    expect(cal.isWorkingDay("2026-09-28")).toBe(true);
    expect(cal.isWorkingDay("2026-09-30")).toBe(true);
    for (let d = 1; d <= 7; d++) expect(cal.isWorkingDay(`2026-10-0${d}`)).toBe(false);
    expect(cal.isWorkingDay("2026-10-08")).toBe(true);
    expect(cal.isWorkingDay("2026-10-10")).toBe(true); // Saturday, make-up day
    expect(cal.isWorkingDay("2026-10-11")).toBe(false);
  });

  it("counts the make-up Sunday and Saturday and skips the holidays", () => {
    expect(cal.addWorkingHours(at("2026-09-19T10:00:00"), 3)).toEqual(at("2026-09-20T12:00:00"));
    // Thu 9/24 17:00–17:30, then Mon 9/28 09:00 + 0.5 h.
    expect(cal.addWorkingHours(at("2026-09-24T17:00:00"), 1)).toEqual(at("2026-09-28T09:30:00"));
    // Wed 9/30 14:00–17:30 = 3.5 h, then Thu 10/8 09:00–12:00 = 3 h, then 13:30 + 0.5 h.
    expect(cal.addWorkingHours(at("2026-09-30T14:00:00"), 7)).toEqual(at("2026-10-08T14:00:00"));
    expect(cal.addWorkingHours(at("2026-10-09T17:00:00"), 2)).toEqual(at("2026-10-10T10:30:00"));
    // Receipt 9/30: 10/8, 10/9, 10/10 (Sat), 10/12, 10/13.
    expect(cal.addWorkingDays(at("2026-09-30T15:00:00"), 5)).toEqual(at("2026-10-13T17:30:00"));
    // 9/30 + 10/8 + 10/9 + 10/10, 7 h each.
    expect(cal.workingHoursBetween(at("2026-09-30T09:00:00"), at("2026-10-10T17:30:00"))).toBe(28);
  });
});

describe("2025", () => {
  it("Spring Festival 1/28–2/4, with Sun 1/26 and Sat 2/8 worked", () => {
    expect(cal.isWorkingDay("2025-01-25")).toBe(false);
    expect(cal.isWorkingDay("2025-01-26")).toBe(true);
    expect(cal.isWorkingDay("2025-01-27")).toBe(true);
    expect(cal.isWorkingDay("2025-02-04")).toBe(false);
    expect(cal.isWorkingDay("2025-02-08")).toBe(true);
    expect(cal.addWorkingHours(at("2025-01-24T17:00:00"), 1)).toEqual(at("2025-01-26T09:30:00"));
    expect(cal.addWorkingDays(at("2025-01-27T10:00:00"), 1)).toEqual(at("2025-02-05T17:30:00"));
    expect(cal.addWorkingDays(at("2025-02-07T10:00:00"), 1)).toEqual(at("2025-02-08T17:30:00"));
  });

  it("元旦, 劳动节 (Sun 4/27 worked), 端午 and the joint 国庆/中秋 (Sun 9/28, Sat 10/11 worked)", () => {
    expect(cal.isWorkingDay("2025-01-01")).toBe(false);
    expect(cal.isWorkingDay("2025-01-02")).toBe(true);
    expect(cal.isWorkingDay("2025-04-27")).toBe(true);
    expect(cal.isWorkingDay("2025-05-05")).toBe(false);
    expect(cal.addWorkingHours(at("2025-04-30T17:00:00"), 1)).toEqual(at("2025-05-06T09:30:00"));
    expect(cal.addWorkingHours(at("2025-05-30T17:00:00"), 1)).toEqual(at("2025-06-03T09:30:00"));
    expect(cal.isWorkingDay("2025-09-28")).toBe(true);
    expect(cal.isWorkingDay("2025-10-08")).toBe(false);
    expect(cal.isWorkingDay("2025-10-11")).toBe(true);
    // Tue 9/30 14:00–17:30 = 3.5 h; Thu 10/9 09:00–12:00 = 3 h, 13:30 + 3.5 h.
    expect(cal.addWorkingHours(at("2025-09-30T14:00:00"), 10)).toEqual(at("2025-10-09T17:00:00"));
  });
});

describe("New Year 2026 (1/1–1/3 off, Sun 1/4 worked)", () => {
  it("crosses from 2025 into the make-up Sunday", () => {
    expect(cal.isWorkingDay("2026-01-02")).toBe(false); // Friday
    expect(cal.isWorkingDay("2026-01-04")).toBe(true); // Sunday
    expect(cal.addWorkingHours(at("2025-12-31T17:00:00"), 2)).toEqual(at("2026-01-04T10:30:00"));
    expect(cal.addWorkingDays(at("2025-12-31T10:00:00"), 1)).toEqual(at("2026-01-04T17:30:00"));
    expect(cal.nextWorkingDay("2025-12-31")).toBe("2026-01-04");
  });
});

describe("lunch break and office hours (Tue 2026-03-10)", () => {
  it("skips 12:00–13:30", () => {
    expect(cal.addWorkingHours(at("2026-03-10T11:00:00"), 2)).toEqual(at("2026-03-10T14:30:00"));
    expect(cal.addWorkingHours(at("2026-03-10T12:30:00"), 1)).toEqual(at("2026-03-10T14:30:00"));
    expect(cal.addWorkingHours(at("2026-03-10T11:00:00"), 1)).toEqual(at("2026-03-10T12:00:00"));
    expect(cal.addWorkingHours(at("2026-03-10T11:00:00"), 1.25)).toEqual(at("2026-03-10T13:45:00"));
    expect(cal.workingHoursBetween(at("2026-03-10T11:00:00"), at("2026-03-10T14:00:00"))).toBe(1.5);
    expect(cal.workingHoursBetween(at("2026-03-10T12:10:00"), at("2026-03-10T13:20:00"))).toBe(0);
  });

  it("starts outside working time at the next period", () => {
    expect(cal.addWorkingHours(at("2026-03-10T07:00:00"), 1)).toEqual(at("2026-03-10T10:00:00"));
    expect(cal.addWorkingHours(at("2026-03-10T20:00:00"), 1)).toEqual(at("2026-03-11T10:00:00"));
    expect(cal.nextWorkingTime(at("2026-03-10T12:00:00"))).toEqual(at("2026-03-10T13:30:00"));
    expect(cal.nextWorkingTime(at("2026-03-10T10:15:00"))).toEqual(at("2026-03-10T10:15:00"));
    expect(cal.isWorkingTime(at("2026-03-10T11:59:59.999"))).toBe(true);
    expect(cal.isWorkingTime(at("2026-03-10T12:00:00"))).toBe(false);
    expect(cal.isWorkingTime(at("2026-03-10T13:30:00"))).toBe(true);
    expect(cal.isWorkingTime(at("2026-03-10T17:30:00"))).toBe(false);
  });

  it("uses China time whatever the instant's UTC date", () => {
    // 2026-02-13T16:30Z is Sat 2026-02-14 00:30 in Beijing.
    expect(chinaDateOf(new Date("2026-02-13T16:30:00Z"))).toBe("2026-02-14");
    expect(cal.isWorkingDay(new Date("2026-02-13T16:30:00Z"))).toBe(true);
    expect(cal.isWorkingDay(new Date("2026-02-14T16:30:00Z"))).toBe(false);
  });

  it("accepts other office hours", () => {
    const shifts = createWorkingCalendar({ periods: [{ start: "14:00", end: "18:00" }, { start: "08:30", end: "12:00" }] });
    expect(shifts.addWorkingHours(at("2026-03-10T11:00:00"), 2)).toEqual(at("2026-03-10T15:00:00"));
    expect(shifts.addWorkingDays(at("2026-03-10T11:00:00"), 1)).toEqual(at("2026-03-11T18:00:00"));
    expectCalendarError(() => createWorkingCalendar({ periods: [] }), "calendar_invalid_input");
    expectCalendarError(
      () => createWorkingCalendar({ periods: [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "13:00" }] }),
      "calendar_invalid_input",
    );
    expectCalendarError(() => createWorkingCalendar({ periods: [{ start: "9:00", end: "12:00" }] }), "calendar_invalid_input");
  });
});

describe("natural hours and time limits", () => {
  it("adds calendar time straight through holidays", () => {
    expect(cal.addNaturalHours(at("2026-02-15T10:00:00"), 72)).toEqual(at("2026-02-18T10:00:00"));
    expect(cal.addNaturalHours(at("2026-02-13T16:00:00"), 0.5)).toEqual(at("2026-02-13T16:30:00"));
  });

  it("dispatches on the unit", () => {
    const start = at("2026-02-13T16:00:00");
    expect(cal.addTimeLimit(start, { value: 4, unit: "workingHours" })).toEqual(at("2026-02-14T11:30:00"));
    expect(cal.addTimeLimit(start, { value: 2, unit: "workingDays" })).toEqual(at("2026-02-24T17:30:00"));
    expect(cal.addTimeLimit(start, { value: 24, unit: "naturalHours" })).toEqual(at("2026-02-14T16:00:00"));
  });
});

describe("round trips", () => {
  // mulberry32: a small deterministic generator, so a failure can be replayed.
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  it("workingTimeBetween(a, addWorkingHours(a, h)) is h for random starts in 2025–2026", () => {
    const next = random(20260213);
    const from = at("2025-01-01T00:00:00").getTime();
    const to = at("2026-11-30T00:00:00").getTime();
    for (let i = 0; i < 2000; i++) {
      const a = new Date(from + Math.floor(next() * (to - from)));
      const h = Math.floor(next() * 281) / 4; // 0–70 h in quarter hours, at most ten working days
      const due = cal.addWorkingHours(a, h);
      expect(cal.workingTimeBetween(a, due), `start ${a.toISOString()}, ${h} h`).toBe(h * HOUR);
      expect(cal.workingTimeBetween(due, a)).toBe(h === 0 ? 0 : -h * HOUR); // 0, not -0
      expect(due.getTime()).toBeGreaterThanOrEqual(a.getTime());
    }
  });

  it("a zero-hour deadline is the next working moment", () => {
    expect(cal.addWorkingHours(at("2026-02-20T10:00:00"), 0)).toEqual(at("2026-02-24T09:00:00"));
    expect(cal.addWorkingHours(at("2026-03-10T10:00:00"), 0)).toEqual(at("2026-03-10T10:00:00"));
  });
});

describe("bad input", () => {
  const start = at("2026-03-10T10:00:00");

  it("rejects negative, NaN and infinite amounts and invalid dates", () => {
    const e = expectCalendarError(() => cal.addWorkingHours(start, -1), "calendar_invalid_input");
    expect(e.message).toMatch(/hours must be a finite number ≥ 0, got -1/);
    expectCalendarError(() => cal.addWorkingHours(start, Number.NaN), "calendar_invalid_input");
    expectCalendarError(() => cal.addWorkingHours(start, Number.POSITIVE_INFINITY), "calendar_invalid_input");
    expectCalendarError(() => cal.addNaturalHours(start, -0.5), "calendar_invalid_input");
    expectCalendarError(() => cal.addWorkingDays(start, -1), "calendar_invalid_input");
    expectCalendarError(() => cal.addWorkingDays(start, 1.5), "calendar_invalid_input");
    expectCalendarError(() => cal.addTimeLimit(start, { value: Number.NaN, unit: "workingDays" }), "calendar_invalid_input");
    expectCalendarError(() => cal.addWorkingHours(new Date("not a date"), 1), "calendar_invalid_input");
    expectCalendarError(() => cal.workingTimeBetween(start, new Date(Number.NaN)), "calendar_invalid_input");
    expectCalendarError(() => cal.isWorkingDay("2026-02-30"), "calendar_invalid_input");
    expectCalendarError(() => cal.isWorkingDay("2026/03/10"), "calendar_invalid_input");
  });

  it("rejects a year without data, unless weekends-only was asked for", () => {
    const e = expectCalendarError(() => cal.isWorkingDay("2027-01-04"), "calendar_year_missing");
    expect(e.year).toBe(2027);
    expectCalendarError(() => cal.isWorkingDay("2024-12-31"), "calendar_year_missing");
    // 2026-12-31 17:00 + 1 h needs Fri 2027-01-01.
    expectCalendarError(() => cal.addWorkingHours(at("2026-12-31T17:00:00"), 1), "calendar_year_missing");
    expectCalendarError(() => cal.addWorkingDays(at("2026-12-31T10:00:00"), 1), "calendar_year_missing");

    const lenient = createWorkingCalendar({ missingYear: "weekendsOnly" });
    expect(lenient.isWorkingDay("2027-01-01")).toBe(true); // really 元旦, hence opt-in only
    expect(lenient.isWorkingDay("2027-01-02")).toBe(false); // Saturday
    expect(lenient.isWorkingDay("2026-02-16")).toBe(false); // known years keep their holidays
    expect(lenient.addWorkingHours(at("2026-12-31T17:00:00"), 1)).toEqual(at("2027-01-01T09:30:00"));
  });
});

describe("data validation", () => {
  const valid = (): HolidayYear => ({
    year: 2030,
    source: "test",
    holidays: [{ name: "元旦", start: "2030-01-01", end: "2030-01-01" }],
    workdays: [{ date: "2030-01-05", name: "调休" }], // a Saturday
  });

  it("accepts a well-formed year and rejects malformed ones with every problem listed", () => {
    expect(parseHolidayYear(valid()).year).toBe(2030);
    expectCalendarError(() => parseHolidayYear({ ...valid(), year: "2030" }), "calendar_invalid_data");
    expectCalendarError(() => parseHolidayYear({ ...valid(), source: "" }), "calendar_invalid_data");
    expectCalendarError(() => parseHolidayYear({ ...valid(), holiday: [] }), "calendar_invalid_data");
    expectCalendarError(
      () => parseHolidayYear({ ...valid(), holidays: [{ name: "x", start: "2030-01-03", end: "2030-01-01" }] }),
      "calendar_invalid_data",
    );
    const e = expectCalendarError(
      () => parseHolidayYear({ ...valid(), workdays: [{ date: "2030-01-02", name: "调休" }, { date: "2030-02-30", name: "x" }] }),
      "calendar_invalid_data",
    );
    expect(e.message).toContain("2030-01-02 is a weekday");
    expect(e.message).toContain('"2030-02-30" is not a date');
  });

  it("loads a folder, checks file names and refuses a year given twice", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gongzhi-calendar-"));
    try {
      fs.writeFileSync(path.join(dir, "2030.json"), JSON.stringify(valid()));
      fs.writeFileSync(path.join(dir, "notes.txt"), "ignored");
      const years = loadHolidayYears(dir);
      expect(years.map((y) => y.year)).toEqual([2030]);
      const c = new WorkingCalendar({ years });
      expect(c.isWorkingDay("2030-01-01")).toBe(false);
      expect(c.isWorkingDay("2030-01-05")).toBe(true);
      expectCalendarError(() => new WorkingCalendar({ years: [...years, valid()] }), "calendar_invalid_data");

      fs.writeFileSync(path.join(dir, "2031.json"), JSON.stringify(valid()));
      expectCalendarError(() => loadHolidayYears(dir), "calendar_invalid_data");
      fs.rmSync(path.join(dir, "2031.json"));
      fs.writeFileSync(path.join(dir, "extra.json"), "{}");
      expectCalendarError(() => loadHolidayYears(dir), "calendar_invalid_data");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
