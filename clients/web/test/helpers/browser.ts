// Debian's Chromium, driven by playwright-core (the browser download of Playwright
// cannot be reached here). Each test file gets a fresh profile; the flags keep the
// browser from calling home, which this machine's closed network refuses.
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { chromium, type BrowserContext, type Page } from "playwright-core";

import { PACKAGE_DIR, REPO_DIR } from "./server.js";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  /** A new tab that records what the page complains about in `problems`. */
  newPage(): Promise<Page>;
  /** Console errors, uncaught exceptions and CSP violations, as text. */
  problems: string[];
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "invites-web-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 860 },
    locale: "en-US",
    timezoneId: "UTC",
  });
  context.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return {
    context,
    problems,
    async newPage() {
      return context.newPage();
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Problems other than the error answers a test provoked on purpose (`Failed to load resource`). */
export function unexpected(problems: readonly string[]): string[] {
  return problems.filter((p) => !/Failed to load resource: the server responded with a status of (40\d|41\d|42\d)/.test(p));
}

/** axe-core's serious and critical violations inside `selector`, as readable lines. */
export async function seriousViolations(page: Page, selector: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
}

/**
 * Saves a screenshot under target/web-screenshots/; with UPDATE_SCREENSHOTS=1, also
 * as the README's picture under docs/ (a manual step: the pictures change with every
 * run's ids and dates, so the test command never rewrites them).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join(REPO_DIR, "target/web-screenshots");
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === "1") {
    await page.screenshot({ path: join(REPO_DIR, "docs", `${name}.png`), fullPage: true });
  }
}

export { PACKAGE_DIR };
