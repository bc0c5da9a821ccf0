// The shapes the components read, as the API's contract describes them. They start
// from the client's generated types and add, as optional, the fields the contract
// promises that a server may not send yet (`totalCountExact`, the delivery outcomes
// beyond `failed`, display names): the components show them when they are there and
// do without when they are not.
import type { CheckUserInviteTokenResponse, Invite, InviteStatus, UserInvitesPage } from "@user-invites/client";

export type { InviteStatus };

/** What happened to an invite's email, as the contract lists it. */
export type EmailStatus = "queued" | "sent" | "delivered" | "failed" | "bounced" | "complained" | "skipped";

/** An invite as the table shows it. */
export type InviteRow = Omit<Invite, "emailStatus"> & {
  emailStatus: EmailStatus | (string & {});
  emailStatusReason?: string | null;
  tenantName?: string | null;
  createdByName?: string | null;
  timeZone?: string | null;
};

/** One page of `GET /user-invites`. */
export type InvitesPage = Omit<UserInvitesPage, "data"> & {
  data: InviteRow[];
  /** `false` when `totalCount` is a floor ("100+"); absent from older servers, read as exact. */
  totalCountExact?: boolean;
};

/** What `check-token` tells the holder of an invite token. */
export type TokenCheck = Partial<CheckUserInviteTokenResponse> & Pick<CheckUserInviteTokenResponse, "isValid" | "isExpired" | "email">;

/** The signed-in user's (or admin's) JWT: the token itself, or a getter called before each request. */
export type TokenSource = string | (() => string | null | undefined | Promise<string | null | undefined>);

/** The statuses an admin filters by, in the order the tabs show them. */
export const STATUSES: readonly InviteStatus[] = ["pending", "accepted", "canceled", "expired"];

/** Email outcomes that a resend is the remedy for. */
export const UNDELIVERED: ReadonlySet<string> = new Set(["failed", "bounced", "complained"]);

/** Resend and cancel need an invite that is still open: pending, or expired (revivable). */
export function isOpen(status: string): boolean {
  return status === "pending" || status === "expired";
}
