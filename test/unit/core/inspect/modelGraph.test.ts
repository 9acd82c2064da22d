import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { layerKindOf, ModelGraphError, parseModelGraph, type ModelGraph } from '../../../../src/core/inspect/modelGraph';
import { readModelGraph } from '../../../../src/core/inspect/readModelGraph';
import { readLayerWeightStatistics, summarizeValues } from '../../../../src/core/inspect/weightStatistics';
import { createModel } from '../../../../src/core/models/createModel';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { saveModelToDir } from '../../../../src/core/models/modelFiles';
import type { ModelKind, ModelSpec } from '../../../../src/core/runSpec';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';

/** Saves a model the way the trainer does and reads its graph back from model.json alone. */
async function savedGraph(model: tfl.LayersModel, dir: string): Promise<ModelGraph> {
  await saveModelToDir(model, dir);
  const graph = await readModelGraph(dir);
  assert.ok(graph, 'model.json was written');
  return graph;
}

describe('parseModelGraph (model.json without TensorFlow.js)', () => {
  let dir: string;
  before(async () => {
    await initBackend('wasm');
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  const specs: Record<ModelKind, ModelSpec> = {
    cnn: defaultModelSpec('cnn'),
    rnn: { kind: 'rnn', options: { cell: 'gru', units: [24, 16], dropout: 0.2 } },
    attention: defaultModelSpec('attention'),
    resnet: { kind: 'resnet', options: { stemWidth: 8, widths: [8, 16], blocks: [1, 1], headScale: 0.125, bnMomentum: 0.9 } },
  };

  for (const kind of ['cnn', 'rnn', 'attention', 'resnet'] as const) {
    test(`agrees with the live ${kind} model on every layer's shape, parameters and inputs`, async () => {
      const model = createModel(specs[kind], [28, 28, 1], 10);
      const graph = await savedGraph(model, join(dir, kind));
      assert.deepEqual(
        graph.layers.map((l) => [l.name, l.className, l.outputShape, l.parameterCount, l.inputs]),
        // The live model's own account of each layer, in its topological order.
        model.layers.map((l) => [l.name, l.getClassName(), l.outputShape, l.countParams(), [...new Set(l.inboundNodes.flatMap((node) => node.inboundLayers.map((inbound) => inbound.name)))]]),
      );
      assert.equal(graph.totalParameters, model.countParams());
      assert.equal(graph.trainableParameters, model.countParams());
      assert.deepEqual(graph.inputs, ['image']);
      assert.deepEqual(graph.outputs, ['probabilities']);
      model.dispose();
    });
  }

  test('reads the default CNN layer by layer: shapes, parameters and inputs', async () => {
    const model = createModel(defaultModelSpec('cnn'), [32, 32, 3], 10);
    const graph = await savedGraph(model, join(dir, 'cnn-32'));
    assert.deepEqual(graph.layers.map((l) => [l.name, l.className, l.outputShape, l.parameterCount, l.inputs]), [
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
    assert.equal(graph.totalParameters, 122_570);
    model.dispose();
  });

  test('gives the attention model its residual edges, labelled with tensor shapes, and kinds for its custom layers', async () => {
    const model = createModel(defaultModelSpec('attention'), [32, 32, 3], 10);
    const graph = await savedGraph(model, join(dir, 'attention-32'));
    const into = graph.edges.filter((e) => e.to === 'block1_residual1');
    assert.deepEqual(into.map((e) => e.from).sort(), ['block1_attention_dropout', 'embedding_dropout']);
    assert.deepEqual(into[0].shape, [null, 64, 64]);
    const kinds = new Map(graph.layers.map((l) => [l.name, l.kind]));
    assert.equal(kinds.get('block1_attention'), 'attention');
    assert.equal(kinds.get('block1_norm1'), 'normalisation');
    assert.equal(kinds.get('position_embedding'), 'embedding');
    assert.equal(kinds.get('patch_embedding'), 'convolution');
    assert.equal(kinds.get('mean_over_patches'), 'pooling');
    assert.equal(kinds.get('block1_residual1'), 'merge');
    assert.equal(kinds.get('block1_mlp1'), 'dense');
    // One edge per connection: 26 layers, a chain plus two residual inputs per block.
    assert.equal(graph.edges.length, graph.layers.reduce((n, l) => n + l.inputs.length, 0));
    const attention = graph.layers.find((l) => l.name === 'block1_attention');
    assert.equal(attention?.config.heads, 4);
    assert.deepEqual(attention?.weights.map((w) => w.name), [
      'block1_attention/qkv_kernel', 'block1_attention/qkv_bias', 'block1_attention/output_kernel', 'block1_attention/output_bias',
    ]);
    model.dispose();
  });

  test('reads an RNN with LSTM layers that return sequences, and counts frozen layers as not trainable', async () => {
    const model = createModel({ kind: 'rnn', options: { cell: 'lstm', units: [8, 6], dropout: 0 } }, [12, 10, 1], 3);
    model.getLayer('lstm1').trainable = false;
    const graph = await savedGraph(model, join(dir, 'rnn-frozen'));
    const byName = new Map(graph.layers.map((l) => [l.name, l]));
    assert.deepEqual(byName.get('rows')?.outputShape, [null, 12, 10]);
    assert.deepEqual(byName.get('lstm1')?.outputShape, [null, 12, 8]);
    assert.deepEqual(byName.get('lstm2')?.outputShape, [null, 6]);
    assert.equal(byName.get('lstm1')?.kind, 'recurrent');
    const frozen = 4 * 8 * (10 + 8 + 1);
    assert.equal(byName.get('lstm1')?.parameterCount, frozen);
    assert.equal(graph.trainableParameters, graph.totalParameters - frozen);
    model.dispose();
  });

  test('reads a Sequential model with an implicit input, and a checkpoint with optimizer weights', async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.conv2d({ inputShape: [9, 9, 2], filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'c' }),
        tfl.layers.batchNormalization({ name: 'bn' }),
        tfl.layers.activation({ activation: 'relu', name: 'act' }),
        tfl.layers.globalAveragePooling2d({ name: 'gap' }),
        tfl.layers.dense({ units: 3, name: 'out' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    await model.fit(tf.ones([2, 9, 9, 2]), tf.ones([2, 3]), { epochs: 1, verbose: 0 });
    await saveModelToDir(model, join(dir, 'sequential'), { includeOptimizer: true });
    const graph = await readModelGraph(join(dir, 'sequential'));
    assert.ok(graph);
    assert.deepEqual(graph.layers.map((l) => [l.name, l.kind, l.outputShape, l.parameterCount]), [
      ['c_input', 'input', [null, 9, 9, 2], 0],
      ['c', 'convolution', [null, 5, 5, 4], 3 * 3 * 2 * 4 + 4],
      ['bn', 'normalisation', [null, 5, 5, 4], 4 * 4],
      ['act', 'activation', [null, 5, 5, 4], 0],
      ['gap', 'pooling', [null, 4], 0],
      ['out', 'dense', [null, 3], 4 * 3 + 3],
    ]);
    // Optimizer slots in the manifest are not parameters.
    assert.equal(graph.totalParameters, model.countParams());
    // Batch-norm moving statistics are not trainable but are the layer's parameters.
    assert.equal(graph.layers[2].weights.length, 4);
    model.dispose();
  });

  test('refuses files that are not layers models, naming the problem', () => {
    assert.throws(() => parseModelGraph([]), ModelGraphError);
    assert.throws(() => parseModelGraph({ modelTopology: { node: [] } }), /not a layers model/);
    assert.throws(() => parseModelGraph({ modelTopology: { class_name: 'Model', config: {} } }), /no list of layers/);
    assert.throws(
      () => parseModelGraph({ modelTopology: { class_name: 'Model', config: { layers: [{ name: 'a', class_name: 'Dense', config: {}, inbound_nodes: [[['ghost', 0, 0, {}]]] }] } } }),
      /fed by ghost/,
    );
    const cycle = {
      modelTopology: {
        class_name: 'Model', config: {
          layers: [
            { name: 'a', class_name: 'Add', config: {}, inbound_nodes: [[['b', 0, 0, {}]]] },
            { name: 'b', class_name: 'Add', config: {}, inbound_nodes: [[['a', 0, 0, {}]]] },
          ],
        },
      },
    };
    assert.throws(() => parseModelGraph(cycle), /cycle/);
  });

  test('reports a run without a saved model as no graph, not an error', async () => {
    assert.equal(await readModelGraph(join(dir, 'nothing-here')), undefined);
  });

  test('classifies layer classes it has never seen as other, and common Keras ones by what they do', () => {
    assert.equal(layerKindOf('MyFancyLayer'), 'other');
    assert.equal(layerKindOf('DepthwiseConv2D'), 'convolution');
    assert.equal(layerKindOf('ConvLSTM2D'), 'recurrent');
    assert.equal(layerKindOf('GlobalAveragePooling1D'), 'pooling');
    assert.equal(layerKindOf('Average'), 'merge');
    assert.equal(layerKindOf('LayerNormalization'), 'normalisation');
    assert.equal(layerKindOf('SpatialDropout2D'), 'dropout');
    assert.equal(layerKindOf('Flatten'), 'reshape');
  });
});

describe('weight statistics from weights.bin', () => {
  let dir: string;
  before(async () => {
    await initBackend('wasm');
    dir = makeTempDir();
  });
  after(() => removeTempDir(dir));

  test('finds the NaN, infinite and zero weights a model holds, with min/max/mean over the finite ones', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 3, name: 'first' }), tfl.layers.dense({ units: 2, name: 'second' })] });
    // first/kernel [2, 3]: one NaN, one +Inf, one zero; first/bias [3].
    model.getLayer('first').setWeights([tf.tensor2d([[1, NaN, 3], [Infinity, 0, -2]]), tf.tensor1d([0.5, 0.5, 0.5])]);
    await saveModelToDir(model, join(dir, 'weights'));
    const stats = await readLayerWeightStatistics(join(dir, 'weights'), 'first');
    assert.equal(stats.layer, 'first');
    assert.deepEqual(stats.weights.map((w) => w.name), ['first/kernel', 'first/bias']);
    const kernel = stats.weights[0];
    assert.deepEqual(kernel.shape, [2, 3]);
    assert.equal(kernel.count, 6);
    assert.equal(kernel.nan, 1);
    assert.equal(kernel.infinite, 1);
    assert.equal(kernel.zeros, 1);
    assert.equal(kernel.min, -2);
    assert.equal(kernel.max, 3);
    assert.equal(kernel.mean, (1 + 3 + 0 - 2) / 4);
    assert.equal(kernel.histogram.reduce((a, b) => a + b, 0), 4);
    const bias = stats.weights[1];
    assert.equal(bias.std, 0);
    assert.equal(bias.histogram[0], 3);
    // The second layer's weights are read from the right offset (after the first layer's 9 values).
    const second = await readLayerWeightStatistics(join(dir, 'weights'), 'second');
    const expected = model.getLayer('second').getWeights()[0].dataSync();
    assert.equal(second.weights[0].min, Math.min(...expected));
    assert.equal(second.weights[0].max, Math.max(...expected));
    model.dispose();
  });

  test('says when weights.bin is shorter than the manifest describes', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 4, name: 'only' })] });
    await saveModelToDir(model, join(dir, 'short'));
    await fs.truncate(join(dir, 'short', 'weights.bin'), 10);
    await assert.rejects(readLayerWeightStatistics(join(dir, 'short'), 'only'), /shorter than model.json describes/);
    model.dispose();
  });

  test('summarizeValues bins finite values between min and max', () => {
    const summary = summarizeValues(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 5);
    assert.deepEqual(summary.histogram, [2, 2, 2, 2, 2]);
    assert.equal(summary.mean, 4.5);
    assert.equal(summarizeValues(new Float32Array([NaN])).min, undefined);
  });
});
