// A chart.js line chart over numeric x, themed from the editor, with wheel/drag zoom and pan
// (chartjs-plugin-zoom), a log-scale switch and no animation (data arrives continuously).
import {
  Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Filler,
  type ChartDataset, type TooltipItem,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { Point } from './decimate';
import { formatNumber, formatPercent } from '../shared/format';
import type { ThemeColours } from './themeColours';
import { withAlpha } from './colour';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Filler, zoomPlugin);

export type LineChart = Chart<'line', Point[]>;

export interface LineChartOptions {
  xTitle: string;
  yTitle: string;
  /** Values are fractions shown as percentages. */
  percent?: boolean;
  /** Called after the user zooms or pans, to redraw with the detail of the new range. */
  onViewChange?: () => void;
  /** A logarithmic x axis labelled at powers of ten (learning rates). */
  xLog?: boolean;
}

/** `1e-4` at powers of ten, nothing between them (a log axis would otherwise label 2, 3, ... 9 of each decade). */
function powerOfTenLabel(value: number | string): string {
  const exponent = Math.log10(Number(value));
  return Math.abs(exponent - Math.round(exponent)) < 1e-6 ? `1e${Math.round(exponent)}` : '';
}

export interface SeriesStyle {
  label: string;
  colour: string;
  width?: number;
  /** Draw a dot at each point (epoch values; few points). */
  points?: boolean;
  dashed?: boolean;
}

/** Enough decimals that neighbouring percentage ticks read differently. */
function percentDecimals(ticks: readonly { value: number }[]): number {
  const step = ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : 1;
  return step >= 0.01 ? 0 : step >= 0.001 ? 1 : 2;
}

export function createLineChart(canvas: HTMLCanvasElement, options: LineChartOptions, colours: ThemeColours): LineChart {
  const formatY = (value: number): string => (options.percent ? formatPercent(value, 1) : formatNumber(value, 3));
  const chart: LineChart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales: {
        x: options.xLog
          ? { type: 'logarithmic', title: { display: true, text: options.xTitle }, ticks: { callback: powerOfTenLabel, autoSkip: false } }
          : { type: 'linear', title: { display: true, text: options.xTitle }, ticks: { maxTicksLimit: 12 } },
        // Percentages get their own labels; other values keep chart.js' step-aware number formatting.
        y: { type: 'linear', title: { display: true, text: options.yTitle }, ...(options.percent ? { ticks: { callback: (value, _index, ticks) => formatPercent(Number(value), percentDecimals(ticks)) } } : {}) },
      },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            title: (items: TooltipItem<'line'>[]) => (items.length > 0 ? `${options.xTitle} ${formatNumber(items[0].parsed.x ?? 0, 4)}` : ''),
            label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${formatY(item.parsed.y ?? NaN)}`,
          },
        },
        zoom: {
          limits: { x: { min: 'original', max: 'original' } },
          pan: { enabled: true, mode: 'x', onPanComplete: () => options.onViewChange?.() },
          zoom: {
            wheel: { enabled: true },
            pinch: { enabled: true },
            drag: { enabled: true, modifierKey: 'shift' },
            mode: 'x',
            onZoomComplete: () => options.onViewChange?.(),
          },
        },
      },
    },
  });
  applyChartTheme(chart, colours);
  return chart;
}

export function applyChartTheme(chart: LineChart, colours: ThemeColours): void {
  const options = chart.options;
  const font = { family: colours.fontFamily, size: Math.max(10, colours.fontSize - 1) };
  for (const axis of ['x', 'y'] as const) {
    const scale = options.scales?.[axis];
    if (!scale) continue;
    scale.grid = { ...scale.grid, color: colours.grid };
    scale.border = { ...scale.border, color: colours.border };
    scale.ticks = { ...scale.ticks, color: colours.muted, font };
    if ('title' in scale && scale.title) scale.title = { ...scale.title, color: colours.muted, font };
  }
  const tooltip = options.plugins?.tooltip;
  if (tooltip) {
    tooltip.backgroundColor = colours.background;
    tooltip.titleColor = colours.foreground;
    tooltip.bodyColor = colours.foreground;
    tooltip.borderColor = colours.border;
    tooltip.borderWidth = 1;
    tooltip.titleFont = font;
    tooltip.bodyFont = font;
  }
  const zoom = options.plugins?.zoom?.zoom;
  if (zoom?.drag) zoom.drag = { ...zoom.drag, backgroundColor: withAlpha(colours.focus, 0.2), borderColor: colours.focus, borderWidth: 1 };
}

export function lineDataset(style: SeriesStyle, data: Point[]): ChartDataset<'line', Point[]> {
  return {
    label: style.label,
    data,
    borderColor: style.colour,
    backgroundColor: style.colour,
    borderWidth: style.width ?? 1.5,
    pointRadius: style.points ? 2.5 : 0,
    pointHoverRadius: 4,
    tension: 0,
    ...(style.dashed ? { borderDash: [5, 3] } : {}),
  };
}

export function setLogScale(chart: LineChart, log: boolean): void {
  const y = chart.options.scales?.y;
  if (y) y.type = log ? 'logarithmic' : 'linear';
}

/** The x range the user zoomed to, or undefined when the chart shows everything. */
export function zoomedRange(chart: LineChart): { min: number; max: number } | undefined {
  if (!chart.isZoomedOrPanned()) return undefined;
  const x = chart.scales.x;
  return x ? { min: x.min, max: x.max } : undefined;
}
