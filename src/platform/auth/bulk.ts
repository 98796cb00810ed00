/**
 * Bulk writes of logins and role grants for the tools (the demo street): rows already validated,
 * written in the caller's transaction.
 */
import { inArray, sql } from "drizzle-orm";
import { areaIdsUnder, deleteCounted, insertChunked, orgIdsUnder, rows, type BulkInsertOptions, type Db } from "../db/index.js";
import { roleGrants, users } from "./schema.js";

export type NewUser = typeof users.$inferInsert;
export type NewRoleGrant = typeof roleGrants.$inferInsert;

export const insertUsers = (tx: Db, values: readonly NewUser[], opts?: BulkInsertOptions) => insertChunked(tx, users, values, opts);
export const insertRoleGrants = (tx: Db, values: readonly NewRoleGrant[], opts?: BulkInsertOptions) => insertChunked(tx, roleGrants, values, opts);

/** Which of these usernames are taken (compared case-insensitively, as logins are), lower-cased. */
export async function takenUsernames(db: Db, usernames: readonly string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  const taken = await db
    .select({ username: users.username })
    .from(users)
    .where(
      inArray(
        sql`lower(${users.username})`,
        usernames.map((u) => u.toLowerCase()),
      ),
    );
  return new Set(taken.map((t) => t.username.toLowerCase()));
}

/**
 * Deletes the logins with these usernames whose every role grant lies under the area path (on its
 * areas or their organizations); a login with a grant elsewhere, or none, stays. Answers how many.
 */
export async function deleteUsersGrantedOnlyUnder(tx: Db, usernames: readonly string[], areaPath: string): Promise<number> {
  if (usernames.length === 0) return 0;
  const areaIds = areaIdsUnder(areaPath);
  const orgIds = orgIdsUnder(areaPath);
  const names = sql.join(
    usernames.map((u) => sql`${u.toLowerCase()}`),
    sql`, `,
  );
  const found = await rows<{ id: string }>(
    tx,
    sql`select u.id from users u
        where lower(u.username) in (${names})
          and exists (select 1 from role_grants g where g.user_id = u.id)
          and not exists (
            select 1 from role_grants g where g.user_id = u.id
              and not ((g.area_id is not null or g.org_id is not null)
                and (g.area_id is null or g.area_id in ${areaIds})
                and (g.org_id is null or g.org_id in ${orgIds})))`,
  );
  if (found.length > 0) {
    await tx.delete(users).where(
      inArray(
        users.id,
        found.map((u) => u.id),
      ),
    );
  }
  return found.length;
}

/** Deletes the role grants on the areas under a path and on their organizations. */
export function deleteRoleGrantsUnder(tx: Db, areaPath: string): Promise<number> {
  return deleteCounted(tx, sql`delete from role_grants where area_id in ${areaIdsUnder(areaPath)} or org_id in ${orgIdsUnder(areaPath)}`);
}
