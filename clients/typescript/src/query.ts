// ROQ's `userInvites({ limit, offset, search, filter, order })` onto the query of
// `GET /user-invites`. Each mapping is listed in the README; whatever ROQ can express
// and the API cannot is refused: by the types (a `Refused<"why">` property, so the
// compiler's message says why), and at run time for callers without types.
import type { InviteStatus, ListQuery } from "./types.js";

/** A property that cannot be mapped; the compiler's error names `Why`. */
export type Refused<Why extends string> = { readonly [K in Why]: never };

type NotEquality<Field extends string> = {
  notEqualTo?: Refused<`filter.${Field}.notEqualTo cannot be mapped: the API filters by equality only`>;
  valueNotIn?: Refused<`filter.${Field}.valueNotIn cannot be mapped: the API filters by equality only`>;
  like?: Refused<`filter.${Field}.like cannot be mapped: use search, a prefix of any word of email or names`>;
  iLike?: Refused<`filter.${Field}.iLike cannot be mapped: use search, a prefix of any word of email or names`>;
  lessThan?: Refused<`filter.${Field}.lessThan cannot be mapped: the API has no range filters`>;
  moreThan?: Refused<`filter.${Field}.moreThan cannot be mapped: the API has no range filters`>;
};

/** `equalTo` only; the API has no list of these (`valueIn`). */
export type EqualToFilter<T, Field extends string> = { equalTo: T } & NotEquality<Field> & {
  valueIn?: Refused<`filter.${Field}.valueIn cannot be mapped: the API takes one ${Field}`>;
};

/** `equalTo` one status, or `valueIn` several. */
type OneOf = Refused<"filter.status takes equalTo or valueIn, not both">;
export type StatusFilter = (
  | { equalTo: InviteStatus; valueIn?: OneOf }
  | { valueIn: readonly InviteStatus[]; equalTo?: OneOf }
) &
  NotEquality<"status">;

/** A field ROQ filters by and the API does not; a string type, so the compiler prints why. */
type NoFilterOn<Field extends string, Hint extends string = ""> = `filter.${Field} cannot be mapped: the API does not filter by it${Hint}`;

/** ROQ's `filter`, as far as the API can apply it. */
export interface UserInviteFilter {
  /** `status=a,b` */
  status?: StatusFilter;
  /** `email=` (exact, case-insensitive) */
  email?: EqualToFilter<string, "email">;
  /** `createdByUserId=` */
  createdByUserId?: EqualToFilter<string, "createdByUserId">;
  /** `acceptedByUserId=` */
  acceptedByUserId?: EqualToFilter<string, "acceptedByUserId">;
  /** `tenantId=`: a user may name only its own tenant; a super admin any. */
  tenantId?: EqualToFilter<string, "tenantId">;
  id?: NoFilterOn<"id", "; use userInvite({ id })">;
  firstName?: NoFilterOn<"firstName", "; use search">;
  lastName?: NoFilterOn<"lastName", "; use search">;
  locale?: NoFilterOn<"locale">;
  roles?: NoFilterOn<"roles">;
  createdAt?: NoFilterOn<"createdAt">;
  updatedAt?: NoFilterOn<"updatedAt">;
  expiresAt?: NoFilterOn<"expiresAt">;
}

/**
 * ROQ's `search`: `{ value }` (or the text itself) becomes `search=`, a case- and
 * accent-insensitive prefix of any word of the email, firstName or lastName.
 */
export type UserInviteSearch =
  | string
  | {
      value: string;
      fields?: Refused<"search.fields cannot be mapped: search always covers email, firstName and lastName together">;
      key?: Refused<"search.key cannot be mapped: search always covers email, firstName and lastName together">;
    };

/** ROQ's sort fields that the API can sort by. */
export type UserInviteSortField = "CREATED_AT" | "UPDATED_AT" | "EMAIL" | "STATUS";

/** ROQ's `order`: `{ order: "ASC" | "DESC", sort: "CREATED_AT" | … }` becomes `order=` and `sort=`. */
export interface UserInviteOrder {
  order?: "ASC" | "DESC";
  sort?: UserInviteSortField;
}

/** ROQ's arguments of `userInvites`, and `cursor` for the API's keyset paging. */
export interface UserInvitesArgs {
  /** 1..100, default 20. */
  limit?: number;
  /** 0..1,000; not with `cursor`. */
  offset?: number;
  /** The `nextCursor` of the previous page of the same query; not with `offset`. */
  cursor?: string;
  search?: UserInviteSearch;
  filter?: UserInviteFilter;
  order?: UserInviteOrder;
}

const SORTS: Record<UserInviteSortField, NonNullable<ListQuery["sort"]>> = {
  CREATED_AT: "createdAt",
  UPDATED_AT: "updatedAt",
  EMAIL: "email",
  STATUS: "status",
};
const EQUAL_TO_FIELDS = ["email", "createdByUserId", "acceptedByUserId", "tenantId"] as const;
const ARG_KEYS = new Set(["limit", "offset", "cursor", "search", "filter", "order"]);

/** The API's query for ROQ's arguments; a TypeError names anything it cannot map. */
export function toListQuery(args: UserInvitesArgs = {}): ListQuery {
  const refuse = (what: string): never => {
    throw new TypeError(`userInvites: ${what} cannot be mapped onto the API's query (see the package README)`);
  };
  for (const key of Object.keys(args)) if (!ARG_KEYS.has(key)) refuse(key);
  const query: ListQuery = {};
  if (args.limit !== undefined) query.limit = args.limit;
  if (args.offset !== undefined) query.offset = args.offset;
  if (args.cursor !== undefined) query.cursor = args.cursor;

  if (args.search !== undefined) {
    if (typeof args.search === "string") query.search = args.search;
    else {
      for (const key of Object.keys(args.search)) if (key !== "value") refuse(`search.${key}`);
      query.search = args.search.value;
    }
  }

  const filter = (args.filter ?? {}) as Record<string, Record<string, unknown> | undefined>;
  for (const [field, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (typeof condition !== "object" || condition === null) refuse(`filter.${field}`);
    const ops = Object.entries(condition).filter(([, v]) => v !== undefined);
    if (field === "status") {
      if (ops.length !== 1) refuse("filter.status with other than one of equalTo, valueIn");
      const [op, value] = ops[0]!;
      if (op === "equalTo") query.status = [value as InviteStatus];
      else if (op === "valueIn" && Array.isArray(value) && value.length > 0) query.status = [...(value as InviteStatus[])];
      else if (op === "valueIn") refuse("filter.status.valueIn that is empty or not a list");
      else refuse(`filter.status.${op}`);
    } else if ((EQUAL_TO_FIELDS as readonly string[]).includes(field)) {
      if (ops.length !== 1 || ops[0]![0] !== "equalTo") {
        refuse(`filter.${field}.${ops.map(([op]) => op).join(",") || "(nothing)"}`);
      }
      query[field as (typeof EQUAL_TO_FIELDS)[number]] = String(ops[0]![1]);
    } else {
      refuse(`filter.${field}`);
    }
  }

  if (args.order !== undefined) {
    for (const key of Object.keys(args.order)) if (key !== "order" && key !== "sort") refuse(`order.${key}`);
    const { order, sort } = args.order;
    if (sort !== undefined) query.sort = SORTS[sort] ?? refuse(`order.sort ${String(sort)}`);
    if (order !== undefined) {
      if (order !== "ASC" && order !== "DESC") refuse(`order.order ${String(order)}`);
      query.order = order === "ASC" ? "asc" : "desc";
    }
  }
  return query;
}
