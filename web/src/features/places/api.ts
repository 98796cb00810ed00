import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type Schema } from "../../api";

/** 小区/院落 */
export type Compound = Schema<"Compound">;

/** 楼栋 as listed. */
export type BuildingSummary = Answer<"get", "/api/buildings">["items"][number];

/** One building with its units, dwellings and households; heads' names masked unless the role needs them. */
export type BuildingDetail = Schema<"BuildingDetail">;
export type DwellingCell = BuildingDetail["units"][number]["dwellings"][number];
export type BuildingRegrid = NonNullable<Answer<"patch", "/api/buildings/{id}">["regrid"]>;

export const placeKeys = {
  compounds: (communityId: string | undefined) => ["places", "compounds", communityId] as const,
  buildings: (by: { gridId?: string | undefined; compoundId?: string | undefined }) => ["places", "buildings", by.gridId ?? "", by.compoundId ?? ""] as const,
  building: (id: string | undefined) => ["places", "building", id] as const,
};

export function useCompounds(communityId: string | undefined) {
  return useQuery({
    queryKey: placeKeys.compounds(communityId),
    queryFn: ({ signal }) => http.get("/api/compounds", { params: { query: { communityId: communityId ?? "" } }, signal }).then((r) => r.items),
    enabled: Boolean(communityId),
  });
}

export function useBuildings(by: { gridId?: string | undefined; compoundId?: string | undefined }) {
  return useQuery({
    queryKey: placeKeys.buildings(by),
    queryFn: ({ signal }) => http.get("/api/buildings", { params: { query: by }, signal }).then((r) => r.items),
    enabled: Boolean(by.gridId || by.compoundId),
  });
}

export function useBuilding(id: string | undefined) {
  return useQuery({
    queryKey: placeKeys.building(id),
    queryFn: ({ signal }) => http.get("/api/buildings/{id}", { params: { path: { id: id ?? "" } }, signal }),
    enabled: Boolean(id),
  });
}

/** Every place write refreshes the place queries (and households, whose addresses and grids may follow). */
function usePlaceMutation<I, O>(fn: (input: I) => Promise<O>, alsoHouseholds = false) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ["places"] });
      if (alsoHouseholds) {
        void queryClient.invalidateQueries({ queryKey: ["households"] });
        void queryClient.invalidateQueries({ queryKey: ["persons"] });
      }
    },
  });
}

export function useCreateCompound() {
  return usePlaceMutation((input: Body<"post", "/api/compounds">) => http.post("/api/compounds", { body: input }));
}

export function useUpdateCompound() {
  return usePlaceMutation((input: { id: string } & Body<"patch", "/api/compounds/{id}">) => {
    const { id, ...body } = input;
    return http.patch("/api/compounds/{id}", { params: { path: { id } }, body });
  }, true);
}

export function useDeleteCompound() {
  return usePlaceMutation((id: string) => http.delete("/api/compounds/{id}", { params: { path: { id } } }));
}

export function useCreateBuilding() {
  return usePlaceMutation((input: Body<"post", "/api/buildings">) => http.post("/api/buildings", { body: input }),
  );
}

export function useUpdateBuilding(id: string) {
  return usePlaceMutation(
    (patch: Body<"patch", "/api/buildings/{id}">) => http.patch("/api/buildings/{id}", { params: { path: { id } }, body: patch }),
    true,
  );
}

export function useDeleteBuilding(id: string) {
  return usePlaceMutation(() => http.delete("/api/buildings/{id}", { params: { path: { id } } }));
}

export function useCreateUnit(buildingId: string) {
  return usePlaceMutation((input: { name: string }) => http.post("/api/buildings/{id}/units", { params: { path: { id: buildingId } }, body: input }));
}

export function useRenameUnit() {
  return usePlaceMutation((input: { id: string; name: string }) => http.patch("/api/units/{id}", { params: { path: { id: input.id } }, body: { name: input.name } }));
}

export function useDeleteUnit() {
  return usePlaceMutation((id: string) => http.delete("/api/units/{id}", { params: { path: { id } } }));
}

export function useCreateDwelling() {
  return usePlaceMutation((input: { unitId: string } & Body<"post", "/api/units/{id}/dwellings">) => {
    const { unitId, ...body } = input;
    return http.post("/api/units/{id}/dwellings", { params: { path: { id: unitId } }, body });
  });
}

export function useUpdateDwelling() {
  return usePlaceMutation((input: { id: string; floorAreaM2: number | null }) =>
    http.patch("/api/dwellings/{id}", { params: { path: { id: input.id } }, body: { floorAreaM2: input.floorAreaM2 } }),
  );
}

export function useDeleteDwelling() {
  return usePlaceMutation((id: string) => http.delete("/api/dwellings/{id}", { params: { path: { id } } }));
}
