// A modal question with two answers, for actions that cannot be undone (cancel an
// invite). Focus starts on the safe answer; Escape and the safe answer both say no.
import { html, LitElement, type PropertyValues } from "lit";

import { base } from "./styles.js";

export interface Question {
  title: string;
  message: string;
  /** The button that does it, e.g. "Cancel invitation". */
  confirm: string;
  /** The button that does not, e.g. "Keep invitation". */
  dismiss: string;
}

export class UserInvitesConfirmDialog extends LitElement {
  static override properties = { question: { state: true } };
  static override styles = base;

  declare question: Question;
  #answer: ((yes: boolean) => void) | null = null;
  #returnFocus: HTMLElement | null = null;

  constructor() {
    super();
    this.question = { title: "", message: "", confirm: "OK", dismiss: "Cancel" };
  }

  get #dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector("dialog")!;
  }

  /** Asks; resolves `true` only when the confirm button is chosen. */
  async ask(question: Question, returnFocus: HTMLElement | null): Promise<boolean> {
    this.#answer?.(false);
    this.question = question;
    this.#returnFocus = returnFocus;
    await this.updateComplete;
    this.#dialog.returnValue = "";
    this.#dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>("#dismiss")!.focus();
    return new Promise((resolve) => (this.#answer = resolve));
  }

  protected override firstUpdated(_: PropertyValues): void {
    this.#dialog.addEventListener("close", () => {
      const yes = this.#dialog.returnValue === "confirm";
      const answer = this.#answer;
      this.#answer = null;
      // Back where the question came from, unless that is gone (a re-rendered row).
      if (this.#returnFocus?.isConnected) this.#returnFocus.focus();
      this.#returnFocus = null;
      answer?.(yes);
    });
  }

  #choose(value: "confirm" | "dismiss"): void {
    this.#dialog.close(value);
  }

  protected override render() {
    return html`
      <dialog role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <h2 id="confirm-title">${this.question.title}</h2>
        <p id="confirm-message">${this.question.message}</p>
        <div class="actions">
          <button id="dismiss" type="button" @click=${() => this.#choose("dismiss")}>${this.question.dismiss}</button>
          <button id="confirm" type="button" class="danger primary" @click=${() => this.#choose("confirm")}>
            ${this.question.confirm}
          </button>
        </div>
      </dialog>
    `;
  }
}
