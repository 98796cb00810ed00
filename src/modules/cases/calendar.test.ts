import { describe, expect, it } from "vitest";
import { dueAfter, missingHolidayYears, workingCalendar } from "./calendar.js";

describe("the cases' working calendar", () => {
  it("counts statutory holidays where the year has data (2026 National Day week is not working time)", () => {
    // 2026-09-30 16:00 China time + 4 working hours: 1–7 October are holidays, so the clock resumes on 8 October.
    const due = dueAfter(new Date("2026-09-30T08:00:00Z"), 4, "workingHours")!;
    expect(due.toISOString().slice(0, 10)).toBe("2026-10-08");
  });

  it("does not refuse a deadline that runs into a year without holiday data: Monday–Friday count", () => {
    expect(workingCalendar().coveredYears()).not.toContain(2030);
    // Friday 2030-01-04 10:00 China time + 1 working day → Monday 2030-01-07.
    const due = dueAfter(new Date("2030-01-04T02:00:00Z"), 1, "workingDays")!;
    expect(due.toISOString().slice(0, 10)).toBe("2030-01-07");
  });

  it("names the years that run on that rule, this year and next", () => {
    expect(missingHolidayYears(new Date("2026-06-01T00:00:00Z"))).toEqual(workingCalendar().coveredYears().includes(2027) ? [] : [2027]);
    expect(missingHolidayYears(new Date("2030-06-01T00:00:00Z"))).toEqual([2030, 2031]);
  });

  it("has no deadline when the category sets no limit", () => {
    expect(dueAfter(new Date(), null, "workingHours")).toBeNull();
  });
});
