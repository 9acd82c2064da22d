// A user fine-tunes from the workbench: "Fine-tune from This Run..." on a finished run starts a run from
// its weights with head-only epochs, and that run's dashboard links back to the run it started from.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { useWorkbenchSession } from '../harness/useWorkbench';
import { dashboardFrame, readRunOnDisk, runRecords, showTab, trainWithCli, waitForRecord } from './dashboardRuns';
import { chooseDataset, contextMenuAction, experimentRows, showExperiments, waitForQuestion, waitForRow } from './experimentsView';

describe('fine-tuning from a run', () => {
  const session = useWorkbenchSession();
  let source: RunRecord;

  before(() => {
    source = readRunOnDisk(trainWithCli(session().workspace, ['--data', 'data/mnist-digits', '--epochs', '1', '--limit', '300'])).record;
  }, { timeout: 120_000 });

  test('Fine-tune from This Run starts from its weights with head-only epochs; the new dashboard links back', { timeout: 240_000 }, async () => {
    const workbench = session().workbench;
    await showExperiments(workbench);
    await waitForRow(workbench, source.name, (row) => row.label === source.name && row.icon === 'pass', 60_000);
    const before = new Set((await experimentRows(workbench)).map((row) => row.label));
    await contextMenuAction(workbench, source.name, 'Fine-tune from This Run...');
    await chooseDataset(workbench, 10);
    const input = workbench.quickInput.locator('input.input');
    await waitForQuestion(workbench, '(4/10)', /Epochs: passes/);
    await input.fill('1');
    await workbench.page.keyboard.press('Enter');
    await waitForQuestion(workbench, '(4/10)', /Epochs that train only the classifier head/);
    await input.fill('2');
    await workbench.quickInput.locator('.quick-input-message', { hasText: /from 0 to 1/ }).waitFor({ timeout: 10_000 });
    await input.fill('1');
    await workbench.page.keyboard.press('Enter');
    // Batch size, learning rate, optimiser, loss, augmentation; the recipe step's first item starts.
    for (const step of [5, 6, 7, 8, 9, 10]) {
      await workbench.quickInput.locator('.quick-input-title', { hasText: `(${step}/10)` }).waitFor({ state: 'visible', timeout: 30_000 });
      await workbench.page.keyboard.press('Enter');
    }
    await workbench.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });

    const tuned = await waitForRecord(session().workspace, 'the fine-tuned run', (r) => r.spec.training.initFrom !== undefined && !before.has(r.name));
    assert.equal(tuned.spec.training.freezeEpochs, 1);
    assert.equal(tuned.spec.training.epochs, 1);
    assert.equal(tuned.spec.training.initFrom, join(session().workspace, '.classifier-lab', 'runs', source.id));
    await showExperiments(workbench);
    await waitForRow(workbench, `${tuned.name} completed`, (row) => row.label === tuned.name && row.icon === 'pass', 150_000);
    const done = runRecords(session().workspace).find((r) => r.id === tuned.id)!;
    assert.equal(done.initFrom?.runId, source.id);
    assert.equal(done.initFrom?.headReplaced, false, 'the same classes keep the head');

    await contextMenuAction(workbench, tuned.name, 'Open Dashboard');
    const frame = await dashboardFrame(workbench.page, [tuned.id]);
    await showTab(frame, 'Summary');
    const link = frame.locator('[data-key="initFrom"] button.link');
    await link.waitFor({ timeout: 20_000 });
    assert.match(await link.innerText(), new RegExp(`^${source.name} \\(\\d+\\.\\d+% val\\), its classifier head kept$`));
    await link.click();
    const sourceFrame = await dashboardFrame(workbench.page, [source.id]);
    assert.equal((await sourceFrame.locator('h1').innerText()).trim(), source.name);
  });
});
