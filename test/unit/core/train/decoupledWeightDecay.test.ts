import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { loadModelFromDir, saveModelToDir } from '../../../../src/core/models/modelFiles';
import { createOptimizer, learningRateOf, setLearningRate } from '../../../../src/core/train/createOptimizer';
import { AdamW, SGDW } from '../../../../src/core/train/decoupledWeightDecay';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

function near(actual: ArrayLike<number>, expected: number[], what: string, tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** One step of `optimizer` on loss = sum(g_k * w_k) over a kernel [2, 2] and a bias [2], so the gradients are exactly g. */
function stepWithGradients(optimizer: tf.Optimizer, kernel: tf.Variable, bias: tf.Variable, gKernel: number[], gBias: number[]): void {
  const loss = optimizer.minimize(
    () => tf.add(tf.sum(tf.mul(kernel, tf.tensor2d(gKernel, [2, 2]))), tf.sum(tf.mul(bias, tf.tensor1d(gBias)))) as tf.Scalar,
    true, [kernel, bias],
  );
  loss?.dispose();
}

describe('decoupled weight decay', () => {
  let dir = '';
  before(async () => {
    await initBackend('wasm');
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  test('AdamW: w <- w (1 - lr wd) - lr m^ / (sqrt(v^) + eps); biases are not decayed', () => {
    const [lr, wd] = [0.1, 0.5];
    const w0 = [1, -2, 3, 0.5];
    const b0 = [1, -1];
    const kernel = tf.variable(tf.tensor2d(w0, [2, 2]));
    const bias = tf.variable(tf.tensor1d(b0));
    const optimizer = new AdamW(lr, 0.9, 0.999, 1e-7, wd);
    const g = [0.2, -0.4, 0, 1];
    const gb = [0.3, -0.3];
    stepWithGradients(optimizer, kernel, bias, g, gb);
    // After one step the bias-corrected moments are g and g^2, so Adam's step is lr * g / (|g| + eps).
    const adam = (x: number) => (lr * x) / (Math.abs(x) + 1e-7);
    near(kernel.dataSync(), w0.map((w, i) => w * (1 - lr * wd) - adam(g[i])), 'kernel');
    near(bias.dataSync(), b0.map((b, i) => b - adam(gb[i])), 'bias');
    tf.dispose([kernel, bias]);
    optimizer.dispose();
  });

  test('SGDW with momentum: two steps by hand, plain and Nesterov', () => {
    const [lr, wd, m] = [0.1, 0.01, 0.9];
    const w0 = [1, -2, 3, 0.5];
    const g1 = [0.5, 1, -1, 2];
    const g2 = [1, -0.5, 0.25, 0];
    for (const nesterov of [false, true]) {
      const kernel = tf.variable(tf.tensor2d(w0, [2, 2]));
      const bias = tf.variable(tf.zeros([2]));
      const optimizer = new SGDW(lr, m, nesterov, wd);
      stepWithGradients(optimizer, kernel, bias, g1, [0, 0]);
      stepWithGradients(optimizer, kernel, bias, g2, [0, 0]);
      const expected = w0.map((w, i) => {
        const a1 = g1[i];
        const w1 = w * (1 - lr * wd) - lr * (nesterov ? g1[i] + m * a1 : a1);
        const a2 = m * a1 + g2[i];
        return w1 * (1 - lr * wd) - lr * (nesterov ? g2[i] + m * a2 : a2);
      });
      near(kernel.dataSync(), expected, `kernel (nesterov ${nesterov})`);
      tf.dispose([kernel, bias]);
      optimizer.dispose();
    }
  });

  test('createOptimizer: the seed\'s optimisers without decay, ours with it; Nesterov for sgd', () => {
    const base = defaultTrainingSpec();
    const build = (overrides: Partial<typeof base>) => createOptimizer({ ...base, ...overrides });
    assert.equal(build({}).getClassName(), 'Adam');
    assert.equal(build({ weightDecay: 0.05 }).getClassName(), 'AdamW');
    assert.equal(build({ optimizer: 'sgd' }).getClassName(), 'Momentum');
    assert.equal(build({ optimizer: 'sgd', momentum: 0 }).getClassName(), 'SGD');
    assert.equal(build({ optimizer: 'sgd', weightDecay: 5e-4 }).getClassName(), 'SGDW');
    assert.equal((build({ optimizer: 'sgd', nesterov: true }).getConfig() as { useNesterov: boolean }).useNesterov, true);
    assert.equal((build({ optimizer: 'sgd', nesterov: true, weightDecay: 5e-4 }).getConfig() as { useNesterov: boolean }).useNesterov, true);
  });

  test('setLearningRate changes the size of the next step of every optimiser', () => {
    for (const optimizer of [tf.train.sgd(1), tf.train.momentum(1, 0.9), tf.train.adam(1), tf.train.rmsprop(1), new AdamW(1, 0.9, 0.999, null, 0.1), new SGDW(1, 0.9, true, 0.1)]) {
      setLearningRate(optimizer, 0.001);
      assert.equal(learningRateOf(optimizer), 0.001, optimizer.getClassName());
      const kernel = tf.variable(tf.ones([2, 2]));
      const bias = tf.variable(tf.zeros([2]));
      stepWithGradients(optimizer, kernel, bias, [1, 1, 1, 1], [1, 1]);
      const moved = Math.abs(bias.dataSync()[0]);
      // Each of these moves a weight by at most a few times the rate in its first step.
      assert.ok(moved > 0 && moved < 0.02, `${optimizer.getClassName()} moved the bias by ${moved} at rate 0.001`);
      tf.dispose([kernel, bias]);
      optimizer.dispose();
    }
  });

  const saved: [string, () => tf.Optimizer][] = [
    ['SGDW', () => new SGDW(0.05, 0.9, true, 0.01)],
    ['AdamW', () => new AdamW(0.01, 0.9, 0.999, null, 0.05)],
  ];
  for (const [name, make] of saved) {
    test(`${name}: its configuration and state are saved with the model and training continues identically after loading`, async () => {
      const input = tfl.input({ shape: [4] });
      const output = tfl.layers.dense({ units: 3, activation: 'softmax' }).apply(input) as tfl.SymbolicTensor;
      const model = tfl.model({ inputs: input, outputs: output });
      model.compile({ optimizer: make(), loss: 'categoricalCrossentropy' });
      const x = tf.randomNormal([16, 4], 0, 1, 'float32', 3);
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 3), 'int32'), 3);
      const step = (m: tfl.LayersModel) => {
        const variables = m.trainableWeights.map((w) => w.read() as tf.Variable);
        m.optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, m.apply(x) as tf.Tensor) as tf.Scalar, false, variables);
      };
      for (let i = 0; i < 3; i++) step(model);
      const path = join(dir, model.optimizer.getClassName());
      await saveModelToDir(model, path, { includeOptimizer: true });
      const loaded = await loadModelFromDir(path);
      assert.equal(loaded.optimizer.getClassName(), model.optimizer.getClassName());
      assert.equal((loaded.optimizer.getConfig() as { weightDecay: number }).weightDecay, (model.optimizer.getConfig() as { weightDecay: number }).weightDecay);
      for (let i = 0; i < 3; i++) {
        step(model);
        step(loaded);
      }
      const a = model.getWeights().map((w) => Array.from(w.dataSync()));
      const b = loaded.getWeights().map((w) => Array.from(w.dataSync()));
      a.forEach((values, i) => near(b[i], values, `weight ${i}`, 1e-6));
      tf.dispose([x, y]);
      model.optimizer.dispose();
      loaded.optimizer.dispose();
      model.dispose();
      loaded.dispose();
    });
  }
});
