// The architecture diagram's geometry: layer boxes and edges placed top-down by a layered graph
// layout (ELK), so branches and residual connections read clearly. Drawing it is the view's job.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { LayerNode, ModelGraph } from '../../src/protocol/dashboardView';
import { formatCount, formatShape } from '../shared/format';

export interface DrawnNode {
  layer: LayerNode;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Name, class, then output shape and parameters. */
  lines: [string, string, string];
}

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
  nodes: DrawnNode[];
  edges: DrawnEdge[];
}

export type LayoutEngine = (graph: ElkNode) => Promise<ElkNode>;
/** Width in pixels of a text at the diagram's font size. */
export type MeasureText = (text: string, bold: boolean) => number;

export const NODE_LINE_HEIGHT = 15;
const NODE_PADDING_X = 10;
const NODE_PADDING_Y = 7;
const MIN_NODE_WIDTH = 120;
const LABEL_HEIGHT = 13;

/** A fair width estimate for a 12 px UI font when the real one cannot be measured (tests). */
export const estimateTextWidth: MeasureText = (text, bold) => text.length * (bold ? 7.2 : 6.6);

export function nodeLines(layer: LayerNode): [string, string, string] {
  const shape = formatShape(layer.outputShape);
  const parameters = layer.parameterCount > 0 ? `${formatCount(layer.parameterCount)} params` : 'no params';
  return [layer.name, layer.className, shape ? `${shape} · ${parameters}` : parameters];
}

/** The ELK input graph: one node per layer, sized to its text; one edge per connection, labelled with its tensor shape. */
export function toElkGraph(graph: ModelGraph, measure: MeasureText = estimateTextWidth): ElkNode {
  return {
    id: '__model__',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.nodeNode': '28',
      'elk.spacing.edgeLabel': '4',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.padding': '[top=12,left=12,bottom=12,right=12]',
    },
    children: graph.layers.map((layer) => {
      const lines = nodeLines(layer);
      const width = Math.max(MIN_NODE_WIDTH, ...lines.map((line, i) => measure(line, i === 0))) + 2 * NODE_PADDING_X;
      return { id: layer.name, width: Math.ceil(width), height: 3 * NODE_LINE_HEIGHT + 2 * NODE_PADDING_Y };
    }),
    edges: graph.edges.map((edge, i): ElkExtendedEdge => {
      const text = formatShape(edge.shape);
      return {
        id: `edge${i}`,
        sources: [edge.from],
        targets: [edge.to],
        ...(text ? { labels: [{ id: `edge${i}-label`, text, width: Math.ceil(measure(text, false) * 0.9) + 6, height: LABEL_HEIGHT }] } : {}),
      };
    }),
  };
}

/** Lays the graph out; coordinates are in pixels from the drawing's top-left corner. */
export async function layoutModelGraph(graph: ModelGraph, engine: LayoutEngine, measure: MeasureText = estimateTextWidth): Promise<GraphDrawing> {
  const input = toElkGraph(graph, measure);
  const result = await engine(input);
  const byName = new Map(graph.layers.map((layer) => [layer.name, layer]));
  const nodes: DrawnNode[] = (result.children ?? []).flatMap((child) => {
    const layer = byName.get(child.id);
    if (!layer) return [];
    return [{ layer, x: child.x ?? 0, y: child.y ?? 0, width: child.width ?? 0, height: child.height ?? 0, lines: nodeLines(layer) }];
  });
  const edges: DrawnEdge[] = (result.edges ?? []).map((edge, i) => {
    const source = graph.edges[i];
    const extended = edge as ElkExtendedEdge;
    const points = (extended.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
    const label = extended.labels?.[0];
    return {
      from: source.from,
      to: source.to,
      points: points.map((p) => ({ x: p.x, y: p.y })),
      ...(label?.text ? { label: { text: label.text, x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } } : {}),
    };
  });
  return { width: Math.ceil(result.width ?? 0), height: Math.ceil(result.height ?? 0), nodes, edges };
}
