import type { TFunction } from "i18next";
import { ApiError } from "../api";

/** Error codes whose server message carries details the person needs (until when, how long). */
const serverWorded = new Set(["account_locked", "rate_limited", "validation_failed"]);

/**
 * A sentence for the person. Chosen by `code` (never by parsing the message); the server's own
 * message is used where it carries details, or for codes this client does not know yet.
 */
export function describeError(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.unknown");
  if (serverWorded.has(error.code) && error.message) return error.message;
  const key = `errors.${error.code}`;
  const text = t(key, { defaultValue: "" });
  const base = text || error.message || t("errors.unknown");
  return error.requestId ? `${base} (${t("errors.requestId")}: ${error.requestId})` : base;
}

export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}
