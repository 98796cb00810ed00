/**
 * Text a route reads from a URL-encoded header (the file name and column mapping of an upload),
 * decoded and held to the rule of every request field: no control characters (validation.ts).
 * The header's schema cannot see this, since the control character only appears once decoded.
 */
import { AppError } from "../errors.js";
import { hasControlCharacters } from "../text.js";
import { findUnsafeValue } from "./validation.js";

const refuse = (name: string, what: string) => new AppError("validation_failed", { detail: `${name} ${what}` }, name);

/** The decoded text of header `name`, or undefined when it is absent or empty. */
export function headerText(value: string | string[] | undefined, name: string): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  let text: string;
  try {
    text = decodeURIComponent(value);
  } catch {
    throw refuse(name, "must be URL-encoded");
  }
  if (hasControlCharacters(text)) throw refuse(name, "must not contain control characters");
  return text;
}

/** The uploaded file's name from `x-file-name` ("upload" without one). */
export function fileNameHeader(value: string | string[] | undefined): string {
  return headerText(value, "x-file-name") ?? "upload";
}

/** URL-encoded JSON from header `name`. */
export function jsonHeader<T>(value: string | string[] | undefined, name: string): T | undefined {
  const text = headerText(value, name);
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw refuse(name, "must be URL-encoded JSON");
  }
  const unsafe = findUnsafeValue(parsed);
  if (unsafe) throw refuse(name, unsafe.message);
  return parsed as T;
}
