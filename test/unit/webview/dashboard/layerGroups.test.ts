import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../../../src/core/backend/selectBackend';
import { parseModelGraph, type LayerNode, type ModelGraph } from '../../../../src/core/inspect/modelGraph';
import { createModel } from '../../../../src/core/models/createModel';
import { defaultModelSpec } from '../../../../src/core/models/defaultModelSpecs';
import type { ModelSpec } from '../../../../src/core/runSpec';
import {
  allGroups, boxCount, defaultExpanded, expandWithin, groupLayers, shownAs, visibleGraph, type LayerHierarchy,
} from '../../../../webview/dashboard/layerGroups';

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

/** A hand-made graph: each entry is `name <- input, input`. */
function handMade(spec: [string, string, string[]][]): ModelGraph {
  const layers: LayerNode[] = spec.map(([name, className, inputs]) => ({
    name, className, kind: 'other', parameterCount: 1, trainable: true, config: {}, inputs, weights: [],
  }));
  return {
    name: 'hand', layers, edges: layers.flatMap((layer) => layer.inputs.map((from) => ({ from, to: layer.name }))),
    inputs: [layers[0].name], outputs: [layers[layers.length - 1].name], totalParameters: layers.length, trainableParameters: layers.length,
  };
}

function labelsOf(hierarchy: LayerHierarchy, ids: readonly string[]): string[] {
  return ids.map((id) => hierarchy.groups.get(id)?.label ?? id);
}

function groupByLabel(hierarchy: LayerHierarchy, label: string) {
  const group = [...hierarchy.groups.values()].find((candidate) => candidate.label === label);
  assert.ok(group, `a group ${label} (groups: ${[...hierarchy.groups.values()].map((g) => g.label).join(', ')})`);
  return group;
}

describe('layer groups of the architecture diagram', () => {
  let resnet: ModelGraph;
  let deepResnet: ModelGraph;
  let transformer: ModelGraph;
  let cnn: ModelGraph;

  before(async () => {
    await initBackend('wasm');
    resnet = await graphOf(createModel(defaultModelSpec('resnet'), [32, 32, 3], 10));
    const deep: ModelSpec = { kind: 'resnet', options: { stemWidth: 8, widths: [8, 16, 32], blocks: [3, 1, 2], headScale: 0.125, bnMomentum: 0.9 } };
    deepResnet = await graphOf(createModel(deep, [32, 32, 3], 10));
    const attention = defaultModelSpec('attention');
    transformer = await graphOf(createModel({ ...attention, options: { ...attention.options, depth: 6, embedDim: 16, mlpDim: 32, heads: 2 } } as ModelSpec, [32, 32, 3], 10));
    cnn = await graphOf(createModel(defaultModelSpec('cnn'), [32, 32, 3], 10));
  });

  test('a residual net\'s stem and stages are blocks, each residual block nested in its stage', () => {
    const hierarchy = groupLayers(resnet);
    assert.deepEqual(labelsOf(hierarchy, hierarchy.roots), ['image', 'stem', 'stage1', 'stage2', 'stage3', 'global_max_pool', 'head_scale', 'probabilities']);
    const stage1 = groupByLabel(hierarchy, 'stage1');
    assert.deepEqual(labelsOf(hierarchy, stage1.members), ['stage1_conv', 'stage1_pool', 'stage1_norm', 'stage1_relu', 'stage1_block1']);
    const block = groupByLabel(hierarchy, 'stage1_block1');
    assert.equal(block.layers.length, 7);
    assert.equal(block.skipConnections, 1, 'the block\'s add is its skip connection');
    assert.equal(block.contents, 'Conv2D ×2, BatchNorm ×2, ReLU ×2, Add');
    assert.equal(block.parameterCount, resnet.layers.filter((l) => l.name.startsWith('stage1_block1_')).reduce((s, l) => s + l.parameterCount, 0));
    assert.deepEqual(block.outputShape, [null, 16, 16, 32]);
    assert.equal(groupByLabel(hierarchy, 'stage2').skipConnections, 0);
    // Every layer is under exactly one node of the top level.
    const covered = hierarchy.roots.flatMap((id) => hierarchy.groups.get(id)?.layers ?? [id]);
    assert.deepEqual([...covered].sort(), resnet.layers.map((l) => l.name).sort());
  });

  test('consecutive identical blocks become one repeat: six transformer blocks are "block1–6 ×6"', () => {
    const hierarchy = groupLayers(transformer);
    const repeat = groupByLabel(hierarchy, 'block1–6');
    assert.equal(repeat.kind, 'repeat');
    assert.equal(repeat.count, 6);
    assert.deepEqual(labelsOf(hierarchy, repeat.members), ['block1', 'block2', 'block3', 'block4', 'block5', 'block6']);
    assert.equal(repeat.layers.length, 6 * 9);
    assert.equal(repeat.skipConnections, 12);
    assert.match(repeat.contents, /^LayerNorm ×2, MultiHeadSelfAttention, Dropout ×2, Add ×2, Dense ×2$/);
    assert.ok(hierarchy.roots.includes(repeat.id), 'the repeat sits at the top level, between the embedding and the head');
    // Residual stages with a different number of blocks are not a repeat, but their blocks inside are.
    const deep = groupLayers(deepResnet);
    assert.equal(groupByLabel(deep, 'stage1_block1–3').count, 3);
    assert.equal(groupByLabel(deep, 'stage3_block1–2').count, 2);
    assert.ok(![...deep.groups.values()].some((g) => g.label.startsWith('stage1–')), 'stages 1-3 differ in their blocks');
  });

  test('the CNN has no groups: numbered layers are not blocks', () => {
    const hierarchy = groupLayers(cnn);
    assert.equal(hierarchy.groups.size, 0);
    assert.deepEqual(hierarchy.roots, cnn.layers.map((l) => l.name));
  });

  test('a shared prefix is not a group when collapsing it would make a cycle, or when names were merely numbered', () => {
    // a_x and a_y are not one piece: a_x -> mid -> a_y; collapsing {a_x, a_y} would loop through mid.
    const looped = groupLayers(handMade([['in', 'InputLayer', []], ['a_x', 'Dense', ['in']], ['mid', 'Dense', ['a_x']], ['a_y', 'Dense', ['mid']]]));
    assert.equal(looped.groups.size, 0);
    // TensorFlow.js and Keras number unnamed layers: dense_Dense1, dense_Dense2; conv2d_1, conv2d_2.
    const numbered = groupLayers(handMade([
      ['in', 'InputLayer', []], ['dense_Dense1', 'Dense', ['in']], ['dense_Dense2', 'Dense', ['dense_Dense1']],
      ['conv2d_1', 'Conv2D', ['dense_Dense2']], ['conv2d_2', 'Conv2D', ['conv2d_1']],
    ]));
    assert.equal(numbered.groups.size, 0);
    // Two pieces with one prefix are not one block.
    const apart = groupLayers(handMade([['in', 'InputLayer', []], ['b_x', 'Dense', ['in']], ['b_y', 'Dense', ['in']], ['out', 'Add', ['b_x', 'b_y']]]));
    assert.equal(apart.groups.size, 0);
  });

  test('blocks numbered out of sequence, or wired differently, are not a repeat', () => {
    const chain = (names: string[], odd?: string): [string, string, string[]][] => {
      const out: [string, string, string[]][] = [['in', 'InputLayer', []]];
      let previous = 'in';
      for (const name of names) {
        out.push([`${name}_a`, 'Dense', [previous]]);
        out.push([`${name}_b`, name === odd ? 'Conv2D' : 'Dense', [`${name}_a`]]);
        previous = `${name}_b`;
      }
      return out;
    };
    assert.equal(groupByLabel(groupLayers(handMade(chain(['block1', 'block2', 'block3']))), 'block1–3').count, 3);
    const gap = groupLayers(handMade(chain(['block1', 'block3'])));
    assert.ok(![...gap.groups.values()].some((g) => g.kind === 'repeat'));
    const differing = groupLayers(handMade(chain(['block1', 'block2', 'block3', 'block4'], 'block3')));
    assert.deepEqual([...differing.groups.values()].filter((g) => g.kind === 'repeat').map((g) => g.label), ['block1–2']);
  });

  test('a collapsed group stands for all its layers; edges between them vanish, edges to them arrive at the group', () => {
    const hierarchy = groupLayers(resnet);
    const stage1 = groupByLabel(hierarchy, 'stage1');
    const block = groupByLabel(hierarchy, 'stage1_block1');
    const closed = visibleGraph(resnet, hierarchy, new Set());
    assert.deepEqual(closed.nodes.map((n) => n.kind === 'layer' ? n.id : hierarchy.groups.get(n.id)?.label), hierarchy.roots.map((id) => hierarchy.groups.get(id)?.label ?? id));
    assert.deepEqual(closed.edges.map((e) => [e.from, e.to].map((id) => hierarchy.groups.get(id)?.label ?? id).join('->')), [
      'image->stem', 'stem->stage1', 'stage1->stage2', 'stage2->stage3', 'stage3->global_max_pool', 'global_max_pool->head_scale', 'head_scale->probabilities',
    ]);
    // stage1 open, its block closed: the skip connection's two ends are both inside the closed block.
    const open = visibleGraph(resnet, hierarchy, new Set([stage1.id]));
    assert.ok(open.nodes.some((n) => n.kind === 'expanded' && n.id === stage1.id));
    assert.ok(open.nodes.some((n) => n.kind === 'collapsed' && n.id === block.id && n.parent === stage1.id));
    assert.ok(open.edges.some((e) => e.from === 'stage1_relu' && e.to === block.id));
    assert.equal(shownAs(hierarchy, new Set([stage1.id]), 'stage1_block1_add'), block.id);
    // Both open: the add has two inputs again, one of them the skip connection around the block.
    const both = visibleGraph(resnet, hierarchy, new Set([stage1.id, block.id]));
    const intoAdd = both.edges.filter((e) => e.to === 'stage1_block1_add').map((e) => e.from).sort();
    assert.deepEqual(intoAdd, ['stage1_block1_relu2', 'stage1_relu']);
    // Parents come before what they hold.
    const position = new Map(both.nodes.map((n, i) => [n.id, i]));
    for (const node of both.nodes) if (node.parent) assert.ok(position.get(node.parent)! < position.get(node.id)!);
  });

  test('the diagram opens within its budget: a residual net\'s stages open, a transformer\'s repeat stays one node', () => {
    const hierarchy = groupLayers(resnet);
    const opened = defaultExpanded(hierarchy, 40);
    assert.ok(boxCount(hierarchy, opened) <= 40);
    assert.deepEqual(labelsOf(hierarchy, [...opened]).sort(), ['stage1', 'stage1_block1', 'stage2', 'stage3', 'stage3_block1', 'stem']);
    // A smaller budget stops a level short rather than opening half of one.
    const small = defaultExpanded(hierarchy, 25);
    assert.deepEqual(labelsOf(hierarchy, [...small]).sort(), ['stage1', 'stage2', 'stage3', 'stem']);
    assert.equal(defaultExpanded(hierarchy, 5).size, 0);

    const blocks = groupLayers(transformer);
    const repeat = groupByLabel(blocks, 'block1–6');
    assert.equal(defaultExpanded(blocks, 40).has(repeat.id), false, 'a repeat starts collapsed');
    assert.equal(boxCount(blocks, new Set()), 9);
    // Expanding the repeat shows its six blocks, opened too when they fit.
    const one = expandWithin(blocks, new Set(), 80, repeat.id);
    assert.deepEqual(labelsOf(blocks, [...one]).sort(), ['block1', 'block1–6', 'block2', 'block3', 'block4', 'block5', 'block6']);
    assert.equal(boxCount(blocks, one), 8 + 6 * 9);
    const tight = expandWithin(blocks, new Set(), 20, repeat.id);
    assert.deepEqual(labelsOf(blocks, [...tight]), ['block1–6'], 'over the budget the blocks stay closed');
    assert.equal(boxCount(blocks, allGroups(blocks)), transformer.layers.length);
  });
});
