/**
 * Debian's Chromium driven by playwright-core, for the e2e tests. Never a
 * downloaded browser: the package comes from scripts/system-deps.sh.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Fake camera/microphone and auto-accepted permission prompts, for WebRTC calls. */
  media?: boolean;
  /** `gc()` in pages, so a test can measure memory after a collection rather than whenever V8 ran one. */
  exposeGc?: boolean;
  /** More command-line switches (e.g. trusting one test certificate). */
  args?: string[];
}

/** Launches headless Chromium; close it with `browser.close()` in the test's teardown. */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} not found. Install Debian's chromium with: bash scripts/system-deps.sh test (as root, or with sudo)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      // Root in CI cannot use the sandbox; the pages are our own desk on loopback.
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(opts.media ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] : []),
      ...(opts.exposeGc ? ['--js-flags=--expose-gc'] : []),
      ...(opts.args ?? []),
    ],
  });
}
