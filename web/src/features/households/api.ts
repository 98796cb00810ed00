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
  /** The staff's note on the household: on the detail only, for roles that may see its clear personal data (absent otherwise). */
  note?: string | null;
  /** False when the detail came with clear values (read for a worker's task, audited). */
  masked?: boolean;
  /** What the signed-in person may do with this household: read, update, readClear. */
  abilities?: Record<string, boolean>;
  /** The dwelling it lives in, and that dwelling's building (null for an unregistered dwelling). */
  dwellingId?: string;
  buildingId?: string | null;
  /** The red grid member looking after the household (detail only); name masked unless the role needs it. */
  redGridMember?: { memberId: string; name: string; pinned: boolean } | null;
}

/** One entry of a household's move history (迁移记录); places masked unless the role needs them. */
export interface HouseholdMove {
  id: string;
  fromDwellingId: string | null;
  fromPlace: string | null;
  fromBuildingId: string | null;
  toDwellingId: string;
  toPlace: string | null;
  toBuildingId: string | null;
  movedOn: string;
  recordedAt: string;
}

export interface HouseholdMoveResult {
  household: HouseholdItem;
  move: { id: string; movedOn: string; gridChanged: boolean };
  redGrid: { dropped: boolean; pinnedKept: boolean };
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
  moves: (id: string | undefined) => ["households", "moves", id] as const,
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
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: (memberId: string | null) =>
      api<{ householdId: string; memberId: string | null }>(`/api/households/${encodeURIComponent(id)}/red-grid-member`, {
        method: "PUT",
        body: { memberId },
      }),
    // The household shows its member (`redGridMember`), so its detail is read again too.
    onSuccess: () => changed(id),
  });
}

/** Drops a pin: the household goes back to the computed assignment on the next run. */
export function useUnpinRedGridMember(id: string) {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: () => api<null>(`/api/households/${encodeURIComponent(id)}/red-grid-member`, { method: "DELETE" }),
    onSuccess: () => changed(id),
  });
}

/** Refreshes what a household change touches: lists, the detail, places (building pages) and red grid figures. */
function useHouseholdChanged() {
  const queryClient = useQueryClient();
  return (id: string | undefined, data?: HouseholdItem) => {
    if (id && data) queryClient.setQueryData(householdKeys.detail(id), data);
    void queryClient.invalidateQueries({ queryKey: ["households"], predicate: (q) => !(data && q.queryKey[1] === "detail" && q.queryKey[2] === id) });
    void queryClient.invalidateQueries({ queryKey: ["places"] });
    void queryClient.invalidateQueries({ queryKey: ["persons"] });
    void queryClient.invalidateQueries({ queryKey: ["redGrid"] });
  };
}

export interface HouseholdPatch {
  headName?: string;
  size?: number;
  note?: string | null;
  address?: string;
}

/** Edits the registered head, size, address or note. */
export function useUpdateHousehold(id: string) {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: (patch: HouseholdPatch) => api<HouseholdItem>(`/api/households/${encodeURIComponent(id)}`, { method: "PATCH", body: patch }),
    onSuccess: (data) => changed(id, data),
  });
}

/** Registers a household in a dwelling; the address is composed by the server unless given. */
export function useCreateHousehold() {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: (input: { dwellingId: string; headName: string; size: number; note?: string | null; movedInOn?: string }) =>
      api<HouseholdItem>("/api/households", { method: "POST", body: input }),
    onSuccess: (data) => changed(data.id, data),
  });
}

/** Moves a household to another dwelling on a day (history kept). */
export function useMoveHousehold(id: string) {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: (input: { toDwellingId: string; movedOn: string }) =>
      api<HouseholdMoveResult>(`/api/households/${encodeURIComponent(id)}/move`, { method: "POST", body: input }),
    onSuccess: (data) => changed(id, data.household),
  });
}

export function useHouseholdMoves(id: string | undefined) {
  return useQuery({
    queryKey: householdKeys.moves(id),
    queryFn: ({ signal }) => api<{ items: HouseholdMove[] }>(`/api/households/${encodeURIComponent(id ?? "")}/moves`, { signal }).then((r) => r.items),
    enabled: Boolean(id),
  });
}
