/**
 * The signed-in resident's own household (through their person record), for the report form's
 * 我家楼栋 shortcut. A resident reads only their own person and household.
 */
import { useQuery } from "@tanstack/react-query";
import { http, type Answer, type Schema } from "../../../api";

export type OwnHousehold = Schema<"Household">;

export function useOwnHousehold(enabled: boolean) {
  return useQuery({
    queryKey: ["cases", "ownHousehold"],
    queryFn: async ({ signal }) => {
      const persons = await http.get("/api/persons", { params: { query: { page: 1, pageSize: 1 } }, signal });
      const householdId = persons.items[0]?.householdId;
      if (!householdId) return null;
      return http.get("/api/households/{id}", { params: { path: { id: householdId } }, signal });
    },
    enabled,
    staleTime: 10 * 60_000,
    retry: false,
  });
}

/** A person found by a worker for a report on behalf of a resident (masked name). */
export type FoundPerson = Answer<"post", "/api/cases/reporting-person">;

/** 代居民反映: the resident by exact ID number, in the worker's scope; the server answers with the name masked. */
export function findPersonByIdNumber(idNumber: string): Promise<FoundPerson> {
  return http.post("/api/cases/reporting-person", { body: { idNumber } });
}

/** An idempotency key per form: crypto.randomUUID where the page is a secure context, random bytes elsewhere. */
export function newSubmissionKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
