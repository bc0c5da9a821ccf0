// ROQ's own snippets (examples/), run against invites-local. They use ROQ's fixed ids,
// so on a fresh server the ones naming an invite that does not exist answer 404: that
// still proves the call reached its route, authenticated, and had a body the API
// accepts (a wrong shape is a 400). The send creates a real invite, and the super
// admin's list, across every tenant, finds it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { UserInvitesError } from "@user-invites/client";

import { startServer, type LocalServer } from "./helpers/server.js";

const ROQ_TENANT = "ee764883-f2c3-4486-9de6-070345e350af";
const ROQ_USER = "530c9a92-71c5-4dce-a6e3-c638c2d0b1bc";

let server: LocalServer;

before(async () => {
  server = await startServer();
  process.env.USER_INVITES_URL = server.baseUrl;
  process.env.USER_INVITES_JWT_SECRET = server.secret;
});
after(() => server.stop());

/** Runs one example module; its top-level await is the snippet. */
async function run(name: string): Promise<Record<string, unknown>> {
  return (await import(`../examples/${name}.js`)) as Record<string, unknown>;
}

async function refusedWith(name: string, status: number, code: string): Promise<void> {
  await assert.rejects(run(name), (error: unknown) => {
    // The examples import the built package (dist/), so the class is that one.
    assert.ok(error instanceof UserInvitesError, `expected a UserInvitesError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  });
}

describe("ROQ's snippets against invites-local", () => {
  test("sendUserInvites as a user, with tenantId, createdByUserId, email, locale and roles", async () => {
    const { status } = (await run("send-user-invites")) as { status: { success: any[]; errors: any[] } };
    assert.deepEqual(status.errors, []);
    assert.equal(status.success.length, 1);
    const [invite] = status.success;
    assert.equal(invite.email, "wick.john@gmail.com");
    assert.equal(invite.tenantId, ROQ_TENANT);
    assert.equal(invite.createdByUserId, ROQ_USER);
    assert.equal(invite.locale, "en-US");
    assert.deepEqual(invite.roles, ["content-creator"]);
    assert.equal(invite.status, "pending");
  });

  test("resendUserInvite(id) of an invite this server never had: 404 NOT_FOUND", () =>
    refusedWith("resend-user-invite", 404, "NOT_FOUND"));

  test("cancelUserInvite(id) of an invite this server never had: 404 NOT_FOUND", () =>
    refusedWith("cancel-user-invite", 404, "NOT_FOUND"));

  test("acceptUserInvite({ acceptUserInvite: { token } }) as super admin, unknown token: 404 TOKEN_INVALID", () =>
    refusedWith("accept-user-invite", 404, "TOKEN_INVALID"));

  test("updateUserInvite({ id, userInvite: { acceptedByUserId: null, … } }) as super admin: 404 NOT_FOUND", () =>
    refusedWith("update-user-invite", 404, "NOT_FOUND"));

  test("userInvite({ id }) as super admin: 404 NOT_FOUND", () => refusedWith("user-invite", 404, "NOT_FOUND"));

  test("userInvites({ limit: 10 }) as super admin lists every tenant (the contract)", async () => {
    const { userInvitesData } = (await run("user-invites")) as {
      userInvitesData: { totalCount: number; totalCountExact: boolean; data: any[]; nextCursor: string | null };
    };
    assert.ok(userInvitesData.data.length <= 10);
    assert.ok(userInvitesData.data.some((i) => i.email === "wick.john@gmail.com" && i.tenantId === ROQ_TENANT));
    assert.equal(userInvitesData.totalCountExact, true);
  });
});
