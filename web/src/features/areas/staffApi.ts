import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type Schema } from "../../api";

/** 网格力量 roles: 网格长, 网格指导员, 专职网格员, 兼职网格员. */
export const gridStaffRoles = ["leader", "instructor", "fullTime", "partTime"] as const satisfies readonly GridStaffRole[];
export type GridStaffRole = GridStaffItem["role"];

/** A login (a grid worker's account), a resident of the registry, or a name alone; residents' names masked for readers who do not work with them. */
export type GridStaffItem = Schema<"GridStaff">;
export type GridStaffList = Schema<"GridStaffList">;
export type StaffCandidates = Answer<"get", "/api/areas/{id}/staff/candidates">;
export type AppointInput = Body<"post", "/api/areas/{id}/staff">;

const staffKeys = { all: ["gridStaff"] as const };

/** A grid's staff (or every grid's of a community); `all` adds those who ended their term. */
export function useGridStaff(areaId: string | undefined, all = false) {
  return useQuery({
    queryKey: [...staffKeys.all, areaId, all],
    queryFn: ({ signal }) => http.get("/api/areas/{id}/staff", { params: { path: { id: areaId ?? "" }, query: { all } }, signal }),
    enabled: Boolean(areaId),
  });
}

export function useStaffCandidates(gridId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...staffKeys.all, "candidates", gridId],
    queryFn: ({ signal }) => http.get("/api/areas/{id}/staff/candidates", { params: { path: { id: gridId } }, signal }),
    enabled,
  });
}

export function useAppointGridStaff(gridId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: AppointInput) => http.post("/api/areas/{id}/staff", { params: { path: { id: gridId } }, body: v }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffKeys.all }),
  });
}

export function useEndGridStaff() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; endedOn: string }) => http.post("/api/grid-staff/{id}/end", { params: { path: { id: v.id } }, body: { endedOn: v.endedOn } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: staffKeys.all }),
  });
}
