// The whole life of invites through the client, against a real invites-local: send,
// the email and its token, check, get, update, list, resend, accept, cancel; in
// server mode and in browser mode.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient, hs256Signer, type Invite, type ServerClient } from "../src/index.js";
import { email, eventually, startServer, uuid, type LocalServer } from "./helpers/server.js";

const ROLES = ["content-creator", "viewer"];

let server: LocalServer;
let client: ServerClient;
const tenant = uuid();
const admin = uuid();

before(async () => {
  server = await startServer();
  client = createClient({ baseUrl: server.baseUrl, signer: server.secret, tenantId: tenant, userRoles: ROLES });
});
after(() => server.stop());

describe("an invite's whole life", () => {
  const john = { email: email("john.wick"), userId: uuid() };
  const jane = { email: email("jane") };
  let johnInvite: Invite;
  let janeInvite: Invite;
  let johnToken: string;

  test("sendUserInvites creates one invite per invitee, in request order", async () => {
    const sent = await client.asUser(admin).sendUserInvites({
      userInvites: {
        tenantId: tenant,
        userInvites: [
          { email: john.email, firstName: "John", lastName: "Wick", locale: "en-US", roles: ["content-creator"], data: { team: "a" } },
          { email: jane.email },
        ],
      },
    });
    assert.deepEqual(sent.errors, []);
    assert.equal(sent.success.length, 2);
    [johnInvite, janeInvite] = sent.success as [Invite, Invite];
    assert.equal(johnInvite.email, john.email);
    assert.equal(johnInvite.tenantId, tenant);
    assert.equal(johnInvite.createdByUserId, admin);
    assert.equal(johnInvite.firstName, "John");
    assert.deepEqual(johnInvite.roles, ["content-creator"]);
    assert.deepEqual(johnInvite.data, { team: "a" });
    assert.equal(johnInvite.status, "pending");
    assert.equal(johnInvite.sendCount, 1);
    assert.equal(johnInvite.acceptUrl, undefined);
    assert.equal(janeInvite.email, jane.email);
    assert.equal(janeInvite.locale, "en-US");
  });

  test("the email carries a token that checkUserInviteToken knows, with no JWT", async () => {
    johnToken = await server.acceptToken(johnInvite.id);
    const janeToken = await server.acceptToken(janeInvite.id);
    assert.ok([johnToken, janeToken].includes(server.lastTokenFromCli()));
    assert.deepEqual(await client.checkUserInviteToken(johnToken), {
      isValid: true,
      isExpired: false,
      email: john.email,
      status: "pending",
      roles: ["content-creator"],
      expiresAt: johnInvite.expiresAt,
      tenantId: tenant,
      tenantName: null,
      createdByName: null,
    });
    assert.deepEqual(await client.checkUserInviteToken("no-such-token"), {
      isValid: false,
      isExpired: false,
      email: null,
      status: null,
      roles: null,
      expiresAt: null,
      tenantId: null,
      tenantName: null,
      createdByName: null,
    });
  });

  test("userInvite({ id }) reads it, and says the email was sent", async () => {
    // The outbox file is written just before the delivery is recorded.
    const read = await eventually(() => client.asUser(admin).userInvite({ id: johnInvite.id }), (i) => i.emailStatus === "sent");
    assert.equal(read.id, johnInvite.id);
    assert.equal(read.emailStatus, "sent");
  });

  test("updateUserInvite({ id, userInvite }) changes the profile", async () => {
    const updated = await client.asUser(admin).updateUserInvite({
      id: johnInvite.id,
      userInvite: { acceptedByUserId: null, firstName: "Fast", lastName: "Ninja", locale: "id-ID", data: { address: "Brosot ST." } },
    });
    assert.equal(updated.firstName, "Fast");
    assert.equal(updated.lastName, "Ninja");
    assert.equal(updated.locale, "id-ID");
    assert.deepEqual(updated.data, { address: "Brosot ST." });
    assert.equal(updated.status, "pending");
  });

  test("userInvites maps ROQ's filter, search and order onto the query", async () => {
    const as = client.asUser(admin);
    const byEmail = await as.userInvites({ filter: { email: { equalTo: john.email.toUpperCase() } } });
    assert.deepEqual(byEmail.data.map((i) => i.id), [johnInvite.id]);
    assert.equal(byEmail.totalCount, 1);
    const bySearch = await as.userInvites({ search: { value: "ninj" } });
    assert.deepEqual(bySearch.data.map((i) => i.id), [johnInvite.id]);
    const bySearchText = await as.userInvites({ search: "fast" });
    assert.deepEqual(bySearchText.data.map((i) => i.id), [johnInvite.id]);
    const pending = await as.userInvites({
      filter: { status: { valueIn: ["pending", "expired"] }, createdByUserId: { equalTo: admin } },
      order: { order: "ASC", sort: "EMAIL" },
    });
    const emails = [john.email, jane.email].sort();
    assert.deepEqual(pending.data.map((i) => i.email), emails);
    const desc = await as.userInvites({ order: { order: "DESC", sort: "EMAIL" }, limit: 1 });
    assert.deepEqual(desc.data.map((i) => i.email), [emails[1]]);
    assert.equal(desc.totalCount, 2);
    assert.equal(typeof desc.nextCursor, "string");
    const second = await as.userInvites({ order: { order: "DESC", sort: "EMAIL" }, limit: 1, offset: 1 });
    assert.deepEqual(second.data.map((i) => i.email), [emails[0]]);
  });

  test("resendUserInvite issues a new token; the old one stops working", async () => {
    const before = server.outbox().at(-1);
    const resent = await client.asUser(admin).resendUserInvite(johnInvite.id);
    assert.equal(resent.sendCount, 2);
    const fresh = await server.acceptToken(johnInvite.id, { after: before! });
    assert.notEqual(fresh, johnToken);
    assert.equal((await client.checkUserInviteToken(johnToken)).isValid, false);
    johnToken = fresh;
  });

  test("acceptUserInvite as the invited user records them", async () => {
    // A user token of no tenant: the invite token is what grants access.
    const noTenant = createClient({ baseUrl: server.baseUrl, signer: server.secret });
    const accepted = await noTenant.asUser(john.userId).acceptUserInvite({ acceptUserInvite: { token: johnToken } });
    assert.equal(accepted.status, "accepted");
    assert.equal(accepted.acceptedByUserId, john.userId);
    assert.equal((await client.asUser(admin).userInvite({ id: johnInvite.id })).status, "accepted");
    // The token is still the invite's (so it tells what became of it), but no longer valid.
    const checked = await client.checkUserInviteToken(johnToken);
    assert.deepEqual(
      { isValid: checked.isValid, isExpired: checked.isExpired, email: checked.email, status: checked.status },
      { isValid: false, isExpired: false, email: john.email, status: "accepted" },
    );
  });

  test("cancelUserInvite cancels a pending invite", async () => {
    const canceled = await client.asUser(admin).cancelUserInvite(janeInvite.id);
    assert.equal(canceled.status, "canceled");
    const list = await client.asUser(admin).userInvites({ filter: { status: { equalTo: "canceled" } } });
    assert.deepEqual(list.data.map((i) => i.id), [janeInvite.id]);
  });
});

describe("more ways in", () => {
  test("sendEmail: false answers the accept link once; a super admin accepts for a new user", async () => {
    const sent = await client.asUser(admin).sendUserInvites({
      userInvites: { tenantId: tenant, userInvites: [{ email: email("linkonly") }] },
      sendEmail: false,
      expiresInDays: 3,
    });
    const [invite] = sent.success;
    assert.ok(invite?.acceptUrl);
    assert.equal(invite.emailStatus, "skipped");
    const token = new URL(invite.acceptUrl).searchParams.get("token")!;
    const accepted = await client.asSuperAdmin().acceptUserInvite({ acceptUserInvite: { token } });
    assert.equal(accepted.status, "accepted");
    assert.match(accepted.acceptedByUserId ?? "", /^[0-9a-f-]{36}$/);
  });

  test("a resend with sendEmail: false and expiresInDays answers a new link", async () => {
    const sent = await client.asUser(admin).sendUserInvites({
      userInvites: { tenantId: tenant, userInvites: [{ email: email("relink") }] },
      sendEmail: false,
    });
    const resent = await client.asUser(admin).resendUserInvite(sent.success[0]!.id, { sendEmail: false, expiresInDays: 14 });
    assert.ok(resent.acceptUrl);
    const days = (Date.parse(resent.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 13.9 && days <= 14, `expires in ${days} days`);
  });

  test("browser mode: a token string, or a getter called for every request", async () => {
    const sign = hs256Signer(server.secret);
    const now = Math.floor(Date.now() / 1000);
    const token = await sign({ sub: admin, tenantId: tenant, roles: ROLES, iat: now, exp: now + 600 }, {});
    const browser = createClient({ baseUrl: server.baseUrl, token });
    const page = await browser.userInvites({ limit: 100 });
    assert.ok(page.totalCount >= 2);
    assert.ok(page.data.every((i) => i.tenantId === tenant));
    let calls = 0;
    const withGetter = createClient({
      baseUrl: server.baseUrl,
      token: async () => {
        calls += 1;
        return token;
      },
    });
    const sent = await withGetter.sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: email("browser") }] } });
    assert.equal(sent.success[0]!.createdByUserId, admin);
    await withGetter.userInvite({ id: sent.success[0]!.id });
    assert.equal(calls, 2);
  });

  test("a super admin acts in any tenant; filter.tenantId names the one to list", async () => {
    const other = uuid();
    const sent = await client.asSuperAdmin().sendUserInvites({
      userInvites: { tenantId: other, userInvites: [{ email: email("elsewhere"), roles: ["anything-goes"] }] },
    });
    assert.equal(sent.success[0]!.tenantId, other);
    const page = await client.asSuperAdmin().userInvites({ filter: { tenantId: { equalTo: other } } });
    assert.deepEqual(page.data.map((i) => i.id), [sent.success[0]!.id]);
    const read = await client.asSuperAdmin().userInvite({ id: sent.success[0]!.id });
    assert.equal(read.tenantId, other);
  });

  test("the inviter's name travels in the token and shows on the invite (contract: createdByName)", async () => {
    const sent = await client.asUser(admin, { name: "Alice Admin" }).sendUserInvites({
      userInvites: { tenantId: tenant, userInvites: [{ email: email("named") }] },
    });
    assert.equal((sent.success[0] as Record<string, unknown>).createdByName, "Alice Admin");
  });
});
