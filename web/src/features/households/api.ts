import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";

/** 户: a household as listed; address and head's name come masked for most roles. */
export interface HouseholdItem {
  id: string;
  gridId: string;
  gridName: string;
  address: string;
  headName: string;
  size: number;
  /** The worker's note on the household. */
  note?: string | null;
  /** False when the detail came with clear values (read for a worker's task, audited). */
  masked?: boolean;
  /** What the signed-in person may do with this household: read, update, readClear. */
  abilities?: Record<string, boolean>;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function fetchHouseholds(areaId: string, page: number, pageSize: number, signal?: AbortSignal) {
  return api<Page<HouseholdItem>>("/api/households", { query: { areaId, page, pageSize }, ...(signal ? { signal } : {}) });
}

export function useHouseholdsPage(areaId: string | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: ["households", areaId, page, pageSize],
    queryFn: ({ signal }) => fetchHouseholds(areaId ?? "", page, pageSize, signal),
    enabled: Boolean(areaId),
    placeholderData: (prev) => prev,
  });
}

export function useHouseholdsInfinite(areaId: string | undefined, pageSize = 20) {
  return useInfiniteQuery({
    queryKey: ["households", "infinite", areaId, pageSize],
    queryFn: ({ pageParam, signal }) => fetchHouseholds(areaId ?? "", pageParam, pageSize, signal),
    initialPageParam: 1,
    getNextPageParam: (last) => (last.page * last.pageSize < last.total ? last.page + 1 : undefined),
    enabled: Boolean(areaId),
  });
}

export const householdKeys = {
  detail: (id: string | undefined) => ["households", "detail", id] as const,
};

export function useHousehold(id: string | undefined) {
  return useQuery({
    queryKey: householdKeys.detail(id),
    queryFn: ({ signal }) => api<HouseholdItem>(`/api/households/${encodeURIComponent(id ?? "")}`, { signal }),
    enabled: Boolean(id),
  });
}

/** 备注: the worker's note; an empty note is stored as none. */
export function useUpdateHouseholdNote(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (note: string | null) =>
      api<HouseholdItem>(`/api/households/${encodeURIComponent(id)}`, { method: "PATCH", body: { note } }),
    onSuccess: (data) => {
      queryClient.setQueryData(householdKeys.detail(id), data);
      void queryClient.invalidateQueries({ queryKey: ["households"], predicate: (q) => q.queryKey[1] !== "detail" });
    },
  });
}

/**
 * Pins a household to a red grid member of its grid, or deliberately to no one (null). The pin
 * is kept on every re-run of the assignment.
 */
export function usePinRedGridMember(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (memberId: string | null) =>
      api<{ householdId: string; memberId: string | null }>(`/api/households/${encodeURIComponent(id)}/red-grid-member`, {
        method: "PUT",
        body: { memberId },
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["redGrid"] }),
  });
}
