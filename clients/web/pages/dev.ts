// What the two local pages share: development tokens from invites-local's
// `POST /dev/token` (there only while the server uses its development secret), the
// signed-in user's token kept in this browser, and a token's claims read for display.

/** Who a development token is for. */
export type Identity = "admin" | "super-admin" | "new-user";

export interface Minted {
  token: string;
  sub: string;
  tenantId: string | null;
  superAdmin: boolean;
  roles: string[];
  name: string;
  expiresAt: number;
}

/** A development token, or `null` when the server has no development sign-in. */
export async function mint(identity: Identity): Promise<Minted | null> {
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ as: identity }),
  });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`POST /dev/token answered ${response.status}`);
  return (await response.json()) as Minted;
}

/** Where the user signed in on this origin keeps its token (this browser only). */
const USER_TOKEN_KEY = "user-invites:user-token";

export const signedIn = {
  get(): string | null {
    return localStorage.getItem(USER_TOKEN_KEY);
  },
  set(token: string): void {
    localStorage.setItem(USER_TOKEN_KEY, token);
  },
  clear(): void {
    localStorage.removeItem(USER_TOKEN_KEY);
  },
};

export interface ShownClaims {
  sub?: string;
  tenantId?: string;
  superAdmin?: boolean;
  name?: string;
  roles?: string[];
}

/**
 * A JWT's claims, decoded without checking the signature: only to show who a token is
 * for and to set up the table. The API checks the token on every request.
 */
export function claimsOf(token: string): ShownClaims | null {
  const payload = token.trim().split(".")[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === "object" && claims !== null ? (claims as ShownClaims) : null;
  } catch {
    return null;
  }
}

/** `element`'s text, set as text (never parsed as markup). */
export function say(element: Element | null, text: string): void {
  if (element) element.textContent = text;
}

export function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}
