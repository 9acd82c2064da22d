// What a UI test does with the workbench, in a user's terms: run a command from the palette, wait
// for a notification, read the explorer, take a screenshot. Selectors are VS Code 1.100's DOM.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { artifactsDir } from './e2ePaths';

export interface ExplorerItem {
  name: string;
  /** 1 = directly under the workspace folder. */
  depth: number;
  /** undefined for files. */
  expanded?: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Waits until the workbench has drawn its parts and the palette can be opened. */
  async ready(timeoutMs = 60_000): Promise<void> {
    await this.page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
    await this.page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens the command palette (F1) and returns its text box. */
  async openPalette(): Promise<Locator> {
    const input = this.quickInput.locator('input.input');
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.page.keyboard.press('F1');
      try {
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        return input;
      } catch {
        // Focus may have been elsewhere (e.g. in an iframe); click the status bar and retry.
        await this.page.locator('.part.statusbar').click({ position: { x: 2, y: 2 } }).catch(() => undefined);
      }
    }
    throw new Error('the command palette did not open');
  }

  /** Runs a command by its palette title, e.g. `View: Show Explorer`. */
  async runCommand(title: string, timeoutMs = 20_000): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row', {
      has: this.page.locator('.quick-input-list-label .label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
    }).first();
    const deadline = Date.now() + timeoutMs;
    // The palette lists the commands known when it opens; an extension that is still starting may
    // register its commands later, so reopen it until the title shows up.
    for (;;) {
      try {
        // On a loaded machine the palette can close again right after opening (focus moving into a
        // webview that just loaded): then typing times out, and the loop opens it again.
        const input = await this.openPalette();
        await input.fill(`>${title}`, { timeout: 5_000 });
        await row.waitFor({ state: 'visible', timeout: Math.max(500, Math.min(3_000, deadline - Date.now())) });
        break;
      } catch {
        await this.page.keyboard.press('Escape');
        if (Date.now() >= deadline) throw new Error(`no command titled "${title}" in the palette`);
      }
    }
    await row.click();
    await this.quickInput.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
  }

  /** Waits for a notification toast whose message contains `text`; returns its full message. */
  async waitForNotification(text: string | RegExp, timeoutMs = 30_000): Promise<string> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ state: 'visible', timeout: timeoutMs });
    // Toasts slide in; give the animation time so a screenshot or click lands on the settled toast.
    await this.page.waitForTimeout(300);
    return (await toast.locator('.notification-list-item-message').innerText()).trim();
  }

  /** Shows the Explorer and returns the rows it currently displays (expanded folders' children included). */
  async explorerItems(timeoutMs = 30_000): Promise<ExplorerItem[]> {
    await this.runCommand('View: Show Explorer');
    const rows = this.page.locator('.explorer-folders-view .monaco-list-row[role="treeitem"]');
    await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
    return rows.evaluateAll((elements) => elements.map((element) => {
      const expanded = element.getAttribute('aria-expanded');
      return {
        name: element.querySelector('.label-name')?.textContent?.trim() ?? '',
        depth: Number(element.getAttribute('aria-level') ?? '1'),
        ...(expanded === null ? {} : { expanded: expanded === 'true' }),
      };
    }));
  }

  /**
   * Expands folders in the Explorer one level after the other, right-clicks the last name of `path`
   * and picks `action` from its context menu.
   */
  async explorerContextAction(path: readonly string[], action: string): Promise<void> {
    await this.explorerItems();
    const row = (name: string) => this.page.locator('.explorer-folders-view .monaco-list-row[role="treeitem"]', {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }),
    }).first();
    for (const folder of path.slice(0, -1)) {
      const item = row(folder);
      await item.waitFor({ state: 'visible', timeout: 20_000 });
      if ((await item.getAttribute('aria-expanded')) !== 'true') await item.click();
    }
    const target = row(path[path.length - 1]);
    await target.waitFor({ state: 'visible', timeout: 20_000 });
    await target.click({ button: 'right' });
    // Context menus ignore a click right after they open.
    await this.page.waitForTimeout(600);
    const entry = this.page.locator('.context-view .action-item', { hasText: new RegExp(`^${escapeRegExp(action)}$`) }).first();
    await entry.waitFor({ state: 'visible', timeout: 10_000 });
    await entry.click();
  }

  /** The frames of open webviews (each webview's content lives in a nested iframe). */
  webviewFrames(): Frame[] {
    return this.page.frames().filter((frame) => frame.url().includes('/webview/') || frame.name().startsWith('webview'));
  }

  /** Saves a PNG of the whole window under .test-artifacts/; returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(artifactsDir, { recursive: true });
    const path = join(artifactsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}
