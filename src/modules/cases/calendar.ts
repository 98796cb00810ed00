/**
 * The working-time calendar cases run on (statutory holidays and 调休 as data). One per process.
 * A year without holiday data (the State Council publishes each year's arrangement late in the
 * year before) counts Monday–Friday as working days rather than refusing the case: a resident's
 * report must never fail because next year's holidays are not yet loaded. `missingHolidayYears`
 * tells the operator which years run on that rule, so the data can be added.
 */
import { createWorkingCalendar, type TimeLimit, type WorkingCalendar } from "../../platform/calendar/index.js";

let calendar: WorkingCalendar | undefined;

export function workingCalendar(): WorkingCalendar {
  calendar ??= createWorkingCalendar({ missingYear: "weekendsOnly" });
  return calendar;
}

/** `start` plus a time limit on the working calendar; null when the category sets no limit. */
export function dueAfter(start: Date, value: number | null | undefined, unit: TimeLimit["unit"] | null | undefined): Date | null {
  if (value == null || unit == null) return null;
  return workingCalendar().addTimeLimit(start, { value, unit });
}

/** Years from this one to the next that have no holiday data (deadlines there count weekdays only). */
export function missingHolidayYears(now: Date = new Date()): number[] {
  const covered = new Set(workingCalendar().coveredYears());
  const y = now.getUTCFullYear();
  return [y, y + 1].filter((year) => !covered.has(year));
}
