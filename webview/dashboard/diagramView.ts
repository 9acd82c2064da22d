// The architecture diagram on screen: a laid-out graph drawn as SVG in a viewport that zooms and pans
// with the mouse (wheel about the pointer, drag) and the keyboard (+, -, 0 to fit, arrows), groups that
// expand or collapse when clicked, and layers that are selected when clicked. Colours come from the
// theme and are written into the SVG, so an export looks the same.
import { withAlpha } from './colour';
import { svg } from '../shared/dom';
import { formatCount, formatShape } from '../shared/format';
import { COMPACT_GAP, GROUP_HEADER_HEIGHT, NODE_LINE_HEIGHT, NODE_PADDING_X, NODE_PADDING_Y, type DrawnNode, type GraphDrawing } from './graphLayout';
import type { ThemeColours } from './themeColours';
import {
  fitView, keepInPlace, MAX_SCALE, minimumScale, PAN_STEP, panBy, transformOf, wheelZoomFactor, ZOOM_STEP, zoomAt,
  type Point, type Size, type View,
} from './viewport';

export const DIAGRAM_FONT_SIZE = 12;
/** Pointer movement (CSS pixels) that turns a press into a drag rather than a click. */
const DRAG_THRESHOLD = 4;

export interface DiagramEvents {
  toggleGroup(id: string): void;
  selectLayer(name: string): void;
  /** The zoom changed (to show the percentage). */
  viewChanged(scale: number): void;
}

export interface ShowOptions {
  /** Keep this node (a group that was toggled) where it was on screen. */
  anchor?: { id: string; at: Point };
  /** Give this node the keyboard focus once drawn. */
  focus?: string;
  /** Show the whole drawing (otherwise the view stays as the user left it, unless it was fitted). */
  fit?: boolean;
}

/** What a layer kind is called, for labels. */
export type KindLabel = (node: Extract<DrawnNode, { kind: 'layer' }>) => string;

export class DiagramView {
  readonly element: HTMLElement;
  private drawing?: GraphDrawing;
  private root?: SVGSVGElement;
  private viewportGroup?: SVGGElement;
  private view: View = { scale: 1, x: 0, y: 0 };
  /** True until the user zooms or pans: the drawing is then fitted again when the viewport changes size. */
  private fitted = true;
  private needsFit = false;
  private selected?: string;
  private drag?: { pointer: number; start: Point; view: View; moved: boolean };
  private suppressClick = false;

  constructor(private colours: ThemeColours, private readonly kindLabel: KindLabel, private readonly events: DiagramEvents) {
    this.element = document.createElement('div');
    this.element.className = 'diagram';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-roledescription', 'zoomable diagram');
    this.element.setAttribute('aria-label', 'Architecture diagram: + and - zoom, 0 fits the whole model, arrow keys pan; Tab moves between layers and groups.');
    this.element.addEventListener('wheel', (event) => this.onWheel(event), { passive: false });
    this.element.addEventListener('pointerdown', (event) => this.onPointerDown(event));
    this.element.addEventListener('pointermove', (event) => this.onPointerMove(event));
    this.element.addEventListener('pointerup', (event) => this.onPointerUp(event));
    this.element.addEventListener('pointercancel', (event) => this.onPointerUp(event));
    // A drag that ends over a node is not a click on it.
    this.element.addEventListener('click', (event) => {
      if (!this.suppressClick) return;
      this.suppressClick = false;
      event.stopPropagation();
      event.preventDefault();
    }, true);
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    new ResizeObserver(() => {
      if (this.needsFit || this.fitted) this.fit();
    }).observe(this.element);
  }

  get scale(): number {
    return this.view.scale;
  }

  /** The drawing's position of a node's top-left corner, for keeping it in place across a new layout. */
  positionOf(id: string): Point | undefined {
    const node = this.drawing?.nodes.find((candidate) => candidate.id === id);
    return node ? { x: node.x, y: node.y } : undefined;
  }

  show(drawing: GraphDrawing, selected: string | undefined, options: ShowOptions = {}): void {
    const first = this.drawing === undefined;
    this.drawing = drawing;
    this.selected = selected;
    this.draw();
    const after = options.anchor ? this.positionOf(options.anchor.id) : undefined;
    if (options.anchor && after && !first) this.setView(keepInPlace(this.view, options.anchor.at, after), false);
    else if (first || options.fit || this.fitted) this.fit();
    else this.applyView();
    if (options.focus) this.focusNode(options.focus);
  }

  clear(): void {
    this.drawing = undefined;
    this.root = undefined;
    this.viewportGroup = undefined;
    this.element.replaceChildren();
  }

  applyTheme(colours: ThemeColours): void {
    this.colours = colours;
    if (!this.drawing) return;
    const focused = this.focusedNode();
    this.draw();
    this.applyView();
    if (focused) this.focusNode(focused);
  }

  setSelected(name: string | undefined): void {
    this.selected = name;
    for (const group of this.element.querySelectorAll<SVGGElement>('g.layer')) {
      const isSelected = group.dataset.layer === name;
      group.setAttribute('aria-pressed', isSelected ? 'true' : 'false');
      const rect = group.querySelector('rect');
      const colour = group.dataset.colour ?? this.colours.muted;
      rect?.setAttribute('stroke', isSelected ? this.colours.focus : colour);
      rect?.setAttribute('stroke-width', isSelected ? '3' : '1.5');
    }
  }

  /** The whole drawing in view (zoomed out as far as needed, never in beyond 100%). */
  fit(): void {
    const viewport = this.viewportSize();
    if (!this.drawing) return;
    if (viewport.width <= 0 || viewport.height <= 0) {
      // Hidden (another tab is showing): fit once it has a size.
      this.needsFit = true;
      return;
    }
    this.needsFit = false;
    this.setView(fitView(this.drawing, viewport), true);
  }

  /** Zooms about the viewport's centre. */
  zoomBy(factor: number): void {
    const viewport = this.viewportSize();
    this.setView(zoomAt(this.view, factor, { x: viewport.width / 2, y: viewport.height / 2 }, this.limits()), false);
  }

  /** 100% about the viewport's centre. */
  actualSize(): void {
    this.zoomBy(1 / this.view.scale);
  }

  /** A stand-alone SVG of the whole drawing (not just what is in view), for export. */
  exportable(): SVGSVGElement | undefined {
    if (!this.root || !this.drawing) return undefined;
    const copy = this.root.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('width', String(this.drawing.width));
    copy.setAttribute('height', String(this.drawing.height));
    copy.setAttribute('viewBox', `0 0 ${this.drawing.width} ${this.drawing.height}`);
    copy.querySelector('g.viewport')?.removeAttribute('transform');
    copy.querySelector('rect.backdrop')?.setAttribute('width', String(this.drawing.width));
    copy.querySelector('rect.backdrop')?.setAttribute('height', String(this.drawing.height));
    return copy;
  }

  private viewportSize(): Size {
    return { width: this.element.clientWidth, height: this.element.clientHeight };
  }

  private limits(): { min: number; max: number } {
    return { min: this.drawing ? minimumScale(this.drawing, this.viewportSize()) : 0.1, max: MAX_SCALE };
  }

  private setView(view: View, fitted: boolean): void {
    this.view = view;
    this.fitted = fitted;
    this.applyView();
  }

  private applyView(): void {
    this.viewportGroup?.setAttribute('transform', transformOf(this.view));
    this.element.dataset.scale = this.view.scale.toFixed(4);
    this.events.viewChanged(this.view.scale);
  }

  private focusedNode(): string | undefined {
    const active = document.activeElement;
    return active instanceof SVGGElement ? active.dataset.node : undefined;
  }

  private focusNode(id: string): void {
    for (const element of this.element.querySelectorAll<SVGGElement>('g[data-node]')) {
      if (element.dataset.node === id) {
        element.focus({ preventScroll: true });
        return;
      }
    }
  }

  private onWheel(event: WheelEvent): void {
    if (!this.drawing) return;
    event.preventDefault();
    const box = this.element.getBoundingClientRect();
    const at = { x: event.clientX - box.left, y: event.clientY - box.top };
    // A sideways trackpad swipe pans; everything else zooms about the pointer.
    if (Math.abs(event.deltaX) > Math.abs(event.deltaY)) this.setView(panBy(this.view, -event.deltaX, 0), false);
    else this.setView(zoomAt(this.view, wheelZoomFactor(event.deltaY, event.deltaMode), at, this.limits()), false);
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0 || !this.drawing) return;
    this.drag = { pointer: event.pointerId, start: { x: event.clientX, y: event.clientY }, view: this.view, moved: false };
  }

  private onPointerMove(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointer !== event.pointerId) return;
    const dx = event.clientX - drag.start.x;
    const dy = event.clientY - drag.start.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    if (!drag.moved) {
      drag.moved = true;
      this.element.setPointerCapture(event.pointerId);
      this.element.classList.add('dragging');
    }
    this.setView(panBy(drag.view, dx, dy), false);
  }

  private onPointerUp(event: PointerEvent): void {
    const drag = this.drag;
    if (!drag || drag.pointer !== event.pointerId) return;
    this.drag = undefined;
    if (!drag.moved) return;
    this.suppressClick = true;
    this.element.classList.remove('dragging');
    if (this.element.hasPointerCapture(event.pointerId)) this.element.releasePointerCapture(event.pointerId);
    // The click that may follow a drag comes at once; none may come (released outside).
    setTimeout(() => { this.suppressClick = false; }, 0);
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.drawing || event.ctrlKey || event.metaKey || event.altKey) return;
    const step = event.shiftKey ? PAN_STEP * 4 : PAN_STEP;
    const actions: Record<string, () => void> = {
      '+': () => this.zoomBy(ZOOM_STEP),
      '=': () => this.zoomBy(ZOOM_STEP),
      '-': () => this.zoomBy(1 / ZOOM_STEP),
      '_': () => this.zoomBy(1 / ZOOM_STEP),
      '0': () => this.fit(),
      ArrowLeft: () => this.setView(panBy(this.view, step, 0), false),
      ArrowRight: () => this.setView(panBy(this.view, -step, 0), false),
      ArrowUp: () => this.setView(panBy(this.view, 0, step), false),
      ArrowDown: () => this.setView(panBy(this.view, 0, -step), false),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  private draw(): void {
    const drawing = this.drawing!;
    const c = this.colours;
    const highContrast = c.kind.startsWith('high-contrast');
    const font = { 'font-family': c.fontFamily, 'font-size': DIAGRAM_FONT_SIZE };
    const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: c.muted }));
    const frames = drawing.nodes.filter((node) => node.kind === 'expanded').map((node) => this.frame(node, font, highContrast));
    const edges = drawing.edges.map((edge) => {
      const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');
      const group = svg('g', { class: 'edge', 'data-from': edge.from, 'data-to': edge.to },
        svg('path', { d, fill: 'none', stroke: c.muted, 'stroke-width': 1.2, 'marker-end': 'url(#arrow)' }));
      if (edge.label) {
        group.appendChild(svg('rect', { x: edge.label.x - 2, y: edge.label.y - 1, width: edge.label.width + 4, height: edge.label.height + 2, fill: c.background, rx: 2 }));
        group.appendChild(svg('text', { x: edge.label.x + edge.label.width / 2, y: edge.label.y + edge.label.height - 2, 'text-anchor': 'middle', fill: c.muted, ...font, 'font-size': DIAGRAM_FONT_SIZE - 2 }, edge.label.text));
      }
      return group;
    });
    const boxes = drawing.nodes.flatMap((node) => {
      if (node.kind === 'layer') return [this.layerBox(node, font, highContrast, drawing.compact)];
      if (node.kind === 'collapsed') return [this.groupBox(node, font, highContrast, drawing.compact)];
      return [];
    });
    this.viewportGroup = svg('g', { class: 'viewport' }, ...frames, ...edges, ...boxes);
    const layers = drawing.nodes.filter((node) => node.kind === 'layer').length;
    const groups = drawing.nodes.filter((node) => node.kind === 'collapsed').length;
    this.root = svg('svg', {
      width: '100%', height: '100%', role: 'group',
      'aria-label': `${layers} layers${groups > 0 ? ` and ${groups} collapsed group${groups === 1 ? '' : 's'}` : ''}. Tab to a layer and press Enter for its details, or to a group to expand it.`,
    }, svg('defs', {}, marker), svg('rect', { class: 'backdrop', x: 0, y: 0, width: '100%', height: '100%', fill: c.background }), this.viewportGroup);
    this.element.replaceChildren(this.root);
  }

  private frame(node: Extract<DrawnNode, { kind: 'expanded' }>, font: Record<string, string | number>, highContrast: boolean): SVGGElement {
    const c = this.colours;
    const label = `${node.lines[0]}: ${node.lines[1]}. Expanded; press Enter to collapse.`;
    const header = svg('g', {
      class: 'group-header', tabindex: 0, role: 'button', 'aria-expanded': 'true', 'aria-label': label, 'data-node': node.id, 'data-group': node.group.label,
    },
    svg('title', {}, `${node.lines[0]} — ${node.group.contents}`),
    svg('rect', { x: node.x, y: node.y, width: node.width, height: GROUP_HEADER_HEIGHT, fill: 'transparent' }),
    chevron(node.x + NODE_PADDING_X, node.y + GROUP_HEADER_HEIGHT / 2, true, c.foreground),
    svg('text', { x: node.x + NODE_PADDING_X + 14, y: node.y + GROUP_HEADER_HEIGHT / 2 + 4, fill: c.foreground, ...font, 'font-weight': 600 }, node.lines[0]));
    this.onActivate(header, () => this.events.toggleGroup(node.id));
    return svg('g', { class: 'frame', 'data-group': node.group.label },
      svg('rect', {
        x: node.x, y: node.y, width: node.width, height: node.height, rx: 6,
        fill: highContrast ? 'none' : withAlpha(c.foreground, 0.035 + 0.02 * node.depth), stroke: highContrast ? c.border : withAlpha(c.muted, 0.6),
        'stroke-width': 1, 'stroke-dasharray': '5 3',
      }),
      header);
  }

  private layerBox(node: Extract<DrawnNode, { kind: 'layer' }>, font: Record<string, string | number>, highContrast: boolean, compact: boolean): SVGGElement {
    const c = this.colours;
    const colour = c.layerKinds[node.layer.kind];
    const selected = node.layer.name === this.selected;
    const label = `${node.layer.name}, ${node.layer.className} (${this.kindLabel(node)}), output ${formatShape(node.layer.outputShape) || 'unknown'}, ${formatCount(node.layer.parameterCount)} parameters`;
    const text = compact
      ? [svg('text', { x: node.x + NODE_PADDING_X, y: node.y + NODE_PADDING_Y + NODE_LINE_HEIGHT - 3, ...font },
        svg('tspan', { fill: c.foreground, 'font-weight': 600 }, node.lines[0]),
        svg('tspan', { fill: c.muted, dx: COMPACT_GAP }, node.lines[1]))]
      : node.lines.map((line, i) => svg('text', {
        x: node.x + NODE_PADDING_X, y: node.y + NODE_PADDING_Y + (i + 1) * NODE_LINE_HEIGHT - 3, fill: i === 0 ? c.foreground : c.muted, ...font,
        ...(i === 0 ? { 'font-weight': 600 } : {}),
      }, line));
    const group = svg('g', {
      class: 'layer', tabindex: 0, role: 'button', 'aria-label': label, 'aria-pressed': selected ? 'true' : 'false',
      'data-layer': node.layer.name, 'data-node': node.id, 'data-colour': colour,
    },
    svg('title', {}, label),
    svg('rect', {
      x: node.x, y: node.y, width: node.width, height: node.height, rx: 4,
      fill: highContrast ? c.background : withAlpha(colour, 0.16),
      stroke: selected ? c.focus : colour, 'stroke-width': selected ? 3 : 1.5,
    }),
    ...text);
    this.onActivate(group, () => this.events.selectLayer(node.layer.name));
    return group;
  }

  private groupBox(node: Extract<DrawnNode, { kind: 'collapsed' }>, font: Record<string, string | number>, highContrast: boolean, compact: boolean): SVGGElement {
    const c = this.colours;
    const { group } = node;
    const lines = compact ? node.lines.slice(0, 2) : node.lines;
    const label = `${lines[0]}: ${node.lines[1]}, ${node.lines[2]}. Collapsed; press Enter to expand.`;
    const fill = highContrast ? c.background : withAlpha(c.focus, 0.12);
    // A repeat looks like a stack of its blocks.
    const stack = group.kind === 'repeat' ? [6, 3].map((offset) => svg('rect', {
      x: node.x + offset, y: node.y - offset, width: node.width, height: node.height, rx: 4, fill: c.background, stroke: c.focus, 'stroke-width': 1, 'stroke-opacity': 0.6,
    })) : [];
    const element = svg('g', {
      class: `group ${group.kind}`, tabindex: 0, role: 'button', 'aria-expanded': 'false', 'aria-label': label,
      'data-node': node.id, 'data-group': group.label, ...(group.kind === 'repeat' ? { 'data-repeat': group.count } : {}),
    },
    svg('title', {}, `${lines[0]} — ${group.contents}. Click to expand.`),
    ...stack,
    svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 4, fill: highContrast ? c.background : fill, stroke: c.focus, 'stroke-width': 1.5 }),
    chevron(node.x + NODE_PADDING_X, node.y + NODE_PADDING_Y + NODE_LINE_HEIGHT / 2, false, c.foreground),
    ...lines.map((line, i) => svg('text', {
      x: node.x + NODE_PADDING_X + (i === 0 ? 14 : 0), y: node.y + NODE_PADDING_Y + (i + 1) * NODE_LINE_HEIGHT - 3, fill: i === 0 ? c.foreground : c.muted, ...font,
      ...(i === 0 ? { 'font-weight': 600 } : {}),
    }, line)));
    this.onActivate(element, () => this.events.toggleGroup(node.id));
    return element;
  }

  /** Click, Enter or Space runs `action`. */
  private onActivate(element: SVGGElement, action: () => void): void {
    element.addEventListener('click', () => action());
    element.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        event.stopPropagation();
        action();
      }
    });
  }
}

/** A small triangle: pointing down when open, right when closed, centred on (x + 4, y). */
function chevron(x: number, y: number, open: boolean, colour: string): SVGPathElement {
  const d = open ? `M ${x} ${y - 3} L ${x + 8} ${y - 3} L ${x + 4} ${y + 3} z` : `M ${x + 1} ${y - 4} L ${x + 7} ${y} L ${x + 1} ${y + 4} z`;
  return svg('path', { class: 'chevron', d, fill: colour });
}
