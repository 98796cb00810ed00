/**
 * Times as the platform shows them: always in China time (Asia/Shanghai), whatever time zone the
 * device is set to, so a timeline, a queue and the inbox bell agree with each other and with the
 * deadlines the server counts.
 */
import type { i18n as I18n } from "i18next";

/** "11-03 14:30" in China time, with the year when it is not this year's. */
export function chinaTime(iso: string, language: string): string {
  const d = new Date(iso);
  const year = (x: Date) => x.toLocaleString("en-GB", { timeZone: "Asia/Shanghai", year: "numeric" });
  const sameYear = year(d) === year(new Date());
  return d.toLocaleString(language === "en" ? "en-GB" : "zh-CN", {
    timeZone: "Asia/Shanghai",
    ...(sameYear ? {} : { year: "numeric" }),
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
}

/** "11月23日 14:05" / "23 Nov 14:05" in China time. */
export function shortTime(i18n: I18n, iso: string): string {
  const en = i18n.language === "en";
  const parts = new Intl.DateTimeFormat(en ? "en-GB" : "zh-CN", {
    timeZone: "Asia/Shanghai",
    month: en ? "short" : "numeric",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const time = `${part("hour")}:${part("minute")}`;
  return en ? `${part("day")} ${part("month")} ${time}` : `${part("month")}月${part("day")}日 ${time}`;
}
