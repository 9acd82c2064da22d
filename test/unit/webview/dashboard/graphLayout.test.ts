import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { parseModelGraph, type ModelGraph } from '../../../../src/core/inspect/modelGraph';
import { createModel } from '../../../../src/core/models/createModel';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import { groupLines, layoutGraph, layoutModelGraph, nodeLines, toElkGraph, ungrouped, type DrawnNode, type GraphDrawing } from '../../../../webview/dashboard/graphLayout';
import { defaultExpanded, groupLayers, visibleGraph } from '../../../../webview/dashboard/layerGroups';
import type { ModelSpec } from '../../../../src/core/runSpec';

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

function overlaps(a: DrawnNode, b: DrawnNode): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('architecture diagram layout (ELK, top-down)', () => {
  const elk = new ELK();
  const engine = (graph: Parameters<typeof elk.layout>[0]) => elk.layout(graph);
  let attention: ModelGraph;
  let cnn: ModelGraph;
  let resnet: ModelGraph;

  before(async () => {
    await initBackend('wasm');
    const deep: ModelSpec = { kind: 'resnet', options: { stemWidth: 8, widths: [8, 16, 32], blocks: [2, 1, 2], headScale: 0.125, bnMomentum: 0.9 } };
    resnet = await graphOf(createModel(deep, [32, 32, 3], 10));
    attention = await graphOf(createModel(defaultModelSpec('attention'), [32, 32, 3], 10));
    cnn = await graphOf(createModel(defaultModelSpec('cnn'), [32, 32, 3], 10));
  });

  test('places every layer once, without overlaps, inside the drawing', async () => {
    const drawing = await layoutModelGraph(attention, engine);
    assert.deepEqual(drawing.nodes.map((n) => n.id).sort(), attention.layers.map((l) => l.name).sort());
    for (const [i, a] of drawing.nodes.entries()) {
      assert.ok(a.width > 0 && a.height > 0);
      assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.width <= drawing.width && a.y + a.height <= drawing.height, `${a.id} is inside`);
      for (const b of drawing.nodes.slice(i + 1)) assert.ok(!overlaps(a, b), `${a.id} and ${b.id} do not overlap`);
    }
  });

  test('flows top-down: every edge leaves its source below and enters its target from above', async () => {
    const drawing = await layoutModelGraph(attention, engine);
    const byName = new Map(drawing.nodes.map((n) => [n.id, n]));
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
    const node = drawing.nodes.find((n) => n.id === 'conv2');
    assert.deepEqual(node?.lines, ['conv2', 'Conv2D', '13×13×64 · 18,496 params']);
    assert.deepEqual(nodeLines(cnn.layers[0]), ['image', 'InputLayer', '32×32×3 · no params']);
  });

  test('sizes nodes to their longest line', () => {
    const input = toElkGraph(ungrouped(cnn), (text) => text.length * 10);
    const widths = new Map(input.children?.map((c) => [c.id, c.width]));
    assert.equal(widths.get('conv2'), '13×13×64 · 18,496 params'.length * 10 + 20);
  });
  test('compact nodes are one row, name then class, and smaller than detailed ones', async () => {
    const compact = await layoutModelGraph(cnn, engine, undefined, { compact: true });
    const detailed = await layoutModelGraph(cnn, engine);
    const conv = (d: GraphDrawing) => d.nodes.find((n) => n.id === 'conv2')!;
    assert.ok(conv(compact).height < conv(detailed).height / 1.5);
    assert.ok(compact.height < detailed.height, 'the whole drawing is shorter');
    assert.equal(compact.compact, true);
  });

  test('nests members inside the frames of expanded groups, and draws collapsed groups as one box', async () => {
    const hierarchy = groupLayers(resnet);
    const expanded = defaultExpanded(hierarchy, 40);
    const drawing = await layoutGraph(visibleGraph(resnet, hierarchy, expanded), engine, undefined, { compact: true });
    const byId = new Map(drawing.nodes.map((n) => [n.id, n]));
    const inside = (inner: DrawnNode, outer: DrawnNode) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
    const frames = drawing.nodes.filter((n) => n.kind === 'expanded');
    assert.ok(frames.length > 0);
    for (const frame of frames) {
      if (frame.kind !== 'expanded') continue;
      for (const member of frame.group.members) {
        const node = byId.get(member);
        assert.ok(node, `${member} is drawn`);
        assert.ok(inside(node, frame), `${member} lies inside the frame of ${frame.group.label}`);
        assert.equal(node.depth, frame.depth + 1);
      }
    }
    const repeats = drawing.nodes.filter((n) => n.kind === 'collapsed' && n.group.kind === 'repeat');
    assert.deepEqual(repeats.map((n) => n.lines[0]).sort(), ['stage1_block1–2 ×2', 'stage3_block1–2 ×2']);
    // Boxes (not frames) never overlap, and every edge starts and ends on a drawn box.
    const boxes = drawing.nodes.filter((n) => n.kind !== 'expanded');
    for (const [i, a] of boxes.entries()) for (const b of boxes.slice(i + 1)) assert.ok(!overlaps(a, b), `${a.id} and ${b.id} do not overlap`);
    for (const edge of drawing.edges) {
      const from = byId.get(edge.from)!;
      const to = byId.get(edge.to)!;
      const first = edge.points[0];
      const last = edge.points[edge.points.length - 1];
      assert.ok(Math.abs(first.y - (from.y + from.height)) < 1 && Math.abs(last.y - to.y) < 1, `${edge.from} -> ${edge.to} runs from box to box`);
    }
    assert.ok(drawing.nodes.every((n) => n.x + n.width <= drawing.width && n.y + n.height <= drawing.height));
  });

  test('a group\'s lines say its name (with ×N for a repeat), what it holds and its size', () => {
    const hierarchy = groupLayers(resnet);
    const repeat = [...hierarchy.groups.values()].find((g) => g.label === 'stage1_block1–2')!;
    assert.deepEqual(groupLines(repeat), ['stage1_block1–2 ×2', '2 blocks of 7 layers · 2 skip connections', `16×16×8 · ${repeat.parameterCount.toLocaleString('en-US')} params`]);
  });
});
