/**
 * Chinese words for search (中文分词). PostgreSQL's text search parser does not split Chinese, and
 * `pg_trgm` does not match it in the embedded database's C locale, so the words are cut here with
 * jieba (`@node-rs/jieba`, docs/decisions/009-search.md) and stored as a `simple` tsvector built
 * from the word list itself (`array_to_tsvector`): no parser, no dictionary, the same on PGlite and
 * PostgreSQL.
 *
 * Indexing keeps every word jieba's search mode finds, with and without its unknown-word model, so
 * 卫生间 also yields 卫生 and a word the model glued (灯不亮) is also kept in the dictionary's pieces.
 * A query is cut the plain way; each of its words must begin a stored word (`'渣土':*` finds 渣土车).
 */
import { createRequire } from "node:module";
import { Jieba } from "@node-rs/jieba";
import { sql, type SQL } from "drizzle-orm";

let jieba: Jieba | undefined;

/** The segmenter, loaded on first use (the dictionary takes about half a second to read). */
function segmenter(): Jieba {
  if (!jieba) {
    const require = createRequire(import.meta.url);
    const { dict } = require("@node-rs/jieba/dict.js") as { dict: Uint8Array };
    jieba = Jieba.withDict(dict);
  }
  return jieba;
}

/** Longest word kept; anything longer is not a word a person types. */
const maxWordLength = 40;
/** Words that say nothing by themselves (punctuation and spaces are dropped anyway). */
const wordPattern = /[\p{L}\p{N}]/u;

function clean(words: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const raw of words) {
    const w = raw.trim().toLowerCase();
    if (w === "" || w.length > maxWordLength || !wordPattern.test(w)) continue;
    out.add(w);
  }
  return [...out];
}

/** The words to index for a text (description, address…): empty for an empty text. */
export function indexWords(...texts: (string | null | undefined)[]): string[] {
  const j = segmenter();
  const words: string[] = [];
  for (const t of texts) {
    if (!t) continue;
    words.push(...j.cutForSearch(t, true), ...j.cutForSearch(t, false));
  }
  return clean(words);
}

/** The words of what a person typed into a search box. */
export function queryWords(text: string): string[] {
  return clean(segmenter().cut(text, true));
}

/** SQL of a tsvector holding exactly `words` (for an insert or update of a search column). */
export function tsvectorOf(words: readonly string[]): SQL {
  return sql`array_to_tsvector(${`{${words.map(arrayElement).join(",")}}`}::text[])`;
}

function arrayElement(w: string): string {
  return `"${w.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * SQL of a tsquery: every word must begin a stored word. Undefined for no words (nothing to match).
 * The words are quoted lexemes of the tsquery syntax, so nothing typed is read as an operator.
 */
export function tsqueryOf(words: readonly string[]): SQL | undefined {
  if (words.length === 0) return undefined;
  const text = words.map((w) => `'${w.replace(/['\\]/g, (c) => `${c}${c}`)}':*`).join(" & ");
  return sql`${text}::tsquery`;
}
