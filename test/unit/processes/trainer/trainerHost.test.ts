// The trainer host (the local executor of runs) against scripted trainers (crash, ignoring stop) and, for the reload case, the real trainer.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TrainerHost, type TrainerHostOptions } from '../../../../src/processes/trainer/trainerHost';
import type { ExecutionEvent, ExecutionListener } from '../../../../src/processes/runExecutor';
import { RunStore } from '../../../../src/core/runs/runStore';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import type { RunSpec } from '../../../../src/core/runSpec';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

const repoRoot = resolve(__dirname, '../../../..');
let root: string;
let runsDir: string;
let shapesDir: string;

function spec(epochs: number): RunSpec {
  return {
    data: { path: shapesDir, format: 'auto', valSplit: 0.2, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), epochs, batchSize: 16 },
    augment: noAugmentation(),
  };
}

/** A host training a run of `epochs` epochs with the trainer script in `options`. */
function hostFor(options: TrainerHostOptions, listener: ExecutionListener = {}, epochs = 1): TrainerHost {
  return new TrainerHost({ runsDir, spec: spec(epochs) }, listener, { backend: 'wasm', ...options });
}

/** A CommonJS trainer stand-in: `body` runs when the start message arrives (`message` and `send` are in scope). */
function script(name: string, body: string): string {
  const path = join(root, `${name}.cjs`);
  writeFileSync(path, `process.on('message', (message) => {\n  if (message.type !== 'start') return;\n  const send = (m) => process.send(m);\n${body}\n});\n`);
  return path;
}

/** A run folder that reads as training, owned by this test process (so only the host's marking can end it). */
async function runningRun(): Promise<string> {
  const writer = await new RunStore(runsDir).create({ spec: spec(5) });
  await writer.start({ heartbeatIntervalMs: 0 });
  await writer.close();
  return writer.id;
}

before(() => {
  root = makeTempDir();
  runsDir = join(root, 'runs');
  shapesDir = join(root, 'shapes');
  writeFolderDataset(shapesDir, makeShapesDataset(160, 16, 3));
});

after(() => removeTempDir(root));

describe('TrainerHost with scripted trainers', () => {
  test('reports the finished message of a trainer that ends normally', async () => {
    const trainer = script('normal', `send({ type: 'finished', runId: 'r-1', status: 'completed' }); setTimeout(() => process.exit(0), 20);`);
    const host = hostFor({ trainerScript: trainer });
    assert.ok(host.pid);
    assert.deepEqual(await host.ended, { status: 'completed', runId: 'r-1', killed: false });
  });

  test('a crash marks the run failed with the last lines of stderr', async () => {
    const runId = await runningRun();
    const trainer = script('crash', `send({ type: 'runCreated', runId: ${JSON.stringify(runId)}, runDir: 'x', name: 'scripted' });
      process.stderr.write('loading the dataset\\nRangeError: out of memory in conv2d\\n');
      setTimeout(() => process.exit(3), 50);`);
    const created: string[] = [];
    const host = hostFor({ trainerScript: trainer }, { created: (id) => created.push(id) });
    const exit = await host.ended;
    assert.deepEqual(created, [runId]);
    assert.equal(exit.status, 'failed');
    assert.equal(exit.runId, runId);
    assert.match(exit.error ?? '', /exited with code 3/);
    assert.match(exit.error ?? '', /RangeError: out of memory in conv2d/);
    const record = await new RunStore(runsDir).read(runId);
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /out of memory in conv2d/);
  });

  test('a trainer killed from outside is reported as killed by that signal', async () => {
    const runId = await runningRun();
    const trainer = script('hang', `send({ type: 'runCreated', runId: ${JSON.stringify(runId)}, runDir: 'x', name: 'scripted' }); setInterval(() => {}, 1000);`);
    const host = hostFor({ trainerScript: trainer }, { created: () => process.kill(host.pid!, 'SIGKILL') });
    const exit = await host.ended;
    assert.equal(exit.status, 'failed');
    assert.match(exit.error ?? '', /was killed \(SIGKILL\)/);
    assert.equal((await new RunStore(runsDir).read(runId)).status, 'failed');
  });

  test('a trainer that ignores stop is killed after the timeout and its run still ends cancelled', async () => {
    const runId = await runningRun();
    const trainer = script('deaf', `send({ type: 'runCreated', runId: ${JSON.stringify(runId)}, runDir: 'x', name: 'scripted' }); setInterval(() => {}, 1000);`);
    let created: () => void = () => undefined;
    const ready = new Promise<void>((r) => { created = r; });
    const host = hostFor({ trainerScript: trainer, stopTimeoutMs: 300 }, { created: () => created() });
    await ready;
    const exit = await host.stop();
    assert.deepEqual(exit, { status: 'cancelled', runId, killed: true });
    const record = await new RunStore(runsDir).read(runId);
    assert.equal(record.status, 'cancelled');
    assert.equal(record.error, undefined);
  });

  test('invalid messages are reported, not acted on', async () => {
    const trainer = script('noisy', `send({ type: 'event', runId: 'r', event: { type: 'batchEnd', loss: 'NaN' } }); send({ type: 'finished', status: 'completed' }); setTimeout(() => process.exit(0), 20);`);
    const problems: string[] = [];
    const events: unknown[] = [];
    const host = hostFor({ trainerScript: trainer }, { output: (m) => problems.push(m), event: (e) => events.push(e) });
    await host.ended;
    assert.equal(events.length, 0);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /invalid message/);
  });

  test('every kind of malformed or unknown message is refused with a log line, and the run still ends as the trainer says', async () => {
    const garbage = [
      null, 42, 'finished', [], {}, { type: 'explode' }, { type: 'runCreated', runId: 7, runDir: 'x', name: 'n' },
      { type: 'event', runId: 'r', event: null }, { type: 'event', runId: 'r', event: { type: 'epochEnd', epoch: 'x' } },
      { type: 'event', runId: 5, event: { type: 'runEnd', time: 't', status: 'completed', best: null } },
      { type: 'finished', status: 'exploded' }, { type: 'finished', status: 'completed', error: 12 },
      { type: 'runCreated', runId: 'r', runDir: 'x', name: 'n', extra: { deep: [[[[{}]]]] } },
    ];
    const trainer = script('garbage', `for (const m of ${JSON.stringify(garbage)}) send(m); send({ type: 'finished', runId: 'r-2', status: 'completed' }); setTimeout(() => process.exit(0), 50);`);
    const lines: string[] = [];
    const created: string[] = [];
    const events: unknown[] = [];
    const host = hostFor({ trainerScript: trainer }, { output: (m) => lines.push(m), event: (e) => events.push(e), created: (id) => created.push(id) });
    assert.deepEqual(await host.ended, { status: 'completed', runId: 'r-2', killed: false });
    assert.equal(events.length, 0, 'no malformed event reached the run');
    // The last runCreated is well-formed (an unknown extra field is dropped, not a reason to refuse).
    assert.deepEqual(created, ['r']);
    const refused = lines.filter((line) => /Ignored an invalid message from the trainer/.test(line));
    assert.equal(refused.length, garbage.length - 1, lines.join('\n'));
  });

  test('a trainer script that cannot start fails without a run', async () => {
    const host = hostFor({ trainerScript: join(root, 'missing.cjs') });
    const exit = await host.ended;
    assert.equal(exit.status, 'failed');
    assert.equal(exit.runId, undefined);
  });
});

describe('TrainerHost with the real trainer', () => {
  const realTrainer = { trainerScript: join(repoRoot, 'src', 'processes', 'trainer', 'trainerProcess.ts'), execArgv: ['--import', 'tsx'], cwd: repoRoot };

  test('trains a run to completion and forwards its events', { timeout: 120_000 }, async () => {
    const events: ExecutionEvent[] = [];
    const host = hostFor(realTrainer, { event: (event) => events.push(event) });
    const exit = await host.ended;
    assert.equal(exit.status, 'completed', exit.error);
    assert.deepEqual([events[0].type, events[events.length - 1].type], ['runStart', 'runEnd']);
    assert.ok(events.some((e) => e.type === 'epochEnd'));
    assert.equal((await new RunStore(runsDir).read(exit.runId!)).status, 'completed');
  });

  test('when the host lets go (window reload), the run ends interrupted and can be resumed', { timeout: 120_000 }, async () => {
    let epochs = 0;
    let detached = false;
    const host = hostFor(realTrainer, {
      event: (event) => {
        if (event.type === 'epochEnd') epochs += 1;
        // After the first checkpoint, so the run has something to resume from.
        if (epochs >= 1 && !detached) {
          detached = true;
          host.detach();
        }
      },
    }, 30);
    const exit = await host.ended;
    assert.equal(exit.status, 'interrupted');
    const store = new RunStore(runsDir);
    // The trainer finishes on its own after the host let go; wait for it to write the status.
    let record = await store.read(exit.runId!);
    for (let i = 0; i < 300 && record.endedAt === undefined; i++) {
      await new Promise((r) => setTimeout(r, 100));
      record = await store.read(exit.runId!);
    }
    assert.equal(record.status, 'interrupted');
    assert.ok(record.endedAt, 'the trainer recorded when it stopped');
    assert.ok((record.summary.lastEpoch ?? 0) >= 1 && (record.summary.lastEpoch ?? 0) < 30);
    assert.ok(await store.readCheckpointState(record.id), 'a checkpoint to resume from');
  });
});
