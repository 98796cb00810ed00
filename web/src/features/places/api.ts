import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";

/** 小区/院落 */
export interface Compound {
  id: string;
  communityId: string;
  name: string;
  address: string;
  buildingCount: number;
  abilities?: Record<string, boolean>;
}

/** 楼栋 as listed. */
export interface BuildingSummary {
  id: string;
  compoundId: string;
  compoundName: string;
  gridId: string;
  gridName: string;
  name: string;
  floors: number;
  lng: number;
  lat: number;
  unitCount: number;
  dwellingCount: number;
  householdCount: number;
}

export interface DwellingCell {
  id: string;
  floor: number;
  roomNo: string;
  floorAreaM2: number | null;
  /** Heads' names come masked unless the role needs them (then the read is audited). */
  households: { id: string; headName: string; size: number }[];
}

export interface BuildingDetail extends BuildingSummary {
  communityId: string;
  buildingHeads: { personId: string; name: string }[];
  units: { id: string; name: string; dwellings: DwellingCell[] }[];
  masked: boolean;
  /** read, edit (places), editHouseholds */
  abilities: Record<string, boolean>;
}

export interface BuildingRegrid {
  fromGridId: string;
  toGridId: string;
  households: number;
  redGridDropped: number;
  redGridPinnedKept: number;
}

export const placeKeys = {
  compounds: (communityId: string | undefined) => ["places", "compounds", communityId] as const,
  buildings: (by: { gridId?: string | undefined; compoundId?: string | undefined }) => ["places", "buildings", by.gridId ?? "", by.compoundId ?? ""] as const,
  building: (id: string | undefined) => ["places", "building", id] as const,
};

export function useCompounds(communityId: string | undefined) {
  return useQuery({
    queryKey: placeKeys.compounds(communityId),
    queryFn: ({ signal }) => api<{ items: Compound[] }>("/api/compounds", { query: { communityId }, signal }).then((r) => r.items),
    enabled: Boolean(communityId),
  });
}

export function useBuildings(by: { gridId?: string | undefined; compoundId?: string | undefined }) {
  return useQuery({
    queryKey: placeKeys.buildings(by),
    queryFn: ({ signal }) => api<{ items: BuildingSummary[] }>("/api/buildings", { query: by, signal }).then((r) => r.items),
    enabled: Boolean(by.gridId || by.compoundId),
  });
}

export function useBuilding(id: string | undefined) {
  return useQuery({
    queryKey: placeKeys.building(id),
    queryFn: ({ signal }) => api<BuildingDetail>(`/api/buildings/${encodeURIComponent(id ?? "")}`, { signal }),
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
  return usePlaceMutation((input: { communityId: string; name: string; address: string }) => api<Compound>("/api/compounds", { method: "POST", body: input }));
}

export function useUpdateCompound() {
  return usePlaceMutation((input: { id: string; name?: string; address?: string }) => {
    const { id, ...body } = input;
    return api<Compound>(`/api/compounds/${encodeURIComponent(id)}`, { method: "PATCH", body });
  }, true);
}

export function useDeleteCompound() {
  return usePlaceMutation((id: string) => api<null>(`/api/compounds/${encodeURIComponent(id)}`, { method: "DELETE" }));
}

export function useCreateBuilding() {
  return usePlaceMutation((input: { compoundId: string; name: string; floors: number; lng: number; lat: number }) =>
    api<BuildingDetail>("/api/buildings", { method: "POST", body: input }),
  );
}

export function useUpdateBuilding(id: string) {
  return usePlaceMutation(
    (patch: { name?: string; floors?: number; lng?: number; lat?: number }) =>
      api<BuildingDetail & { regrid: BuildingRegrid | null }>(`/api/buildings/${encodeURIComponent(id)}`, { method: "PATCH", body: patch }),
    true,
  );
}

export function useDeleteBuilding(id: string) {
  return usePlaceMutation(() => api<null>(`/api/buildings/${encodeURIComponent(id)}`, { method: "DELETE" }));
}

export function useCreateUnit(buildingId: string) {
  return usePlaceMutation((input: { name: string }) => api<{ id: string; name: string }>(`/api/buildings/${encodeURIComponent(buildingId)}/units`, { method: "POST", body: input }));
}

export function useRenameUnit() {
  return usePlaceMutation((input: { id: string; name: string }) => api<{ id: string; name: string }>(`/api/units/${encodeURIComponent(input.id)}`, { method: "PATCH", body: { name: input.name } }));
}

export function useDeleteUnit() {
  return usePlaceMutation((id: string) => api<null>(`/api/units/${encodeURIComponent(id)}`, { method: "DELETE" }));
}

export function useCreateDwelling() {
  return usePlaceMutation((input: { unitId: string; floor: number; roomNo: string; floorAreaM2?: number | null }) => {
    const { unitId, ...body } = input;
    return api<{ id: string }>(`/api/units/${encodeURIComponent(unitId)}/dwellings`, { method: "POST", body });
  });
}

export function useUpdateDwelling() {
  return usePlaceMutation((input: { id: string; floorAreaM2: number | null }) =>
    api<{ id: string }>(`/api/dwellings/${encodeURIComponent(input.id)}`, { method: "PATCH", body: { floorAreaM2: input.floorAreaM2 } }),
  );
}

export function useDeleteDwelling() {
  return usePlaceMutation((id: string) => api<null>(`/api/dwellings/${encodeURIComponent(id)}`, { method: "DELETE" }));
}
