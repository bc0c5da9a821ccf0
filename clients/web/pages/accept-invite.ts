// The accept page of invites-local (GET /accept-invite?token=…), where the link in
// every email of the outbox leads. The component does the work; this page supplies
// the signed-in user, with a development sign-in when the server has one.
import "../src/index.js";

import type { UserInviteAccept } from "../src/index.js";

import { byId, claimsOf, mint, say, signedIn } from "./dev.js";

const accept = document.querySelector<UserInviteAccept>("user-invite-accept")!;
const who = byId<HTMLElement>("who");
const signIn = byId<HTMLButtonElement>("sign-in-new-user");
const outcome = byId<HTMLElement>("outcome");

function showWho(): void {
  const token = signedIn.get();
  const sub = token ? claimsOf(token)?.sub : undefined;
  say(who, sub ? `Signed in as user ${sub}.` : "Not signed in.");
}

accept.userToken = () => signedIn.get();

signIn.addEventListener("click", async () => {
  const minted = await mint("new-user");
  if (!minted) {
    say(who, "This server does not use the development secret: there is no development sign-in here.");
    return;
  }
  signedIn.set(minted.token);
  showWho();
});

accept.addEventListener("sign-in-required", (event) => {
  event.preventDefault();
  signIn.focus();
});
accept.addEventListener("accepted", (event) => {
  const { invite } = (event as CustomEvent<{ invite: { acceptedByUserId: string | null } }>).detail;
  say(outcome, `Accepted as user ${invite.acceptedByUserId ?? "?"}. Your app would now take the user in.`);
});

showWho();
