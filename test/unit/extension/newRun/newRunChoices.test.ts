import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  choicesFromSpec, initialChoices, modelOptionRows, modelOptionsProblem, parseLearningRate, parseModelOptionInput, parseSavedRunSpec,
  parseWholeNumber, rememberedChoices, specFromChoices, type NewRunChoices,
} from '../../../../src/extension/newRun/newRunChoices';
import { builtInPresets } from '../../../../src/core/presets/runPreset';
import { RunSpecError } from '../../../../src/core/runSpecDefaults';
import { testSpec } from '../views/runTestRecords';

const defaults = { model: 'cnn' as const, epochs: 10, batchSize: 64, learningRate: 0.001, optimizer: 'adam' as const };
const choices: NewRunChoices = {
  datasetPath: '/data/shapes', model: 'attention', epochs: 3, batchSize: 32, learningRate: 0.01, optimizer: 'sgd', loss: 'mse', augment: ['flip', 'color'],
};

describe('wizard answers -> run spec', () => {
  test('every answer lands in the spec, with the model\'s default architecture and default strengths', () => {
    const spec = specFromChoices(choices);
    assert.equal(spec.data.path, '/data/shapes');
    assert.equal(spec.data.format, 'auto');
    assert.equal(spec.data.valSplit, 0.1);
    assert.equal(spec.model.kind, 'attention');
    assert.deepEqual(
      [spec.training.epochs, spec.training.batchSize, spec.training.learningRate, spec.training.optimizer, spec.training.loss],
      [3, 32, 0.01, 'sgd', 'mse'],
    );
    assert.deepEqual(spec.augment, { flip: true, rotateDegrees: 0, cropPadding: 0, brightness: 0.2, contrast: 0.2, saturation: 0.2 });
  });

  test('a base spec keeps what the wizard does not ask about, and its augmentation strengths', () => {
    const base = testSpec('/data/shapes');
    base.data.limit = 500;
    base.training.seed = 7;
    base.model = { kind: 'cnn', options: { filters: [8, 16], denseUnits: 32, dropout: 0.25 } };
    base.augment = { flip: false, rotateDegrees: 30, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 };
    const spec = specFromChoices({ ...choicesFromSpec(base), epochs: 2, augment: ['rotate', 'crop'] }, base);
    assert.equal(spec.data.limit, 500);
    assert.equal(spec.training.seed, 7);
    assert.deepEqual(spec.model, base.model);
    assert.equal(spec.augment.rotateDegrees, 30);
    assert.equal(spec.augment.cropPadding, 4);
    assert.equal(spec.training.epochs, 2);
    // Changing the model kind gives that kind's default architecture.
    assert.equal(specFromChoices({ ...choicesFromSpec(base), model: 'rnn' }, base).model.kind, 'rnn');
  });

  test('strengths set in the augmentation preview go into the spec for the augmentations chosen', () => {
    const previewed = { flip: true, rotateDegrees: 30, cropPadding: 3, brightness: 0.5, contrast: 0.25, saturation: 0 };
    const spec = specFromChoices({ ...choices, augment: ['flip', 'rotate', 'crop', 'color'] }, undefined, previewed);
    assert.deepEqual(spec.augment, previewed);
    // Unticked afterwards in the picker: off, whatever the preview set.
    assert.deepEqual(specFromChoices({ ...choices, augment: ['rotate'] }, undefined, previewed).augment,
      { flip: false, rotateDegrees: 30, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 });
    // They win over a base spec's strengths; the rest of the base is kept.
    const base = testSpec('/data/shapes');
    base.training.seed = 9;
    base.augment = { flip: false, rotateDegrees: 5, cropPadding: 1, brightness: 0.1, contrast: 0.1, saturation: 0.1 };
    const fromBase = specFromChoices({ ...choicesFromSpec(base), augment: ['rotate', 'color'] }, base, previewed);
    assert.deepEqual(fromBase.augment, { flip: false, rotateDegrees: 30, cropPadding: 0, brightness: 0.5, contrast: 0.25, saturation: 0 });
    assert.equal(fromBase.training.seed, 9);
  });

  test('a spec round-trips through the answers', () => {
    const spec = specFromChoices(choices);
    assert.deepEqual(specFromChoices(choicesFromSpec(spec)), spec);
  });

  test('out-of-range answers are refused with the engine\'s message', () => {
    assert.throws(() => specFromChoices({ ...choices, batchSize: 0 }), RunSpecError);
  });
});

describe('remembered answers', () => {
  test('the last answers win over the settings\' defaults', () => {
    const start = initialChoices(defaults, { model: 'rnn', epochs: 2 });
    assert.equal(start.model, 'rnn');
    assert.equal(start.epochs, 2);
    assert.equal(start.batchSize, 64);
    assert.equal(start.datasetPath, undefined);
  });

  test('stored values that are not valid answers are ignored', () => {
    assert.deepEqual(rememberedChoices({ datasetPath: 'relative/path', model: 'gpt', epochs: -1, learningRate: 0.5, augment: ['flip', 'explode'] }), { learningRate: 0.5 });
    assert.deepEqual(rememberedChoices('nonsense'), {});
    assert.deepEqual(rememberedChoices(choices), choices);
  });
});

describe('input parsing', () => {
  test('whole numbers and learning rates', () => {
    assert.deepEqual(parseWholeNumber(' 12 ', 'Epochs', 1, 100), { ok: true, value: 12 });
    assert.equal(parseWholeNumber('1.5', 'Epochs', 1, 100).ok, false);
    assert.equal(parseWholeNumber('', 'Epochs', 1, 100).ok, false);
    assert.match((parseWholeNumber('0', 'Epochs', 1, 100) as { message: string }).message, /Epochs must be a whole number from 1 to 100/);
    assert.deepEqual(parseLearningRate('1e-3'), { ok: true, value: 0.001 });
    assert.equal(parseLearningRate('-1').ok, false);
    assert.equal(parseLearningRate('fast').ok, false);
  });
});

describe('saved run specs', () => {
  test('a run.json gives its spec; a partial spec gets defaults and a path relative to its file', () => {
    const spec = specFromChoices(choices);
    assert.deepEqual(parseSavedRunSpec({ schemaVersion: 1, id: 'x', spec }, '/elsewhere'), spec);
    const partial = parseSavedRunSpec({ data: { path: '../data/shapes' }, training: { epochs: 3 } }, '/work/specs');
    assert.equal(partial.data.path, '/work/data/shapes');
    assert.equal(partial.model.kind, 'cnn');
    assert.equal(partial.training.epochs, 3);
    assert.equal(partial.training.batchSize, 64);
  });

  test('files that are not run specs are refused with a reason', () => {
    assert.throws(() => parseSavedRunSpec({ name: 'package' }, '/'), /no "data.path"/);
    assert.throws(() => parseSavedRunSpec({ data: { path: '/d' }, model: { kind: 'gpt' } }, '/'), /Unknown model "gpt"/);
    assert.throws(() => parseSavedRunSpec({ data: { path: '/d' }, training: { epochs: 'many' } }, '/'), RunSpecError);
  });
});

describe('model options in the wizard', () => {
  test('options set in the wizard land in the spec, in the table\'s order whatever order they were set in', () => {
    const spec = specFromChoices({ ...choices, model: 'rnn', modelOptions: { layers: 2, units: 64, cell: 'gru' } });
    assert.deepEqual(spec.model, { kind: 'rnn', options: { cell: 'gru', units: [64, 64], dropout: 0 } });
    const round = choicesFromSpec(spec);
    assert.deepEqual(specFromChoices(round), spec);
  });

  test('typed values are checked with the command line\'s message', () => {
    assert.deepEqual(parseModelOptionInput('rnn', 'units', '64,32'), { ok: true, value: [64, 32] });
    assert.deepEqual(parseModelOptionInput('cnn', 'dropout', ' 0.25 '), { ok: true, value: 0.25 });
    const refused = parseModelOptionInput('rnn', 'layers', '0');
    assert.equal(refused.ok, false);
    assert.equal((refused as { message: string }).message, 'Model option "layers" of rnn must be a whole number from 1 to 8 (got "0").');
  });

  test('options that do not fit together are named before the run is started', () => {
    assert.equal(modelOptionsProblem('attention', { embedDim: 60, heads: 8 }), 'Model attention: embedDim (60) must be a multiple of heads (8).');
    assert.equal(modelOptionsProblem('attention', { embedDim: 64, heads: 8 }), undefined);
    assert.throws(() => specFromChoices({ ...choices, model: 'attention', modelOptions: { embedDim: 60, heads: 8 } }), /multiple of heads/);
  });

  test('the options step lists every option of the kind with its value, marking the defaults', () => {
    const rows = modelOptionRows('cnn', { layers: 2, denseUnits: 128 });
    assert.deepEqual(rows.map((row) => [row.field.name, row.value, row.isDefault]), [
      ['filters', '32,64', false], ['layers', '2', false], ['denseUnits', '128', false], ['dropout', '0', true],
    ]);
    assert.match(rows[0].accepted, /comma-separated list of up to 6/);
  });

  test('remembered options are kept only when valid for the remembered model', () => {
    assert.deepEqual(rememberedChoices({ model: 'rnn', modelOptions: { units: [64, 64], layers: 99, filters: [8] } }), { model: 'rnn', modelOptions: { units: [64, 64] } });
    assert.deepEqual(rememberedChoices({ model: 'attention', modelOptions: { embedDim: 60, heads: 8 } }), { model: 'attention' });
    assert.deepEqual(rememberedChoices({ modelOptions: { units: [64] } }), {});
  });
});

describe('wizard recipe answers -> run spec', () => {
  const adamChoices: NewRunChoices = { ...choices, model: 'cnn', optimizer: 'adam' };

  test('a schedule, weight decay and test-time augmentation land in the spec; constant and off leave them out', () => {
    const spec = specFromChoices({ ...adamChoices, schedule: 'onecycle', weightDecay: 0.05, tta: 'flip' });
    assert.equal(spec.training.schedule?.kind, 'onecycle');
    assert.ok((spec.training.schedule?.warmup ?? 0) > 0, 'one-cycle warms up');
    assert.equal(spec.training.weightDecay, 0.05);
    assert.equal(spec.training.testTimeAugmentation, 'flip');
    const plain = specFromChoices({ ...adamChoices, schedule: 'constant', weightDecay: 0, tta: 'none' });
    assert.deepEqual([plain.training.schedule, plain.training.weightDecay, plain.training.testTimeAugmentation], [undefined, undefined, undefined]);
  });

  test('Nesterov momentum goes with sgd only, weight decay not with rmsprop', () => {
    assert.equal(specFromChoices({ ...adamChoices, optimizer: 'sgd', nesterov: true }).training.nesterov, true);
    assert.equal(specFromChoices({ ...adamChoices, optimizer: 'adam', nesterov: true }).training.nesterov, undefined);
    assert.equal(specFromChoices({ ...adamChoices, optimizer: 'rmsprop', weightDecay: 0.05 }).training.weightDecay, undefined);
  });

  test('a preset\'s recipe survives the wizard when only the dataset and epochs change', () => {
    const fast = builtInPresets().find((preset) => preset.name === 'cifar10-fast')!;
    const base = { ...structuredClone(fast.spec), data: { path: '/data/cifar', format: 'auto' as const, cifar100Labels: 'fine' as const, valSplit: 0.05 } };
    const spec = specFromChoices({ ...choicesFromSpec(base), epochs: 2 }, base);
    assert.deepEqual(spec.training.schedule, fast.spec.training.schedule, 'the schedule with its own warm-up');
    assert.deepEqual([spec.model, spec.training.weightDecay, spec.training.labelSmoothing, spec.training.testTimeAugmentation, spec.training.epochs],
      [fast.spec.model, 0.05, 0.2, 'flip', 2]);
    assert.deepEqual(spec.augment, fast.spec.augment);
  });

  test('fine-tuning: the run to start from, head-only epochs and the image size it needs', () => {
    const spec = specFromChoices({ ...adamChoices, epochs: 4, initFrom: '/runs/20260101-cnn', freezeEpochs: 2, imageSize: 28 });
    assert.deepEqual([spec.training.initFrom, spec.training.freezeEpochs, spec.data.imageSize], ['/runs/20260101-cnn', 2, 28]);
    const again = choicesFromSpec(spec);
    assert.deepEqual([again.initFrom, again.freezeEpochs, again.imageSize], ['/runs/20260101-cnn', 2, 28]);
    const fresh = specFromChoices({ ...adamChoices }, spec);
    assert.equal(fresh.training.initFrom, undefined, 'a base spec\'s starting run is dropped when the answers have none');
    assert.throws(() => specFromChoices({ ...adamChoices, epochs: 2, initFrom: '/runs/x', freezeEpochs: 3 }), RunSpecError);
  });

  test('the recipe answers are remembered, the run fine-tuned from never', () => {
    const remembered = rememberedChoices({ ...adamChoices, schedule: 'cosine', weightDecay: 0.01, nesterov: true, tta: 'flip', initFrom: '/runs/x', freezeEpochs: 1, imageSize: 28 });
    assert.deepEqual([remembered.schedule, remembered.weightDecay, remembered.nesterov, remembered.tta], ['cosine', 0.01, true, 'flip']);
    assert.deepEqual([remembered.initFrom, remembered.freezeEpochs, remembered.imageSize], [undefined, undefined, undefined]);
    const junk = rememberedChoices({ schedule: 'zigzag', weightDecay: 3, nesterov: 'yes', tta: 'spin' });
    assert.deepEqual(junk, {});
  });
});
