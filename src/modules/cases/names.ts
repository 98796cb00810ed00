/**
 * Ordering cases' rows by the name of another module's row (a grid, a department) without joining
 * its table: the owner answers the names in its database's name order (`areaNames`,
 * `organizationNames`), and the rows keep their own order among equal names — as `order by name,
 * <the rows' order>` did, nulls (unknown ids) last.
 */
export function orderByName<T>(list: readonly T[], idOf: (row: T) => string, namesInOrder: ReadonlyMap<string, string>): T[] {
  const rank = new Map<string, number>();
  let previous: string | undefined;
  let r = -1;
  for (const [id, name] of namesInOrder) {
    if (name !== previous) r += 1;
    previous = name;
    rank.set(id, r);
  }
  const rankOf = (row: T) => rank.get(idOf(row)) ?? r + 1;
  // Array.prototype.sort is stable: equal names keep the rows' own order.
  return [...list].sort((a, b) => rankOf(a) - rankOf(b));
}
