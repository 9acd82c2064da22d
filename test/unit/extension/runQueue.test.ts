import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RunQueue, type QueuedRun, type TrainerHandle } from '../../../src/extension/runQueue';
import type { TrainerExit } from '../../../src/extension/trainerProcessHost';
import { defaultModelSpec } from '../../../src/core/models/defaultModelSpecs';
import { noAugmentation } from '../../../src/core/data/augment';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import type { RunSpec } from '../../../src/core/runSpec';

const spec: RunSpec = {
  data: { path: '/data/shapes', format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
  model: defaultModelSpec('cnn'), training: defaultTrainingSpec(), augment: noAugmentation(),
};

/** A trainer that ends when the test says so. */
class FakeTrainer implements TrainerHandle {
  readonly exited: Promise<TrainerExit>;
  runId: string | undefined;
  readonly pid = 1234;
  detached = false;
  private end: (exit: TrainerExit) => void = () => undefined;
  constructor(readonly run: QueuedRun) {
    this.runId = `run-${run.ticket}`;
    this.exited = new Promise((resolve) => { this.end = resolve; });
  }
  finish(status: TrainerExit['status'] = 'completed'): void {
    this.end({ status, runId: this.runId, killed: false });
  }
  stop(): Promise<TrainerExit> {
    this.finish('cancelled');
    return this.exited;
  }
  detach(): void {
    this.detached = true;
  }
}

function makeQueue(concurrency: () => number) {
  const launched: FakeTrainer[] = [];
  const queue = new RunQueue({ concurrency, launch: (run) => { const t = new FakeTrainer(run); launched.push(t); return t; } });
  return { queue, launched };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RunQueue', () => {
  test('with concurrency 1, the second run waits until the first ends, then starts', async () => {
    const { queue, launched } = makeQueue(() => 1);
    const first = queue.enqueue({ spec, name: 'a' });
    const second = queue.enqueue({ spec, name: 'b' });
    assert.equal(launched.length, 1);
    assert.deepEqual(queue.queued().map((r) => r.request.name), ['b']);
    assert.equal(queue.findActive('run-1')?.ticket, first.ticket);
    launched[0].finish();
    assert.equal((await first.finished).status, 'completed');
    await settle();
    assert.equal(launched.length, 2);
    assert.equal(launched[1].run.request.name, 'b');
    assert.equal(queue.queued().length, 0);
    launched[1].finish();
    assert.equal((await second.finished).runId, 'run-2');
    await queue.whenIdle();
    assert.equal(queue.isIdle(), true);
  });

  test('starts as many runs as the concurrency allows, and more when it is raised', async () => {
    let limit = 2;
    const { queue, launched } = makeQueue(() => limit);
    for (const name of ['a', 'b', 'c', 'd']) queue.enqueue({ spec, name });
    assert.equal(launched.length, 2);
    limit = 3;
    queue.pump();
    assert.equal(launched.length, 3);
    assert.equal(queue.active().length, 3);
  });

  test('a run removed from the queue never starts and finishes as cancelled', async () => {
    const { queue, launched } = makeQueue(() => 1);
    queue.enqueue({ spec, name: 'a' });
    const second = queue.enqueue({ spec, name: 'b' });
    assert.equal(queue.remove(second.ticket), true);
    assert.equal((await second.finished).status, 'cancelled');
    launched[0].finish();
    await queue.whenIdle();
    assert.equal(launched.length, 1);
    assert.equal(queue.remove(second.ticket), false);
  });

  test('a launch that throws fails that run and the queue moves on', async () => {
    let calls = 0;
    const queue = new RunQueue({
      concurrency: () => 1,
      launch: (run) => {
        calls += 1;
        if (calls === 1) throw new Error('no trainer script');
        return new FakeTrainer(run);
      },
    });
    const first = queue.enqueue({ spec, name: 'a' });
    queue.enqueue({ spec, name: 'b' });
    assert.deepEqual(await first.finished, { status: 'failed', killed: false, error: 'no trainer script' });
    assert.equal(queue.active().length, 1);
  });

  test('tells listeners about changes, and dispose lets trainers go and drops waiting runs', async () => {
    const { queue, launched } = makeQueue(() => 1);
    let changes = 0;
    queue.onDidChange(() => { changes += 1; });
    queue.enqueue({ spec, name: 'a' });
    const waiting = queue.enqueue({ spec, name: 'b' });
    assert.ok(changes >= 2);
    queue.dispose();
    assert.equal(launched[0].detached, true);
    assert.equal((await waiting.finished).status, 'cancelled');
    assert.throws(() => queue.enqueue({ spec }), /disposed/);
  });
});
