/**
 * 党员台账: party members among persons already in the registry, matched by the keyed hash of
 * the ID number (the number is never echoed). The 党组织 is matched by name in the party
 * organization tree of the area (its own organizations and those above it); a name not found
 * there is kept as an organization outside this tree (e.g. a company's party committee).
 */
import { decryptField, searchHash } from "../../platform/pii/crypto.js";
import { validateIdNumber } from "../../platform/pii/validate.js";
import { maskName } from "../../platform/mask.js";
import type { LedgerDefinition, RowCheckProblem } from "../../platform/tabular/index.js";
import { insertPartyMembers, partyMembersLedgerRows, personsByIdNumberHash } from "../../modules/people/index.js";
import { orgKinds, organizationsAround } from "../../modules/orgs/index.js";
import { communityNames } from "../../modules/areas/index.js";
import { ok, parseDate, parseText, type LedgerKind } from "./ledger.js";
import { badCell, badIdNumber, rowIssue } from "../../platform/tabular/index.js";

type Status = "inService" | "retired" | "floating";
const statuses: Record<string, Status> = { 在职: "inService", 在职党员: "inService", 离退休: "retired", 退休: "retired", 离休: "retired", 离退休党员: "retired", 流动: "floating", 流动党员: "floating" };
const statusNames: Record<Status, string> = { inService: "在职", retired: "离退休", floating: "流动" };

export interface PartyMemberRow extends Record<string, unknown> {
  idNumber: string;
  name: string | null;
  org: string | null;
  status: Status;
  joinedOn: string | null;
  workUnit: string | null;
  reportIn: string | null;
}

export const partyMembersLedger: LedgerDefinition = {
  kind: "party-members",
  label: "党员台账",
  fields: [
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
    { key: "name", label: "姓名", aliases: ["党员姓名"], required: false, personal: true, parse: parseText(30) },
    { key: "org", label: "党组织", aliases: ["所在党组织", "所属党组织", "党组织名称", "组织关系所在党组织", "所在支部"], required: false, parse: parseText(100) },
    { key: "status", label: "状态", aliases: ["党员状态", "党员类别", "类别"], required: true, parse: (v) => (statuses[v] ? ok(statuses[v]) : badCell("status_invalid")) },
    { key: "joinedOn", label: "入党日期", aliases: ["入党时间"], required: false, parse: (v) => parseDate(v) },
    { key: "workUnit", label: "工作单位", aliases: ["单位", "工作单位及职务"], required: false, parse: parseText(100) },
    { key: "reportIn", label: "报到社区", aliases: ["双报到社区", "报到的社区", "居住地报到社区"], required: false, parse: parseText(60) },
  ],
};

const partyKinds = Object.entries(orgKinds)
  .filter(([, k]) => k.party)
  .map(([name]) => name);

export const partyMembersKind: LedgerKind<PartyMemberRow> = {
  kind: "party-members",
  definition: partyMembersLedger,
  auditAction: "partyMembers.import",
  personal: true,

  async prepare({ db, keyring, area, table, mapping, writeChunk }) {
    // Persons by keyed hash: where they live and whether they are already a party member.
    const byHash = new Map<string, { id: string; name: string; path: string; member: boolean }>();
    const idColumn = mapping.idNumber!;
    const hashes = table.rows.flatMap((cells) => {
      const v = validateIdNumber(cells[idColumn] ?? "");
      return v.ok ? [searchHash(keyring, "idNumber", v.normalized)] : [];
    });
    for (const p of await personsByIdNumberHash(db, hashes)) byHash.set(p.hash, { id: p.id, name: p.name, path: p.path ?? "", member: p.member });
    // Party organizations of the area's tree: below the area and above it (the street working committee).
    const orgs = new Map<string, string | null>();
    for (const o of await organizationsAround(db, area.path, partyKinds)) {
      orgs.set(o.name, orgs.has(o.name) ? null : o.id);
    }
    const communities = new Map<string, string | null>();
    for (const c of await communityNames(db)) {
      communities.set(c.name, communities.has(c.name) ? null : c.id);
    }
    const resolved = new Map<PartyMemberRow, { personId: string; orgId: string | null; reportInId: string | null }>();

    return {
      uniqueKeys: [["idNumber"]],
      rowCheck: (r) => {
        const problems: RowCheckProblem[] = [];
        const p = byHash.get(searchHash(keyring, "idNumber", r.idNumber));
        if (!p) return [rowIssue("idNumber", "person_not_found")];
        if (!p.path.startsWith(area.path)) problems.push(rowIssue("idNumber", "person_outside_area"));
        if (p.member) problems.push(rowIssue("idNumber", "already_member"));
        if (r.name !== null && r.name !== p.name) problems.push(rowIssue("name", "name_mismatch"));
        const orgId = r.org === null ? null : orgs.get(r.org);
        if (orgId === null && r.org !== null) problems.push(rowIssue("org", "org_ambiguous", { org: r.org }));
        let reportInId: string | null = null;
        if (r.reportIn !== null) {
          const c = communities.get(r.reportIn);
          if (c === undefined) problems.push(rowIssue("reportIn", "community_not_found", { name: r.reportIn }));
          else if (c === null) problems.push(rowIssue("reportIn", "community_ambiguous", { name: r.reportIn }));
          else reportInId = c;
        }
        resolved.set(r, { personId: p.id, orgId: orgId ?? null, reportInId });
        return problems;
      },
      async write(tx, list, progress) {
        const values = list.map((r) => {
          const x = resolved.get(r)!;
          return {
            personId: x.personId,
            partyOrgId: x.orgId,
            outsideOrgName: x.orgId === null ? r.org : null,
            status: r.status,
            joinedOn: r.joinedOn,
            workUnit: r.workUnit,
            reportInCommunityId: x.reportInId,
          };
        });
        await insertPartyMembers(tx, values, { chunk: writeChunk, onProgress: progress });
        return {
          change: { rows: values.length, persons: values.map((v) => v.personId) },
          summary: { rows: values.length, outsideOrgs: values.filter((v) => v.outsideOrgName !== null).length },
        };
      },
    };
  },

  exportColumns: [
    { header: "身份证号", key: "idNumber", numFmt: "@" },
    { header: "姓名", key: "name" },
    { header: "党组织", key: "org" },
    { header: "状态", key: "status" },
    { header: "入党日期", key: "joinedOn" },
    { header: "工作单位", key: "workUnit" },
    { header: "报到社区", key: "reportIn" },
  ],

  async exportRows({ db, keyring, area, clear }) {
    const list = await partyMembersLedgerRows<Status>(db, area.path);
    return list.map((m) => ({
      idNumber: clear && m.id_number_enc ? decryptField(keyring, m.id_number_enc, "persons.id_number") : m.id_number_masked,
      name: clear ? m.name : maskName(m.name),
      org: m.org ?? m.outside_org_name,
      status: statusNames[m.status],
      joinedOn: m.joined_on,
      workUnit: m.work_unit,
      reportIn: m.report_in,
    }));
  },
};
