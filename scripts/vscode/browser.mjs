// Headless Debian Chromium driven by playwright-core. Never `npx playwright
// install`: it downloads browsers, and this network is closed.
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from './systemPackages.mjs';

// Flags that avoid hangs on a closed network: no sandbox (root in a container),
// no GPU, no QUIC, no first-run, sync, update or component downloads.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @returns {Promise<import('playwright-core').Browser>} */
export function launchBrowser({ headless = true } = {}) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless, args: CHROMIUM_ARGS });
}

/** A page sized like a laptop screen, so the workbench lays out the same every run. */
export async function newWorkbenchPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  return context.newPage();
}
