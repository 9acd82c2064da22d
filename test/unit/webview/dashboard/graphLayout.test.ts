import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { parseModelGraph, type ModelGraph } from '../../../../src/core/inspect/modelGraph';
import { createModel } from '../../../../src/core/models/createModel';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { layoutModelGraph, nodeLines, toElkGraph, type GraphDrawing } from '../../../../webview/dashboard/graphLayout';

/** The model.json topology tfjs writes, without touching the disk. */
async function graphOf(model: tfl.LayersModel): Promise<ModelGraph> {
  let json: unknown;
  await model.save({
    save: async (artifacts) => {
      json = { modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  return parseModelGraph(json);
}

function overlaps(a: GraphDrawing['nodes'][number], b: GraphDrawing['nodes'][number]): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('architecture diagram layout (ELK, top-down)', () => {
  const elk = new ELK();
  const engine = (graph: Parameters<typeof elk.layout>[0]) => elk.layout(graph);
  let attention: ModelGraph;
  let cnn: ModelGraph;

  before(async () => {
    await initBackend('wasm');
    attention = await graphOf(createModel(defaultModelSpec('attention'), [32, 32, 3], 10));
    cnn = await graphOf(createModel(defaultModelSpec('cnn'), [32, 32, 3], 10));
  });

  test('places every layer once, without overlaps, inside the drawing', async () => {
    const drawing = await layoutModelGraph(attention, engine);
    assert.deepEqual(drawing.nodes.map((n) => n.layer.name).sort(), attention.layers.map((l) => l.name).sort());
    for (const [i, a] of drawing.nodes.entries()) {
      assert.ok(a.width > 0 && a.height > 0);
      assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= drawing.width && a.y + a.height <= drawing.height, `${a.layer.name} is inside`);
      for (const b of drawing.nodes.slice(i + 1)) assert.ok(!overlaps(a, b), `${a.layer.name} and ${b.layer.name} do not overlap`);
    }
  });

  test('flows top-down: every edge leaves its source below and enters its target from above', async () => {
    const drawing = await layoutModelGraph(attention, engine);
    const byName = new Map(drawing.nodes.map((n) => [n.layer.name, n]));
    assert.equal(drawing.edges.length, attention.edges.length);
    for (const edge of drawing.edges) {
      const from = byName.get(edge.from);
      const to = byName.get(edge.to);
      assert.ok(from && to);
      assert.ok(from.y + from.height <= to.y, `${edge.from} is above ${edge.to}`);
      const first = edge.points[0];
      const last = edge.points[edge.points.length - 1];
      assert.ok(Math.abs(first.y - (from.y + from.height)) < 1, 'starts at the source\'s bottom');
      assert.ok(Math.abs(last.y - to.y) < 1, 'ends at the target\'s top');
    }
  });

  test('routes a residual connection around the block it skips', async () => {
    const drawing = await layoutModelGraph(attention, engine);
    const skip = drawing.edges.find((e) => e.from === 'embedding_dropout' && e.to === 'block1_residual1');
    assert.ok(skip);
    assert.ok(skip.points.length > 2, 'the skip edge bends around the attention branch');
    const straight = drawing.edges.find((e) => e.from === 'block1_attention_dropout' && e.to === 'block1_residual1');
    assert.ok(straight);
    const xs = (e: typeof skip) => e.points.map((p) => p.x);
    assert.notDeepEqual(xs(skip), xs(straight), 'the two inputs of the add arrive apart');
  });

  test('labels edges with tensor shapes and nodes with class, shape and parameters', async () => {
    const drawing = await layoutModelGraph(cnn, engine);
    const conv1 = drawing.edges.find((e) => e.from === 'conv1');
    assert.equal(conv1?.label?.text, '30×30×32');
    const node = drawing.nodes.find((n) => n.layer.name === 'conv2');
    assert.deepEqual(node?.lines, ['conv2', 'Conv2D', '13×13×64 · 18,496 params']);
    assert.deepEqual(nodeLines(cnn.layers[0]), ['image', 'InputLayer', '32×32×3 · no params']);
  });

  test('sizes nodes to their longest line', () => {
    const input = toElkGraph(cnn, (text) => text.length * 10);
    const widths = new Map(input.children?.map((c) => [c.id, c.width]));
    assert.equal(widths.get('conv2'), '13×13×64 · 18,496 params'.length * 10 + 20);
  });
});
