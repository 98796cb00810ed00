import type { TFunction } from "i18next";
import { ApiError, type ErrorCode, type Schema } from "../api";
import type en from "../locales/en.json";
import type zhCN from "../locales/zh-CN.json";

/**
 * Every code of the server's catalogue (`ErrorCode` in the OpenAPI document) needs a message in
 * both locales: this type fails to compile, naming the missing code, when one lacks it.
 */
type Worded<Messages extends Record<Schema<"ErrorCode">, string>> = Messages;
export type LocaleErrorMessages = [Worded<(typeof zhCN)["errors"]>, Worded<(typeof en)["errors"]>];

/** Error codes whose server message carries details the person needs (until when, how long), shown as they are. */
const serverWorded: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["account_locked", "rate_limited", "validation_failed"]);

/**
 * Codes whose interface text is shown instead of the server's message (a friendlier or more general
 * sentence, or no server message at all). For every other code the server's message comes first,
 * as it may name particulars (which grid, which floor, which rows); the locale's text stands in
 * when an answer has none.
 */
const clientWorded: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "network_error",
  "bad_response",
  "internal_error",
  "service_unavailable",
  "invalid_credentials",
  "account_disabled",
  "unauthenticated",
  "session_expired",
  "csrf_missing",
  "csrf_invalid",
  "forbidden",
  "not_found",
  "outside_grids",
]);

/** A sentence for the person, chosen by `code` (never by parsing the message). */
export function describeError(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.unknown");
  if (serverWorded.has(error.code) && error.message) return error.message;
  const own = t(`errors.${error.code}`, { defaultValue: "" });
  const base = (clientWorded.has(error.code) ? own || error.message : error.message || own) || t("errors.unknown");
  return error.requestId ? `${base} (${t("errors.requestId")}: ${error.requestId})` : base;
}

export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}
