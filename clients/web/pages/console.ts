// The developer console of invites-local (GET /): the invites table, a token box that
// configures it, and development sign-ins when the server has them.
import "../src/index.js";

import type { UserInvitesTable } from "../src/index.js";

import { byId, claimsOf, mint, say, signedIn, type Identity } from "./dev.js";

const table = document.querySelector<UserInvitesTable>("user-invites-table")!;
const tokenBox = byId<HTMLTextAreaElement>("token");
const who = byId<HTMLElement>("who");
const devNote = byId<HTMLElement>("dev-note");
const userNote = byId<HTMLElement>("user-note");

/** Points the table at the token in the box: its tenant, and super admin or not. */
function apply(): void {
  const token = tokenBox.value.trim();
  const claims = token ? claimsOf(token) : null;
  if (token && !claims) {
    say(who, "That does not look like a JWT.");
    tokenBox.setAttribute("aria-invalid", "true");
    return;
  }
  tokenBox.removeAttribute("aria-invalid");
  table.superAdmin = claims?.superAdmin === true;
  table.tenantId = claims?.tenantId ?? "";
  table.roles = claims?.roles ?? [];
  table.token = token || undefined;
  say(
    who,
    !claims
      ? "No token: paste one to see invites."
      : claims.superAdmin
        ? `Super admin ${claims.sub ?? "?"}${claims.tenantId ? ` in tenant ${claims.tenantId}` : ", every tenant"}`
        : `User ${claims.sub ?? "?"}${claims.name ? ` (${claims.name})` : ""} in tenant ${claims.tenantId ?? "(none)"}`,
  );
}

async function useDevelopmentToken(identity: Identity): Promise<void> {
  const minted = await mint(identity);
  if (!minted) {
    say(devNote, "This server does not use the development secret, so it mints no tokens: paste a token signed with its key.");
    return;
  }
  tokenBox.value = minted.token;
  apply();
}

byId("apply").addEventListener("click", apply);
byId("as-admin").addEventListener("click", () => void useDevelopmentToken("admin"));
byId("as-super-admin").addEventListener("click", () => void useDevelopmentToken("super-admin"));
byId("sign-in-new-user").addEventListener("click", async () => {
  const minted = await mint("new-user");
  if (!minted) {
    say(userNote, "This server does not use the development secret: there is no development sign-in.");
    return;
  }
  signedIn.set(minted.token);
  say(userNote, `Signed in as a new user, ${minted.sub}. Open an invitation link in this browser to accept it as this user.`);
});

// With the development secret, the box starts with the development admin's token.
void mint("admin").then(
  (minted) => {
    if (minted) {
      tokenBox.value = minted.token;
      say(devNote, `Pre-filled with a development admin token (tenant ${minted.tenantId ?? "?"}), because this server uses the development secret.`);
    } else {
      byId("dev-buttons").hidden = true;
      say(devNote, "Paste a token signed with this server's key.");
    }
    apply();
  },
  (error: unknown) => say(devNote, `Could not reach the server: ${String(error)}`),
);
const stored = signedIn.get();
if (stored) say(userNote, `Signed in as user ${claimsOf(stored)?.sub ?? "?"} in this browser.`);
