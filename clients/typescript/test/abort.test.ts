// Every method takes an AbortSignal: an aborted call rejects with the signal's reason
// (an AbortError, a TimeoutError or the caller's own), before sending, while waiting
// for an answer, between a send's retries, and between pages.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { createClient, UserInvitesError, UserInvitesNetworkError, type UserInvitesApi } from "../src/index.js";
import { problem, startProxy, type Fault, type FaultProxy } from "./helpers/proxy.js";
import { email, startServer, uuid, type LocalServer } from "./helpers/server.js";

let server: LocalServer;
const tenant = uuid();
const adminId = uuid();

before(async () => {
  server = await startServer();
});
after(() => server.stop());

async function behind(decide: (index: number) => Fault): Promise<{ proxy: FaultProxy; admin: UserInvitesApi }> {
  const proxy = await startProxy(server.baseUrl, (i) => decide(i));
  const client = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant });
  return { proxy, admin: client.asUser(adminId) };
}

function isAbort(name = "AbortError") {
  return (error: unknown) => {
    assert.ok(!(error instanceof UserInvitesError) && !(error instanceof UserInvitesNetworkError), String(error));
    assert.equal((error as Error).name, name);
    return true;
  };
}

const id = uuid();
const calls: Record<string, (api: UserInvitesApi, signal: AbortSignal) => Promise<unknown>> = {
  sendUserInvites: (api, signal) =>
    api.sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: email() }] } }, { signal }),
  resendUserInvite: (api, signal) => api.resendUserInvite(id, { signal }),
  cancelUserInvite: (api, signal) => api.cancelUserInvite(id, { signal }),
  acceptUserInvite: (api, signal) => api.acceptUserInvite({ acceptUserInvite: { token: "t" } }, { signal }),
  updateUserInvite: (api, signal) => api.updateUserInvite({ id, userInvite: { firstName: "A" } }, { signal }),
  userInvites: (api, signal) => api.userInvites({ limit: 5 }, { signal }),
  allUserInvites: async (api, signal) => {
    for await (const _ of api.allUserInvites({}, { signal }));
  },
  userInvite: (api, signal) => api.userInvite({ id }, { signal }),
  checkUserInviteToken: (api, signal) => api.checkUserInviteToken("t", { signal }),
};

describe("a signal aborted before the call", () => {
  for (const [method, call] of Object.entries(calls)) {
    test(`${method} sends nothing and rejects with the signal's reason`, async () => {
      const { proxy, admin } = await behind(() => ({ kind: "forward" }));
      try {
        await assert.rejects(call(admin, AbortSignal.abort()), isAbort());
        const reason = new Error("the caller's own reason");
        const controller = new AbortController();
        controller.abort(reason);
        await assert.rejects(call(admin, controller.signal), (e: unknown) => e === reason);
        assert.equal(proxy.requests.length, 0);
      } finally {
        await proxy.close();
      }
    });
  }
});

describe("a signal aborted while the server keeps us waiting", () => {
  for (const [method, call] of Object.entries(calls)) {
    test(`${method} rejects as soon as it aborts`, async () => {
      const controller = new AbortController();
      let aborted = 0;
      // The proxy has the request and holds it; then the caller gives up.
      const { proxy, admin } = await behind(() => {
        setTimeout(() => {
          aborted = Date.now();
          controller.abort();
        }, 50);
        return { kind: "hang" };
      });
      try {
        await assert.rejects(call(admin, controller.signal), isAbort());
        assert.ok(aborted > 0 && Date.now() - aborted < 1_000, `rejected ${Date.now() - aborted} ms after the abort`);
        assert.equal(proxy.requests.length, 1);
      } finally {
        await proxy.close();
      }
    });
  }

  test("AbortSignal.timeout() rejects with a TimeoutError", async () => {
    const { proxy, admin } = await behind(() => ({ kind: "hang" }));
    try {
      await assert.rejects(admin.userInvites({}, { signal: AbortSignal.timeout(100) }), isAbort("TimeoutError"));
    } finally {
      await proxy.close();
    }
  });
});

describe("between attempts and pages", () => {
  test("a send waiting out Retry-After stops waiting, and sends no more", async () => {
    const limited: Fault = { kind: "answer", status: 429, body: problem(429, "RATE_LIMITED"), headers: { "retry-after": "5" } };
    const { proxy } = await behind(() => limited);
    try {
      const client = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant, retry: { retryRateLimited: true } });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 150);
      const send = client
        .asUser(adminId)
        .sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: email() }] } }, { signal: controller.signal });
      await assert.rejects(send, isAbort());
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
      assert.equal(proxy.requests.length, 1);
    } finally {
      await proxy.close();
    }
  });

  test("a send in its backoff after a 503 stops waiting", async () => {
    const { proxy } = await behind(() => ({ kind: "answer", status: 503, body: problem(503, "UNAVAILABLE") }));
    try {
      // A random delay up to 10 s, then 20 s: the abort comes during the backoff.
      const retry = { baseDelayMs: 10_000, maxDelayMs: 20_000 };
      const client = createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant, retry });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 150);
      const send = client
        .asUser(adminId)
        .sendUserInvites({ userInvites: { tenantId: tenant, userInvites: [{ email: email() }] } }, { signal: controller.signal });
      await assert.rejects(send, isAbort());
      assert.ok(Date.now() - started < 2_000, `took ${Date.now() - started} ms`);
    } finally {
      await proxy.close();
    }
  });

  test("allUserInvites stops between pages", async () => {
    const direct = createClient({ baseUrl: server.baseUrl, signer: server.secret, tenantId: tenant }).asUser(adminId);
    await direct.sendUserInvites({
      userInvites: { tenantId: tenant, userInvites: Array.from({ length: 6 }, () => ({ email: email() })) },
      sendEmail: false,
    });
    const { proxy, admin } = await behind(() => ({ kind: "forward" }));
    try {
      const controller = new AbortController();
      let seen = 0;
      await assert.rejects(async () => {
        for await (const _ of admin.allUserInvites({ limit: 2 }, { signal: controller.signal })) {
          if (++seen === 3) controller.abort();
        }
      }, isAbort());
      assert.equal(seen, 3);
      assert.equal(proxy.requests.length, 2);
    } finally {
      await proxy.close();
    }
  });
});
