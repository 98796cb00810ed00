/**
 * What the search box finds in the registry: persons by name or ID number, households by address.
 * The scope is the one of the persons' and households' lists (their grid's readers, a resident's
 * own), and so is the masking: names as 张*丰, ID numbers as 5101**********1234; the clear values
 * stay behind the person page (clear name for the roles whose work needs it, audited) and its
 * reveal dialog (ID number and phone, for a stated purpose, audited).
 *
 * Names are stored as typed (masked at display, never encrypted: platform/pii README), and matched
 * in their column: the whole name, or its beginning (two characters or more). No index of clear
 * names is built; the `persons_name_idx` b-tree serves the beginning-of-name match. An ID number is
 * matched only whole, by its keyed hash (`id_number_hash`), exactly as 按身份证号查找 did.
 */
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { escapeLike, scopeCondition } from "../../platform/policy/index.js";
import { maskAddress, maskName } from "../../platform/mask.js";
import { searchHash } from "../../platform/pii/crypto.js";
import { validateIdNumber } from "../../platform/pii/validate.js";
import type { SearchHit, SearchProvider, SearchQuery } from "../../platform/search/index.js";
import { householdClearReaders, householdPolicy, householdReaders } from "./policy.js";
import { householdFrom, placeLabel } from "./service.js";

/** A name as people type one: letters (Chinese, or a foreign name with its dot), no digits. */
const namePattern = /^[\p{L}·•. ]{2,20}$/u;

function personScope(actor: Actor): SQL {
  return sql`(${scopeCondition(actor, householdReaders, sql`g.path`)}${actor.personId ? sql` or p.id = ${actor.personId}` : sql``})`;
}

/** Persons of the asker's lists whose ID number is the one typed, or whose name is or begins with it. */
export async function searchPersons(db: Db, actor: Actor, q: SearchQuery): Promise<SearchHit[]> {
  const id = validateIdNumber(q.text);
  let match: SQL;
  if (id.ok) match = sql`p.id_number_hash = ${searchHash(q.keyring, "idNumber", id.normalized)}`;
  else if (namePattern.test(q.text)) match = sql`(p.name like ${`${escapeLike(q.text)}%`})`;
  else return [];
  const found = await rows<{ id: string; name: string; birth_year: number; grid_name: string | null; id_number_masked: string | null }>(
    db,
    sql`select p.id, p.name, p.birth_year, g.name as grid_name, p.id_number_masked
        from persons p left join areas g on g.id = p.grid_id
        where p.household_id is not null and ${personScope(actor)} and ${match}
        order by (p.name = ${q.text}) desc, g.name, p.birth_year limit ${q.limit + 1}`,
  );
  return found.map((r) => ({
    kind: "person" as const,
    id: r.id,
    title: maskName(r.name),
    detail: [r.grid_name, q.lang === "en" ? `born ${r.birth_year}` : `${r.birth_year}年生`, r.id_number_masked].filter(Boolean).join(" · "),
    masked: true,
  }));
}

/**
 * Households of the asker's lists whose address or place (紫荆苑 3栋 2单元 502室) holds what was
 * typed, spaces aside. Digits (building, unit, room) are matched only in households whose place the
 * asker reads clear — the grid's own workers — so nobody else can find who lives behind a number
 * their list shows as *.
 */
export async function searchHouseholds(db: Db, actor: Actor, q: SearchQuery): Promise<SearchHit[]> {
  const typed = q.text.replace(/\s+/g, "");
  if ([...typed].length < 2 || validateIdNumber(q.text).ok) return [];
  const pattern = `%${escapeLike(typed)}%`;
  const conds = [
    sql`(${scopeCondition(actor, householdReaders, sql`g.path`)}${actor.householdId ? sql` or h.id = ${actor.householdId}` : sql``})`,
    sql`(replace(h.address, ' ', '') like ${pattern} or replace(${placeLabel}, ' ', '') like ${pattern})`,
  ];
  if (/[0-9０-９]/.test(typed)) {
    conds.push(sql`(${scopeCondition(actor, householdClearReaders, sql`g.path`)}${actor.householdId ? sql` or h.id = ${actor.householdId}` : sql``})`);
  }
  const found = await rows<{ id: string; grid_name: string; grid_path: string; address: string; place: string | null; head_name: string; size: number }>(
    db,
    sql`select h.id, g.name as grid_name, g.path as grid_path, h.address, ${placeLabel} as place, h.head_name, h.size
        from ${householdFrom} where ${sql.join(conds, sql` and `)}
        order by g.code, h.address limit ${q.limit + 1}`,
  );
  return found.map((r) => {
    const placeClear = householdPolicy.readClear(actor, { id: r.id, areaPath: r.grid_path });
    const where = r.place ?? r.address;
    return {
      kind: "household" as const,
      id: r.id,
      title: placeClear ? where : maskAddress(where),
      detail: [r.grid_name, q.lang === "en" ? `head ${maskName(r.head_name)}, ${r.size} persons` : `户主 ${maskName(r.head_name)} · ${r.size} 人`].join(" · "),
      masked: true,
    };
  });
}

export const peopleSearch: SearchProvider = {
  kinds: ["person", "household"],
  async search(db, actor, q) {
    return [...(await searchPersons(db, actor, q)), ...(await searchHouseholds(db, actor, q))];
  },
};
