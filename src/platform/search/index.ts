/**
 * 一框搜索 (人、事、物): the contract between the search box and the modules. Each module that owns
 * something worth finding plugs a `SearchProvider` into its `GongzhiModule.search`; the platform's
 * route (`routes.ts`) runs them all for one query and returns their hits grouped by kind. A provider
 * keeps its own index (cases: a tsvector of the description's words) and applies the scope of its
 * own list routes, so the search box never shows what the asker's lists would not.
 */
import type { Actor } from "../auth/actor.js";
import type { Db } from "../db/index.js";
import type { DataKeyring } from "../pii/keys.js";
import type { Lang } from "../errors.js";

export { indexWords, queryWords, tsqueryOf, tsvectorOf } from "./segment.js";

/** Kinds of things found, in the order the box shows their groups. */
export const searchKinds = ["person", "household", "building", "organization", "case"] as const;
export type SearchHitKind = (typeof searchKinds)[number];

export interface SearchQuery {
  /** What was typed, trimmed (an ID number among it: never logged, never echoed). */
  text: string;
  /** Its words (`queryWords`), lower case. */
  words: string[];
  /** Hits wanted per kind; a provider returns at most one more, so the box can say "more". */
  limit: number;
  /** For keyed hashes of ID numbers and phones. */
  keyring: DataKeyring;
  /** Language of labels in `detail`. */
  lang: Lang;
}

export interface SearchHit {
  kind: SearchHitKind;
  id: string;
  /** What the row is called, masked like the kind's list masks it (a person: 张*丰). */
  title: string;
  /** One line of context: grid, status, address as the list shows it. */
  detail: string;
  /** True when the title or detail is masked and the clear value is behind the record's reveal. */
  masked: boolean;
}

export interface SearchProvider {
  /** The kinds this provider answers. */
  kinds: readonly SearchHitKind[];
  search(db: Db, actor: Actor, query: SearchQuery): Promise<SearchHit[]>;
}
