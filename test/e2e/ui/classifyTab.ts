// The Classify Image result tab as UI tests reach it: started from the Explorer's context menu, and its
// page found by the heading it shows (webview content lives in nested iframes).
import type { Frame, Page } from 'playwright-core';
import type { Workbench } from '../harness/workbench';

/** The result tab's page once it shows `title`. */
export async function classifyTabFrame(page: Page, title: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const heading = await frame.locator('header h1').innerText({ timeout: 300 }).catch(() => undefined);
      if (heading?.trim() === title) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no Classify Image result showing "${title}"`);
}

/**
 * Right-click `path` in the Explorer > Classify Image. Right after the window opens, the extension's
 * menu items may not be registered yet: it asks again, up to three times.
 */
export async function classifyFromExplorer(workbench: Workbench, path: readonly string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await workbench.explorerContextAction(path, 'Classify Image');
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await workbench.page.keyboard.press('Escape');
      await workbench.page.waitForTimeout(2_000);
    }
  }
}
