/**
 * 人员台账: persons into existing households of the area, found by their address. The ID number
 * must be new to the registry (keyed hash) and agree with the stated gender.
 */
import { decryptField, searchHash } from "../../platform/pii/crypto.js";
import { validateIdNumber, validatePhone } from "../../platform/pii/validate.js";
import { maskAddress, maskName } from "../../platform/mask.js";
import type { LedgerDefinition, RowCheckProblem } from "../../platform/tabular/index.js";
import { encryptContact, householdsUnder, insertPersons, personsLedgerRows, registeredIdNumberHashes } from "../../modules/people/index.js";
import { ok, type LedgerKind } from "./ledger.js";
import { badCell, badIdNumber, badPhone, rowIssue } from "../../platform/tabular/index.js";

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
/** Tag → the label an export writes (the first one listed). */
const tagNames = new Map<string, string>();
for (const [label, tag] of Object.entries(tagLabels)) if (!tagNames.has(tag)) tagNames.set(tag, label);
const relations = ["户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他"];

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
    { key: "name", label: "姓名", aliases: ["名字", "人员姓名"], required: true, personal: true, parse: (v) => (/^[\p{Script=Han}·•A-Za-z ]{1,30}$/u.test(v) ? ok(v) : badCell("name_invalid")) },
    { key: "gender", label: "性别", required: false, parse: (v) => (v === "男" ? ok("male") : v === "女" ? ok("female") : badCell("gender_invalid")) },
    {
      key: "idNumber",
      label: "身份证号",
      aliases: ["公民身份号码", "身份证号码", "证件号码"],
      required: true,
      personal: true,
      parse: (v) => {
        const r = validateIdNumber(v);
        return r.ok ? ok(r.normalized) : badIdNumber(r);
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
        return r.ok ? ok(r.normalized) : badPhone(r);
      },
    },
    { key: "relation", label: "与户主关系", aliases: ["与户主的关系", "关系"], required: true, parse: (v) => (relations.includes(v) ? ok(v) : badCell("relation_invalid", { choices: relations.join("、") })) },
    { key: "address", label: "住址", aliases: ["地址", "居住地址", "门牌地址", "家庭住址"], required: true, personal: true, parse: (v) => ok(v) },
    {
      key: "tags",
      label: "人员标签",
      aliases: ["标签", "人员类别", "特殊人群"],
      required: false,
      parse: (v) => {
        const parts = v.split(/[、,，;；\s]+/).filter(Boolean);
        const unknown = parts.filter((p) => !(p in tagLabels));
        return unknown.length > 0 ? badCell("tags_unknown", { tags: unknown.join("、"), choices: Object.keys(tagLabels).join("、") }) : ok([...new Set(parts.map((p) => tagLabels[p]!))]);
      },
    },
    { key: "skills", label: "特长技能", aliases: ["技能", "特长"], required: false, parse: (v) => ok(v.split(/[、,，;；]+/).map((s) => s.trim()).filter(Boolean)) },
  ],
};

export const personsKind: LedgerKind<PersonRow> = {
  kind: "persons",
  definition: personsLedger,
  auditAction: "persons.import",
  personal: true,

  async prepare({ db, keyring, area, table, mapping, writeChunk }) {
    // Households of the area by address, and ID numbers already registered (by keyed hash).
    const households = await householdsUnder(db, area.path);
    const byAddress = new Map<string, { id: string; gridId: string } | null>();
    for (const h of households) byAddress.set(h.address, byAddress.has(h.address) ? null : { id: h.id, gridId: h.grid_id });

    // Looked up by keyed hash before validating, so every row is checked (also when others fail)
    // and the numbers never leave memory.
    let taken = new Set<string>();
    const idColumn = mapping.idNumber;
    if (idColumn !== null && idColumn !== undefined) {
      const hashes: string[] = [];
      for (const cells of table.rows) {
        const v = validateIdNumber(cells[idColumn] ?? "");
        if (v.ok) hashes.push(searchHash(keyring, "idNumber", v.normalized));
      }
      taken = await registeredIdNumberHashes(db, hashes);
    }

    return {
      uniqueKeys: [["idNumber"]],
      rowCheck: (r) => {
        const problems: RowCheckProblem[] = [];
        const id = validateIdNumber(r.idNumber);
        if (id.ok && r.gender && id.gender !== r.gender) problems.push(rowIssue("gender", "gender_mismatch"));
        if (taken.size > 0 && taken.has(searchHash(keyring, "idNumber", r.idNumber))) {
          problems.push(rowIssue("idNumber", "person_registered"));
        }
        const household = byAddress.get(r.address);
        if (household === undefined) problems.push(rowIssue("address", "household_not_found"));
        if (household === null) problems.push(rowIssue("address", "household_address_ambiguous"));
        return problems;
      },
      async write(tx, list, progress) {
        const values = list.map((r) => {
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
        await insertPersons(tx, values, { chunk: writeChunk, onProgress: progress });
        return { change: { rows: values.length, idNumberHashes: values.map((v) => v.idNumberHash) }, summary: { rows: values.length } };
      },
    };
  },

  exportColumns: [
    { header: "姓名", key: "name" },
    { header: "性别", key: "gender" },
    { header: "身份证号", key: "idNumber", numFmt: "@" },
    { header: "联系电话", key: "phone", numFmt: "@" },
    { header: "与户主关系", key: "relation" },
    { header: "住址", key: "address" },
    { header: "人员标签", key: "tags" },
    { header: "特长技能", key: "skills" },
  ],

  async exportRows({ db, keyring, area, clear }) {
    const list = await personsLedgerRows(db, area.path);
    return list.map((p) => ({
      name: clear ? p.name : maskName(p.name),
      gender: p.gender === "male" ? "男" : "女",
      idNumber: clear && p.id_number_enc ? decryptField(keyring, p.id_number_enc, "persons.id_number") : p.id_number_masked,
      phone: clear && p.phone_enc ? decryptField(keyring, p.phone_enc, "persons.phone") : p.phone_masked,
      relation: p.relation,
      address: p.address === null ? null : clear ? p.address : maskAddress(p.address),
      tags: p.tags.map((t) => tagNames.get(t) ?? t).join("、"),
      skills: p.skills.join("、"),
    }));
  },
};
