import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RunQueue } from '../../../../src/extension/training/runQueue';
import type { ExecutionListener, RunEnd, RunExecution, RunRequest } from '../../../../src/processes/runExecutor';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import type { RunSpec } from '../../../../src/core/runSpec';

const spec: RunSpec = {
  data: { path: '/data/shapes', format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
  model: defaultModelSpec('cnn'), training: defaultTrainingSpec(), augment: noAugmentation(),
};
const runsDir = '/work/runs';

/** Training that creates its run folder at once and ends when the test says so. */
class FakeExecution implements RunExecution {
  readonly ended: Promise<RunEnd>;
  readonly runId: string;
  readonly pid = 1234;
  detached = false;
  private end: (end: RunEnd) => void = () => undefined;
  constructor(readonly request: RunRequest, listener: ExecutionListener, n: number) {
    this.runId = `run-${n}`;
    this.ended = new Promise((resolve) => { this.end = resolve; });
    listener.created?.(this.runId, request.name ?? this.runId);
  }
  finish(status: RunEnd['status'] = 'completed'): void {
    this.end({ status, runId: this.runId, killed: false });
  }
  stop(): Promise<RunEnd> {
    this.finish('cancelled');
    return this.ended;
  }
  detach(): void {
    this.detached = true;
  }
}

function makeQueue(concurrency: () => number) {
  const launched: FakeExecution[] = [];
  const queue = new RunQueue({
    concurrency,
    executor: { launch: (request, listener) => { const t = new FakeExecution(request, listener, launched.length + 1); launched.push(t); return t; } },
  });
  return { queue, launched };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RunQueue', () => {
  test('with concurrency 1, the second run waits until the first ends, then starts', async () => {
    const { queue, launched } = makeQueue(() => 1);
    const first = queue.enqueue({ spec, runsDir, name: 'a' });
    const second = queue.enqueue({ spec, runsDir, name: 'b' });
    assert.equal(launched.length, 1);
    assert.deepEqual(queue.queued().map((r) => r.request.name), ['b']);
    assert.equal(queue.find('run-1')?.ticket, first.run.ticket);
    assert.deepEqual([first.run.phase, first.run.runId, first.run.name], ['training', 'run-1', 'a'], 'the started run has its real id and name');
    assert.equal(await first.created, 'run-1');
    launched[0].finish();
    assert.equal((await first.ended).status, 'completed');
    await settle();
    assert.equal(launched.length, 2);
    assert.equal(launched[1].request.name, 'b');
    assert.equal(queue.queued().length, 0);
    launched[1].finish();
    assert.equal((await second.ended).runId, 'run-2');
    await queue.whenIdle();
    assert.equal(queue.isIdle(), true);
  });

  test('starts as many runs as the concurrency allows, and more when it is raised', async () => {
    let limit = 2;
    const { queue, launched } = makeQueue(() => limit);
    for (const name of ['a', 'b', 'c', 'd']) queue.enqueue({ spec, runsDir, name });
    assert.equal(launched.length, 2);
    limit = 3;
    queue.pump();
    assert.equal(launched.length, 3);
    assert.equal(queue.active().length, 3);
  });

  test('a run removed from the queue never starts and finishes as cancelled', async () => {
    const { queue, launched } = makeQueue(() => 1);
    queue.enqueue({ spec, runsDir, name: 'a' });
    const second = queue.enqueue({ spec, runsDir, name: 'b' });
    assert.equal(await queue.stop(second.run.ticket), true);
    assert.equal((await second.ended).status, 'cancelled');
    await assert.rejects(second.created, /before its folder was created/);
    launched[0].finish();
    await queue.whenIdle();
    assert.equal(launched.length, 1);
    assert.equal(await queue.stop(second.run.ticket), false);
  });

  test('a resume whose trainer ends before reopening the run rejects with the reason; one that reopened resolves', async () => {
    const endings: ((end: RunEnd) => void)[] = [];
    let reopen: (() => void) | undefined;
    const queue = new RunQueue({
      concurrency: () => 2,
      executor: {
        launch: (request, listener) => {
          const ended = new Promise<RunEnd>((resolve) => endings.push(resolve));
          reopen = () => listener.created?.(request.resumeRunId ?? 'new', 'resumed');
          return { pid: 1, ended, stop: () => ended, detach: () => undefined };
        },
      },
    });
    const refused = queue.enqueue({ spec, runsDir, resumeRunId: 'run-7' });
    const reason = 'The dataset\'s classes changed since this run started';
    endings[0]({ status: 'failed', runId: 'run-7', killed: false, error: reason });
    await assert.rejects(refused.created, (error: Error) => error.message === reason);
    assert.equal((await refused.ended).status, 'failed');

    const resumed = queue.enqueue({ spec, runsDir, resumeRunId: 'run-8' });
    reopen?.();
    endings[1]({ status: 'failed', runId: 'run-8', killed: false, error: 'later' });
    assert.equal(await resumed.created, 'run-8');
  });

  test('a launch that throws fails that run and the queue moves on', async () => {
    let calls = 0;
    const queue = new RunQueue({
      concurrency: () => 1,
      executor: {
        launch: (request, listener) => {
          calls += 1;
          if (calls === 1) throw new Error('no trainer script');
          return new FakeExecution(request, listener, calls);
        },
      },
    });
    const first = queue.enqueue({ spec, runsDir, name: 'a' });
    queue.enqueue({ spec, runsDir, name: 'b' });
    assert.deepEqual(await first.ended, { status: 'failed', killed: false, error: 'no trainer script' });
    assert.equal(queue.active().length, 1);
  });

  test('runs for an executor that takes no local slot (a cluster) start at once, and the executor is the one of the moment they were requested', async () => {
    const local: FakeExecution[] = [];
    const cluster: FakeExecution[] = [];
    let useCluster = false;
    const localExecutor = { launch: (request: RunRequest, listener: ExecutionListener) => { const t = new FakeExecution(request, listener, 100 + local.length); local.push(t); return t; } };
    const clusterExecutor = {
      usesLocalSlot: false,
      launch: (request: RunRequest, listener: ExecutionListener) => { const t = new FakeExecution(request, listener, 200 + cluster.length); cluster.push(t); return t; },
    };
    const queue = new RunQueue({ concurrency: () => 1, executor: () => (useCluster ? clusterExecutor : localExecutor) });
    queue.enqueue({ spec, runsDir, name: 'local-1' });
    const waitingLocal = queue.enqueue({ spec, runsDir, name: 'local-2' });
    useCluster = true;
    for (const name of ['job-1', 'job-2', 'job-3']) queue.enqueue({ spec, runsDir, name });
    assert.deepEqual(cluster.map((t) => t.request.name), ['job-1', 'job-2', 'job-3'], 'jobs do not wait behind the local queue, nor for each other');
    assert.deepEqual(local.map((t) => t.request.name), ['local-1']);
    assert.deepEqual(queue.queued().map((r) => r.name), ['local-2']);
    cluster[0].finish();
    await settle();
    assert.equal(local.length, 1, 'an ended job frees no local slot');
    local[0].finish();
    await settle();
    assert.deepEqual(local.map((t) => t.request.name), ['local-1', 'local-2'], 'a run requested before the switch still trains here');
    assert.equal(await waitingLocal.created, 'run-101');
  });

  test('tells listeners about changes, and dispose lets trainers go and drops waiting runs', async () => {
    const { queue, launched } = makeQueue(() => 1);
    let changes = 0;
    queue.onDidChange(() => { changes += 1; });
    queue.enqueue({ spec, runsDir, name: 'a' });
    const waiting = queue.enqueue({ spec, runsDir, name: 'b' });
    assert.ok(changes >= 2);
    queue.dispose();
    assert.equal(launched[0].detached, true);
    assert.equal((await waiting.ended).status, 'cancelled');
    assert.throws(() => queue.enqueue({ spec, runsDir }), /disposed/);
  });
});
