import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, isApiError, type Answer, type Schema } from "../../../api";

/** Coverage of the red grid rule under an area; `street` holds the area's own figures. */
export type CoverageReport = Schema<"CoverageReport">;
/** 党组织覆盖, 党员入格 and 户联系 of one area. */
export type CoverageFigures = CoverageReport["street"];
/** A ratio as the server computes it (null when the denominator is 0), with the formula shown next to it. */
export type CoverageRatio = Pick<CoverageFigures["grids"], "ratio" | "numerator" | "denominator" | "formula" | "formulaEn">;
export type AssignResult = Schema<"RedGridAssignResult">;
type NoticeCode = AssignResult["notices"][number]["code"];
/** 网格拓扑检查 of a community: how its grids fail to tile it (areas in m², messages in the request's language). */
export type TopologyReport = Schema<"TopologyReport">;
/** A red grid member of a grid with the households they look after. */
export type RedGridMemberItem = Answer<"get", "/api/areas/{id}/red-grid/members">["items"][number];

/** Reasons a household was left without a member; the answer counts them by reason. */
export const unassignedReasons = ["noMemberInGrid", "capacity", "overrideNone"] as const;
/** The notice codes with a message, in the order shown; the same set as the server's (checked below). */
export const noticeCodes = [
  "overrideUnknownHousehold",
  "overrideUnknownMember",
  "overrideUnavailableMember",
  "overrideConflict",
  "overrideAboveMax",
] as const satisfies readonly NoticeCode[];
type Nothing<T extends never> = T;
/** Fails to compile, naming the code, when the server has a notice code this list lacks. */
export type NoticeCodesMissing = Nothing<Exclude<NoticeCode, (typeof noticeCodes)[number]>>;

export const redGridKeys = {
  coverage: (areaId: string | undefined) => ["redGrid", "coverage", areaId] as const,
  topology: (communityId: string | undefined) => ["redGrid", "topology", communityId] as const,
  members: (areaId: string | undefined) => ["redGrid", "members", areaId] as const,
};

function fetchCoverage(areaId: string, signal: AbortSignal) {
  return http.get("/api/areas/{id}/red-grid/coverage", { params: { path: { id: areaId } }, signal });
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

/**
 * The coverage of every grid under some areas (usually one: the map's street or community), each
 * area answered in one request, for colouring the map and the per-grid table.
 */
export function useGridCoverages(areaIds: readonly string[], enabled: boolean) {
  return useQueries({
    queries: areaIds.map((id) => ({
      queryKey: [...redGridKeys.coverage(id), "grids"] as const,
      queryFn: ({ signal }: { signal: AbortSignal }) => http.get("/api/areas/{id}/red-grid/coverage/grids", { params: { path: { id } }, signal }),
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
    mutationFn: () => http.post("/api/areas/{id}/red-grid/assign", { params: { path: { id: areaId ?? "" } } }),
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
    queryFn: ({ signal }) => http.get("/api/areas/{id}/topology", { params: { path: { id: communityId ?? "" } }, signal }),
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
    queryFn: ({ signal }) => http.get("/api/areas/{id}/red-grid/members", { params: { path: { id: gridId ?? "" } }, signal }).then((r) => r.items),
    enabled: Boolean(gridId),
    staleTime: 60_000,
  });
}
