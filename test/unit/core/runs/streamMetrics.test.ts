// Reading a run's metrics.jsonl a chunk at a time, as dashboards do for long runs: the same events as
// reading it whole, lines split across chunks and multi-byte characters intact, a cut last line left
// for later, an overlong line skipped unread, and batch lines passed over when only epochs are wanted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordedEvent } from '../../../../src/core/runs/recordedEvent';
import { MAX_METRICS_LINE_BYTES, RunStore } from '../../../../src/core/runs/runStore';
import type { BatchEndEvent } from '../../../../src/core/train/trainingEvents';
import { epochEndEvent, runStartEvent, sampleSpec, tempRunsDir } from './runTestHelpers';

function batchEnd(epoch: number, batch: number): BatchEndEvent {
  return { type: 'batchEnd', epoch, batch, batchesPerEpoch: 100, loss: 1 / batch, acc: batch / 1000, learningRate: 0.001, imagesPerSecond: 321 };
}

async function collect(store: RunStore, id: string, offset = 0, options = {}): Promise<{ events: RecordedEvent[]; nextOffset: number; skippedLines: number }> {
  const events: RecordedEvent[] = [];
  const end = await store.streamMetricsFrom(id, offset, (event) => events.push(event), options);
  return { events, ...end };
}

describe('streaming metrics.jsonl', () => {
  test('reads what readMetricsFrom reads, whatever the chunk size, and continues from its offset', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      await writer.append(runStartEvent({ classes: ['chat', 'chien', 'écureuil 🐿'] }));
      // About 12 KB: several 4 KB chunks, lines cut at their edges.
      for (let b = 1; b <= 100; b++) await writer.append(batchEnd(1, b));
      await writer.append(epochEndEvent(1, 0.5, true));
      await writer.close();
      const whole = await store.readMetricsFrom(writer.id, 0);
      assert.equal(whole.events.length, 102);
      for (const chunkBytes of [4096, 1024 * 1024]) {
        const streamed = await collect(store, writer.id, 0, { chunkBytes });
        assert.deepEqual(streamed.events, whole.events, `chunks of ${chunkBytes} bytes`);
        assert.equal(streamed.nextOffset, whole.nextOffset);
      }
      // A cut line is left for later; once whole, reading on from the offset yields it and nothing before.
      const metrics = join(writer.runDir, 'metrics.jsonl');
      await appendFile(metrics, '{"type":"batchEnd","epoch":2,"batch":1,"batchesPerEpoch":100,');
      const before = await collect(store, writer.id, whole.nextOffset);
      assert.deepEqual(before.events, []);
      assert.equal(before.nextOffset, whole.nextOffset);
      await appendFile(metrics, '"loss":0.5,"acc":0.5,"learningRate":0.001,"imagesPerSecond":100}\n');
      const after = await collect(store, writer.id, before.nextOffset);
      assert.deepEqual(after.events.map((e) => e.type === 'batchEnd' && [e.epoch, e.batch]), [[2, 1]]);
    } finally {
      await cleanup();
    }
  });

  test('skips a line longer than the limit without holding it, and reads on after it', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      await writer.append(batchEnd(1, 1));
      await writer.close();
      const metrics = join(writer.runDir, 'metrics.jsonl');
      await appendFile(metrics, `{"type":"log","message":"${'x'.repeat(MAX_METRICS_LINE_BYTES + 10)}"}\n`);
      await appendFile(metrics, `${JSON.stringify(batchEnd(1, 2))}\n`);
      const read = await collect(store, writer.id, 0, { chunkBytes: 64 * 1024 });
      assert.deepEqual(read.events.map((e) => e.type === 'batchEnd' && e.batch), [1, 2]);
      assert.equal(read.skippedLines, 1);
    } finally {
      await cleanup();
    }
  });

  test('passes over batch lines unparsed when only epochs are wanted', async () => {
    const { runsDir, cleanup } = await tempRunsDir();
    try {
      const store = new RunStore(runsDir);
      const writer = await store.create({ spec: sampleSpec() });
      await writer.append(runStartEvent());
      for (let b = 1; b <= 3; b++) await writer.append(batchEnd(1, b));
      await writer.append(epochEndEvent(1, 0.5, true));
      await writer.close();
      const read = await collect(store, writer.id, 0, { skipBatches: true });
      assert.deepEqual(read.events.map((e) => e.type), ['runStart', 'epochEnd']);
      assert.equal(read.skippedLines, 0);
    } finally {
      await cleanup();
    }
  });
});
