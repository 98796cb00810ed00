/**
 * `gongzhi import grids <file.geojson> --community <code|id> --as <user> [--dry-run] [--replace] [--repair --repair-max-m2 <m²>]`.
 * Feature messages are in Chinese, or in English when `LANG` (or `LC_ALL`) starts with "en".
 */
import fs from "node:fs";
import { rows, sql, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { cliLang, type Lang } from "../../platform/errors.js";
import { importGrids, localizeGridImport, type GridImportOutcome } from "./grid-import.js";
import { maxRepairM2 } from "./repair.js";

export class GridImportCliError extends Error {}

/** Reads the file, resolves the community, imports; throws `GridImportCliError` with one line on failure. */
export async function runGridImport(
  db: Db,
  actor: Actor,
  opts: {
    file: string;
    community: string;
    dryRun?: boolean | undefined;
    replace?: boolean | undefined;
    effectiveOn?: string | undefined;
    repair?: boolean | undefined;
    /** As typed after `--repair-max-m2`. */
    repairMaxM2?: string | undefined;
  },
  write: (line: string) => void,
  lang: Lang = cliLang(),
): Promise<GridImportOutcome> {
  if (opts.repair && opts.repairMaxM2 === undefined) throw new GridImportCliError("--repair needs --repair-max-m2 <m²>: the largest overlap, gap or sliver to repair");
  if (!opts.repair && opts.repairMaxM2 !== undefined) throw new GridImportCliError("--repair-max-m2 is given only with --repair");
  const repairMaxM2 = opts.repairMaxM2 === undefined ? undefined : Number(opts.repairMaxM2);
  if (repairMaxM2 !== undefined && !(opts.repairMaxM2!.trim() !== "" && Number.isFinite(repairMaxM2) && repairMaxM2 >= 0 && repairMaxM2 <= maxRepairM2)) {
    throw new GridImportCliError(`--repair-max-m2 must be a number of m² from 0 to ${maxRepairM2}`);
  }
  if (!fs.existsSync(opts.file)) throw new GridImportCliError(`no file ${opts.file}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(opts.file, "utf8").replace(/^\uFEFF/, ""));
  } catch {
    throw new GridImportCliError(`${opts.file} is not valid JSON`);
  }
  const fc = parsed as { type?: unknown; features?: unknown };
  if (!fc || typeof fc !== "object" || fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) {
    throw new GridImportCliError(`${opts.file} is not a GeoJSON FeatureCollection`);
  }
  const isUuid = /^[0-9a-f-]{36}$/i.test(opts.community);
  const [community] = await rows<{ id: string }>(db, isUuid ? sql`select id from areas where id = ${opts.community}` : sql`select id from areas where code = ${opts.community}`);
  if (!community) throw new GridImportCliError(`no community with code or id ${opts.community}`);
  const outcome = await importGrids(db, actor, {
    communityId: community.id,
    features: fc.features,
    dryRun: opts.dryRun,
    replace: opts.replace,
    effectiveOn: opts.effectiveOn,
    repair: opts.repair,
    repairMaxM2,
  });
  if (!outcome.ok) {
    const local = localizeGridImport(outcome, lang);
    for (const r of local.repairs) write(`  ${repairedWord(lang)}${r.message}`);
    for (const p of local.problems.slice(0, 50)) write(`  ${p.message}`);
    const more = outcome.problems.length - 50;
    if (more > 0) write(lang === "en" ? `  … and ${more} more problems` : `  ……另有 ${more} 个问题`);
    throw new GridImportCliError(`import rejected: ${outcome.summary.invalid} of ${outcome.summary.total} features have problems; nothing was written`);
  }
  return outcome;
}

/** The prefix of a repair line: what the repair changed, as against what is wrong. */
export function repairedWord(lang: Lang): string {
  return lang === "en" ? "repaired: " : "已修复：";
}
