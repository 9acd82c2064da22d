// A scatter plot drawn as SVG: points on numeric (linear or log) or categorical axes, each with a hover
// title and a class for its colour (themed by CSS from --vscode-* variables), optionally clickable.
import { svg } from './dom';
import { axisPosition, axisTicks, type AxisDomain } from './plotScale';

export interface ScatterPoint {
  /** Identifies the point to `onClick`, and seeds its place within a category's band. */
  key: string;
  x: number | string;
  y: number;
  /** CSS classes of its circle (colour, dimmed, highlighted). */
  classes: string;
  title: string;
}

export interface ScatterOptions {
  x: AxisDomain;
  y: AxisDomain;
  xLabel: string;
  yLabel: string;
  width: number;
  height: number;
  yTickLabel?(value: number): string;
  onClick?(key: string): void;
  /** An accessible summary of what the plot shows. */
  description: string;
}

const MARGIN = { top: 10, right: 12, bottom: 40, left: 52 };

/** A spread within a category's band that keeps points of equal value apart, the same on every redraw. */
function jitter(key: string): number {
  let hash = 2166136261;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 16777619);
  return ((hash >>> 0) / 0xffffffff - 0.5) * 0.5;
}

export function scatterPlot(points: readonly ScatterPoint[], options: ScatterOptions): SVGSVGElement {
  const { width, height } = options;
  const plotW = Math.max(40, width - MARGIN.left - MARGIN.right);
  const plotH = Math.max(40, height - MARGIN.top - MARGIN.bottom);
  const px = (t: number) => MARGIN.left + t * plotW;
  const py = (t: number) => MARGIN.top + (1 - t) * plotH;
  const root = svg('svg', { class: 'scatter', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': options.description });
  const grid = svg('g', { class: 'axis' });
  for (const tick of axisTicks(options.y, 4)) {
    const y = py(tick.t);
    const label = typeof tick.value === 'number' && options.yTickLabel ? options.yTickLabel(tick.value) : tick.label;
    grid.append(svg('line', { class: 'grid-line', x1: MARGIN.left, x2: MARGIN.left + plotW, y1: y, y2: y }), svg('text', { x: MARGIN.left - 6, y: y + 4, 'text-anchor': 'end' }, label));
  }
  const xTicks = axisTicks(options.x, 4);
  for (const tick of xTicks) {
    const x = px(tick.t);
    const label = tick.label.length > 12 ? `${tick.label.slice(0, 11)}…` : tick.label;
    grid.append(svg('line', { class: 'tick', x1: x, x2: x, y1: MARGIN.top + plotH, y2: MARGIN.top + plotH + 4 }), svg('text', { x, y: MARGIN.top + plotH + 16, 'text-anchor': 'middle' }, label));
  }
  grid.append(
    svg('rect', { class: 'frame', x: MARGIN.left, y: MARGIN.top, width: plotW, height: plotH }),
    svg('text', { class: 'axis-title', x: MARGIN.left + plotW / 2, y: height - 4, 'text-anchor': 'middle' }, options.xLabel),
    svg('text', { class: 'axis-title', x: 12, y: MARGIN.top + plotH / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${MARGIN.top + plotH / 2})` }, options.yLabel),
  );
  root.append(grid);
  const dots = svg('g', { class: 'points' });
  const band = options.x.kind === 'band' ? 1 / Math.max(1, options.x.categories.length) : 0;
  for (const point of points) {
    const tx = axisPosition(options.x, point.x);
    const ty = axisPosition(options.y, point.y);
    if (tx === undefined || ty === undefined) continue;
    const circle = svg('circle', { class: `point ${point.classes}`, cx: px(tx + jitter(point.key) * band), cy: py(ty), r: 4.5, 'data-key': point.key }, svg('title', {}, point.title));
    if (options.onClick) {
      circle.addEventListener('click', () => options.onClick?.(point.key));
      circle.classList.add('clickable');
    }
    dots.append(circle);
  }
  root.append(dots);
  return root;
}
