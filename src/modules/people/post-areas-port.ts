/**
 * The port through which people places a person recorded only for posts (no grid): by the areas
 * of the bodies they hold or held posts in (`PersonRecord.postAreaPaths`). Posts belong to orgs,
 * which builds on people: people may not import orgs nor read `posts` in its SQL, so it declares
 * this read and orgs plugs its implementation in from its module's `connect()`
 * (src/modules/index.ts calls it once, before any request or event).
 */
import type { Db } from "../../platform/db/index.js";

export interface PostHolderAreas {
  /** For each of `personIds` holding or having held a post: the distinct area paths of those bodies. Others are absent. */
  areaPathsOfPosts(db: Db, personIds: readonly string[]): Promise<Map<string, string[]>>;
}

let plugged: PostHolderAreas | undefined;

/** Called by orgs' `connect()`. A second call replaces the first. */
export function plugPostHolderAreas(impl: PostHolderAreas): void {
  plugged = impl;
}

export function postHolderAreas(): PostHolderAreas {
  if (!plugged) {
    throw new Error("people: the post holders' areas port is not plugged — import src/modules/index.ts (the module list connects orgs to it) before reading persons");
  }
  return plugged;
}
