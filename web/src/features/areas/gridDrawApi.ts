/** Drawing a new grid and editing a grid (name, type, boundary): requests and their answers. */
import { http, type Answer, type Body } from "../../api";

export type CreateGridRequest = Body<"post", "/api/areas">;
/** A redraw's `effectiveOn` is the day the new boundary takes effect (the old one stays in the history). */
export type UpdateGridRequest = Body<"patch", "/api/areas/{id}">;

export function createGrid(body: CreateGridRequest): Promise<Answer<"post", "/api/areas">> {
  return http.post("/api/areas", { body });
}

export function updateGrid(id: string, body: UpdateGridRequest): Promise<Answer<"patch", "/api/areas/{id}">> {
  return http.patch("/api/areas/{id}", { params: { path: { id } }, body });
}
