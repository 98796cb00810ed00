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
 * Codes whose server message names the particulars (which grid, which floor, which rows): the
 * server's text is preferred to the locale's, which stands in only when the answer had none.
 */
const serverDetailed: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "import_rejected",
  "conflict",
  "place_not_empty",
  "building_floors_below_dwellings",
  "dwelling_floor_above_building",
  "household_move_before_last",
  "person_tag_unknown",
  "org_wrong_parent",
  "org_dissolved",
  "org_has_dependents",
  "grid_split_invalid",
  "grid_merge_invalid",
  "grid_retired",
  "grid_leader_taken",
  "grid_staff_duplicate",
  "grid_staff_ended",
  "grid_import_rejected",
  "case_illegal_transition",
  "case_unknown_category",
  "case_duplicate_submission",
  "case_summons_unfinished",
  "case_level_invalid",
  "case_merge_invalid",
  "case_summons_invalid",
  "case_summons_step_invalid",
  "case_photo_invalid",
  "photo_too_large",
  "photo_too_many_pixels",
  "category_invalid",
  "catalogue_draft_exists",
  "measure_weights_invalid",
  "webhook_invalid",
  // The import pipeline's messages name the row, column or sheet.
  "unsupported_file_type",
  "empty_file",
  "no_header",
  "duplicate_header",
  "too_many_rows",
  "sheet_not_found",
  "corrupt_file",
  "malformed_csv",
  "invalid_mapping",
]);

/**
 * A sentence for the person. Chosen by `code` (never by parsing the message); the server's own
 * message is used where it carries details, or for codes this client does not know yet.
 */
export function describeError(t: TFunction, error: unknown): string {
  if (!(error instanceof ApiError)) return t("errors.unknown");
  if (serverWorded.has(error.code) && error.message) return error.message;
  const text = serverDetailed.has(error.code) && error.message ? "" : t(`errors.${error.code}`, { defaultValue: "" });
  const base = text || error.message || t("errors.unknown");
  return error.requestId ? `${base} (${t("errors.requestId")}: ${error.requestId})` : base;
}

export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}
