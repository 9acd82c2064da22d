// A user trains from the palette and watches the Experiments view: New Training Run on the sample
// digits with 1 epoch runs and completes with an accuracy; a second run stopped mid-way reads cancelled.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useWorkbench } from '../harness/useWorkbench';
import { contextMenuAction, experimentRows, newTrainingRun, showExperiments, waitForRow } from './experimentsView';

const RUN_NAME = /^cnn-mnist-digits-\d+$/;

describe('training from the palette', () => {
  const workbench = useWorkbench();

  test('New Training Run on the sample digits shows the run training, then completed with its accuracy', async () => {
    await showExperiments(workbench());
    const before = new Set((await experimentRows(workbench())).map((row) => row.label));
    const detail = await newTrainingRun(workbench(), { dataset: 'mnist-digits', epochs: 1 });
    assert.match(detail, /image folders · 10 classes · 3,000 train \+ 500 test images/, 'the picker shows the detected format and class counts');

    const running = await waitForRow(workbench(), 'the new run training', (row) => RUN_NAME.test(row.label) && !before.has(row.label) && row.icon === 'loading', 90_000);
    const done = await waitForRow(workbench(), `${running.label} completed`, (row) => row.label === running.label && row.icon === 'pass', 180_000);
    assert.match(done.description, /^val acc \d+\.\d%$/);
    await workbench().waitForNotification(`Run "${running.label}" completed`);
  });

  test('a second run stopped from its context menu mid-way reads cancelled', async () => {
    await showExperiments(workbench());
    const before = new Set((await experimentRows(workbench())).map((row) => row.label));
    await newTrainingRun(workbench(), { dataset: 'mnist-digits', epochs: 30 });
    const running = await waitForRow(workbench(), 'the second run making progress', (row) => RUN_NAME.test(row.label) && !before.has(row.label) && /^epoch \d+\/30 · \d+%/.test(row.description), 90_000);
    await contextMenuAction(workbench(), running.label, 'Stop Run');
    const stopped = await waitForRow(workbench(), `${running.label} cancelled`, (row) => row.label === running.label && row.icon === 'circle-slash', 60_000);
    assert.match(stopped.description, /cancelled$/);
  });
});

describe('a window reload while training', () => {
  const workbench = useWorkbench();

  test('leaves the run interrupted, and Resume Run continues it', async () => {
    await showExperiments(workbench());
    const before = new Set((await experimentRows(workbench())).map((row) => row.label));
    await newTrainingRun(workbench(), { dataset: 'mnist-digits', epochs: 30 });
    // Past the first epoch, so there is a checkpoint to resume from.
    const running = await waitForRow(workbench(), 'the run past its first epoch', (row) => RUN_NAME.test(row.label) && !before.has(row.label) && /^epoch ([2-9]|\d\d)\/30/.test(row.description), 120_000);
    await workbench().runCommand('Developer: Reload Window');
    await workbench().page.waitForTimeout(1000);
    await workbench().ready();
    await showExperiments(workbench());
    const interrupted = await waitForRow(workbench(), `${running.label} interrupted`, (row) => row.label === running.label && row.icon === 'debug-pause', 90_000);
    assert.match(interrupted.description, /interrupted$/);

    await contextMenuAction(workbench(), running.label, 'Resume Run');
    await waitForRow(workbench(), `${running.label} training again`, (row) => row.label === running.label && /^epoch \d+\/30/.test(row.description), 90_000);
    await contextMenuAction(workbench(), running.label, 'Stop Run');
    await waitForRow(workbench(), `${running.label} cancelled`, (row) => row.label === running.label && row.icon === 'circle-slash', 60_000);
  });
});
