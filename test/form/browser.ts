import { chromium, type Browser } from 'playwright-core';

/**
 * One headless Chromium per test file. `chromium.launch` gives every browser a fresh, temporary
 * user-data-dir (removed on close); contexts add isolated cookie jars (and JS on/off).
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
  return browser;
}
