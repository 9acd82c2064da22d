// Parallel coordinates of a sweep as SVG: one vertical axis per searched parameter and one for the metric,
// one line per scored trial coloured by how good it is. Dragging along an axis brushes a range (or the
// categories it covers) and the other views show only the trials inside every brush; a click on an axis
// clears its brush; a click on a line opens that trial's dashboard.
import type { SweepParamView, SweepTrialView, SweepView } from '../../src/protocol/sweepView';
import { h, svg } from '../shared/dom';
import { axisTicks, axisValue, categoriesBetween, type AxisDomain } from '../shared/plotScale';
import { METRIC_AXIS, axisValueOf, metricDomain, paramDomain, positionOn, type Brush } from './trialFilter';

const MARGIN = { top: 34, right: 70, bottom: 16, left: 70 };
const HEIGHT = 320;
/** A drag shorter than this (pixels) is a click: it clears the axis' brush. */
const CLICK_PX = 3;

export interface ParallelCoordinatesOptions {
  onBrush(axis: string, brush: Brush | undefined): void;
  onOpenTrial(trial: SweepTrialView): void;
  /** How the metric reads on its axis and in titles. */
  formatMetric(value: number): string;
}

interface Axis {
  key: string;
  label: string;
  domain: AxisDomain;
  x: number;
}

function shortLabel(text: string, max = 18): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function valueText(value: number | string): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(4))) : value;
}

export class ParallelCoordinates {
  readonly element: HTMLElement;

  constructor(private readonly options: ParallelCoordinatesOptions) {
    this.element = h('div', { class: 'parallel', attrs: { 'data-chart': 'parallel' } });
  }

  render(sweep: SweepView, trials: readonly SweepTrialView[], brushes: ReadonlyMap<string, Brush>, kept: ReadonlySet<number>, buckets: ReadonlyMap<number, number>): void {
    const width = Math.max(360, this.element.clientWidth || 800);
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const metricLabel = sweep.metric === 'valAcc' ? 'validation accuracy' : 'validation loss';
    const params: SweepParamView[] = sweep.params;
    const count = params.length + 1;
    const step = count > 1 ? (width - MARGIN.left - MARGIN.right) / (count - 1) : 0;
    const axes: Axis[] = [
      ...params.map((param, i) => ({ key: param.name, label: param.name, domain: paramDomain(param, trials), x: MARGIN.left + i * step })),
      { key: METRIC_AXIS, label: metricLabel, domain: metricDomain(trials), x: MARGIN.left + (count - 1) * step },
    ];
    const y = (t: number) => MARGIN.top + (1 - t) * plotH;
    const root = svg('svg', {
      class: 'parallel-svg', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img',
      'aria-label': `Parallel coordinates: ${trials.length} scored trials across ${params.map((p) => p.name).join(', ')} and the ${metricLabel}; ${kept.size} inside the brushes.`,
    });

    const lines = svg('g', { class: 'pc-lines' });
    const best = sweep.best?.trial;
    // Dimmed lines first, the kept ones over them, the best on top.
    const order = [...trials].sort((a, b) => Number(kept.has(a.trial)) - Number(kept.has(b.trial)) || Number(a.trial === best) - Number(b.trial === best));
    for (const trial of order) {
      const points = axes.map((axis) => positionOn(axis.domain, axisValueOf(trial, axis.key)));
      if (points.some((t) => t === undefined)) continue;
      const d = points.map((t, i) => `${i === 0 ? 'M' : 'L'}${axes[i].x.toFixed(1)},${y(t!).toFixed(1)}`).join(' ');
      const title = `Trial ${trial.trial}${trial.runName ? ` (${trial.runName})` : ''}: ${params.map((p) => `${p.name}=${valueText(trial.params[p.name] ?? '')}`).join(', ')} → ${this.options.formatMetric(trial.value!)}`;
      const classes = ['pc-line', `q${buckets.get(trial.trial) ?? 0}`, kept.has(trial.trial) ? '' : 'dimmed', trial.trial === best ? 'best' : ''].filter(Boolean).join(' ');
      const path = svg('path', { class: classes, d, 'data-trial': trial.trial }, svg('title', {}, title));
      if (trial.runId) path.addEventListener('click', () => this.options.onOpenTrial(trial));
      lines.append(path);
    }
    root.append(lines);

    for (const axis of axes) root.append(this.axis(axis, brushes.get(axis.key), y, plotH, axis.key === METRIC_AXIS ? this.options.formatMetric : undefined));
    this.element.replaceChildren(root);
  }

  private axis(axis: Axis, brush: Brush | undefined, y: (t: number) => number, plotH: number, format?: (value: number) => string): SVGGElement {
    const group = svg('g', { class: `pc-axis${axis.key === METRIC_AXIS ? ' metric' : ''}`, 'data-axis': axis.key });
    group.append(svg('line', { class: 'axis-line', x1: axis.x, x2: axis.x, y1: y(0), y2: y(1) }));
    for (const tick of axisTicks(axis.domain, 5)) {
      const label = typeof tick.value === 'number' && format ? format(tick.value) : tick.label;
      group.append(
        svg('line', { class: 'tick', x1: axis.x - 4, x2: axis.x, y1: y(tick.t), y2: y(tick.t) }),
        svg('text', { class: 'tick-label', x: axis.x - 7, y: y(tick.t) + 4, 'text-anchor': 'end' }, shortLabel(label, 12)),
      );
    }
    group.append(svg('text', { class: 'axis-name', x: axis.x, y: MARGIN.top - 14, 'text-anchor': 'middle' }, shortLabel(axis.label), svg('title', {}, axis.label)));
    if (brush) {
      const span = this.brushSpan(axis.domain, brush);
      if (span) group.append(svg('rect', { class: 'pc-brush', x: axis.x - 8, y: y(span[1]), width: 16, height: Math.max(2, y(span[0]) - y(span[1])) }));
    }
    const hit = svg('rect', {
      class: 'pc-hit', x: axis.x - 14, y: MARGIN.top, width: 28, height: plotH,
      'aria-label': `Brush ${axis.label}: drag along the axis to keep only the trials in a range; click to clear.`,
    }, svg('title', {}, `Drag along ${axis.label} to filter; click to clear.`));
    this.brushable(hit, group, axis, plotH);
    group.append(hit);
    return group;
  }

  /** The brush's extent as axis positions [low, high]. */
  private brushSpan(domain: AxisDomain, brush: Brush): [number, number] | undefined {
    if (brush.kind === 'categories' && domain.kind === 'band') {
      const ts = brush.values.map((value) => positionOn(domain, value)).filter((t): t is number => t !== undefined);
      if (ts.length === 0) return undefined;
      const half = 0.5 / domain.categories.length;
      return [Math.max(0, Math.min(...ts) - half), Math.min(1, Math.max(...ts) + half)];
    }
    if (brush.kind === 'range' && domain.kind !== 'band') {
      const a = positionOn(domain, brush.lo);
      const b = positionOn(domain, brush.hi);
      if (a === undefined || b === undefined) return undefined;
      return [Math.max(0, Math.min(a, b)), Math.min(1, Math.max(a, b))];
    }
    return undefined;
  }

  private brushable(hit: SVGRectElement, group: SVGGElement, axis: Axis, plotH: number): void {
    const svgY = (event: PointerEvent) => {
      const box = hit.ownerSVGElement?.getBoundingClientRect();
      return box ? event.clientY - box.top : event.offsetY;
    };
    const toT = (py: number) => Math.min(1, Math.max(0, (MARGIN.top + plotH - py) / plotH));
    hit.addEventListener('pointerdown', (down) => {
      down.preventDefault();
      hit.setPointerCapture(down.pointerId);
      const start = svgY(down);
      const live = svg('rect', { class: 'pc-brush drawing', x: axis.x - 8, y: start, width: 16, height: 0 });
      group.append(live);
      const move = (event: PointerEvent) => {
        const now = svgY(event);
        live.setAttribute('y', String(Math.min(start, now)));
        live.setAttribute('height', String(Math.abs(now - start)));
      };
      const up = (event: PointerEvent) => {
        hit.removeEventListener('pointermove', move);
        hit.removeEventListener('pointerup', up);
        live.remove();
        const end = svgY(event);
        if (Math.abs(end - start) < CLICK_PX) {
          this.options.onBrush(axis.key, undefined);
          return;
        }
        const [t0, t1] = [toT(start), toT(end)];
        const { domain } = axis;
        const brush: Brush = domain.kind === 'band'
          ? { kind: 'categories', values: categoriesBetween(domain, t0, t1) }
          : { kind: 'range', lo: axisValue(domain, Math.min(t0, t1)), hi: axisValue(domain, Math.max(t0, t1)) };
        this.options.onBrush(axis.key, brush);
      };
      hit.addEventListener('pointermove', move);
      hit.addEventListener('pointerup', up);
    });
  }
}
