// The components' look. Everything is a CSS custom property with a default, so a host
// app themes them from outside (`user-invites-table { --ui-accent: rebeccapurple }`).
// Colours meet WCAG AA contrast on the default white background.
import { css } from "lit";

export const base = css`
  :host {
    --ui-accent: #1d4ed8;
    --ui-accent-text: #ffffff;
    --ui-text: #1f2937;
    --ui-muted: #4b5563;
    --ui-border: #d1d5db;
    --ui-surface: #ffffff;
    --ui-subtle: #f3f4f6;
    --ui-danger: #b91c1c;
    --ui-success: #166534;
    --ui-warning: #92400e;
    --ui-radius: 6px;
    --ui-focus: 0 0 0 3px #93c5fd;
    display: block;
    color: var(--ui-text);
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--ui-border);
    background: var(--ui-surface);
    border-radius: var(--ui-radius);
    padding: 0.35em 0.8em;
  }
  button.primary {
    background: var(--ui-accent);
    border-color: var(--ui-accent);
    color: var(--ui-accent-text);
  }
  button.danger {
    color: var(--ui-danger);
    border-color: currentColor;
  }
  button.danger.primary {
    background: var(--ui-danger);
    border-color: var(--ui-danger);
    color: #fff;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.55;
  }
  :focus-visible {
    outline: none;
    box-shadow: var(--ui-focus);
  }
  input,
  select,
  textarea {
    border: 1px solid var(--ui-border);
    border-radius: var(--ui-radius);
    padding: 0.35em 0.5em;
    background: var(--ui-surface);
  }
  [aria-invalid="true"] {
    border-color: var(--ui-danger);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .error {
    color: var(--ui-danger);
  }
  .success {
    color: var(--ui-success);
  }
  .muted {
    color: var(--ui-muted);
  }
  .badge {
    display: inline-block;
    padding: 0 0.5em;
    border-radius: 999px;
    background: var(--ui-subtle);
    font-size: 0.9em;
    white-space: nowrap;
  }
  .badge.pending {
    background: #dbeafe;
    color: #1e3a8a;
  }
  .badge.accepted {
    background: #dcfce7;
    color: #14532d;
  }
  .badge.canceled {
    background: #e5e7eb;
    color: #374151;
  }
  .badge.expired {
    background: #fef3c7;
    color: #78350f;
  }
  .badge.problem {
    background: #fee2e2;
    color: #7f1d1d;
  }
  dialog {
    border: 1px solid var(--ui-border);
    border-radius: calc(var(--ui-radius) * 2);
    padding: 1.25rem 1.5rem;
    max-width: min(36rem, 92vw);
    width: 100%;
    color: var(--ui-text);
    background: var(--ui-surface);
  }
  dialog::backdrop {
    background: rgb(17 24 39 / 45%);
  }
  dialog h2 {
    margin-top: 0;
    font-size: 1.2rem;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
    justify-content: flex-end;
    margin-top: 1rem;
  }
`;
