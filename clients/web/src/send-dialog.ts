// "Invite people": paste many addresses, pick roles and a language, send them in one
// request, and see each address's outcome next to it. A modal <dialog>: the rest of the
// page is inert while it is open, Escape closes it, and focus returns to the button
// that opened it.
import { css, html, LitElement, nothing, type PropertyValues } from "lit";

import type { BrowserClient, SendUserInvitesResponse } from "@user-invites/client";

import { describeError } from "./api.js";
import { parseEmails, parseList } from "./format.js";
import { base } from "./styles.js";

/** The most invitees one request takes (the API answers 413 beyond). */
export const MAX_INVITEES = 100;

/** Languages offered in the picker; any BCP 47 tag can be typed. */
const LOCALES = ["en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-BR", "ja-JP", "id-ID"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Outcome {
  email: string;
  ok: boolean;
  message: string;
}

export class UserInvitesSendDialog extends LitElement {
  static override properties = {
    client: { attribute: false },
    tenantId: { attribute: false },
    askTenant: { attribute: false },
    roleChoices: { attribute: false },
    locale: { attribute: false },
    outcomes: { state: true },
    problem: { state: true },
    inputError: { state: true },
    tenantError: { state: true },
    sending: { state: true },
  };

  static override styles = [
    base,
    css`
      form {
        display: grid;
        gap: 0.9rem;
      }
      label,
      legend {
        font-weight: 600;
      }
      .field {
        display: grid;
        gap: 0.3rem;
      }
      textarea {
        min-height: 7rem;
        resize: vertical;
      }
      fieldset {
        border: 1px solid var(--ui-border);
        border-radius: var(--ui-radius);
        padding: 0.5rem 0.75rem;
        margin: 0;
      }
      fieldset label {
        font-weight: normal;
        margin-right: 1rem;
        white-space: nowrap;
      }
      .hint {
        color: var(--ui-muted);
        font-size: 0.9em;
      }
      ul.outcomes {
        list-style: none;
        padding: 0;
        margin: 0;
        max-height: 12rem;
        overflow: auto;
        border: 1px solid var(--ui-border);
        border-radius: var(--ui-radius);
      }
      ul.outcomes li {
        padding: 0.3rem 0.6rem;
        border-bottom: 1px solid var(--ui-subtle);
      }
      ul.outcomes .address {
        font-weight: 600;
        word-break: break-all;
      }
    `,
  ];

  declare client: BrowserClient | undefined;
  /** The tenant to invite into; when `askTenant`, typed in the dialog instead. */
  declare tenantId: string | undefined;
  declare askTenant: boolean;
  /** The roles offered as checkboxes; empty: a free-text field. */
  declare roleChoices: readonly string[];
  declare locale: string;
  declare outcomes: Outcome[];
  declare problem: string;
  declare inputError: string;
  declare tenantError: string;
  declare sending: boolean;

  #returnFocus: HTMLElement | null = null;

  constructor() {
    super();
    this.client = undefined;
    this.tenantId = undefined;
    this.askTenant = false;
    this.roleChoices = [];
    this.locale = "en-US";
    this.outcomes = [];
    this.problem = "";
    this.inputError = "";
    this.tenantError = "";
    this.sending = false;
  }

  get #dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector("dialog")!;
  }

  #field<T extends HTMLElement>(id: string): T {
    return this.renderRoot.querySelector<T>(`#${id}`)!;
  }

  /** Opens the dialog; focus comes back to `returnFocus` when it closes. */
  async open(returnFocus: HTMLElement | null): Promise<void> {
    this.#returnFocus = returnFocus;
    this.outcomes = [];
    this.problem = "";
    this.inputError = "";
    this.tenantError = "";
    await this.updateComplete;
    this.#dialog.showModal();
    this.#field<HTMLTextAreaElement>("emails").focus();
  }

  close(): void {
    this.#dialog.close();
  }

  #closed = (): void => {
    this.#returnFocus?.focus();
    this.#returnFocus = null;
  };

  protected override firstUpdated(_: PropertyValues): void {
    this.#dialog.addEventListener("close", this.#closed);
  }

  #selectedRoles(): string[] {
    if (this.roleChoices.length === 0) return parseList(this.#field<HTMLInputElement>("roles").value);
    return [...this.renderRoot.querySelectorAll<HTMLInputElement>('input[name="role"]:checked')].map((i) => i.value);
  }

  async #send(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.sending || !this.client) return;
    const textarea = this.#field<HTMLTextAreaElement>("emails");
    const emails = parseEmails(textarea.value);
    this.problem = "";
    this.inputError =
      emails.length === 0
        ? "Enter at least one email address."
        : emails.length > MAX_INVITEES
          ? `At most ${MAX_INVITEES} addresses at a time; this has ${emails.length}.`
          : "";
    const tenantId = this.askTenant ? this.#field<HTMLInputElement>("tenant").value.trim() : this.tenantId;
    this.tenantError = this.askTenant && !UUID.test(tenantId ?? "") ? "Enter the tenant's id (a UUID)." : "";
    if (this.inputError) {
      textarea.focus();
      return;
    }
    if (this.tenantError) {
      this.#field<HTMLInputElement>("tenant").focus();
      return;
    }
    const roles = this.#selectedRoles();
    const locale = this.#field<HTMLInputElement>("locale").value.trim() || "en-US";
    this.sending = true;
    let answer: SendUserInvitesResponse;
    try {
      answer = await this.client.sendUserInvites({
        userInvites: {
          tenantId: tenantId ?? "",
          userInvites: emails.map((email) => ({ email, roles, locale })),
        },
      });
    } catch (error) {
      this.problem = describeError(error);
      this.sending = false;
      await this.updateComplete;
      this.#field<HTMLElement>("problem").focus();
      return;
    }
    this.sending = false;
    const failed = new Map(answer.errors.map((e) => [e.index, e.message]));
    this.outcomes = emails.map((email, index) => {
      const message = failed.get(index);
      return message === undefined ? { email, ok: true, message: "invited" } : { email, ok: false, message };
    });
    // What failed stays in the box to be corrected and sent again.
    textarea.value = this.outcomes
      .filter((o) => !o.ok)
      .map((o) => o.email)
      .join("\n");
    this.dispatchEvent(new CustomEvent("user-invites-sent", { detail: answer, bubbles: true, composed: true }));
    await this.updateComplete;
    this.#field<HTMLElement>("summary").focus();
  }

  protected override render() {
    const invited = this.outcomes.filter((o) => o.ok).length;
    const failed = this.outcomes.length - invited;
    const describedBy = ["emails-hint", this.inputError ? "emails-error" : "", this.outcomes.length ? "summary" : ""]
      .filter(Boolean)
      .join(" ");
    return html`
      <dialog aria-labelledby="send-title">
        <h2 id="send-title">Invite people</h2>
        <form novalidate @submit=${this.#send}>
          ${this.askTenant
            ? html`<div class="field">
                <label for="tenant">Tenant id</label>
                <input
                  id="tenant"
                  autocomplete="off"
                  spellcheck="false"
                  .value=${this.tenantId ?? ""}
                  aria-invalid=${this.tenantError ? "true" : "false"}
                  aria-describedby=${this.tenantError ? "tenant-error" : nothing}
                />
                ${this.tenantError ? html`<span id="tenant-error" class="error">${this.tenantError}</span>` : nothing}
              </div>`
            : nothing}
          <div class="field">
            <label for="emails">Email addresses</label>
            <textarea
              id="emails"
              spellcheck="false"
              autocomplete="off"
              aria-describedby=${describedBy}
              aria-invalid=${this.inputError || failed > 0 ? "true" : "false"}
            ></textarea>
            <span id="emails-hint" class="hint">Paste up to ${MAX_INVITEES}, separated by commas, spaces or new lines.</span>
            ${this.inputError ? html`<span id="emails-error" class="error">${this.inputError}</span>` : nothing}
          </div>
          ${this.roleChoices.length > 0
            ? html`<fieldset>
                <legend>Roles</legend>
                ${this.roleChoices.map(
                  (role) => html`<label><input type="checkbox" name="role" value=${role} /> ${role}</label>`,
                )}
              </fieldset>`
            : html`<div class="field">
                <label for="roles">Roles</label>
                <input id="roles" autocomplete="off" aria-describedby="roles-hint" />
                <span id="roles-hint" class="hint">Role keys, separated by commas.</span>
              </div>`}
          <div class="field">
            <label for="locale">Language of the email</label>
            <input id="locale" list="locales" autocomplete="off" .value=${this.locale} />
            <datalist id="locales">${LOCALES.map((l) => html`<option value=${l}></option>`)}</datalist>
          </div>
          ${this.problem
            ? html`<p id="problem" class="error" role="alert" tabindex="-1">${this.problem}</p>`
            : nothing}
          ${this.outcomes.length > 0
            ? html`<div>
                <p id="summary" role="status" tabindex="-1">
                  ${invited} invited${failed > 0 ? html`, <span class="error">${failed} not invited</span>: see below, correct and send again` : nothing}.
                </p>
                <ul class="outcomes" aria-label="Outcome for each address">
                  ${this.outcomes.map(
                    (o) => html`<li>
                      <span class="address">${o.email}</span> —
                      <span class=${o.ok ? "success" : "error"}>${o.ok ? "invited" : o.message}</span>
                    </li>`,
                  )}
                </ul>
              </div>`
            : nothing}
          <div class="actions">
            <button type="button" @click=${() => this.close()}>Close</button>
            <button type="submit" class="primary" ?disabled=${this.sending} aria-busy=${this.sending ? "true" : "false"}>
              ${this.sending ? "Sending…" : "Send invitations"}
            </button>
          </div>
        </form>
      </dialog>
    `;
  }
}
