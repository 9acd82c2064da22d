// A user who ran a random sweep on the sample digits (from the command line, into the workspace) sees it
// in the Experiments view as a group with its trials, opens its tab from there, and sees which parameter
// mattered, a line per trial in the parallel coordinates, a scatter per parameter and the best trials
// first; all as sweep.json and the trials' runs say.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import type { SweepRecord } from '../../../src/core/sweeps/sweepRecord';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import { cliPath } from './dashboardRuns';
import { showExperiments, waitForRow } from './experimentsView';

const TRIALS = 6;

async function sweepFrame(page: Page, sweepId: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('/webview/')) continue;
      const found = await frame.locator(`body[data-sweep-id="${sweepId}"] #app:not([aria-busy])`).count().catch(() => 0);
      if (found > 0) return frame;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no sweep page for ${sweepId}`);
}

describe('sweep tab', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let sweep: SweepRecord;

  before(() => {
    tempDir = makeTempDir('classifier-lab-sweep-ui-');
    const workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    const specFile = join(workspace, 'digits-sweep.json');
    writeFileSync(specFile, JSON.stringify({
      name: 'digits sweep', method: 'random', trials: TRIALS, seed: 7, metric: 'valAcc',
      base: { data: 'data/mnist-digits', epochs: 1, limit: 200, batchSize: 32 },
      space: { learningRate: { min: 0.00001, max: 0.3, log: true }, 'model.denseUnits': [16, 64] },
    }));
    const result = spawnSync(process.execPath, [cliPath, 'sweep', '--spec', specFile, '--runs-dir', join(workspace, '.classifier-lab', 'runs'), '--json'], {
      cwd: workspace, encoding: 'utf8', timeout: 600_000,
    });
    const end = result.stdout.split('\n').filter((line) => line.includes('"sweepEnd"')).map((line) => JSON.parse(line) as { sweepDir: string })[0];
    if (result.status !== 0 || !end) throw new Error(`classifier-lab sweep failed (${result.status}): ${result.stderr || result.stdout}`);
    sweep = JSON.parse(readFileSync(join(end.sweepDir, 'sweep.json'), 'utf8')) as SweepRecord;
    options.workspace = workspace;
  }, { timeout: 660_000 });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);
  let frame: Frame;

  test('the Experiments view shows the sweep with its progress and best result; a click opens its tab', { timeout: 120_000 }, async () => {
    assert.equal(sweep.status, 'completed');
    await showExperiments(workbench());
    const best = `${((sweep.best?.value ?? NaN) * 100).toFixed(1)}%`;
    await waitForRow(workbench(), 'the sweep row', (row) => row.label === 'digits sweep' && row.description === `${TRIALS}/${TRIALS} trials, best ${best}`);
    await workbench().page.locator('.part.sidebar .monaco-list-row[role="treeitem"]', { hasText: 'digits sweep' }).first().click();
    await workbench().page.locator('.tabs-container .tab', { hasText: 'Sweep: digits sweep' }).first().waitFor({ timeout: 30_000 });
    frame = await sweepFrame(workbench().page, sweep.id);
    assert.equal((await frame.locator('h1').innerText()).trim(), 'digits sweep');
    assert.equal((await frame.locator('.status-badge').innerText()).trim(), 'Completed');
  });

  test('says which parameter mattered, as sweep.json estimates it', async () => {
    const importance = sweep.importance ?? [];
    assert.equal(importance.length, 2);
    const top = [...importance].sort((a, b) => b.importance - a.importance)[0];
    await frame.locator('.importance-lead').waitFor({ timeout: 10_000 });
    assert.equal(await frame.locator('.importance-lead strong').getAttribute('data-top-param'), top.param);
    assert.match(await frame.locator('.importance-lead').innerText(), new RegExp(`mattered most: ${Math.round(top.importance * 100)}% of what the parameters explain, from ${TRIALS} completed trials`));
    assert.deepEqual(await frame.locator('.importance-bars li').evaluateAll((items) => items.map((item) => item.getAttribute('data-param'))),
      [...importance].sort((a, b) => b.importance - a.importance).map((entry) => entry.param));
  });

  test('a line per trial in the parallel coordinates, a scatter per parameter, the best trial first', async () => {
    assert.equal(await frame.locator('.pc-line').count(), TRIALS);
    assert.deepEqual(await frame.locator('.scatter-card').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-param'))), ['learningRate', 'model.denseUnits']);
    const firstRow = frame.locator('table.trials tbody tr').first();
    assert.equal(await firstRow.getAttribute('data-trial'), String(sweep.best?.trial));
    assert.equal(await firstRow.getAttribute('class'), 'best');
  });
});
