import { css } from "lit";

import { base } from "./styles.js";

export const tableStyles = [
  base,
  css`
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      align-items: flex-end;
      margin-bottom: 0.75rem;
    }
    .search {
      display: grid;
      gap: 0.2rem;
      flex: 1 1 16rem;
    }
    .search label {
      font-weight: 600;
    }
    [role="tablist"] {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      border-bottom: 1px solid var(--ui-border);
    }
    [role="tab"] {
      border: 1px solid transparent;
      border-bottom: none;
      border-radius: var(--ui-radius) var(--ui-radius) 0 0;
      background: transparent;
      margin-bottom: -1px;
    }
    [role="tab"][aria-selected="true"] {
      border-color: var(--ui-border);
      background: var(--ui-surface);
      font-weight: 600;
      border-bottom: 2px solid var(--ui-accent);
    }
    .count {
      display: inline-block;
      min-width: 1.5em;
      padding: 0 0.4em;
      border-radius: 999px;
      background: var(--ui-subtle);
      font-variant-numeric: tabular-nums;
    }
    .notice:empty,
    .error:empty {
      display: none;
    }
    .notice {
      color: var(--ui-success);
    }
    .scroll {
      overflow-x: auto;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      margin-top: 0.5rem;
    }
    th,
    td {
      text-align: left;
      vertical-align: top;
      padding: 0.45rem 0.5rem;
      border-bottom: 1px solid var(--ui-subtle);
    }
    thead th {
      font-weight: 600;
      color: var(--ui-muted);
      white-space: nowrap;
      border-bottom: 1px solid var(--ui-border);
    }
    button.sort {
      border: none;
      background: none;
      padding: 0;
      font-weight: 600;
      color: inherit;
    }
    .arrow {
      margin-left: 0.25em;
      font-size: 0.8em;
    }
    th.who {
      font-weight: normal;
    }
    .email {
      display: block;
      font-weight: 600;
      word-break: break-all;
    }
    .name,
    .reason {
      display: block;
      color: var(--ui-muted);
      font-size: 0.9em;
    }
    .tenant code {
      display: block;
      font-size: 0.85em;
      color: var(--ui-muted);
    }
    .row-actions {
      white-space: nowrap;
    }
    .row-actions button + button {
      margin-left: 0.35rem;
    }
    .empty {
      text-align: center;
      color: var(--ui-muted);
      padding: 1.5rem;
    }
    .pager {
      display: flex;
      gap: 0.5rem;
      align-items: center;
      justify-content: flex-end;
      margin-top: 0.6rem;
    }
    .range {
      margin-right: auto;
      font-variant-numeric: tabular-nums;
    }
  `,
];
