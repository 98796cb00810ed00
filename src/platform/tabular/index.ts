export { TabularError, type MappingIssue, type TabularErrorCode } from "./errors.js";
export { columnLetter } from "./cells.js";
export { defaultMaxRows, readTable, type ReadTableInput, type ReadTableOptions, type ReadTableResult, type Table } from "./read.js";
export {
  applyMapping,
  normalizeHeader,
  suggestMapping,
  type ApplyMappingOptions,
  type ColumnMapping,
  type FieldDefinition,
  type LedgerDefinition,
  type MappingSuggestion,
  type ParseContext,
  type ParseResult,
} from "./mapping.js";
export { validateRows, type Problem, type RowCheckProblem, type ValidateOptions, type ValidationResult } from "./validate.js";
export { reportXlsx, writeCsv, writeXlsx, type ExportColumn, type ExportSheet, type ExportValue } from "./write.js";
export { bad, ok, parseCount, parseDate, parseText } from "./parse.js";
export {
  badCell,
  badIdNumber,
  badPhone,
  ledgerMessages,
  localizeOutcome,
  localizeProblem,
  localizeProblems,
  rowIssue,
  type LedgerMessageCode,
} from "./messages.js";
