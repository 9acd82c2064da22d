import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { summarizeModel } from '../../../../src/core/inspect/summarizeModel';
import { createModel } from '../../../../src/core/models/createModel';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';

describe('summarizeModel', () => {
  before(async () => {
    await initBackend('wasm');
  });

  test('lists the default CNN layer by layer with shapes, parameters and inputs', () => {
    const model = createModel(defaultModelSpec('cnn'), [32, 32, 3], 10);
    const summary = summarizeModel(model);
    assert.deepEqual(summary.map((l) => [l.name, l.className, l.outputShape, l.parameterCount, l.inputs]), [
      ['image', 'InputLayer', [null, 32, 32, 3], 0, []],
      ['conv1', 'Conv2D', [null, 30, 30, 32], 896, ['image']],
      ['pool1', 'MaxPooling2D', [null, 15, 15, 32], 0, ['conv1']],
      ['conv2', 'Conv2D', [null, 13, 13, 64], 18_496, ['pool1']],
      ['pool2', 'MaxPooling2D', [null, 6, 6, 64], 0, ['conv2']],
      ['conv3', 'Conv2D', [null, 4, 4, 64], 36_928, ['pool2']],
      ['flatten', 'Flatten', [null, 1024], 0, ['conv3']],
      ['dense', 'Dense', [null, 64], 65_600, ['flatten']],
      ['probabilities', 'Dense', [null, 10], 650, ['dense']],
    ]);
    model.dispose();
  });

  test('shows the attention model\'s residual branches and custom layers, and adds up to the model\'s parameters', () => {
    const model = createModel(defaultModelSpec('attention'), [32, 32, 3], 10);
    const summary = summarizeModel(model);
    const byName = new Map(summary.map((l) => [l.name, l]));
    assert.deepEqual(byName.get('block1_residual1')?.inputs.length, 2);
    assert.equal(byName.get('block1_attention')?.className, 'MultiHeadSelfAttention');
    assert.equal(byName.get('final_norm')?.className, 'LayerNorm');
    assert.equal(byName.get('position_embedding')?.parameterCount, 64 * 64);
    assert.equal(summary.reduce((sum, l) => sum + l.parameterCount, 0), model.countParams());
    // Every input names a layer listed before it: the list is in topological order.
    const seen = new Set<string>();
    for (const layer of summary) {
      for (const input of layer.inputs) assert.ok(seen.has(input), `${layer.name} reads ${input} before it is listed`);
      seen.add(layer.name);
    }
    // Plain data: survives JSON unchanged (it is posted to the webview).
    assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
    model.dispose();
  });

  test('includes the implicit input layer of a Sequential model', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4], name: 'hidden' }), tfl.layers.dense({ units: 2, name: 'out' })] });
    const summary = summarizeModel(model);
    assert.deepEqual(summary.map((l) => l.className), ['InputLayer', 'Dense', 'Dense']);
    assert.deepEqual(summary[1].inputs, [summary[0].name]);
    assert.deepEqual(summary[2], { name: 'out', className: 'Dense', outputShape: [null, 2], parameterCount: 8, inputs: ['hidden'] });
    model.dispose();
  });
});
