/**
 * 首次设置: from an empty database to a street that can work — the system administrator and the
 * jurisdiction (city, district and street from the official division codes, then the street's
 * communities), in one transaction, audited. The web page proves it may do this with the one-time
 * code from the server's log (platform/setup); the command line runs on the server itself.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import { AppError } from "../../platform/errors.js";
import { recordAudit } from "../../platform/audit/service.js";
import { createUser } from "../../platform/auth/service.js";
import { checkSetupCode, setupNeeded, verifySetupCode } from "../../platform/setup/code.js";
import { createJurisdiction, findDivision, streetChain, type JurisdictionCommunity } from "../../modules/areas/index.js";

export interface SetupInput {
  admin: { username: string; displayName: string; password: string };
  /** The street's 9-digit division code. */
  street: string;
  /** The province, city and district picked above it, if any: the street must lie under each. */
  province?: string | undefined;
  city?: string | undefined;
  district?: string | undefined;
  communities: JurisdictionCommunity[];
}

export interface SetupResult {
  adminId: string;
  username: string;
  street: { id: string; code: string; name: string };
  district: { id: string; name: string };
  city: { id: string; name: string };
  communities: { id: string; code: string | null; name: string }[];
}

/**
 * Sets the installation up. With `code` (the web page) the one-time code is checked first — a
 * wrong one counts a try and is refused before anything else — and used up by the same
 * transaction that writes; bad input leaves it usable. 409 `setup_done` once an administrator exists.
 */
export async function runSetup(db: Db, input: SetupInput, opts: { code?: string | undefined } = {}): Promise<SetupResult> {
  if (!(await setupNeeded(db))) throw new AppError("setup_done");
  if (opts.code !== undefined) await verifySetupCode(db, opts.code);
  const displayName = input.admin.displayName.trim();
  if (displayName === "" || displayName.length > 100) throw new AppError("validation_failed", { detail: "name: 1–100 characters" }, "admin.displayName");
  const chain = /^\d{9}$/.test(input.street) ? streetChain(input.street) : undefined;
  if (!chain) throw new AppError("division_unknown", { code: input.street }, "street");
  const above: [keyof SetupInput, string | undefined, { code: string; name: string }][] = [
    ["province", input.province, chain.province],
    ["city", input.city, chain.city],
    ["district", input.district, chain.district],
  ];
  for (const [field, code, actual] of above) {
    if (code === undefined || code === actual.code) continue;
    const picked = findDivision(code);
    if (!picked) throw new AppError("division_unknown", { code }, field);
    throw new AppError("division_not_under", { code: chain.street.code, name: chain.street.name, parent: picked.name }, "street");
  }
  return db.transaction(async (tx) => {
    // One setup at a time; the second finds the administrator the first created.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('gongzhi.setup'))`);
    if (!(await setupNeeded(tx))) throw new AppError("setup_done");
    if (opts.code !== undefined) await checkSetupCode(tx, opts.code, { consume: true });
    const j = await createJurisdiction(tx, chain, input.communities, { kind: "system", id: null });
    const admin = await createUser(
      tx,
      { username: input.admin.username, displayName, password: input.admin.password, grants: [{ role: "systemAdmin", areaId: j.cityId }] },
      { kind: "system" },
    );
    await recordAudit(tx, {
      actor: { kind: "system", id: null },
      action: "setup.complete",
      entityType: "user",
      entityId: admin.id,
      change: { admin: input.admin.username, street: chain.street, communities: j.communities.length, via: opts.code !== undefined ? "web" : "cli" },
      summary: { admin: input.admin.username, street: chain.street.name, communities: j.communities.length },
    });
    return {
      adminId: admin.id,
      username: input.admin.username,
      street: { id: j.streetId, code: chain.street.code, name: chain.street.name },
      district: { id: j.districtId, name: chain.district.name },
      city: { id: j.cityId, name: chain.city.name },
      communities: j.communities,
    };
  });
}
