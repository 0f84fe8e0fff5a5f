// Headless Chromium (Debian's `chromium`) through playwright-core, for the console's end-to-end
// tests and its benchmark.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why Chromium cannot be had here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing: run \`apt-get install -y chromium\` as root (npm test does when run as root)`;
}

/**
 * Chromium, headless. `--no-proxy-server`: the machine has no proxy, and without it Chromium
 * spends about 300 ms looking for proxy settings before the first connection of each new
 * connection pool (the console's credential-less fetches are one).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--no-proxy-server'] });
}
