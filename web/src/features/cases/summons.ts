/** 吹哨报到 on the client: the summons queue, departments to summon, and the steps of a summons. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type QueryOf, type Schema } from "../../api";

export type SummonsItem = Schema<"Summons">;
export type SummonsStatus = SummonsItem["status"];
export type TimeLimit = Schema<"Whistle">["reportInLimit"];
export type WhistleResult = Schema<"Whistle">;
export type DepartmentOption = Answer<"get", "/api/departments">["items"][number];
export type SummonsStatsRow = Answer<"get", "/api/summons/stats">["items"][number];

/** The queue's filter: the route's query, always paged. */
export type SummonsFilter = QueryOf<"get", "/api/summons"> & { page: number; pageSize: number };

const summonsKey = ["summons"] as const;

export function useSummonsQueue(filter: SummonsFilter, enabled = true) {
  return useQuery({
    queryKey: [...summonsKey, "list", filter],
    queryFn: () => http.get("/api/summons", { params: { query: filter } }),
    placeholderData: (prev) => prev,
    enabled,
  });
}

export function useSummonsStats(month: string) {
  return useQuery({
    queryKey: [...summonsKey, "stats", month],
    queryFn: () => http.get("/api/summons/stats", { params: { query: { month } } }),
  });
}

export function useDepartments(caseId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ["departments", caseId ?? null],
    queryFn: () => http.get("/api/departments", { params: { query: { caseId } } }).then((r) => r.items),
    enabled,
  });
}

/** Refresh every summons list and the case (its timeline gained a step). */
function useInvalidate() {
  const qc = useQueryClient();
  return async (caseId?: string) => {
    await qc.invalidateQueries({ queryKey: summonsKey });
    await qc.invalidateQueries({ queryKey: ["departments"] });
    if (caseId) await qc.invalidateQueries({ queryKey: ["case", caseId] });
    await qc.invalidateQueries({ queryKey: ["cases"] });
  };
}

export function useBlowWhistle() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ caseId, ...body }: Body<"post", "/api/cases/{id}/whistle"> & { caseId: string }) =>
      http.post("/api/cases/{id}/whistle", { params: { path: { id: caseId } }, body }),
    onSuccess: (_r, v) => invalidate(v.caseId),
  });
}

export function useReportIn() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; note?: string | null }) => http.post("/api/summons/{id}/report-in", { params: { path: { id: v.id } }, body: { note: v.note ?? null } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

export function useFinishSummons() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; note: string; evidence: string[] }) =>
      http.post("/api/summons/{id}/finish", { params: { path: { id: v.id } }, body: { note: v.note, evidence: v.evidence } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

/** 撤回 / 免予报到 (the summoning side), with a reason. */
export function useEndSummons() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; as: "withdraw" | "excuse"; reason: string }) =>
      v.as === "withdraw"
        ? http.post("/api/summons/{id}/withdraw", { params: { path: { id: v.id } }, body: { reason: v.reason } })
        : http.post("/api/summons/{id}/excuse", { params: { path: { id: v.id } }, body: { reason: v.reason } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

/** 代为登记: the summoning side records the department's part for it. */
export function useRecordOnBehalf() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; note: string; evidence: string[] }) =>
      http.post("/api/summons/{id}/record-on-behalf", { params: { path: { id: v.id } }, body: { note: v.note, evidence: v.evidence } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

export function useScoreSummons() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; score: number; note?: string | null }) =>
      http.post("/api/summons/{id}/score", { params: { path: { id: v.id } }, body: { score: v.score, note: v.note ?? null } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

/** The report-in limits offered when blowing the whistle. */
export const reportInChoices: { key: string; limit: TimeLimit }[] = [
  { key: "30min", limit: { value: 0.5, unit: "naturalHours" } },
  { key: "2h", limit: { value: 2, unit: "workingHours" } },
  { key: "1d", limit: { value: 1, unit: "workingDays" } },
];
