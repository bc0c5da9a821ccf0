import { css } from "lit";

import { base } from "./styles.js";

export const acceptStyles = [
  base,
  css`
    section {
      max-width: 34rem;
    }
    h2 {
      font-size: 1.35rem;
      margin: 0 0 0.75rem;
    }
    h2:focus {
      outline: none;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.35rem 1rem;
      margin: 0 0 1rem;
    }
    dt {
      font-weight: 600;
      color: var(--ui-muted);
    }
    dd {
      margin: 0;
      word-break: break-word;
    }
    ul.roles {
      margin: 0;
      padding: 0;
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 0.3rem;
    }
    ul.roles li {
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--ui-subtle);
    }
    button.primary {
      font-size: 1.05rem;
      padding: 0.5em 1.2em;
    }
  `,
];
