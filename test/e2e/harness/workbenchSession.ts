// One browser window on a workbench with the extension under development loaded and a workspace
// open. Uses the code-server named by CLASSIFIER_LAB_E2E_SERVER (set by the e2e runner, which
// shares one server across test files) or starts its own, so a UI test file also runs on its own:
// `node --import tsx --test test/e2e/ui/explorer.test.ts`.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { startCodeServer, type CodeServer } from './codeServer';
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
  close(): Promise<void>;
}

export interface WorkbenchSessionOptions {
  /** Folder to open. Default: CLASSIFIER_LAB_E2E_WORKSPACE, else a fresh copy of sample-workspace/. */
  workspace?: string;
  /** Load the extension under development (default true). */
  loadExtension?: boolean;
  /** Root folder of the extension to load instead of this repository's. */
  extensionDevelopmentPath?: string;
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
    let origin = process.env[E2E_SERVER_ENV];
    if (!origin) {
      const server: CodeServer = await startCodeServer({ stateDir: join(stateDir, 'code-server') });
      cleanups.push(() => server.stop());
      origin = server.origin;
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
    return { workbench, page, workspace, close };
  } catch (error) {
    await close();
    throw error;
  }
}
