/**
 * The embedded database is one process's at a time: PGlite has no server to arbitrate, so two
 * processes opening one data directory would corrupt it. A lock file names the holder, so a
 * second command can say in one line who holds it and what to do.
 */
import fs from "node:fs";
import path from "node:path";

export interface LockHolder {
  pid: number;
  command: string;
  startedAt: string;
}

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockHolder) {
    super(
      `the embedded database in ${dataDir} is in use by process ${holder.pid} (gongzhi ${holder.command}, since ${holder.startedAt}); ` +
        `stop that process first, or run this command against PostgreSQL with DATABASE_URL`,
    );
    this.name = "DataDirLockedError";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the data directory's lock or throws DataDirLockedError; returns the release function. */
export function lockDataDir(dataDir: string, command: string): () => void {
  const file = path.join(dataDir, "gongzhi.lock");
  const me: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, JSON.stringify(me));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
          if (current.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder: LockHolder | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
      } catch {
        holder = undefined;
      }
      if (holder && holder.pid !== process.pid && alive(holder.pid)) throw new DataDirLockedError(dataDir, holder);
      // Stale lock from a process that died: remove and retry once.
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
