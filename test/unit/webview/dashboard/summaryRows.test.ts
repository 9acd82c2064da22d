import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RunMetrics } from '../../../../webview/dashboard/runMetrics';
import { bestAccuracyParts, parseTags, summaryGroups } from '../../../../webview/dashboard/summaryRows';
import { runRecord } from './runFixtures';

function valueOf(groups: ReturnType<typeof summaryGroups>, key: string): string | undefined {
  return groups.flatMap((g) => g.rows).find((row) => row.key === key)?.value;
}

describe('summary rows', () => {
  test('show the run\'s headline numbers as a user reads them', () => {
    const groups = summaryGroups(runRecord({ id: 'r', name: 'cnn-shapes-1' }), [], { epoch: 7, loss: 0.2, acc: 0.912, perClass: [] });
    assert.equal(valueOf(groups, 'status'), 'Completed');
    assert.equal(valueOf(groups, 'bestValAcc'), '93.00%');
    assert.equal(valueOf(groups, 'bestEpoch'), '7');
    assert.equal(valueOf(groups, 'testAcc'), '91.20%');
    assert.equal(valueOf(groups, 'duration'), '6 min 42 s');
    assert.equal(valueOf(groups, 'parameters'), '122,570');
    assert.equal(valueOf(groups, 'splits'), '900 / 100 / 0');
    assert.equal(valueOf(groups, 'progress'), '10 of 10 epochs');
    assert.equal(valueOf(groups, 'threads'), undefined, 'runs from before training threads show no thread count');
    assert.equal(valueOf(summaryGroups({ ...runRecord({ id: 'r', name: 'n' }), threads: 2 }, [], undefined), 'threads'), '2');
  });

  test('list every hyperparameter, augmentation setting and model option of the spec', () => {
    const run = runRecord({ id: 'r', name: 'n' });
    const groups = summaryGroups(run, [], undefined);
    for (const key of Object.keys(run.spec.training)) assert.ok(valueOf(groups, `training.${key}`) !== undefined, key);
    for (const key of Object.keys(run.spec.augment)) assert.ok(valueOf(groups, `augment.${key}`) !== undefined, key);
    assert.equal(valueOf(groups, 'model.filters'), '32, 64, 64');
    assert.equal(valueOf(groups, 'training.learningRate'), '0.001');
    assert.equal(groups.find((g) => g.title === 'Hyperparameters')?.rows.find((r) => r.key === 'training.batchSize')?.label, 'Batch size');
  });

  test('a queued run without a dataset yet still reads', () => {
    const groups = summaryGroups(runRecord({ id: 'q', name: 'q', status: 'queued', dataset: undefined, summary: { epochs: 5 } }), [], undefined);
    assert.equal(valueOf(groups, 'progress'), '0 of 5 epochs');
    assert.equal(valueOf(groups, 'bestValAcc'), '–');
    assert.equal(valueOf(groups, 'dataPath'), '/data/shapes');
  });

  test('a run trained by Slurm shows its job and how it stands, then how it ended and the jobs before it', () => {
    const job = { jobId: '12', submittedAt: '2026-01-01T10:00:00.000Z', script: 'slurm-job.sh' };
    const queued = runRecord({ id: 'q', name: 'q', status: 'queued', slurm: job });
    assert.equal(valueOf(summaryGroups(queued, [], undefined, 'queued on Slurm: Resources'), 'slurmJob'), '12 · queued on Slurm: Resources');
    assert.equal(valueOf(summaryGroups(queued, [], undefined), 'slurmJob'), '12 · submitted');
    const ended = runRecord({ id: 'e', name: 'e', status: 'interrupted', slurm: { ...job, jobId: '13', state: 'TIMEOUT', previousJobIds: ['11', '12'] } });
    const groups = summaryGroups(ended, [], undefined);
    assert.equal(valueOf(groups, 'slurmJob'), '13 · TIMEOUT');
    assert.equal(valueOf(groups, 'slurmPreviousJobs'), '11, 12');
    assert.equal(valueOf(summaryGroups(runRecord({ id: 'l', name: 'l' }), [], undefined), 'slurmJob'), undefined, 'a local run has no job row');
  });

  test('a run without a validation split shows training accuracy as training accuracy, never as validation', () => {
    const run = runRecord({
      id: 'r', name: 'n', summary: { epochs: 3, lastEpoch: 3, bestEpoch: 2, bestTrainAcc: 0.935, bestTrainLoss: 0.21 },
    });
    const epochs = [1, 2, 3].map((epoch) => ({ epoch, time: '', loss: 0.3, acc: 0.9, learningRate: 0.001, imagesPerSecond: 800, durationMs: 10, isBest: epoch === 2, perClass: [] }));
    const groups = summaryGroups({ ...run, dataset: { ...run.dataset!, valCount: 0 } }, epochs, undefined);
    assert.equal(valueOf(groups, 'bestTrainAcc'), '93.50%');
    assert.equal(valueOf(groups, 'bestTrainLoss'), '0.21');
    assert.equal(valueOf(groups, 'bestValAcc'), undefined);
    assert.match(valueOf(groups, 'validation') ?? '', /no validation split/);
    assert.deepEqual(bestAccuracyParts(run, new RunMetrics()), ['best training accuracy 93.50% (epoch 2; no validation split)']);
    // Before run.json has a best epoch, the epochs say it: by training accuracy.
    const metrics = RunMetrics.fromSnapshot({ batches: { step: [], epoch: [], loss: [], acc: [], learningRate: [], imagesPerSecond: [] }, epochs: epochs.map((p, i) => ({ ...p, acc: [0.8, 0.95, 0.9][i] })) });
    assert.deepEqual(bestAccuracyParts({ ...run, summary: { epochs: 3 } }, metrics), ['best training accuracy 95.00% (epoch 2; no validation split)']);
  });

  test('a run whose native backend could not be used says why', () => {
    const groups = summaryGroups(runRecord({ id: 'r', name: 'n', backendFallbackReason: '@tensorflow/tfjs-node is not installed' }), [], undefined);
    assert.equal(valueOf(groups, 'backendFallback'), 'not used: @tensorflow/tfjs-node is not installed');
    assert.equal(valueOf(summaryGroups(runRecord({ id: 'r', name: 'n' }), [], undefined), 'backendFallback'), undefined);
  });

  test('tags are trimmed, de-duplicated and empty ones dropped', () => {
    assert.deepEqual(parseTags(' baseline, aug ,, baseline ,'), ['baseline', 'aug']);
  });
});

describe('summary rows of a recipe and a fine-tuned run', () => {
  test('a fine-tuned run names the run it started from, with a link to it', () => {
    const run = { ...runRecord({ id: 'r', name: 'n' }), initFrom: { runId: '20260101-cnn-ab12', runDir: '/runs/20260101-cnn-ab12', name: 'cnn-digits-1', bestValAcc: 0.95, headReplaced: true } };
    const row = summaryGroups(run, [], undefined).flatMap((g) => g.rows).find((r) => r.key === 'initFrom');
    assert.equal(row?.value, 'cnn-digits-1 (95.00% val), new classifier head');
    assert.equal(row?.runId, '20260101-cnn-ab12');
    const kept = { ...run, initFrom: { ...run.initFrom, headReplaced: false, bestValAcc: undefined } };
    assert.equal(valueOf(summaryGroups(kept, [], undefined), 'initFrom'), 'cnn-digits-1, its classifier head kept');
    assert.equal(valueOf(summaryGroups(runRecord({ id: 'r', name: 'n' }), [], undefined), 'initFrom'), undefined);
  });

  test('a schedule reads in words, not as an object', () => {
    const run = runRecord({ id: 'r', name: 'n' });
    const onecycle = { ...run, spec: { ...run.spec, training: { ...run.spec.training, schedule: { kind: 'onecycle' as const, warmup: 0.25, initialFactor: 0.04, finalFactor: 0, milestones: [], gamma: 0.1 } } } };
    assert.equal(valueOf(summaryGroups(onecycle, [], undefined), 'training.schedule'), 'one-cycle, 25% warm-up from 4%, to 0%');
    const step = { ...run, spec: { ...run.spec, training: { ...run.spec.training, schedule: { kind: 'step' as const, warmup: 0, initialFactor: 1, finalFactor: 0, milestones: [0.5, 0.75], gamma: 0.1 } } } };
    assert.equal(valueOf(summaryGroups(step, [], undefined), 'training.schedule'), 'step, × 0.1 at 50%, 75%');
  });
});
