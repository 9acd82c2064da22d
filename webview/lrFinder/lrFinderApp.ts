// The Find Learning Rate tab: the range test's loss against learning rate on a log axis as the points
// arrive, where it stands, the suggested rate marked on the chart, and a rate to start a run with (the
// suggestion, one typed, or one clicked on the chart).
import type {
  FromLrFinderView, LearningRateResult, LrFinderSnapshot, LrFinderStatus, RangeBounds, RangeTestPoint, ToLrFinderView,
} from '../../src/protocol/lrFinderView';
import { withAlpha } from '../dashboard/colour';
import { applyChartTheme, createLineChart, lineDataset, type LineChart } from '../dashboard/lineChart';
import { onThemeChange, readThemeColours, type ThemeColours } from '../dashboard/themeColours';
import { assertNever } from '../shared/assertNever';
import { toCsv } from '../shared/csv';
import { h, replaceChildren } from '../shared/dom';
import { exportCsv, exportFileName, exportPng } from '../shared/exportFile';
import { formatNumber } from '../shared/format';
import { hostChannel } from '../shared/hostChannel';
import { oncePerFrame } from '../shared/oncePerFrame';
import { parseRate, rateText, roundRate } from './rateChoice';

const host = hostChannel<FromLrFinderView>();

const END_WORDS: Record<LearningRateResult['end'], string> = {
  completed: 'every step done',
  diverged: 'stopped once the loss diverged',
  cancelled: 'stopped',
};

export class LrFinderApp {
  private points: RangeTestPoint[] = [];
  private status: LrFinderStatus = 'running';
  private bounds?: RangeBounds;
  private result?: LearningRateResult;
  private error?: string;
  private colours: ThemeColours = readThemeColours();
  private chart?: LineChart;
  /** The rate picked on the chart or typed; the suggestion until then. */
  private chosen?: number;
  private readonly setupLine = h('p', { class: 'setup muted' });
  private readonly statusLine = h('p', { class: 'status', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly warnings = h('ul', { class: 'warnings' });
  private readonly canvas = h('canvas', { attrs: { role: 'img', 'aria-label': 'Loss against learning rate' } });
  private readonly suggestion = h('div', { class: 'suggestion', attrs: { 'aria-live': 'polite' } });
  private readonly rateField = h('vscode-textfield', {
    attrs: { id: 'run-rate', placeholder: 'e.g. 0.003', 'aria-label': 'Learning rate for the run' },
    on: { input: () => this.onRateTyped() },
  }) as unknown as HTMLInputElement;
  private readonly rateProblem = h('span', { class: 'error', attrs: { 'aria-live': 'polite' } });
  private readonly startButton = h('vscode-button', { attrs: { id: 'start-run', disabled: true }, on: { click: () => this.startRun() } }, 'Start Run with This Rate');
  private readonly stopButton = h('vscode-button', { attrs: { secondary: true }, on: { click: () => host.post({ type: 'stop' }) } }, 'Stop');
  private readonly started = h('p', { class: 'started', attrs: { 'aria-live': 'polite' } });
  private readonly scheduleRender = oncePerFrame(() => this.render());

  constructor(private readonly root: HTMLElement) {
    replaceChildren(root,
      h('header', {}, h('h1', {}, 'Find Learning Rate'), this.setupLine),
      h('div', { class: 'status-row' }, this.statusLine, this.stopButton),
      this.warnings,
      h('section', { class: 'chart-card', attrs: { 'aria-label': 'Loss against learning rate' } },
        h('header', { class: 'chart-header' },
          h('h2', {}, 'Loss against learning rate'),
          h('div', { class: 'chart-actions' },
            h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.exportCsv() } }, 'CSV'),
            h('vscode-button', { attrs: { secondary: true }, on: { click: () => this.exportPng() } }, 'PNG'))),
        h('div', { class: 'chart-box' }, this.canvas),
        h('p', { class: 'muted hint' }, 'One training step per rate, the rate growing exponentially. Click the chart to pick a rate; scroll to zoom, drag to pan.')),
      h('section', { class: 'choice', attrs: { 'aria-label': 'Start a run' } },
        this.suggestion,
        h('div', { class: 'start-row' },
          h('label', { attrs: { for: 'run-rate' } }, 'Learning rate for the run'), this.rateField, this.startButton, this.rateProblem),
        this.started));
    onThemeChange((colours) => {
      this.colours = colours;
      if (this.chart) applyChartTheme(this.chart, colours);
      this.scheduleRender();
    });
  }

  receive(message: ToLrFinderView): void {
    switch (message.type) {
      case 'snapshot':
        this.applySnapshot(message.snapshot);
        return;
      case 'started':
        this.bounds = message.bounds;
        break;
      case 'points':
        this.points.push(...message.points);
        break;
      case 'warning':
        this.warnings.appendChild(h('li', {}, message.message));
        return;
      case 'ended':
        this.status = message.status;
        this.result = message.result;
        this.error = message.error;
        this.chooseSuggestion();
        break;
      case 'runStarted':
        this.started.textContent = `Started run "${message.name}": it shows in the Experiments view.`;
        return;
      default:
        assertNever(message);
    }
    this.scheduleRender();
  }

  private applySnapshot(snapshot: LrFinderSnapshot): void {
    this.root.removeAttribute('aria-busy');
    const { setup } = snapshot;
    this.setupLine.textContent = `${setup.dataset} · ${setup.model} · ${setup.training}`;
    document.title = `Learning Rate: ${setup.dataset}`;
    this.points = [...snapshot.points];
    this.status = snapshot.status;
    this.bounds = snapshot.bounds;
    this.result = snapshot.result;
    this.error = snapshot.error;
    replaceChildren(this.warnings, ...snapshot.warnings.map((warning) => h('li', {}, warning)));
    this.started.textContent = snapshot.startedRun ? `Started run "${snapshot.startedRun}": it shows in the Experiments view.` : '';
    if (this.status !== 'running') this.chooseSuggestion();
    this.scheduleRender();
  }

  /** The suggestion becomes the run's rate once the test has ended (unless the user already chose one). */
  private chooseSuggestion(): void {
    const suggested = this.result?.suggestedRate;
    if (this.chosen === undefined && suggested !== null && suggested !== undefined) this.setChosen(roundRate(suggested));
  }

  private setChosen(rate: number): void {
    this.chosen = rate;
    this.rateField.value = rateText(rate);
    this.rateProblem.textContent = '';
  }

  private onRateTyped(): void {
    const parsed = parseRate(this.rateField.value);
    if ('problem' in parsed) {
      this.chosen = undefined;
      this.rateProblem.textContent = parsed.problem;
    } else {
      this.chosen = parsed.rate;
      this.rateProblem.textContent = '';
    }
    this.renderControls();
    this.renderChart();
  }

  private startRun(): void {
    if (this.chosen === undefined || this.status === 'running') return;
    host.post({ type: 'startRun', learningRate: this.chosen });
    this.started.textContent = 'Starting the run…';
  }


  private render(): void {
    this.renderStatus();
    this.renderSuggestion();
    this.renderControls();
    this.renderChart();
  }

  private renderStatus(): void {
    const last = this.points[this.points.length - 1];
    const progress = last ? `step ${last.step + 1}${this.bounds ? ` of at most ${this.bounds.steps}` : ''} · rate ${formatNumber(last.rate, 2)} · smoothed loss ${formatNumber(last.smoothedLoss)}` : '';
    switch (this.status) {
      case 'running':
        this.statusLine.textContent = last ? `Running: ${progress}` : 'Reading the dataset and building the model…';
        break;
      case 'failed':
        this.statusLine.textContent = `The range test failed: ${this.error ?? 'unknown error'}`;
        break;
      case 'finished':
      case 'cancelled': {
        const result = this.result;
        this.statusLine.textContent = result
          ? `Done: ${result.steps} steps from ${formatNumber(result.minRate, 2)} (${END_WORDS[result.end]}), ${result.trainCount.toLocaleString('en-US')} training images, ${result.backend}.`
          : 'Stopped.';
        break;
      }
    }
    this.statusLine.classList.toggle('error', this.status === 'failed');
    this.stopButton.hidden = this.status !== 'running';
  }

  private renderSuggestion(): void {
    const result = this.result;
    if (this.status === 'running') {
      replaceChildren(this.suggestion, h('p', { class: 'muted' }, 'The suggested rate appears here when the test ends.'));
      return;
    }
    if (!result || result.suggestedRate === null) {
      replaceChildren(this.suggestion, h('p', {},
        this.status === 'failed' ? 'No suggestion.' : 'No suggestion: the loss did not fall. Try a lower lowest rate or more steps (classifier-lab lr-find --min-lr X --steps N), or type a rate below.'));
      return;
    }
    replaceChildren(this.suggestion,
      h('p', { class: 'suggested' }, 'Suggested learning rate: ', h('strong', { attrs: { 'data-rate': String(roundRate(result.suggestedRate)) } }, rateText(roundRate(result.suggestedRate)))),
      h('p', { class: 'muted' }, `The loss fell fastest there; it was lowest at ${rateText(roundRate(result.minimumRate ?? result.suggestedRate))} (higher rates make it worse). With a schedule, the rate is its peak.`));
  }

  private renderControls(): void {
    const canStart = this.status !== 'running' && this.status !== 'failed' && this.chosen !== undefined;
    if (canStart) this.startButton.removeAttribute('disabled');
    else this.startButton.setAttribute('disabled', '');
  }

  private ensureChart(): LineChart {
    if (!this.chart) {
      this.chart = createLineChart(this.canvas, { xTitle: 'Learning rate', yTitle: 'Loss', xLog: true, onViewChange: () => this.renderChart() }, this.colours);
      this.chart.options.onClick = (event) => {
        const chart = this.chart;
        if (!chart || this.status === 'running' || this.status === 'failed' || event.x === null) return;
        const rate = chart.scales.x.getValueForPixel(event.x);
        if (rate === undefined || !(rate > 0)) return;
        this.setChosen(roundRate(rate));
        this.renderControls();
        this.renderChart();
      };
    }
    return this.chart;
  }

  private renderChart(): void {
    const chart = this.ensureChart();
    const c = this.colours;
    const smoothed = this.points.map((p) => ({ x: p.rate, y: p.smoothedLoss }));
    const raw = this.points.map((p) => ({ x: p.rate, y: p.loss }));
    const losses = smoothed.map((p) => p.y).filter(Number.isFinite);
    const low = losses.length > 0 ? Math.min(...losses) : 0;
    // The last steps diverge by design: keep the axis to the smoothed curve, not the raw spikes.
    const high = losses.length > 0 ? Math.max(...losses) : 1;
    const y = chart.options.scales?.y;
    if (y) {
      y.min = Math.max(0, low - (high - low) * 0.1);
      y.max = high + (high - low) * 0.1 || high + 1;
    }
    const marker = (rate: number): { x: number; y: number }[] => [{ x: rate, y: y?.min as number }, { x: rate, y: y?.max as number }];
    const suggested = this.result?.suggestedRate ?? undefined;
    chart.data.datasets = [
      lineDataset({ label: 'Loss of each step', colour: withAlpha(c.series[0], 0.35), width: 1 }, raw),
      lineDataset({ label: 'Smoothed loss', colour: c.series[0], width: 2 }, smoothed),
      ...(suggested !== undefined ? [lineDataset({ label: `Suggested rate ${rateText(roundRate(suggested))}`, colour: c.series[2], width: 2, dashed: true }, marker(suggested))] : []),
      ...(this.chosen !== undefined && (suggested === undefined || this.chosen !== roundRate(suggested))
        ? [lineDataset({ label: `Chosen rate ${rateText(this.chosen)}`, colour: c.series[1], width: 2, dashed: true }, marker(this.chosen))] : []),
    ];
    chart.update('none');
    this.canvas.setAttribute('aria-label', this.points.length === 0 ? 'Loss against learning rate: no steps yet.'
      : `Loss against learning rate over ${this.points.length} steps from ${formatNumber(this.points[0].rate, 2)} to ${formatNumber(this.points[this.points.length - 1].rate, 2)}; lowest smoothed loss ${formatNumber(low)}` +
        (suggested !== undefined ? `; suggested rate ${rateText(roundRate(suggested))}.` : '.'));
  }

  private exportCsv(): void {
    exportCsv(exportFileName('learning-rate', 'range-test', 'csv'), toCsv(['step', 'learning_rate', 'loss', 'smoothed_loss'], this.points.map((p) => [p.step, p.rate, p.loss, p.smoothedLoss])));
  }

  private exportPng(): void {
    if (this.chart) exportPng(exportFileName('learning-rate', 'range-test', 'png'), this.chart.canvas, this.colours.background);
  }
}
