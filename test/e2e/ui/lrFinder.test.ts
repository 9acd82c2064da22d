// A user finds a learning rate from the palette: Find Learning Rate on the sample digits opens a tab
// whose chart fills with the range test, marks the suggested rate, and "Start Run with This Rate"
// starts a run that trains with exactly that rate, which New Training Run then offers as its rate.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
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

describe('Find Learning Rate', () => {
  const session = useWorkbenchSession();

  test('from the palette: the chart marks a suggested rate, and a run starts with it', { timeout: 280_000 }, async () => {
    const workbench = session().workbench;
    await showExperiments(workbench);
    const before = new Set((await experimentRows(workbench)).map((row) => row.label));
    // A small batch keeps each of the test's steps short.
    await findLearningRate(workbench, { dataset: 'mnist-digits', epochs: 1, batchSize: 16 });
    await workbench.waitForNotification('Finding a learning rate for mnist-digits (cnn)');

    const frame = await lrFinderFrame(workbench.page);
    assert.match(await frame.locator('.setup').innerText(), /^mnist-digits · cnn · adam · batch 16 · cross-entropy/);
    // Points arrive while it runs: the status counts the steps.
    await frame.locator('.status', { hasText: /^Running: step \d+ of at most 200/ }).waitFor({ timeout: 120_000 });
    const suggestion = frame.locator('.suggested strong[data-rate]');
    await suggestion.waitFor({ timeout: 200_000 });
    const rate = Number(await suggestion.getAttribute('data-rate'));
    const status = await frame.locator('.status').innerText();
    const steps = Number(/^Done: (\d+) steps/.exec(status)?.[1]);
    assert.ok(steps >= 20 && steps <= 200, status);
    assert.ok(rate > 1e-6 && rate < 10, `suggested ${rate}`);
    const chart = await frame.locator('.chart-box canvas').getAttribute('aria-label');
    assert.match(chart ?? '', new RegExp(`over ${steps} steps from .*; suggested rate ${String(rate).replace('.', '\\.')}`));
    assert.equal(await frame.locator('#run-rate').evaluate((field) => (field as unknown as { value: string }).value), await suggestion.innerText(), 'the suggestion is the run\'s rate');

    await frame.locator('#start-run').click();
    const started = await frame.locator('.started', { hasText: /^Started run "/ }).innerText({ timeout: 120_000 });
    const name = /^Started run "([^"]+)"/.exec(started)?.[1] ?? '';
    assert.match(name, /^cnn-mnist-digits-\d+$/);
    assert.ok(!before.has(name));

    await showExperiments(workbench);
    await waitForRow(workbench, `${name} in the Experiments view`, (row) => row.label === name, 60_000);
    const record = runRecords(session().workspace).find((r) => r.name === name);
    assert.ok(record, `run.json of ${name}`);
    assert.equal(record.spec.training.learningRate, rate, 'the run trains with the suggested rate');
    assert.equal(record.spec.training.epochs, 1);
    assert.equal(record.spec.training.batchSize, 16);
    assert.equal(record.spec.model.kind, 'cnn');
    await contextMenuAction(workbench, name, 'Stop Run');
    await waitForRow(workbench, `${name} ended`, (row) => row.label === name && (row.icon === 'circle-slash' || row.icon === 'pass'), 120_000);
    // The wizard offers next what was started last: the chosen rate, not the one it had before.
    assert.equal(Number(await offeredLearningRate(workbench)), rate, 'New Training Run offers the rate the run started with');
  });
});
