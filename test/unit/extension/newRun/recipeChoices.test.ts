// The recipe side of New Training Run as plain data: which finished runs a dataset can be fine-tuned
// from (and why not), how presets and source runs are described, the answers' checks, and a preset
// saved from a run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtInPresets } from '../../../../src/core/presets/runPreset';
import type { RunRecord } from '../../../../src/core/runs/runRecord';
import {
  expectationFromRun, expectationText, fineTuneCompatibility, parseFreezeEpochs, parseWeightDecay, presetItem, presetNameFromRun,
  presetNameProblem, sourceRunItem,
} from '../../../../src/extension/newRun/recipeChoices';
import { testRecord } from '../views/runTestRecords';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

function finishedRun(overrides: Partial<RunRecord> = {}, shape: [number, number, number] = [28, 28, 1], classes = DIGITS): RunRecord {
  return testRecord('20260101-100000-cnn-abcd', {
    name: 'cnn-mnist-digits-1',
    dataset: { format: 'folder', root: '/work/data/mnist-digits', classes, imageShape: shape, trainCount: 2700, valCount: 300, testCount: 500 },
    summary: { epochs: 3, bestEpoch: 3, bestValAcc: 0.9, testAcc: 0.912, durationMs: 95_000 },
    backend: 'wasm',
    ...overrides,
  });
}

describe('fine-tuning: which runs fit a dataset', () => {
  test('a folder dataset fits a square run of the same colours, resized to its side; the same classes keep the head', () => {
    const fits = fineTuneCompatibility(finishedRun(), { format: 'folder', imageShape: [64, 64, 1], classes: DIGITS });
    assert.deepEqual(fits, { ok: true, imageSize: 28, sameClasses: true });
    const other = fineTuneCompatibility(finishedRun(), { format: 'folder', imageShape: [64, 64, 1], classes: ['cat', 'dog'] });
    assert.deepEqual(other, { ok: true, imageSize: 28, sameClasses: false });
  });

  test('CIFAR and IDX images have one size: it must be the run\'s', () => {
    const cifarRun = finishedRun({}, [32, 32, 3], ['a', 'b']);
    assert.deepEqual(fineTuneCompatibility(cifarRun, { format: 'cifar10', imageShape: [32, 32, 3], classes: ['a', 'b'] }), { ok: true, sameClasses: true });
    const idx = fineTuneCompatibility(finishedRun(), { format: 'idx', imageShape: [32, 32, 1], classes: DIGITS });
    assert.equal(idx.ok, false);
    assert.match(!idx.ok ? idx.reason : '', /learned 28x28 images and this dataset's are 32x32/);
  });

  test('colour against grey, an unfinished run and a non-square run for a folder are refused with the reason', () => {
    const grey = fineTuneCompatibility(finishedRun(), { format: 'folder', imageShape: [32, 32, 3], classes: DIGITS });
    assert.match(!grey.ok ? grey.reason : '', /learned grey images and this dataset's are 3-channel/);
    const failed = fineTuneCompatibility(finishedRun({ status: 'failed' }), { format: 'folder', imageShape: [28, 28, 1], classes: DIGITS });
    assert.match(!failed.ok ? failed.reason : '', /has not finished with a model/);
    const noEpoch = fineTuneCompatibility(finishedRun({ summary: { epochs: 3 } }), { format: 'folder', imageShape: [28, 28, 1], classes: DIGITS });
    assert.equal(noEpoch.ok, false);
    const wide = fineTuneCompatibility(finishedRun({}, [20, 40, 1]), { format: 'folder', imageShape: [28, 28, 1], classes: DIGITS });
    assert.match(!wide.ok ? wide.reason : '', /20x40 images; folder datasets are resized to squares/);
  });

  test('a source run reads as its model, shape and accuracy, and says whether its head is kept', () => {
    const item = sourceRunItem(finishedRun(), { ok: true, sameClasses: true });
    assert.equal(item.label, '$(history) cnn-mnist-digits-1');
    assert.equal(item.description, 'cnn · 28×28×1 · 91.2% test');
    assert.match(item.detail, /^mnist-digits, 10 classes: the same classes, so its classifier head is kept$/);
    assert.match(sourceRunItem(finishedRun(), { ok: true, sameClasses: false }).detail, /classifier head starts fresh/);
  });
});

describe('presets in the wizard', () => {
  test('the built-in CIFAR-10 recipe shows its expected accuracy and time', () => {
    const fast = builtInPresets().find((preset) => preset.name === 'cifar10-fast')!;
    const item = presetItem(fast);
    assert.equal(item.label, '$(beaker) cifar10-fast');
    assert.equal(item.description, 'built-in preset · resnet');
    assert.match(item.detail, /^Expected: 85% test accuracy in about 25 min on CIFAR-10/);
  });

  test('expectations read in minutes at a sensible precision', () => {
    const base = { dataset: 'D', basis: '' };
    assert.equal(expectationText({ ...base, accuracy: 0.711, minutes: 26.5 }), '71% test accuracy in about 27 min on D');
    assert.equal(expectationText({ ...base, accuracy: 0.996, minutes: 2.5 }), '99.6% test accuracy in about 2.5 min on D');
    assert.equal(expectationText({ ...base, accuracy: 0.5, minutes: 0.3 }), '50% test accuracy in about <1 min on D');
    assert.equal(expectationText(undefined), undefined);
  });

  test('a preset name is a file name and never a built-in one', () => {
    assert.equal(presetNameProblem('my-recipe_2.1', ['cifar10-fast']), undefined);
    assert.match(presetNameProblem('cifar10-fast', ['cifar10-fast']) ?? '', /is a built-in preset/);
    for (const bad of ['', '-lead', 'a/b', 'with space', 'x'.repeat(65)]) {
      assert.match(presetNameProblem(bad, []) ?? '', /Use letters, digits/, JSON.stringify(bad));
    }
  });

  test('a run saved as a preset expects what the run gave', () => {
    const expected = expectationFromRun(finishedRun());
    assert.deepEqual(expected && { ...expected, basis: undefined }, {
      dataset: 'mnist-digits (3,500 images, 28x28)', accuracy: 0.912, minutes: 1.6, basis: undefined,
    });
    assert.match(expected!.basis, /Run "cnn-mnist-digits-1" .* on wasm: test accuracy/);
    assert.equal(expectationFromRun(finishedRun({ status: 'cancelled' })), undefined);
    assert.equal(presetNameFromRun(finishedRun()), 'cnn-mnist-digits-1');
    assert.equal(presetNameFromRun(finishedRun({ name: '  my run: #2 ' })), 'my-run-2-');
    assert.equal(presetNameFromRun(finishedRun({ name: '***' })), 'my-preset');
  });
});

describe('recipe answers', () => {
  test('weight decay is from 0 (off) to below 1', () => {
    assert.deepEqual(parseWeightDecay(' 5e-4 '), { ok: true, value: 5e-4 });
    assert.deepEqual(parseWeightDecay('0'), { ok: true, value: 0 });
    for (const bad of ['', '1', '-0.1', 'lots']) assert.equal(parseWeightDecay(bad).ok, false, bad);
  });

  test('head-only epochs are whole and at most the run\'s epochs', () => {
    assert.deepEqual(parseFreezeEpochs('2', 5), { ok: true, value: 2 });
    assert.deepEqual(parseFreezeEpochs('5', 5), { ok: true, value: 5 });
    const tooMany = parseFreezeEpochs('6', 5);
    assert.equal(tooMany.ok, false);
    assert.match(!tooMany.ok ? tooMany.message : '', /from 0 to 5/);
    for (const bad of ['', '1.5', '-1']) assert.equal(parseFreezeEpochs(bad, 5).ok, false, bad);
  });
});
