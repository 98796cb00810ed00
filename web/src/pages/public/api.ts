import { useQuery } from "@tanstack/react-query";
import { api } from "../../api";

export interface Label {
  zh: string;
  en: string;
}

export interface PublicCommunity {
  id: string;
  name: string;
  streetName: string | null;
  districtName: string | null;
}

export interface BoardItem {
  caseNo: string;
  categoryCode: string;
  categoryName: string;
  summary: Label;
  status: string;
  statusLabel: Label;
  open: boolean;
  gridName: string;
  submittedOn: string;
  closedOn: string | null;
  onTime: boolean | null;
  overdue: boolean;
}

export interface Board {
  community: PublicCommunity;
  month: string;
  summary: { reported: number; closed: number; closedOnTime: number; onTimeRate: number | null };
  items: BoardItem[];
  total: number;
  page: number;
  pageSize: number;
}

export type BoardFilter = "all" | "open" | "closed";

export function usePublicCommunities() {
  return useQuery({
    queryKey: ["public", "communities"],
    queryFn: ({ signal }) => api<{ items: PublicCommunity[] }>("/api/public/communities", { signal, noAuthRedirect: true }),
  });
}

export function useBoard(communityId: string | undefined, filter: BoardFilter, page: number) {
  return useQuery({
    queryKey: ["public", "board", communityId, filter, page],
    enabled: communityId !== undefined,
    queryFn: ({ signal }) =>
      api<Board>(`/api/public/communities/${communityId}/cases`, {
        signal,
        noAuthRedirect: true,
        query: { status: filter === "all" ? undefined : filter, page },
      }),
  });
}
