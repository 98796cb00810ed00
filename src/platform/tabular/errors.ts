/**
 * Errors of the import pipeline. Each has a stable `code` (the web app and the CLI switch on it)
 * and a zh-CN `message` for the person who uploaded the file. Messages name rows, columns and
 * sheets, never a cell's value: values may be personal data and messages reach logs.
 */
export const tabularErrorCodes = [
  "unsupported_file_type",
  "empty_file",
  "no_header",
  "duplicate_header",
  "too_many_rows",
  "sheet_not_found",
  "corrupt_file",
  "malformed_csv",
  "invalid_mapping",
] as const;
export type TabularErrorCode = (typeof tabularErrorCodes)[number];

/** One problem with a column mapping; `invalid_mapping` carries all of them. */
export interface MappingIssue {
  code: "unknown_column" | "unknown_field" | "required_field_unmapped" | "column_mapped_twice" | "unmapped_column";
  message: string;
  /** Field key, when the issue concerns a field. */
  field?: string;
  /** Header text (or column letter), when the issue concerns a column. */
  column?: string;
}

const statusOf: Record<TabularErrorCode, number> = {
  unsupported_file_type: 415,
  empty_file: 400,
  no_header: 400,
  duplicate_header: 400,
  too_many_rows: 413,
  sheet_not_found: 400,
  corrupt_file: 400,
  malformed_csv: 400,
  invalid_mapping: 400,
};

export class TabularError extends Error {
  /** Suggested HTTP status. */
  readonly status: number;
  constructor(
    readonly code: TabularErrorCode,
    message: string,
    /** `row`: 1-based sheet row; `column`: header text or column letter ("D"); `issues`: for `invalid_mapping`. */
    readonly details: { row?: number; column?: string; issues?: MappingIssue[] } = {},
  ) {
    super(message);
    this.name = "TabularError";
    this.status = statusOf[code];
  }
}
