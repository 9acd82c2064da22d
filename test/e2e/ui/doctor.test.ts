// The training doctor as a user meets it: two runs recorded in the workspace, one diverging (learning
// rate 1) and one overfitting (training accuracy far above validation, validation loss rising), show their
// findings in the Problems panel and in a banner at the top of each run's dashboard, with the fix offered.
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RunStore } from '../../../src/core/runs/runStore';
import { writeRun } from '../../fixtures/doctorRuns';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { prepareTestWorkspace } from '../harness/testWorkspace';
import { useWorkbench } from '../harness/useWorkbench';
import type { WorkbenchSessionOptions } from '../harness/workbenchSession';
import { dashboardFrame, openDashboardFromPalette } from './dashboardRuns';

describe('training doctor', () => {
  const options: WorkbenchSessionOptions = {};
  let tempDir: string;
  let diverging: string;
  let overfitting: string;

  before(async () => {
    tempDir = makeTempDir('classifier-lab-doctor-ui-');
    const workspace = prepareTestWorkspace(join(tempDir, 'workspace'));
    const runsDir = join(workspace, '.classifier-lab', 'runs');
    const store = new RunStore(runsDir);
    diverging = basename(await writeRun(runsDir, {
      training: { learningRate: 1 }, firstBatches: [1.386, 6, 11],
      epochs: [{ loss: 11.5, acc: 0.25, valLoss: 12, valAcc: 0.25, recalls: [1, 0, 0, 0] }, { loss: 12.1, acc: 0.25, valLoss: 12.2, valAcc: 0.25, recalls: [1, 0, 0, 0] }],
    }));
    await store.rename(diverging, 'diverging-run');
    // Training accuracy climbs to 99% while validation stays near 40% and its loss rises from epoch 3 on.
    const accs = [0.4, 0.6, 0.75, 0.85, 0.93, 0.97, 0.99];
    const valLosses = [1.2, 1.05, 1.0, 1.08, 1.2, 1.35, 1.5];
    overfitting = basename(await writeRun(runsDir, {
      training: { learningRate: 0.003 },
      epochs: accs.map((acc, i) => ({ loss: 1.3 * (1 - acc) + 0.02, acc, valLoss: valLosses[i], valAcc: 0.38 + 0.01 * Math.min(i, 2) })),
    }));
    await store.rename(overfitting, 'overfitting-run');
    options.workspace = workspace;
  }, { timeout: 120_000 });
  after(() => removeTempDir(tempDir));

  const workbench = useWorkbench(options);

  test('the Problems panel lists both findings, named by run', { timeout: 120_000 }, async () => {
    await workbench().runCommand('View: Focus Problems (Errors, Warnings, Infos)', 60_000);
    const rows = workbench().page.locator('.markers-panel .monaco-list-row');
    const deadline = Date.now() + 60_000;
    let texts: string[] = [];
    while (Date.now() < deadline) {
      texts = await rows.allInnerTexts();
      if (texts.some((t) => t.includes('diverging-run: Training diverged')) && texts.some((t) => t.includes('overfitting-run: Overfitting since epoch 3'))) break;
      await workbench().page.waitForTimeout(250);
    }
    assert.ok(texts.some((t) => t.includes('diverging-run: Training diverged')), `Problems panel:\n${texts.join('\n')}`);
    assert.ok(texts.some((t) => t.includes('overfitting-run: Overfitting since epoch 3')), `Problems panel:\n${texts.join('\n')}`);
  });

  test('the diverging run\'s dashboard shows the finding in its banner, with the fix as a button', { timeout: 120_000 }, async () => {
    await openDashboardFromPalette(workbench(), 'diverging-run');
    const frame = await dashboardFrame(workbench().page, [diverging]);
    const finding = frame.locator('.doctor-banner li[data-rule="lossDiverged"]');
    await finding.waitFor({ timeout: 30_000 });
    assert.match(await finding.locator('.finding-message').innerText(), /Training diverged: the loss rose from 1\.386/);
    assert.equal((await finding.locator('.severity').innerText()).trim(), 'Error');
    assert.equal((await finding.locator('vscode-button').innerText()).trim(), 'Rerun with learning rate 0.1');
  });

  test('the overfitting run\'s dashboard shows the finding with its remedies', { timeout: 120_000 }, async () => {
    await openDashboardFromPalette(workbench(), 'overfitting-run');
    const frame = await dashboardFrame(workbench().page, [overfitting]);
    const finding = frame.locator('.doctor-banner li[data-rule="overfitting"]');
    await finding.waitFor({ timeout: 30_000 });
    const message = await finding.locator('.finding-message').innerText();
    assert.match(message, /Overfitting since epoch 3: training accuracy 99(\.0)?% against validation 40(\.0)?% at epoch 7/);
    assert.match(message, /augmentation \(random crops\)/);
    assert.equal((await finding.locator('.severity').innerText()).trim(), 'Warning');
    assert.match((await finding.locator('vscode-button').innerText()).trim(), /^Rerun with augmentation \(random crops\)/);
  });
});
