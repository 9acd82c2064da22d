// The Slurm trial runner a sweep dispatches trials through, against a real single-node Slurm cluster:
// three trials at once on a two-CPU node, two train side by side as jobs, the third waits in the queue
// and is cancelled through its signal; each resolves with its run's outcome.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { slurmTrialRunner, type SlurmTrialOutcome } from '../../../src/core/cluster/slurmTrialRunner';
import { SlurmClient } from '../../../src/core/cluster/slurmClient';
import type { SlurmJobState } from '../../../src/core/cluster/slurmJobState';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import { noAugmentation } from '../../../src/core/data/augment';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import type { RunSpec } from '../../../src/core/runSpec';
import { RunStore } from '../../../src/core/runs/runStore';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';
import { CLI_PATH } from '../../fixtures/cliProcess';
import { slurmUnavailableReason, startSlurmCluster, type SlurmCluster } from '../../fixtures/slurmCluster';

const repo = resolve(__dirname, '../../..');
const unavailable = slurmUnavailableReason();
if (unavailable) console.log(`Skipping the Slurm trial runner tests: ${unavailable}.`);

describe('Slurm trial runner', { skip: unavailable ? `Slurm tests skipped: ${unavailable}` : false }, () => {
  let cluster: SlurmCluster;
  let root: string;
  let data: string;

  before(async () => {
    const build = spawnSync(process.execPath, [join(repo, 'scripts', 'build.mjs')], { cwd: repo, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    root = makeTempDir('classifier-lab-slurm-trials-');
    data = join(root, 'shapes');
    writeFolderDataset(data, makeShapesDataset(600, 16, 11, { channels: 1 }), { testFraction: 0.2 });
    cluster = await startSlurmCluster();
  });

  after(async () => {
    await cluster?.stop();
    if (root) removeTempDir(root);
  });

  function trialSpec(learningRate: number): RunSpec {
    return {
      data: { path: data, format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
      model: defaultModelSpec('cnn'),
      training: { ...defaultTrainingSpec(), epochs: 3, batchSize: 16, learningRate },
      augment: noAugmentation(),
    };
  }

  test('runs several trials as concurrent jobs; a trial waiting in the queue is cancelled through its signal', async () => {
    const runsDir = join(root, 'runs');
    const run = slurmTrialRunner({
      runsDir, options: { cpusPerTask: 1 }, cliCommand: [process.execPath, CLI_PATH],
      client: new SlurmClient({ env: cluster.env }), pollMs: 500, statePollMs: 1000,
    });
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const epochs = new Map<string, number[]>();
    let cancelled: number | undefined;
    const outcomes: SlurmTrialOutcome[] = await Promise.all([0.003, 0.002, 0.001].map((learningRate, i) => run({
      spec: trialSpec(learningRate),
      name: `trial-${i}`,
      signal: controllers[i].signal,
      onEvent: (event, runId) => {
        if (event.type === 'epochEnd') epochs.set(runId, [...(epochs.get(runId) ?? []), event.epoch]);
      },
      onJobState: (state: SlurmJobState) => {
        // Two CPUs, three one-CPU jobs: one waits for Resources until the others end. Cancel it.
        if (state.phase === 'pending' && state.reason === 'Resources' && cancelled === undefined) {
          cancelled = i;
          controllers[i].abort();
        }
      },
    })));

    assert.notEqual(cancelled, undefined, 'one trial waited in the queue');
    assert.equal(new Set(outcomes.map((outcome) => outcome.jobId)).size, 3, 'each trial is its own job');
    const store = new RunStore(runsDir);
    const finished = outcomes.filter((_, i) => i !== cancelled);
    for (const outcome of finished) {
      assert.equal(outcome.status, 'completed', outcome.error);
      assert.deepEqual(epochs.get(outcome.runId), [1, 2, 3]);
      assert.ok(outcome.best !== null && (outcome.best.valAcc ?? 0) > 0.25, `trial ${outcome.runId} learned: ${JSON.stringify(outcome.best)}`);
    }
    const bestValAcc = Math.max(...finished.map((outcome) => outcome.best?.valAcc ?? 0));
    assert.ok(bestValAcc > 0.6, `the best trial reaches > 60% validation accuracy (${bestValAcc})`);
    const [a, b] = await Promise.all(finished.map((outcome) => store.read(outcome.runId)));
    assert.ok(Date.parse(a.startedAt!) < Date.parse(b.endedAt!) && Date.parse(b.startedAt!) < Date.parse(a.endedAt!), 'the two trials trained at the same time');

    const waiting = outcomes[cancelled!];
    assert.equal(waiting.status, 'cancelled');
    const record = await store.read(waiting.runId);
    assert.equal(record.status, 'cancelled');
    assert.equal(record.startedAt, undefined);
    assert.equal(record.slurm?.state, 'CANCELLED');
  });
});
