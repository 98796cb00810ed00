/**
 * Bulk writes and reads of organizations for the tools (src/tools: the demo street, ledger
 * imports). Rows come already validated; each write runs in the caller's transaction.
 */
import { sql, type SQL } from "drizzle-orm";
import { deleteCounted, insertChunked, orgIdsUnder, rows, sqlList, type BulkInsertOptions, type Db } from "../../platform/db/index.js";
import { escapeLike } from "../../platform/policy/index.js";
import { organizations, posts } from "./schema.js";

export type NewOrganization = typeof organizations.$inferInsert;
export type NewPost = typeof posts.$inferInsert;

export const insertOrganizations = (tx: Db, values: readonly NewOrganization[], opts?: BulkInsertOptions) => insertChunked(tx, organizations, values, opts);
export const insertPosts = (tx: Db, values: readonly NewPost[], opts?: BulkInsertOptions) => insertChunked(tx, posts, values, opts);

/** Organizations of these kinds in force around an area: in its subtree and on its way to the root. */
export function organizationsAround(db: Db, areaPath: string, kinds: readonly string[]): Promise<{ id: string; name: string }[]> {
  return rows(
    db,
    sql`select o.id, o.name from organizations o join areas a on a.id = o.area_id
        where o.dissolved_on is null and o.kind in (${sqlList(kinds)})
          and (a.path like ${`${escapeLike(areaPath)}%`} or ${areaPath} like a.path || '%')`,
  );
}

/**
 * Sub-queries of the ids of persons holding a post in an organization under the area path
 * (`inside`) and of those holding one elsewhere (`outside`), for people's `deletePostHoldersUnder`.
 */
export function postHolderIdsUnder(areaPath: string): { inside: SQL; outside: SQL } {
  const orgIds = orgIdsUnder(areaPath);
  return {
    inside: sql`select s.person_id from posts s where s.org_id in ${orgIds}`,
    outside: sql`select s.person_id from posts s where s.org_id not in ${orgIds}`,
  };
}

/**
 * Deletes the posts in organizations under an area path and the posts of persons living there
 * (`personIds`: a sub-query of their ids, from the people module). Answers how many.
 */
export function deletePostsUnder(tx: Db, areaPath: string, personIds: SQL): Promise<number> {
  return deleteCounted(tx, sql`delete from posts where org_id in ${orgIdsUnder(areaPath)} or person_id in (${personIds})`);
}

/** Deletes the organizations of the areas under a path and their sub-organizations. Answers how many. */
export function deleteOrganizationsUnder(tx: Db, areaPath: string): Promise<number> {
  return deleteCounted(tx, sql`delete from organizations where id in ${orgIdsUnder(areaPath)}`);
}

