/**
 * Instants as text with their zone: ISO 8601 in China time for output (Open311, answers to a
 * category's questions), and a strict reader that refuses a time without a zone.
 */
const chinaOffsetMs = 8 * 3600 * 1000;

/** ISO 8601 in China time with its zone, as the spec wants: `2026-03-01T08:15:30+08:00`. */
export function isoChina(at: Date | string | null | undefined): string | null {
  if (at === null || at === undefined) return null;
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return null;
  return `${new Date(d.getTime() + chinaOffsetMs).toISOString().slice(0, 19)}+08:00`;
}

const iso8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An ISO 8601 instant **with** its zone (`2026-03-01T08:15:30+08:00`, `…Z`); a date alone or a
 * time without zone is refused (undefined), since it would be ambiguous by eight hours.
 */
export function parseIsoInstant(text: string): Date | undefined {
  const m = iso8601.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return undefined;
  const zone = m[7]!.length === 5 ? `${m[7]!.slice(0, 3)}:${m[7]!.slice(3)}` : m[7]!;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? "00"}${zone}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
