/** Small helpers the phone pages share: a status's tag colour, a label in the language, times. */
import type { i18n as I18n } from "i18next";
import type { CaseStatus, Label } from "../api";

export type TagColour = "default" | "primary" | "success" | "warning" | "danger";

const colours: Record<CaseStatus, TagColour> = {
  submitted: "warning",
  registered: "primary",
  dispatched: "primary",
  received: "primary",
  inProgress: "primary",
  feedback: "warning",
  verified: "success",
  closed: "success",
  rated: "success",
  rejected: "default",
  merged: "default",
  parked: "default",
  cancelled: "default",
};

export function statusColour(status: CaseStatus): TagColour {
  return colours[status];
}

/** The server's {zh, en} label in the interface language. */
export function labelIn(i18n: I18n, label: Label): string {
  return i18n.language === "en" ? label.en : label.zh;
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
