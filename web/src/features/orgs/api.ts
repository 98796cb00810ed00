import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type Schema } from "../../api";

/** 组织: a party organization or a community body (居委会, 社区工作站 …), as the tree lists it. */
export type OrganizationItem = Schema<"OrgNode">;

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
      http.get("/api/organizations", { params: { query: { areaId: areaId ?? "", party: partyOnly } }, signal }).then((r) => r.items),
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
export function compareOrganizations(a: Pick<OrganizationItem, "party" | "kind" | "name">, b: Pick<OrganizationItem, "party" | "kind" | "name">): number {
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

// Detail, changes and posts -------------------------------------------------------------------

export type OrganizationDetail = Answer<"get", "/api/organizations/{id}">;
export type Incubation = NonNullable<OrganizationDetail["incubation"]>;
export type OrgRef = OrganizationDetail["supervises"][number];
/** 职务: a post held by a person in a body. */
export type PostItem = Schema<"OrgPost">;
export type CrossAppointment = Answer<"get", "/api/areas/{id}/cross-appointments">["items"][number];

export const orgKeys = {
  all: ["organizations"] as const,
  detail: (id: string | undefined) => ["organizations", "detail", id] as const,
  posts: (id: string | undefined, includeEnded: boolean) => ["organizations", "posts", id, includeEnded] as const,
  cross: (areaId: string | undefined) => ["organizations", "cross", areaId] as const,
  personPosts: (personId: string | undefined) => ["organizations", "personPosts", personId] as const,
};

export function useOrganization(id: string | undefined) {
  return useQuery({
    queryKey: orgKeys.detail(id),
    queryFn: ({ signal }) => http.get("/api/organizations/{id}", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

export function useOrgPosts(id: string | undefined, includeEnded: boolean) {
  return useQuery({
    queryKey: orgKeys.posts(id, includeEnded),
    queryFn: ({ signal }) =>
      http.get("/api/organizations/{id}/posts", { params: { path: { id: id ?? "" }, query: { includeEnded } }, signal }).then((r) => r.items),
    enabled: Boolean(id),
  });
}

export function usePersonPosts(personId: string | undefined) {
  return useQuery({
    queryKey: orgKeys.personPosts(personId),
    queryFn: ({ signal }) => http.get("/api/persons/{id}/posts", { params: { path: { id: personId ?? "" }, query: { includeEnded: false } }, signal }).then((r) => r.items),
    enabled: Boolean(personId),
  });
}

export function useCrossAppointments(areaId: string | undefined) {
  return useQuery({
    queryKey: orgKeys.cross(areaId),
    queryFn: ({ signal }) => http.get("/api/areas/{id}/cross-appointments", { params: { path: { id: areaId ?? "" } }, signal }).then((r) => r.items),
    enabled: Boolean(areaId),
  });
}

export type CreateOrganizationInput = Body<"post", "/api/organizations">;

/** Every change to organizations refreshes every organization query (tree, detail, posts). */
function useOrgMutation<V, R>(fn: (v: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void queryClient.invalidateQueries({ queryKey: orgKeys.all }) });
}

export const useCreateOrganization = () => useOrgMutation((v: CreateOrganizationInput) => http.post("/api/organizations", { body: v }));

export const useUpdateOrganization = (id: string) =>
  useOrgMutation((v: Body<"patch", "/api/organizations/{id}">) => http.patch("/api/organizations/{id}", { params: { path: { id } }, body: v }));

export const useDissolveOrganization = (id: string) =>
  useOrgMutation((v: Body<"post", "/api/organizations/{id}/dissolve">) => http.post("/api/organizations/{id}/dissolve", { params: { path: { id } }, body: v }));

export const useAddPost = (orgId: string) =>
  useOrgMutation((v: Body<"post", "/api/organizations/{id}/posts">) => http.post("/api/organizations/{id}/posts", { params: { path: { id: orgId } }, body: v }));

export const useEndPost = () =>
  useOrgMutation((v: { postId: string; endedOn: string }) => http.post("/api/posts/{id}/end", { params: { path: { id: v.postId } }, body: { endedOn: v.endedOn } }));

export type CommitteeSeatInput = Body<"post", "/api/organizations/{id}/committee-seats">;

export const useAddCommitteeSeat = (committeeId: string) =>
  useOrgMutation((v: CommitteeSeatInput) => http.post("/api/organizations/{id}/committee-seats", { params: { path: { id: committeeId } }, body: v }));

export type OrgKindRule = Schema<"OrgKindRule">;

/** Where each kind may be created (parent kinds, null = without a parent, and area levels), as the server rules. */
export function useOrgKindRules() {
  return useQuery({
    queryKey: ["organizations", "kinds"] as const,
    queryFn: ({ signal }) => http.get("/api/org-kinds", { signal }),
    staleTime: Infinity,
  });
}
