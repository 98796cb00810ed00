import { useMutation, useQuery } from "@tanstack/react-query";
import { api } from "../../api";
import type { Page } from "../households/api";

/** Tags a person may carry (人员标签), in the order the interface lists them. */
export const personTags = ["elderlyAlone", "disabled", "lowIncome", "veteran", "buildingHead", "talent", "volunteer"] as const;
export type PersonTag = (typeof personTags)[number];

export function isPersonTag(value: string): value is PersonTag {
  return (personTags as readonly string[]).includes(value);
}

/** 人员: names come masked in lists (王**); ID number and phone are always masked (see reveal). */
export interface PersonItem {
  id: string;
  householdId: string | null;
  gridId: string | null;
  gridName: string | null;
  name: string;
  gender: "male" | "female";
  birthYear: number;
  /** Relation to the head of the household, as recorded (户主, 配偶, 子女 …). */
  relation: string;
  tags: string[];
  skills: string[];
  /** 9901**********1234 */
  idNumber: string | null;
  /** 138****5678 */
  phone: string | null;
  masked: boolean;
  /** read, update, readClear, reveal */
  abilities?: Record<string, boolean>;
}

export type RevealField = "idNumber" | "phone";

export interface RevealResponse {
  field: RevealField;
  value: string | null;
  /** The clear value may be shown until then, and must be hidden after. */
  expiresAt: string;
}

export const personKeys = {
  list: (areaId: string | undefined, tag: string | undefined, page: number, pageSize: number) =>
    ["persons", "list", areaId, tag ?? "", page, pageSize] as const,
  detail: (id: string | undefined) => ["persons", "detail", id] as const,
  household: (gridId: string | undefined, householdId: string | undefined) => ["persons", "household", gridId, householdId] as const,
};

export function fetchPersons(
  query: { areaId?: string | undefined; householdId?: string | undefined; tag?: string | undefined; page: number; pageSize: number },
  signal?: AbortSignal,
) {
  return api<Page<PersonItem>>("/api/persons", { query, ...(signal ? { signal } : {}) });
}

export function usePersonsPage(areaId: string | undefined, tag: string | undefined, page: number, pageSize: number) {
  return useQuery({
    queryKey: personKeys.list(areaId, tag, page, pageSize),
    queryFn: ({ signal }) => fetchPersons({ areaId, tag, page, pageSize }, signal),
    enabled: Boolean(areaId),
    placeholderData: (prev) => prev,
  });
}

export function usePerson(id: string | undefined) {
  return useQuery({
    queryKey: personKeys.detail(id),
    queryFn: ({ signal }) => api<PersonItem>(`/api/persons/${encodeURIComponent(id ?? "")}`, { signal }),
    enabled: Boolean(id),
  });
}

/** The persons of one household (a household has far fewer than 200 members). */
export function useHouseholdPersons(gridId: string | undefined, householdId: string | undefined) {
  return useQuery({
    queryKey: personKeys.household(gridId, householdId),
    queryFn: async ({ signal }) => {
      const res = await fetchPersons({ householdId, page: 1, pageSize: 200 }, signal);
      return { items: res.items, complete: res.items.length === res.total };
    },
    enabled: Boolean(householdId),
    staleTime: 60_000,
  });
}

/** Shows an ID number or phone in clear for a stated purpose; audited by the server. */
export function useRevealPersonField(id: string) {
  return useMutation({
    mutationFn: (input: { field: RevealField; purpose: string }) =>
      api<RevealResponse>(`/api/persons/${encodeURIComponent(id)}/reveal`, { method: "POST", body: input }),
  });
}

/** Exact search by ID number: the number travels in the body, never in the URL. */
export function useSearchPersonByIdNumber() {
  return useMutation({
    mutationFn: (idNumber: string) => api<PersonItem>("/api/persons/search", { method: "POST", body: { idNumber } }),
  });
}

/** Age this year, from the birth year. */
export function ageOf(birthYear: number, now = new Date()): number {
  return now.getFullYear() - birthYear;
}
