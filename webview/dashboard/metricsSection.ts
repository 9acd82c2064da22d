// Live metrics: loss, accuracy, learning rate and throughput over epochs, per batch (decimated,
// smoothed) and per epoch, and the training process's CPU use and memory per epoch. Redraws at most a few times a second, only when visible and changed.
import { decimate, type Point } from './decimate';
import { appendChildren, h, replaceChildren } from '../shared/dom';
import { emaSmooth } from './emaSmooth';
import { batchesCsv, epochsCsv } from './dashboardCsv';
import { exportCsv, exportFileName, exportPng } from '../shared/exportFile';
import { formatBytes, formatNumber, formatPercent } from '../shared/format';
import { applyChartTheme, createLineChart, lineDataset, setLogScale, zoomedRange, type LineChart, type SeriesStyle } from './lineChart';
import { withAlpha } from './colour';
import type { RunMetrics } from './runMetrics';
import type { ThemeColours } from './themeColours';

/** Bytes per MiB, the memory chart's unit. */
const MIB = 1024 * 1024;
const NOT_RECORDED = 'Not recorded for this run: runs trained before system metrics were recorded have none.';

/** Redraws while streaming are at least this far apart, so a fast run never keeps the page busy. */
const MIN_RENDER_INTERVAL_MS = 250;

type Range = { min: number; max: number } | undefined;

interface SeriesDefinition {
  id: string;
  style: (colours: ThemeColours) => SeriesStyle;
  points: (metrics: RunMetrics, range: Range, threshold: number) => Point[];
  /** Hidden until the user shows it. */
  hiddenByDefault?: boolean;
}

interface ChartCard {
  id: string;
  title: string;
  chart?: LineChart;
  canvas: HTMLCanvasElement;
  legend: HTMLElement;
  series: SeriesDefinition[];
  hidden: Set<string>;
  percent: boolean;
  describe: (metrics: RunMetrics) => string;
}

function lastOf(values: readonly number[]): number | undefined {
  return values.length > 0 ? values[values.length - 1] : undefined;
}

export class MetricsSection {
  readonly element: HTMLElement;
  private readonly cards: ChartCard[];
  private smoothing = 0.6;
  private logLoss = false;
  private logRate = false;
  private visible = false;
  private dirty = true;
  private lastRender = 0;
  private pendingRender?: number;
  private smoothCache = new Map<string, { version: number; weight: number; values: number[] }>();
  private readonly status: HTMLElement;

  constructor(private metrics: RunMetrics, private colours: ThemeColours, private readonly runName: () => string) {
    const batchSeries = (id: string, label: string, column: 'loss' | 'acc' | 'imagesPerSecond', colour: (c: ThemeColours) => string, raw: boolean): SeriesDefinition => ({
      id,
      hiddenByDefault: false,
      style: (c) => (raw ? { label, colour: withAlpha(colour(c), 0.3), width: 1 } : { label, colour: colour(c), width: 1.5 }),
      points: (m, range, threshold) => decimate(m.batches.x, raw ? m.batches[column] : this.smoothed(column), threshold, range),
    });
    /** A per-epoch line; epochs without the number (validation of a run without a validation split) have no point. */
    const epochSeries = (id: string, label: string, pick: (p: RunMetrics['epochs'][number]) => number | undefined, colour: (c: ThemeColours) => string, dashed = false): SeriesDefinition => ({
      id,
      style: (c) => ({ label, colour: colour(c), width: 2, points: true, dashed }),
      points: (m) => m.epochs.flatMap((p) => {
        const y = pick(p);
        return y === undefined ? [] : [{ x: p.epoch, y }];
      }),
    });
    /** CPU and memory per epoch: epochs recorded before system metrics existed have no point. */
    const systemSeries = (id: string, label: string, pick: (p: RunMetrics['epochs'][number]) => number | undefined, colour: (c: ThemeColours) => string, dashed = false): SeriesDefinition => ({
      id,
      style: (c) => ({ label, colour: colour(c), width: 2, points: true, dashed }),
      points: (m) => m.epochs.flatMap((p) => {
        const y = pick(p);
        return y === undefined ? [] : [{ x: p.epoch, y }];
      }),
    });
    const card = (id: string, title: string, percent: boolean, series: SeriesDefinition[], describe: ChartCard['describe']): ChartCard => ({
      id, title, percent, series, describe,
      canvas: h('canvas', { attrs: { role: 'img', 'aria-label': title } }),
      legend: h('div', { class: 'legend', attrs: { role: 'group', 'aria-label': `${title}: series shown` } }),
      hidden: new Set(series.filter((s) => s.hiddenByDefault).map((s) => s.id)),
    });
    const blue = (c: ThemeColours): string => c.series[0];
    const orange = (c: ThemeColours): string => c.series[1];
    const green = (c: ThemeColours): string => c.series[2];
    const purple = (c: ThemeColours): string => c.series[4];
    /** Loss or accuracy: per batch (raw and smoothed), and per epoch for training and validation. */
    const trainingSeries = (suffix: string, word: string, column: 'loss' | 'acc', train: (p: RunMetrics['epochs'][number]) => number, val: (p: RunMetrics['epochs'][number]) => number | undefined): SeriesDefinition[] => [
      batchSeries(`batch${suffix}Raw`, `Batch ${word}`, column, blue, true),
      batchSeries(`batch${suffix}`, `Batch ${word} (smoothed)`, column, blue, false),
      epochSeries(`train${suffix}`, `Training ${word} (epoch)`, train, green),
      epochSeries(`val${suffix}`, `Validation ${word}`, val, orange),
    ];
    this.cards = [
      card('loss', 'Loss', false, trainingSeries('Loss', 'loss', 'loss', (p) => p.loss, (p) => p.valLoss), (m) => {
        const last = m.epochs[m.epochs.length - 1];
        const validation = last?.valLoss !== undefined ? `, validation loss ${formatNumber(last.valLoss)}` : ' (no validation split)';
        return `Loss by epoch. ${m.batchCount} batches recorded. Latest batch loss ${formatNumber(lastOf(m.batches.loss))}` +
          (last ? `; epoch ${last.epoch}: training loss ${formatNumber(last.loss)}${validation}.` : '.');
      }),
      card('accuracy', 'Accuracy', true, trainingSeries('Acc', 'accuracy', 'acc', (p) => p.acc, (p) => p.valAcc), (m) => {
        const last = m.epochs[m.epochs.length - 1];
        const best = m.bestEpoch();
        const validation = last?.valAcc !== undefined ? `, validation ${formatPercent(last.valAcc)}` : ' (no validation split)';
        const bestWords = !best ? '' : best.valAcc !== undefined ? ` Best validation accuracy ${formatPercent(best.valAcc)} at epoch ${best.epoch}.`
          : ` Best training accuracy ${formatPercent(best.acc)} at epoch ${best.epoch}.`;
        return 'Accuracy by epoch.' + (last ? ` Epoch ${last.epoch}: training ${formatPercent(last.acc)}${validation}.` : ' No epoch finished yet.') + bestWords;
      }),
      card('learningRate', 'Learning rate', false, [
        {
          id: 'lr', style: (c) => ({ label: 'Learning rate (per batch)', colour: purple(c) }),
          // A log axis has no place for a rate of 0 (the last step of a cosine schedule down to 0).
          points: (m, range, t) => decimate(m.batches.x, m.batches.learningRate, t, range).filter((p) => !this.logRate || p.y > 0),
        },
      ], (m) => {
        const rates = m.batches.learningRate;
        if (rates.length === 0) return 'Learning rate per batch: none recorded yet.';
        const [low, high] = rates.reduce(([lo, hi], r) => [Math.min(lo, r), Math.max(hi, r)], [Infinity, -Infinity]);
        return `Learning rate per batch, as the schedule set it: ${low === high ? `constant at ${formatNumber(high)}` : `from ${formatNumber(low)} to ${formatNumber(high)}`}; latest ${formatNumber(lastOf(rates))}.`;
      }),
      card('throughput', 'Throughput', false, [
        batchSeries('ipsRaw', 'Images/s (batch)', 'imagesPerSecond', blue, true),
        batchSeries('ips', 'Images/s (smoothed)', 'imagesPerSecond', blue, false),
        epochSeries('ipsEpoch', 'Images/s (epoch)', (p) => p.imagesPerSecond, green),
      ], (m) => `Training throughput in images per second; latest epoch ${formatNumber(lastOf(m.epochs.map((p) => p.imagesPerSecond)), 3)}.`),
      card('cpu', 'CPU use', true, [
        systemSeries('cpu', 'CPU (% of all cores)', (p) => (p.cpuPercent === undefined ? undefined : p.cpuPercent / 100), blue),
      ], (m) => {
        const last = lastOf(m.epochs.flatMap((p) => (p.cpuPercent === undefined ? [] : [p.cpuPercent / 100])));
        return last === undefined ? NOT_RECORDED : `CPU time of the training process by epoch, as a share of all cores; latest epoch ${formatPercent(last, 0)}.`;
      }),
      card('memory', 'Memory (MiB)', false, [
        systemSeries('rss', 'Resident memory at epoch end', (p) => (p.rssBytes === undefined ? undefined : p.rssBytes / MIB), green),
        systemSeries('peakRss', 'Peak so far', (p) => (p.peakRssBytes === undefined ? undefined : p.peakRssBytes / MIB), orange, true),
      ], (m) => {
        const peak = lastOf(m.epochs.flatMap((p) => (p.peakRssBytes === undefined ? [] : [p.peakRssBytes])));
        return peak === undefined ? NOT_RECORDED : `Memory of the training process by epoch; peak ${formatBytes(peak)}.`;
      }),
    ];

    const smoothingInput = h('input', {
      attrs: { type: 'range', min: 0, max: 0.99, step: 0.01, value: this.smoothing, id: 'smoothing', 'aria-label': 'Smoothing of per-batch curves' },
      on: {
        input: (event) => {
          this.smoothing = Number((event.target as HTMLInputElement).value);
          smoothingValue.textContent = this.smoothing.toFixed(2);
          this.requestRender();
        },
      },
    });
    const smoothingValue = h('output', { attrs: { for: 'smoothing' } }, this.smoothing.toFixed(2));
    const logCheckbox = h('vscode-checkbox', {
      attrs: { label: 'Log scale for loss', 'aria-label': 'Log scale for loss' },
      on: {
        change: (event) => {
          this.logLoss = (event.target as HTMLInputElement).checked;
          const loss = this.cards[0].chart;
          if (loss) setLogScale(loss, this.logLoss);
          this.requestRender();
        },
      },
    });
    const logRateCheckbox = h('vscode-checkbox', {
      attrs: { label: 'Log scale for learning rate', 'aria-label': 'Log scale for learning rate' },
      on: {
        change: (event) => {
          this.logRate = (event.target as HTMLInputElement).checked;
          const rate = this.cards.find((entry) => entry.id === 'learningRate')?.chart;
          if (rate) setLogScale(rate, this.logRate);
          this.requestRender();
        },
      },
    });
    this.status = h('p', { class: 'muted', attrs: { 'aria-live': 'polite' } });
    const toolbar = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Chart options' } },
      h('label', { class: 'inline', attrs: { for: 'smoothing' } }, 'Smoothing'), smoothingInput, smoothingValue,
      logCheckbox,
      logRateCheckbox,
      h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.resetZoom() } }, 'Reset zoom'),
      h('vscode-button', { attrs: { secondary: true }, on: { click: () => exportCsv(exportFileName(this.runName(), 'epochs', 'csv'), epochsCsv(this.metrics.epochs)) } }, 'Export epochs CSV'),
      h('vscode-button', { attrs: { secondary: true }, on: { click: () => exportCsv(exportFileName(this.runName(), 'batches', 'csv'), batchesCsv(this.metrics.batches)) } }, 'Export batches CSV'),
    );
    const grid = h('div', { class: 'chart-grid' });
    for (const entry of this.cards) {
      appendChildren(grid, [h('section', { class: 'chart-card', attrs: { 'aria-label': entry.title, 'data-chart': entry.id } },
        h('header', { class: 'chart-header' },
          h('h3', {}, entry.title),
          h('div', { class: 'chart-actions' },
            h('vscode-button', { attrs: { secondary: true, 'aria-label': `Zoom in on ${entry.title}` }, on: { click: () => this.zoom(entry, 1.5) } }, '+'),
            h('vscode-button', { attrs: { secondary: true, 'aria-label': `Zoom out of ${entry.title}` }, on: { click: () => this.zoom(entry, 1 / 1.5) } }, '−'),
            h('vscode-button', { attrs: { secondary: true, 'aria-label': `Export ${entry.title} as PNG` }, on: { click: () => this.exportChart(entry) } }, 'PNG'),
          )),
        h('div', { class: 'chart-box' }, entry.canvas),
        entry.legend,
      )]);
    }
    this.element = h('div', { class: 'metrics' },
      toolbar,
      h('p', { class: 'muted hint' }, 'Scroll to zoom, drag to pan, Shift+drag to zoom to a range. Per-batch points are thinned to the chart width.'),
      this.status,
      grid);
  }

  setMetrics(metrics: RunMetrics): void {
    this.metrics = metrics;
    this.smoothCache.clear();
    this.requestRender();
  }

  /** New data arrived. */
  changed(): void {
    this.requestRender();
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirty) this.requestRender();
  }

  applyTheme(colours: ThemeColours): void {
    this.colours = colours;
    for (const entry of this.cards) {
      if (!entry.chart) continue;
      applyChartTheme(entry.chart, colours);
      this.renderLegend(entry);
    }
    this.dirty = true;
    this.requestRender();
  }

  private smoothed(column: 'loss' | 'acc' | 'imagesPerSecond'): number[] {
    const cached = this.smoothCache.get(column);
    if (cached && cached.version === this.metrics.version && cached.weight === this.smoothing) return cached.values;
    const values = emaSmooth(this.metrics.batches[column], this.smoothing);
    this.smoothCache.set(column, { version: this.metrics.version, weight: this.smoothing, values });
    return values;
  }

  private requestRender(): void {
    this.dirty = true;
    if (!this.visible || this.pendingRender !== undefined) return;
    const wait = Math.max(0, MIN_RENDER_INTERVAL_MS - (performance.now() - this.lastRender));
    this.pendingRender = window.setTimeout(() => {
      requestAnimationFrame(() => {
        this.pendingRender = undefined;
        this.render();
      });
    }, wait);
  }

  private ensureChart(entry: ChartCard): LineChart {
    if (!entry.chart) {
      entry.chart = createLineChart(entry.canvas, {
        xTitle: 'Epoch', yTitle: entry.title, percent: entry.percent, onViewChange: () => this.renderCard(entry),
      }, this.colours);
      if (entry.id === 'loss') setLogScale(entry.chart, this.logLoss);
      if (entry.id === 'learningRate') setLogScale(entry.chart, this.logRate);
      this.renderLegend(entry);
    }
    return entry.chart;
  }

  private renderLegend(entry: ChartCard): void {
    replaceChildren(entry.legend, ...entry.series.map((series) => {
      const style = series.style(this.colours);
      const shown = !entry.hidden.has(series.id);
      return h('button', {
        class: `legend-item${shown ? '' : ' off'}`,
        attrs: { type: 'button', 'aria-pressed': shown ? 'true' : 'false', title: `Show or hide ${style.label}` },
        on: {
          click: () => {
            if (entry.hidden.has(series.id)) entry.hidden.delete(series.id);
            else entry.hidden.add(series.id);
            this.renderLegend(entry);
            this.renderCard(entry);
          },
        },
      }, h('span', { class: `swatch${style.dashed ? ' dashed' : ''}`, attrs: { 'data-colour': style.colour } }), style.label);
    }));
    // Swatch colours come from the theme at run time; set through the CSSOM (allowed by the page's CSP).
    entry.legend.querySelectorAll<HTMLElement>('.swatch').forEach((swatch) => swatch.style.setProperty('--swatch', swatch.dataset.colour ?? ''));
  }

  private renderCard(entry: ChartCard): void {
    const chart = this.ensureChart(entry);
    const range = zoomedRange(chart);
    // About two points per pixel column keeps the line's shape; more only costs drawing time.
    const threshold = Math.max(200, Math.round((chart.width || 600) * 2));
    chart.data.datasets = entry.series.map((series) => {
      const dataset = lineDataset(series.style(this.colours), entry.hidden.has(series.id) ? [] : series.points(this.metrics, range, threshold));
      dataset.hidden = entry.hidden.has(series.id);
      return dataset;
    });
    chart.update('none');
    entry.canvas.setAttribute('aria-label', entry.describe(this.metrics));
  }

  private render(): void {
    if (!this.visible) return;
    this.lastRender = performance.now();
    this.dirty = false;
    for (const entry of this.cards) this.renderCard(entry);
    const m = this.metrics;
    this.status.textContent = m.batchCount === 0 && m.epochs.length === 0
      ? 'No metrics yet: they appear here as soon as training starts.'
      : `${m.epochs.length} epoch${m.epochs.length === 1 ? '' : 's'}, ${m.batchCount.toLocaleString('en-US')} batches.` +
        (m.batchesPerPoint > 1 ? ` Each per-batch point is the average of ${m.batchesPerPoint} batches.` : '') +
        (m.trainingOnly ? ' No validation split: the epochs have training numbers only.' : '');
  }

  private zoom(entry: ChartCard, factor: number): void {
    const chart = this.ensureChart(entry);
    chart.zoom(factor);
    this.renderCard(entry);
  }

  private resetZoom(): void {
    for (const entry of this.cards) entry.chart?.resetZoom('none');
    this.requestRender();
  }

  private exportChart(entry: ChartCard): void {
    const chart = this.ensureChart(entry);
    exportPng(exportFileName(this.runName(), entry.id, 'png'), chart.canvas, this.colours.background);
  }

  dispose(): void {
    if (this.pendingRender !== undefined) clearTimeout(this.pendingRender);
    for (const entry of this.cards) entry.chart?.destroy();
  }
}
