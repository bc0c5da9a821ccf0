// The whole story in Chromium, against a real invites-local: an admin invites three
// people from the console's dialog (keyboard only, one address invalid), an invitee
// opens the link from the outbox and accepts, and the admin sees it, searches, pages,
// sorts, resends and cancels.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient } from "@user-invites/client";
import type { Page } from "playwright-core";

import { openBrowser, screenshot, seriousViolations, unexpected, type Browser } from "./helpers/browser.js";
import { focused, row, rowEmails, text, until, untilCounts, untilText } from "./helpers/page.js";
import { startServer, type LocalServer } from "./helpers/server.js";

describe("the developer console and the accept page", () => {
  let server: LocalServer;
  let browser: Browser;
  let console_: Page;
  let adminToken: string;
  let tenantId: string;

  before(async () => {
    // One resend an hour: the second resend in this file is refused, as a problem to show.
    server = await startServer({ INVITES_RESEND_LIMIT_PER_HOUR: "1" });
    browser = await openBrowser();
    const admin = await server.devToken("admin");
    adminToken = admin.token;
    tenantId = admin.tenantId!;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("GET / serves the console with a strict CSP and no inline script", async () => {
    const response = await fetch(`${server.baseUrl}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await response.text();
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/i, "every script is a file");
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i, "no inline style or handler");
  });

  test("the token box starts with a development admin token, and the table with nothing", async () => {
    console_ = await browser.newPage();
    await console_.goto(`${server.baseUrl}/`);
    const token = await until(
      () => console_.locator("#token").inputValue(),
      (v) => v.split(".").length === 3,
      "the pre-filled token",
    );
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    assert.equal(claims.tenantId, tenantId);
    assert.match(await text(console_.locator("#dev-note")), /development admin token/);
    await untilText(console_.locator("user-invites-table .range"), /^No invites$/);
    await untilCounts(console_, { All: "0", Pending: "0", Accepted: "0" });
  });

  test("keyboard only: the dialog sends three invites, and the invalid one's error sits next to it", async () => {
    const page = console_;
    const open = page.getByRole("button", { name: "Invite people" });
    await open.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Invite people" });
    await dialog.waitFor();
    assert.equal((await focused(page)).id, "emails", "focus starts in the addresses");
    await page.keyboard.type("Ann Admin <ann@example.com>, bob@example.com\nnot-an-email");
    // Tab through the roles to "editor" and tick it with the space bar.
    await page.keyboard.press("Tab");
    assert.equal((await focused(page)).tag, "input");
    await page.keyboard.press("Tab");
    const editor = await page.evaluate(() => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return (a as HTMLInputElement).value;
    });
    assert.equal(editor, "editor");
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab"); // viewer
    await page.keyboard.press("Tab"); // language
    assert.equal((await focused(page)).id, "locale");
    await page.keyboard.press("Tab"); // Close
    await page.keyboard.press("Tab"); // Send invitations
    assert.equal((await focused(page)).text, "Send invitations");
    assert.deepEqual(await seriousViolations(page, "user-invites-table"), [], "the open dialog");
    await page.keyboard.press("Enter");

    const summary = page.locator("user-invites-send-dialog #summary");
    await untilText(summary, /2 invited, 1 not invited/);
    assert.equal((await focused(page)).id, "summary", "focus moves to the outcome");
    const outcomes = page.locator("user-invites-send-dialog ul.outcomes li");
    assert.deepEqual(
      (await outcomes.allTextContents()).map((t) => t.replace(/\s+/g, " ").trim().split(" — ")[0]),
      ["ann@example.com", "bob@example.com", "not-an-email"],
    );
    assert.match(await text(outcomes.nth(0)), /— invited$/);
    assert.match(await text(outcomes.nth(1)), /— invited$/);
    const bad = await text(outcomes.nth(2));
    assert.match(bad, /^not-an-email — /);
    assert.doesNotMatch(bad, /— invited$/, `the invalid address shows its error: ${bad}`);
    assert.equal(await page.locator("user-invites-send-dialog #emails").inputValue(), "not-an-email", "left to correct");

    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    assert.equal((await focused(page)).text, "Invite people", "focus returns to the button that opened it");
    await untilCounts(page, { All: "2", Pending: "2", Accepted: "0" });
    assert.deepEqual((await rowEmails(page)).sort(), ["ann@example.com", "bob@example.com"]);
    assert.match(await text(row(page, "ann@example.com")), /editor/);
  });

  test("the link in the email opens the accept page, which accepts once signed in", async () => {
    const link = await server.linkTo("ann@example.com");
    assert.ok(link.startsWith(`${server.baseUrl}/accept-invite?token=`), link);
    const page = await browser.newPage();
    await page.goto(link);
    const heading = page.locator("user-invite-accept h2");
    await untilText(heading, /invited you to join|You are invited to join/);
    const details = await text(page.locator("user-invite-accept dl"));
    assert.match(details, /Invitation for ann@example\.com/);
    assert.match(details, new RegExp(`Tenant ${tenantId}`));
    assert.match(details, /Roles editor/);
    assert.match(details, /Valid until \w{3} \d{1,2}, \d{4}/);
    assert.deepEqual(await seriousViolations(page, "user-invite-accept"), []);
    await screenshot(page, "web-accept");

    // Not signed in yet: the page says so and offers the sign-in, nothing is consumed.
    await page.getByRole("button", { name: "Accept invitation" }).click();
    await untilText(page.locator("user-invite-accept #message"), /Sign in to accept/);
    assert.equal((await focused(page)).id, "sign-in-new-user");
    await page.keyboard.press("Enter");
    const who = await untilText(page.locator("#who"), /^Signed in as user [0-9a-f-]{36}\.$/);
    const userId = /user ([0-9a-f-]{36})/.exec(who)![1]!;

    await page.getByRole("button", { name: "Accept invitation" }).click();
    await untilText(heading, /^You have joined the tenant$/);
    assert.equal((await focused(page)).tag, "h2", "the outcome is announced");
    await untilText(page.locator("#outcome"), new RegExp(`Accepted as user ${userId}`));
    assert.deepEqual(await seriousViolations(page, "user-invite-accept"), []);

    // The same link again: a clear state, not an error.
    await page.reload();
    await untilText(heading, /already been accepted/);
    await page.close();
  });

  test("the table shows the invite accepted, and the tabs count it", async () => {
    await console_.getByRole("button", { name: "Refresh" }).click();
    await untilCounts(console_, { All: "2", Pending: "1", Accepted: "1", Canceled: "0" });
    await untilText(row(console_, "ann@example.com"), /Accepted/);
    await console_.getByRole("tab", { name: /^Accepted/ }).click();
    await until(() => rowEmails(console_), (e) => e.join() === "ann@example.com", "the accepted tab");
    // Arrow keys move between tabs, as in any tab list.
    await console_.keyboard.press("ArrowLeft");
    assert.match((await focused(console_)).text, /^Pending/);
    await until(() => rowEmails(console_), (e) => e.join() === "bob@example.com", "the pending tab");
    await console_.keyboard.press("Home");
    await until(() => rowEmails(console_), (e) => e.length === 2, "all invites");
  });

  test("search narrows the table and its counts, after a pause in typing", async () => {
    const search = console_.getByRole("searchbox", { name: "Search" });
    await search.fill("bo");
    await until(() => rowEmails(console_), (e) => e.join() === "bob@example.com", "the search result");
    await untilCounts(console_, { All: "1", Pending: "1", Accepted: "0" });
    await search.fill("");
    await until(() => rowEmails(console_), (e) => e.length === 2, "the search cleared");
    await untilCounts(console_, { All: "2" });
  });

  test("cursor paging: 1–20 of 23, then 21–23 of 23", async () => {
    const client = createClient({ baseUrl: server.baseUrl, token: adminToken });
    const people = Array.from({ length: 21 }, (_, i) => ({ email: `person${String(i + 1).padStart(2, "0")}@example.com` }));
    const sent = await client.sendUserInvites({ userInvites: { tenantId, userInvites: people } });
    assert.equal(sent.success.length, 21);
    await console_.getByRole("button", { name: "Refresh" }).click();
    const range = console_.locator("user-invites-table .range");
    await untilText(range, /^1–20 of 23$/);
    assert.equal((await rowEmails(console_)).length, 20);
    await console_.getByRole("button", { name: "Next" }).click();
    await untilText(range, /^21–23 of 23$/);
    assert.equal((await rowEmails(console_)).length, 3);
    assert.equal(await console_.getByRole("button", { name: "Next" }).isDisabled(), true);
    await console_.getByRole("button", { name: "Previous" }).click();
    await untilText(range, /^1–20 of 23$/);
    assert.equal(await console_.getByRole("button", { name: "Previous" }).isDisabled(), true);
  });

  test("sort by a column header, both ways", async () => {
    const header = console_.getByRole("columnheader", { name: "Email", exact: true });
    await header.getByRole("button").click();
    await until(() => rowEmails(console_), (e) => e[0] === "ann@example.com", "A to Z");
    assert.equal(await header.getAttribute("aria-sort"), "ascending");
    await header.getByRole("button").click();
    await until(() => rowEmails(console_), (e) => e[0] === "person21@example.com", "Z to A");
    assert.equal(await header.getAttribute("aria-sort"), "descending");
    assert.equal(await console_.getByRole("columnheader", { name: "Created", exact: true }).getAttribute("aria-sort"), "none");
    await header.getByRole("button").click();
    await until(() => rowEmails(console_), (e) => e.slice(0, 3).join() === "ann@example.com,bob@example.com,person01@example.com", "A to Z again");
  });

  test("cancel asks first; keeping changes nothing, confirming cancels", async () => {
    await screenshot(console_, "web-console");
    const bob = row(console_, "bob@example.com");
    const cancel = bob.getByRole("button", { name: /^Cancel invitation to bob@example\.com/ });
    await cancel.click();
    const confirm = console_.getByRole("alertdialog", { name: "Cancel this invitation?" });
    await confirm.waitFor();
    assert.equal((await focused(console_)).text, "Keep invitation", "the safe answer has focus");
    assert.deepEqual(await seriousViolations(console_, "user-invites-table"), []);
    await console_.keyboard.press("Enter");
    await confirm.waitFor({ state: "hidden" });
    assert.match((await focused(console_)).label, /^Cancel invitation to bob/);
    assert.match(await text(bob), /Pending/);

    await cancel.click();
    await confirm.getByRole("button", { name: "Cancel invitation" }).click();
    await untilText(console_.locator("user-invites-table .notice"), /^Invitation to bob@example\.com canceled\.$/);
    await untilText(bob, /Canceled/);
    await untilCounts(console_, { Canceled: "1", Pending: "21" });
    assert.equal(await bob.getByRole("button", { name: /^Cancel invitation/ }).isDisabled(), true);
    assert.equal(await bob.getByRole("button", { name: /^Resend invitation/ }).isDisabled(), true);
    assert.equal(await row(console_, "ann@example.com").getByRole("button", { name: /^Resend/ }).isDisabled(), true);
  });

  test("resend works once, and the refusal of the second shows the problem's message", async () => {
    const person = row(console_, "person01@example.com");
    await person.getByRole("button", { name: /^Resend/ }).click();
    await untilText(console_.locator("user-invites-table .notice"), /^Invitation to person01@example\.com sent again\.$/);
    await person.getByRole("button", { name: /^Resend/ }).click();
    const alert = console_.locator("user-invites-table [role=alert]");
    const message = await untilText(alert, /Could not resend the invitation to person01@example\.com/);
    assert.match(message, /\[RATE_LIMITED\]/);
    assert.match(message, /Try again in \d+ s/);
    // The refresh after the refusal leaves the message up.
    await until(() => console_.locator("user-invites-table table").getAttribute("aria-busy"), (b) => b === "false", "the refresh");
    assert.equal(await text(alert), message);
  });

  test("names are shown as text, never run as markup", async () => {
    const client = createClient({ baseUrl: server.baseUrl, token: adminToken });
    const hostile = `<img src=x onerror="window.__pwned=1">`;
    await client.sendUserInvites({ userInvites: { tenantId, userInvites: [{ email: "mallory@example.com", firstName: hostile }] } });
    await console_.getByRole("searchbox", { name: "Search" }).fill("mallory");
    await until(() => rowEmails(console_), (e) => e.join() === "mallory@example.com", "mallory's row");
    assert.equal(await text(row(console_, "mallory@example.com").locator(".name")), hostile);
    assert.equal(await console_.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    assert.equal(await row(console_, "mallory@example.com").locator("img").count(), 0);
  });

  test("nothing broke the page's rules: no CSP violation, no uncaught error", () => {
    assert.deepEqual(unexpected(browser.problems), []);
  });
});
