// A user with a thousand runs opens the runs table from the Experiments view's title bar, sorts it by
// accuracy, filters it by words and by a column's values, scrolls to the end, hides a column (remembered
// when the table is opened again), and compares two ticked runs. Prints how long the table took to open.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { makeRunRecords, writeRunRecords } from '../../fixtures/manyRuns';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { Workbench } from '../harness/workbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import { showExperiments } from './experimentsView';

const RUNS = 1000;

/** The runs table's page among the webview frames, once it has drawn its rows. */
async function runsTableFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const rows = await frame.locator('body[data-view="runs-table"] .runs-table tbody tr[data-run-id]').count().catch(() => 0);
      if (rows > 0) return frame;
    }
    await page.waitForTimeout(50);
  }
  throw new Error('no runs table page with rows');
}

async function openFromTitleBar(workbench: Workbench): Promise<void> {
  await showExperiments(workbench);
  const action = workbench.page.locator('.part.sidebar .title-actions a.action-label[aria-label="Open Runs Table"], .part.sidebar .pane-header .actions a.action-label[aria-label="Open Runs Table"]').first();
  await action.waitFor({ state: 'visible', timeout: 30_000 });
  await action.click();
}

async function shownNames(frame: Frame): Promise<string[]> {
  return frame.locator('.runs-table tbody tr[data-run-id] td[data-key="name"]').allInnerTexts();
}

async function countLine(frame: Frame): Promise<string> {
  return (await frame.locator('.progress-line').innerText()).trim();
}

async function waitForCountLine(frame: Frame, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await countLine(frame);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the count line says "${text}", not ${String(pattern)}`);
    await frame.page().waitForTimeout(100);
  }
}

describe('runs table', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let records: RunRecord[];

  before(() => {
    tempDir = makeTempDir('classifier-lab-runs-table-ui-');
    const workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    records = makeRunRecords(RUNS, join(workspace, 'data', 'mnist-digits'));
    writeRunRecords(join(workspace, '.classifier-lab', 'runs'), records);
    options.workspace = workspace;
  });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);
  let frame: Frame;

  test('opens from the Experiments view\'s title bar with every run, drawing only the rows in view', { timeout: 120_000 }, async () => {
    // The view lists the runs first (the table is opened once the folder has been read).
    await showExperiments(workbench());
    await workbench().page.locator('.part.sidebar .monaco-list-row[role="treeitem"]').first().waitFor({ timeout: 60_000 });
    const started = Date.now();
    await openFromTitleBar(workbench());
    frame = await runsTableFrame(workbench().page);
    const openMs = Date.now() - started;
    await waitForCountLine(frame, /^1,000 runs$/);
    console.log(`runs table: ${RUNS} runs open with rows drawn in ${openMs} ms (click on the title-bar button to first rows, node --import tsx --test test/e2e/ui/runsTable.test.ts)`);
    await workbench().page.locator('.tabs-container .tab', { hasText: 'Runs Table' }).first().waitFor({ timeout: 10_000 });
    const drawn = await frame.locator('.runs-table tbody tr[data-run-id]').count();
    assert.ok(drawn > 5 && drawn < 100, `${drawn} rows in the DOM for ${RUNS} runs`);
    // Newest first by default.
    assert.equal((await shownNames(frame))[0], records.at(-1)!.name);
  });

  test('sorts by best validation accuracy both ways; runs without one come last', async () => {
    const header = frame.locator('.runs-table th[data-key="bestValAcc"] .sort-button');
    await header.click();
    assert.equal(await frame.locator('.runs-table th[data-key="bestValAcc"]').getAttribute('aria-sort'), 'descending');
    const accs = records.flatMap((r) => (r.summary.bestValAcc !== undefined ? [r.summary.bestValAcc] : []));
    const namesWith = (acc: number): string[] => records.filter((r) => r.summary.bestValAcc === acc).map((r) => r.name);
    const firstAcc = () => frame.locator('.runs-table tbody tr[data-run-id] td[data-key="bestValAcc"]').first().innerText();
    const best = Math.max(...accs);
    assert.equal(await firstAcc(), `${(best * 100).toFixed(2)}%`);
    assert.ok(namesWith(best).includes((await shownNames(frame))[0]));
    await header.click();
    assert.equal(await frame.locator('.runs-table th[data-key="bestValAcc"]').getAttribute('aria-sort'), 'ascending');
    const worst = Math.min(...accs);
    assert.equal(await firstAcc(), `${(worst * 100).toFixed(2)}%`);
    assert.ok(namesWith(worst).includes((await shownNames(frame))[0]));

    // Scrolled to the end, the last rows are drawn: the failed runs (no accuracy) after every other.
    await frame.locator('.table-scroll').evaluate((element) => { element.scrollTop = element.scrollHeight; });
    await frame.page().waitForTimeout(300);
    const last = await frame.locator('.runs-table tbody tr[data-run-id]').last().getAttribute('aria-rowindex');
    assert.equal(last, String(RUNS));
    const lastStatus = await frame.locator('.runs-table tbody tr[data-run-id]').last().locator('td[data-key="status"]').innerText();
    assert.equal(lastStatus, 'failed');
    await frame.locator('.table-scroll').evaluate((element) => { element.scrollTop = 0; });
  });

  test('filters by words and by a column\'s values', async () => {
    await frame.locator('input.search').fill('baseline');
    const tagged = records.filter((r) => r.tags?.includes('baseline')).length;
    await waitForCountLine(frame, new RegExp(`^1,000 runs · ${tagged} shown$`));
    await frame.locator('input.column-filter[data-key="bestValAcc"]').fill('>90');
    const expected = records.filter((r) => r.tags?.includes('baseline') && (r.summary.bestValAcc ?? 0) > 0.9);
    await waitForCountLine(frame, new RegExp(`^1,000 runs · ${expected.length} shown$`));
    assert.deepEqual(new Set(await shownNames(frame)), new Set(expected.map((r) => r.name)));
    await frame.locator('button.clear-filters').click();
    await waitForCountLine(frame, /^1,000 runs$/);
  });

  test('a hidden column stays hidden when the table is opened again', async () => {
    assert.equal(await frame.locator('.runs-table th[data-key="bestValLoss"]').count(), 1);
    await frame.locator('button.columns-toggle').click();
    await frame.locator('.columns-panel input[data-key="bestValLoss"]').click();
    await frame.locator('.runs-table th[data-key="bestValLoss"]').waitFor({ state: 'detached', timeout: 5_000 });
    // Shown settings can be added too: the CNN's filters.
    await frame.locator('.columns-panel input[data-key="model.filters"]').click();
    await frame.locator('.runs-table th[data-key="model.filters"]').waitFor({ timeout: 5_000 });

    await workbench().runCommand('View: Close All Editors');
    await openFromTitleBar(workbench());
    frame = await runsTableFrame(workbench().page);
    assert.equal(await frame.locator('.runs-table th[data-key="bestValLoss"]').count(), 0);
    assert.equal(await frame.locator('.runs-table th[data-key="model.filters"]').count(), 1);
    // The sort is remembered as well (ascending accuracy, from the test above).
    assert.equal(await frame.locator('.runs-table th[data-key="bestValAcc"]').getAttribute('aria-sort'), 'ascending');
  });

  test('two ticked runs open side by side in a comparison', async () => {
    const rows = frame.locator('.runs-table tbody tr[data-run-id]');
    const names = (await shownNames(frame)).slice(0, 2);
    await rows.nth(0).locator('td.select-cell input').check();
    await rows.nth(1).locator('td.select-cell input').check();
    await waitForCountLine(frame, /· 2 selected$/);
    await frame.locator('button.compare').click();
    const tab = workbench().page.locator('.tabs-container .tab', { hasText: 'Compare:' }).first();
    await tab.waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    const comparedOf = (title: string): string[] => title.trim().replace(/^Compare: /, '').split(', ').sort();
    let title = '';
    while (Date.now() < deadline && JSON.stringify(comparedOf(title)) !== JSON.stringify([...names].sort())) {
      title = await tab.innerText();
      await workbench().page.waitForTimeout(200);
    }
    assert.deepEqual(comparedOf(title), [...names].sort(), `the comparison tab is "${title}"`);
  });
});
