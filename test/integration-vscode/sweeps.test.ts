// Sweeps in a real extension host: a small random sweep on the sample digits runs its trials through the
// window's run queue, shows as a group in the Experiments view (best trial first), and opens its tab.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { parseSweepSpec } from '../../src/core/sweeps/parseSweepSpec';
import { after, describe, test } from './harness/inHostTests';
import { labApi, readRun, sampleDataset, waitFor } from './helpers/labApi';

describe('sweeps in the editor', () => {
  const started: string[] = [];
  after(async () => {
    const api = await labApi();
    for (const id of started) await api.stopSweep(id);
    await api.whenSweepsIdle();
    for (const id of api.trainingRunIds()) await api.stopRun(id);
    await api.whenIdle();
  });

  test('a 4-trial random sweep trains each trial as a queued run and lists them under the sweep, best first', { timeout: 300_000 }, async () => {
    const api = await labApi();
    const spec = parseSweepSpec({
      name: 'in-host sweep', method: 'random', trials: 4, seed: 2, metric: 'valAcc',
      base: { data: sampleDataset('mnist-digits'), epochs: 1, limit: 200, batchSize: 32 },
      space: { learningRate: { min: 0.00001, max: 0.3, log: true }, 'model.denseUnits': [16, 64] },
    }, '/');
    const id = await api.startSweep(spec);
    started.push(id);
    const row = await waitFor('the sweep row', () => api.experimentRows().find((r) => r.id === `sweep:${id}`), 30_000);
    assert.equal(row.label, 'in-host sweep');
    // Queued until its first trial starts, then running; either way run by this window.
    assert.match(row.contextValue, /^sweep\.(queued|running)\.here$/);
    // Never more trials at once than concurrent runs allows (1 by default).
    let mostTraining = 0;
    const watch = setInterval(() => { mostTraining = Math.max(mostTraining, api.trainingRunIds().length); }, 100);
    await api.whenSweepsIdle();
    clearInterval(watch);
    assert.equal(mostTraining, 1);

    const record = await api.readSweep(id);
    assert.ok(record);
    assert.equal(record.status, 'completed', record.error);
    assert.equal(record.trials.length, 4);
    for (const trial of record.trials) {
      assert.equal(trial.status, 'completed', trial.error);
      const run = await readRun(api, trial.runId!);
      assert.equal(run.name, `in-host sweep #${trial.trial}`);
      assert.equal(run.spec.data.limit, 200);
      // Each trial trains with the values drawn for it.
      assert.equal(run.spec.training.learningRate, trial.params.learningRate);
      assert.equal((run.spec.model.options as { denseUnits?: number }).denseUnits, trial.params['model.denseUnits']);
    }
    const done = await waitFor('the finished sweep row', () => api.experimentRows().find((r) => r.id === `sweep:${id}` && /^4\/4 trials, best \d+\.\d%$/.test(r.description)), 30_000);
    assert.equal(done.contextValue, 'sweep.completed');
    const trialRows = api.experimentRows().filter((r) => r.group === 'in-host sweep');
    assert.equal(trialRows.length, 4);
    assert.equal(trialRows[0].id, record.best?.runId, 'the best trial comes first');

    await vscode.commands.executeCommand('classifierLab.openSweep', id);
    await waitFor('the sweep tab', () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((tab) => tab.label === 'Sweep: in-host sweep'), 20_000);
  });

  test('Rerun Best with More Epochs trains the best trial\'s settings for the epochs asked', { timeout: 240_000 }, async () => {
    const api = await labApi();
    const sweep = (await vscode.workspace.findFiles('.classifier-lab/sweeps/*/sweep.json')).length;
    assert.ok(sweep >= 1);
    const [id] = api.experimentRows().filter((r) => r.id.startsWith('sweep:') && r.label === 'in-host sweep').map((r) => r.id.slice('sweep:'.length));
    const record = await api.readSweep(id);
    const best = record!.trials.find((t) => t.trial === record!.best!.trial)!;
    await vscode.commands.executeCommand('classifierLab.rerunBestTrial', id, 2);
    // The row shows at once, queued; it names the run once its folder exists.
    const rerun = await waitFor('the rerun\'s run', () => api.experimentRows().find((r) => r.label === 'in-host sweep best (2 epochs)' && !r.id.startsWith('queued:')), 120_000);
    // A 2-epoch rerun on 200 images may finish before the row shows: wait for its end, then check what it trained.
    const run = await waitFor('the rerun to end', async () => {
      const current = await readRun(api, rerun.id);
      return ['completed', 'failed', 'cancelled'].includes(current.status) ? current : undefined;
    }, 120_000, 500);
    assert.equal(run.status, 'completed', run.error);
    assert.equal(run.spec.training.epochs, 2);
    assert.equal(run.summary.lastEpoch, 2);
    assert.equal(run.spec.training.learningRate, best.params.learningRate);
    assert.equal(run.spec.data.limit, 200);
    assert.equal((run.spec.model.options as { denseUnits?: number }).denseUnits, best.params['model.denseUnits']);
  });
});
