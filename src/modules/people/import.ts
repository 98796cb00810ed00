/**
 * 人员台账导入: persons from an .xlsx or .csv ledger into existing households of an area.
 * Every row is validated first (cells, cross-field checks, duplicates in the file and against
 * the registry, the household found by its address); then all rows are written in one
 * transaction, or none. The report names each bad row and column in Chinese, never the value.
 */
import { sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { authorize, definePolicy, escapeLike, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { searchHash } from "../../platform/pii/crypto.js";
import { validateIdNumber, validatePhone } from "../../platform/pii/validate.js";
import { applyMapping, readTable, suggestMapping, validateRows, type LedgerDefinition, type Problem } from "../../platform/tabular/index.js";
import { encryptContact } from "./persons.js";
import { persons } from "./schema.js";

export const importPolicy = definePolicy<Scoped, "import">({
  read: inScopeOf("gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "systemAdmin"),
  import: inScopeOf("communityWorker", "communitySecretary", "streetAdmin", "systemAdmin"),
});

const tagLabels: Record<string, string> = {
  独居老人: "elderlyAlone",
  残疾人: "disabled",
  低保: "lowIncome",
  低保户: "lowIncome",
  退役军人: "veteran",
  楼栋长: "buildingHead",
  能人: "talent",
  志愿者: "volunteer",
};
const relations = ["户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他"];

const ok = <V>(value: V) => ({ ok: true as const, value });
const bad = (message: string) => ({ ok: false as const, message });

export interface PersonRow extends Record<string, unknown> {
  name: string;
  gender: "male" | "female" | null;
  idNumber: string;
  phone: string | null;
  relation: string;
  address: string;
  tags: string[] | null;
  skills: string[] | null;
}

/** 人员台账: the columns, their usual names in community ledgers, and how each cell is read. */
export const personsLedger: LedgerDefinition = {
  kind: "persons",
  label: "人员台账",
  fields: [
    { key: "name", label: "姓名", aliases: ["名字", "人员姓名"], required: true, personal: true, parse: (v) => (/^[\p{Script=Han}·•A-Za-z ]{1,30}$/u.test(v) ? ok(v) : bad("姓名只能包含汉字、字母和间隔号，且不超过 30 个字")) },
    { key: "gender", label: "性别", required: false, parse: (v) => (v === "男" ? ok("male") : v === "女" ? ok("female") : bad("性别应填写“男”或“女”")) },
    {
      key: "idNumber",
      label: "身份证号",
      aliases: ["公民身份号码", "身份证号码", "证件号码"],
      required: true,
      personal: true,
      parse: (v) => {
        const r = validateIdNumber(v);
        return r.ok ? ok(r.normalized) : bad(r.message);
      },
    },
    {
      key: "phone",
      label: "联系电话",
      aliases: ["电话", "手机号", "手机号码", "联系方式"],
      required: false,
      personal: true,
      parse: (v) => {
        const r = validatePhone(v);
        return r.ok ? ok(r.normalized) : bad(r.message);
      },
    },
    { key: "relation", label: "与户主关系", aliases: ["与户主的关系", "关系"], required: true, parse: (v) => (relations.includes(v) ? ok(v) : bad(`与户主关系应为 ${relations.join("、")} 之一`)) },
    { key: "address", label: "住址", aliases: ["地址", "居住地址", "门牌地址", "家庭住址"], required: true, personal: true, parse: (v) => ok(v) },
    {
      key: "tags",
      label: "人员标签",
      aliases: ["标签", "人员类别", "特殊人群"],
      required: false,
      parse: (v) => {
        const parts = v.split(/[、,，;；\s]+/).filter(Boolean);
        const unknown = parts.filter((p) => !(p in tagLabels));
        return unknown.length > 0 ? bad(`无法识别的标签：${unknown.join("、")}（可用：${Object.keys(tagLabels).join("、")}）`) : ok([...new Set(parts.map((p) => tagLabels[p]!))]);
      },
    },
    { key: "skills", label: "特长技能", aliases: ["技能", "特长"], required: false, parse: (v) => ok(v.split(/[、,，;；]+/).map((s) => s.trim()).filter(Boolean)) },
  ],
};

export interface ImportOutcome {
  ok: boolean;
  written: number;
  summary: { total: number; valid: number; invalid: number; problemCount: number; omittedProblems: number };
  problems: Problem[];
  /** The mapping used (field → header), to show and confirm. */
  mapping: Record<string, string | null>;
  headers: string[];
}

/**
 * Validates a persons ledger for an area and, unless `dryRun`, writes every row in one
 * transaction. Any problem anywhere → nothing is written.
 */
export async function importPersons(
  db: Db,
  keyring: DataKeyring,
  actor: Actor,
  opts: {
    areaId: string;
    file: { bytes: Uint8Array; fileName: string };
    mapping?: Record<string, string | number | null> | undefined;
    ignoreColumns?: string[] | undefined;
    dryRun?: boolean;
    onProgress?: (stage: "read" | "validate" | "write", done: number, total?: number) => void;
  },
): Promise<ImportOutcome> {
  const [row] = await rows<{ path: string }>(db, sql`select path from areas where id = ${opts.areaId}`);
  const area = row ? { areaPath: row.path } : undefined;
  authorize(actor, "import", area, importPolicy);

  const table = await readTable(opts.file, { onProgress: (d, t) => opts.onProgress?.("read", d, t) });
  const mapping = opts.mapping
    ? applyMapping(table.headers, personsLedger, opts.mapping, { ignoreColumns: opts.ignoreColumns ?? [] })
    : applyMapping(
        table.headers,
        personsLedger,
        Object.fromEntries(Object.entries(suggestMapping(table.headers, personsLedger).mapping).map(([k, v]) => [k, v])),
        { ignoreColumns: opts.ignoreColumns ?? [] },
      );

  // Households of the area by address, and ID numbers already registered (by keyed hash).
  const households = await rows<{ id: string; address: string; grid_id: string }>(
    db,
    sql`select h.id, h.address, h.grid_id from households h join areas g on g.id = h.grid_id where g.path like ${`${escapeLike(area.areaPath)}%`}`,
  );
  const byAddress = new Map<string, { id: string; gridId: string } | null>();
  for (const h of households) byAddress.set(h.address, byAddress.has(h.address) ? null : { id: h.id, gridId: h.grid_id });

  // Already in the registry? Looked up by keyed hash before validating, so every row is checked
  // (also when others fail) and the numbers never leave memory.
  const taken = new Set<string>();
  const idColumn = mapping.idNumber;
  if (idColumn !== null && idColumn !== undefined) {
    const hashes: string[] = [];
    for (const cells of table.rows) {
      const v = validateIdNumber(cells[idColumn] ?? "");
      if (v.ok) hashes.push(searchHash(keyring, "idNumber", v.normalized));
    }
    for (let i = 0; i < hashes.length; i += 5000) {
      const chunk = hashes.slice(i, i + 5000);
      const found = await rows<{ id_number_hash: string }>(db, sql`select id_number_hash from persons where id_number_hash in (${sql.join(chunk.map((h) => sql`${h}`), sql`, `)})`);
      for (const f of found) taken.add(f.id_number_hash);
    }
  }

  const parsed = await validateRows<PersonRow>(table, personsLedger, mapping, {
    uniqueKeys: [["idNumber"]],
    onProgress: (d, t) => opts.onProgress?.("validate", d, t),
    rowCheck: (r) => {
      const problems: { field: string; message: string }[] = [];
      const id = validateIdNumber(r.idNumber);
      if (id.ok && r.gender && id.gender !== r.gender) problems.push({ field: "gender", message: "性别与身份证号不一致" });
      if (taken.size > 0 && taken.has(searchHash(keyring, "idNumber", r.idNumber))) {
        problems.push({ field: "idNumber", message: "该身份证号已在人员库中登记" });
      }
      const household = byAddress.get(r.address);
      if (household === undefined) problems.push({ field: "address", message: "本辖区没有这个住址的户，请先登记户或核对住址" });
      if (household === null) problems.push({ field: "address", message: "本辖区有多户使用这个住址，请写到门牌号" });
      return problems;
    },
  });
  const problems = parsed.problems;
  const headerOf = (k: string) => (mapping[k] === null || mapping[k] === undefined ? null : table.headers[mapping[k]] ?? null);
  const outcome = (written: number): ImportOutcome => ({
    ok: problems.length === 0,
    written,
    summary: parsed.summary,
    problems,
    mapping: Object.fromEntries(personsLedger.fields.map((f) => [f.key, headerOf(f.key)])),
    headers: table.headers,
  });
  if (problems.length > 0 || opts.dryRun) return outcome(0);

  await db.transaction(async (tx) => {
    const values = parsed.rows.map((r) => {
      const h = byAddress.get(r.address)!;
      const id = validateIdNumber(r.idNumber);
      return {
        householdId: h.id,
        gridId: h.gridId,
        name: r.name,
        gender: r.gender ?? (id.ok ? id.gender : "male"),
        birthYear: id.ok ? Number(id.birthDate.slice(0, 4)) : 0,
        relation: r.relation,
        tags: r.tags ?? [],
        skills: r.skills ?? [],
        ...encryptContact(keyring, { idNumber: r.idNumber, phone: r.phone }),
      };
    });
    for (let i = 0; i < values.length; i += 1000) {
      await tx.insert(persons).values(values.slice(i, i + 1000));
      opts.onProgress?.("write", Math.min(i + 1000, values.length), values.length);
    }
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "persons.import",
      entityType: "area",
      entityId: opts.areaId,
      change: { file: opts.file.fileName, rows: values.length, idNumberHashes: values.map((v) => v.idNumberHash) },
      summary: { rows: values.length },
    });
  });
  return outcome(parsed.rows.length);
}
