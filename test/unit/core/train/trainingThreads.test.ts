// How many threads a run trains on: the flag's values, every core by default, one for the native
// backend (it spreads its own kernels), and the count a run records.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { runTraining } from '../../../../src/core/runTraining';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { RunStore } from '../../../../src/core/runs/runStore';
import { autoTrainingThreads, parseThreadsRequest, resolveTrainingThreads } from '../../../../src/core/train/trainingThreads';
import type { TrainingEvent } from '../../../../src/core/train/trainingEvents';
import { makeShapesDataset, writeFolderDataset } from '../../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

describe('training threads', () => {
  test('--threads takes auto or 1 to 32', () => {
    assert.equal(parseThreadsRequest('auto'), 'auto');
    assert.equal(parseThreadsRequest('4'), 4);
    assert.equal(parseThreadsRequest(1), 1);
    for (const bad of ['0', '33', '-2', '1.5', 'two', '']) assert.equal(parseThreadsRequest(bad), undefined, bad);
  });

  test('auto is every core, shared among runs that train at once; native TensorFlow gets one', () => {
    assert.equal(resolveTrainingThreads('auto', { native: false }), availableParallelism());
    assert.equal(resolveTrainingThreads(3, { native: false }), 3);
    assert.equal(resolveTrainingThreads('auto', { native: true }), 1);
    assert.equal(autoTrainingThreads(availableParallelism() * 2), 1);
    assert.equal(autoTrainingThreads(1), availableParallelism());
  });

  describe('a run', () => {
    let root: string;
    before(async () => {
      await initBackend('wasm');
      root = makeTempDir();
      writeFolderDataset(join(root, 'shapes'), makeShapesDataset(160, 24, 3));
    });
    after(() => removeTempDir(root));

    test('records the threads it trained on in its events and run.json', async () => {
      const events: TrainingEvent[] = [];
      const outcome = await runTraining({
        spec: {
          data: { path: join(root, 'shapes'), format: 'auto', valSplit: 0.2, cifar100Labels: 'fine', imageSize: 24 },
          model: defaultModelSpec('cnn'),
          training: { ...defaultTrainingSpec(), epochs: 1, batchSize: 16 },
          augment: noAugmentation(),
        },
        runsDir: join(root, 'runs'), backend: 'wasm', threads: 2,
        onEvent: (event) => events.push(event),
      });
      assert.equal(outcome.status, 'completed', outcome.error);
      const start = events.find((e) => e.type === 'runStart');
      assert.equal(start?.type === 'runStart' ? start.threads : undefined, 2);
      const record = await new RunStore(join(root, 'runs')).read(outcome.runId);
      assert.equal(record.threads, 2);
    });
  });
});
