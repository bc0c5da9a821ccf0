// Reading a page as a person would: what has focus, what a region says, waiting for it.
import type { Locator, Page } from "playwright-core";

/** The element with focus, through shadow roots: its tag, id, and accessible text. */
export async function focused(page: Page): Promise<{ tag: string; id: string; text: string; label: string }> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    const el = active as HTMLElement | null;
    return {
      tag: el?.tagName.toLowerCase() ?? "",
      id: el?.id ?? "",
      text: (el?.textContent ?? "").replace(/\s+/g, " ").trim(),
      label: el?.getAttribute("aria-label") ?? "",
    };
  });
}

/** Waits until `read` gives a value that `ok` accepts, or fails with the last value after `ms`. */
export async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** A locator's text with whitespace folded. */
export async function text(locator: Locator): Promise<string> {
  return ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
}

/** Waits until the locator's text matches. */
export function untilText(locator: Locator, pattern: RegExp, what = String(pattern)): Promise<string> {
  return until(
    () => text(locator).catch(() => ""),
    (t) => pattern.test(t),
    what,
  );
}

/** The table's tab for `label` ("All", "Pending", ...) and the count it shows. */
export async function tabCount(page: Page, label: string): Promise<string> {
  return text(page.getByRole("tab", { name: new RegExp(`^${label}\\b`) }).locator(".count"));
}

/** Waits until each tab shows the count given. */
export async function untilCounts(page: Page, counts: Record<string, string>): Promise<void> {
  await until(
    async () => Object.fromEntries(await Promise.all(Object.keys(counts).map(async (k) => [k, await tabCount(page, k)]))),
    (seen) => Object.entries(counts).every(([k, v]) => seen[k] === v),
    `tab counts ${JSON.stringify(counts)}`,
  );
}

/** The emails of the table's rows, top to bottom. */
export async function rowEmails(page: Page): Promise<string[]> {
  return page.locator("user-invites-table tbody tr .email").allTextContents();
}

/** The row of `email`. */
export function row(page: Page, email: string): Locator {
  return page.locator("user-invites-table tbody tr").filter({ has: page.locator(".email", { hasText: email }) });
}
