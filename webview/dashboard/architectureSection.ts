// The architecture diagram: the best model's layers as an SVG graph laid out top-down by ELK,
// coloured by kind, with output shapes, parameter counts and edge shapes; a layer's full
// configuration and weight statistics on click; totals; SVG export.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayerKind, LayerNode, LayerWeightStatistics, ModelGraph, ModelGraphState, WeightStatistics } from '../../src/protocol/dashboardView';
import { withAlpha } from './colour';
import { h, replaceChildren, svg } from '../shared/dom';
import { exportFileName, exportSvg } from '../shared/exportFile';
import { formatCount, formatNumber, formatShape } from '../shared/format';
import { layoutModelGraph, NODE_LINE_HEIGHT, type GraphDrawing, type MeasureText } from './graphLayout';
import type { ThemeColours } from './themeColours';
import { dashboardHost } from './dashboardHost';

const KIND_LABELS: Record<LayerKind, string> = {
  input: 'Input', convolution: 'Convolution', pooling: 'Pooling', recurrent: 'Recurrent', attention: 'Attention',
  normalisation: 'Normalisation', dense: 'Dense', activation: 'Activation', embedding: 'Embedding', dropout: 'Dropout',
  reshape: 'Reshape', merge: 'Merge', other: 'Other',
};
const FONT_SIZE = 12;

let elk: InstanceType<typeof ELK> | undefined;

function canvasMeasure(fontFamily: string): MeasureText {
  const context = document.createElement('canvas').getContext('2d');
  return (text, bold) => {
    if (!context) return text.length * 7;
    context.font = `${bold ? '600 ' : ''}${FONT_SIZE}px ${fontFamily}`;
    return context.measureText(text).width;
  };
}

function configValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    const record = value as { class_name?: unknown; config?: unknown };
    // Initialisers and regularisers: {class_name, config} reads better as Name(config).
    if (typeof record.class_name === 'string') {
      const inner = record.config && typeof record.config === 'object' ? Object.entries(record.config as Record<string, unknown>)
        .filter(([, v]) => v !== null).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') : '';
      return `${record.class_name}(${inner})`;
    }
    return JSON.stringify(value);
  }
  return String(value);
}

export class ArchitectureSection {
  readonly element: HTMLElement;
  private state: ModelGraphState = { state: 'none' };
  private drawing?: GraphDrawing;
  private drawingFor?: ModelGraph;
  private layingOut?: Promise<void>;
  private visible = false;
  private selected?: string;
  private readonly weights = new Map<string, LayerWeightStatistics | string>();
  private readonly totals: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly canvas: HTMLElement;
  private readonly details: HTMLElement;
  private svgElement?: SVGSVGElement;
  private fit = false;

  constructor(private colours: ThemeColours, private readonly runName: () => string) {
    this.totals = h('p', { class: 'totals', attrs: { 'aria-live': 'polite' } });
    this.legend = h('ul', { class: 'kind-legend', attrs: { 'aria-label': 'Layer kinds' } });
    this.canvas = h('div', { class: 'diagram', attrs: { tabindex: -1 } });
    this.details = h('aside', { class: 'layer-details', attrs: { 'aria-live': 'polite', 'aria-label': 'Selected layer' } });
    const fitButton = h('button', {
      class: 'toggle', attrs: { type: 'button', 'aria-pressed': 'false' },
      on: {
        click: () => {
          this.fit = !this.fit;
          fitButton.setAttribute('aria-pressed', String(this.fit));
          this.canvas.classList.toggle('fit', this.fit);
        },
      },
    }, 'Fit to width');
    this.element = h('div', { class: 'architecture' },
      h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Diagram options' } },
        fitButton,
        h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.export() } }, 'Export SVG')),
      this.totals,
      this.legend,
      h('div', { class: 'architecture-layout' }, this.canvas, this.details));
  }

  setModel(state: ModelGraphState): void {
    this.state = state;
    this.weights.clear();
    if (state.state !== 'ready' || !state.graph.layers.some((layer) => layer.name === this.selected)) this.selected = undefined;
    this.drawing = undefined;
    this.drawingFor = undefined;
    this.render();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.render();
  }

  applyTheme(colours: ThemeColours): void {
    this.colours = colours;
    if (this.drawing) this.draw();
    this.renderLegend();
  }

  receiveWeights(layer: string, statistics: LayerWeightStatistics | undefined, error: string | undefined): void {
    this.weights.set(layer, statistics ?? error ?? 'No statistics.');
    if (layer === this.selected) this.renderDetails();
  }

  private graph(): ModelGraph | undefined {
    return this.state.state === 'ready' ? this.state.graph : undefined;
  }

  private render(): void {
    const graph = this.graph();
    if (!graph) {
      this.totals.textContent = this.state.state === 'error'
        ? `The model cannot be shown: ${this.state.message}`
        : 'No model saved yet: the diagram appears once the first epoch has saved the best model.';
      replaceChildren(this.canvas);
      replaceChildren(this.details);
      replaceChildren(this.legend);
      return;
    }
    const nonTrainable = graph.totalParameters - graph.trainableParameters;
    this.totals.textContent = `${graph.name}: ${graph.layers.length} layers, ${formatCount(graph.totalParameters)} parameters` +
      (nonTrainable > 0 ? ` (${formatCount(graph.trainableParameters)} trainable, ${formatCount(nonTrainable)} not)` : ' (all trainable)') + '.';
    this.renderLegend();
    this.renderDetails();
    if (!this.visible || this.drawingFor === graph || this.layingOut) return;
    this.canvas.setAttribute('aria-busy', 'true');
    elk ??= new ELK();
    const engine = elk;
    this.layingOut = layoutModelGraph(graph, (input) => engine.layout(input), canvasMeasure(this.colours.fontFamily))
      .then((drawing) => {
        if (this.graph() !== graph) return;
        this.drawing = drawing;
        this.drawingFor = graph;
        this.draw();
      })
      .catch((error: unknown) => {
        this.totals.textContent = `The diagram could not be laid out: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        this.layingOut = undefined;
        this.canvas.removeAttribute('aria-busy');
        if (this.graph() && this.drawingFor !== this.graph()) this.render();
      });
  }

  private renderLegend(): void {
    const graph = this.graph();
    if (!graph) return;
    const kinds = [...new Set(graph.layers.map((layer) => layer.kind))];
    replaceChildren(this.legend, ...kinds.map((kind) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.setProperty('--swatch', this.colours.layerKinds[kind]);
      return h('li', {}, swatch, KIND_LABELS[kind]);
    }));
  }

  /** Draws the laid-out graph as SVG with the theme's colours written into it, so an export looks the same. */
  private draw(): void {
    const drawing = this.drawing;
    if (!drawing) return;
    const c = this.colours;
    const font = { 'font-family': c.fontFamily, 'font-size': FONT_SIZE };
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: c.muted }));
    const edges = drawing.edges.map((edge) => {
      const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
      const group = svg('g', { class: 'edge' }, svg('path', { d, fill: 'none', stroke: c.muted, 'stroke-width': 1.2, 'marker-end': 'url(#arrow)' }));
      if (edge.label) {
        group.appendChild(svg('rect', { x: edge.label.x - 2, y: edge.label.y - 1, width: edge.label.width + 4, height: edge.label.height + 2, fill: c.background, rx: 2 }));
        group.appendChild(svg('text', { x: edge.label.x + edge.label.width / 2, y: edge.label.y + edge.label.height - 2, 'text-anchor': 'middle', fill: c.muted, ...font, 'font-size': FONT_SIZE - 2 }, edge.label.text));
      }
      return group;
    });
    const nodes = drawing.nodes.map((node) => {
      const colour = c.layerKinds[node.layer.kind];
      const selected = node.layer.name === this.selected;
      const label = `${node.layer.name}, ${node.layer.className} (${KIND_LABELS[node.layer.kind]}), output ${formatShape(node.layer.outputShape) || 'unknown'}, ${formatCount(node.layer.parameterCount)} parameters`;
      const group = svg('g', { class: 'layer', tabindex: 0, role: 'button', 'aria-label': label, 'aria-pressed': selected ? 'true' : 'false', 'data-layer': node.layer.name },
        svg('title', {}, label),
        svg('rect', {
          x: node.x, y: node.y, width: node.width, height: node.height, rx: 4,
          fill: c.kind.startsWith('high-contrast') ? c.background : withAlpha(colour, 0.16),
          stroke: selected ? c.focus : colour, 'stroke-width': selected ? 3 : 1.5,
        }),
        ...node.lines.map((line, i) => svg('text', {
          x: node.x + 10, y: node.y + 7 + (i + 1) * NODE_LINE_HEIGHT - 3, fill: i === 0 ? c.foreground : c.muted, ...font,
          ...(i === 0 ? { 'font-weight': 600 } : {}),
        }, line)));
      group.addEventListener('click', () => this.select(node.layer.name));
      group.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          this.select(node.layer.name);
        }
      });
      return group;
    });
    this.svgElement = svg('svg', {
      width: drawing.width, height: drawing.height, viewBox: `0 0 ${drawing.width} ${drawing.height}`, role: 'group',
      'aria-label': `Architecture diagram of ${this.graph()?.name ?? 'the model'}: ${drawing.nodes.length} layers. Tab to a layer and press Enter for its details.`,
    }, svg('defs', {}, marker), svg('rect', { x: 0, y: 0, width: drawing.width, height: drawing.height, fill: c.background }), ...edges, ...nodes);
    replaceChildren(this.canvas, this.svgElement);
  }

  private select(name: string): void {
    this.selected = name;
    if (!this.weights.has(name)) dashboardHost.post({ type: 'requestWeightStatistics', layer: name });
    const focused = (document.activeElement as Element | null)?.getAttribute('data-layer');
    this.draw();
    if (focused) this.canvas.querySelector<SVGGElement>(`g.layer[data-layer="${CSS.escape(focused)}"]`)?.focus();
    this.renderDetails();
  }

  private renderDetails(): void {
    const layer = this.graph()?.layers.find((candidate) => candidate.name === this.selected);
    if (!layer) {
      replaceChildren(this.details, h('p', { class: 'muted' }, 'Select a layer to see its configuration and weights.'));
      return;
    }
    replaceChildren(this.details,
      h('h3', {}, layer.name),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Class'), h('dd', {}, layer.className),
        h('dt', {}, 'Kind'), h('dd', {}, KIND_LABELS[layer.kind]),
        h('dt', {}, 'Output shape'), h('dd', {}, layer.outputShape ? `[${layer.outputShape.map((n) => (n === null ? 'batch' : n)).join(', ')}]` : 'unknown'),
        h('dt', {}, 'Parameters'), h('dd', {}, `${formatCount(layer.parameterCount)}${layer.trainable ? '' : ' (not trainable)'}`),
        h('dt', {}, 'Inputs'), h('dd', {}, layer.inputs.length > 0 ? layer.inputs.join(', ') : 'none')),
      this.weightsView(layer),
      h('h4', {}, 'Configuration'),
      h('table', { class: 'data-table config', attrs: { 'aria-label': `Configuration of ${layer.name}` } },
        h('tbody', {}, ...Object.entries(layer.config).map(([key, value]) => h('tr', {}, h('th', { attrs: { scope: 'row' } }, key), h('td', {}, configValue(value)))))));
  }

  private weightsView(layer: LayerNode): HTMLElement {
    if (layer.weights.length === 0) return h('p', { class: 'muted' }, 'This layer has no weights.');
    const loaded = this.weights.get(layer.name);
    if (loaded === undefined) return h('p', { class: 'muted' }, 'Reading weight statistics…');
    if (typeof loaded === 'string') return h('p', { class: 'error' }, loaded);
    return h('div', { class: 'weights' }, h('h4', {}, 'Weights'), ...loaded.weights.map((w) => this.weightView(w)));
  }

  private weightView(w: WeightStatistics): HTMLElement {
    const problems = w.nan + w.infinite;
    const histogram = w.histogram.length > 0 ? this.histogram(w) : undefined;
    return h('section', { class: 'weight', attrs: { 'aria-label': w.name } },
      h('h5', {}, `${w.name} [${w.shape.join(' × ')}]`),
      h('dl', { class: 'facts compact' },
        h('dt', {}, 'Min / max'), h('dd', {}, `${formatNumber(w.min)} / ${formatNumber(w.max)}`),
        h('dt', {}, 'Mean ± std'), h('dd', {}, `${formatNumber(w.mean)} ± ${formatNumber(w.std)}`),
        h('dt', {}, 'Zeros'), h('dd', {}, `${formatCount(w.zeros)} of ${formatCount(w.count)}`),
        h('dt', {}, 'NaN / Inf'), h('dd', { class: problems > 0 ? 'error' : '' }, `${formatCount(w.nan)} / ${formatCount(w.infinite)}`)),
      histogram);
  }

  private histogram(w: WeightStatistics): SVGSVGElement {
    const width = 220;
    const height = 40;
    const largest = Math.max(1, ...w.histogram);
    const barWidth = width / w.histogram.length;
    return svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'histogram', 'aria-label': `Histogram of ${w.name} from ${formatNumber(w.min)} to ${formatNumber(w.max)}` },
      ...w.histogram.map((count, i) => {
        const barHeight = (count / largest) * (height - 2);
        return svg('rect', { x: i * barWidth + 0.5, y: height - barHeight, width: Math.max(1, barWidth - 1), height: barHeight, fill: this.colours.series[0] });
      }));
  }

  private export(): void {
    if (this.svgElement) exportSvg(exportFileName(this.runName(), 'architecture', 'svg'), this.svgElement);
  }
}
