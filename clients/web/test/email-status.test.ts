// An email that could not be sent shows as failed, with resend as the remedy. The
// fault is real: the outbox folder is replaced by a file, so invites-local's mailer
// fails to write the message until the folder is back.
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";

import { createClient } from "@user-invites/client";

import { openBrowser, seriousViolations, type Browser } from "./helpers/browser.js";
import { row, text, untilText } from "./helpers/page.js";
import { startServer, type LocalServer } from "./helpers/server.js";

describe("email status in the table", () => {
  let server: LocalServer;
  let browser: Browser;

  before(async () => {
    // No retry window: a passing failure (the broken outbox) is failed at once.
    server = await startServer({ INVITES_EMAIL_RETRY_HOURS: "0" });
    browser = await openBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("failed shows with resend highlighted; resend delivers it", async () => {
    const admin = await server.devToken("admin");
    const client = createClient({ baseUrl: server.baseUrl, token: admin.token });
    rmSync(server.outboxDir, { recursive: true, force: true });
    writeFileSync(server.outboxDir, "not a folder: every delivery fails\n");
    await client.sendUserInvites({ userInvites: { tenantId: admin.tenantId!, userInvites: [{ email: "unlucky@example.com" }] } });

    const page = await browser.newPage();
    await page.goto(`${server.baseUrl}/`);
    const unlucky = row(page, "unlucky@example.com");
    for (let i = 0; !/Failed/.test(await text(unlucky).catch(() => "")); i++) {
      assert.ok(i < 100, "the delivery is recorded as failed");
      await new Promise((r) => setTimeout(r, 100));
      await page.getByRole("button", { name: "Refresh" }).click();
    }
    assert.match(await text(unlucky), /Failed.*Resend to try again\./);
    const resend = unlucky.getByRole("button", { name: /^Resend invitation to unlucky/ });
    assert.match((await resend.getAttribute("class")) ?? "", /primary/, "resend is the highlighted remedy");
    assert.deepEqual(await seriousViolations(page, "user-invites-table"), []);

    rmSync(server.outboxDir, { force: true });
    mkdirSync(server.outboxDir);
    await resend.click();
    await untilText(page.locator("user-invites-table .notice"), /sent again/);
    await server.linkTo("unlucky@example.com");
    await page.getByRole("button", { name: "Refresh" }).click();
    await untilText(unlucky, /Sent/);
    assert.doesNotMatch(await text(unlucky), /Resend to try again/);
    await page.close();
  });
});
