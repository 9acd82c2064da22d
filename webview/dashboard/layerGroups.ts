// The architecture diagram's groups: named blocks of layers (layers whose names share a prefix such as
// `stem_`, `stage2_` or `block3_`, when together they form one piece of the graph) and runs of identical
// blocks (`block1` ... `block6` with the same layers wired the same way: one "x6" node); which nodes
// show for a set of expanded groups; and which groups start expanded.
import type { LayerNode, ModelGraph, TensorShape } from '../../src/protocol/dashboardView';

export interface LayerGroup {
  /** `group:<prefix>` or `repeat:<first prefix>`; never a layer's name (see groupId). */
  id: string;
  kind: 'block' | 'repeat';
  /** What the node says: `stage1`, or `block1–6` for a repeat. */
  label: string;
  /** Direct members in the graph's order: layer names and group ids. */
  members: string[];
  /** Every layer inside, at any depth, in the graph's order. */
  layers: string[];
  /** Blocks in a repeat; 1 for a block. */
  count: number;
  parameterCount: number;
  /** Add layers inside with two or more inputs: residual (skip) connections. */
  skipConnections: number;
  /** The output shape of the group's last layer. */
  outputShape?: TensorShape;
  /** A short account of the layers inside, e.g. `Conv2D ×2, BatchNorm ×2, ReLU ×2, Add`. */
  contents: string;
}

export interface LayerHierarchy {
  groups: ReadonlyMap<string, LayerGroup>;
  /** The group directly holding each layer or group; absent at the top level. */
  parent: ReadonlyMap<string, string>;
  /** The top level's members, in the graph's order. */
  roots: string[];
}

/** A node of the diagram for a set of expanded groups. */
export type VisibleNode =
  | { kind: 'layer'; id: string; layer: LayerNode; parent?: string }
  /** A group shown as one node. */
  | { kind: 'collapsed'; id: string; group: LayerGroup; parent?: string }
  /** An expanded group: a frame around its members. */
  | { kind: 'expanded'; id: string; group: LayerGroup; parent?: string };

export interface VisibleEdge {
  from: string;
  to: string;
  shape?: TensorShape;
}

export interface VisibleGraph {
  /** Parents before their members. */
  nodes: VisibleNode[];
  edges: VisibleEdge[];
}

/** How many nodes a diagram shows before groups stay collapsed (an expanded group's frame is not counted). */
export const DEFAULT_NODE_BUDGET = 40;

const GROUP_PREFIX = 'group:';
const REPEAT_PREFIX = 'repeat:';
/** Names keep the group ids apart from layer names (a layer could be called `group:x`, but not with this character). */
const SEPARATOR = '\u241f';

function groupId(kind: 'block' | 'repeat', prefix: string): string {
  return `${kind === 'block' ? GROUP_PREFIX : REPEAT_PREFIX}${SEPARATOR}${prefix}`;
}

/**
 * What follows a scope's prefix in names that TensorFlow.js or Keras numbered automatically
 * (`dense_Dense1`, `conv2d_1`): such a shared prefix is a layer type, not a block.
 */
const AUTO_NAME_REST = /^(\d+|[A-Z][A-Za-z0-9]*?\d+)$/;
/** The last part of a numbered block's prefix: `block3`, `stage12`. */
const INDEXED = /^(.*?)(\d+)$/;

/** Layers can only be grouped where collapsing them keeps the graph acyclic: no path leaves the set and comes back. */
function isConvex(members: ReadonlySet<string>, successors: ReadonlyMap<string, string[]>): boolean {
  const seen = new Set<string>();
  const stack: string[] = [];
  for (const name of members) {
    for (const next of successors.get(name) ?? []) if (!members.has(next)) stack.push(next);
  }
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const next of successors.get(name) ?? []) {
      if (members.has(next)) return false;
      stack.push(next);
    }
  }
  return true;
}

/** True when the members form one piece (ignoring edge direction). */
function isConnected(members: readonly string[], neighbours: ReadonlyMap<string, string[]>): boolean {
  const inside = new Set(members);
  const seen = new Set<string>([members[0]]);
  const stack = [members[0]];
  while (stack.length > 0) {
    for (const next of neighbours.get(stack.pop()!) ?? []) {
      if (inside.has(next) && !seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  return seen.size === inside.size;
}

function countedList(classNames: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of classNames) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}

/**
 * The groups of a model's layers. A prefix of a layer's name (up to an underscore) names a block when
 * two or more layers share it, they are not merely numbered copies of one layer type, they form one
 * connected piece, and collapsing them leaves the graph acyclic. Blocks nest by prefix. Consecutive
 * sibling blocks numbered in sequence (`block1`, `block2`...) with the same layers wired the same way
 * become a repeat.
 */
export function groupLayers(graph: ModelGraph): LayerHierarchy {
  const layers = graph.layers;
  const order = new Map(layers.map((layer, i) => [layer.name, i]));
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  const successors = new Map<string, string[]>();
  const neighbours = new Map<string, string[]>();
  for (const edge of graph.edges) {
    successors.set(edge.from, [...(successors.get(edge.from) ?? []), edge.to]);
    neighbours.set(edge.from, [...(neighbours.get(edge.from) ?? []), edge.to]);
    neighbours.set(edge.to, [...(neighbours.get(edge.to) ?? []), edge.from]);
  }

  // Every prefix of every name, with the layers under it.
  const candidates = new Map<string, string[]>();
  for (const layer of layers) {
    const parts = layer.name.split('_');
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i).join('_');
      if (prefix.length === 0) continue;
      const list = candidates.get(prefix) ?? [];
      list.push(layer.name);
      candidates.set(prefix, list);
    }
  }
  const accepted: { prefix: string; layers: string[] }[] = [];
  for (const [prefix, members] of candidates) {
    if (members.length < 2 || members.length >= layers.length) continue;
    if (members.some((name) => AUTO_NAME_REST.test(name.slice(prefix.length + 1)))) continue;
    if (!isConnected(members, neighbours) || !isConvex(new Set(members), successors)) continue;
    accepted.push({ prefix, layers: members });
  }
  // Outer blocks first; an inner block with exactly its parent's layers adds nothing.
  accepted.sort((a, b) => b.layers.length - a.layers.length || a.prefix.length - b.prefix.length);
  const blocks: { prefix: string; layers: string[] }[] = [];
  for (const candidate of accepted) {
    const same = blocks.some((block) => block.layers.length === candidate.layers.length && candidate.prefix.startsWith(`${block.prefix}_`));
    if (!same) blocks.push(candidate);
  }

  const groups = new Map<string, LayerGroup>();
  const parent = new Map<string, string>();
  // The innermost block of each layer is the one with the longest prefix holding it.
  const innermost = new Map<string, { prefix: string; layers: string[] }>();
  for (const block of blocks) {
    for (const name of block.layers) {
      const current = innermost.get(name);
      if (!current || block.prefix.length > current.prefix.length) innermost.set(name, block);
    }
  }
  const blockParent = (block: { prefix: string }): { prefix: string; layers: string[] } | undefined => {
    let best: { prefix: string; layers: string[] } | undefined;
    for (const other of blocks) {
      if (other !== block && block.prefix.startsWith(`${other.prefix}_`) && (!best || other.prefix.length > best.prefix.length)) best = other;
    }
    return best;
  };
  const firstIndex = (id: string): number => {
    const group = groups.get(id);
    return group ? order.get(group.layers[0]) ?? 0 : order.get(id) ?? 0;
  };
  for (const block of blocks) {
    const id = groupId('block', block.prefix);
    const sorted = [...block.layers].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
    groups.set(id, describeGroup({ id, kind: 'block', label: block.prefix, members: [], layers: sorted, count: 1 }, byName));
  }
  for (const block of blocks) {
    const outer = blockParent(block);
    if (outer) parent.set(groupId('block', block.prefix), groupId('block', outer.prefix));
  }
  for (const layer of layers) {
    const block = innermost.get(layer.name);
    if (block) parent.set(layer.name, groupId('block', block.prefix));
  }
  const membersOf = (groupIdOrTop: string | undefined): string[] => {
    const ids = [...groups.keys(), ...layers.map((layer) => layer.name)].filter((id) => parent.get(id) === groupIdOrTop);
    return ids.sort((a, b) => firstIndex(a) - firstIndex(b));
  };
  for (const group of groups.values()) group.members = membersOf(group.id);
  const roots = membersOf(undefined);

  // Repeats: runs of consecutive sibling blocks numbered in sequence with the same structure.
  const containers: { id: string | undefined; members: string[] }[] = [
    { id: undefined, members: roots },
    ...[...groups.values()].map((group) => ({ id: group.id as string | undefined, members: group.members })),
  ];
  for (const container of containers) {
    const replaced = findRepeats(container.members, groups, byName);
    if (replaced.length === 0) continue;
    for (const run of replaced) {
      const blocksInRun = run.map((id) => groups.get(id)!);
      const first = blocksInRun[0];
      const last = blocksInRun[blocksInRun.length - 1];
      const id = groupId('repeat', first.label);
      const [, stem, firstNumber] = INDEXED.exec(first.label)!;
      const lastNumber = INDEXED.exec(last.label)![2];
      const repeat = describeGroup({
        id, kind: 'repeat', label: `${stem}${firstNumber}–${lastNumber}`, members: run,
        layers: blocksInRun.flatMap((block) => block.layers), count: run.length,
      }, byName);
      groups.set(id, repeat);
      if (container.id !== undefined) parent.set(id, container.id);
      for (const member of run) parent.set(member, id);
      const at = container.members.indexOf(run[0]);
      container.members.splice(at, run.length, id);
    }
  }
  return { groups, parent, roots };
}

/** The block's layers as (name relative to the block, class, inputs relative to the block or `^` for outside), for comparing blocks. */
function structureOf(group: LayerGroup, byName: ReadonlyMap<string, LayerNode>): string {
  const inside = new Set(group.layers);
  const relative = (name: string) => (inside.has(name) ? name.slice(group.label.length) : '^');
  return group.layers.map((name) => {
    const layer = byName.get(name)!;
    return `${relative(name)}:${layer.className}(${layer.inputs.map(relative).join(',')})`;
  }).join(';');
}

/** Runs (two or more) of consecutive members that are blocks numbered in sequence with the same structure. */
function findRepeats(members: readonly string[], groups: ReadonlyMap<string, LayerGroup>, byName: ReadonlyMap<string, LayerNode>): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  let previous: { stem: string; number: number; structure: string } | undefined;
  const close = () => {
    if (run.length >= 2) runs.push(run);
    run = [];
  };
  for (const id of members) {
    const group = groups.get(id);
    const match = group?.kind === 'block' ? INDEXED.exec(group.label) : null;
    if (!group || !match) {
      close();
      previous = undefined;
      continue;
    }
    const current = { stem: match[1], number: Number(match[2]), structure: structureOf(group, byName) };
    if (previous && previous.stem === current.stem && current.number === previous.number + 1 && previous.structure === current.structure) {
      run.push(id);
    } else {
      close();
      run = [id];
    }
    previous = current;
  }
  close();
  return runs;
}

function describeGroup(group: Omit<LayerGroup, 'parameterCount' | 'skipConnections' | 'contents' | 'outputShape'>, byName: ReadonlyMap<string, LayerNode>): LayerGroup {
  const layers = group.layers.map((name) => byName.get(name)!);
  const inside = layers.map((layer) => layer.className);
  const last = layers[layers.length - 1];
  return {
    ...group,
    parameterCount: layers.reduce((sum, layer) => sum + layer.parameterCount, 0),
    skipConnections: layers.filter((layer) => layer.className === 'Add' && layer.inputs.length >= 2).length,
    ...(last?.outputShape ? { outputShape: last.outputShape } : {}),
    // A repeat lists one block's layers: the others are the same.
    contents: countedList(group.kind === 'repeat' ? inside.slice(0, inside.length / group.count) : inside),
  };
}

/** The group ids holding `id`, outermost first. */
export function ancestorsOf(hierarchy: LayerHierarchy, id: string): string[] {
  const chain: string[] = [];
  for (let at = hierarchy.parent.get(id); at !== undefined; at = hierarchy.parent.get(at)) chain.unshift(at);
  return chain;
}

/** The node that shows `layer`: the outermost collapsed group holding it, else the layer itself. */
export function shownAs(hierarchy: LayerHierarchy, expanded: ReadonlySet<string>, layer: string): string {
  return ancestorsOf(hierarchy, layer).find((id) => !expanded.has(id)) ?? layer;
}

/** The diagram for a set of expanded groups: layers and collapsed groups as nodes, expanded groups as frames around their members. */
export function visibleGraph(graph: ModelGraph, hierarchy: LayerHierarchy, expanded: ReadonlySet<string>): VisibleGraph {
  const byName = new Map(graph.layers.map((layer) => [layer.name, layer]));
  const nodes: VisibleNode[] = [];
  const visit = (id: string, parentId: string | undefined) => {
    const group = hierarchy.groups.get(id);
    const withParent = parentId === undefined ? {} : { parent: parentId };
    if (!group) {
      const layer = byName.get(id);
      if (layer) nodes.push({ kind: 'layer', id, layer, ...withParent });
      return;
    }
    if (!expanded.has(id)) {
      nodes.push({ kind: 'collapsed', id, group, ...withParent });
      return;
    }
    nodes.push({ kind: 'expanded', id, group, ...withParent });
    for (const member of group.members) visit(member, id);
  };
  for (const root of hierarchy.roots) visit(root, undefined);
  const edges: VisibleEdge[] = [];
  const seen = new Set<string>();
  for (const edge of graph.edges) {
    const from = shownAs(hierarchy, expanded, edge.from);
    const to = shownAs(hierarchy, expanded, edge.to);
    const key = `${from}\u0000${to}`;
    if (from === to || seen.has(key)) continue;
    seen.add(key);
    edges.push({ from, to, ...(edge.shape ? { shape: edge.shape } : {}) });
  }
  return { nodes, edges };
}

/** Nodes a diagram draws as boxes (layers and collapsed groups; not the frames of expanded ones). */
export function boxCount(hierarchy: LayerHierarchy, expanded: ReadonlySet<string>): number {
  let count = 0;
  const visit = (id: string) => {
    const group = hierarchy.groups.get(id);
    if (!group || !expanded.has(id)) count += 1;
    else group.members.forEach(visit);
  };
  hierarchy.roots.forEach(visit);
  return count;
}

/**
 * Opens `from`'s members (the whole model when undefined) level by level, each level at once, while the
 * diagram keeps to `budget` boxes. Repeats stay collapsed (they exist to be one node) unless `from` is one.
 */
export function expandWithin(hierarchy: LayerHierarchy, expanded: ReadonlySet<string>, budget: number, from?: string): Set<string> {
  const result = new Set(expanded);
  const membersOf = (ids: readonly string[]) => ids.flatMap((id) => {
    const group = hierarchy.groups.get(id);
    return group && result.has(id) ? group.members : [];
  });
  if (from !== undefined) result.add(from);
  let level = from === undefined ? hierarchy.roots : membersOf([from]);
  while (level.length > 0) {
    const openable = level.filter((id) => hierarchy.groups.get(id)?.kind === 'block' && !result.has(id));
    if (openable.length > 0 && !tryOpen(hierarchy, result, openable, budget)) break;
    level = membersOf(level);
  }
  return result;
}

function tryOpen(hierarchy: LayerHierarchy, expanded: Set<string>, ids: readonly string[], budget: number): boolean {
  const trial = new Set([...expanded, ...ids]);
  if (boxCount(hierarchy, trial) > budget) return false;
  for (const id of ids) expanded.add(id);
  return true;
}

/** The groups open when a diagram is first shown: within the budget, repeats collapsed. */
export function defaultExpanded(hierarchy: LayerHierarchy, budget = DEFAULT_NODE_BUDGET): Set<string> {
  return expandWithin(hierarchy, new Set(), budget);
}

/** Every group id, for "Expand all". */
export function allGroups(hierarchy: LayerHierarchy): Set<string> {
  return new Set(hierarchy.groups.keys());
}
