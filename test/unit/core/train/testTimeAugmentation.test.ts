import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { InMemorySource } from '../../../../src/core/data/inMemorySource';
import { createModel } from '../../../../src/core/models/createModel';
import type { ImageShape } from '../../../../src/core/runSpec';
import { predictProbabilities } from '../../../../src/core/train/testTimeAugmentation';
import { startReplicas } from '../../../../src/core/train/startReplicas';
import { evaluateModel } from '../../../../src/core/train/trainModel';

const SHAPE: ImageShape = [8, 8, 3];

/** Mirrors packed [n, h, w, c] pixels left to right, by index arithmetic. */
function mirror(pixels: Float32Array, [h, w, c]: ImageShape): Float32Array {
  const out = new Float32Array(pixels.length);
  const size = h * w * c;
  for (let i = 0; i < pixels.length / size; i++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < c; k++) out[i * size + (y * w + (w - 1 - x)) * c + k] = pixels[i * size + (y * w + x) * c + k];
      }
    }
  }
  return out;
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5, `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

describe('test-time augmentation', () => {
  before(async () => {
    await initBackend('wasm');
  });

  const model = () => createModel({ kind: 'cnn', options: { filters: [4], denseUnits: 8, dropout: 0 } }, SHAPE, 3);

  test('flip: the mean of the probabilities for each image and its mirror image; none: the plain prediction', () => {
    const m = model();
    const pixels = tf.randomUniform([5, ...SHAPE]).dataSync() as Float32Array;
    const x = tf.tensor4d(pixels, [5, ...SHAPE]);
    const mirrored = tf.tensor4d(mirror(pixels, SHAPE), [5, ...SHAPE]);
    const plain = (m.predict(x) as tf.Tensor).dataSync();
    const flipped = (m.predict(mirrored) as tf.Tensor).dataSync();
    assert.notDeepEqual(Array.from(plain), Array.from(flipped), 'the model is not symmetric to begin with');
    close(predictProbabilities(m, x, 'flip').dataSync(), Array.from(plain, (p, i) => (p + flipped[i]) / 2), 'flip');
    close(predictProbabilities(m, x, 'none').dataSync(), plain, 'none');
    close(predictProbabilities(m, x, undefined).dataSync(), plain, 'absent');
    // So with flip the answer no longer depends on which way the image faces.
    close(predictProbabilities(m, mirrored, 'flip').dataSync(), predictProbabilities(m, x, 'flip').dataSync(), 'mirrored input');
    m.dispose();
  });

  test('evaluation on one thread and on replica threads scores the averaged probabilities when the spec asks for flip', async () => {
    const m = model();
    const count = 40;
    const pixels = Uint8Array.from({ length: count * 8 * 8 * 3 }, (_, i) => (i * 97) % 256);
    const labels = Int32Array.from({ length: count }, (_, i) => i % 3);
    const source = InMemorySource.create({ pixels, labels, shape: SHAPE, sourceOf: (i) => `#${i}` });
    const x = tf.div(tf.tensor4d(Float32Array.from(pixels), [count, ...SHAPE]), 255) as tf.Tensor4D;
    const expectedPredicted = tf.argMax(predictProbabilities(m, x, 'flip'), -1).dataSync();
    const expectedAcc = Array.from(expectedPredicted).filter((p, i) => p === labels[i]).length / count;
    const training = { loss: 'crossentropy' as const, labelSmoothing: 0, testTimeAugmentation: 'flip' as const, batchSize: 64, seed: 1 };
    for (const threads of [1, 2]) {
      const replicas = await startReplicas({ model: m, imageShape: SHAPE, classCount: 3, training, threads, backend: 'wasm' });
      try {
        assert.equal(replicas.threads, threads);
        const evaluation = await evaluateModel((inputs, n) => replicas.predict(inputs, n), source, 3, training);
        assert.equal(evaluation.acc, expectedAcc, `${threads} thread(s)`);
        assert.deepEqual(evaluation.predictions.map((p) => p.predicted), Array.from(expectedPredicted), `${threads} thread(s)`);
      } finally {
        await replicas.dispose();
      }
    }
    m.dispose();
  });
});
