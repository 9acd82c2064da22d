import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { countParameters, createModel } from '../../../../src/core/models/createModel';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { MODEL_KINDS, type ImageShape, type ModelSpec } from '../../../../src/core/runSpec';

describe('createModel', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const kind of MODEL_KINDS) {
    for (const shape of [[32, 32, 3], [28, 28, 1]] as ImageShape[]) {
      test(`the default ${kind} builds for ${shape.join('x')} and outputs one probability distribution per image`, () => {
        const spec = defaultModelSpec(kind);
        assert.equal(spec.kind, kind);
        const model = createModel(spec, shape, 10);
        const probabilities = tf.tidy(() => model.predict(tf.randomUniform([3, ...shape])) as tf.Tensor);
        assert.deepEqual(probabilities.shape, [3, 10]);
        const rows = probabilities.arraySync() as number[][];
        for (const row of rows) {
          assert.ok(row.every((p) => p >= 0 && p <= 1));
          assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
        }
        probabilities.dispose();
        model.dispose();
      });
    }
  }

  test('counts every weight of the model', () => {
    const model = createModel(defaultModelSpec('cnn'), [32, 32, 3], 10);
    assert.equal(countParameters(model), 122_570);
    const byHand = model.getWeights().reduce((sum, w) => sum + w.size, 0);
    assert.equal(countParameters(model), byHand);
    model.dispose();
  });

  test('builds a fresh model every time (no shared weights)', () => {
    const a = createModel(defaultModelSpec('rnn'), [8, 8, 1], 2);
    const b = createModel(defaultModelSpec('rnn'), [8, 8, 1], 2);
    assert.notEqual(a.getWeights()[0], b.getWeights()[0]);
    assert.notDeepEqual(a.getWeights()[0].dataSync(), b.getWeights()[0].dataSync());
    a.dispose();
    b.dispose();
  });

  test('rejects an unknown kind from an untrusted spec', () => {
    const spec = { kind: 'mlp', options: {} } as unknown as ModelSpec;
    assert.throws(() => createModel(spec, [8, 8, 1], 2), /Unknown model kind "mlp": use one of cnn, rnn, attention/);
  });

  test('rejects a bad image shape or class count', () => {
    assert.throws(() => createModel(defaultModelSpec('cnn'), [32, 0, 3], 10), /image shape/);
    assert.throws(() => createModel(defaultModelSpec('attention'), [32, 32, 3], 1.5), /at least 2 classes/);
  });
});
