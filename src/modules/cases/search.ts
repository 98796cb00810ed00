/**
 * Finding cases by number or by the words of their description and place (the search box and the
 * case list's keyword). The words are cut by platform/search and kept in `cases.search_words`
 * (a tsvector with a GIN index): intake writes them with the case, the demo's bulk history and
 * anything else that inserts rows are caught up by `indexPendingCaseWords` (prepare() runs it).
 */
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { escapeLike } from "../../platform/policy/index.js";
import { indexWords, queryWords, tsqueryOf, tsvectorOf, type SearchHit, type SearchProvider, type SearchQuery } from "../../platform/search/index.js";
import { areaNames } from "../areas/index.js";
import { caseScopeCondition } from "./policy.js";
import { statusLabels, type CaseStatus } from "./machine.js";
import { cases } from "./schema.js";

/** The search column's value for a new or edited case. */
export function caseSearchWords(description: string, locationText: string | null | undefined): SQL {
  return tsvectorOf(indexWords(description, locationText));
}

/** Looks like (the beginning of) a case number: GZ20261122…, or six or more digits of one. */
const caseNoPattern = /^(gz\d*|[a-z]{0,2}\d{6,})$/i;

/**
 * SQL condition over `cases`: what was typed looks like a case number and one begins with it, or
 * every word of it begins a word of the description or the place. False when nothing searchable
 * was typed. The words' matches are collected first through the GIN index (an init plan): left as
 * a filter, a rare word next to `order by submitted_at limit n` lets the planner walk the whole
 * table backwards by date looking for the few rows that match.
 */
export function caseTextCondition(text: string, words = queryWords(text)): SQL {
  const t = text.trim();
  const byNo = sql`${cases.caseNo} like ${`${escapeLike(t.toUpperCase())}%`}`;
  if (caseNoPattern.test(t)) return byNo;
  // Anything else may still be the beginning of a case number of another form (imported, or a
  // test's): the number's prefix or the words.
  const tsq = tsqueryOf(words);
  if (!tsq) return byNo;
  return sql`(${byNo} or ${cases.id} = any(array(select w.id from cases w where w.search_words @@ ${tsq})))`;
}

const excerptLength = 40;

/** Cases the actor's case list would show, matching the query, newest first. */
export async function searchCases(db: Db, actor: Actor, q: SearchQuery): Promise<SearchHit[]> {
  const found = await rows<{ id: string; case_no: string; description: string; status: CaseStatus; grid_id: string }>(
    db,
    sql`select id, case_no, description, status, grid_id from cases
        where ${caseScopeCondition(actor)} and ${caseTextCondition(q.text, q.words)}
        order by submitted_at desc limit ${q.limit + 1}`,
  );
  const grids = await areaNames(db, found.map((r) => r.grid_id));
  return found.map((r) => {
    const text = [...r.description];
    const label = statusLabels[r.status];
    return {
      kind: "case" as const,
      id: r.id,
      title: text.length > excerptLength ? `${text.slice(0, excerptLength).join("")}…` : r.description,
      detail: [r.case_no, label ? (q.lang === "en" ? label.en : label.zh) : r.status, grids.get(r.grid_id) ?? ""].filter(Boolean).join(" · "),
      masked: false,
    };
  });
}

export const caseSearch: SearchProvider = { kinds: ["case"], search: searchCases };

/**
 * Writes the words of cases that have none yet (rows inserted in bulk, rows older than the search
 * column), a batch at a time; returns how many were indexed.
 */
export async function indexPendingCaseWords(db: Db, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await rows<{ id: string; description: string; location_text: string | null }>(
      db,
      sql`select id, description, location_text from cases where search_words is null limit ${batchSize}`,
    );
    if (batch.length === 0) return total;
    const data = JSON.stringify(batch.map((r) => ({ id: r.id, words: indexWords(r.description, r.location_text) })));
    await db.execute(sql`update cases c set search_words = array_to_tsvector(array(select jsonb_array_elements_text(x.words)))
      from jsonb_to_recordset(${data}::jsonb) as x(id uuid, words jsonb) where c.id = x.id`);
    total += batch.length;
    if (batch.length < batchSize) return total;
  }
}
