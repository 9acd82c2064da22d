// The Find Learning Rate tab: the range test's loss against learning rate on a log axis as the points
// arrive, where it stands, the suggested rate marked on the chart, and a rate to start a run with (the
// suggestion, one typed, or one clicked on the chart). It saves what it shows as the page's state, which
// the panel gets back after a window reload.
import type {
  FromLrFinderView, LearningRateResult, LrFinderSearch, LrFinderSnapshot, LrFinderStatus, LrFinderTabState, RangeBounds, RangeTestPoint, ToLrFinderView,
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

const host = hostChannel<FromLrFinderView, LrFinderTabState>();

const END_WORDS: Record<LearningRateResult['end'], string> = {
  completed: 'every step done',
  diverged: 'stopped once the loss diverged',
  cancelled: 'stopped',
};

export class LrFinderApp {
  /** Known from the first snapshot: kept with the page's state, never read here. */
  private search?: LrFinderSearch;
  private points: RangeTestPoint[] = [];
  private status: LrFinderStatus = 'running';
  private bounds?: RangeBounds;
  private result?: LearningRateResult;
  private error?: string;
  private warningTexts: string[] = [];
  private startedRun?: string;
  /** Set when the saved state could not be restored: the tab shows only why. */
  private notRestored = false;
  private colours: ThemeColours = readThemeColours();
  private chart?: LineChart;
  /** The rate picked on the chart or typed; the suggestion until then. */
  private chosen?: number;
  /** Whether the user chose `chosen` (rather than it being the suggestion). */
  private chosenByUser = false;
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
  private readonly searchAgainButton = h('vscode-button', { attrs: { id: 'search-again' }, on: { click: () => host.post({ type: 'searchAgain' }) } }, 'Run the Search Again');
  private readonly started = h('p', { class: 'started', attrs: { 'aria-live': 'polite' } });
  private readonly scheduleRender = oncePerFrame(() => this.render());

  constructor(private readonly root: HTMLElement) {
    replaceChildren(root,
      h('header', {}, h('h1', {}, 'Find Learning Rate'), this.setupLine),
      h('div', { class: 'status-row' }, this.statusLine, this.stopButton, this.searchAgainButton),
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
        this.warningTexts.push(message.message);
        this.warnings.appendChild(h('li', {}, message.message));
        this.save();
        return;
      case 'ended':
        this.status = message.status;
        this.result = message.result;
        this.error = message.error;
        this.chooseSuggestion();
        break;
      case 'runStarted':
        this.startedRun = message.name;
        this.started.textContent = `Started run "${message.name}": it shows in the Experiments view.`;
        this.save();
        return;
      case 'notRestored':
        this.showNotRestored(message.reason);
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
    this.search = snapshot.search;
    this.points = [...snapshot.points];
    this.status = snapshot.status;
    this.bounds = snapshot.bounds;
    this.result = snapshot.result;
    this.error = snapshot.error;
    this.warningTexts = [...snapshot.warnings];
    replaceChildren(this.warnings, ...snapshot.warnings.map((warning) => h('li', {}, warning)));
    this.startedRun = snapshot.startedRun;
    this.started.textContent = snapshot.startedRun ? `Started run "${snapshot.startedRun}": it shows in the Experiments view.` : '';
    // A snapshot is the whole truth (a search run again starts with nothing chosen).
    this.chosen = undefined;
    this.chosenByUser = false;
    this.rateField.value = '';
    this.rateProblem.textContent = '';
    if (snapshot.chosenRate !== undefined) this.setChosen(snapshot.chosenRate, true);
    else if (this.status !== 'running') this.chooseSuggestion();
    this.scheduleRender();
  }

  /** The tab's saved state could not be read after a window reload: only why, and a way to start afresh. */
  private showNotRestored(reason: string): void {
    this.notRestored = true;
    this.root.removeAttribute('aria-busy');
    document.title = 'Find Learning Rate';
    replaceChildren(this.root,
      h('header', {}, h('h1', {}, 'Find Learning Rate')),
      h('p', { class: 'status error not-restored', attrs: { role: 'status' } },
        `This tab could not be restored after the window reloaded: ${reason}. Nothing of it is shown; find a learning rate again for a new curve.`),
      h('vscode-button', { attrs: { id: 'new-search' }, on: { click: () => host.post({ type: 'newSearch' }) } }, 'Find Learning Rate…'));
  }

  /** What the tab shows, kept by VS Code for the panel serializer (the user's choice only when they made one). */
  private save(): void {
    if (!this.search || this.notRestored) return;
    host.saveState({
      search: this.search, status: this.status, points: this.points, warnings: this.warningTexts,
      ...(this.bounds ? { bounds: this.bounds } : {}),
      ...(this.result ? { result: this.result } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
      ...(this.startedRun !== undefined ? { startedRun: this.startedRun } : {}),
      ...(this.chosenByUser && this.chosen !== undefined ? { chosenRate: this.chosen } : {}),
    });
  }

  /** The suggestion becomes the run's rate once the test has ended (unless the user already chose one). */
  private chooseSuggestion(): void {
    const suggested = this.result?.suggestedRate;
    if (this.chosen === undefined && suggested !== null && suggested !== undefined) this.setChosen(roundRate(suggested), false);
  }

  private setChosen(rate: number, byUser: boolean): void {
    this.chosen = rate;
    this.chosenByUser = byUser;
    this.rateField.value = rateText(rate);
    this.rateProblem.textContent = '';
  }

  /** The user chose `rate` (typed, or picked on the chart): the panel keeps it for the tab's next page, the page's state for a reload. */
  private userChose(rate: number): void {
    this.chosen = rate;
    this.chosenByUser = true;
    host.post({ type: 'chooseRate', learningRate: rate });
    this.save();
  }

  private onRateTyped(): void {
    const parsed = parseRate(this.rateField.value);
    if ('problem' in parsed) {
      this.chosen = undefined;
      this.rateProblem.textContent = parsed.problem;
    } else {
      this.userChose(parsed.rate);
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
    if (this.notRestored) return;
    this.renderStatus();
    this.renderSuggestion();
    this.renderControls();
    this.renderChart();
    this.save();
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
      case 'interrupted':
        this.statusLine.textContent = `The range test had not finished when the window reloaded, which ended it${last ? ` after ${last.step + 1} steps` : ' before its first step'}: it cannot continue. Run it again for a suggested rate.`;
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
    this.searchAgainButton.hidden = this.status !== 'interrupted' && this.status !== 'failed';
  }

  private renderSuggestion(): void {
    const result = this.result;
    if (this.status === 'running') {
      replaceChildren(this.suggestion, h('p', { class: 'muted' }, 'The suggested rate appears here when the test ends.'));
      return;
    }
    if (this.status === 'interrupted') {
      replaceChildren(this.suggestion, h('p', {}, 'No suggestion: the test did not finish. Run it again, or pick a rate on the chart or type one below.'));
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
        this.setChosen(roundRate(rate), true);
        this.userChose(roundRate(rate));
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
