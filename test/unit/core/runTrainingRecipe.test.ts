// A fast-recipe run end to end through runTraining: residual model, one-cycle schedule, SGD with Nesterov
// momentum and decoupled weight decay, label smoothing, flip + crop augmentation, flip TTA, and resume.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { initBackend } from '../../../src/core/backend/selectBackend';
import type { RunSpec } from '../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../src/core/runSpecDefaults';
import { RunStore } from '../../../src/core/runs/runStore';
import { runTraining, type RunTrainingOptions } from '../../../src/core/runTraining';
import { defaultSchedule, learningRateAt } from '../../../src/core/train/learningRateSchedule';
import type { BatchEndEvent, TrainingEvent } from '../../../src/core/train/trainingEvents';
import { makeShapesDataset, writeFolderDataset } from '../../fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../../fixtures/tempDir';

let root = '';
let shapes = '';

function recipe(overrides: Partial<RunSpec['training']> = {}): RunSpec {
  return {
    data: { path: shapes, format: 'folder', valSplit: 0.2, limit: 384, cifar100Labels: 'fine' },
    model: { kind: 'resnet', options: { stemWidth: 8, widths: [16, 32], blocks: [1, 0], headScale: 0.125, bnMomentum: 0.9 } },
    training: {
      ...defaultTrainingSpec(), epochs: 4, batchSize: 32, learningRate: 0.1, optimizer: 'sgd', momentum: 0.9,
      nesterov: true, weightDecay: 5e-4, labelSmoothing: 0.1, schedule: defaultSchedule('onecycle'), testTimeAugmentation: 'flip',
      ...overrides,
    },
    augment: { flip: true, rotateDegrees: 0, cropPadding: 2, brightness: 0, contrast: 0, saturation: 0 },
  };
}

async function train(options: Partial<RunTrainingOptions> & { spec: RunSpec }): Promise<{ events: TrainingEvent[]; outcome: Awaited<ReturnType<typeof runTraining>> }> {
  const events: TrainingEvent[] = [];
  const outcome = await runTraining({
    runsDir: join(root, 'runs'), backend: 'wasm', ...options,
    onEvent: (event, id) => {
      events.push(event);
      options.onEvent?.(event, id);
    },
  });
  return { events, outcome };
}

const batchesOf = (events: TrainingEvent[]) => events.filter((e): e is BatchEndEvent => e.type === 'batchEnd');

before(async () => {
  await initBackend('wasm');
  root = makeTempDir();
  shapes = join(root, 'shapes');
  writeFolderDataset(shapes, makeShapesDataset(640, 32, 3), { testFraction: 0.2 });
});

after(() => removeTempDir(root));

describe('the fast recipe through runTraining', () => {
  test('learns, steps the learning rate along the one-cycle schedule, and keeps the settings in run.json', async () => {
    const spec = recipe({ epochs: 6 });
    const { events, outcome } = await train({ spec });
    assert.equal(outcome.status, 'completed', outcome.error);
    assert.ok((outcome.best?.valAcc ?? 0) >= 0.9, `validation accuracy ${outcome.best!.valAcc}`);
    const batches = batchesOf(events);
    const total = batches.length;
    assert.equal(total, 6 * 12, '384 images in batches of 32, 6 epochs');
    batches.forEach((e, step) => assert.equal(e.learningRate, learningRateAt(spec.training, step, total), `step ${step}`));
    const rates = batches.map((e) => e.learningRate);
    assert.equal(Math.max(...rates), rates[Math.round(0.25 * (total - 1))], 'the peak is at a quarter of training');
    assert.equal(rates.at(-1), 0);
    const record = await new RunStore(join(root, 'runs')).read(outcome.runId);
    assert.deepEqual(record.spec.training.schedule, spec.training.schedule);
    assert.equal(record.spec.training.weightDecay, 5e-4);
    assert.equal(record.spec.training.testTimeAugmentation, 'flip');
    assert.equal(record.model?.kind, 'resnet');
  });

  test('a resumed run continues exactly as an uninterrupted one (weights, batch norm statistics and optimiser state restored)', async () => {
    const spec = recipe({ epochs: 3 });
    const whole = batchesOf((await train({ spec })).events).map((e) => [e.loss, e.learningRate]);
    const controller = new AbortController();
    const first = await train({
      spec, signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'epochEnd' && event.epoch === 2) controller.abort();
      },
    });
    assert.equal(first.outcome.status, 'cancelled');
    const resumed = await train({ spec, resumeRunId: first.outcome.runId });
    assert.equal(resumed.outcome.status, 'completed', resumed.outcome.error);
    const continued = batchesOf(resumed.events).map((e) => [e.loss, e.learningRate]);
    assert.equal(continued.length, 12);
    assert.deepEqual(continued, whole.slice(24), 'epoch 3 after a resume has the same losses and rates');
  });
});
