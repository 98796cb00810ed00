import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "../../api";

/** 户: a household as listed; address and head's name come masked for most roles. */
export interface HouseholdItem {
  id: string;
  gridId: string;
  gridName: string;
  address: string;
  headName: string;
  size: number;
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

export function useHousehold(id: string | undefined) {
  return useQuery({
    queryKey: ["households", "detail", id],
    queryFn: ({ signal }) => api<HouseholdItem>(`/api/households/${encodeURIComponent(id ?? "")}`, { signal }),
    enabled: Boolean(id),
  });
}
