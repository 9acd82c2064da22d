// The architecture diagram's geometry: layer boxes, collapsed groups and the frames of expanded groups,
// placed top-down by a layered graph layout (ELK, one pass over the nested graph), with edges routed
// around them so branches and residual connections read clearly. Drawing it is the view's job.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { LayerNode, ModelGraph } from '../../src/protocol/dashboardView';
import { formatCount, formatShape } from '../shared/format';
import type { LayerGroup, VisibleGraph, VisibleNode } from './layerGroups';

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Text lines: see nodeLines and groupLines. */
  lines: string[];
  /** How many expanded groups hold it. */
  depth: number;
}

export type DrawnNode =
  | (Box & { kind: 'layer'; layer: LayerNode })
  /** A group drawn as one box. */
  | (Box & { kind: 'collapsed'; group: LayerGroup })
  /** The frame around an expanded group's members. */
  | (Box & { kind: 'expanded'; group: LayerGroup });

export interface DrawnEdge {
  from: string;
  to: string;
  /** The polyline from the source's bottom to the target's top. */
  points: { x: number; y: number }[];
  label?: { text: string; x: number; y: number; width: number; height: number };
}

export interface GraphDrawing {
  width: number;
  height: number;
  /** Frames of expanded groups come before what they hold, so drawing in this order layers them right. */
  nodes: DrawnNode[];
  edges: DrawnEdge[];
  compact: boolean;
}

export type LayoutEngine = (graph: ElkNode) => Promise<ElkNode>;
/** Width in pixels of a text at the diagram's font size. */
export type MeasureText = (text: string, bold: boolean) => number;

export interface LayoutOptions {
  /** One line per layer (name and class); otherwise name, class, output shape and parameters. */
  compact?: boolean;
}

export const NODE_LINE_HEIGHT = 15;
export const NODE_PADDING_X = 10;
export const NODE_PADDING_Y = 7;
/** Height of an expanded group's header row (its name and the collapse control). */
export const GROUP_HEADER_HEIGHT = 22;
/** Space between a compact node's name and its class. */
export const COMPACT_GAP = 8;
const MIN_NODE_WIDTH = 120;
const MIN_COMPACT_WIDTH = 64;
const LABEL_HEIGHT = 13;
const FRAME_PADDING = 10;

/** A fair width estimate for a 12 px UI font when the real one cannot be measured (tests). */
export const estimateTextWidth: MeasureText = (text, bold) => text.length * (bold ? 7.2 : 6.6);

export function nodeLines(layer: LayerNode): [string, string, string] {
  const shape = formatShape(layer.outputShape);
  const parameters = layer.parameterCount > 0 ? `${formatCount(layer.parameterCount)} params` : 'no params';
  return [layer.name, layer.className, shape ? `${shape} · ${parameters}` : parameters];
}

/** A group's name (with "×N" for a repeat), what it holds, and its output shape and parameters. */
export function groupLines(group: LayerGroup): [string, string, string] {
  const name = group.kind === 'repeat' ? `${group.label} ×${group.count}` : group.label;
  const perBlock = group.layers.length / group.count;
  const skips = group.skipConnections > 0 ? ` · ${group.skipConnections} skip connection${group.skipConnections === 1 ? '' : 's'}` : '';
  const what = group.kind === 'repeat'
    ? `${group.count} blocks of ${perBlock} layers${skips}`
    : `${group.layers.length} layers${skips}`;
  const shape = formatShape(group.outputShape);
  const parameters = `${formatCount(group.parameterCount)} params`;
  return [name, what, shape ? `${shape} · ${parameters}` : parameters];
}

function linesOf(node: VisibleNode): string[] {
  return node.kind === 'layer' ? nodeLines(node.layer) : groupLines(node.group);
}

/** The size of a box for its lines: compact layers are one row (name, then class), groups two rows. */
function boxSize(node: VisibleNode, lines: string[], measure: MeasureText, compact: boolean): { width: number; height: number } {
  if (node.kind === 'layer' && compact) {
    const width = measure(lines[0], true) + COMPACT_GAP + measure(lines[1], false) + 2 * NODE_PADDING_X;
    return { width: Math.ceil(Math.max(MIN_COMPACT_WIDTH, width)), height: NODE_LINE_HEIGHT + 2 * NODE_PADDING_Y };
  }
  const shown = node.kind === 'collapsed' && compact ? lines.slice(0, 2) : lines;
  const width = Math.max(compact ? MIN_COMPACT_WIDTH : MIN_NODE_WIDTH, ...shown.map((line, i) => measure(line, i === 0))) + 2 * NODE_PADDING_X;
  // A collapsed group's first row also holds its expand marker.
  const marker = node.kind === 'collapsed' ? NODE_LINE_HEIGHT : 0;
  return { width: Math.ceil(width + marker), height: shown.length * NODE_LINE_HEIGHT + 2 * NODE_PADDING_Y };
}

const ROOT_ID = '__model__';

/** The ELK input graph: nested nodes sized to their text, one edge per connection labelled with its tensor shape. */
export function toElkGraph(visible: VisibleGraph, measure: MeasureText = estimateTextWidth, options: LayoutOptions = {}): ElkNode {
  const compact = options.compact ?? false;
  const elkNodes = new Map<string, ElkNode>();
  const root: ElkNode = {
    id: ROOT_ID,
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      // Every coordinate from the drawing's top-left corner, however deeply a node is nested.
      'elk.json.shapeCoords': 'ROOT',
      'elk.json.edgeCoords': 'ROOT',
      'elk.layered.spacing.nodeNodeBetweenLayers': compact ? '24' : '36',
      'elk.spacing.nodeNode': compact ? '20' : '28',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
    },
    children: [],
    edges: [],
  };
  for (const node of visible.nodes) {
    const lines = linesOf(node);
    const elkNode: ElkNode = node.kind === 'expanded'
      ? {
        id: node.id, children: [],
        layoutOptions: { 'elk.padding': `[top=${GROUP_HEADER_HEIGHT + FRAME_PADDING},left=${FRAME_PADDING},bottom=${FRAME_PADDING},right=${FRAME_PADDING}]` },
        // The header must fit too.
        width: Math.ceil(measure(lines[0], true) + 2 * NODE_PADDING_X + NODE_LINE_HEIGHT),
      }
      : { id: node.id, ...boxSize(node, lines, measure, compact) };
    elkNodes.set(node.id, elkNode);
    const parent = node.parent === undefined ? root : elkNodes.get(node.parent) ?? root;
    parent.children!.push(elkNode);
  }
  root.edges = visible.edges.map((edge, i): ElkExtendedEdge => {
    const text = formatShape(edge.shape);
    return {
      id: `edge${i}`,
      sources: [edge.from],
      targets: [edge.to],
      ...(text ? { labels: [{ id: `edge${i}-label`, text, width: Math.ceil(measure(text, false) * 0.9) + 6, height: LABEL_HEIGHT }] } : {}),
    };
  });
  return root;
}

/** The visible graph of every layer, none grouped. */
export function ungrouped(graph: ModelGraph): VisibleGraph {
  return {
    nodes: graph.layers.map((layer) => ({ kind: 'layer', id: layer.name, layer })),
    edges: graph.edges.map((edge) => ({ from: edge.from, to: edge.to, ...(edge.shape ? { shape: edge.shape } : {}) })),
  };
}

/** Lays the graph out; coordinates are in pixels from the drawing's top-left corner. */
export async function layoutGraph(visible: VisibleGraph, engine: LayoutEngine, measure: MeasureText = estimateTextWidth, options: LayoutOptions = {}): Promise<GraphDrawing> {
  const result = await engine(toElkGraph(visible, measure, options));
  const placed = new Map<string, ElkNode>();
  const collect = (node: ElkNode) => {
    for (const child of node.children ?? []) {
      placed.set(child.id, child);
      collect(child);
    }
  };
  collect(result);
  const depth = new Map<string, number>();
  const nodes: DrawnNode[] = visible.nodes.flatMap((node): DrawnNode[] => {
    const at = placed.get(node.id);
    if (!at) return [];
    const level = node.parent === undefined ? 0 : (depth.get(node.parent) ?? 0) + 1;
    depth.set(node.id, level);
    const box: Box = { id: node.id, x: at.x ?? 0, y: at.y ?? 0, width: at.width ?? 0, height: at.height ?? 0, lines: linesOf(node), depth: level };
    if (node.kind === 'layer') return [{ ...box, kind: 'layer', layer: node.layer }];
    return [node.kind === 'collapsed' ? { ...box, kind: 'collapsed', group: node.group } : { ...box, kind: 'expanded', group: node.group }];
  });
  const laidOut = new Map<string, ElkExtendedEdge>();
  const collectEdges = (node: ElkNode) => {
    for (const edge of node.edges ?? []) laidOut.set(edge.id, edge as ElkExtendedEdge);
    for (const child of node.children ?? []) collectEdges(child);
  };
  collectEdges(result);
  const edges: DrawnEdge[] = visible.edges.map((source, i) => {
    const extended = laidOut.get(`edge${i}`) ?? { id: `edge${i}`, sources: [], targets: [] };
    const points = (extended.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    const label = extended.labels?.[0];
    return {
      from: source.from,
      to: source.to,
      points: points.map((p) => ({ x: p.x, y: p.y })),
      ...(label?.text ? { label: { text: label.text, x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } } : {}),
    };
  });
  return { width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0), nodes, edges, compact: options.compact ?? false };
}

/** Every layer laid out on its own (no groups), with detailed nodes unless told otherwise. */
export function layoutModelGraph(graph: ModelGraph, engine: LayoutEngine, measure: MeasureText = estimateTextWidth, options: LayoutOptions = {}): Promise<GraphDrawing> {
  return layoutGraph(ungrouped(graph), engine, measure, options);
}
