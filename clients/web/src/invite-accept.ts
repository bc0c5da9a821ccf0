// <user-invite-accept>: the invitee's page. It checks the token from the address
// (check-token, which needs no sign-in), says who invites them, into which tenant, with
// which roles and until when, and accepts with the signed-in user's token. Expired,
// canceled, already accepted and unknown links are states with words, never raw errors.
import { html, LitElement, nothing, type PropertyValues } from "lit";

import { UserInvitesError, type Invite } from "@user-invites/client";

import { anonymousClient, clientFor, describeError, SignInRequired } from "./api.js";
import { acceptStyles } from "./accept-styles.js";
import { dateTime } from "./format.js";
import type { TokenCheck, TokenSource } from "./types.js";

export type AcceptState =
  | "checking"
  | "missing"
  | "invalid"
  | "pending"
  | "expired"
  | "canceled"
  | "accepted"
  | "accepting"
  | "done"
  | "error";

export class UserInviteAccept extends LitElement {
  static override properties = {
    baseUrl: { attribute: "base-url" },
    inviteToken: { attribute: "invite-token" },
    userToken: { attribute: false },
    state: { state: true },
    check: { state: true },
    message: { state: true },
  };

  static override styles = acceptStyles;

  /** The API's address; default the page's origin. */
  declare baseUrl: string;
  /** The invite token; default the `token` query parameter of the page's address. */
  declare inviteToken: string;
  /** The signed-in user's JWT: a getter (or the token). Without one, accepting asks to sign in. */
  declare userToken: TokenSource | undefined;
  declare state: AcceptState;
  declare check: TokenCheck | undefined;
  declare message: string;

  #checkRequest: AbortController | undefined;
  #acted = false;

  constructor() {
    super();
    this.baseUrl = "";
    this.inviteToken = "";
    this.userToken = undefined;
    this.state = "checking";
    this.check = undefined;
    this.message = "";
  }

  get #token(): string {
    if (this.inviteToken) return this.inviteToken;
    return new URL(globalThis.location.href).searchParams.get("token") ?? "";
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has("baseUrl") || changed.has("inviteToken")) void this.#check();
    // The outcome of the reader's own action is announced by moving focus to its
    // heading; the first check does not take focus from the host page.
    if (changed.has("state") && this.#acted && this.state !== "accepting" && this.state !== "pending") {
      this.#acted = false;
      this.renderRoot.querySelector<HTMLElement>("h2")?.focus();
    }
  }

  async #check(): Promise<void> {
    const token = this.#token;
    if (!token) {
      this.state = "missing";
      return;
    }
    this.#checkRequest?.abort();
    const request = new AbortController();
    this.#checkRequest = request;
    this.state = "checking";
    try {
      const check = (await anonymousClient(this.baseUrl).checkUserInviteToken(token, { signal: request.signal })) as TokenCheck;
      this.check = check;
      this.state = stateOf(check);
    } catch (error) {
      if (request.signal.aborted) return;
      this.state = "error";
      this.message = `The invitation could not be checked. ${describeError(error)}`;
    }
  }

  async #accept(): Promise<void> {
    if (this.state !== "pending") return;
    this.state = "accepting";
    this.#acted = true;
    this.message = "";
    try {
      const invite = await clientFor(this.baseUrl, this.userToken).acceptUserInvite({
        acceptUserInvite: { token: this.#token },
      });
      this.state = "done";
      this.dispatchEvent(new CustomEvent<{ invite: Invite }>("accepted", { detail: { invite }, bubbles: true, composed: true }));
    } catch (error) {
      this.state = "pending";
      if (error instanceof SignInRequired || (error instanceof UserInvitesError && error.status === 401)) {
        this.message =
          error instanceof SignInRequired
            ? "Sign in to accept this invitation."
            : "Your sign-in has expired or was not accepted. Sign in again to accept.";
        // The host may take the reader to its sign-in (and call preventDefault); else
        // the message gets focus.
        const unhandled = this.dispatchEvent(
          new CustomEvent("sign-in-required", { bubbles: true, composed: true, cancelable: true }),
        );
        await this.updateComplete;
        if (unhandled) this.renderRoot.querySelector<HTMLElement>("#message")?.focus();
        return;
      }
      if (error instanceof UserInvitesError) {
        const after = AFTER_REFUSAL[error.code];
        if (after) {
          this.state = after;
          return;
        }
      }
      this.message = `The invitation could not be accepted. ${describeError(error)}`;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>("#message")?.focus();
    }
  }

  protected override render() {
    return html`<section aria-busy=${this.state === "checking" || this.state === "accepting" ? "true" : "false"}>
      ${this.#body()}
    </section>`;
  }

  #body() {
    const check = this.check;
    const inviter = check?.createdByName;
    const askAgain = inviter ? `Ask ${inviter} to send you a new one.` : "Ask the person who invited you to send a new one.";
    switch (this.state) {
      case "checking":
        return html`<h2 tabindex="-1">Checking your invitation…</h2>`;
      case "missing":
        return html`<h2 tabindex="-1">No invitation in this link</h2>
          <p>Open the link from your invitation email exactly as it was sent.</p>`;
      case "invalid":
        return html`<h2 tabindex="-1">This invitation link is not valid</h2>
          <p>
            It may be incomplete, or a newer invitation was sent to you since: use the link in the latest email.
            ${askAgain}
          </p>`;
      case "expired":
        return html`<h2 tabindex="-1">This invitation has expired</h2>
          ${this.#details(check)}
          <p>It could be accepted until ${this.#when(check?.expiresAt)}. ${askAgain}</p>`;
      case "canceled":
        return html`<h2 tabindex="-1">This invitation was canceled</h2>
          ${this.#details(check)}
          <p>It can no longer be accepted. ${askAgain}</p>`;
      case "accepted":
        return html`<h2 tabindex="-1">This invitation has already been accepted</h2>
          ${this.#details(check)}
          <p>There is nothing more to do: sign in to continue.</p>`;
      case "done":
        return html`<h2 tabindex="-1">You have joined ${check?.tenantName ?? "the tenant"}</h2>
          <p class="success">Invitation accepted.</p>`;
      case "error":
        return html`<h2 tabindex="-1">Something went wrong</h2>
          <p id="message" class="error" role="alert">${this.message}</p>
          <button type="button" @click=${() => void this.#check()}>Try again</button>`;
      case "pending":
      case "accepting":
        return html`<h2 tabindex="-1">
            ${inviter ? `${inviter} invited you` : "You are invited"} to join ${check?.tenantName ?? "a tenant"}
          </h2>
          ${this.#details(check)}
          <p>You can accept until ${this.#when(check?.expiresAt)}.</p>
          ${this.message ? html`<p id="message" class="error" role="alert" tabindex="-1">${this.message}</p>` : nothing}
          <button type="button" class="primary" ?disabled=${this.state === "accepting"} @click=${() => void this.#accept()}>
            ${this.state === "accepting" ? "Accepting…" : "Accept invitation"}
          </button>`;
    }
  }

  #when(iso: string | null | undefined) {
    return iso ? html`<time datetime=${iso}>${dateTime(iso)}</time>` : "its expiry";
  }

  #details(check: TokenCheck | undefined) {
    if (!check?.email) return nothing;
    const roles = check.roles ?? [];
    return html`<dl>
      <dt>Invitation for</dt>
      <dd>${check.email}</dd>
      <dt>Invited by</dt>
      <dd>${check.createdByName ?? html`<span class="muted">not named</span>`}</dd>
      <dt>Tenant</dt>
      <dd>
        ${check.tenantName ?? nothing}
        ${check.tenantId ? html`<code class=${check.tenantName ? "muted" : ""}>${check.tenantId}</code>` : nothing}
      </dd>
      <dt>Roles</dt>
      <dd>${roles.length ? html`<ul class="roles">${roles.map((r) => html`<li>${r}</li>`)}</ul>` : html`<span class="muted">none</span>`}</dd>
      <dt>Valid until</dt>
      <dd>${this.#when(check.expiresAt)}</dd>
    </dl>`;
  }
}

/** What check-token's answer means for the page. */
export function stateOf(check: TokenCheck): AcceptState {
  if (check.isValid) return "pending";
  if (check.isExpired) return "expired";
  if (check.status === "accepted") return "accepted";
  if (check.status === "canceled") return "canceled";
  if (check.status === "expired") return "expired";
  return "invalid";
}

/** The state an accept's refusal reveals (the invite changed since the check). */
const AFTER_REFUSAL: Partial<Record<string, AcceptState>> = {
  INVITE_ALREADY_ACCEPTED: "accepted",
  INVITE_EXPIRED: "expired",
  INVITE_CANCELED: "canceled",
  TOKEN_INVALID: "invalid",
};
