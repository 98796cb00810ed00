/**
 * 台账导出: the four ledgers of an area as .xlsx, with the import's column names so a file
 * re-imports. Masked by default (names, addresses, ID numbers, phones as lists show them); a
 * clear file only for roles whose work needs the clear values, with a stated purpose kept like a
 * reveal's (in `pii_reveals`, apart from the audit summary). Every export is audited once with
 * its row count, never the values.
 */
import { AppError } from "../../platform/errors.js";
import type { Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { recordAudit } from "../../platform/audit/service.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { validatePurpose } from "../../platform/pii/reveal.js";
import { writeXlsx } from "../../platform/tabular/index.js";
import { recordAreaExportReveal } from "../../modules/people/index.js";
import { ledgerArea, ledgers } from "./import.js";
import type { LedgerKindName } from "./ledger.js";

export interface LedgerExport {
  file: Buffer;
  /** e.g. "户台账-甲社区-20261122.xlsx" */
  fileName: string;
  rows: number;
}

export async function exportLedger(
  db: Db,
  keyring: DataKeyring,
  actor: Actor,
  kind: LedgerKindName,
  opts: { areaId: string; clear?: { purpose: string }; now?: Date },
): Promise<LedgerExport> {
  const ledger = ledgers[kind];
  const now = opts.now ?? new Date();
  let purpose: string | null = null;
  if (opts.clear) {
    const checked = validatePurpose(opts.clear.purpose);
    if (!checked.ok) throw new AppError("validation_failed", { detail: checked.message }, "purpose");
    purpose = checked.purpose;
  }
  const area = await ledgerArea(db, actor, opts.areaId, purpose === null ? "export" : "exportClear");
  const clear = purpose !== null || !ledger.personal;
  const list = await db.transaction(async (tx) => {
    const out = await ledger.exportRows({ db: tx, keyring, area, clear });
    if (purpose !== null) {
      await recordAreaExportReveal(tx, { userId: actor.userId, areaId: area.id, field: `export:${kind}`, purpose, at: now });
    }
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: purpose === null ? "ledger.export" : "ledger.exportClear",
      entityType: "area",
      entityId: area.id,
      change: { kind, rows: out.length, masked: purpose === null, ...(purpose === null ? {} : { purpose }) },
      summary: { kind, rows: out.length, masked: purpose === null },
    });
    return out;
  });
  const label = ledger.definition.label ?? kind;
  const columns = clear ? ledger.exportColumns : ledger.exportColumns.filter((c) => !(ledger.clearOnlyColumns ?? []).includes(c.key));
  const file = await writeXlsx({ sheetName: label, columns, rows: list });
  const day = now.toISOString().slice(0, 10).replace(/-/g, "");
  return { file, fileName: `${label}-${area.name}-${day}${purpose === null && ledger.personal ? "-脱敏" : ""}.xlsx`, rows: list.length };
}
