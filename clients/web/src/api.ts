// The one way the components reach the API: the TypeScript client in browser mode.
// Everything about HTTP, auth headers and problem+json lives in @user-invites/client;
// this file only adapts the components' attributes to it and words its errors.
import { createClient, UserInvitesError, UserInvitesNetworkError, type BrowserClient } from "@user-invites/client";

import type { TokenSource } from "./types.js";

/** Thrown by a token getter that has no token to give: nobody is signed in. */
export class SignInRequired extends Error {
  override readonly name = "SignInRequired";
  constructor() {
    super("Sign in first.");
  }
}

/** The API's address: the attribute, else the page's own origin. */
export function apiBase(baseUrl: string | undefined): string {
  const base = baseUrl?.trim() || globalThis.location?.origin || "";
  return base.replace(/\/+$/, "");
}

/** A browser-mode client that asks `token` for the JWT before each request. */
export function clientFor(baseUrl: string | undefined, token: TokenSource | undefined): BrowserClient {
  return createClient({
    baseUrl: apiBase(baseUrl),
    token: async () => {
      const value = typeof token === "function" ? await token() : token;
      if (!value) throw new SignInRequired();
      return value;
    },
  });
}

/** A client for the one call that needs no JWT (check-token). */
export function anonymousClient(baseUrl: string | undefined): BrowserClient {
  return createClient({
    baseUrl: apiBase(baseUrl),
    token: () => Promise.reject(new SignInRequired()),
  });
}

/** A sentence for a person, from whatever a call threw. */
export function describeError(error: unknown): string {
  if (error instanceof SignInRequired) return "You are not signed in: no token was given.";
  if (error instanceof UserInvitesError) {
    const detail = error.problem?.detail;
    const fields = error.errors.map((e) => `${e.field}: ${e.message}`).join("; ");
    const what = detail ? sentence(detail) : `The server answered ${error.status}.`;
    const wait = error.retryAfter !== undefined ? ` Try again in ${error.retryAfter} s.` : "";
    return `${what}${fields ? ` (${fields})` : ""}${wait} [${error.code}]`;
  }
  if (error instanceof UserInvitesNetworkError) return "The server could not be reached. Check your connection and try again.";
  if (error instanceof Error && error.name === "AbortError") return "The request was stopped.";
  return error instanceof Error ? error.message : String(error);
}

/** `the invite is not pending` -> `The invite is not pending.` */
function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}
