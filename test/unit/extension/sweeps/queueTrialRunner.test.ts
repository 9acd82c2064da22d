// Sweeps through the editor's run queue: trials are queued runs (at most the concurrent-runs setting at
// once), a stopped sweep stops its runs and resumes without rerunning finished trials, and a window that
// goes away leaves the sweep to be continued from its trials' runs.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RunStore, type RunStoreOptions } from '../../../../src/core/runs/runStore';
import { runSweep } from '../../../../src/core/sweeps/runSweep';
import { SweepStore } from '../../../../src/core/sweeps/sweepStore';
import type { SweepSpec } from '../../../../src/core/sweeps/sweepSpec';
import { QueueTrialRunner } from '../../../../src/extension/sweeps/queueTrialRunner';
import { RunQueue } from '../../../../src/extension/training/runQueue';
import type { ExecutionListener, RunEnd, RunExecution, RunExecutor, RunRequest } from '../../../../src/processes/runExecutor';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

const CLASSES = ['a', 'b'];

/** Trains by writing run folders: validation accuracy peaks at learning rate 0.01; each epoch takes `epochMs`. */
class WritingExecutor implements RunExecutor {
  active = 0;
  mostAtOnce = 0;
  readonly launched: RunRequest[] = [];

  /** `storeOptions`: how the run store sees the machine (e.g. that the trainers of a window that went away died with it). */
  constructor(private readonly epochMs = 15, private readonly storeOptions: RunStoreOptions = {}) {}

  launch(request: RunRequest, listener: ExecutionListener): RunExecution {
    this.launched.push(request);
    let stopped = false;
    let detached = false;
    this.active += 1;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.active);
    const train = async (): Promise<RunEnd> => {
      const store = new RunStore(request.runsDir, this.storeOptions);
      const writer = request.resumeRunId ? await store.openWriter(request.resumeRunId) : await store.create({ spec: request.spec, name: request.name });
      listener.created?.(writer.id, request.name ?? writer.id);
      const startEpoch = (await store.readMetrics(writer.id)).filter((e) => e.type === 'epochEnd').length + 1;
      const { epochs, learningRate } = request.spec.training;
      const valAcc = Math.max(0.1, 0.95 - 0.3 * Math.abs(Math.log10(learningRate) + 2));
      try {
        await writer.start({ heartbeatIntervalMs: 0 });
        for (let epoch = startEpoch; epoch <= epochs; epoch++) {
          await sleep(this.epochMs);
          if (detached) return { status: 'interrupted', runId: writer.id, killed: false };
          if (stopped) {
            await writer.finish('cancelled');
            return { status: 'cancelled', runId: writer.id, killed: false };
          }
          await writer.append({
            type: 'epochEnd', time: new Date().toISOString(), epoch, loss: 1 - valAcc, acc: valAcc, valLoss: 1 - valAcc, valAcc, learningRate,
            imagesPerSecond: 100, durationMs: 1, confusion: [[1, 0], [0, 1]], perClass: CLASSES.map((label) => ({ label, precision: 1, recall: 1, f1: 1, support: 1 })), isBest: epoch === 1,
          });
        }
        await writer.append({ type: 'runEnd', time: new Date().toISOString(), status: 'completed', best: { epoch: 1, valAcc } });
        return { status: 'completed', runId: writer.id, killed: false };
      } finally {
        if (!detached) await writer.close();
        this.active -= 1;
      }
    };
    const ended = train();
    return {
      pid: undefined, ended,
      stop: () => { stopped = true; return ended; },
      detach: () => { detached = true; },
    };
  }
}

function spec(data: string, trials: number, epochs = 2): SweepSpec {
  return {
    name: 'lr search', method: 'random', trials, metric: 'valAcc', seed: 3,
    base: { data, epochs }, space: { learningRate: { min: 0.0001, max: 1, log: true, integer: false }, batchSize: [16, 32] },
  };
}

describe('sweeps through the run queue', () => {
  let root: string;
  let runsDir: string;
  beforeEach(() => {
    root = makeTempDir('classifier-lab-queue-sweep-');
    runsDir = `${root}/runs`;
  });
  afterEach(() => removeTempDir(root));

  function setUp(concurrency: number, executor = new WritingExecutor()) {
    const queue = new RunQueue({ executor, concurrency: () => concurrency });
    const queued = new Map<number, number>();
    const runner = new QueueTrialRunner({
      queue: { start: (request) => queue.enqueue(request), stop: ({ ticket }) => queue.stop(ticket) },
      capacity: () => concurrency,
      canResume: async (dir, runId) => (await new RunStore(dir).readMetrics(runId)).some((e) => e.type === 'epochEnd'),
      onQueued: (ticket, request) => queued.set(ticket, request.trial),
    });
    return { queue, runner, executor, queued };
  }

  test('every trial is a queued run named after the sweep, never more at once than the concurrency', async () => {
    const store = new SweepStore(`${root}/sweeps`);
    const { id } = await store.create(spec(root, 6), runsDir);
    const { runner, executor, queued } = setUp(2);
    const outcome = await runSweep({ store, id, runner });
    assert.equal(outcome.record.status, 'completed');
    assert.equal(outcome.record.trials.length, 6);
    assert.ok(outcome.record.trials.every((t) => t.status === 'completed' && t.runId !== undefined), JSON.stringify(outcome.record.trials));
    assert.equal(executor.mostAtOnce, 2);
    assert.deepEqual(executor.launched.map((r) => r.name).sort(), [1, 2, 3, 4, 5, 6].map((n) => `lr search #${n}`).sort());
    assert.deepEqual([...queued.values()].sort(), [1, 2, 3, 4, 5, 6]);
    const best = outcome.record.trials.reduce((a, b) => ((b.valAcc ?? 0) > (a.valAcc ?? 0) ? b : a));
    assert.equal(outcome.record.best?.trial, best.trial);
    const names = (await new RunStore(runsDir).scan()).runs.map((r) => r.name);
    assert.equal(names.length, 6);
  });

  test('stopping the sweep stops its running runs; resuming runs the rest and never a finished trial again', async () => {
    const store = new SweepStore(`${root}/sweeps`);
    const { id } = await store.create(spec(root, 5, 3), runsDir);
    const first = setUp(1, new WritingExecutor(40));
    const controller = new AbortController();
    const sweeping = runSweep({ store, id, runner: first.runner, signal: controller.signal });
    // Stop once the second trial's run has finished an epoch (so it has something to continue from).
    const secondHasEpoch = async () => {
      const second = (await store.read(id)).trials.find((t) => t.trial === 2)?.runId;
      return second !== undefined && (await new RunStore(runsDir).readMetrics(second)).some((e) => e.type === 'epochEnd');
    };
    for (let i = 0; i < 300 && !(await secondHasEpoch()); i++) await sleep(10);
    controller.abort();
    const stopped = await sweeping;
    assert.equal(stopped.record.status, 'cancelled');
    const finished = stopped.record.trials.filter((t) => t.status === 'completed').map((t) => t.trial);
    const cancelled = stopped.record.trials.filter((t) => t.status === 'cancelled');
    assert.equal(cancelled.length, 1);
    assert.equal((await new RunStore(runsDir).read(cancelled[0].runId!)).status, 'cancelled');
    await first.queue.whenIdle();

    const second = setUp(2);
    const resumed = await runSweep({ store, id, runner: second.runner });
    assert.equal(resumed.record.status, 'completed');
    assert.equal(resumed.record.trials.length, 5);
    assert.ok(resumed.record.trials.every((t) => t.status === 'completed'));
    const rerun = second.executor.launched.filter((r) => finished.some((n) => r.name === `lr search #${n}`));
    assert.deepEqual(rerun, [], 'finished trials are not trained again');
    const continued = second.executor.launched.find((r) => r.name === `lr search #${cancelled[0].trial}`);
    assert.equal(continued?.resumeRunId, cancelled[0].runId, 'the stopped trial continues its run from its checkpoint');
  });

  test('a window that goes away leaves the sweep running in its file, read as interrupted, and resumable', async () => {
    const store = new SweepStore(`${root}/sweeps`);
    const { id } = await store.create(spec(root, 3, 4), runsDir);
    const first = setUp(1, new WritingExecutor(40));
    void runSweep({ store, id, runner: first.runner });
    for (let i = 0; i < 300 && !(await store.read(id)).trials.some((t) => t.runId); i++) await sleep(10);
    await sleep(60);
    first.runner.release();
    first.queue.dispose();
    await sleep(100);
    const left = await store.read(id);
    assert.equal(left.status, 'running');
    assert.equal(left.trials.find((t) => t.runId)?.status, 'running', 'the trial is not recorded as failed or cancelled');
    const afterReload = new SweepStore(`${root}/sweeps`, { isProcessAlive: () => false });
    assert.equal((await afterReload.read(id)).status, 'interrupted');

    // The first window's trainers died with it (here they were this process: its store is told so).
    const second = setUp(1, new WritingExecutor(15, { isProcessAlive: () => false }));
    const resumed = await runSweep({ store: new SweepStore(`${root}/sweeps`, { isProcessAlive: () => false }), id, runner: second.runner });
    assert.equal(resumed.record.status, 'completed');
    assert.equal(resumed.record.trials.length, 3);
    assert.equal(second.executor.launched[0].resumeRunId, left.trials.find((t) => t.runId)?.runId);
  });

  test('a queue that refuses to train fails each trial with its reason', async () => {
    const store = new SweepStore(`${root}/sweeps`);
    const { id } = await store.create(spec(root, 2), runsDir);
    const runner = new QueueTrialRunner({
      queue: { start: () => { throw new Error('Training is turned off in Restricted Mode: trust this workspace to train.'); }, stop: async () => false },
      capacity: () => 1, canResume: async () => false,
    });
    const outcome = await runSweep({ store, id, runner });
    assert.deepEqual(outcome.record.trials.map((t) => [t.status, t.error]), [
      ['failed', 'Training is turned off in Restricted Mode: trust this workspace to train.'],
      ['failed', 'Training is turned off in Restricted Mode: trust this workspace to train.'],
    ]);
  });
});
