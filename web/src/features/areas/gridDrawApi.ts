/** Drawing a new grid and editing a grid (name, type, boundary): requests and their answers. */
import type { Polygon } from "geojson";
import { api } from "../../api";
import type { AreaDetail, GridType } from "./types";

export interface CreateGridRequest {
  communityId: string;
  name: string;
  gridType: GridType;
  boundary: Polygon;
  validFrom?: string;
}

export interface UpdateGridRequest {
  name?: string;
  gridType?: GridType;
  boundary?: Polygon;
  /** For a redraw: the day the new boundary takes effect (the old one stays in the history). */
  effectiveOn?: string;
}

export function createGrid(body: CreateGridRequest): Promise<{ id: string; code: string | null }> {
  return api<{ id: string; code: string | null }>("/api/areas", { method: "POST", body });
}

export function updateGrid(id: string, body: UpdateGridRequest): Promise<AreaDetail> {
  return api<AreaDetail>(`/api/areas/${encodeURIComponent(id)}`, { method: "PATCH", body });
}
