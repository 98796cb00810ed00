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

export { shortTime } from "../../platform/time";
