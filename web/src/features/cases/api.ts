/**
 * Cases (诉求 / 案件) on the client: the queue, one case with its timeline and abilities, each step
 * as a mutation, reporting with photos, similar cases nearby. Shared by the phone pages and the
 * console; keep it additive.
 */
import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, upload, type Answer, type Body, type QueryOf, type Schema } from "../../api";

export type CaseListItem = Schema<"CaseListItem">;
export type CaseDetail = Schema<"CaseDetail">;
export type TimelineEvent = Schema<"CaseTimelineEvent">;
export type CaseStatus = CaseListItem["status"];
export type CaseLevel = CaseListItem["level"];
export type CaseSource = CaseListItem["source"];
/** A text in both languages, as the server labels statuses, levels and steps. */
export type Label = CaseListItem["statusLabel"];
/** The keys of `abilities`: the state machine's steps, and revealContact, whistle and merge. */
export type CaseAbility = keyof CaseDetail["abilities"];

/** The queue's filter: the route's query, with the page left to the server's default when unset. */
export type CaseListFilter = Partial<QueryOf<"get", "/api/cases">>;

/** What POST /api/cases answers (201): the case number and where it went. */
export type CaseSubmissionReceipt = Schema<"CaseReceipt">;
export type CaseReportInput = Omit<Body<"post", "/api/cases">, "idempotencyKey">;
export type CaseUrgency = NonNullable<CaseReportInput["urgency"]>;
/** An answer to one of a sub-category's extra questions (附加信息): text, a number, or the keys of a multiple choice. */
export type CaseAttributeAnswer = string | number | string[];
export type CaseRating = Body<"post", "/api/cases/{id}/rate">["rating"];
export type LimitUnit = Body<"post", "/api/cases/{id}/extensions">["extraUnit"];

export type CasePhoto = Schema<"CasePhoto">;
/** A similar case the asker may read (number, distance, first words), or for a resident one as the public board shows it. */
export type SimilarCase = Answer<"get", "/api/cases/similar">["items"][number];
export type ReadableSimilarCase = Extract<SimilarCase, { kind: "case" }>;

/** The photo's address for an <img> (the session cookie goes along). */
export function casePhotoUrl(id: string): string {
  return `/api/case-photos/${encodeURIComponent(id)}`;
}

export const caseKeys = {
  all: ["cases"] as const,
  list: (filter: CaseListFilter) => ["cases", "list", filter] as const,
  detail: (id: string | undefined) => ["cases", "detail", id] as const,
  similar: (q: { categoryCode: string; lng: number; lat: number } | null) => ["cases", "similar", q] as const,
};

/**
 * The queue's query string: `status` repeats for several (the server reads `status=a&status=b`),
 * every other value as the shared client writes it.
 */
function caseListQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v as string[]) params.append(k, item);
    else params.set(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  return params.toString();
}

export function useCaseList(filter: CaseListFilter, options: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: caseKeys.list(filter),
    queryFn: ({ signal }) =>
      // The server's defaults (page 1 of 20), said here because the route's schema requires them.
      http.get("/api/cases", { params: { query: { ...filter, page: filter.page ?? 1, pageSize: filter.pageSize ?? 20 } }, querySerializer: caseListQuery, signal }),
    placeholderData: (prev) => prev,
    enabled: options.enabled ?? true,
    ...(options.refetchInterval ? { refetchInterval: options.refetchInterval } : {}),
  });
}

export function useCase(id: string | undefined) {
  return useQuery({
    queryKey: caseKeys.detail(id),
    queryFn: ({ signal }) => http.get("/api/cases/{id}", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

/** 派遣到人: whom the dispatcher may name for the case at `level` (and department `orgId`). */
export function useDispatchCandidates(caseId: string, level: CaseLevel | undefined, orgId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ["case", caseId, "dispatch-candidates", level ?? null, orgId ?? null],
    queryFn: ({ signal }) =>
      http.get("/api/cases/{id}/dispatch-candidates", { params: { path: { id: caseId }, query: { ...(level ? { level } : {}), ...(orgId ? { orgId } : {}) } }, signal }).then((r) => r.items),
    enabled: enabled && (level !== "department" || Boolean(orgId)),
  });
}

/** Open cases of the same sub-category nearby (informational on the report form). */
export function useSimilarCases(q: { categoryCode: string; lng: number; lat: number } | null) {
  return useQuery({
    queryKey: caseKeys.similar(q),
    queryFn: q === null ? skipToken : ({ signal }) => http.get("/api/cases/similar", { params: { query: q }, signal }),
    staleTime: 30_000,
  });
}

/** Upload one photo as the raw body with the file's own type; answers its id to attach. */
export function uploadCasePhoto(file: Blob): Promise<CasePhoto> {
  return upload("/api/case-photos", file, {});
}

/** Report a case; the key makes a repeated tap answer case_duplicate_submission instead of a second case. */
export function useReportCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ idempotencyKey, ...input }: CaseReportInput & { idempotencyKey: string }) =>
      http.post("/api/cases", { body: input, params: { header: { "idempotency-key": idempotencyKey } } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["cases", "list"] }),
  });
}

/** The steps a case page runs, each its own route under /api/cases/{id}/. */
export type CaseActionPath =
  | "register"
  | "reject"
  | "dispatch"
  | "receive"
  | "start"
  | "return"
  | "feedback"
  | "verify"
  | "close"
  | "rate"
  | "reopen"
  | "escalate"
  | "send-down"
  | "park"
  | "unpark"
  | "cancel"
  | "extensions";
/** The body each step's route takes. */
export type CaseActionBodies = { [P in CaseActionPath]: Body<"post", `/api/cases/{id}/${P}`> };
/** One step to run: its route and its body, matched. */
export type CaseActionRequest = { [P in CaseActionPath]: { path: P; body: CaseActionBodies[P] } }[CaseActionPath];

/** Run one step on a case; the answer is the case as it now is, put straight into the cache. */
export async function runCaseAction(id: string, request: CaseActionRequest): Promise<CaseDetail> {
  // One of the step routes, each answering CaseDetail; CaseActionRequest matched the body to it.
  const route: `/api/cases/{id}/${CaseActionPath}` = `/api/cases/{id}/${request.path}`;
  return http.post(route, { params: { path: { id } }, body: request.body });
}

export function useCaseAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation<CaseDetail, Error, CaseActionRequest>({
    mutationFn: (request) => runCaseAction(id, request),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: ["cases", "list"] });
      void queryClient.invalidateQueries({ queryKey: ["cases", id, "receipt"] });
    },
  });
}

export function useDecideExtension(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ extensionId, approve, note }: { extensionId: string; approve: boolean; note?: string | null }) =>
      http.post("/api/cases/{id}/extensions/{extensionId}/decision", { params: { path: { id, extensionId } }, body: { approve, note: note ?? null } }),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: ["cases", "list"] });
    },
  });
}
