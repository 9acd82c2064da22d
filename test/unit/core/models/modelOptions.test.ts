// Model options by name: every option of every kind is settable, values are checked with messages that name
// the option and its accepted values, and the model built from them has the asked-for structure.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import {
  applyModelOptions, checkModelOptionValue, modelOptionFields, modelOptionsProblem, parseModelOptionText, readModelOptions,
} from '../../../../src/core/models/modelOptions';
import { createModel } from '../../../../src/core/models/createModel';
import { MODEL_KINDS, type ModelSpec, type RnnOptions, type CnnOptions } from '../../../../src/core/runSpec';
import { RunSpecError, validateRunSpec, defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { noAugmentation } from '../../../../src/core/data/augment';

describe('model option tables', () => {
  test('every field of every kind\'s options object has an option of the same name', () => {
    for (const kind of MODEL_KINDS) {
      const names = new Set(modelOptionFields(kind).map((field) => field.name));
      for (const key of Object.keys(defaultModelSpec(kind).options)) {
        assert.ok(names.has(key), `${kind} has no option for "${key}"`);
      }
    }
  });

  test('reading every option and writing it back leaves the default spec unchanged', () => {
    for (const kind of MODEL_KINDS) {
      const spec = defaultModelSpec(kind);
      assert.deepEqual(applyModelOptions(spec, readModelOptions(spec)), spec);
      assert.equal(modelOptionsProblem(spec), undefined);
    }
  });
});

describe('setting options', () => {
  test('rnn: units and layers combine in either order into a stack of equal layers', () => {
    const rnn = defaultModelSpec('rnn');
    const a = applyModelOptions(rnn, { layers: 2, units: 64 }).options as RnnOptions;
    const b = applyModelOptions(rnn, { units: 64, layers: 2 }).options as RnnOptions;
    assert.deepEqual(a.units, [64, 64]);
    assert.deepEqual(b.units, [64, 64]);
    assert.deepEqual((applyModelOptions(rnn, { units: [64, 32] }).options as RnnOptions).units, [64, 32]);
    assert.deepEqual((applyModelOptions(rnn, { cell: 'gru' }).options as RnnOptions).cell, 'gru');
  });

  test('cnn: layers keeps the first filters and repeats the last when growing', () => {
    const cnn = defaultModelSpec('cnn');
    assert.deepEqual((applyModelOptions(cnn, { layers: 2 }).options as CnnOptions).filters, [32, 64]);
    assert.deepEqual((applyModelOptions(cnn, { layers: 4 }).options as CnnOptions).filters, [32, 64, 64, 64]);
    assert.deepEqual((applyModelOptions(cnn, { filters: 16 }).options as CnnOptions).filters, [16, 16, 16]);
  });

  test('parses the command line\'s name=value, lists and names', () => {
    assert.deepEqual(parseModelOptionText('rnn', 'units=64,32'), { name: 'units', value: [64, 32] });
    assert.deepEqual(parseModelOptionText('rnn', 'layers=2'), { name: 'layers', value: 2 });
    assert.deepEqual(parseModelOptionText('rnn', 'cell=gru'), { name: 'cell', value: 'gru' });
    assert.deepEqual(parseModelOptionText('attention', 'dropout=0.25'), { name: 'dropout', value: 0.25 });
  });

  test('bad values name the option, the model and what it accepts', () => {
    assert.throws(() => parseModelOptionText('rnn', 'layerz=2'), (e: Error) => e instanceof RunSpecError &&
      /Unknown option "layerz" for model rnn: its options are cell, units, layers, dropout/.test(e.message));
    assert.throws(() => parseModelOptionText('rnn', 'layers=0'), /Model option "layers" of rnn must be a whole number from 1 to 8 \(got "0"\)/);
    assert.throws(() => parseModelOptionText('rnn', 'units=64,x'), /"units" of rnn must be a whole number from 1 to 1024 for every layer, or a comma-separated list/);
    assert.throws(() => parseModelOptionText('rnn', 'cell=rnn'), /"cell" of rnn must be one of lstm, gru/);
    assert.throws(() => parseModelOptionText('cnn', 'dropout=1'), /"dropout" of cnn must be a number from 0 to 1 \(excluded\)/);
    assert.throws(() => parseModelOptionText('cnn', 'layers'), /needs name=value/);
    assert.throws(() => checkModelOptionValue('attention', 'heads', 2.5), /"heads" of attention must be a whole number/);
    assert.throws(() => applyModelOptions(defaultModelSpec('attention'), { heads: 5 }), /embedDim \(64\) must be a multiple of heads \(5\)/);
  });

  test('validateRunSpec rejects out-of-range options in a saved spec, naming the option', () => {
    const spec = {
      data: { path: '/data', format: 'auto' as const, valSplit: 0.1, cifar100Labels: 'fine' as const },
      model: { kind: 'rnn', options: { cell: 'lstm', units: [], dropout: 0 } } as ModelSpec,
      training: defaultTrainingSpec(),
      augment: noAugmentation(),
    };
    assert.throws(() => validateRunSpec(spec), /Model option "units" of rnn must be/);
  });

  test('the model built from the options has that structure', async () => {
    await initBackend('wasm');
    const spec = applyModelOptions(defaultModelSpec('rnn'), { cell: 'gru', units: 16, layers: 3 });
    const model = createModel(spec, [12, 12, 1], 3);
    try {
      const recurrent = model.layers.filter((layer) => layer.getClassName() === 'GRU');
      assert.equal(recurrent.length, 3);
      for (const layer of recurrent) assert.equal((layer.getConfig() as { units: number }).units, 16);
    } finally {
      model.dispose();
    }
  });
});
