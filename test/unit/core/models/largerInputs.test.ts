// Every model kind on photo-sized inputs (--image-size 64, 96, 128): it builds with its default options at
// about the cost of 32 px images, saves and loads to the same predictions, and learns at 64x64.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { effectivePatchSize } from '../../../../src/core/models/createAttention';
import { cnnStride } from '../../../../src/core/models/createCnn';
import { createModel } from '../../../../src/core/models/createModel';
import { rowsPerStep } from '../../../../src/core/models/createRnn';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { loadModelFromDir, saveModelToDir } from '../../../../src/core/models/modelFiles';
import type { ImageShape, ModelSpec } from '../../../../src/core/runSpec';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { probeBatch } from './probeBatch';
import { brightQuadrantImages } from './syntheticImages';
import { trainAndScore } from './trainBriefly';

const SIZES = [64, 96, 128] as const;

/**
 * Multiply-accumulates of one forward pass over one image: each weight matrix once per output position
 * (convolutions, dense layers on tokens), a recurrent layer's once per time step. Attention's own products
 * are counted too (tokens^2 x width, twice).
 */
function forwardMacs(model: tfl.LayersModel): number {
  let macs = 0;
  for (const layer of model.layers) {
    const matrices = layer.getWeights().filter((w) => w.rank >= 2).reduce((sum, w) => sum + w.size, 0);
    const className = layer.getClassName();
    if (className === 'LSTM' || className === 'GRU') {
      const shapes = layer.inboundNodes[0].inputShapes as (number | null)[] | (number | null)[][];
      const sequence = (Array.isArray(shapes[0]) ? shapes[0] : shapes) as number[]; // [batch, steps, values]
      macs += matrices * sequence[1];
    } else if (className === 'MultiHeadSelfAttention') {
      const [, tokens, width] = layer.outputShape as number[];
      macs += matrices * tokens + 2 * tokens * tokens * width;
    } else {
      const out = (layer.outputShape as number[]).slice(1, -1).reduce((a, b) => a * b, 1);
      macs += matrices * out;
    }
  }
  return macs;
}

describe('models on larger images', () => {
  let dir = '';
  before(async () => {
    await initBackend('wasm');
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  test('each model reduces larger images by about side / 32 first: CNN stride, RNN row bands, attention patches', () => {
    assert.deepEqual([32, 64, 96, 128].map((s) => cnnStride(s, 3)), [1, 2, 3, 4]);
    // A deep stack that a stride-4 stem would leave without pixels gets a smaller stride.
    assert.equal(cnnStride(48, 4), 1);
    assert.deepEqual([32, 64, 96, 128].map(rowsPerStep), [1, 2, 3, 4]);
    assert.deepEqual([32, 64, 96, 128].map((s) => effectivePatchSize(4, s)), [4, 8, 12, 16]);
    // Patches never outgrow the image.
    assert.equal(effectivePatchSize(40, 64), 40);
    // Rows left over after the last whole band are left out: 100 rows are 33 bands of 3.
    const odd = createModel({ kind: 'rnn', options: { cell: 'gru', units: [4], dropout: 0 } }, [100, 20, 1], 2);
    assert.deepEqual(odd.getLayer('rows').outputShape, [null, 33, 60]);
    assert.equal(tf.tidy(() => (odd.predict(tf.ones([1, 100, 20, 1])) as tf.Tensor).shape[1]), 2);
    odd.dispose();

    const shapeOf = (spec: ModelSpec, size: number, layer: string) => {
      const model = createModel(spec, [size, size, 3], 10);
      try { return model.getLayer(layer).outputShape; } finally { model.dispose(); }
    };
    for (const size of SIZES) {
      // The CNN's dense head sees a few pixels square (4x4 or 5x5, as at 32 px), not 28x28 at 128 px.
      const [, fh, fw] = shapeOf(defaultModelSpec('cnn'), size, 'conv3') as number[];
      assert.ok(fh <= 5 && fw <= 5, `CNN final map at ${size} px is ${fh}x${fw}`);
      // The RNN reads about 32 steps, each a band of whole rows: every pixel is read.
      const [, steps, values] = shapeOf(defaultModelSpec('rnn'), size, 'rows') as number[];
      assert.equal(steps, 32);
      assert.equal(steps * values, size * size * 3);
      // The transformer sees 64 tokens, as with 4 px patches on 32 px images.
      assert.deepEqual(shapeOf(defaultModelSpec('attention'), size, 'patches'), [null, 64, 64]);
      assert.deepEqual(shapeOf(defaultModelSpec('resnet'), size, 'stem_conv'), [null, 32, 32, 16]);
    }
  });

  // The RNN reads every pixel, so its input products grow with them; its sequential steps do not.
  const workLimit = { cnn: 2, rnn: 8, attention: 2, resnet: 2 } as const;
  for (const kind of ['cnn', 'rnn', 'attention', 'resnet'] as const) {
    test(`${kind}: builds at 64, 96 and 128 px for at most ${workLimit[kind]}x the work of 32 px, and loads back to the same predictions`, async () => {
      const base = createModel(defaultModelSpec(kind), [32, 32, 3], 10);
      const baseMacs = forwardMacs(base);
      base.dispose();
      for (const size of SIZES) {
        const shape: ImageShape = [size, size, 3];
        const model = createModel(defaultModelSpec(kind), shape, 10);
        const macs = forwardMacs(model);
        assert.ok(macs <= workLimit[kind] * baseMacs, `${kind} at ${size} px: ${macs} multiply-adds per image vs ${baseMacs} at 32 px`);
        const folder = `${dir}/${kind}-${size}`;
        await saveModelToDir(model, folder);
        const loaded = await loadModelFromDir(folder);
        const predict = (m: tfl.LayersModel) => tf.tidy(() => (m.predict(probeBatch(shape)) as tf.Tensor).arraySync() as number[][]);
        const expected = predict(model);
        for (const row of expected) assert.ok(Math.abs(row.reduce((a, b) => a + b) - 1) < 1e-5);
        assert.deepEqual(predict(loaded), expected);
        model.dispose();
        loaded.dispose();
      }
    });
  }

  // Small widths keep each of these to seconds; the downsampling is the default's. The recurrent and
  // attention models read grey images, as their 32 px tests do (fewer values per step or patch).
  const learners: Record<ModelSpec['kind'], { spec: ModelSpec; channels: number; count: number; epochs: number; learningRate: number; atLeast: number }> = {
    cnn: { spec: { kind: 'cnn', options: { filters: [8, 16], denseUnits: 16, dropout: 0 } }, channels: 3, count: 256, epochs: 6, learningRate: 0.01, atLeast: 0.8 },
    rnn: { spec: { kind: 'rnn', options: { cell: 'gru', units: [16], dropout: 0 } }, channels: 1, count: 256, epochs: 8, learningRate: 0.01, atLeast: 0.8 },
    attention: { spec: { kind: 'attention', options: { patchSize: 4, embedDim: 16, depth: 1, heads: 2, mlpDim: 32, dropout: 0 } }, channels: 1, count: 512, epochs: 12, learningRate: 0.001, atLeast: 0.6 },
    resnet: { spec: { kind: 'resnet', options: { stemWidth: 8, widths: [8, 16], blocks: [1, 1], headScale: 0.125, bnMomentum: 0.9 } }, channels: 3, count: 256, epochs: 6, learningRate: 0.01, atLeast: 0.8 },
  };
  for (const [kind, { spec, channels, count, epochs, learningRate, atLeast }] of Object.entries(learners)) {
    test(`${kind}: learns which quadrant of a 64x64 image is bright`, async () => {
      const train = brightQuadrantImages(count, 64, channels, `${kind}-64-train`);
      const heldOut = brightQuadrantImages(200, 64, channels, `${kind}-64-test`);
      const model = createModel(spec, train.shape, train.classes);
      const accuracy = await trainAndScore(model, train, heldOut, { epochs, learningRate });
      assert.ok(accuracy > atLeast, `held-out accuracy ${accuracy} (chance is 0.25)`);
      model.dispose();
    });
  }
});
