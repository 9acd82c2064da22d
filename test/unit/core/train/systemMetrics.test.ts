// System metrics: CPU use and memory of the training process per epoch, recorded in epochEnd events, with
// the peak memory kept in the run's summary; runs recorded without them still read.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { noAugmentation } from '../../../../src/core/data/augment';
import { RunStore } from '../../../../src/core/runs/runStore';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { runTraining } from '../../../../src/core/runTraining';
import { SystemMetricsSampler } from '../../../../src/core/train/systemMetrics';
import type { EpochEndEvent } from '../../../../src/core/train/trainingEvents';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { writeRun } from '../../../fixtures/doctorRuns';

let root: string;

before(() => {
  root = makeTempDir();
});

after(() => removeTempDir(root));

describe('SystemMetricsSampler', () => {
  test('CPU use is the process\'s CPU time over wall time and all cores; an idle wait shows almost none', async () => {
    const cores = availableParallelism();
    const sampler = new SystemMetricsSampler();
    const wallStart = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    // Spin until this process has used 300 ms of CPU, however busy the machine is.
    let used = 0;
    while (used < 300_000) {
      const cpu = process.cpuUsage(cpuStart);
      used = cpu.user + cpu.system;
    }
    const busy = sampler.sample();
    const wallMicros = Number(process.hrtime.bigint() - wallStart) / 1000;
    const expected = (100 * used) / (wallMicros * cores);
    assert.ok(Math.abs(busy.cpuPercent - expected) < Math.max(2, expected * 0.1), `busy ${busy.cpuPercent}%, expected ${expected}%`);
    assert.ok(busy.cpuPercent <= 100 / cores + 5, 'one thread spinning uses at most one core');
    // The first quiet moment after the spin still collects its garbage; the next one is idle.
    await sleep(300);
    sampler.sample();
    await sleep(300);
    const idle = sampler.sample();
    assert.ok(idle.cpuPercent < 10 / cores, `idle ${idle.cpuPercent}%`);
  });

  test('memory: resident size now, and a peak that remembers what was freed', () => {
    const sampler = new SystemMetricsSampler();
    const before = sampler.sample();
    let block: Buffer | undefined = Buffer.alloc(256 * 1024 * 1024, 1);
    const during = sampler.sample();
    assert.ok(block[block.length - 1] === 1);
    block = undefined;
    const later = sampler.sample();
    assert.ok(during.rssBytes >= before.rssBytes + 200 * 1024 * 1024, `rss ${before.rssBytes} -> ${during.rssBytes}`);
    assert.ok(later.peakRssBytes >= during.rssBytes);
    assert.ok(later.peakRssBytes >= before.peakRssBytes);
  });
});

describe('system metrics in a run', () => {
  test('every epochEnd carries CPU use and memory, and the summary keeps the peak', async () => {
    const data = join(root, 'shapes');
    writeFolderDataset(data, makeShapesDataset(160, 16, 4));
    const events: EpochEndEvent[] = [];
    const outcome = await runTraining({
      runsDir: join(root, 'runs'), backend: 'wasm', threads: 1,
      spec: {
        data: { path: data, format: 'folder', valSplit: 0.2, cifar100Labels: 'fine' },
        model: { kind: 'cnn', options: { filters: [8, 16], denseUnits: 16, dropout: 0 } },
        training: { ...defaultTrainingSpec(), epochs: 2, batchSize: 16 },
        augment: noAugmentation(),
      },
      onEvent: (event) => {
        if (event.type === 'epochEnd') events.push(event);
      },
    });
    assert.equal(outcome.status, 'completed');
    assert.equal(events.length, 2);
    for (const event of events) {
      assert.ok(event.cpuPercent! > 0 && event.cpuPercent! <= 100, `cpu ${event.cpuPercent}`);
      assert.ok(event.rssBytes! > 50 * 1024 * 1024, `rss ${event.rssBytes}`);
      assert.ok(event.peakRssBytes! >= event.rssBytes!);
      assert.ok(event.imagesPerSecond > 0);
    }
    const store = new RunStore(join(root, 'runs'));
    const recorded = (await store.readMetrics(outcome.runId)).filter((e) => e.type === 'epochEnd');
    assert.deepEqual(recorded.map((e) => (e as EpochEndEvent).peakRssBytes), events.map((e) => e.peakRssBytes));
    const record = await store.read(outcome.runId);
    assert.equal(record.summary.peakRssBytes, Math.max(...events.map((e) => e.peakRssBytes!)));
  });

  test('a run recorded without them reads as before, with no peak in its summary', async () => {
    const runDir = await writeRun(join(root, 'old'), { epochs: [{ loss: 1, acc: 0.5, valLoss: 1, valAcc: 0.5 }] });
    const store = new RunStore(join(root, 'old'));
    const id = runDir.split(/[\\/]/).at(-1)!;
    const [epoch] = (await store.readMetrics(id)).filter((e) => e.type === 'epochEnd') as EpochEndEvent[];
    assert.equal(epoch.cpuPercent, undefined);
    assert.equal((await store.read(id)).summary.peakRssBytes, undefined);
  });
});
