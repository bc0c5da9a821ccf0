// Every error code the client can meet, each from a real invites-local where the
// server can be brought to answer it; the rest (INVITE_EXPIRED, which needs a week to
// pass, INTERNAL, and what gateways answer) through the fault proxy. METHOD_NOT_ALLOWED
// cannot be met: the client only calls the routes it knows, with their methods.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";

import {
  createClient,
  hs256Signer,
  UserInvitesError,
  UserInvitesNetworkError,
  type ProblemCode,
  type ServerClient,
  type UserInvitesApi,
} from "../src/index.js";
import { problem, startProxy } from "./helpers/proxy.js";
import { email, startServer, uuid, type LocalServer } from "./helpers/server.js";

let server: LocalServer;
let client: ServerClient;
let admin: UserInvitesApi;
const tenant = uuid();
const adminId = uuid();

before(async () => {
  server = await startServer({ INVITES_RESEND_LIMIT_PER_HOUR: "2" });
  client = createClient({ baseUrl: server.baseUrl, signer: server.secret, tenantId: tenant, userRoles: ["member", "admin"] });
  admin = client.asUser(adminId);
});
after(() => server.stop());

/** Asserts that `call` throws a UserInvitesError with this status and code, and returns it. */
async function refused(call: Promise<unknown>, status: number, code: ProblemCode): Promise<UserInvitesError> {
  let caught: unknown;
  await assert.rejects(call, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof UserInvitesError, `expected a UserInvitesError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.status, status);
  assert.equal(caught.problem?.code, code);
  return caught;
}

async function invite(address = email()): Promise<string> {
  const sent = await admin.sendUserInvites({
    userInvites: { tenantId: tenant, userInvites: [{ email: address }] },
    sendEmail: false,
  });
  assert.deepEqual(sent.errors, []);
  return sent.success[0]!.id;
}

async function inviteWithToken(): Promise<{ id: string; token: string }> {
  const sent = await admin.sendUserInvites({
    userInvites: { tenantId: tenant, userInvites: [{ email: email() }] },
    sendEmail: false,
  });
  const [created] = sent.success;
  return { id: created!.id, token: new URL(created!.acceptUrl!).searchParams.get("token")! };
}

describe("400 VALIDATION_FAILED lists every invalid field", () => {
  test("a bad tenantId and a bad expiresInDays fail the whole send", async () => {
    const error = await refused(
      admin.sendUserInvites({ userInvites: { tenantId: "not-a-uuid", userInvites: [{ email: email() }] }, expiresInDays: 99 }),
      400,
      "VALIDATION_FAILED",
    );
    const fields = error.errors.map((e) => e.field);
    assert.ok(fields.includes("userInvites.tenantId"), fields.join());
    assert.ok(fields.includes("expiresInDays"), fields.join());
  });

  test("a limit over 100 is refused by the server, named as the query parameter", async () => {
    const error = await refused(admin.userInvites({ limit: 1000 }), 400, "VALIDATION_FAILED");
    assert.deepEqual(error.errors.map((e) => e.field), ["limit"]);
  });

  test("one bad invitee fails only itself: VALIDATION_FAILED in errors[], not thrown", async () => {
    const good = email();
    const sent = await admin.sendUserInvites({
      userInvites: { tenantId: tenant, userInvites: [{ email: "not an email" }, { email: good }] },
    });
    assert.deepEqual(sent.success.map((i) => i.email), [good]);
    assert.equal(sent.errors[0]!.index, 0);
    assert.equal(sent.errors[0]!.code, "VALIDATION_FAILED");
  });
});

describe("401 UNAUTHENTICATED", () => {
  test("a token signed with another secret", async () => {
    const stranger = createClient({ baseUrl: server.baseUrl, signer: randomBytes(32) });
    await refused(stranger.asUser(adminId, { tenantId: tenant }).userInvites(), 401, "UNAUTHENTICATED");
  });

  test("an expired token from a callback signer", async () => {
    const sign = hs256Signer(server.secret);
    const expired = createClient({
      baseUrl: server.baseUrl,
      signer: (claims, options) => sign({ ...claims, iat: claims.iat - 7200, exp: claims.iat - 3600 }, options),
    });
    await refused(expired.asUser(adminId, { tenantId: tenant }).userInvites(), 401, "UNAUTHENTICATED");
  });

  test("a browser token that is not a JWT", async () => {
    await refused(createClient({ baseUrl: server.baseUrl, token: "garbage" }).userInvites(), 401, "UNAUTHENTICATED");
  });
});

describe("403 FORBIDDEN", () => {
  test("a user inviting into another tenant", async () => {
    await refused(
      client.asUser(adminId, { tenantId: tenant }).sendUserInvites({ userInvites: { tenantId: uuid(), userInvites: [{ email: email() }] } }),
      403,
      "FORBIDDEN",
    );
  });

  test("a user naming another createdByUserId", async () => {
    await refused(
      admin.sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: email(), createdByUserId: uuid() }] } }),
      403,
      "FORBIDDEN",
    );
  });

  test("a user listing another tenant", async () => {
    await refused(admin.userInvites({ filter: { tenantId: { equalTo: uuid() } } }), 403, "FORBIDDEN");
  });

  test("a user accepting for someone else", async () => {
    const { token } = await inviteWithToken();
    await refused(
      client.asUser(uuid()).acceptUserInvite({ acceptUserInvite: { token, acceptedByUserId: uuid() } }),
      403,
      "FORBIDDEN",
    );
  });

  test("a user granting a role their token does not list (contract: roles policy)", async () => {
    const call = client
      .asUser(adminId, { roles: ["member"] })
      .sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: email(), roles: ["owner"] }] } });
    // The contract says only that the role is not granted and that the caller is not
    // allowed: the whole send refused, or this invitee, FORBIDDEN either way.
    const outcome = await call.then(
      (sent) => ({ created: sent.success.length, code: sent.errors[0]?.code as string | undefined }),
      (error: unknown) => ({ created: 0, code: error instanceof UserInvitesError ? error.code : String(error) }),
    );
    assert.deepEqual(outcome, { created: 0, code: "FORBIDDEN" });
  });
});

describe("404", () => {
  test("NOT_FOUND: no such invite", async () => {
    await refused(admin.userInvite({ id: uuid() }), 404, "NOT_FOUND");
  });

  test("NOT_FOUND: another tenant's invite reads as missing", async () => {
    const id = await invite();
    await refused(client.asUser(uuid(), { tenantId: uuid() }).userInvite({ id }), 404, "NOT_FOUND");
  });

  test("TOKEN_INVALID: accepting with a token no invite has", async () => {
    await refused(client.asUser(uuid()).acceptUserInvite({ acceptUserInvite: { token: "x".repeat(64) } }), 404, "TOKEN_INVALID");
  });
});

describe("409 and 410: transitions the state forbids", () => {
  test("INVITE_ALREADY_ACCEPTED, then INVITE_NOT_PENDING for cancel and resend", async () => {
    const { id, token } = await inviteWithToken();
    const user = client.asUser(uuid());
    await user.acceptUserInvite({ acceptUserInvite: { token } });
    await refused(user.acceptUserInvite({ acceptUserInvite: { token } }), 409, "INVITE_ALREADY_ACCEPTED");
    await refused(admin.cancelUserInvite(id), 409, "INVITE_NOT_PENDING");
    await refused(admin.resendUserInvite(id), 409, "INVITE_NOT_PENDING");
    await refused(admin.updateUserInvite({ id, userInvite: { firstName: "Late" } }), 409, "INVITE_NOT_PENDING");
  });

  test("INVITE_NOT_ACCEPTED: naming who accepted an invite nobody accepted", async () => {
    const id = await invite();
    await refused(
      client.asSuperAdmin().updateUserInvite({ id, userInvite: { acceptedByUserId: uuid() } }),
      409,
      "INVITE_NOT_ACCEPTED",
    );
  });

  test("INVITE_CANCELED (410): accepting a canceled invite", async () => {
    const { id, token } = await inviteWithToken();
    await admin.cancelUserInvite(id);
    await refused(client.asUser(uuid()).acceptUserInvite({ acceptUserInvite: { token } }), 410, "INVITE_CANCELED");
  });

  test("DUPLICATE_PENDING_INVITE: in a send's errors[], for a pending email or a repeat in the request", async () => {
    const address = email();
    await invite(address);
    const again = await admin.sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: address.toUpperCase() }] } });
    assert.deepEqual(again.success, []);
    assert.deepEqual(again.errors.map((e) => [e.index, e.code]), [[0, "DUPLICATE_PENDING_INVITE"]]);
    const twice = email();
    const repeated = await admin.sendUserInvites({
      userInvites: { tenantId: tenant, userInvites: [{ email: twice }, { email: twice.toUpperCase() }] },
    });
    assert.deepEqual(repeated.success.map((i) => i.email), [twice]);
    assert.deepEqual(repeated.errors.map((e) => [e.index, e.code]), [[1, "DUPLICATE_PENDING_INVITE"]]);
  });
});

describe("413, 422 and 429", () => {
  test("PAYLOAD_TOO_LARGE: 101 invitees, or a body over 256 KiB", async () => {
    const many = Array.from({ length: 101 }, () => ({ email: email() }));
    await refused(admin.sendUserInvites({ userInvites: { tenantId: tenant, userInvites: many } }), 413, "PAYLOAD_TOO_LARGE");
    const big = { blob: "x".repeat(300 * 1024) };
    await refused(
      admin.sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: email(), data: big }] } }),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });

  test("IDEMPOTENCY_KEY_REUSED: one key with two bodies", async () => {
    const idempotencyKey = `reuse-${uuid()}`;
    const body = (address: string) => ({ userInvites: { tenantId: tenant, userInvites: [{ email: address }] } });
    await admin.sendUserInvites(body(email()), { idempotencyKey });
    await refused(admin.sendUserInvites(body(email()), { idempotencyKey }), 422, "IDEMPOTENCY_KEY_REUSED");
  });

  test("RATE_LIMITED: one resend too many, with retryAfter in seconds", async () => {
    const id = await invite();
    await admin.resendUserInvite(id, { sendEmail: false });
    await admin.resendUserInvite(id, { sendEmail: false });
    const error = await refused(admin.resendUserInvite(id, { sendEmail: false }), 429, "RATE_LIMITED");
    assert.ok(error.retryAfter !== undefined && error.retryAfter > 0 && error.retryAfter <= 3600, `${error.retryAfter}`);
  });
});

describe("answers only a fault can bring", () => {
  test("INVITE_EXPIRED (410), INTERNAL (500) and UNAVAILABLE (503) as the API writes them", async () => {
    const answers = [problem(410, "INVITE_EXPIRED"), problem(500, "INTERNAL"), problem(503, "UNAVAILABLE")];
    const proxy = await startProxy(server.baseUrl, (i) => ({ kind: "answer", status: answers[i]!.status, body: answers[i] }));
    try {
      const faulty = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant });
      await refused(faulty.asUser(uuid()).acceptUserInvite({ acceptUserInvite: { token: "t" } }), 410, "INVITE_EXPIRED");
      await refused(faulty.asUser(adminId).userInvite({ id: uuid() }), 500, "INTERNAL");
      await refused(faulty.asUser(adminId).cancelUserInvite(uuid()), 503, "UNAVAILABLE");
      assert.equal(proxy.requests.length, 3);
    } finally {
      await proxy.close();
    }
  });

  test("a gateway's answer that is not a problem still gets its status's code", async () => {
    const proxy = await startProxy(server.baseUrl, (i) =>
      i === 0
        ? { kind: "answer", status: 502, body: "<html>Bad Gateway</html>", contentType: "text/html" }
        : { kind: "answer", status: 429, body: { message: "Too Many Requests" }, contentType: "application/json" },
    );
    try {
      const faulty = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant });
      const gateway = await faulty.asUser(adminId).userInvites().catch((e: unknown) => e);
      assert.ok(gateway instanceof UserInvitesError);
      assert.equal(gateway.status, 502);
      assert.equal(gateway.code, "UNAVAILABLE");
      assert.equal(gateway.problem, undefined);
      const throttled = await faulty.asUser(adminId).userInvites().catch((e: unknown) => e);
      assert.ok(throttled instanceof UserInvitesError);
      assert.equal(throttled.code, "RATE_LIMITED");
      assert.equal(throttled.problem, undefined);
    } finally {
      await proxy.close();
    }
  });

  test("no server at all: a UserInvitesNetworkError, not a UserInvitesError", async () => {
    const proxy = await startProxy(server.baseUrl);
    const closedUrl = proxy.url;
    await proxy.close();
    const nowhere = createClient({ baseUrl: closedUrl, signer: server.secret, tenantId: tenant });
    await assert.rejects(nowhere.asUser(adminId).userInvite({ id: uuid() }), (error: unknown) => {
      assert.ok(error instanceof UserInvitesNetworkError);
      assert.ok(!(error instanceof UserInvitesError));
      return true;
    });
  });
});
