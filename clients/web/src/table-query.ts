// What the table asks the API for: its tabs, sort and search as the client's
// `userInvites` arguments (ROQ's `filter`, `search` and `order`).
import type { UserInvitesArgs, UserInviteSortField } from "@user-invites/client";

import type { InviteStatus } from "./types.js";

export type Tab = "all" | InviteStatus;
export type SortKey = "createdAt" | "updatedAt" | "email" | "status";
export type Direction = "asc" | "desc";

export interface TableQuery {
  tab: Tab;
  search: string;
  sort: SortKey;
  order: Direction;
  pageSize: number;
  /** The tenant to list; none: the token's own (a user), or every tenant (a super admin). */
  tenantId: string | undefined;
}

const SORT_FIELDS: Record<SortKey, UserInviteSortField> = {
  createdAt: "CREATED_AT",
  updatedAt: "UPDATED_AT",
  email: "EMAIL",
  status: "STATUS",
};

/** The arguments of one page of the table (`cursor`: the previous page's `nextCursor`). */
export function pageArgs(query: TableQuery, cursor: string | undefined): UserInvitesArgs {
  return {
    limit: query.pageSize,
    ...(cursor !== undefined ? { cursor } : {}),
    ...filterArgs(query, query.tab),
    order: { sort: SORT_FIELDS[query.sort], order: query.order === "asc" ? "ASC" : "DESC" },
  };
}

/** The arguments that count one tab: one invite read, its `totalCount` kept. */
export function countArgs(query: TableQuery, tab: Tab): UserInvitesArgs {
  return { limit: 1, ...filterArgs(query, tab) };
}

function filterArgs(query: TableQuery, tab: Tab): Pick<UserInvitesArgs, "filter" | "search"> {
  const filter: NonNullable<UserInvitesArgs["filter"]> = {};
  if (tab !== "all") filter.status = { equalTo: tab };
  if (query.tenantId) filter.tenantId = { equalTo: query.tenantId };
  const search = query.search.trim();
  return { filter, ...(search !== "" ? { search } : {}) };
}

/** The sort a column header click gives: the other direction on the same column, else its natural one. */
export function nextSort(current: { sort: SortKey; order: Direction }, column: SortKey): { sort: SortKey; order: Direction } {
  if (current.sort === column) return { sort: column, order: current.order === "asc" ? "desc" : "asc" };
  // Dates read newest first; text and status read A to Z.
  return { sort: column, order: column === "email" || column === "status" ? "asc" : "desc" };
}

export const TABS: readonly Tab[] = ["all", "pending", "accepted", "canceled", "expired"];

/** The longest search the API takes (characters). */
export const MAX_SEARCH = 100;
