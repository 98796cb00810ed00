/** 案件分类目录 on the client: the active tree, versions, a draft's categories and the edits. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type Schema } from "../../../api";

export type CaseCategory = Schema<"CaseCategory">;
export type TopCategory = Schema<"CaseTopCategory">;
export type CatalogueSummary = Schema<"CatalogueSummary">;
export type CatalogueStatus = CatalogueSummary["status"];
export type CatalogueDetail = Answer<"get", "/api/case-catalogues/{id}">;
export type CategoryKind = CaseCategory["kind"];
export type CaseLevel = NonNullable<CaseCategory["firstLevel"]>;
export type Responsibility = NonNullable<CaseCategory["responsibility"]>;
export type TimeLimit = NonNullable<CaseCategory["responseLimit"]>;
export type LimitUnit = TimeLimit["unit"];

/**
 * 附加信息: an extra question residents answer when reporting in this sub-category (an Open311
 * attribute). `variable: false` is a note shown with the form, not a question.
 */
export type CategoryAttribute = CaseCategory["attributes"][number];
/** How an attribute is answered (Open311 datatype): 单行文字, 多行文字, 数字, 日期时间, 单选, 多选. */
export type AttributeDatatype = CategoryAttribute["datatype"];

/** A new category of a draft: a top-level one (no parentId) or a sub-category. */
export type NewCategoryInput = Body<"post", "/api/case-catalogues/{id}/categories">;
/** A change to a category of a draft; null clears a value. */
export type CategoryInput = Body<"patch", "/api/case-catalogues/{id}/categories/{categoryId}">;

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
    queryFn: ({ signal }) => http.get("/api/case-categories", { signal }),
    staleTime: 5 * 60_000,
  });
}

export function useCatalogueVersions() {
  return useQuery({
    queryKey: keys.versions,
    queryFn: ({ signal }) => http.get("/api/case-catalogues", { signal }),
  });
}

export function useCatalogue(id: string | undefined) {
  return useQuery({
    queryKey: keys.detail(id),
    queryFn: ({ signal }) => http.get("/api/case-catalogues/{id}", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

function useCatalogueMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => void queryClient.invalidateQueries({ queryKey: keys.all }) });
}

export function useCreateDraft() {
  return useCatalogueMutation((input: Body<"post", "/api/case-catalogues/drafts">) => http.post("/api/case-catalogues/drafts", { body: input }));
}

export function useCreateCategory(catalogueId: string) {
  return useCatalogueMutation((input: NewCategoryInput) => http.post("/api/case-catalogues/{id}/categories", { params: { path: { id: catalogueId } }, body: input }));
}

export function useUpdateCategory(catalogueId: string) {
  return useCatalogueMutation(({ id, ...patch }: CategoryInput & { id: string }) =>
    http.patch("/api/case-catalogues/{id}/categories/{categoryId}", { params: { path: { id: catalogueId, categoryId: id } }, body: patch }),
  );
}

export function useDeactivateCategory(catalogueId: string) {
  return useCatalogueMutation((id: string) =>
    http.delete("/api/case-catalogues/{id}/categories/{categoryId}", { params: { path: { id: catalogueId, categoryId: id } } }),
  );
}

export function usePublishCatalogue() {
  return useCatalogueMutation((id: string) => http.post("/api/case-catalogues/{id}/publish", { params: { path: { id } } }));
}

export function useDiscardDraft() {
  return useCatalogueMutation((id: string) => http.delete("/api/case-catalogues/{id}", { params: { path: { id } } }));
}

/** Top-level categories with their sub-categories, in the server's order. */
export function buildCategoryTree(items: readonly CaseCategory[]): TopCategory[] {
  return items.filter((c) => c.parentId === null).map((top) => ({ ...top, children: items.filter((c) => c.parentId === top.id) }));
}
