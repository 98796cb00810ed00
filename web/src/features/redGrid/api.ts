import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Geometry } from "geojson";
import { api, isApiError } from "../../api";

/** A ratio as the server computes it, with the formula that is shown next to it. */
export interface CoverageRatio {
  /** numerator / denominator; null when the denominator is 0. */
  ratio: number | null;
  numerator: number;
  denominator: number;
  /** zh-CN */
  formula: string;
  formulaEn: string;
}

export interface CoverageFigures {
  /** 党组织覆盖: grids with a party organization (a grid party branch). */
  grids: CoverageRatio & { withoutPartyOrg: { id: string; name: string }[] };
  /** 党员入格: party members placed in a grid. */
  members: CoverageRatio & { notInGrid: string[] };
  /** 户联系: households with a red grid member. */
  households: CoverageRatio & { withoutRedGridMember: number; withoutRedGridMemberIds: string[] };
}

export interface CoverageReport {
  /** The whole area asked for (a street, a community or a grid), whatever its level. */
  street: CoverageFigures;
  communities: (CoverageFigures & { communityId: string; name: string | null })[];
}

export type AssignmentReason = "override" | "own" | "kin" | "sameBuilding" | "nearest" | "neighbourGrid";
export const unassignedReasons = ["noMemberInGrid", "capacity", "overrideNone"] as const;
export const noticeCodes = [
  "overrideUnknownHousehold",
  "overrideUnknownMember",
  "overrideUnavailableMember",
  "overrideConflict",
  "overrideAboveMax",
] as const;

export interface AssignResult {
  stats: {
    households: number;
    assigned: number;
    members: number;
    minLoad: number;
    maxLoad: number;
    membersInRange: number;
    meanDistanceM: number;
  };
  notices: { code: string; householdId: string | null; memberId: string | null }[];
  /** Households left without a member, by reason (noMemberInGrid, capacity, overrideNone). */
  unassigned: Record<string, number>;
}

export interface GridRef {
  id: string;
  code?: string | null;
  name: string;
}

/** 网格拓扑检查 of a community: how its grids fail to tile it (areas in m², zh-CN messages). */
export interface TopologyReport {
  ok: boolean;
  communityAreaM2: number;
  overlaps: { gridA: GridRef; gridB: GridRef; areaM2: number; geometry: Geometry; message: string }[];
  gaps: { areaM2: number; geometry: Geometry; message: string }[];
  outside: { grid: GridRef; areaM2: number; geometry: Geometry; message: string }[];
  /** `grid` null: the community's own boundary is malformed. */
  invalid: { grid: GridRef | null; problems: { code: string; message: string }[] }[];
}

/**
 * A red grid member of a grid with the households they look after. Not served yet: this is the
 * contract asked of `GET /api/areas/:id/red-grid/members` (see the web README).
 */
export interface RedGridMemberItem {
  memberId: string;
  personId: string | null;
  gridId: string;
  name: string;
  status?: string;
  partyOrgName?: string | null;
  households: number;
}

export const redGridKeys = {
  coverage: (areaId: string | undefined) => ["redGrid", "coverage", areaId] as const,
  topology: (communityId: string | undefined) => ["redGrid", "topology", communityId] as const,
  members: (areaId: string | undefined) => ["redGrid", "members", areaId] as const,
};

function fetchCoverage(areaId: string, signal: AbortSignal) {
  return api<CoverageReport>(`/api/areas/${encodeURIComponent(areaId)}/red-grid/coverage`, { signal });
}

/** Coverage of the red grid rule under an area; `street` holds the area's own figures. */
export function useCoverage(areaId: string | undefined) {
  return useQuery({
    queryKey: redGridKeys.coverage(areaId),
    queryFn: ({ signal }) => fetchCoverage(areaId ?? "", signal),
    enabled: Boolean(areaId),
    staleTime: 60_000,
  });
}

/** One grid's figures as `GET /api/areas/:id/red-grid/coverage/grids` gives them (no household ids). */
export interface GridCoverageItem {
  gridId: string;
  name: string;
  communityId: string;
  grids: CoverageFigures["grids"];
  members: CoverageFigures["members"];
  households: Omit<CoverageFigures["households"], "withoutRedGridMemberIds">;
}

/**
 * The coverage of every grid under some areas (usually one: the map's street or community), each
 * area answered in one request, for colouring the map and the per-grid table.
 */
export function useGridCoverages(areaIds: readonly string[], enabled: boolean) {
  return useQueries({
    queries: areaIds.map((id) => ({
      queryKey: [...redGridKeys.coverage(id), "grids"] as const,
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api<{ items: GridCoverageItem[] }>(`/api/areas/${encodeURIComponent(id)}/red-grid/coverage/grids`, { signal }),
      enabled,
      staleTime: 60_000,
    })),
    combine: (results) => {
      const byGrid = new Map<string, CoverageFigures>();
      for (const r of results) {
        for (const g of r.data?.items ?? []) {
          byGrid.set(g.gridId, { grids: g.grids, members: g.members, households: { ...g.households, withoutRedGridMemberIds: [] } });
        }
      }
      return {
        byGrid,
        pending: results.some((r) => r.isPending && r.fetchStatus !== "idle"),
        error: results.find((r) => r.isError)?.error ?? null,
      };
    },
  });
}

/** Re-runs the assignment under the area; pinned households stay as they were pinned. */
export function useAssignRedGrid(areaId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<AssignResult>(`/api/areas/${encodeURIComponent(areaId ?? "")}/red-grid/assign`, { method: "POST" }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ["redGrid"] }),
  });
}

/** `route_not_found`: the server does not offer this yet (an older server, or work in progress). */
export function isNotOffered(error: unknown): boolean {
  return isApiError(error) && error.code === "route_not_found";
}

export function useTopology(communityId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: redGridKeys.topology(communityId),
    queryFn: ({ signal }) => api<TopologyReport>(`/api/areas/${encodeURIComponent(communityId ?? "")}/topology`, { signal }),
    enabled: enabled && Boolean(communityId),
    staleTime: 5 * 60_000,
  });
}

/**
 * The red grid members of a grid with their loads. Asks the endpoint proposed in the web README;
 * until the server offers it the answer is `route_not_found` and the pages say so.
 */
export function useRedGridMembers(gridId: string | undefined) {
  return useQuery({
    queryKey: redGridKeys.members(gridId),
    queryFn: ({ signal }) =>
      api<{ items: RedGridMemberItem[] }>(`/api/areas/${encodeURIComponent(gridId ?? "")}/red-grid/members`, { signal }).then((r) => r.items),
    enabled: Boolean(gridId),
    staleTime: 60_000,
  });
}
