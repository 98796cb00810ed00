import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api";

/** 网格力量 roles: 网格长, 网格指导员, 专职网格员, 兼职网格员. */
export const gridStaffRoles = ["leader", "instructor", "fullTime", "partTime"] as const;
export type GridStaffRole = (typeof gridStaffRoles)[number];

export interface GridStaffItem {
  id: string;
  gridId: string;
  role: GridStaffRole;
  /** A login (a grid worker's account), a resident of the registry, or a name alone. */
  holder: "login" | "resident" | "nameOnly";
  userId: string | null;
  personId: string | null;
  /** Masked for residents when the reader does not work with them. */
  name: string;
  startedOn: string;
  endedOn: string | null;
}

export interface GridStaffList {
  area: { id: string; name: string; level: "community" | "grid" };
  grids: { id: string; name: string; code: string | null; staff: GridStaffItem[] }[];
  abilities: { manage: boolean };
}

export interface StaffCandidates {
  logins: { userId: string; name: string; roles: string[] }[];
  residents: { personId: string; name: string; tags: string[]; partyMember: boolean }[];
}

export interface AppointInput {
  role: GridStaffRole;
  userId?: string;
  personId?: string;
  name?: string;
  startedOn?: string;
}

const staffKeys = { all: ["gridStaff"] as const };

/** A grid's staff (or every grid's of a community); `all` adds those who ended their term. */
export function useGridStaff(areaId: string | undefined, all = false) {
  return useQuery({
    queryKey: [...staffKeys.all, areaId, all],
    queryFn: ({ signal }) => api<GridStaffList>(`/api/areas/${encodeURIComponent(areaId!)}/staff`, { query: { all }, signal }),
    enabled: Boolean(areaId),
  });
}

export function useStaffCandidates(gridId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...staffKeys.all, "candidates", gridId],
    queryFn: ({ signal }) => api<StaffCandidates>(`/api/areas/${encodeURIComponent(gridId)}/staff/candidates`, { signal }),
    enabled,
  });
}

export function useAppointGridStaff(gridId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: AppointInput) => api<{ id: string }>(`/api/areas/${encodeURIComponent(gridId)}/staff`, { method: "POST", body: v }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffKeys.all }),
  });
}

export function useEndGridStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; endedOn: string }) => api<null>(`/api/grid-staff/${encodeURIComponent(v.id)}/end`, { method: "POST", body: { endedOn: v.endedOn } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffKeys.all }),
  });
}
