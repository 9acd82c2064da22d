// What a user does with the dataset tab at the workbench, for the UI tests: find the tab's page, read
// its sections and findings.
import type { Frame, Page } from 'playwright-core';
import type { Workbench } from '../harness/workbench';
import { quickPickRow } from './experimentsView';

/** The dataset tab's page once its heading reads `title` (webview content lives in nested iframes). */
export async function datasetFrame(page: Page, title: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const heading = await frame.locator('header h1').innerText({ timeout: 300 }).catch(() => undefined);
      const isDataset = await frame.locator('header .root').count().catch(() => 0);
      if (heading?.trim() === title && isDataset > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no dataset tab showing "${title}"`);
}

/** Waits until the tab shows a finished report (no inspection under way) and returns the page. */
export async function waitForReport(page: Page, title: string, timeoutMs = 120_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await datasetFrame(page, title, Math.max(1_000, deadline - Date.now()));
    const ready = await frame.locator('.summary').count().catch(() => 0) > 0 && await frame.locator('.inspecting').count().catch(() => 1) === 0;
    if (ready) return frame;
    if (Date.now() > deadline) throw new Error(`the dataset tab "${title}" did not finish inspecting`);
    await page.waitForTimeout(250);
  }
}

/** The sources (absolute paths) of the thumbnails or links in a finding section. */
export async function sectionSources(frame: Frame, kind: string): Promise<string[]> {
  return frame.locator(`section#finding-${kind} [data-source]`).evaluateAll((elements) => [...new Set(elements.map((e) => e.getAttribute('data-source') ?? ''))]);
}

/** How many findings a section lists (groups, file rows or ranked rows). */
export async function sectionCount(frame: Frame, kind: string): Promise<number> {
  const text = await frame.locator(`section#finding-${kind} h2 .count`).innerText({ timeout: 5_000 }).catch(() => '0');
  return Number(text.replace(/,/g, ''));
}

/** Classifier Lab: Inspect Dataset from the palette, picking `dataset` by name in the dataset picker. */
export async function inspectFromPalette(workbench: Workbench, dataset: string): Promise<void> {
  await workbench.runCommand('Classifier Lab: Inspect Dataset');
  const input = workbench.quickInput.locator('input.input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(dataset);
  const row = quickPickRow(workbench, dataset);
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  await row.click();
}

/**
 * Picks `action` from the Explorer context menu of `path`, trying again while the menu lacks it: on a
 * loaded machine the workbench can show the menu before the extension under test has contributed to it.
 */
export async function explorerAction(workbench: Workbench, path: readonly string[], action: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await workbench.explorerContextAction(path, action);
      return;
    } catch (error) {
      await workbench.page.keyboard.press('Escape');
      if (Date.now() >= deadline) throw error;
      await workbench.page.waitForTimeout(2_000);
    }
  }
}
