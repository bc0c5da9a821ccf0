// Paging across many pages with allUserInvites (nextCursor), against a real
// invites-local holding 250 invites in one tenant and a few in another.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient, type Invite, type ServerClient, type UserInvitesApi } from "../src/index.js";
import { startProxy, type FaultProxy } from "./helpers/proxy.js";
import { startServer, uuid, type LocalServer } from "./helpers/server.js";

const TOTAL = 250;
const ZELDAS = 20;
const CANCELED = 30;

let server: LocalServer;
let proxy: FaultProxy;
let client: ServerClient;
let admin: UserInvitesApi;
const tenant = uuid();
const otherTenant = uuid();
const adminId = uuid();
const run = uuid().slice(0, 8);
let all: Invite[] = [];

before(async () => {
  server = await startServer();
  proxy = await startProxy(server.baseUrl);
  client = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant });
  admin = client.asUser(adminId);
  const invitees = Array.from({ length: TOTAL }, (_, n) => ({
    email: `page-${String(n).padStart(3, "0")}-${run}@example.com`,
    firstName: n < ZELDAS ? "Zelda" : "Link",
  }));
  for (let start = 0; start < TOTAL; start += 100) {
    const sent = await admin.sendUserInvites({
      userInvites: { tenantId: tenant, userInvites: invitees.slice(start, start + 100) },
      sendEmail: false,
    });
    assert.deepEqual(sent.errors, []);
    all.push(...sent.success);
  }
  for (const invite of all.slice(TOTAL - CANCELED)) await admin.cancelUserInvite(invite.id);
  await client.asSuperAdmin().sendUserInvites({
    userInvites: { tenantId: otherTenant, userInvites: [{ email: `other-${run}@example.com` }] },
    sendEmail: false,
  });
});
after(async () => {
  await proxy.close();
  await server.stop();
});

/** Collects an iteration and the list requests it made. */
async function collect(iteration: AsyncIterable<Invite>): Promise<{ invites: Invite[]; requests: URL[] }> {
  const from = proxy.requests.length;
  const invites: Invite[] = [];
  for await (const invite of iteration) invites.push(invite);
  const requests = proxy.requests
    .slice(from)
    .filter((r) => r.method === "GET")
    .map((r) => new URL(r.url, "http://x"));
  return { invites, requests };
}

const exact = (page: object) => (page as Record<string, unknown>).totalCountExact;

describe("allUserInvites follows nextCursor", () => {
  test("250 invites in pages of 7: each once, 36 requests, each after the first with the cursor", async () => {
    const { invites, requests } = await collect(admin.allUserInvites({ limit: 7 }));
    assert.equal(invites.length, TOTAL);
    assert.deepEqual(new Set(invites.map((i) => i.id)), new Set(all.map((i) => i.id)));
    assert.ok(requests.length === 36 || requests.length === 37, `${requests.length} requests`);
    assert.equal(requests[0]!.searchParams.get("cursor"), null);
    for (const r of requests.slice(1)) {
      assert.ok(r.searchParams.get("cursor"));
      assert.equal(r.searchParams.get("offset"), null);
      assert.equal(r.searchParams.get("limit"), "7");
    }
    // The default order: newest first.
    const created = invites.map((i) => i.createdAt);
    assert.deepEqual(created, [...created].sort().reverse());
  });

  test("in ROQ's order (EMAIL, ASC), the sequence is sorted across page boundaries", async () => {
    const { invites, requests } = await collect(admin.allUserInvites({ limit: 30, order: { order: "ASC", sort: "EMAIL" } }));
    const emails = invites.map((i) => i.email);
    assert.equal(emails.length, TOTAL);
    assert.deepEqual(emails, [...emails].sort());
    assert.equal(requests[0]!.searchParams.get("sort"), "email");
    assert.equal(requests[0]!.searchParams.get("order"), "asc");
  });

  test("with a filter: only the canceled ones, in pages of 4", async () => {
    const { invites, requests } = await collect(admin.allUserInvites({ limit: 4, filter: { status: { equalTo: "canceled" } } }));
    assert.equal(invites.length, CANCELED);
    assert.ok(invites.every((i) => i.status === "canceled"));
    assert.ok(requests.length >= 8);
    assert.ok(requests.every((r) => r.searchParams.get("status") === "canceled"));
  });

  test("with a search: the Zeldas, in pages of 3", async () => {
    const { invites } = await collect(admin.allUserInvites({ limit: 3, search: { value: "zel" } }));
    assert.equal(invites.length, ZELDAS);
    assert.ok(invites.every((i) => i.firstName === "Zelda"));
  });

  test("stopping early asks for no more pages", async () => {
    const from = proxy.requests.length;
    let seen = 0;
    for await (const _ of admin.allUserInvites({ limit: 10 })) {
      if (++seen === 15) break;
    }
    assert.equal(proxy.requests.length - from, 2);
  });

  test("allUserInvites refuses offset and cursor: it pages itself", async () => {
    const iteration = admin.allUserInvites({ offset: 5 } as never);
    await assert.rejects(iteration.next(), TypeError);
  });
});

describe("offset paging and counts", () => {
  test("userInvites({ limit, offset }) pages like the cursor does", async () => {
    const order = { order: "ASC", sort: "EMAIL" } as const;
    const first = await admin.userInvites({ limit: 100, offset: 0, order });
    const second = await admin.userInvites({ limit: 100, offset: 100, order });
    assert.equal(first.totalCount, TOTAL);
    assert.equal(first.data.length + second.data.length, 200);
    assert.ok(first.data.at(-1)!.email < second.data[0]!.email);
  });

  test("totalCount is exact for a status filter (contract: totalCountExact true)", async () => {
    const page = await admin.userInvites({ limit: 1, filter: { status: { valueIn: ["pending"] } } });
    assert.equal(page.totalCount, TOTAL - CANCELED);
    assert.equal(exact(page), true);
  });

  test("with a search of more than 100 matches, totalCount is 100+ (contract: totalCountExact false)", async () => {
    const page = await admin.userInvites({ limit: 5, search: "page" });
    assert.equal(page.data.length, 5);
    assert.equal(page.totalCount, 100);
    assert.equal(exact(page), false);
  });

  test("a super admin without tenantId pages across every tenant (contract)", async () => {
    const { invites } = await collect(client.asSuperAdmin().allUserInvites({ limit: 100 }));
    const tenants = new Set(invites.map((i) => i.tenantId));
    assert.ok(tenants.has(tenant) && tenants.has(otherTenant));
    assert.equal(invites.length, TOTAL + 1);
  });
});
