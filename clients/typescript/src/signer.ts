// Server mode mints one short-lived JWT per acting identity, as ROQ's SDK does for
// `asUser(id)` and `asSuperAdmin()`. HS256 is signed with Web Crypto, so the package
// needs no JWT library and runs unchanged in Node 20+ and in browsers.

/** The claims of a token the client mints (see the contract's "Callers"). */
export interface TokenClaims {
  /** The acting user (a UUID). */
  sub: string;
  /** The tenant the user acts in; absent for a token of no tenant. */
  tenantId?: string;
  superAdmin?: boolean;
  /** The roles the caller may grant. */
  roles?: string[];
  /** The caller's display name (shown as the inviter in emails). */
  name?: string;
  iat: number;
  exp: number;
  iss?: string;
  aud?: string;
}

/**
 * Mints a JWT for these claims: for a KMS key or an identity provider. It may change or
 * add claims (its token is sent as it is), and it receives the request's AbortSignal.
 */
export type SignerCallback = (claims: TokenClaims, options: { signal?: AbortSignal }) => string | Promise<string>;

/** An HS256 secret (at least 32 bytes), or a callback that mints the token. */
export type Signer = string | Uint8Array | SignerCallback;

/** Who a request acts as, before it becomes claims. */
export interface Identity {
  sub: string;
  tenantId?: string | undefined;
  superAdmin?: boolean | undefined;
  roles?: readonly string[] | undefined;
  name?: string | undefined;
}

export interface TokenMinterOptions {
  signer: Signer;
  /** Lifetime of each token, in seconds; default 300. */
  tokenTtlSeconds?: number | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** The shortest HS256 secret the API accepts (RFC 7518 §3.2: at least the hash size). */
export const MIN_SECRET_BYTES = 32;

/**
 * Mints tokens and keeps each until half its life is over, so a burst of requests as
 * one identity signs once.
 */
export class TokenMinter {
  readonly #sign: SignerCallback;
  readonly #ttl: number;
  readonly #issuer: string | undefined;
  readonly #audience: string | undefined;
  readonly #cache = new Map<string, { token: string; renewAt: number }>();

  constructor(options: TokenMinterOptions) {
    this.#ttl = options.tokenTtlSeconds ?? 300;
    if (!Number.isInteger(this.#ttl) || this.#ttl < 10) {
      throw new TypeError("tokenTtlSeconds must be a whole number of seconds, at least 10");
    }
    this.#issuer = options.issuer;
    this.#audience = options.audience;
    this.#sign = typeof options.signer === "function" ? options.signer : hs256Signer(options.signer);
  }

  async token(identity: Identity, signal?: AbortSignal): Promise<string> {
    const key = JSON.stringify([
      identity.sub,
      identity.tenantId ?? null,
      identity.superAdmin ?? false,
      identity.roles ?? null,
      identity.name ?? null,
    ]);
    const now = Date.now();
    const cached = this.#cache.get(key);
    if (cached && cached.renewAt > now) return cached.token;
    const iat = Math.floor(now / 1000);
    const claims: TokenClaims = { sub: identity.sub, iat, exp: iat + this.#ttl };
    if (identity.tenantId !== undefined) claims.tenantId = identity.tenantId;
    if (identity.superAdmin) claims.superAdmin = true;
    if (identity.roles !== undefined) claims.roles = [...identity.roles];
    if (identity.name !== undefined) claims.name = identity.name;
    if (this.#issuer !== undefined) claims.iss = this.#issuer;
    if (this.#audience !== undefined) claims.aud = this.#audience;
    const token = await this.#sign(claims, signal ? { signal } : {});
    this.#cache.set(key, { token, renewAt: now + (this.#ttl * 1000) / 2 });
    return token;
  }
}

/** A signer that signs HS256 with `secret`. */
export function hs256Signer(secret: string | Uint8Array): SignerCallback {
  const raw = typeof secret === "string" ? new TextEncoder().encode(secret) : secret;
  if (raw.byteLength < MIN_SECRET_BYTES) {
    throw new TypeError(`an HS256 secret must be at least ${MIN_SECRET_BYTES} bytes; this one has ${raw.byteLength}`);
  }
  // Imported once, lazily: `crypto.subtle` is async, and the constructor is not.
  let key: Promise<CryptoKey> | undefined;
  return async (claims) => {
    key ??= subtle().importKey("raw", new Uint8Array(raw), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const header = base64url(new TextEncoder().encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
    const payload = base64url(new TextEncoder().encode(JSON.stringify(claims)));
    const input = `${header}.${payload}`;
    const signature = await subtle().sign("HMAC", await key, new TextEncoder().encode(input));
    return `${input}.${base64url(new Uint8Array(signature))}`;
  };
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error("Web Crypto (crypto.subtle) is not available: use Node 20+ or a secure browser context");
  return s;
}

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
