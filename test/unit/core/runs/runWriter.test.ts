import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunStore } from '../../../../src/core/runs/runStore';
import { RunStoreError } from '../../../../src/core/runs/runStoreError';
import type { BatchEndEvent } from '../../../../src/core/train/trainingEvents';
import { CLASSES, epochEndEvent, runStartEvent, sampleSpec, tempRunsDir } from './runTestHelpers';

function batchEnd(epoch: number, batch: number): BatchEndEvent {
  return { type: 'batchEnd', epoch, batch, batchesPerEpoch: 500, loss: 1 / batch, acc: batch / 1000, learningRate: 0.001, imagesPerSecond: 321 };
}

describe('RunWriter', () => {
  test('a full run: metrics lines, confusion files, predictions and a run.json summary', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      let ms = Date.parse('2026-11-27T07:15:02.000Z');
      const store = new RunStore(runsDir, { now: () => new Date(ms), isProcessAlive: () => true });
      const writer = await store.create({ spec: sampleSpec('/data/pets') });
      await writer.start({
        heartbeatIntervalMs: 0,
        dataset: {
          format: 'folder', root: '/data/pets', classes: CLASSES, imageShape: [32, 32, 3], trainCount: 90, valCount: 9, testCount: 30,
          classCounts: { train: [30, 30, 30], val: [3, 3, 3], test: [10, 10, 10] }, skipped: 2, streamed: false,
        },
      });
      await writer.append(runStartEvent());
      await writer.append(batchEnd(1, 1));
      await writer.append(epochEndEvent(1, 0.6, true));
      await writer.append({ type: 'log', level: 'warn', message: 'Skipped 2 unreadable files' });
      await writer.append(epochEndEvent(2, 0.5, false));
      await writer.writePredictions({ epoch: 1, classes: CLASSES, items: [{ source: '/data/pets/cat/1.png', label: 0, predicted: 1, confidence: 0.7 }] });
      await writer.append({ type: 'testEnd', epoch: 1, loss: 0.4, acc: 0.8, confusion: [[9, 1, 0], [0, 10, 0], [2, 0, 8]], perClass: [] });
      ms += 90_000;
      await writer.append({ type: 'runEnd', time: new Date(ms).toISOString(), status: 'completed', best: { epoch: 1, valAcc: 0.6 }, testAcc: 0.8 });

      const record = await store.read(writer.id);
      assert.equal(record.status, 'completed');
      assert.equal(record.backend, 'wasm');
      assert.deepEqual(record.model, { kind: 'cnn', parameterCount: 12345 });
      assert.deepEqual(record.dataset?.classCounts, { train: [30, 30, 30], val: [3, 3, 3], test: [10, 10, 10] }, 'start() info survives runStart');
      assert.equal(record.dataset?.skipped, 2);
      assert.equal(record.dataset?.trainCount, 90);
      assert.deepEqual(record.summary, {
        epochs: 3, lastEpoch: 2, bestEpoch: 1, bestValAcc: 0.6, bestValLoss: 1.1, imagesPerSecond: 402, testAcc: 0.8, durationMs: 90_000,
      });
      assert.equal(record.endedAt, new Date(ms).toISOString());

      const events = await store.readMetrics(writer.id);
      assert.deepEqual(events.map((event) => event.type), ['runStart', 'batchEnd', 'epochEnd', 'epochEnd', 'testEnd', 'runEnd']);
      const firstEpoch = events[2];
      assert.ok(firstEpoch.type === 'epochEnd');
      assert.equal('confusion' in firstEpoch, false, 'matrices live in confusion/, not in metrics.jsonl');
      assert.equal(firstEpoch.perClass.length, 3);
      assert.equal(firstEpoch.valAcc, 0.6);

      assert.deepEqual(await store.readConfusion(writer.id, 1), {
        epoch: 1, split: 'val', classes: CLASSES, matrix: [[3, 0, 0], [1, 2, 0], [0, 1, 2]], perClass: epochEndEvent(1, 0.6, true).perClass,
      });
      assert.equal((await store.readConfusion(writer.id, 2))?.epoch, 2);
      assert.deepEqual((await store.readConfusion(writer.id, 'test'))?.matrix, [[9, 1, 0], [0, 10, 0], [2, 0, 8]]);
      assert.equal(await store.readConfusion(writer.id, 3), undefined);
      assert.deepEqual(await readdir(join(writer.runDir, 'confusion')), ['epoch-0001.json', 'epoch-0002.json', 'test.json']);
      assert.equal((await store.readPredictions(writer.id))?.items[0].predicted, 1);
      assert.match(await store.readLog(writer.id), /^2026-11-27T07:15:02\.000Z \[warn\] Skipped 2 unreadable files\n$/);

      // No temporary files or locks are left behind.
      const leftovers = (await readdir(writer.runDir, { recursive: true })).filter((name) => /(^|\/)\./.test(name));
      assert.deepEqual(leftovers, []);
    } finally {
      await cleanup();
    }
  });

  test('concurrent appends from one writer land as whole lines, in call order', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      const appends: Promise<void>[] = [];
      for (let batch = 1; batch <= 300; batch++) {
        appends.push(writer.append(batchEnd(1, batch)));
        if (batch % 100 === 0) appends.push(writer.append(epochEndEvent(batch / 100, 0.5, false)));
      }
      await Promise.all(appends);
      await writer.close();
      const lines = (await readFile(join(writer.runDir, 'metrics.jsonl'), 'utf8')).split('\n');
      assert.equal(lines.pop(), '', 'the file ends with a newline');
      assert.equal(lines.length, 303);
      const parsed = lines.map((line) => JSON.parse(line) as { type: string; batch?: number });
      const batches = parsed.filter((event) => event.type === 'batchEnd').map((event) => event.batch);
      assert.deepEqual(batches, Array.from({ length: 300 }, (_, i) => i + 1));
      assert.equal(parsed[100].type, 'epochEnd');
    } finally {
      await cleanup();
    }
  });

  test('a cut last line is left out when reading, and a resumed writer starts on a fresh line', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      await writer.append(batchEnd(1, 1));
      await writer.append(batchEnd(1, 2));
      await writer.close();
      const metricsPath = join(writer.runDir, 'metrics.jsonl');
      // A trainer killed in the middle of a write.
      await appendFile(metricsPath, '{"type":"batchEnd","epoch":1,"bat');
      assert.deepEqual((await store.readMetrics(writer.id)).map((event) => event.type === 'batchEnd' && event.batch), [1, 2]);

      const firstChunk = await store.readMetricsFrom(writer.id, 0);
      assert.equal(firstChunk.events.length, 2);

      const resumed = await store.openWriter(writer.id);
      await resumed.append(batchEnd(1, 3));
      await resumed.close();
      const events = await store.readMetrics(writer.id);
      assert.deepEqual(events.map((event) => event.type === 'batchEnd' && event.batch), [1, 2, 3]);
      // Following the file from the last offset yields only what came after, and counts the damaged line.
      const next = await store.readMetricsFrom(writer.id, firstChunk.nextOffset);
      assert.deepEqual(next.events.map((event) => event.type === 'batchEnd' && event.batch), [3]);
      assert.equal(next.skippedLines, 1);
      assert.equal(existsSync(join(writer.runDir, 'metrics.jsonl')), true);
    } finally {
      await cleanup();
    }
  });

  test('a run without metrics, confusion or predictions reads as empty, not as an error', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      assert.deepEqual(await store.readMetrics(writer.id), []);
      assert.equal(await store.readConfusion(writer.id, 1), undefined);
      assert.equal(await store.readPredictions(writer.id), undefined);
      assert.equal(await store.readCheckpointState(writer.id), undefined);
      assert.equal(await store.readLog(writer.id), '');
      await mkdir(join(writer.runDir, 'confusion'));
      await writeFile(join(writer.runDir, 'confusion', 'epoch-0001.json'), '{"epoch": 1, "matr');
      await assert.rejects(store.readConfusion(writer.id, 1), (error: unknown) => error instanceof RunStoreError && /not valid JSON/.test(error.message));
    } finally {
      await cleanup();
    }
  });

  test('a rename during training is not overwritten by the trainer', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir, { isProcessAlive: () => true });
      const writer = await store.create({ spec: sampleSpec() });
      await writer.start({ heartbeatIntervalMs: 0 });
      await writer.append(runStartEvent());
      await store.rename(writer.id, 'wider filters');
      await store.setNotes(writer.id, 'watch epoch 2', ['wide']);
      await writer.append(epochEndEvent(1, 0.7, true));
      await writer.heartbeat();
      const record = await store.read(writer.id);
      assert.equal(record.name, 'wider filters');
      assert.equal(record.notes, 'watch epoch 2');
      assert.deepEqual(record.tags, ['wide']);
      assert.equal(record.summary.bestValAcc, 0.7);
      await writer.finish('cancelled');
      assert.equal((await store.read(writer.id)).status, 'cancelled');
    } finally {
      await cleanup();
    }
  });

  test('edits racing with training progress lose neither side', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir, { isProcessAlive: () => true });
      const writer = await store.create({ spec: sampleSpec() });
      await writer.start({ heartbeatIntervalMs: 0 });
      const work: Promise<unknown>[] = [];
      for (let epoch = 1; epoch <= 8; epoch++) {
        work.push(writer.append(epochEndEvent(epoch, epoch / 10, true)));
        work.push(store.setNotes(writer.id, `note ${epoch}`));
      }
      await Promise.all(work);
      const record = await store.read(writer.id);
      assert.equal(record.summary.lastEpoch, 8);
      assert.match(record.notes ?? '', /^note \d$/);
      await writer.close();
    } finally {
      await cleanup();
    }
  });

  test('finish records a failure with its message and the heartbeat advances updatedAt', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      let ms = Date.parse('2026-11-27T07:15:02.000Z');
      const store = new RunStore(runsDir, { now: () => new Date(ms), isProcessAlive: () => true });
      const writer = await store.create({ spec: sampleSpec() });
      await writer.start({ heartbeatIntervalMs: 0 });
      ms += 5_000;
      await writer.heartbeat();
      assert.equal((await store.read(writer.id)).updatedAt, '2026-11-27T07:15:07.000Z');
      ms += 5_000;
      await writer.finish('failed', 'The loss became NaN at epoch 1, batch 3: lower the learning rate.');
      const record = await store.read(writer.id);
      assert.equal(record.status, 'failed');
      assert.match(record.error ?? '', /NaN/);
      assert.equal(record.summary.durationMs, 10_000);
      assert.equal(record.endedAt, '2026-11-27T07:15:12.000Z');
    } finally {
      await cleanup();
    }
  });

  test('checkpoint and best model folders are replaced whole, and a failed save keeps the previous one', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      const saveModel = (marker: string) => async (dir: string) => {
        await writeFile(join(dir, 'model.json'), JSON.stringify({ marker }));
        await writeFile(join(dir, 'weights.bin'), Buffer.from([1, 2, 3]));
      };
      await writer.saveCheckpoint({ epoch: 1, best: { epoch: 1, valAcc: 0.5, valLoss: 1 }, epochsWithoutImprovement: 0, seed: 7 }, saveModel('epoch 1'));
      await writer.saveBestModel(saveModel('best 1'));
      const state = await store.readCheckpointState(writer.id);
      assert.equal(state?.epoch, 1);
      assert.equal(state?.seed, 7);
      assert.match(state?.savedAt ?? '', /^\d{4}-\d\d-\d\dT/);

      await assert.rejects(
        writer.saveCheckpoint({ epoch: 2, best: null, epochsWithoutImprovement: 1 }, async (dir) => {
          await writeFile(join(dir, 'model.json'), '{"marker": "epoch 2"}');
          throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        }),
        (error: unknown) => error instanceof RunStoreError && error.message.startsWith('The disk is full: ') && error.code === 'ENOSPC',
      );
      assert.deepEqual(JSON.parse(await readFile(join(writer.checkpointDir, 'model.json'), 'utf8')), { marker: 'epoch 1' });
      assert.equal((await store.readCheckpointState(writer.id))?.epoch, 1);
      assert.deepEqual(JSON.parse(await readFile(join(writer.bestModelDir, 'model.json'), 'utf8')), { marker: 'best 1' });
      assert.deepEqual((await readdir(writer.runDir)).sort(), ['checkpoint', 'model', 'run.json']);
      await writer.close();
    } finally {
      await cleanup();
    }
  });

  test('a full disk surfaces as "The disk is full" and later lines stay whole', { skip: !existsSync('/dev/full') && 'needs /dev/full' }, async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      const metricsPath = join(writer.runDir, 'metrics.jsonl');
      // Every write to /dev/full fails with ENOSPC, as on a full disk.
      await symlink('/dev/full', metricsPath);
      await assert.rejects(writer.append(batchEnd(1, 1)), (error: unknown) =>
        error instanceof RunStoreError && error.code === 'ENOSPC' && error.message === `The disk is full: could not write ${metricsPath}. Free some space and try again.`);
      await writer.close();

      // Space comes back: the next writer's lines are whole and readable.
      await rm(metricsPath);
      const again = await store.openWriter(writer.id);
      await again.append(batchEnd(1, 2));
      await again.close();
      assert.deepEqual((await store.readMetrics(writer.id)).map((event) => event.type === 'batchEnd' && event.batch), [2]);
    } finally {
      await cleanup();
    }
  });

  test('writing to a deleted run folder says so instead of failing obscurely', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      await rm(writer.runDir, { recursive: true });
      await assert.rejects(writer.append(epochEndEvent(1, 0.5, true)), /its folder no longer exists/);
      // The queue keeps working after a failure.
      await assert.rejects(writer.log('still here'), RunStoreError);
      await assert.rejects(writer.saveBestModel(async (dir) => writeFile(join(dir, 'model.json'), '{}')), /its folder no longer exists/);
      assert.equal(existsSync(writer.runDir), false, 'the deleted run does not come back');
      await writer.close();
    } finally {
      await cleanup();
    }
  });
});
