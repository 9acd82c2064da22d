// Sweep specs: a valid spec comes back checked and normalised; every mistake is one message naming its field.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseSweepSpec, SweepSpecError } from '../../../../src/core/sweeps/parseSweepSpec';
import { runSpecFromTrainOptions, runSpecWithChanges, TrainOptionError } from '../../../../src/core/trainOptions';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

let root: string;

before(() => {
  root = makeTempDir();
  mkdirSync(join(root, 'data', 'digits'), { recursive: true });
});

after(() => removeTempDir(root));

function valid(): Record<string, unknown> {
  return {
    name: 'lr search',
    base: { data: 'data/digits', model: 'rnn', epochs: 3, limit: 500, modelOptions: { units: 32 } },
    method: 'random',
    trials: 12,
    budgetMinutes: 20,
    metric: 'valAcc',
    seed: 7,
    space: {
      learningRate: { min: 0.0001, max: 0.01, log: true },
      batchSize: [32, 64],
      'model.layers': { min: 1, max: 2, integer: true },
      augment: ['none', 'crop'],
    },
  };
}

function failsAt(raw: Record<string, unknown>, field: string, message?: RegExp): void {
  assert.throws(() => parseSweepSpec(raw, root), (error: Error) => {
    assert.ok(error instanceof SweepSpecError, `${error.name}: ${error.message}`);
    assert.equal(error.field, field, error.message);
    assert.ok(error.message.startsWith(`${field}: `));
    if (message) assert.match(error.message, message);
    return true;
  });
}

function withSpace(space: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...valid(), ...extra, space };
}

describe('parseSweepSpec', () => {
  test('a valid spec comes back with the data path absolute, defaults filled and the space in its order', () => {
    const spec = parseSweepSpec(valid(), root);
    assert.equal(spec.base.data, join(root, 'data', 'digits'));
    assert.equal(spec.method, 'random');
    assert.deepEqual(Object.keys(spec.space), ['learningRate', 'batchSize', 'model.layers', 'augment']);
    assert.deepEqual(spec.space.learningRate, { min: 0.0001, max: 0.01, log: true, integer: false });
    const minimal = parseSweepSpec({ name: 'g', base: { data: join(root, 'data', 'digits') }, method: 'grid', space: { batchSize: [16, 32] } }, root);
    assert.equal(minimal.metric, 'valAcc');
    assert.equal(minimal.seed, 0);
    assert.equal(minimal.trials, undefined);
  });

  test('whole-number options make integer ranges without being told', () => {
    const spec = parseSweepSpec(withSpace({ batchSize: { min: 16, max: 128, log: true } }), root);
    assert.deepEqual(spec.space.batchSize, { min: 16, max: 128, log: true, integer: true });
  });

  test('each mistake names its field', () => {
    failsAt({ ...valid(), name: '' }, 'name');
    failsAt({ ...valid(), method: 'bayes' }, 'method', /one of grid, random, halving/);
    failsAt({ ...valid(), trials: 0 }, 'trials');
    failsAt({ ...valid(), budgetMinutes: -1 }, 'budgetMinutes');
    failsAt({ ...valid(), metric: 'testAcc' }, 'metric', /valAcc, valLoss/);
    failsAt({ ...valid(), seed: 1.5 }, 'seed');
    failsAt({ ...valid(), colour: 'red' }, 'colour', /unknown field/);
    failsAt({ ...valid(), base: { model: 'rnn' } }, 'base.data', /missing/);
    failsAt({ ...valid(), base: { data: 'data/nowhere' } }, 'base.data', /no dataset folder/);
    failsAt({ ...valid(), base: { data: 'data/digits', lr: 0.1 } }, 'base.lr', /Unknown train option "lr"/);
    failsAt({ ...valid(), base: { data: 'data/digits', epochs: 0 } }, 'base.epochs', /Epochs must be a whole number from 1/);
    failsAt({ ...valid(), base: { data: 'data/digits', model: 'rnn', modelOptions: { filters: 8 } } }, 'base.model.filters', /Unknown option "filters" for model rnn/);
    failsAt({ ...valid(), base: { data: 'data/digits', optimizer: 'adamw' } }, 'base.optimizer', /one of adam, sgd, rmsprop/);
  });

  test('space mistakes name the entry, the value or the range field', () => {
    failsAt(withSpace({}), 'space', /empty/);
    failsAt(withSpace({ learningRat: [0.1] }), 'space.learningRat', /unknown parameter/);
    failsAt(withSpace({ data: ['a'] }), 'space.data', /set it in base/);
    failsAt(withSpace({ batchSize: [32, 0, 64] }), 'space.batchSize[1]', /batch size must be a whole number from 1 to 4096 \(got 0\)/);
    failsAt(withSpace({ learningRate: { min: 0, max: 0.1, log: true } }), 'space.learningRate.min', /log range needs min > 0/);
    failsAt(withSpace({ learningRate: { min: 0.1, max: 0.01 } }), 'space.learningRate.max', /larger than min/);
    failsAt(withSpace({ learningRate: { min: 0.001, max: 20 } }), 'space.learningRate.max', /learning rate must be a positive number no larger than 10/);
    failsAt(withSpace({ learningRate: { min: 0.001, max: 0.1, step: 3 } }), 'space.learningRate.step', /unknown range field/);
    failsAt(withSpace({ optimizer: { min: 1, max: 2 } }), 'space.optimizer', /takes names or lists/);
    failsAt(withSpace({ batchSize: { min: 16, max: 128, integer: false } }), 'space.batchSize.integer');
    failsAt(withSpace({ 'model.filters': [8] }), 'space.model.filters', /model rnn has no option "filters"/);
    failsAt(withSpace({ 'model.units': [64, 2000] }), 'space.model.units[1]', /"units" of rnn must be/);
    failsAt(withSpace({ augment: ['flip', 'blur'] }), 'space.augment[1]', /Unknown augmentation 'blur'/);
    failsAt(withSpace({ learningRate: 0.1 }), 'space.learningRate', /list of values or a range/);
  });

  test('method-specific rules: grid needs values it can list, halving owns the epochs', () => {
    failsAt(withSpace({ learningRate: { min: 0.001, max: 0.1 } }, { method: 'grid' }), 'space.learningRate', /"steps": N/);
    assert.doesNotThrow(() => parseSweepSpec(withSpace({ learningRate: { min: 0.001, max: 0.1, log: true, steps: 3 } }, { method: 'grid' }), root));
    failsAt(withSpace({ learningRate: { min: 0.001, max: 0.1, steps: 3 } }), 'space.learningRate.steps', /grid sweeps only/);
    failsAt(withSpace({ epochs: [1, 2] }, { method: 'halving' }), 'space.epochs', /halving chooses each rung's epochs/);
    failsAt({ ...valid(), method: 'halving', trials: 2 }, 'trials', /at least 3 trials/);
    failsAt({ ...valid(), method: 'halving', base: { data: 'data/digits', epochs: 2 } }, 'base.epochs', /at least 3/);
    failsAt({ ...valid(), trials: undefined, budgetMinutes: undefined }, 'trials', /needs a budget/);
    failsAt({ ...valid(), reduction: 2 }, 'reduction', /halving sweeps only/);
  });

  test('model options must fit every model kind the space lists, base\'s included', () => {
    failsAt(withSpace({ model: ['cnn', 'rnn'], 'model.units': [16] }, { base: { data: 'data/digits' } }), 'space.model.units', /model cnn has no option "units"/);
    failsAt(withSpace({ model: ['cnn', 'rnn'] }), 'base.modelOptions', /Unknown option "units" for model cnn/);
    assert.doesNotThrow(() => parseSweepSpec(withSpace({ model: ['cnn', 'rnn'], 'model.dropout': [0, 0.3] }, { base: { data: 'data/digits' } }), root));
  });
});

describe('train options', () => {
  test('give the same spec the CLI would: defaults, model options, augmentation', () => {
    const spec = runSpecFromTrainOptions({ data: 'd', model: 'rnn', modelOptions: { layers: 2, units: 16 }, augment: 'crop', patience: 2 }, '/base');
    assert.equal(spec.data.path, '/base/d');
    assert.deepEqual(spec.model, { kind: 'rnn', options: { cell: 'lstm', units: [16, 16], dropout: 0 } });
    assert.equal(spec.augment.cropPadding, 4);
    assert.equal(spec.training.earlyStoppingPatience, 2);
    assert.equal(spec.training.learningRate, 0.001);
  });

  test('changes to a run spec (a doctor\'s fix) keep everything else, and a new model kind starts from its defaults', () => {
    const spec = runSpecFromTrainOptions({ data: '/d', model: 'rnn', modelOptions: { units: 16 }, learningRate: 0.5, augment: { rotateDegrees: 7 } });
    const fixed = runSpecWithChanges(spec, { learningRate: 0.05, 'model.dropout': 0.2 });
    assert.equal(fixed.training.learningRate, 0.05);
    assert.deepEqual(fixed.model.options, { cell: 'lstm', units: [16], dropout: 0.2 });
    assert.equal(fixed.augment.rotateDegrees, 7);
    assert.equal(runSpecWithChanges(spec, { model: 'cnn' }).model.kind, 'cnn');
    assert.throws(() => runSpecWithChanges(spec, { learningRate: -1 }), (e: Error) => e instanceof TrainOptionError && e.option === 'learningRate');
  });
});
