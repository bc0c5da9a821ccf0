// Every state of the accept page, each from a real invite put in that state: canceled
// through the API, expired by restarting invites-local with its clock moved past the
// expiry (INVITES_LOCAL_CLOCK_OFFSET_HOURS), accepted elsewhere, and links that are not
// (or no longer) valid. None shows a raw error; each passes axe.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient, type BrowserClient } from "@user-invites/client";
import type { Page } from "playwright-core";

import { openBrowser, seriousViolations, unexpected, type Browser } from "./helpers/browser.js";
import { text, untilText } from "./helpers/page.js";
import { startServer, type LocalServer } from "./helpers/server.js";

describe("the accept page's states", () => {
  let server: LocalServer;
  let browser: Browser;
  let admin: BrowserClient;
  let tenantId: string;

  before(async () => {
    server = await startServer();
    browser = await openBrowser();
    const minted = await server.devToken("admin");
    admin = createClient({ baseUrl: server.baseUrl, token: minted.token });
    tenantId = minted.tenantId!;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function invite(email: string, roles: string[] = []): Promise<{ id: string; link: string }> {
    const sent = await admin.sendUserInvites({ userInvites: { tenantId, userInvites: [{ email, roles }] } });
    assert.deepEqual(sent.errors, []);
    return { id: sent.success[0]!.id, link: await server.linkTo(email) };
  }

  async function open(link: string): Promise<{ page: Page; heading: string; body: string }> {
    const page = await browser.newPage();
    await page.goto(link);
    const heading = await untilText(page.locator("user-invite-accept h2"), /^(?!Checking)\S/, "a checked state");
    return { page, heading, body: await text(page.locator("user-invite-accept section")) };
  }

  async function noAcceptButton(page: Page): Promise<void> {
    assert.equal(await page.getByRole("button", { name: "Accept invitation" }).count(), 0);
  }

  test("canceled: says so, shows what it was, and offers no accept", async () => {
    const { id, link } = await invite("canceled@example.com", ["viewer"]);
    await admin.cancelUserInvite(id);
    const { page, heading, body } = await open(link);
    assert.equal(heading, "This invitation was canceled");
    assert.match(body, /canceled@example\.com/);
    assert.match(body, /Roles viewer/);
    // The development admin's token carries its name, so the invite names its inviter.
    assert.match(body, /Ask Development Admin to send you a new one\./);
    await noAcceptButton(page);
    assert.deepEqual(await seriousViolations(page, "user-invite-accept"), []);
    await page.close();
  });

  test("accepted elsewhere: says it was accepted already", async () => {
    const { link } = await invite("taken@example.com");
    const token = new URL(link).searchParams.get("token")!;
    const user = await server.devToken("new-user");
    await createClient({ baseUrl: server.baseUrl, token: user.token }).acceptUserInvite({ acceptUserInvite: { token } });
    const { page, heading } = await open(link);
    assert.equal(heading, "This invitation has already been accepted");
    await noAcceptButton(page);
    assert.deepEqual(await seriousViolations(page, "user-invite-accept"), []);
    await page.close();
  });

  test("canceled while the page was open: accepting says canceled, not an error", async () => {
    const { id, link } = await invite("late-cancel@example.com");
    const { page, heading } = await open(link);
    assert.match(heading, /^Development Admin invited you to join a tenant$/);
    await page.getByRole("button", { name: "Sign in as a new user" }).click();
    await untilText(page.locator("#who"), /^Signed in as user/);
    await admin.cancelUserInvite(id);
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await untilText(page.locator("user-invite-accept h2"), /^This invitation was canceled$/);
    await page.close();
  });

  test("a link whose token is unknown, or replaced by a resend, is not valid", async () => {
    const { id, link } = await invite("resent@example.com");
    const before = server.outbox().at(-1)!;
    await admin.resendUserInvite(id);
    const fresh = await server.linkTo("resent@example.com", { after: before });
    assert.notEqual(fresh, link);
    for (const stale of [link, `${server.baseUrl}/accept-invite?token=not-a-real-token`]) {
      const { page, heading, body } = await open(stale);
      assert.equal(heading, "This invitation link is not valid");
      assert.match(body, /use the link in the latest email/);
      assert.deepEqual(await seriousViolations(page, "user-invite-accept"), []);
      await page.close();
    }
    const { page, heading } = await open(`${server.baseUrl}/accept-invite`);
    assert.equal(heading, "No invitation in this link");
    await page.close();
  });

  test("the inviter's name is shown (contract: createdByName, from the token's name claim)", async () => {
    const { link } = await invite("named@example.com");
    const { page, heading, body } = await open(link);
    // The development admin's token carries name "Development Admin".
    assert.match(heading, /^Development Admin invited you to join/);
    assert.match(body, /Invited by Development Admin/);
    await page.close();
  });

  test("expired: with invites-local's clock moved 200 hours on, the page says expired and when", async () => {
    const { link } = await invite("expired@example.com", ["editor"]);
    const check = await admin.checkUserInviteToken(new URL(link).searchParams.get("token")!);
    assert.equal(check.status, "pending");
    await server.restart({ INVITES_LOCAL_CLOCK_OFFSET_HOURS: "200" });
    const { page, heading, body } = await open(link);
    assert.equal(heading, "This invitation has expired");
    assert.match(body, /It could be accepted until \w{3} \d{1,2}, \d{4}/);
    assert.match(body, /Roles editor/);
    await noAcceptButton(page);
    assert.deepEqual(await seriousViolations(page, "user-invite-accept"), []);
    await page.close();
    await server.restart();
  });

  test("no uncaught error or CSP violation on any of these pages", () => {
    assert.deepEqual(unexpected(browser.problems), []);
  });
});
