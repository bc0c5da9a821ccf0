// The two ways to hold a client. Server mode is how ROQ's SDK is used: it holds a
// signing key and acts as anyone (`asUser(id)`, `asSuperAdmin()`). Browser mode holds
// one user's token and offers the same methods directly.
import createFetchClient from "openapi-fetch";

import { Api, type Credentials, type UserInvitesApi } from "./api.js";
import type { paths } from "./generated/openapi.js";
import type { RetryOptions } from "./retry.js";
import { TokenMinter, type Signer } from "./signer.js";

interface CommonOptions {
  /** Where the API is, e.g. `http://127.0.0.1:3000` or the stack's `ApiUrl`. */
  baseUrl: string;
  /** How `sendUserInvites` retries, unless a call says otherwise; `false` never retries. */
  retry?: RetryOptions | false;
  /** A `fetch` to use instead of the global one. */
  fetch?: (request: Request) => Promise<Response>;
}

export interface ServerClientOptions extends CommonOptions {
  /** An HS256 secret (at least 32 bytes), or a callback that mints the JWT (KMS, identity provider). */
  signer: Signer;
  /** The tenant of `asUser(id)` when neither the call nor `asUser` names one. */
  tenantId?: string;
  /**
   * The roles a user may grant (the token's `roles` claim) when `asUser` names none:
   * the roles your app knows the user to hold, as ROQ knows them.
   */
  userRoles?: readonly string[] | ((userId: string) => readonly string[] | Promise<readonly string[]>);
  /** The `sub` of `asSuperAdmin()` tokens; default the nil UUID. */
  superAdminUserId?: string;
  /** Lifetime of each minted token, in seconds; default 300. */
  tokenTtlSeconds?: number;
  /** `iss` and `aud` of minted tokens, when the API checks them. */
  issuer?: string;
  audience?: string;
  token?: never;
}

export interface BrowserClientOptions extends CommonOptions {
  /** The signed-in user's JWT, or a getter for a fresh one (called before every request). */
  token: string | ((options: { signal?: AbortSignal | undefined }) => string | Promise<string>);
  signer?: never;
}

export interface AsUserOptions {
  /** The tenant to act in; default the tenant of the call (a send's body), else the client's. */
  tenantId?: string;
  /** The roles the user may grant (the token's `roles` claim); default the client's `userRoles`. */
  roles?: readonly string[];
  /** The user's display name (the token's `name` claim), shown as the inviter. */
  name?: string;
}

export interface AsSuperAdminOptions {
  /** The super admin's user id (`sub`); default the client's `superAdminUserId`. */
  userId?: string;
  /** A tenant for the token; without one, a super admin acts in (and lists) every tenant. */
  tenantId?: string;
  name?: string;
}

/** A server-mode client: act as any user, or as a super admin. */
export interface ServerClient {
  /** ROQ's `roqClient.asUser(userId)`: requests as this user, with a short-lived token. */
  asUser(userId: string, options?: AsUserOptions): UserInvitesApi;
  /** ROQ's `roqClient.asSuperAdmin()`: requests with `superAdmin: true`. */
  asSuperAdmin(options?: AsSuperAdminOptions): UserInvitesApi;
  /** `POST /user-invites/check-token` needs nobody: the invite token is the credential. */
  checkUserInviteToken: UserInvitesApi["checkUserInviteToken"];
}

/** A browser-mode client: ROQ's methods as the holder of the token. */
export type BrowserClient = UserInvitesApi;

const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/**
 * A client of the User Invites API.
 *
 * - `createClient({ baseUrl, signer })` (server mode): `asUser(id)`, `asSuperAdmin()`.
 * - `createClient({ baseUrl, token })` (browser mode): the methods directly.
 */
export function createClient(options: ServerClientOptions): ServerClient;
export function createClient(options: BrowserClientOptions): BrowserClient;
export function createClient(options: ServerClientOptions | BrowserClientOptions): ServerClient | BrowserClient {
  if (typeof options?.baseUrl !== "string" || options.baseUrl === "") {
    throw new TypeError("createClient: baseUrl is required");
  }
  const hasSigner = options.signer !== undefined;
  const hasToken = options.token !== undefined;
  if (hasSigner === hasToken) {
    throw new TypeError("createClient: give either signer (server mode) or token (browser mode), not both");
  }
  const http = createFetchClient<paths>({
    baseUrl: options.baseUrl,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    // `status=pending,accepted`: the API refuses a repeated query parameter.
    querySerializer: { array: { style: "form", explode: false } },
  });

  if (hasToken) {
    const { token } = options as BrowserClientOptions;
    const credentials: Credentials = async ({ signal }) => (typeof token === "string" ? token : token({ signal }));
    return new Api(http, credentials, options.retry);
  }

  const server = options as ServerClientOptions;
  const minter = new TokenMinter({
    signer: server.signer,
    tokenTtlSeconds: server.tokenTtlSeconds,
    issuer: server.issuer,
    audience: server.audience,
  });
  const anonymous = new Api(http, () => Promise.reject(new Error("check-token needs no token")), options.retry);
  return {
    asUser(userId, as = {}) {
      requireId("asUser", userId);
      return new Api(
        http,
        async ({ tenantId, signal }) => {
          const roles = as.roles ?? (typeof server.userRoles === "function" ? await server.userRoles(userId) : server.userRoles);
          return minter.token(
            { sub: userId, tenantId: as.tenantId ?? tenantId ?? server.tenantId, roles, name: as.name },
            signal,
          );
        },
        options.retry,
      );
    },
    asSuperAdmin(as = {}) {
      const sub = as.userId ?? server.superAdminUserId ?? NIL_UUID;
      requireId("asSuperAdmin", sub);
      return new Api(
        http,
        ({ signal }) => minter.token({ sub, tenantId: as.tenantId, superAdmin: true, name: as.name }, signal),
        options.retry,
      );
    },
    checkUserInviteToken: (token, opts) => anonymous.checkUserInviteToken(token, opts),
  };
}

function requireId(method: string, id: unknown): void {
  if (typeof id !== "string" || id === "") throw new TypeError(`${method}: a user id is required`);
}
