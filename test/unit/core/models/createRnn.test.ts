import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { createRnn } from '../../../../src/core/models/createRnn';
import type { RnnOptions } from '../../../../src/core/runSpec';
import { brightQuadrantImages } from './syntheticImages';
import { trainAndScore } from './trainBriefly';

describe('createRnn', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('reads image rows as a sequence: [h, w, c] becomes h steps of w * c values', () => {
    const model = createRnn({ cell: 'lstm', units: [12, 8], dropout: 0.2 }, [32, 32, 3], 10);
    const rows = model.getLayer('rows');
    assert.deepEqual(rows.outputShape, [null, 32, 96]);
    // All but the last recurrent layer pass on the whole sequence.
    assert.deepEqual(model.getLayer('lstm1').outputShape, [null, 32, 12]);
    assert.deepEqual(model.getLayer('lstm2').outputShape, [null, 8]);
    assert.deepEqual(model.layers.map((layer) => layer.getClassName()), ['InputLayer', 'Reshape', 'LSTM', 'LSTM', 'Dropout', 'Dense']);
    model.dispose();
  });

  test('builds a GRU stack when asked', () => {
    const model = createRnn({ cell: 'gru', units: [8], dropout: 0 }, [28, 28, 1], 10);
    assert.equal(model.getLayer('gru1').getClassName(), 'GRU');
    const sums = tf.tidy(() => tf.sum(model.predict(tf.ones([3, 28, 28, 1])) as tf.Tensor, -1).arraySync() as number[]);
    for (const sum of sums) assert.ok(Math.abs(sum - 1) < 1e-5);
    model.dispose();
  });

  test('rejects unusable options', () => {
    assert.throws(() => createRnn({ cell: 'lstm', units: [], dropout: 0 }, [8, 8, 1], 2), /at least one recurrent layer/);
    assert.throws(() => createRnn({ cell: 'rnn' as RnnOptions['cell'], units: [4], dropout: 0 }, [8, 8, 1], 2), /lstm or gru/);
    assert.throws(() => createRnn({ cell: 'gru', units: [4.5], dropout: 0 }, [8, 8, 1], 2), /units\[0\]/);
  });

  for (const cell of ['lstm', 'gru'] as const) {
    test(`an ${cell.toUpperCase()} learns which quadrant of an image is bright`, async () => {
      const train = brightQuadrantImages(256, 16, 1, `${cell}-train`);
      const test = brightQuadrantImages(200, 16, 1, `${cell}-test`);
      const model = createRnn({ cell, units: [16], dropout: 0 }, train.shape, train.classes);
      const accuracy = await trainAndScore(model, train, test, { epochs: 8, learningRate: 0.01 });
      assert.ok(accuracy > 0.8, `held-out accuracy ${accuracy} (chance is 0.25)`);
      model.dispose();
    });
  }
});
