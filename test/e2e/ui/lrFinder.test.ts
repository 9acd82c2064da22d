// A user finds a learning rate from the palette: Find Learning Rate on the sample digits opens a tab
// whose chart fills with the range test and marks the suggested rate. The tab comes back after a window
// reload with the same curve, suggestion and chosen rate, and "Start Run with This Rate" then starts a run
// that trains with exactly that rate, which New Training Run then offers as its rate. A search the reload
// ended says so and runs again in its tab.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { Workbench } from '../harness/workbench';
import { useWorkbenchSession } from '../harness/useWorkbench';
import { runRecords } from './dashboardRuns';
import { contextMenuAction, experimentRows, findLearningRate, offeredLearningRate, showExperiments, waitForRow } from './experimentsView';

/** The Find Learning Rate page among the webview frames, once it has its snapshot. */
async function lrFinderFrame(page: Page, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const found = await frame.locator('#start-run').count().catch(() => 0);
      const busy = await frame.locator('#app').getAttribute('aria-busy', { timeout: 500 }).catch(() => 'true');
      if (found > 0 && busy === null) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('no Find Learning Rate page');
}

async function reloadWindow(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Developer: Reload Window');
  await workbench.page.waitForTimeout(1000);
  await workbench.ready();
}

/** The run-rate field's text. */
async function rateField(frame: Frame): Promise<string> {
  return frame.locator('#run-rate').evaluate((field) => (field as unknown as { value: string }).value);
}

describe('Find Learning Rate', () => {
  const session = useWorkbenchSession();

  test('from the palette: the chart marks a suggested rate; after a window reload the tab shows it again, and a run starts with the chosen rate', { timeout: 400_000 }, async () => {
    const workbench = session().workbench;
    await showExperiments(workbench);
    const before = new Set((await experimentRows(workbench)).map((row) => row.label));
    // A small batch keeps each of the test's steps short.
    await findLearningRate(workbench, { dataset: 'mnist-digits', epochs: 1, batchSize: 16 });
    await workbench.waitForNotification('Finding a learning rate for mnist-digits (cnn)');

    let frame = await lrFinderFrame(workbench.page);
    const setup = await frame.locator('.setup').innerText();
    assert.match(setup, /^mnist-digits · cnn · adam · batch 16 · cross-entropy/);
    // Points arrive while it runs: the status counts the steps.
    await frame.locator('.status', { hasText: /^Running: step \d+ of at most 200/ }).waitFor({ timeout: 120_000 });
    let suggestion = frame.locator('.suggested strong[data-rate]');
    await suggestion.waitFor({ timeout: 200_000 });
    const rate = Number(await suggestion.getAttribute('data-rate'));
    const status = await frame.locator('.status').innerText();
    const steps = Number(/^Done: (\d+) steps/.exec(status)?.[1]);
    assert.ok(steps >= 20 && steps <= 200, status);
    assert.ok(rate > 1e-6 && rate < 10, `suggested ${rate}`);
    const chart = await frame.locator('.chart-box canvas').getAttribute('aria-label');
    assert.match(chart ?? '', new RegExp(`over ${steps} steps from .*; suggested rate ${String(rate).replace('.', '\\.')}`));
    assert.equal(await rateField(frame), await suggestion.innerText(), 'the suggestion is the run\'s rate');

    // The user settles on a rate of their own: half the suggestion.
    const chosen = Number((rate / 2).toPrecision(2));
    await frame.locator('#run-rate input').fill(String(chosen));
    assert.equal(Number(await rateField(frame)), chosen);
    assert.equal(await frame.locator('#start-run').getAttribute('disabled'), null, 'the typed rate can start a run');
    // The page saves what it shows once a frame renders: let it.
    await workbench.page.waitForTimeout(1000);

    await reloadWindow(workbench);
    frame = await lrFinderFrame(workbench.page, 120_000);
    // The same search, curve, suggestion and choice, read back from the page's saved state.
    assert.equal(await frame.locator('.setup').innerText(), setup);
    assert.equal(await frame.locator('.status').innerText(), status);
    suggestion = frame.locator('.suggested strong[data-rate]');
    await suggestion.waitFor({ timeout: 30_000 });
    assert.equal(Number(await suggestion.getAttribute('data-rate')), rate);
    assert.equal(await frame.locator('.chart-box canvas').getAttribute('aria-label'), chart, 'the same curve');
    assert.equal(Number(await rateField(frame)), chosen, 'the rate the user chose');
    assert.equal(await frame.locator('#search-again').isVisible(), false, 'a finished search is not offered again');

    await frame.locator('#start-run').click();
    const started = await frame.locator('.started', { hasText: /^Started run "/ }).innerText({ timeout: 120_000 });
    const name = /^Started run "([^"]+)"/.exec(started)?.[1] ?? '';
    assert.match(name, /^cnn-mnist-digits-\d+$/);
    assert.ok(!before.has(name));

    await showExperiments(workbench);
    await waitForRow(workbench, `${name} in the Experiments view`, (row) => row.label === name, 60_000);
    const record = runRecords(session().workspace).find((r) => r.name === name);
    assert.ok(record, `run.json of ${name}`);
    assert.equal(record.spec.training.learningRate, chosen, 'the run trains with the chosen rate');
    // The rest are the settings the search was made with, from before the reload.
    assert.equal(record.spec.training.epochs, 1);
    assert.equal(record.spec.training.batchSize, 16);
    assert.equal(record.spec.model.kind, 'cnn');
    assert.match(record.spec.data.path, /mnist-digits$/);
    await contextMenuAction(workbench, name, 'Stop Run');
    await waitForRow(workbench, `${name} ended`, (row) => row.label === name && (row.icon === 'circle-slash' || row.icon === 'pass'), 120_000);
    // The wizard offers next what was started last: the chosen rate, not the one it had before.
    assert.equal(Number(await offeredLearningRate(workbench)), chosen, 'New Training Run offers the rate the run started with');
    await workbench.runCommand('View: Close All Editors');
  });

  test('a search the window reload ended says so, shows its steps so far, and runs again in its tab', { timeout: 300_000 }, async () => {
    const workbench = session().workbench;
    await findLearningRate(workbench, { dataset: 'mnist-digits', epochs: 1, batchSize: 16 });
    let frame = await lrFinderFrame(workbench.page);
    await frame.locator('.status', { hasText: /^Running: step ([3-9]|\d\d+) of at most 200/ }).waitFor({ timeout: 120_000 });

    await reloadWindow(workbench);
    frame = await lrFinderFrame(workbench.page, 120_000);
    const status = frame.locator('.status');
    await status.filter({ hasText: /had not finished when the window reloaded, which ended it after \d+ steps: it cannot continue/ }).waitFor({ timeout: 30_000 });
    const steps = Number(/after (\d+) steps/.exec(await status.innerText())?.[1]);
    assert.ok(steps >= 3, await status.innerText());
    assert.match(await frame.locator('.chart-box canvas').getAttribute('aria-label') ?? '', new RegExp(`over ${steps} steps`));
    assert.match(await frame.locator('.suggestion').innerText(), /^No suggestion: the test did not finish/);
    assert.equal(await frame.locator('vscode-button', { hasText: 'Stop' }).isVisible(), false, 'nothing runs, so nothing to stop');
    // Nothing runs after the reload: no progress notification waits for it.
    assert.equal(await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'Finding a learning rate' }).count(), 0);

    await frame.locator('#search-again').click();
    await workbench.waitForNotification('Finding a learning rate for mnist-digits (cnn)');
    frame = await lrFinderFrame(workbench.page);
    await frame.locator('.status', { hasText: /^Running: step \d+ of at most 200/ }).waitFor({ timeout: 120_000 });
    assert.equal(await frame.locator('#search-again').isVisible(), false);
    await frame.locator('vscode-button', { hasText: 'Stop' }).click();
    await frame.locator('.status', { hasText: /^Done: \d+ steps .*\(stopped\)/ }).waitFor({ timeout: 60_000 });
    await workbench.runCommand('View: Close All Editors');
  });
});
