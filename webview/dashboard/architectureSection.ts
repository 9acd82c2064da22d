// The architecture diagram: the best model's layers as a graph laid out top-down by ELK, coloured by
// kind, with repeated blocks and named stages collapsible into one node each ("×N" for a repeat) that
// expand in place; fit to view, zoom and pan (diagramView.ts); compact or detailed nodes; a layer's full
// configuration and weight statistics on click; totals; SVG export.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayerKind, LayerNode, LayerWeightStatistics, ModelGraph, ModelGraphState, WeightStatistics } from '../../src/protocol/dashboardView';
import { h, replaceChildren, svg } from '../shared/dom';
import { exportFileName, exportSvg } from '../shared/exportFile';
import { formatCount, formatNumber } from '../shared/format';
import { DIAGRAM_FONT_SIZE, DiagramView } from './diagramView';
import { layoutGraph, type MeasureText } from './graphLayout';
import { allGroups, defaultExpanded, DEFAULT_NODE_BUDGET, expandWithin, groupLayers, visibleGraph, type LayerHierarchy } from './layerGroups';
import type { ThemeColours } from './themeColours';
import { ZOOM_STEP } from './viewport';
import { dashboardHost } from './dashboardHost';

const KIND_LABELS: Record<LayerKind, string> = {
  input: 'Input', convolution: 'Convolution', pooling: 'Pooling', recurrent: 'Recurrent', attention: 'Attention',
  normalisation: 'Normalisation', dense: 'Dense', activation: 'Activation', embedding: 'Embedding', dropout: 'Dropout',
  reshape: 'Reshape', merge: 'Merge', other: 'Other',
};

let elk: InstanceType<typeof ELK> | undefined;

function canvasMeasure(fontFamily: string): MeasureText {
  const context = document.createElement('canvas').getContext('2d');
  return (text, bold) => {
    if (!context) return text.length * 7;
    context.font = `${bold ? '600 ' : ''}${DIAGRAM_FONT_SIZE}px ${fontFamily}`;
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

/** A layout to run: what to keep in place and focus once it is drawn. */
interface LayoutRequest {
  anchor?: string;
  focus?: string;
  fit?: boolean;
}

export class ArchitectureSection {
  readonly element: HTMLElement;
  private state: ModelGraphState = { state: 'none' };
  private hierarchy?: LayerHierarchy;
  private expanded = new Set<string>();
  private compact = true;
  /** The graph and settings the diagram on screen was laid out for. */
  private shownFor?: { graph: ModelGraph; key: string };
  private layingOut?: Promise<void>;
  private pending?: LayoutRequest;
  private visible = false;
  private selected?: string;
  private readonly weights = new Map<string, LayerWeightStatistics | string>();
  private readonly totals: HTMLElement;
  private readonly legend: HTMLElement;
  private readonly diagram: DiagramView;
  private readonly details: HTMLElement;
  private readonly zoomLevel: HTMLElement;

  constructor(private colours: ThemeColours, private readonly runName: () => string) {
    this.totals = h('p', { class: 'totals', attrs: { 'aria-live': 'polite' } });
    this.legend = h('ul', { class: 'kind-legend', attrs: { 'aria-label': 'Layer kinds' } });
    this.details = h('aside', { class: 'layer-details', attrs: { 'aria-live': 'polite', 'aria-label': 'Selected layer' } });
    this.zoomLevel = h('output', { class: 'zoom-level', attrs: { 'aria-label': 'Zoom' } }, '100%');
    this.diagram = new DiagramView(colours, (node) => KIND_LABELS[node.layer.kind], {
      toggleGroup: (id) => this.toggle(id),
      selectLayer: (name) => this.select(name),
      viewChanged: (scale) => { this.zoomLevel.textContent = `${Math.round(scale * 100)}%`; },
    });
    const button = (text: string, label: string, click: () => void) =>
      h('vscode-button', { attrs: { secondary: true, 'aria-label': label, title: label }, on: { click } }, text);
    const detailed = h('vscode-checkbox', {
      attrs: { label: 'Shapes and parameters', 'aria-label': 'Show output shapes and parameter counts in the nodes' },
      on: {
        change: (event) => {
          this.compact = !(event.target as HTMLInputElement).checked;
          this.render({ fit: true });
        },
      },
    });
    this.element = h('div', { class: 'architecture' },
      h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Diagram options' } },
        button('Fit to View', 'Fit the whole model in view (0)', () => this.diagram.fit()),
        button('−', 'Zoom out (-)', () => this.diagram.zoomBy(1 / ZOOM_STEP)),
        this.zoomLevel,
        button('+', 'Zoom in (+)', () => this.diagram.zoomBy(ZOOM_STEP)),
        button('100%', 'Actual size', () => this.diagram.actualSize()),
        button('Expand All', 'Expand every group', () => this.setExpanded(this.hierarchy ? allGroups(this.hierarchy) : new Set())),
        button('Collapse All', 'Collapse every group', () => this.setExpanded(new Set())),
        detailed,
        h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.export() } }, 'Export SVG')),
      h('p', { class: 'muted hint' }, 'Scroll to zoom, drag to pan; + and − zoom, 0 fits the whole model, arrow keys pan. Click a group (▸) to expand it in place, its header (▾) to collapse it.'),
      this.totals,
      this.legend,
      h('div', { class: 'architecture-layout' }, this.diagram.element, this.details));
  }

  setModel(state: ModelGraphState): void {
    const previous = this.state.state === 'ready' ? this.state.graph : undefined;
    this.state = state;
    this.weights.clear();
    if (state.state !== 'ready' || !state.graph.layers.some((layer) => layer.name === this.selected)) this.selected = undefined;
    if (state.state === 'ready') {
      const hierarchy = groupLayers(state.graph);
      // A new best model of the same architecture keeps what the user opened.
      const sameGroups = previous !== undefined && this.hierarchy !== undefined &&
        [...hierarchy.groups.keys()].join('|') === [...this.hierarchy.groups.keys()].join('|');
      this.expanded = sameGroups ? this.expanded : defaultExpanded(hierarchy);
      this.hierarchy = hierarchy;
    } else {
      this.hierarchy = undefined;
      this.expanded = new Set();
    }
    this.shownFor = undefined;
    this.render({});
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.render({});
  }

  applyTheme(colours: ThemeColours): void {
    this.colours = colours;
    this.diagram.applyTheme(colours);
    this.renderLegend();
  }

  receiveWeights(layer: string, statistics: LayerWeightStatistics | undefined, error: string | undefined): void {
    this.weights.set(layer, statistics ?? error ?? 'No statistics.');
    if (layer === this.selected) this.renderDetails();
  }

  private graph(): ModelGraph | undefined {
    return this.state.state === 'ready' ? this.state.graph : undefined;
  }

  private layoutKey(): string {
    return `${this.compact ? 'compact' : 'detailed'}:${[...this.expanded].sort().join('|')}`;
  }

  private toggle(id: string): void {
    if (!this.hierarchy) return;
    const next = this.expanded.has(id) ? new Set([...this.expanded].filter((open) => open !== id)) : expandWithin(this.hierarchy, this.expanded, DEFAULT_NODE_BUDGET, id);
    this.expanded = next;
    this.render({ anchor: id, focus: id });
  }

  private setExpanded(expanded: Set<string>): void {
    this.expanded = expanded;
    this.render({ fit: true });
  }

  private render(request: LayoutRequest): void {
    const graph = this.graph();
    if (!graph || !this.hierarchy) {
      this.totals.textContent = this.state.state === 'error'
        ? `The model cannot be shown: ${this.state.message}`
        : 'No model saved yet: the diagram appears once the first epoch has saved the best model.';
      this.diagram.clear();
      replaceChildren(this.details);
      replaceChildren(this.legend);
      return;
    }
    const nonTrainable = graph.totalParameters - graph.trainableParameters;
    const groups = [...this.hierarchy.groups.values()];
    const repeats = groups.filter((group) => group.kind === 'repeat');
    this.totals.textContent = `${graph.name}: ${graph.layers.length} layers, ${formatCount(graph.totalParameters)} parameters` +
      (nonTrainable > 0 ? ` (${formatCount(graph.trainableParameters)} trainable, ${formatCount(nonTrainable)} not)` : ' (all trainable)') + '.' +
      (groups.length > 0 ? ` ${groups.length - repeats.length} block${groups.length - repeats.length === 1 ? '' : 's'}` +
        (repeats.length > 0 ? `, ${repeats.length} repeated (${repeats.map((group) => `${group.label} ×${group.count}`).join(', ')})` : '') + '.' : '');
    this.renderLegend();
    this.renderDetails();
    if (!this.visible) return;
    const key = this.layoutKey();
    if (this.shownFor?.graph === graph && this.shownFor.key === key) return;
    if (this.layingOut) {
      // One layout at a time; the latest request runs next.
      this.pending = { ...this.pending, ...request };
      return;
    }
    this.diagram.element.setAttribute('aria-busy', 'true');
    elk ??= new ELK();
    const engine = elk;
    const hierarchy = this.hierarchy;
    const anchorAt = request.anchor !== undefined ? this.diagram.positionOf(request.anchor) : undefined;
    this.layingOut = layoutGraph(visibleGraph(graph, hierarchy, this.expanded), (input) => engine.layout(input), canvasMeasure(this.colours.fontFamily), { compact: this.compact })
      .then((drawing) => {
        if (this.graph() !== graph) return;
        this.shownFor = { graph, key };
        this.diagram.show(drawing, this.selected, {
          ...(request.anchor !== undefined && anchorAt ? { anchor: { id: request.anchor, at: anchorAt } } : {}),
          ...(request.focus !== undefined ? { focus: request.focus } : {}),
          ...(request.fit ? { fit: true } : {}),
        });
      })
      .catch((error: unknown) => {
        // Not tried again for the same diagram: showing the reason is all that can be done.
        this.shownFor = { graph, key };
        this.totals.textContent = `The diagram could not be laid out: ${error instanceof Error ? error.message : String(error)}`;
      })
      .finally(() => {
        this.layingOut = undefined;
        this.diagram.element.removeAttribute('aria-busy');
        const next = this.pending ?? {};
        this.pending = undefined;
        const shown = this.shownFor;
        if (this.graph() && (shown === undefined || shown.graph !== this.graph() || shown.key !== this.layoutKey())) this.render(next);
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

  private select(name: string): void {
    this.selected = name;
    if (!this.weights.has(name)) dashboardHost.post({ type: 'requestWeightStatistics', layer: name });
    this.diagram.setSelected(name);
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
    const exported = this.diagram.exportable();
    if (exported) exportSvg(exportFileName(this.runName(), 'architecture', 'svg'), exported);
  }
}
