/** 吹哨报到 on the client: the summons queue, departments to summon, and the steps of a summons. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";

export type SummonsStatus = "summoned" | "reportedIn" | "finished";
export type LimitUnit = "workingHours" | "workingDays" | "naturalHours";

export interface TimeLimit {
  value: number;
  unit: LimitUnit;
}

export interface SummonsItem {
  id: string;
  whistleId: string;
  status: SummonsStatus;
  departmentOrgId: string;
  departmentName: string;
  reportInDueAt: string;
  reportedInAt: string | null;
  reportedInOnTime: boolean | null;
  finishedAt: string | null;
  finishNote: string | null;
  evidence: string[];
  score: number | null;
  scoreNote: string | null;
  scoredAt: string | null;
  createdAt: string;
  overdue: boolean;
  whistle: { areaId: string; areaName: string; reason: string; blownAt: string };
  case: { id: string; caseNo: string; categoryName: string; status: string; statusLabel: { code: string; zh: string; en: string }; gridName: string; summary: string };
  abilities: { read: boolean; reportIn: boolean; finish: boolean; score: boolean };
}

export interface SummonsFilter {
  status?: SummonsStatus | undefined;
  caseNo?: string | undefined;
  overdue?: boolean | undefined;
  page: number;
  pageSize: number;
}

export interface DepartmentOption {
  id: string;
  name: string;
  areaId: string | null;
  areaName: string | null;
  activeOnCase: boolean;
}

export interface SummonsStatsRow {
  departmentOrgId: string;
  departmentName: string;
  summoned: number;
  reportedIn: number;
  reportedInOnTime: number;
  finished: number;
  scored: number;
  meanScore: number | null;
}

export interface WhistleResult {
  id: string;
  caseId: string;
  reason: string;
  blownAt: string;
  reportInLimit: TimeLimit;
  summons: { id: string; departmentOrgId: string; departmentName: string; reportInDueAt: string }[];
}

const summonsKey = ["summons"] as const;

export function useSummonsQueue(filter: SummonsFilter) {
  return useQuery({
    queryKey: [...summonsKey, "list", filter],
    queryFn: () => api<{ items: SummonsItem[]; total: number }>("/api/summons", { query: { ...filter } }),
    placeholderData: (prev) => prev,
  });
}

export function useSummonsStats(month: string) {
  return useQuery({
    queryKey: [...summonsKey, "stats", month],
    queryFn: () => api<{ month: string; items: SummonsStatsRow[] }>("/api/summons/stats", { query: { month } }),
  });
}

export function useDepartments(caseId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ["departments", caseId ?? null],
    queryFn: () => api<{ items: DepartmentOption[] }>("/api/departments", { query: { caseId } }).then((r) => r.items),
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
    mutationFn: (v: { caseId: string; departmentOrgIds: string[]; reason: string; reportInLimit: TimeLimit }) =>
      api<WhistleResult>(`/api/cases/${v.caseId}/whistle`, {
        method: "POST",
        body: { departmentOrgIds: v.departmentOrgIds, reason: v.reason, reportInLimit: v.reportInLimit },
      }),
    onSuccess: (_r, v) => invalidate(v.caseId),
  });
}

export function useReportIn() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; note?: string | null }) => api<SummonsItem>(`/api/summons/${v.id}/report-in`, { method: "POST", body: { note: v.note ?? null } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

export function useFinishSummons() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; note: string; evidence: string[] }) =>
      api<SummonsItem>(`/api/summons/${v.id}/finish`, { method: "POST", body: { note: v.note, evidence: v.evidence } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

export function useScoreSummons() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; score: number; note?: string | null }) =>
      api<SummonsItem>(`/api/summons/${v.id}/score`, { method: "POST", body: { score: v.score, note: v.note ?? null } }),
    onSuccess: (r) => invalidate(r.case.id),
  });
}

/** The report-in limits offered when blowing the whistle. */
export const reportInChoices: { key: string; limit: TimeLimit }[] = [
  { key: "30min", limit: { value: 0.5, unit: "naturalHours" } },
  { key: "2h", limit: { value: 2, unit: "workingHours" } },
  { key: "1d", limit: { value: 1, unit: "workingDays" } },
];
