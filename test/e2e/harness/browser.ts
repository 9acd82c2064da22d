// Debian's chromium driven by playwright-core (never a downloaded browser build), headless, with the
// flags that keep it from reaching for the network on a closed machine.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumPath } from './e2ePaths';
import { HarnessError } from './harnessError';

export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh browser profile under `stateDir`; close the context to end the browser. */
export async function launchBrowser(stateDir: string): Promise<BrowserContext> {
  if (!existsSync(chromiumPath)) {
    throw new HarnessError(`chromium is not installed at ${chromiumPath}. Run: node scripts/provision-code-server.mjs --browser (as root), or apt-get install chromium.`);
  }
  const profile = join(stateDir, 'profile');
  const xdgConfig = join(stateDir, 'xdg-config');
  mkdirSync(profile, { recursive: true });
  mkdirSync(xdgConfig, { recursive: true });
  try {
    return await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: [...chromiumArgs],
      env: { ...process.env, XDG_CONFIG_HOME: xdgConfig },
      viewport: { width: 1280, height: 800 },
    });
  } catch (error) {
    throw new HarnessError(`chromium did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
}
