// The one part of ROQ's snippets that differs: how the client is created. Everything
// in the other files of this folder is ROQ's documentation, copied unchanged.
import { createClient } from "@user-invites/client";

export const roqClient = createClient({
  baseUrl: process.env.USER_INVITES_URL ?? "http://127.0.0.1:3000",
  // The HS256 secret the API verifies tokens with (INVITES_JWT_SECRET), at least 32 bytes.
  signer: process.env.USER_INVITES_JWT_SECRET ?? "",
  // ROQ's client is bound to one tenant; ours takes it from the request, or from here.
  tenantId: "ee764883-f2c3-4486-9de6-070345e350af",
  // The roles a user may grant: ROQ knows its users' roles, our API reads them from the
  // token, so the client puts the roles your app knows the user to hold into it.
  userRoles: ["content-creator"],
});
