/**
 * Import jobs (导入任务): a long import runs after the upload is answered (202 with a job id) and
 * the page asks for its progress. The registry is in memory, per process: a job lives in the
 * process that received the upload, is visible only to the user who started it, and is dropped
 * `ttlMs` after it ends (default 15 minutes) or when the process restarts. Behind several
 * processes, send a job's polls to the same one (sticky sessions), or use the synchronous import.
 */
import { randomUUID } from "node:crypto";
import { TabularError, type MappingIssue } from "../../platform/tabular/index.js";
import { AppError, formatMessage, type Lang } from "../../platform/errors.js";
import { localizeOutcome } from "../../platform/tabular/index.js";
import type { ImportOutcome, ImportStage } from "./import.js";
import type { LedgerKindName } from "./ledger.js";

export type JobPhase = "reading" | "validating" | "writing" | "done" | "failed";
const phaseOf: Record<ImportStage, JobPhase> = { read: "reading", validate: "validating", write: "writing" };

export interface ImportJob {
  id: string;
  ownerId: string;
  kind: LedgerKindName;
  areaId: string;
  dryRun: boolean;
  phase: JobPhase;
  /** Rows done in the current phase, of `total` (null while unknown). */
  done: number;
  total: number | null;
  startedAt: string;
  finishedAt: string | null;
  outcome: ImportOutcome | null;
  /**
   * A file-level failure (wrong file type, empty file, bad mapping…): code, zh-CN message, mapping
   * issues; `messageEn` (kept for `localizeJob`, not answered) when the message has an English text.
   */
  error: { code: string; message: string; messageEn?: string; issues?: MappingIssue[] } | null;
}

export class ImportJobs {
  private jobs = new Map<string, ImportJob & { endedAt: number | null }>();
  constructor(private readonly opts: { ttlMs?: number; now?: () => number } = {}) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Drops jobs that ended more than `ttlMs` ago. */
  sweep(): void {
    const limit = this.now() - (this.opts.ttlMs ?? 15 * 60_000);
    for (const [id, j] of this.jobs) if (j.endedAt !== null && j.endedAt < limit) this.jobs.delete(id);
  }

  /** Starts `run` now; its progress callback moves the job through the phases. */
  start(
    input: { ownerId: string; kind: LedgerKindName; areaId: string; dryRun: boolean },
    run: (progress: (stage: ImportStage, done: number, total?: number) => void) => Promise<ImportOutcome>,
  ): ImportJob {
    this.sweep();
    const job: ImportJob & { endedAt: number | null } = {
      id: randomUUID(),
      ...input,
      phase: "reading",
      done: 0,
      total: null,
      startedAt: new Date(this.now()).toISOString(),
      finishedAt: null,
      outcome: null,
      error: null,
      endedAt: null,
    };
    this.jobs.set(job.id, job);
    const end = () => {
      job.endedAt = this.now();
      job.finishedAt = new Date(job.endedAt).toISOString();
    };
    void run((stage, done, total) => {
      job.phase = phaseOf[stage];
      job.done = done;
      job.total = total ?? null;
    }).then(
      (outcome) => {
        job.outcome = outcome;
        job.phase = "done";
        end();
      },
      (e: unknown) => {
        job.error = describeFailure(e);
        job.phase = "failed";
        end();
      },
    );
    return this.view(job);
  }

  /** The job if it exists and belongs to `ownerId`; else undefined (the caller answers 404). */
  get(id: string, ownerId: string): ImportJob | undefined {
    this.sweep();
    const j = this.jobs.get(id);
    return j && j.ownerId === ownerId ? this.view(j) : undefined;
  }

  private view(j: ImportJob & { endedAt: number | null }): ImportJob {
    const { endedAt: _ended, ...rest } = j;
    return { ...rest };
  }
}

function describeFailure(e: unknown): ImportJob["error"] {
  if (e instanceof TabularError) return { code: e.code, message: e.message, ...(e.details.issues ? { issues: e.details.issues } : {}) };
  if (e instanceof AppError) return { code: e.code, message: formatMessage(e.code, "zh-CN", e.params), messageEn: formatMessage(e.code, "en", e.params) };
  return { code: "internal_error", message: "导入时服务器出错，未写入任何数据", messageEn: "The server failed during the import; nothing was written" };
}

/** A job as an answer gives it: problems and the failure message in `lang`. */
export function localizeJob(job: ImportJob, lang: Lang): ImportJob {
  const error = job.error && (({ messageEn, ...rest }) => (lang === "en" && messageEn ? { ...rest, message: messageEn } : rest))(job.error);
  return { ...job, outcome: job.outcome && localizeOutcome(job.outcome, lang), error };
}
