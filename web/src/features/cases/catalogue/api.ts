/** 案件分类目录 on the client: the active tree, versions, a draft's categories and the edits. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api";

export type LimitUnit = "workingHours" | "workingDays" | "naturalHours";
export type CaseLevel = "grid" | "community" | "street" | "district" | "department";
export type Responsibility = "owner" | "territory";
export type CategoryKind = "event" | "component";
export type CatalogueStatus = "draft" | "active" | "retired";

export interface TimeLimit {
  value: number;
  unit: LimitUnit;
}

/** How an attribute is answered (Open311 datatype): 单行文字, 多行文字, 数字, 日期时间, 单选, 多选. */
export type AttributeDatatype = "string" | "text" | "number" | "datetime" | "singlevaluelist" | "multivaluelist";

/**
 * 附加信息: an extra question residents answer when reporting in this sub-category (an Open311
 * attribute). `variable: false` is a note shown with the form, not a question.
 */
export interface CategoryAttribute {
  code: string;
  variable: boolean;
  datatype: AttributeDatatype;
  required: boolean;
  description: string;
  datatypeDescription?: string;
  order: number;
  values?: { key: string; name: string }[];
}

export interface CaseCategory {
  id: string;
  catalogueId: string;
  parentId: string | null;
  code: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  kind: CategoryKind;
  responseLimit: TimeLimit | null;
  handleLimit: TimeLimit | null;
  firstLevel: CaseLevel | null;
  responsibility: Responsibility | null;
  departmentOrgId: string | null;
  departmentName: string | null;
  keywords: string[];
  attributes: CategoryAttribute[];
  sortOrder: number;
  active: boolean;
}

export interface TopCategory extends CaseCategory {
  children: CaseCategory[];
}

export interface CatalogueSummary {
  id: string;
  version: number;
  status: CatalogueStatus;
  note: string | null;
  createdAt: string;
  publishedAt: string | null;
  createdByName: string | null;
  subCategoryCount: number;
  topCategoryCount: number;
}

export interface CatalogueDetail {
  catalogue: CatalogueSummary;
  items: CaseCategory[];
  abilities: { edit: boolean; publish: boolean; discard: boolean; createDraft: boolean };
  departments: { id: string; name: string }[];
}

/** What the form sends; null clears a value. */
export interface CategoryInput {
  parentId?: string | null;
  code?: string;
  name?: string;
  nameEn?: string | null;
  description?: string | null;
  kind?: CategoryKind;
  responseLimitValue?: number | null;
  responseLimitUnit?: LimitUnit | null;
  handleLimitValue?: number | null;
  handleLimitUnit?: LimitUnit | null;
  firstLevel?: CaseLevel | null;
  responsibility?: Responsibility | null;
  departmentOrgId?: string | null;
  keywords?: string[];
  attributes?: CategoryAttribute[];
  sortOrder?: number;
  active?: boolean;
}

const keys = {
  all: ["caseCatalogue"] as const,
  versions: ["caseCatalogue", "versions"] as const,
  detail: (id: string | undefined) => ["caseCatalogue", "detail", id] as const,
  tree: ["caseCatalogue", "tree"] as const,
};

/** The categories in use of the active version, as a tree (for report forms and pickers). */
export function useActiveCategoryTree() {
  return useQuery({
    queryKey: keys.tree,
    queryFn: ({ signal }) => api<{ catalogue: CatalogueSummary; items: TopCategory[] }>("/api/case-categories", { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useCatalogueVersions() {
  return useQuery({
    queryKey: keys.versions,
    queryFn: ({ signal }) => api<{ items: CatalogueSummary[]; abilities: { createDraft: boolean } }>("/api/case-catalogues", { signal }),
  });
}

export function useCatalogue(id: string | undefined) {
  return useQuery({
    queryKey: keys.detail(id),
    queryFn: ({ signal }) => api<CatalogueDetail>(`/api/case-catalogues/${encodeURIComponent(id ?? "")}`, { signal }),
    enabled: Boolean(id),
  });
}

function useCatalogueMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.all }) });
}

export function useCreateDraft() {
  return useCatalogueMutation((input: { note?: string | null }) => api<CatalogueSummary>("/api/case-catalogues/drafts", { method: "POST", body: input }));
}

export function useCreateCategory(catalogueId: string) {
  return useCatalogueMutation((input: CategoryInput) =>
    api<CaseCategory>(`/api/case-catalogues/${encodeURIComponent(catalogueId)}/categories`, { method: "POST", body: input }),
  );
}

export function useUpdateCategory(catalogueId: string) {
  return useCatalogueMutation(({ id, ...patch }: CategoryInput & { id: string }) =>
    api<CaseCategory>(`/api/case-catalogues/${encodeURIComponent(catalogueId)}/categories/${encodeURIComponent(id)}`, { method: "PATCH", body: patch }),
  );
}

export function useDeactivateCategory(catalogueId: string) {
  return useCatalogueMutation((id: string) =>
    api<{ deactivated: string[] }>(`/api/case-catalogues/${encodeURIComponent(catalogueId)}/categories/${encodeURIComponent(id)}`, { method: "DELETE" }),
  );
}

export function usePublishCatalogue() {
  return useCatalogueMutation((id: string) => api<CatalogueSummary>(`/api/case-catalogues/${encodeURIComponent(id)}/publish`, { method: "POST" }));
}

export function useDiscardDraft() {
  return useCatalogueMutation((id: string) => api<null>(`/api/case-catalogues/${encodeURIComponent(id)}`, { method: "DELETE" }));
}

/** Top-level categories with their sub-categories, in the server's order. */
export function buildCategoryTree(items: readonly CaseCategory[]): TopCategory[] {
  return items.filter((c) => c.parentId === null).map((top) => ({ ...top, children: items.filter((c) => c.parentId === top.id) }));
}
