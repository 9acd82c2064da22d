// A user trains with a preset from the workbench: New Training Run offers the built-in cifar10-fast
// preset (with its expected accuracy and time) and starts a run with all of its settings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { RunRecord } from '../../../src/core/runs/runRecord';
import { useWorkbenchSession } from '../harness/useWorkbench';
import { runRecords, waitForRecord } from './dashboardRuns';
import { chooseDataset, contextMenuAction, quickPickRow, showExperiments, waitForQuestion, waitForRow } from './experimentsView';

describe('presets in New Training Run', () => {
  const session = useWorkbenchSession();
  let presetRun: RunRecord | undefined;

  test('New Training Run offers the cifar10-fast preset with its expectation and starts a run with its recipe', { timeout: 300_000 }, async () => {
    const workbench = session().workbench;
    await showExperiments(workbench);
    const before = new Set(runRecords(session().workspace).map((r) => r.id));
    await workbench.runCommand('Classifier Lab: New Training Run');
    await chooseDataset(workbench, 10);
    await waitForQuestion(workbench, '(2/10)', /or a preset/);
    const preset = quickPickRow(workbench, 'cifar10-fast');
    await preset.waitFor({ state: 'visible', timeout: 30_000 });
    const detail = await preset.innerText();
    assert.match(detail, /built-in preset · resnet/);
    assert.match(detail, /Expected: 85% test accuracy in about 25 min on CIFAR-10/);
    await preset.click();
    // A preset answers every question: the wizard offers to start at once.
    await quickPickRow(workbench, 'Start Training').click();
    await workbench.quickInput.waitFor({ state: 'hidden', timeout: 10_000 });

    const record = await waitForRecord(session().workspace, 'the preset\'s run', (r) => !before.has(r.id));
    const t = record.spec.training;
    assert.equal(record.spec.model.kind, 'resnet');
    assert.deepEqual([t.optimizer, t.learningRate, t.batchSize, t.epochs, t.weightDecay, t.labelSmoothing, t.testTimeAugmentation, t.schedule?.kind],
      ['adam', 0.003, 64, 4, 0.05, 0.2, 'flip', 'onecycle']);
    assert.deepEqual([record.spec.augment.flip, record.spec.augment.cropPadding, record.spec.data.valSplit], [true, 4, 0.05]);
    await showExperiments(workbench);
    await waitForRow(workbench, record.name, (row) => row.label === record.name, 60_000);
    await contextMenuAction(workbench, record.name, 'Stop Run');
    await waitForRow(workbench, `${record.name} ended`, (row) => row.label === record.name && row.icon !== 'loading', 120_000);
    presetRun = record;
  });

  test('Save Settings as Preset... keeps a run\'s settings, and New Training Run offers them by name', { timeout: 120_000 }, async () => {
    const workbench = session().workbench;
    assert.ok(presetRun, 'the run of the first test');
    await showExperiments(workbench);
    await contextMenuAction(workbench, presetRun.name, 'Save Settings as Preset...');
    const input = workbench.quickInput.locator('input.input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill('cifar10-fast');
    await workbench.quickInput.locator('.quick-input-message', { hasText: 'is a built-in preset' }).waitFor({ timeout: 10_000 });
    await input.fill('my-resnet');
    await workbench.page.keyboard.press('Enter');
    await workbench.waitForNotification('Saved preset "my-resnet"');
    const file = join(session().workspace, '.classifier-lab', 'presets', 'my-resnet.json');
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { name: string; spec: { model: { kind: string }; training: { schedule?: { kind: string }; weightDecay?: number }; data: { path?: string } } };
    assert.deepEqual([saved.name, saved.spec.model.kind, saved.spec.training.schedule?.kind, saved.spec.training.weightDecay, saved.spec.data.path],
      ['my-resnet', 'resnet', 'onecycle', 0.05, undefined], 'the recipe without the dataset');

    await workbench.runCommand('Classifier Lab: New Training Run');
    await chooseDataset(workbench, 10);
    await waitForQuestion(workbench, '(2/10)', /or a preset/);
    const mine = quickPickRow(workbench, 'my-resnet');
    await mine.waitFor({ state: 'visible', timeout: 30_000 });
    assert.match(await mine.innerText(), /saved preset · resnet/);
    await workbench.page.keyboard.press('Escape');
  });
});
