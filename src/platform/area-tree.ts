/**
 * The levels of the area tree (city → … → grid → micro-grid). Roles are granted on its nodes and
 * reach their subtrees, so the levels are part of how every actor is scoped, not only of the
 * areas module that keeps the tree.
 */
export const areaLevels = ["city", "district", "street", "community", "grid", "microGrid"] as const;
export type AreaLevel = (typeof areaLevels)[number];
