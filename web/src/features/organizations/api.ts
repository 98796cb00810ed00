import { useQuery } from "@tanstack/react-query";
import { api } from "../../api";

/** 组织: a party organization or a community body (居委会, 社区工作站 …). */
export interface OrganizationItem {
  id: string;
  parentId: string | null;
  /** communityPartyCommittee, gridPartyBranch, residentsCommittee … */
  kind: string;
  /** The kind's label in the request's language, as the server names it. */
  kindLabel: string;
  party: boolean;
  name: string;
  areaId: string | null;
  areaName: string | null;
  /** Party members whose organization relation is held here. */
  memberCount: number;
}

export interface OrganizationNode extends OrganizationItem {
  children: OrganizationNode[];
}

/**
 * `party=true`: the party organization tree only; `false`: with the community bodies.
 * Items come flat, parents before children.
 */
export function useOrganizations(areaId: string | undefined, partyOnly: boolean) {
  return useQuery({
    queryKey: ["organizations", areaId, partyOnly],
    queryFn: ({ signal }) =>
      api<{ items: OrganizationItem[] }>("/api/organizations", { query: { areaId, party: partyOnly }, signal }).then((r) => r.items),
    enabled: Boolean(areaId),
    staleTime: 60_000,
  });
}

/**
 * Builds the tree from the flat list. A node whose parent is not in the list (it sits above the
 * area asked for, e.g. the street's working committee over a community's party committee) is a root.
 */
export function buildOrganizationTree(items: readonly OrganizationItem[]): OrganizationNode[] {
  // One pass in the server's order: a parent must come before its children, which also keeps
  // a damaged list (a cycle) from looping.
  const nodes = new Map<string, OrganizationNode>();
  const roots: OrganizationNode[] = [];
  for (const item of items) {
    if (nodes.has(item.id)) continue;
    const node: OrganizationNode = { ...item, children: [] };
    const parent = item.parentId ? nodes.get(item.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
    nodes.set(item.id, node);
  }
  const sort = (list: OrganizationNode[]) => {
    list.sort(compareOrganizations);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** The order of kinds under one parent: the party line first, then the community bodies. */
const kindOrder = [
  "streetWorkingCommittee",
  "communityPartyCommittee",
  "gridPartyBranch",
  "buildingPartyGroup",
  "interestPartyGroup",
  "residentsCommittee",
  "workStation",
  "serviceStation",
  "serviceCentre",
  "ownersCommittee",
  "propertyCompany",
  "socialOrg",
  "coBuildingUnit",
  "department",
];

const collator = new Intl.Collator("zh-CN", { numeric: true });

/** Party organizations first, then by kind, then by name with numbers in order (第2网格 before 第10网格). */
export function compareOrganizations(a: OrganizationItem, b: OrganizationItem): number {
  if (a.party !== b.party) return a.party ? -1 : 1;
  const ka = kindOrder.indexOf(a.kind);
  const kb = kindOrder.indexOf(b.kind);
  if (ka !== kb) return (ka < 0 ? kindOrder.length : ka) - (kb < 0 ? kindOrder.length : kb);
  return collator.compare(a.name, b.name);
}

/** Party members whose relation is held in this node or anywhere below it. */
export function totalMembers(node: OrganizationNode): number {
  return node.children.reduce((sum, c) => sum + totalMembers(c), node.memberCount);
}

/** The grid party branch 网格党支部 of a grid (and the building party groups under it). */
export function gridPartyOrganizations(items: readonly OrganizationItem[], gridId: string) {
  const inGrid = items.filter((o) => o.party && o.areaId === gridId);
  return {
    branches: inGrid.filter((o) => o.kind === "gridPartyBranch").sort(compareOrganizations),
    groups: inGrid.filter((o) => o.kind !== "gridPartyBranch").sort(compareOrganizations),
  };
}
