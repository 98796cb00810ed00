/**
 * A secret kept in a file beside the embedded database (the data keys, the audit signing key):
 * made once, mode 0600, atomically — written aside, then hard-linked into place — so two
 * processes starting together end up with the same secret.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/** Writes `text()` to `file` unless it exists; true when this call made it. */
export function createSecretFileOnce(file: string, text: () => string): boolean {
  if (fs.existsSync(file)) return false;
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const aside = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = fs.openSync(aside, "wx", 0o600);
  try {
    fs.writeFileSync(fd, text());
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(aside, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return false;
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
