/**
 * Cell parsers shared by the ledger imports (src/tools/ledgers) and the 12345 hotline import
 * (cases): each turns one cell's text into a value or a coded problem (messages.ts).
 */
import type { ParseResult } from "./mapping.js";
import { badCell } from "./messages.js";

export const ok = <V>(value: V): ParseResult<V> => ({ ok: true, value });
export const bad = (message: string): ParseResult<never> => ({ ok: false, message });

/** Whole number within bounds, written as "6" or "6层"/"6个" and full-width digits. */
export function parseCount(unit: string, min: number, max: number): (v: string) => ParseResult<number> {
  return (v) => {
    const s = v.normalize("NFKC").replace(new RegExp(`${unit}$`), "").trim();
    if (!/^\d+$/.test(s)) return badCell("integer_expected", { min, max });
    const n = Number(s);
    return n < min || n > max ? badCell("out_of_range", { min, max }) : ok(n);
  };
}

/** A date as 2001-07-01, 2001/7/1, 2001.7.1, 2001年7月1日 or 20010701 → YYYY-MM-DD; not in the future. */
export function parseDate(v: string, now = new Date()): ParseResult<string> {
  const s = v.normalize("NFKC").trim();
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return badCell("date_format");
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return badCell("date_invalid");
  const iso = date.toISOString().slice(0, 10);
  if (iso > now.toISOString().slice(0, 10)) return badCell("date_future");
  return ok(iso);
}

/** Plain text up to `max` characters. */
export function parseText(max: number): (v: string) => ParseResult<string> {
  return (v) => ([...v].length > max ? badCell("text_too_long", { max }) : ok(v));
}
