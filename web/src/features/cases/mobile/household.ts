/**
 * The signed-in resident's own household (through their person record), for the report form's
 * 我家楼栋 shortcut. A resident reads only their own person and household.
 */
import { useQuery } from "@tanstack/react-query";
import { api } from "../../../api";

interface OwnPerson {
  id: string;
  householdId: string | null;
}

export interface OwnHousehold {
  id: string;
  gridId: string;
  gridName: string;
  buildingId: string | null;
  address: string;
}

export function useOwnHousehold(enabled: boolean) {
  return useQuery({
    queryKey: ["cases", "ownHousehold"],
    queryFn: async ({ signal }) => {
      const persons = await api<{ items: OwnPerson[] }>("/api/persons", { query: { pageSize: 1 }, signal });
      const householdId = persons.items[0]?.householdId;
      if (!householdId) return null;
      return api<OwnHousehold>(`/api/households/${encodeURIComponent(householdId)}`, { signal });
    },
    enabled,
    staleTime: 10 * 60_000,
    retry: false,
  });
}

/** A person found by a worker for a report on behalf of a resident (masked name). */
export interface FoundPerson {
  id: string;
  name: string;
  gridName: string | null;
}

/** 代居民反映: the resident by exact ID number, in the worker's scope; the server answers with the name masked. */
export function findPersonByIdNumber(idNumber: string): Promise<FoundPerson> {
  return api<FoundPerson>("/api/cases/reporting-person", { method: "POST", body: { idNumber } });
}

/** An idempotency key per form: crypto.randomUUID where the page is a secure context, random bytes elsewhere. */
export function newSubmissionKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
