/**
 * Text the platform accepts from outside (request fields, ledger cells): no C0 control character
 * except tab (09), line feed (0A) and carriage return (0D). PostgreSQL refuses NUL in text and
 * JSON, and the others have no business in a name, an address or a report.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const forbiddenControl = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export function hasControlCharacters(text: string): boolean {
  return forbiddenControl.test(text);
}
