import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

// Debian's headless Chromium driven by playwright-core (which never downloads a browser of its own),
// with the network off: every request that is not file:// is aborted and counted as a failure.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when the browser is installed (tests skip with a reason otherwise). */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Starts headless Chromium with background networking off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What went wrong while a page loaded. */
export interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
  /** Requests that tried to leave the file (all of them blocked). */
  networkRequests: string[];
}

/** Opens a local file offline and records console errors, page errors and failed or network requests. */
export async function openOffline(
  browser: Browser,
  file: string,
  width = 1200,
): Promise<{ page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ offline: true, viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], networkRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(error.message));
  page.on('requestfailed', (request) =>
    problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`),
  );
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    problems.networkRequests.push(url);
    return route.abort('internetdisconnected');
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}
