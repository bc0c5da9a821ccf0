// One table row per invite. Every value goes through Lit's text bindings, which escape
// it: names, emails, roles and reasons are shown as typed, never read as markup.
import { html, nothing } from "lit";

import { dateTime, emailStatusText, fullName, statusText } from "./format.js";
import type { Direction, SortKey } from "./table-query.js";
import { isOpen, UNDELIVERED, type InviteRow } from "./types.js";

export interface RowOptions {
  superAdmin: boolean;
  busy: ReadonlySet<string>;
  loading: boolean;
  act: (invite: InviteRow, action: "resend" | "cancel", button: HTMLElement) => void;
}

export function renderRows(rows: readonly InviteRow[], options: RowOptions) {
  if (rows.length === 0) {
    const columns = options.superAdmin ? 9 : 8;
    return html`<tr>
      <td colspan=${columns} class="empty">${options.loading ? "Loading…" : "No invites to show."}</td>
    </tr>`;
  }
  return rows.map((invite) => row(invite, options));
}

function row(invite: InviteRow, options: RowOptions) {
  const name = fullName(invite.firstName, invite.lastName);
  const open = isOpen(invite.status);
  const busy = options.busy.has(invite.id);
  const undelivered = UNDELIVERED.has(invite.emailStatus) && open;
  const why = open ? "" : ` (not possible: the invitation is ${invite.status})`;
  return html`<tr data-invite-id=${invite.id}>
    <th scope="row" class="who">
      <span class="email">${invite.email}</span>
      ${name ? html`<span class="name">${name}</span>` : nothing}
    </th>
    ${options.superAdmin
      ? html`<td class="tenant">
          ${invite.tenantName ? html`<span>${invite.tenantName}</span>` : nothing}
          <code title=${invite.tenantId}>${invite.tenantId.slice(0, 8)}</code>
        </td>`
      : nothing}
    <td>${invite.roles.length ? invite.roles.join(", ") : html`<span class="muted">none</span>`}</td>
    <td><span class="badge ${invite.status}">${statusText(invite.status)}</span></td>
    <td>
      <span class="badge ${UNDELIVERED.has(invite.emailStatus) ? "problem" : ""}">${emailStatusText(invite.emailStatus)}</span>
      ${invite.emailStatusReason ? html`<span class="reason">${invite.emailStatusReason}</span>` : nothing}
      ${undelivered ? html`<span class="reason">Resend to try again.</span>` : nothing}
    </td>
    <td>${dateTime(invite.createdAt)}</td>
    <td>${dateTime(invite.updatedAt)}</td>
    <td>${invite.status === "pending" || invite.status === "expired" ? dateTime(invite.expiresAt) : html`<span class="muted">—</span>`}</td>
    <td class="row-actions">
      <button
        type="button"
        class=${undelivered ? "primary" : ""}
        aria-label=${`Resend invitation to ${invite.email}${why}`}
        ?disabled=${!open || busy}
        @click=${(e: Event) => options.act(invite, "resend", e.currentTarget as HTMLElement)}
      >
        Resend
      </button>
      <button
        type="button"
        class="danger"
        aria-label=${`Cancel invitation to ${invite.email}${why}`}
        ?disabled=${!open || busy}
        @click=${(e: Event) => options.act(invite, "cancel", e.currentTarget as HTMLElement)}
      >
        Cancel
      </button>
    </td>
  </tr>`;
}

/** A column header that sorts: a button inside, and `aria-sort` on the header cell. */
export function sortHeader(
  label: string,
  column: SortKey,
  current: { sort: SortKey; order: Direction },
  sortBy: (column: SortKey) => void,
) {
  const active = current.sort === column;
  const sort = active ? (current.order === "asc" ? "ascending" : "descending") : "none";
  return html`<th scope="col" aria-sort=${sort}>
    <button type="button" class="sort" @click=${() => sortBy(column)}>
      ${label}<span aria-hidden="true" class="arrow">${active ? (current.order === "asc" ? "▲" : "▼") : "↕"}</span>
    </button>
  </th>`;
}
