// What an augmentation preview page sends and keeps as its state (untrusted input): strengths only in
// the ranges a run spec accepts, a restored spec only when the engine accepts it; and "Other Images".
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { noAugmentation, parseAugmentList } from '../../../../../src/core/data/augment';
import { defaultModelSpec } from '../../../../../src/core/models/defaultModelSpecs';
import type { RunSpec } from '../../../../../src/core/runSpec';
import { defaultTrainingSpec } from '../../../../../src/core/runSpecDefaults';
import {
  parseAugmentPreviewState, parseAugmentSpec, parseFromAugmentPreviewView,
} from '../../../../../src/extension/webviews/augmentPreview/augmentPreviewMessages';
import { otherExamples } from '../../../../../src/extension/webviews/augmentPreview/previewExamples';

const spec: RunSpec = {
  data: { path: '/data/shapes', format: 'auto', valSplit: 0.1, cifar100Labels: 'fine' },
  model: defaultModelSpec('cnn'), training: defaultTrainingSpec(), augment: parseAugmentList('flip,rotate=10'),
};

describe('parseFromAugmentPreviewView', () => {
  test('accepts the page\'s messages and strengths in range', () => {
    for (const type of ['ready', 'reroll', 'otherImages', 'copyFlag', 'startTraining', 'backToWizard'] as const) {
      assert.deepEqual(parseFromAugmentPreviewView({ type, more: true }), { type });
    }
    const augment = { flip: true, rotateDegrees: 180, cropPadding: 64, brightness: 1, contrast: 0, saturation: 0.35 };
    assert.deepEqual(parseFromAugmentPreviewView({ type: 'setAugment', augment: { ...augment, extra: 1 } }), { type: 'setAugment', augment });
  });

  test('rejects strengths a run spec would refuse', () => {
    const ok = noAugmentation();
    for (const bad of [
      { ...ok, rotateDegrees: 181 }, { ...ok, rotateDegrees: -1 }, { ...ok, cropPadding: 2.5 }, { ...ok, cropPadding: 65 },
      { ...ok, brightness: 1.01 }, { ...ok, contrast: NaN }, { ...ok, saturation: '0.2' }, { ...ok, flip: 'yes' }, { flip: true },
    ]) {
      assert.equal(parseAugmentSpec(bad), undefined, JSON.stringify(bad));
      assert.equal(parseFromAugmentPreviewView({ type: 'setAugment', augment: bad }), undefined);
    }
    assert.equal(parseFromAugmentPreviewView({ type: 'train' }), undefined);
  });
});

describe('parseAugmentPreviewState', () => {
  test('restores a valid spec and refuses one the engine would refuse', () => {
    assert.deepEqual(parseAugmentPreviewState({ spec }), { spec });
    assert.equal(parseAugmentPreviewState({ spec: { ...spec, training: { ...spec.training, batchSize: 0 } } }), undefined);
    assert.equal(parseAugmentPreviewState({ spec: { ...spec, augment: undefined } }), undefined);
    assert.equal(parseAugmentPreviewState({}), undefined);
    assert.equal(parseAugmentPreviewState(null), undefined);
  });
});

describe('otherExamples', () => {
  test('draws distinct examples in range, sorted; all of them when there are few', () => {
    let state = 1;
    const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
    const drawn = otherExamples(1000, 16, random);
    assert.equal(drawn.length, 16);
    assert.equal(new Set(drawn).size, 16);
    assert.ok(drawn.every((e, k) => e >= 0 && e < 1000 && (k === 0 || e > drawn[k - 1])));
    assert.deepEqual(otherExamples(5, 16), [0, 1, 2, 3, 4]);
  });
});
