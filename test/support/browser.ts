import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { repoPath } from './built.js';

// Debian's Chromium, driven by playwright-core (never a downloaded browser), as in the dashboards tests.
const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Screenshots of the e2e suites: gitignored test output. */
export const ARTIFACTS = repoPath('test-results/e2e/');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/**
 * Keeps a screenshot as a test artifact; with FAULTLINE_UPDATE_SCREENSHOT=1 also as `docs/images/<name>`, the
 * picture the README shows.
 */
export function keepScreenshot(png: Buffer, name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, name);
  writeFileSync(path, png);
  if (process.env.FAULTLINE_UPDATE_SCREENSHOT) copyFileSync(path, repoPath(`docs/images/${name}`));
  return path;
}
