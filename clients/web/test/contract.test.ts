// The table on what the contract promises for large and cross-tenant lists: a super
// admin lists every tenant (with a tenant column), and a search matching more than 100
// invites is counted "100+" (`totalCountExact: false`).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient } from "@user-invites/client";
import type { Page } from "playwright-core";

import { openBrowser, seriousViolations, type Browser } from "./helpers/browser.js";
import { rowEmails, tabCount, text, until, untilText } from "./helpers/page.js";
import { DEVELOPMENT_SECRET, startServer, type LocalServer } from "./helpers/server.js";

describe("the table on large and cross-tenant lists", () => {
  let server: LocalServer;
  let browser: Browser;
  let page: Page;
  let devTenant: string;
  const otherTenant = "0b6f3c52-9a1e-4d7b-8c2f-5e4d3c2b1a09";

  before(async () => {
    server = await startServer();
    browser = await openBrowser();
    const admin = await server.devToken("admin");
    devTenant = admin.tenantId!;
    const client = createClient({ baseUrl: server.baseUrl, signer: DEVELOPMENT_SECRET, userRoles: ["editor"] });
    const bulk = Array.from({ length: 100 }, (_, i) => ({ email: `bulk${String(i).padStart(3, "0")}@example.com` }));
    const inDev = await client.asUser(admin.sub).sendUserInvites({ userInvites: { tenantId: devTenant, userInvites: bulk } });
    assert.equal(inDev.success.length, 100);
    const more = await client
      .asUser(admin.sub)
      .sendUserInvites({ userInvites: { tenantId: devTenant, userInvites: [{ email: "bulk100@example.com" }] } });
    assert.equal(more.success.length, 1);
    const other = await client
      .asUser("7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d")
      .sendUserInvites({ userInvites: { tenantId: otherTenant, userInvites: [{ email: "elsewhere@example.com" }] } });
    assert.equal(other.success.length, 1);
    page = await browser.newPage();
    await page.goto(`${server.baseUrl}/`);
    await untilText(page.locator("user-invites-table .range"), /of 101$/);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("a search matching more than 100 counts as 100+", async () => {
    await page.getByRole("searchbox", { name: "Search" }).fill("bulk");
    await untilText(page.locator("user-invites-table .range"), /^1–20 of 100\+$/);
    assert.equal(await tabCount(page, "All"), "100+");
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await untilText(page.locator("user-invites-table .range"), /^1–20 of 101$/);
    assert.equal(await tabCount(page, "All"), "101", "counts by status alone are exact");
  });

  test("a super admin sees every tenant, with a tenant column", async () => {
    await page.getByRole("button", { name: "Super admin" }).click();
    await untilText(page.locator("#who"), /^Super admin .*every tenant/);
    const header = page.getByRole("columnheader", { name: "Tenant", exact: true });
    await header.waitFor();
    await untilText(page.locator("user-invites-table .range"), /^1–20 of 102$/);
    await page.getByRole("searchbox", { name: "Search" }).fill("elsewhere");
    await until(() => rowEmails(page), (e) => e.join() === "elsewhere@example.com", "the other tenant's invite");
    const tenantCell = await text(page.locator("user-invites-table tbody tr td.tenant"));
    assert.match(tenantCell, new RegExp(otherTenant.slice(0, 8)));
    assert.deepEqual(await seriousViolations(page, "user-invites-table"), []);
  });
});
