import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's chromium, which scripts/install-tools.sh installs (FLUXGATE_CHROMIUM names another). */
export const CHROMIUM = process.env.FLUXGATE_CHROMIUM || '/usr/bin/chromium';

/** A real headless Chromium; a missing one fails the test that needs it, with what to do. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: the HTML graph is checked in a real browser. Install Debian's chromium ` +
        '(scripts/install-tools.sh does as root: apt-get install --no-install-recommends chromium) ' +
        'or set FLUXGATE_CHROMIUM to a Chromium binary.',
    );
  return chromium.launch({ executablePath: CHROMIUM });
}

/** What a page did that a self-contained one must not: requests leaving file://, script errors. */
export interface PageWatch {
  page: Page;
  /** Every request for anything but a file:// URL (each one blocked). */
  requests: string[];
  /** Uncaught exceptions and console errors (a CSP violation is one). */
  errors: string[];
  /** alert(), confirm(), prompt() calls (an injected script would make one). */
  dialogs: string[];
}

/** A page in a fresh context that blocks and records every request that is not for a file:// URL. */
export async function watchedPage(browser: Browser): Promise<PageWatch & { context: BrowserContext }> {
  const context = await browser.newContext();
  const watch = { requests: [] as string[], errors: [] as string[], dialogs: [] as string[] };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    watch.requests.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) watch.requests.push(request.url());
  });
  page.on('pageerror', (error) => watch.errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') watch.errors.push(message.text());
  });
  page.on('dialog', (dialog) => {
    watch.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return { context, page, ...watch };
}
