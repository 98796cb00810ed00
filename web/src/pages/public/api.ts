import { skipToken, useQuery } from "@tanstack/react-query";
import { http, type QueryOf, type Schema } from "../../api";

export type PublicCommunity = Schema<"BoardCommunity">;
export type BoardItem = Schema<"BoardItem">;
export type Board = Schema<"Board">;
/** A text in both languages (a case's summary and status). */
export type Label = BoardItem["statusLabel"];

/** The board's tabs: every case, or the route's status filter. */
export type BoardFilter = "all" | NonNullable<QueryOf<"get", "/api/public/communities/{id}/cases">["status"]>;

export function usePublicCommunities() {
  return useQuery({
    queryKey: ["public", "communities"],
    queryFn: ({ signal }) => http.get("/api/public/communities", { signal, noAuthRedirect: true }),
  });
}

export function useBoard(communityId: string | undefined, filter: BoardFilter, page: number) {
  return useQuery({
    queryKey: ["public", "board", communityId, filter, page],
    queryFn:
      communityId === undefined
        ? skipToken
        : ({ signal }) =>
            http.get("/api/public/communities/{id}/cases", {
              params: { path: { id: communityId }, query: { status: filter === "all" ? undefined : filter, page } },
              signal,
              noAuthRedirect: true,
            }),
  });
}
