// One browser window on a workbench with the extension under development loaded and a workspace
// open. Uses the code-server named by CLASSIFIER_LAB_E2E_SERVER (set by the e2e runner, which
// shares one server across test files) or starts its own, so a UI test file also runs on its own:
// `node --import tsx --test test/e2e/ui/explorer.test.ts`.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { restrictedModeUserSettings, startCodeServer, type CodeServer } from './codeServer';
import { e2eStateDir, repoRoot } from './e2ePaths';
import { prepareTestWorkspace } from './testWorkspace';
import { Workbench } from './workbench';
import { workbenchUrl } from './workbenchUrl';

export const E2E_SERVER_ENV = 'CLASSIFIER_LAB_E2E_SERVER';
export const E2E_WORKSPACE_ENV = 'CLASSIFIER_LAB_E2E_WORKSPACE';

export interface WorkbenchSession {
  readonly workbench: Workbench;
  readonly page: Page;
  readonly workspace: string;
  /** The server's extensions folder, when the session started a server with installExtensions. */
  readonly extensionsDir?: string;
  /** The server's user data folder (its logs/ hold the extensions' logs), when the session started a server of its own. */
  readonly userDataDir?: string;
  close(): Promise<void>;
}

export interface WorkbenchSessionOptions {
  /** Folder to open. Default: CLASSIFIER_LAB_E2E_WORKSPACE, else a fresh copy of sample-workspace/. */
  workspace?: string;
  /** Load the extension under development (default true). */
  loadExtension?: boolean;
  /** Root folder of the extension to load instead of this repository's. */
  extensionDevelopmentPath?: string;
  /**
   * .vsix files to install, as a user would: the session then starts a code-server of its own (never
   * the shared one) whose extensions folder is fresh and outside the repository. Combine with
   * `loadExtension: false` to see only what the package contains.
   */
  installExtensions?: readonly string[];
  /**
   * Workspace trust: 'off' (default) trusts every folder, as a user who turned trust off would;
   * 'untrusted' turns trust on and trusts nothing, so the folder opens in Restricted Mode. Trust
   * is a user setting of the server, so 'untrusted' starts a code-server of its own (never the shared one).
   */
  trust?: 'off' | 'untrusted';
}

export async function openWorkbenchSession(options: WorkbenchSessionOptions = {}): Promise<WorkbenchSession> {
  const stateDir = join(e2eStateDir, `ui-${process.pid}`);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const cleanups: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    const untrusted = options.trust === 'untrusted';
    let origin = options.installExtensions || untrusted ? undefined : process.env[E2E_SERVER_ENV];
    let extensionsDir: string | undefined;
    let userDataDir: string | undefined;
    if (!origin) {
      if (options.installExtensions) {
        // Outside the repository, so Node's lookup from an installed extension cannot reach ./node_modules.
        const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-extensions-'));
        cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
        extensionsDir = dir;
      }
      const server: CodeServer = await startCodeServer({
        stateDir: join(stateDir, 'code-server'), extensionsDir, installExtensions: options.installExtensions,
        ...(untrusted ? { workspaceTrust: true, userSettings: restrictedModeUserSettings } : {}),
      });
      cleanups.push(() => server.stop());
      origin = server.origin;
      userDataDir = server.userDataDir;
    }
    const workspace = options.workspace ?? process.env[E2E_WORKSPACE_ENV] ?? prepareTestWorkspace(join(stateDir, 'sample-workspace'));
    const browser: BrowserContext = await launchBrowser(join(stateDir, 'browser'));
    cleanups.push(() => browser.close());
    const page = browser.pages()[0] ?? await browser.newPage();
    await page.goto(workbenchUrl(origin, {
      folder: workspace,
      ...(options.loadExtension === false ? {} : { extensionDevelopmentPath: options.extensionDevelopmentPath ?? repoRoot }),
    }));
    const workbench = new Workbench(page);
    await workbench.ready();
    return { workbench, page, workspace, extensionsDir, userDataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}
