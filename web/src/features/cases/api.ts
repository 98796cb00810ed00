/**
 * Cases (诉求 / 案件) on the client: the queue, one case with its timeline and abilities, each step
 * as a mutation, reporting with photos, similar cases nearby. Shared by the phone pages and the
 * console; keep it additive.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";

export type CaseStatus =
  | "submitted"
  | "registered"
  | "rejected"
  | "merged"
  | "dispatched"
  | "received"
  | "inProgress"
  | "feedback"
  | "verified"
  | "closed"
  | "rated"
  | "parked"
  | "cancelled";
export type CaseLevel = "grid" | "community" | "street" | "district" | "department";
export type CaseSource = string;
export type CaseUrgency = "normal" | "urgent" | "emergency";
export type CaseRating = "satisfied" | "basic" | "dissatisfied";
export type LimitUnit = "workingHours" | "workingDays" | "naturalHours";
export type CaseMine = "handling" | "reported" | "verify" | "dispatch";

export interface Label {
  zh: string;
  en: string;
}

export interface CaseListItem {
  id: string;
  caseNo: string;
  categoryCode: string;
  categoryName: string;
  description: string;
  status: CaseStatus;
  statusLabel: Label;
  level: CaseLevel;
  levelLabel: Label;
  source: CaseSource;
  urgency: string;
  gridId: string;
  gridName: string;
  handlingOrgName: string | null;
  anonymous: boolean;
  submittedAt: string;
  responseDueAt: string | null;
  handleDueAt: string | null;
  overdue: boolean;
  whistled: boolean;
}

export interface CaseListFilter {
  status?: CaseStatus[] | undefined;
  level?: CaseLevel | undefined;
  categoryCode?: string | undefined;
  areaId?: string | undefined;
  source?: string | undefined;
  overdue?: boolean | undefined;
  mine?: CaseMine | undefined;
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  sort?: "newest" | "due" | undefined;
  page?: number | undefined;
  pageSize?: number | undefined;
}

export interface CaseList {
  items: CaseListItem[];
  total: number;
  page: number;
  pageSize: number;
}

export interface TimelineEvent {
  id: number;
  at: string;
  action: string;
  actionLabel: Label;
  actorLabel: string;
  fromStatus: string | null;
  toStatus: string;
  fromLevel: string | null;
  toLevel: string | null;
  note: string | null;
  evidence: string[];
  data: Record<string, unknown>;
}

export interface Named {
  id: string;
  name: string;
}

export interface CaseLimit {
  value: number;
  unit: string;
}

export interface CaseExtension {
  id: string;
  status: string;
  reason: string;
  extraValue: number;
  extraUnit: string;
  requestedAt: string;
  decidedAt: string | null;
  decisionNote: string | null;
  newDueAt: string | null;
}

export interface CaseSummonsRow {
  id: string;
  departmentOrgId: string;
  departmentName: string;
  status: string;
  reportInDueAt: string;
  reportedInAt: string | null;
  finishedAt: string | null;
  score: number | null;
}

/** The keys of `abilities` (the state machine's action names), plus revealContact. */
export type CaseAbility =
  | "register"
  | "reject"
  | "dispatch"
  | "receive"
  | "start"
  | "returnToDispatcher"
  | "feedback"
  | "verifyPass"
  | "verifyFail"
  | "close"
  | "rate"
  | "reopen"
  | "escalate"
  | "sendDown"
  | "park"
  | "unpark"
  | "cancel"
  | "requestExtension"
  | "approveExtension"
  | "declineExtension"
  | "revealContact";

export interface CaseDetail {
  id: string;
  caseNo: string;
  source: CaseSource;
  urgency: string;
  description: string;
  status: CaseStatus;
  statusLabel: Label;
  level: CaseLevel;
  levelLabel: Label;
  category: {
    id: string;
    code: string;
    name: string;
    parent: { id: string; code: string; name: string } | null;
    responseLimit: CaseLimit | null;
    handleLimit: CaseLimit | null;
    firstLevel: string | null;
  };
  grid: Named;
  community: Named | null;
  street: Named | null;
  handlingArea: Named | null;
  handlingOrg: Named | null;
  lng: number;
  lat: number;
  buildingId: string | null;
  locationText: string | null;
  /** Answers to the category's questions (附加信息), as text. */
  answers: { code: string; question: string; answer: string }[];
  reporter: { anonymous: boolean; name: string | null; phoneMasked: string | null; hasPhone: boolean } | null;
  anonymous: boolean;
  externalRef: string | null;
  rejectReason: string | null;
  mergedIntoId: string | null;
  repeatOfId: string | null;
  receiptEntryId: number | null;
  counts: { reopen: number; rework: number; extension: number; return: number; escalation: number };
  whistled: boolean;
  submittedAt: string;
  registeredAt: string | null;
  dispatchedAt: string | null;
  receivedAt: string | null;
  feedbackAt: string | null;
  closedAt: string | null;
  closedOnTime: boolean | null;
  responseDueAt: string | null;
  handleDueAt: string | null;
  overdue: boolean;
  rating: CaseRating | null;
  resolved: boolean | null;
  ratedAt: string | null;
  photos: { id: string; eventId: number | null }[];
  timeline: TimelineEvent[];
  summons: CaseSummonsRow[];
  extensions: CaseExtension[];
  abilities: Partial<Record<CaseAbility, boolean>>;
}

/** What POST /api/cases answers (201): the case number and where it went. */
export interface CaseSubmissionReceipt {
  id: string;
  caseNo: string;
  status: string;
  gridId: string;
  gridName: string;
  level: CaseLevel;
  responseDueAt: string | null;
  handleDueAt: string | null;
  receiptEntryId: number | null;
}

/** An answer to one of a sub-category's extra questions (附加信息): text, a number, or the keys of a multiple choice. */
export type CaseAttributeAnswer = string | number | string[];

export interface CaseReportInput {
  categoryCode: string;
  description: string;
  urgency?: CaseUrgency;
  lng?: number;
  lat?: number;
  buildingId?: string;
  locationText?: string;
  anonymous?: boolean;
  contactName?: string;
  contactPhone?: string;
  photoIds?: string[];
  reporterPersonId?: string;
  /** Answers to the sub-category's extra questions, by attribute code; the server checks them against the category. */
  attributes?: Record<string, CaseAttributeAnswer>;
}

export interface CasePhoto {
  id: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
}

/** A similar case the asker may read: number, distance, time and the first words (digits hidden). */
export interface ReadableSimilarCase {
  kind: "case";
  id: string;
  caseNo: string;
  status: string;
  statusLabel: string;
  distanceM: number;
  submittedAt: string;
  excerpt: string;
}

/** For a resident, another open case nearby as the public board shows it: no number, words or distance. */
export interface BoardSimilarCase {
  kind: "board";
  summary: { zh: string; en: string };
  gridName: string;
  status: string;
  statusLabel: string;
  /** China calendar day. */
  submittedOn: string;
}

export type SimilarCase = ReadableSimilarCase | BoardSimilarCase;

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

/** The list's address: `status` repeats for several, which the flat query helper cannot say. */
export function caseListUrl(filter: CaseListFilter): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v as string[]) params.append(k, item);
    else params.set(k, String(v as string | number | boolean));
  }
  const qs = params.toString();
  return qs ? `/api/cases?${qs}` : "/api/cases";
}

export function useCaseList(filter: CaseListFilter, options: { enabled?: boolean; refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: caseKeys.list(filter),
    queryFn: ({ signal }) => api<CaseList>(caseListUrl(filter), { signal }),
    placeholderData: (prev) => prev,
    enabled: options.enabled ?? true,
    ...(options.refetchInterval ? { refetchInterval: options.refetchInterval } : {}),
  });
}

export function useCase(id: string | undefined) {
  return useQuery({
    queryKey: caseKeys.detail(id),
    queryFn: ({ signal }) => api<CaseDetail>(`/api/cases/${encodeURIComponent(id ?? "")}`, { signal }),
    enabled: Boolean(id),
  });
}

/** Open cases of the same sub-category nearby (informational on the report form). */
export function useSimilarCases(q: { categoryCode: string; lng: number; lat: number } | null) {
  return useQuery({
    queryKey: caseKeys.similar(q),
    queryFn: ({ signal }) => api<{ items: SimilarCase[] }>("/api/cases/similar", { query: q ?? {}, signal }),
    enabled: q !== null,
    staleTime: 30_000,
  });
}

/** Upload one photo as the raw body with the file's own type; answers its id to attach. */
export function uploadCasePhoto(file: Blob): Promise<CasePhoto> {
  return api<CasePhoto>("/api/case-photos", { method: "POST", file });
}

/** Report a case; the key makes a repeated tap answer case_duplicate_submission instead of a second case. */
export function useReportCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ idempotencyKey, ...input }: CaseReportInput & { idempotencyKey: string }) =>
      api<CaseSubmissionReceipt>("/api/cases", { method: "POST", body: input, headers: { "Idempotency-Key": idempotencyKey } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["cases", "list"] }),
  });
}

/** The body each step's route takes. */
export interface CaseActionBodies {
  register: { note?: string | null };
  reject: { reason: string };
  dispatch: { level?: CaseLevel; orgId?: string | null; note?: string | null };
  receive: { note?: string | null };
  start: { note?: string | null };
  return: { reason: string };
  feedback: { note: string; evidence?: string[] };
  verify: { passed: boolean; note?: string | null };
  close: { note?: string | null };
  rate: { resolved: boolean; rating: CaseRating; comment?: string | null };
  reopen: { reason: string };
  escalate: { reason: string; toLevel?: CaseLevel; orgId?: string | null };
  "send-down": { toLevel: CaseLevel; reason: string };
  park: { reason: string };
  unpark: { note?: string | null };
  cancel: { reason: string };
  extensions: { reason: string; extraValue: number; extraUnit: LimitUnit };
}
export type CaseActionPath = keyof CaseActionBodies;
/** One step to run: its route and its body, matched. */
export type CaseActionRequest = { [P in CaseActionPath]: { path: P; body: CaseActionBodies[P] } }[CaseActionPath];

/** Run one step on a case; the answer is the case as it now is, put straight into the cache. */
export async function runCaseAction<P extends CaseActionPath>(id: string, path: P, body: CaseActionBodies[P]): Promise<CaseDetail> {
  return api<CaseDetail>(`/api/cases/${encodeURIComponent(id)}/${path}`, { method: "POST", body });
}

export function useCaseAction(id: string) {
  const queryClient = useQueryClient();
  return useMutation<CaseDetail, Error, CaseActionRequest>({
    mutationFn: (request) => runCaseAction(id, request.path, request.body),
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
      api<CaseDetail>(`/api/cases/${encodeURIComponent(id)}/extensions/${encodeURIComponent(extensionId)}/decision`, { method: "POST", body: { approve, note: note ?? null } }),
    onSuccess: (detail) => {
      queryClient.setQueryData(caseKeys.detail(id), detail);
      void queryClient.invalidateQueries({ queryKey: ["cases", "list"] });
    },
  });
}
