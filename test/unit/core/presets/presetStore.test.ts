import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { noAugmentation } from '../../../../src/core/data/augment';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { findPreset, listPresets, presetSpecOf, savePreset } from '../../../../src/core/presets/presetStore';
import { builtInPresets, defaultPresetSpec, PresetError, presetFromJson } from '../../../../src/core/presets/runPreset';
import type { RunSpec } from '../../../../src/core/runSpec';
import { defaultTrainingSpec, validateRunSpec } from '../../../../src/core/runSpecDefaults';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

describe('presets', () => {
  let dir = '';
  before(() => {
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  test('every built-in preset is a valid run spec for any dataset and says what to expect', () => {
    for (const preset of builtInPresets()) {
      const { data, ...rest } = preset.spec;
      validateRunSpec({ ...rest, data: { path: '/data', format: 'auto', valSplit: 0.1, cifar100Labels: 'fine', ...data } });
      assert.ok(preset.expected && preset.expected.accuracy > 0 && preset.expected.minutes > 0 && preset.expected.basis.length > 0, preset.name);
    }
    assert.deepEqual(builtInPresets().find((p) => p.name === 'cnn-baseline')?.spec, defaultPresetSpec());
  });

  test('a hand-written preset names only what it changes; the rest are the defaults', () => {
    const preset = presetFromJson({
      name: 'wide', spec: { model: { kind: 'resnet', options: { stemWidth: 24 } }, training: { epochs: 3 }, data: { path: '/elsewhere', valSplit: 0.2 } },
    }, 'wide.json');
    assert.deepEqual(preset.spec.training, { ...defaultTrainingSpec(), epochs: 3 });
    assert.deepEqual(preset.spec.augment, noAugmentation());
    assert.deepEqual(preset.spec.model, { kind: 'resnet', options: { ...(defaultModelSpec('resnet').options), stemWidth: 24 } });
    assert.deepEqual(preset.spec.data, { valSplit: 0.2 }, 'a preset never chooses the dataset');
    assert.deepEqual(preset.source, { file: 'wide.json' });
  });

  test('a malformed preset is a clear error naming its file', () => {
    assert.throws(() => presetFromJson([], 'a.json'), (e: Error) => e instanceof PresetError && /a.json is not a Classifier Lab preset/.test(e.message));
    assert.throws(() => presetFromJson({ name: '../x', spec: {} }, 'b.json'), /b.json has no valid preset name/);
    assert.throws(() => presetFromJson({ name: 'm', spec: { model: { kind: 'mlp' } } }, 'c.json'), /c.json: unknown model "mlp"/);
    assert.throws(() => presetFromJson({ name: 't', spec: { training: 5 } }, 'd.json'), /"training" must be an object/);
  });

  test('saves a run spec without its dataset or starting run, finds it by name, lists it after the built-ins', async () => {
    const presetsDir = join(dir, 'presets');
    const spec: RunSpec = {
      data: { path: '/data/photos', format: 'folder', imageSize: 64, valSplit: 0.15, cifar100Labels: 'fine' },
      model: defaultModelSpec('resnet'),
      training: { ...defaultTrainingSpec(), epochs: 4, weightDecay: 0.01, initFrom: '/runs/a', freezeEpochs: 1 },
      augment: { ...noAugmentation(), flip: true },
    };
    const file = await savePreset({ name: 'photos', description: 'mine', spec: presetSpecOf(spec) }, presetsDir);
    assert.equal(file, join(presetsDir, 'photos.json'));
    const found = await findPreset('photos', presetsDir);
    assert.deepEqual(found.spec.data, { valSplit: 0.15, imageSize: 64 });
    assert.equal(found.spec.training.weightDecay, 0.01);
    assert.equal(found.spec.training.initFrom, undefined);
    assert.equal(found.spec.training.freezeEpochs, undefined);
    assert.deepEqual(found.spec.augment, spec.augment);

    mkdirSync(presetsDir, { recursive: true });
    writeFileSync(join(presetsDir, 'broken.json'), '{ not json');
    const { presets, unreadable } = await listPresets(presetsDir);
    assert.deepEqual(presets.map((p) => p.name), ['cifar10-fast', 'cnn-baseline', 'photos']);
    assert.equal(unreadable.length, 1);
    assert.match(unreadable[0].reason, /broken.json is not valid JSON/);
  });

  test('refuses built-in names and names that are not file names; an unknown name lists the presets', async () => {
    await assert.rejects(savePreset({ name: 'cifar10-fast', description: '', spec: defaultPresetSpec() }, dir), /built-in preset/);
    await assert.rejects(savePreset({ name: 'a/b', description: '', spec: defaultPresetSpec() }, dir), /cannot name a preset/);
    await assert.rejects(findPreset('nope', join(dir, 'none')), /No preset named "nope".*cifar10-fast, cnn-baseline/);
  });
});
