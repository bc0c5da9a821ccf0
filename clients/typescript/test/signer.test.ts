// Server mode's tokens: what the signer puts in them, for whom, and that the API
// takes them. The tokens are read where they go out, through a forwarding proxy.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { createClient, hs256Signer, type TokenClaims } from "../src/index.js";
import { startProxy, type FaultProxy } from "./helpers/proxy.js";
import { email, startServer, uuid, type LocalServer } from "./helpers/server.js";

let server: LocalServer;
let proxy: FaultProxy;
const tenant = uuid();
const userId = uuid();
const NIL = "00000000-0000-0000-0000-000000000000";

before(async () => {
  server = await startServer();
  proxy = await startProxy(server.baseUrl);
});
after(async () => {
  await proxy.close();
  await server.stop();
});

function decode(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown>; signature: string } {
  const [header, claims, signature] = jwt.split(".");
  const json = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  return { header: json(header!), claims: json(claims!), signature: signature! };
}

/** The claims of the bearer token of the proxy's last request. */
function lastClaims(): Record<string, unknown> {
  const auth = String(proxy.requests.at(-1)!.headers.authorization);
  assert.match(auth, /^Bearer /);
  return decode(auth.slice(7)).claims;
}

const client = (options: object = {}) =>
  createClient({ baseUrl: proxy.url, signer: server.secret, tenantId: tenant, ...options });

describe("HS256 with Web Crypto", () => {
  test("a compact JWT that HMAC-SHA256 verifies, with the contract's claims", async () => {
    const sign = hs256Signer(server.secret);
    const claims: TokenClaims = { sub: userId, tenantId: tenant, roles: ["a"], iat: 1, exp: 2 };
    const jwt = await sign(claims, {});
    const [h, p, s] = jwt.split(".");
    assert.deepEqual(decode(jwt).header, { alg: "HS256", typ: "JWT" });
    assert.deepEqual(decode(jwt).claims, claims);
    assert.equal(s, createHmac("sha256", server.secret).update(`${h}.${p}`).digest("base64url"));
  });

  test("a secret under 32 bytes is refused when the client is created", () => {
    assert.throws(() => createClient({ baseUrl: proxy.url, signer: "x".repeat(31) }), /at least 32 bytes/);
    assert.throws(() => createClient({ baseUrl: proxy.url, signer: new Uint8Array(31) }), /at least 32 bytes/);
    assert.doesNotThrow(() => createClient({ baseUrl: proxy.url, signer: new Uint8Array(32) }));
  });

  test("createClient wants a baseUrl, and a signer or a token, not both", () => {
    assert.throws(() => createClient({ baseUrl: "", signer: server.secret }), TypeError);
    assert.throws(() => createClient({ baseUrl: proxy.url } as never), TypeError);
    assert.throws(() => createClient({ baseUrl: proxy.url, signer: server.secret, token: "t" } as never), TypeError);
  });
});

describe("asUser(userId, { tenantId?, roles?, name? })", () => {
  test("a short-lived user token: sub, tenantId, exp, no superAdmin", async () => {
    await client().asUser(userId).userInvites();
    const claims = lastClaims();
    assert.equal(claims.sub, userId);
    assert.equal(claims.tenantId, tenant);
    assert.equal(claims.superAdmin, undefined);
    assert.equal((claims.exp as number) - (claims.iat as number), 300);
    assert.ok(Math.abs((claims.iat as number) - Date.now() / 1000) < 5);
  });

  test("a send's tenant comes from its body; else the client's; asUser's wins over both", async () => {
    const elsewhere = uuid();
    const as = client().asUser(userId);
    await as.sendUserInvites({ userInvites: { tenantId: elsewhere, userInvites: [{ email: email() }] } }, { retry: false });
    assert.equal(lastClaims().tenantId, elsewhere);
    await as.userInvite({ id: uuid() }).catch(() => undefined);
    assert.equal(lastClaims().tenantId, tenant);
    const pinned = uuid();
    await client().asUser(userId, { tenantId: pinned }).sendUserInvites(
      { userInvites: { tenantId: elsewhere, userInvites: [{ email: email() }] } },
      { retry: false },
    ).catch(() => undefined);
    assert.equal(lastClaims().tenantId, pinned);
  });

  test("no tenant anywhere: a token of no tenant, which may still accept", async () => {
    const bare = createClient({ baseUrl: proxy.url, signer: server.secret });
    await bare.asUser(userId).acceptUserInvite({ acceptUserInvite: { token: "x".repeat(64) } }).catch(() => undefined);
    assert.equal("tenantId" in lastClaims(), false);
  });

  test("roles: asUser's, else the client's userRoles (a list or a lookup)", async () => {
    await client({ userRoles: ["viewer"] }).asUser(userId).userInvites();
    assert.deepEqual(lastClaims().roles, ["viewer"]);
    const lookedUp: string[] = [];
    const lookup = client({ userRoles: async (id: string) => (lookedUp.push(id), ["editor"]) });
    await lookup.asUser(userId).userInvites();
    assert.deepEqual(lastClaims().roles, ["editor"]);
    assert.deepEqual(lookedUp, [userId]);
    await lookup.asUser(userId, { roles: ["owner"], name: "Olga" }).userInvites();
    assert.deepEqual(lastClaims().roles, ["owner"]);
    assert.equal(lastClaims().name, "Olga");
    await client().asUser(userId).userInvites();
    assert.equal("roles" in lastClaims(), false);
  });

  test("iss and aud when configured, and the token lifetime", async () => {
    await client({ issuer: "https://issuer.example", audience: "user-invites", tokenTtlSeconds: 60 }).asUser(userId).userInvites()
      .catch(() => undefined);
    const claims = lastClaims();
    assert.equal(claims.iss, "https://issuer.example");
    assert.equal(claims.aud, "user-invites");
    assert.equal((claims.exp as number) - (claims.iat as number), 60);
  });
});

describe("asSuperAdmin({ userId?, tenantId? })", () => {
  test("superAdmin: true, the nil UUID or the configured sub, no tenant unless named", async () => {
    await client().asSuperAdmin().userInvite({ id: uuid() }).catch(() => undefined);
    let claims = lastClaims();
    assert.equal(claims.superAdmin, true);
    assert.equal(claims.sub, NIL);
    assert.equal("tenantId" in claims, false);
    const adminId = uuid();
    await client({ superAdminUserId: adminId }).asSuperAdmin({ tenantId: tenant }).userInvites();
    claims = lastClaims();
    assert.equal(claims.sub, adminId);
    assert.equal(claims.tenantId, tenant);
  });
});

describe("a signer callback (KMS, identity provider)", () => {
  test("gets the claims and the signal; its token goes out as it is, and the API takes it", async () => {
    const seen: TokenClaims[] = [];
    const sign = hs256Signer(server.secret);
    const controller = new AbortController();
    let gotSignal: AbortSignal | undefined;
    const callbackClient = createClient({
      baseUrl: proxy.url,
      tenantId: tenant,
      signer: async (claims, options) => {
        seen.push(claims);
        gotSignal = options.signal;
        return sign({ ...claims, name: "from the IdP" }, options);
      },
    });
    const page = await callbackClient.asUser(userId).userInvites({}, { signal: controller.signal });
    assert.ok(Array.isArray(page.data));
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.sub, userId);
    assert.equal(gotSignal, controller.signal);
    assert.equal(lastClaims().name, "from the IdP");
  });

  test("one token per identity is reused for half its life", async () => {
    let calls = 0;
    const sign = hs256Signer(server.secret);
    const counting = createClient({
      baseUrl: proxy.url,
      tenantId: tenant,
      signer: (claims, options) => (calls++, sign(claims, options)),
    });
    const as = counting.asUser(userId);
    await as.userInvites();
    await as.userInvites();
    await counting.asUser(userId).userInvites();
    assert.equal(calls, 1);
    await counting.asUser(uuid()).userInvites();
    await counting.asSuperAdmin().userInvites({ filter: { tenantId: { equalTo: tenant } } });
    assert.equal(calls, 3);
  });
});

describe("check-token", () => {
  test("carries no Authorization header, in either mode", async () => {
    await client().checkUserInviteToken("t");
    assert.equal(proxy.requests.at(-1)!.headers.authorization, undefined);
    await client().asUser(userId).checkUserInviteToken("t");
    assert.equal(proxy.requests.at(-1)!.headers.authorization, undefined);
    await createClient({ baseUrl: proxy.url, token: "a.b.c" }).checkUserInviteToken("t");
    assert.equal(proxy.requests.at(-1)!.headers.authorization, undefined);
  });
});
