import type { TFunction } from "i18next";

/** An event's readable name ("case.registered" → 立案); an event this client does not know yet shows its code. */
export function eventLabel(t: TFunction, code: string): string {
  return t(`webhooks.events.${code}`, { defaultValue: code });
}
