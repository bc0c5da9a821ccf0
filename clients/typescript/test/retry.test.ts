// sendUserInvites retries with one Idempotency-Key, so a retry never invites twice.
// The faults come from a proxy in front of a real invites-local.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient, UserInvitesError, UserInvitesNetworkError, type ServerClient } from "../src/index.js";
import { backoffDelay, retryPolicy } from "../src/retry.js";
import { problem, startProxy, type Fault, type FaultProxy } from "./helpers/proxy.js";
import { email, startServer, uuid, type LocalServer } from "./helpers/server.js";

let server: LocalServer;
let direct: ServerClient;
const tenant = uuid();
const adminId = uuid();
const FAST = { baseDelayMs: 1, maxDelayMs: 5 };

before(async () => {
  server = await startServer();
  direct = createClient({ baseUrl: server.baseUrl, signer: server.secret, tenantId: tenant });
});
after(() => server.stop());

/** A client through a proxy whose n-th request to `POST /user-invites` meets `faults[n]` (then forward). */
async function through(faults: Fault[], retry = {}) {
  let sends = 0;
  const proxy = await startProxy(server.baseUrl, (_, request) =>
    request.method === "POST" && request.url === "/user-invites" ? (faults[sends++] ?? { kind: "forward" }) : { kind: "forward" },
  );
  const client = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant, retry: { ...FAST, ...retry } });
  return { proxy, admin: client.asUser(adminId) };
}

const sends = (proxy: FaultProxy) => proxy.requests.filter((r) => r.method === "POST" && r.url === "/user-invites");
const body = (address: string) => ({ userInvites: { tenantId: tenant, userInvites: [{ email: address }] } });

function sameKeyAndBody(proxy: FaultProxy, attempts: number): void {
  const seen = sends(proxy);
  assert.equal(seen.length, attempts);
  const key = seen[0]!.headers["idempotency-key"];
  assert.match(String(key), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  for (const r of seen) {
    assert.equal(r.headers["idempotency-key"], key);
    assert.equal(r.body, seen[0]!.body);
  }
}

async function invitesTo(address: string) {
  return direct.asUser(adminId).userInvites({ filter: { email: { equalTo: address } } });
}

describe("a reply lost after the server committed", () => {
  test("the retry replays the first answer: one invite, one email", async () => {
    const { proxy, admin } = await through([{ kind: "drop-reply" }]);
    try {
      const address = email("dropped");
      const sent = await admin.sendUserInvites(body(address));
      sameKeyAndBody(proxy, 2);
      assert.equal(sends(proxy)[0]!.fault, "drop-reply");
      assert.equal(sent.success.length, 1);
      const listed = await invitesTo(address);
      assert.equal(listed.totalCount, 1);
      assert.equal(listed.data[0]!.id, sent.success[0]!.id);
      await server.acceptToken(sent.success[0]!.id);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(server.outbox().filter((f) => f.includes(sent.success[0]!.id)).length, 1);
    } finally {
      await proxy.close();
    }
  });

  test("several lost replies in a row, within the bound", async () => {
    const { proxy, admin } = await through([{ kind: "drop-reply" }, { kind: "drop-reply" }, { kind: "drop-reply" }]);
    try {
      const address = email("thrice");
      const sent = await admin.sendUserInvites(body(address));
      sameKeyAndBody(proxy, 4);
      assert.equal((await invitesTo(address)).totalCount, 1);
      assert.equal(sent.success[0]!.email, address);
    } finally {
      await proxy.close();
    }
  });
});

describe("what is retried, and how often", () => {
  test("a 503 is retried with the same key until the server answers", async () => {
    const unavailable: Fault = { kind: "answer", status: 503, body: problem(503, "UNAVAILABLE") };
    const { proxy, admin } = await through([unavailable, unavailable]);
    try {
      const address = email("unavailable");
      const sent = await admin.sendUserInvites(body(address));
      sameKeyAndBody(proxy, 3);
      assert.equal(sent.success.length, 1);
      assert.equal((await invitesTo(address)).totalCount, 1);
    } finally {
      await proxy.close();
    }
  });

  test("409 IDEMPOTENCY_KEY_IN_PROGRESS (the first attempt still running) is retried", async () => {
    const { proxy, admin } = await through([{ kind: "answer", status: 409, body: problem(409, "IDEMPOTENCY_KEY_IN_PROGRESS") }]);
    try {
      const sent = await admin.sendUserInvites(body(email("inprogress")));
      sameKeyAndBody(proxy, 2);
      assert.equal(sent.success.length, 1);
    } finally {
      await proxy.close();
    }
  });

  test("network failures stop at maxAttempts with a UserInvitesNetworkError", async () => {
    const { proxy, admin } = await through(Array(10).fill({ kind: "reset" }), { maxAttempts: 3 });
    try {
      const address = email("unreachable");
      await assert.rejects(admin.sendUserInvites(body(address)), (error: unknown) => {
        assert.ok(error instanceof UserInvitesNetworkError);
        assert.equal(error.attempts, 3);
        return true;
      });
      sameKeyAndBody(proxy, 3);
      assert.equal((await invitesTo(address)).totalCount, 0);
    } finally {
      await proxy.close();
    }
  });

  test("a 503 that persists is thrown after maxAttempts", async () => {
    const { proxy, admin } = await through(Array(10).fill({ kind: "answer", status: 503, body: problem(503, "UNAVAILABLE") }), {
      maxAttempts: 2,
    });
    try {
      await assert.rejects(admin.sendUserInvites(body(email())), (e: unknown) => e instanceof UserInvitesError && e.code === "UNAVAILABLE");
      sameKeyAndBody(proxy, 2);
    } finally {
      await proxy.close();
    }
  });

  test("retry: false sends once", async () => {
    const { proxy, admin } = await through([{ kind: "answer", status: 503, body: problem(503, "UNAVAILABLE") }]);
    try {
      await assert.rejects(admin.sendUserInvites(body(email()), { retry: false }), UserInvitesError);
      assert.equal(sends(proxy).length, 1);
    } finally {
      await proxy.close();
    }
  });

  test("a client error is never retried", async () => {
    const { proxy, admin } = await through([]);
    try {
      await assert.rejects(
        admin.sendUserInvites({ userInvites: { tenantId: "nope", userInvites: [{ email: email() }] } }),
        (e: unknown) => e instanceof UserInvitesError && e.status === 400,
      );
      assert.equal(sends(proxy).length, 1);
    } finally {
      await proxy.close();
    }
  });

  test("every call has a key of its own, unless the caller gives one", async () => {
    const { proxy, admin } = await through([]);
    try {
      await admin.sendUserInvites(body(email()));
      await admin.sendUserInvites(body(email()));
      await admin.sendUserInvites(body(email()), { idempotencyKey: "my-own-key-1" });
      const keys = sends(proxy).map((r) => r.headers["idempotency-key"]);
      assert.equal(new Set(keys).size, 3);
      assert.equal(keys[2], "my-own-key-1");
    } finally {
      await proxy.close();
    }
  });

  test("only the send retries: a read that meets a 503 throws at once", async () => {
    const proxy = await startProxy(server.baseUrl, () => ({ kind: "answer", status: 503, body: problem(503, "UNAVAILABLE") }));
    try {
      const client = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant, retry: FAST });
      await assert.rejects(client.asUser(adminId).userInvites(), UserInvitesError);
      assert.equal(proxy.requests.length, 1);
    } finally {
      await proxy.close();
    }
  });
});

describe("429 RATE_LIMITED", () => {
  const limited = (seconds: string): Fault => ({
    kind: "answer",
    status: 429,
    body: problem(429, "RATE_LIMITED"),
    headers: { "retry-after": seconds },
  });

  test("is thrown at once by default", async () => {
    const { proxy, admin } = await through([limited("1")]);
    try {
      const error = await admin.sendUserInvites(body(email())).catch((e: unknown) => e);
      assert.ok(error instanceof UserInvitesError);
      assert.equal(error.retryAfter, 1);
      assert.equal(sends(proxy).length, 1);
    } finally {
      await proxy.close();
    }
  });

  test("with retryRateLimited, is retried after Retry-After, with the same key", async () => {
    const { proxy, admin } = await through([limited("1")], { retryRateLimited: true });
    try {
      const started = Date.now();
      const sent = await admin.sendUserInvites(body(email("patient")));
      assert.ok(Date.now() - started >= 950, `waited ${Date.now() - started} ms`);
      sameKeyAndBody(proxy, 2);
      assert.equal(sent.success.length, 1);
    } finally {
      await proxy.close();
    }
  });

  test("with retryRateLimited, a Retry-After beyond maxRetryAfterSeconds is thrown, not waited out", async () => {
    const { proxy, admin } = await through([limited("3600")], { retryRateLimited: true, maxRetryAfterSeconds: 60 });
    try {
      await assert.rejects(admin.sendUserInvites(body(email())), (e: unknown) => e instanceof UserInvitesError && e.retryAfter === 3600);
      assert.equal(sends(proxy).length, 1);
    } finally {
      await proxy.close();
    }
  });
});

describe("backoff", () => {
  test("full jitter: below a ceiling that doubles per retry, up to maxDelayMs", () => {
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    assert.equal(backoffDelay(policy, 1, () => 0), 0);
    assert.equal(backoffDelay(policy, 1, () => 0.999), 99);
    assert.equal(backoffDelay(policy, 3, () => 0.999), 399);
    assert.equal(backoffDelay(policy, 10, () => 0.999), 999);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(policy, 4)));
    assert.ok(spread.size > 10, "delays are spread at random");
  });

  test("the bound is checked", () => {
    assert.throws(() => retryPolicy({ maxAttempts: 0 }), TypeError);
    assert.throws(() => retryPolicy({ maxAttempts: 11 }), TypeError);
    assert.equal(retryPolicy(undefined).maxAttempts, 4);
    assert.equal(retryPolicy(false).maxAttempts, 1);
  });
});
