import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type Schema } from "../../../api";

/** 户: a household, as listed and as one record (address and head's name masked for most roles). */
export type HouseholdItem = Schema<"Household">;

/** One entry of a household's move history (迁移记录); places masked unless the role needs them. */
export type HouseholdMove = Schema<"HouseholdMove">;

export type HouseholdMoveResult = Answer<"post", "/api/households/{id}/move">;

export function fetchHouseholds(areaId: string, page: number, pageSize: number, signal?: AbortSignal) {
  return http.get("/api/households", { params: { query: { areaId, page, pageSize } }, ...(signal ? { signal } : {}) });
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
    queryFn: ({ signal }) => http.get("/api/households/{id}", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

/** 备注: the worker's note; an empty note is stored as none. */
export function useUpdateHouseholdNote(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (note: string | null) =>
      http.patch("/api/households/{id}", { params: { path: { id } }, body: { note } }),
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
      http.put("/api/households/{id}/red-grid-member", { params: { path: { id } }, body: { memberId } }),
    // The household shows its member (`redGridMember`), so its detail is read again too.
    onSuccess: () => changed(id),
  });
}

/** Drops a pin: the household goes back to the computed assignment on the next run. */
export function useUnpinRedGridMember(id: string) {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: () => http.delete("/api/households/{id}/red-grid-member", { params: { path: { id } } }),
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

export type HouseholdPatch = Body<"patch", "/api/households/{id}">;

/** Edits the registered head, size, address or note. */
export function useUpdateHousehold(id: string) {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: (patch: HouseholdPatch) => http.patch("/api/households/{id}", { params: { path: { id } }, body: patch }),
    onSuccess: (data) => changed(id, data),
  });
}

/** Registers a household in a dwelling; the address is composed by the server unless given. */
export function useCreateHousehold() {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: (input: Body<"post", "/api/households">) => http.post("/api/households", { body: input }),
    onSuccess: (data) => changed(data.id, data),
  });
}

/** Moves a household to another dwelling on a day (history kept). */
export function useMoveHousehold(id: string) {
  const changed = useHouseholdChanged();
  return useMutation({
    mutationFn: (input: Body<"post", "/api/households/{id}/move">) => http.post("/api/households/{id}/move", { params: { path: { id } }, body: input }),
    onSuccess: (data) => changed(id, data.household),
  });
}

export function useHouseholdMoves(id: string | undefined) {
  return useQuery({
    queryKey: householdKeys.moves(id),
    queryFn: ({ signal }) => http.get("/api/households/{id}/moves", { params: { path: { id: id ?? "" } }, signal }).then((r) => r.items),
    enabled: Boolean(id),
  });
}
