/** The working-time calendar cases run on (statutory holidays and 调休 as data). One per process. */
import { createWorkingCalendar, type TimeLimit, type WorkingCalendar } from "../../platform/calendar/index.js";

let calendar: WorkingCalendar | undefined;

export function workingCalendar(): WorkingCalendar {
  calendar ??= createWorkingCalendar();
  return calendar;
}

/** `start` plus a time limit on the working calendar; null when the category sets no limit. */
export function dueAfter(start: Date, value: number | null | undefined, unit: TimeLimit["unit"] | null | undefined): Date | null {
  if (value == null || unit == null) return null;
  return workingCalendar().addTimeLimit(start, { value, unit });
}
