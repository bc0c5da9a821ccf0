// <user-invites-table>: an admin's view of a tenant's invites (or, for a super admin,
// of every tenant's): status tabs with counts, a debounced search, sortable columns,
// cursor paging, resend and cancel per row, and the "invite people" dialog.
import { html, LitElement, nothing, type PropertyValues } from "lit";

import type { BrowserClient } from "@user-invites/client";

import { clientFor, describeError, isAbort } from "./api.js";
import { UserInvitesConfirmDialog } from "./confirm-dialog.js";
import { count, range, statusText } from "./format.js";
import { UserInvitesSendDialog } from "./send-dialog.js";
import { tableStyles } from "./table-styles.js";
import { countArgs, MAX_SEARCH, nextSort, pageArgs, TABS, type Direction, type SortKey, type Tab, type TableQuery } from "./table-query.js";
import { renderRows, sortHeader } from "./table-rows.js";
import { isOpen, type InvitesPage, type InviteRow, type TokenSource } from "./types.js";

/** How long typing must pause before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 300;

interface Count {
  n: number;
  exact: boolean;
}

export class UserInvitesTable extends LitElement {
  static override properties = {
    baseUrl: { attribute: "base-url" },
    token: { attribute: false },
    tenantId: { attribute: "tenant-id" },
    superAdmin: { attribute: "super-admin", type: Boolean },
    pageSize: { attribute: "page-size", type: Number },
    roles: { converter: { fromAttribute: (v: string | null) => (v ?? "").split(/[\s,]+/).filter(Boolean) } },
    locale: {},
    tab: { state: true },
    sort: { state: true },
    order: { state: true },
    search: { state: true },
    rows: { state: true },
    counts: { state: true },
    total: { state: true },
    exact: { state: true },
    cursors: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    error: { state: true },
    actionError: { state: true },
    notice: { state: true },
    busy: { state: true },
  };

  static override styles = tableStyles;

  /** The API's address; default the page's origin. */
  declare baseUrl: string;
  /** The admin's JWT, or a getter called before each request. */
  declare token: TokenSource | undefined;
  /** The tenant to list and invite into; a super admin without one lists every tenant. */
  declare tenantId: string;
  /** Adds a tenant column, and lists every tenant unless `tenant-id` names one. */
  declare superAdmin: boolean;
  declare pageSize: number;
  /** The roles the dialog offers; none: a free-text field. */
  declare roles: string[];
  /** The dialog's default language. */
  declare locale: string;
  declare tab: Tab;
  declare sort: SortKey;
  declare order: Direction;
  declare search: string;
  declare rows: InviteRow[];
  declare counts: Partial<Record<Tab, Count>>;
  declare total: number;
  declare exact: boolean;
  /** The cursor of each page reached so far; `cursors[i]` starts page i (page 0 has none). */
  declare cursors: (string | undefined)[];
  declare nextCursor: string | null;
  declare loading: boolean;
  /** Why the list could not be read. */
  declare error: string;
  /** Why the last resend or cancel was refused; it outlives the refresh that follows. */
  declare actionError: string;
  declare notice: string;
  /** Invite ids with a resend or cancel in flight. */
  declare busy: ReadonlySet<string>;

  #client: BrowserClient | undefined;
  #pageRequest: AbortController | undefined;
  #countRequest: AbortController | undefined;
  #debounce: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.baseUrl = "";
    this.token = undefined;
    this.tenantId = "";
    this.superAdmin = false;
    this.pageSize = 20;
    this.roles = [];
    this.locale = "en-US";
    this.tab = "all";
    this.sort = "createdAt";
    this.order = "desc";
    this.search = "";
    this.rows = [];
    this.counts = {};
    this.total = 0;
    this.exact = true;
    this.cursors = [undefined];
    this.nextCursor = null;
    this.loading = false;
    this.error = "";
    this.actionError = "";
    this.notice = "";
    this.busy = new Set();
  }

  /** Reads the counts and the current page again. */
  refresh(): Promise<void> {
    if (!this.token) {
      this.rows = [];
      this.counts = {};
      this.nextCursor = null;
      this.error = "Sign in to see invites: the table has no token.";
      return Promise.resolve();
    }
    return Promise.all([this.#loadPage(), this.#loadCounts()]).then(() => undefined);
  }

  get #query(): TableQuery {
    const pageSize = Number.isInteger(this.pageSize) && this.pageSize >= 1 && this.pageSize <= 100 ? this.pageSize : 20;
    return {
      tab: this.tab,
      search: this.search,
      sort: this.sort,
      order: this.order,
      pageSize,
      tenantId: this.tenantId || undefined,
    };
  }

  get #page(): number {
    return this.cursors.length - 1;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("baseUrl") || changed.has("token")) this.#client = clientFor(this.baseUrl, this.token);
  }

  protected override updated(changed: PropertyValues<this>): void {
    const reach = ["baseUrl", "token", "tenantId", "superAdmin", "pageSize"] as const;
    if (reach.some((p) => changed.has(p))) {
      this.cursors = [undefined];
      void this.refresh();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#debounce);
    this.#pageRequest?.abort();
    this.#countRequest?.abort();
  }

  async #loadPage(): Promise<void> {
    if (!this.#client) return;
    this.#pageRequest?.abort();
    const request = new AbortController();
    this.#pageRequest = request;
    this.loading = true;
    try {
      const page = (await this.#client.userInvites(pageArgs(this.#query, this.cursors.at(-1)), {
        signal: request.signal,
      })) as InvitesPage;
      this.rows = page.data;
      this.total = page.totalCount;
      this.exact = page.totalCountExact ?? true;
      this.nextCursor = page.nextCursor ?? null;
      this.error = "";
    } catch (error) {
      if (isAbort(error) || request.signal.aborted) return;
      this.rows = [];
      this.nextCursor = null;
      this.error = `Could not list invites. ${describeError(error)}`;
    } finally {
      if (this.#pageRequest === request) this.loading = false;
    }
  }

  async #loadCounts(): Promise<void> {
    if (!this.#client) return;
    this.#countRequest?.abort();
    const request = new AbortController();
    this.#countRequest = request;
    const query = this.#query;
    const client = this.#client;
    const answers = await Promise.allSettled(
      TABS.map((tab) => client.userInvites(countArgs(query, tab), { signal: request.signal }) as Promise<InvitesPage>),
    );
    if (request.signal.aborted) return;
    const counts: Partial<Record<Tab, Count>> = {};
    answers.forEach((answer, i) => {
      if (answer.status === "fulfilled") {
        counts[TABS[i]!] = { n: answer.value.totalCount, exact: answer.value.totalCountExact ?? true };
      }
    });
    this.counts = counts;
  }

  #chooseTab(tab: Tab, focus = false): void {
    if (tab !== this.tab) {
      this.tab = tab;
      this.cursors = [undefined];
      void this.#loadPage();
    }
    if (focus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${tab}`)?.focus());
  }

  #tabKeys(event: KeyboardEvent): void {
    const i = TABS.indexOf(this.tab);
    const to =
      event.key === "ArrowRight" ? (i + 1) % TABS.length
      : event.key === "ArrowLeft" ? (i - 1 + TABS.length) % TABS.length
      : event.key === "Home" ? 0
      : event.key === "End" ? TABS.length - 1
      : -1;
    if (to < 0) return;
    event.preventDefault();
    this.#chooseTab(TABS[to]!, true);
  }

  #typed(event: InputEvent): void {
    const value = (event.target as HTMLInputElement).value;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => {
      if (value.trim() === this.search.trim()) return;
      this.search = value;
      this.cursors = [undefined];
      void this.refresh();
    }, SEARCH_DEBOUNCE_MS);
  }

  #sortBy(column: SortKey): void {
    Object.assign(this, nextSort(this, column));
    this.cursors = [undefined];
    void this.#loadPage();
  }

  #next(): void {
    if (!this.nextCursor) return;
    this.cursors = [...this.cursors, this.nextCursor];
    void this.#loadPage();
  }

  #previous(): void {
    if (this.cursors.length <= 1) return;
    this.cursors = this.cursors.slice(0, -1);
    void this.#loadPage();
  }

  async #openSendDialog(event: Event): Promise<void> {
    const dialog = this.renderRoot.querySelector<UserInvitesSendDialog>("user-invites-send-dialog")!;
    await dialog.open(event.currentTarget as HTMLElement);
  }

  #sent(event: CustomEvent): void {
    event.stopPropagation();
    this.dispatchEvent(new CustomEvent("user-invites-sent", { detail: event.detail, bubbles: true, composed: true }));
    this.cursors = [undefined];
    void this.refresh();
  }

  async #act(invite: InviteRow, action: "resend" | "cancel", button: HTMLElement): Promise<void> {
    if (!this.#client || !isOpen(invite.status)) return;
    if (action === "cancel") {
      const confirm = this.renderRoot.querySelector<UserInvitesConfirmDialog>("user-invites-confirm-dialog")!;
      const yes = await confirm.ask(
        {
          title: "Cancel this invitation?",
          message: `The invitation to ${invite.email} will be canceled and its link will stop working. You can invite them again later.`,
          confirm: "Cancel invitation",
          dismiss: "Keep invitation",
        },
        button,
      );
      if (!yes) return;
    }
    this.busy = new Set([...this.busy, invite.id]);
    this.actionError = "";
    this.notice = "";
    try {
      const changed =
        action === "resend" ? await this.#client.resendUserInvite(invite.id) : await this.#client.cancelUserInvite(invite.id);
      this.notice = action === "resend" ? `Invitation to ${invite.email} sent again.` : `Invitation to ${invite.email} canceled.`;
      this.dispatchEvent(
        new CustomEvent(action === "resend" ? "user-invite-resent" : "user-invite-canceled", {
          detail: changed,
          bubbles: true,
          composed: true,
        }),
      );
    } catch (error) {
      this.actionError = `Could not ${action} the invitation to ${invite.email}. ${describeError(error)}`;
    } finally {
      const busy = new Set(this.busy);
      busy.delete(invite.id);
      this.busy = busy;
    }
    await this.refresh();
  }

  #tabLabel(tab: Tab): string {
    return tab === "all" ? "All" : statusText(tab);
  }

  protected override render() {
    const query = this.#query;
    const offset = this.#page * query.pageSize;
    const askTenant = this.superAdmin && !this.tenantId;
    return html`
      <div class="toolbar">
        <div class="search">
          <label for="search">Search</label>
          <input
            id="search"
            type="search"
            maxlength=${MAX_SEARCH}
            autocomplete="off"
            spellcheck="false"
            placeholder="Name or email"
            aria-describedby="search-hint"
            @input=${this.#typed}
          />
          <span id="search-hint" class="visually-hidden">Finds invites whose email or name has a word starting with what you type.</span>
        </div>
        <button type="button" class="primary" @click=${this.#openSendDialog}>Invite people</button>
        <button type="button" @click=${() => void this.refresh()}>Refresh</button>
      </div>
      <div role="tablist" aria-label="Invites by status" @keydown=${this.#tabKeys}>
        ${TABS.map((tab) => {
          const c = this.counts[tab];
          const selected = tab === this.tab;
          return html`<button
            id=${`tab-${tab}`}
            role="tab"
            type="button"
            aria-selected=${selected ? "true" : "false"}
            aria-controls="panel"
            tabindex=${selected ? 0 : -1}
            @click=${() => this.#chooseTab(tab)}
          >
            ${this.#tabLabel(tab)} <span class="count">${c ? count(c.n, c.exact) : "…"}</span>
          </button>`;
        })}
      </div>
      <div id="panel" role="tabpanel" aria-labelledby=${`tab-${this.tab}`}>
        <p class="notice" role="status">${this.notice}</p>
        <div class="error" role="alert">${[this.actionError, this.error].filter(Boolean).join(" ")}</div>
        <div class="scroll">
          <table aria-busy=${this.loading ? "true" : "false"}>
            <caption class="visually-hidden">
              ${this.#tabLabel(this.tab)} invites${this.search.trim() ? `, matching “${this.search.trim()}”` : ""}
            </caption>
            <thead>
              <tr>
                ${sortHeader("Email", "email", this, (c) => this.#sortBy(c))}
                ${this.superAdmin ? html`<th scope="col">Tenant</th>` : nothing}
                <th scope="col">Roles</th>
                ${sortHeader("Status", "status", this, (c) => this.#sortBy(c))}
                <th scope="col">Email status</th>
                ${sortHeader("Created", "createdAt", this, (c) => this.#sortBy(c))}
                ${sortHeader("Updated", "updatedAt", this, (c) => this.#sortBy(c))}
                <th scope="col">Expires</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              ${renderRows(this.rows, {
                superAdmin: this.superAdmin,
                busy: this.busy,
                loading: this.loading,
                act: (invite, action, button) => void this.#act(invite, action, button),
              })}
            </tbody>
          </table>
        </div>
        <div class="pager">
          <span class="range" aria-live="polite">${this.loading && this.rows.length === 0 ? "Loading…" : range(offset, this.rows.length, this.total, this.exact)}</span>
          <button type="button" ?disabled=${this.cursors.length <= 1} @click=${this.#previous}>Previous</button>
          <button type="button" ?disabled=${!this.nextCursor} @click=${this.#next}>Next</button>
        </div>
      </div>
      <user-invites-send-dialog
        .client=${this.#client}
        .tenantId=${this.tenantId || undefined}
        .askTenant=${askTenant}
        .roleChoices=${this.roles}
        .locale=${this.locale || "en-US"}
        @user-invites-sent=${this.#sent}
      ></user-invites-send-dialog>
      <user-invites-confirm-dialog></user-invites-confirm-dialog>
    `;
  }
}
