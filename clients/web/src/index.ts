// @user-invites/web: two web components over the User Invites API, for any page or
// framework. Importing this module defines them (once):
//   <user-invites-table base-url="…" tenant-id="…"> with `.token = () => jwt`
//   <user-invite-accept base-url="…"> with `.userToken = () => jwt`
import { UserInvitesConfirmDialog } from "./confirm-dialog.js";
import { UserInviteAccept } from "./invite-accept.js";
import { UserInvitesTable } from "./invites-table.js";
import { UserInvitesSendDialog } from "./send-dialog.js";

export { UserInvitesConfirmDialog, UserInviteAccept, UserInvitesSendDialog, UserInvitesTable };
export { stateOf, type AcceptState } from "./invite-accept.js";
export { SEARCH_DEBOUNCE_MS } from "./invites-table.js";
export { MAX_INVITEES } from "./send-dialog.js";
export { count, parseEmails, range } from "./format.js";
export type { EmailStatus, InviteRow, InvitesPage, TokenCheck, TokenSource } from "./types.js";

const ELEMENTS: [string, CustomElementConstructor][] = [
  ["user-invites-table", UserInvitesTable],
  ["user-invite-accept", UserInviteAccept],
  ["user-invites-send-dialog", UserInvitesSendDialog],
  ["user-invites-confirm-dialog", UserInvitesConfirmDialog],
];
for (const [name, element] of ELEMENTS) {
  if (!customElements.get(name)) customElements.define(name, element);
}

declare global {
  interface HTMLElementTagNameMap {
    "user-invites-table": UserInvitesTable;
    "user-invite-accept": UserInviteAccept;
    "user-invites-send-dialog": UserInvitesSendDialog;
    "user-invites-confirm-dialog": UserInvitesConfirmDialog;
  }
}
