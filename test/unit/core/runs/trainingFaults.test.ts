// Real training runs meeting faults: a full disk (a small tmpfs filled mid-run) while metrics or a
// checkpoint are written, and while run.json is written (injected at exactly that write); the dataset
// changed or removed between runs and during a run. Each time: a clear error, nothing saved is lost,
// and the run resumes to completion once the cause is gone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { RunStore } from '../../../../src/core/runs/runStore';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import type { RunSpec } from '../../../../src/core/runSpec';
import { runTraining, type RunTrainingOptions } from '../../../../src/core/runTraining';
import type { TrainingEvent } from '../../../../src/core/train/trainingEvents';
import { FaultyFileOps } from '../../../fixtures/faultyFileOps';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { mountTmpfs, type Tmpfs } from '../../../fixtures/tmpfs';

let root = '';
let shapes = '';

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
  shapes = join(root, 'shapes');
  writeFolderDataset(shapes, makeShapesDataset(400, 32, 17), { testFraction: 0.2 });
});
after(() => removeTempDir(root));

function spec(data = shapes, epochs = 3): RunSpec {
  return {
    data: { path: data, format: 'folder', valSplit: 0.2, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: { ...defaultTrainingSpec(), epochs, batchSize: 32 },
    augment: noAugmentation(),
  };
}

async function train(options: Partial<RunTrainingOptions> & { runsDir: string }): Promise<Awaited<ReturnType<typeof runTraining>>> {
  return runTraining({ spec: spec(), backend: 'wasm', ...options });
}

/** Fills the file system holding `dir` until a write fails, leaving about `leaveBytes` free. */
function fillDisk(dir: string, leaveBytes = 0): string {
  const filler = join(dir, `filler-${Date.now()}`);
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
  } finally {
    closeSync(fd);
  }
  // Give back the last blocks: the disk keeps about `leaveBytes` free.
  if (leaveBytes > 0) truncateSync(filler, Math.max(0, statSync(filler).size - leaveBytes));
  return filler;
}

/** The run resumes to completion (the checkpoint and model it kept were whole) and its status says so. */
async function resumesToCompletion(runsDir: string, runId: string): Promise<void> {
  const resumed = await runTraining({ spec: spec(), runsDir, backend: 'wasm', resumeRunId: runId });
  assert.equal(resumed.status, 'completed', resumed.error);
  const record = await new RunStore(runsDir).read(runId);
  assert.equal(record.status, 'completed');
  assert.equal(record.summary.lastEpoch, 3);
}

describe('a full disk', () => {
  let disk: Tmpfs | string = '';
  before(() => {
    disk = mountTmpfs(24 * 1024 * 1024);
  });
  after(() => {
    if (typeof disk !== 'string') disk.unmount();
  });

  test('while metrics are written: a clear error; after freeing space the run reads whole and resumes', async (t) => {
    if (typeof disk === 'string') return t.skip(disk);
    const runsDir = join(disk.dir, 'metrics-full');
    let filler = '';
    let runId = '';
    await assert.rejects(
      train({
        runsDir,
        onRunCreated: (id) => { runId = id; },
        onEvent: (event) => {
          // After epoch 1 is recorded and checkpointed, the disk fills up: the next batch line cannot be written.
          if (event.type === 'batchEnd' && event.epoch === 2 && event.batch === 1) filler = fillDisk((disk as Tmpfs).dir);
        },
      }),
      /^RunStoreError: The disk is full: could not write .*(metrics\.jsonl|trainer\.log|run\.json)\. Free some space and try again\.$/m,
    );
    rmSync(filler);
    const store = new RunStore(runsDir);
    const record = await store.read(runId);
    assert.equal(record.status, 'interrupted');
    assert.equal((await store.readMetricsFrom(runId, 0)).skippedLines, 0, 'every line written is whole');
    assert.equal((await store.readCheckpointState(runId))?.epoch, 1);
    await resumesToCompletion(runsDir, runId);
  });

  test('while a checkpoint is written: the previous checkpoint stays whole, the run ends failed saying why, and resumes', async (t) => {
    if (typeof disk === 'string') return t.skip(disk);
    const runsDir = join(disk.dir, 'checkpoint-full');
    let filler = '';
    const outcome = await train({
      runsDir,
      onEvent: (event) => {
        // epochEnd of epoch 2 is recorded; its checkpoint (about 1.5 MB with Adam's state) comes next.
        if (event.type === 'epochEnd' && event.epoch === 2) filler = fillDisk((disk as Tmpfs).dir, 256 * 1024);
      },
    });
    assert.equal(outcome.status, 'failed');
    assert.match(outcome.error ?? '', /The disk is full: could not write .*checkpoint/);
    rmSync(filler);
    const store = new RunStore(runsDir);
    const record = await store.read(outcome.runId);
    assert.equal(record.status, 'failed');
    assert.match(record.error ?? '', /The disk is full/);
    assert.equal((await store.readCheckpointState(outcome.runId))?.epoch, 1, 'the checkpoint of epoch 1 is intact');
    assert.deepEqual(readdirSync(outcome.runDir).filter((name) => name.startsWith('.')), [], 'the failed swap left nothing behind');
    await resumesToCompletion(runsDir, outcome.runId);
  });
});

describe('a full disk while run.json is written', () => {
  test('(injected at that write) the old run.json stays whole, and a run whose log ends with runEnd reads as completed', async () => {
    const runsDir = join(root, 'record-full');
    // Count the steps of a clean run, then fail the last run.json write (after the runEnd line) with ENOSPC.
    const counting = new FaultyFileOps(undefined);
    const clean = await train({ runsDir: join(root, 'record-count'), fileOps: counting });
    assert.equal(clean.status, 'completed');
    const lastLine = counting.steps.map((step) => /^write .*metrics\.jsonl$/.test(step)).lastIndexOf(true);
    const recordWrite = counting.steps.findIndex((step, i) => i > lastLine && /^open\(w\) .*\.run\.json\.\d+\.[0-9a-f]+\.tmp$/.test(step));
    assert.ok(recordWrite > lastLine, counting.steps.slice(lastLine).join('\n'));
    const full = new FaultyFileOps(recordWrite, 'enospc');
    await assert.rejects(train({ runsDir, fileOps: full }), /The disk is full: could not write .*run\.json/);
    const [runId] = readdirSync(runsDir);
    const onDisk = JSON.parse(readFileSync(join(runsDir, runId, 'run.json'), 'utf8')) as { status: string };
    assert.equal(onDisk.status, 'running', 'the last run.json written is whole (its final update was lost)');
    const record = await new RunStore(runsDir).read(runId);
    assert.equal(record.status, 'completed', 'the runEnd line says how the run ended');
    assert.equal(record.summary.testAcc, clean.testAcc);
  });
});

describe('the dataset changed or removed', () => {
  /** A run cancelled after its first epoch, on its own copy of the dataset. */
  async function cancelledRun(name: string): Promise<{ runsDir: string; runId: string; data: string }> {
    const data = join(root, `${name}-data`);
    cpSync(shapes, data, { recursive: true });
    const runsDir = join(root, `${name}-runs`);
    const controller = new AbortController();
    const outcome = await runTraining({
      spec: spec(data), runsDir, backend: 'wasm', signal: controller.signal,
      onEvent: (event) => { if (event.type === 'epochEnd') controller.abort(); },
    });
    assert.equal(outcome.status, 'cancelled');
    return { runsDir, runId: outcome.runId, data };
  }

  test('between runs: a removed dataset is a clear error that leaves the run resumable; restored, it resumes', async () => {
    const { runsDir, runId, data } = await cancelledRun('removed');
    renameSync(data, `${data}-away`);
    await assert.rejects(runTraining({ spec: spec(data), runsDir, backend: 'wasm', resumeRunId: runId }), /Dataset folder not found: .*removed-data/);
    assert.equal((await new RunStore(runsDir).read(runId)).status, 'cancelled', 'still resumable');
    renameSync(`${data}-away`, data);
    const resumed = await runTraining({ spec: spec(data), runsDir, backend: 'wasm', resumeRunId: runId });
    assert.equal(resumed.status, 'completed', resumed.error);
  });

  test('between runs: changed classes refuse the resume; more images resume with a warning', async () => {
    const { runsDir, runId, data } = await cancelledRun('changed');
    mkdirSync(join(data, 'train', 'triangle'));
    cpSync(join(data, 'train', 'circle'), join(data, 'train', 'triangle'), { recursive: true });
    await assert.rejects(runTraining({ spec: spec(data), runsDir, backend: 'wasm', resumeRunId: runId }),
      /The dataset's classes changed since this run started: it was trained on circle, cross, horizontal, vertical, and .* now has circle, cross, horizontal, triangle, vertical/);
    assert.equal((await new RunStore(runsDir).read(runId)).status, 'cancelled');
    rmSync(join(data, 'train', 'triangle'), { recursive: true });
    const extra = readdirSync(join(data, 'train', 'cross'))[0];
    cpSync(join(data, 'train', 'cross', extra), join(data, 'train', 'cross', `copy-${extra}`));
    const events: TrainingEvent[] = [];
    const resumed = await runTraining({ spec: spec(data), runsDir, backend: 'wasm', resumeRunId: runId, onEvent: (e) => events.push(e) });
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.ok(events.some((e) => e.type === 'log' && /The dataset changed since this run started \(\d+ training images then, \d+ now\)/.test(e.message)));
  });

  test('during a run: removing an in-memory dataset changes nothing, a streamed one stops the run saying why, and it resumes once restored', async () => {
    const memoryData = join(root, 'during-memory');
    cpSync(shapes, memoryData, { recursive: true });
    const inMemory = await runTraining({
      spec: spec(memoryData), runsDir: join(root, 'during-runs'), backend: 'wasm',
      onEvent: (event) => { if (event.type === 'epochEnd' && event.epoch === 1) rmSync(memoryData, { recursive: true }); },
    });
    assert.equal(inMemory.status, 'completed', inMemory.error);

    const streamedData = join(root, 'during-streamed');
    cpSync(shapes, streamedData, { recursive: true });
    const runsDir = join(root, 'during-runs');
    const streamed = await runTraining({
      spec: spec(streamedData), runsDir, backend: 'wasm', memoryBudgetBytes: 1,
      onEvent: (event) => { if (event.type === 'epochEnd' && event.epoch === 1) renameSync(streamedData, `${streamedData}-away`); },
    });
    assert.equal(streamed.status, 'failed');
    assert.match(streamed.error ?? '', /can no longer be read .*changed, moved or deleted during training\. Restore it and resume the run\./);
    renameSync(`${streamedData}-away`, streamedData);
    const resumed = await runTraining({ spec: spec(streamedData), runsDir, backend: 'wasm', resumeRunId: streamed.runId, memoryBudgetBytes: 1 });
    assert.equal(resumed.status, 'completed', resumed.error);
    assert.ok(existsSync(join(streamed.runDir, 'model', 'model.json')));
  });
});
