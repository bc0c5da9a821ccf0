// With its own secret, invites-local mints nothing: POST /dev/token does not exist,
// the console asks for a token instead of pre-filling one, and a pasted token works.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { createClient, hs256Signer } from "@user-invites/client";

import { openBrowser, unexpected, type Browser } from "./helpers/browser.js";
import { rowEmails, text, until, untilText } from "./helpers/page.js";
import { startServer, type LocalServer } from "./helpers/server.js";

describe("invites-local with its own secret", () => {
  const secret = randomBytes(32).toString("hex");
  let server: LocalServer;
  let browser: Browser;

  before(async () => {
    server = await startServer({ INVITES_JWT_SECRET: secret });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("POST /dev/token is not there", async () => {
    const response = await fetch(`${server.baseUrl}/dev/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ as: "admin" }),
    });
    assert.equal(response.status, 404);
    assert.equal((await response.json()).code, "NOT_FOUND");
  });

  test("the console asks for a token, and works with one pasted", async () => {
    const tenantId = "3c9e1f7a-5b2d-4e8f-9a1c-6d4b2e0f8a7c";
    const adminId = "8e2d4c6a-1b3f-4a5e-9d7c-2f0e1a3b5c7d";
    const server_ = createClient({ baseUrl: server.baseUrl, signer: secret, tenantId });
    await server_.asUser(adminId).sendUserInvites({ userInvites: { tenantId, userInvites: [{ email: "own@example.com" }] } });

    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/`);
    await untilText(page.locator("#dev-note"), /Paste a token signed with this server's key/);
    assert.equal(await page.locator("#token").inputValue(), "");
    assert.equal(await page.getByRole("button", { name: "Sign in as a new user" }).isVisible(), false);
    await untilText(page.locator("user-invites-table [role=alert]"), /Sign in to see invites/);

    // A token such as the app's own identity provider would give: signed with the secret.
    const now = Math.floor(Date.now() / 1000);
    const token = await hs256Signer(secret)({ sub: adminId, tenantId, iat: now, exp: now + 600 }, {});
    await page.locator("#token").fill(token);
    await page.getByRole("button", { name: "Use this token" }).click();
    await untilText(page.locator("#who"), new RegExp(`in tenant ${tenantId}`));
    await until(() => rowEmails(page), (e) => e.join() === "own@example.com", "the tenant's invite");
    assert.equal(await text(page.locator("user-invites-table [role=alert]")), "");
    assert.deepEqual(unexpected(browser.problems), []);
    await page.close();
  });
});
