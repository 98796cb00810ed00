import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type QueryOf, type Schema } from "../../api";

/** Tags a person may carry (人员标签), in the order the interface lists them. */
export const personTags = ["elderlyAlone", "disabled", "lowIncome", "veteran", "buildingHead", "talent", "volunteer"] as const satisfies readonly PersonTag[];
/** The server's tag vocabulary. */
export type PersonTag = NonNullable<NewPersonInput["tags"]>[number];
/** The server's relations to the head of household. */
export type PersonRelation = NewPersonInput["relation"];

export function isPersonTag(value: string): value is PersonTag {
  return (personTags as readonly string[]).includes(value);
}

/** 人员: names come masked in lists (王**); ID number and phone are always masked (see reveal). */
export type PersonItem = Schema<"Person">;

export type RevealResponse = Answer<"post", "/api/persons/{id}/reveal">;
export type RevealField = RevealResponse["field"];

export const personKeys = {
  list: (areaId: string | undefined, tag: string | undefined, page: number, pageSize: number) =>
    ["persons", "list", areaId, tag ?? "", page, pageSize] as const,
  detail: (id: string | undefined) => ["persons", "detail", id] as const,
  household: (gridId: string | undefined, householdId: string | undefined) => ["persons", "household", gridId, householdId] as const,
};

export function fetchPersons(
  query: QueryOf<"get", "/api/persons"> & { page: number; pageSize: number },
  signal?: AbortSignal,
) {
  return http.get("/api/persons", { params: { query }, ...(signal ? { signal } : {}) });
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
    queryFn: ({ signal }) => http.get("/api/persons/{id}", { params: { path: { id: id ?? "" } }, signal }),
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
    mutationFn: (input: Body<"post", "/api/persons/{id}/reveal">) => http.post("/api/persons/{id}/reveal", { params: { path: { id } }, body: input }),
  });
}

/** Exact search by ID number: the number travels in the body, never in the URL. */
export function useSearchPersonByIdNumber() {
  return useMutation({
    mutationFn: (idNumber: string) => http.post("/api/persons/search", { body: { idNumber } }),
  });
}

/** Age this year, from the birth year. */
export function ageOf(birthYear: number, now = new Date()): number {
  return now.getFullYear() - birthYear;
}

/** Relations to the head of household the registry accepts. */
export const personRelations = ["户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他"] as const satisfies readonly PersonRelation[];
/** Why a person leaves their household. */
export const leaveReasons = ["movedAway", "deceased", "other"] as const;
export type LeaveReason = (typeof leaveReasons)[number];

function usePersonChanged() {
  const queryClient = useQueryClient();
  return (data: PersonItem) => {
    queryClient.setQueryData(personKeys.detail(data.id), data);
    void queryClient.invalidateQueries({ queryKey: ["persons"], predicate: (q) => !(q.queryKey[1] === "detail" && q.queryKey[2] === data.id) });
    void queryClient.invalidateQueries({ queryKey: ["households"] });
    void queryClient.invalidateQueries({ queryKey: ["places"] });
  };
}

/** Tags from the fixed vocabulary; skills only with the 能人 (talent) tag. */
export function useUpdatePersonTags(id: string) {
  const changed = usePersonChanged();
  return useMutation({
    mutationFn: (input: Body<"patch", "/api/persons/{id}">) => http.patch("/api/persons/{id}", { params: { path: { id } }, body: input }),
    onSuccess: changed,
  });
}

export type NewPersonInput = Body<"post", "/api/households/{id}/persons">;

/** Adds a person to a household; a registered ID number comes back as person_duplicate. */
export function useAddPerson(householdId: string) {
  const changed = usePersonChanged();
  return useMutation({
    mutationFn: (input: NewPersonInput) => http.post("/api/households/{id}/persons", { params: { path: { id: householdId } }, body: input }),
    onSuccess: changed,
  });
}

export function useMovePerson(id: string) {
  const changed = usePersonChanged();
  return useMutation({
    mutationFn: (input: Body<"post", "/api/persons/{id}/move">) => http.post("/api/persons/{id}/move", { params: { path: { id } }, body: input }),
    onSuccess: changed,
  });
}

export function useLeaveHousehold(id: string) {
  const changed = usePersonChanged();
  return useMutation({
    mutationFn: (input: Body<"post", "/api/persons/{id}/leave">) => http.post("/api/persons/{id}/leave", { params: { path: { id } }, body: input }),
    onSuccess: changed,
  });
}
