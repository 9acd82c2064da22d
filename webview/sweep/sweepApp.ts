// A sweep's tab: where it stands (with Stop, Resume and Rerun Best with More Epochs), which parameters
// mattered, parallel coordinates with brushing, each parameter against the metric, and the best trials
// with links to their dashboards. Follows the sweep live: each snapshot redraws, keeping the brushes.
import type { SweepTrialView, SweepView, ToSweepView } from '../../src/protocol/sweepView';
import { assertNever } from '../shared/assertNever';
import { h, replaceChildren } from '../shared/dom';
import { exportCsv, exportFileName } from '../shared/exportFile';
import { formatDuration, formatNumber, formatPercent } from '../shared/format';
import { oncePerFrame } from '../shared/oncePerFrame';
import { scatterPlot } from '../shared/scatterPlot';
import { ParallelCoordinates } from './parallelCoordinates';
import { sweepCsv } from './sweepCsv';
import { sweepHost } from './sweepHost';
import {
  METRIC_AXIS, brushedTrials, metricDomain, paramDomain, qualityBuckets, rankByMetric, scoredTrials, type Brush,
} from './trialFilter';

const STATUS_WORDS: Record<SweepView['status'], string> = {
  queued: 'Queued', running: 'Running', completed: 'Completed', cancelled: 'Stopped', failed: 'Failed', interrupted: 'Interrupted',
};
/** Best trials listed before "Show all". */
const TOP_TRIALS = 10;
const SCATTER_WIDTH = 300;
const SCATTER_HEIGHT = 220;

export class SweepApp {
  private sweep?: SweepView;
  private readonly brushes = new Map<string, Brush>();
  private readonly selected = new Set<string>();
  private showAll = false;
  private readonly title = h('h1', {}, 'Sweep');
  private readonly badge = h('span', { class: 'status-badge', attrs: { role: 'status' } });
  private readonly progress = h('p', { class: 'progress-line' });
  private readonly actions = h('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Sweep actions' } });
  private readonly problem = h('div', { class: 'problem', attrs: { role: 'alert' } });
  private readonly importance = h('div', { class: 'importance', attrs: { 'data-section': 'importance' } });
  private readonly filterLine = h('p', { class: 'muted filter-line', attrs: { 'aria-live': 'polite' } });
  private readonly scatters = h('div', { class: 'scatter-grid', attrs: { 'data-section': 'scatter' } });
  private readonly table = h('div', { class: 'best-trials', attrs: { 'data-section': 'best' } });
  private readonly parallel: ParallelCoordinates;
  private readonly epochsInput: HTMLInputElement;

  constructor(private readonly root: HTMLElement) {
    this.parallel = new ParallelCoordinates({
      onBrush: (axis, brush) => {
        if (brush) this.brushes.set(axis, brush);
        else this.brushes.delete(axis);
        this.render();
      },
      onOpenTrial: (trial) => this.openTrial(trial),
      formatMetric: (value) => this.formatMetric(value),
    });
    this.epochsInput = h('input', { class: 'epochs-input', attrs: { type: 'number', min: 1, max: 10000, step: 1, 'aria-label': 'Epochs for the rerun of the best trial' } });
    this.problem.hidden = true;
    replaceChildren(root,
      h('header', { class: 'run-header' }, h('div', { class: 'title-row' }, this.title, this.badge), this.progress, this.actions),
      this.problem,
      h('section', { class: 'sweep-section', attrs: { 'aria-labelledby': 'importance-title' } },
        h('h2', { attrs: { id: 'importance-title' } }, 'Which parameters mattered'), this.importance),
      h('section', { class: 'sweep-section', attrs: { 'aria-labelledby': 'parallel-title' } },
        h('h2', { attrs: { id: 'parallel-title' } }, 'Parameters against the metric'),
        h('p', { class: 'muted hint' }, 'Each line is a trial. Drag along an axis to keep only the trials in that range (on several axes: all of them); click an axis to clear its filter; click a line to open the trial\'s dashboard.'),
        this.filterLine, this.parallel.element),
      h('section', { class: 'sweep-section', attrs: { 'aria-labelledby': 'scatter-title' } },
        h('h2', { attrs: { id: 'scatter-title' } }, 'Each parameter'), this.scatters),
      h('section', { class: 'sweep-section', attrs: { 'aria-labelledby': 'best-title' } },
        h('h2', { attrs: { id: 'best-title' } }, 'Best trials'), this.table));
    new ResizeObserver(oncePerFrame(() => {
      if (this.sweep) this.renderCharts(this.sweep);
    })).observe(this.parallel.element);
  }

  handle(message: ToSweepView): void {
    switch (message.type) {
      case 'snapshot':
        this.root.removeAttribute('aria-busy');
        this.problem.hidden = true;
        if (!this.sweep || this.sweep.baseEpochs !== message.sweep.baseEpochs) this.epochsInput.value = String(this.suggestedEpochs(message.sweep));
        this.sweep = message.sweep;
        sweepHost.saveState({ sweepId: message.sweep.id });
        this.render();
        return;
      case 'sweepError':
        this.root.removeAttribute('aria-busy');
        replaceChildren(this.problem, message.message);
        this.problem.hidden = false;
        return;
      default:
        assertNever(message);
    }
  }

  private formatMetric(value: number): string {
    return this.sweep?.metric === 'valLoss' ? formatNumber(value) : formatPercent(value, 1);
  }

  private suggestedEpochs(sweep: SweepView): number {
    const best = sweep.trials.find((trial) => trial.trial === sweep.best?.trial);
    const epochs = best?.epochs ?? sweep.baseEpochs;
    return Math.max(epochs + 1, epochs * 3);
  }

  private openTrial(trial: SweepTrialView): void {
    if (trial.runId) sweepHost.post({ type: 'openRun', runId: trial.runId });
  }

  private render(): void {
    const sweep = this.sweep;
    if (!sweep) return;
    this.renderHeader(sweep);
    this.renderImportance(sweep);
    this.renderCharts(sweep);
  }

  private renderHeader(sweep: SweepView): void {
    this.title.textContent = sweep.name;
    document.title = `Sweep: ${sweep.name}`;
    this.badge.textContent = STATUS_WORDS[sweep.status];
    this.badge.className = `status-badge status-${sweep.status === 'cancelled' ? 'cancelled' : sweep.status}`;
    const finished = sweep.trials.filter((t) => t.status === 'completed' || t.status === 'failed').length;
    const running = sweep.trials.filter((t) => t.status === 'running').length;
    const failed = sweep.trials.filter((t) => t.status === 'failed').length;
    const best = sweep.best ? `best ${this.formatMetric(sweep.best.value)} (trial ${sweep.best.trial})` : 'no result yet';
    const parts = [
      `${finished}${sweep.plannedTrials !== undefined ? `/${sweep.plannedTrials}` : ''} trials`,
      ...(running > 0 ? [`${running} running`] : []),
      ...(failed > 0 ? [`${failed} failed`] : []),
      best,
      `${formatDuration(sweep.elapsedMs)}${sweep.budgetMinutes !== undefined ? ` of ${sweep.budgetMinutes} min` : ''}`,
      `${sweep.method} search${sweep.method !== 'grid' ? ` (seed ${sweep.seed})` : ''} over ${sweep.spaceText}`,
    ];
    this.progress.textContent = parts.join(' · ');
    if (sweep.error) {
      replaceChildren(this.problem, h('strong', {}, 'The sweep stopped: '), sweep.error);
      this.problem.hidden = false;
    }
    const buttons: HTMLElement[] = [];
    if (sweep.runningHere) buttons.push(h('vscode-button', { attrs: { 'data-action': 'stop' }, on: { click: () => sweepHost.post({ type: 'stopSweep' }) } }, 'Stop Sweep'));
    if (sweep.resumable) buttons.push(h('vscode-button', { attrs: { 'data-action': 'resume' }, on: { click: () => sweepHost.post({ type: 'resumeSweep' }) } }, 'Resume Sweep'));
    if (sweep.best) {
      buttons.push(h('span', { class: 'rerun' },
        h('vscode-button', {
          attrs: { 'data-action': 'rerunBest', secondary: buttons.length > 0 },
          on: {
            click: () => {
              const epochs = Number(this.epochsInput.value);
              if (Number.isInteger(epochs) && epochs >= 1 && epochs <= 10_000) sweepHost.post({ type: 'rerunBest', epochs });
              else this.epochsInput.focus();
            },
          },
        }, 'Rerun Best with More Epochs'),
        h('label', { class: 'inline' }, this.epochsInput, ' epochs')));
    }
    buttons.push(h('vscode-button', { attrs: { secondary: true, 'data-action': 'csv' }, on: { click: () => exportCsv(exportFileName(sweep.name, 'trials', 'csv'), sweepCsv(sweep)) } }, 'Export CSV'));
    replaceChildren(this.actions, ...buttons);
  }

  private renderImportance(sweep: SweepView): void {
    const entries = sweep.importance;
    const explained = 'Estimated by a random forest (300 trees) from the completed trials: a parameter\'s importance is how much worse the forest predicts the metric of trials it did not train on when that parameter\'s values are shuffled (permutation importance), shown as a share of all. The arrow is the Spearman rank correlation with the metric: ↑ larger values went with a higher ' + (sweep.metric === 'valAcc' ? 'accuracy' : 'loss') + '.';
    if (sweep.importanceTrials < 4 || entries.length === 0 || entries.every((entry) => entry.importance === 0)) {
      const why = sweep.importanceTrials < 4
        ? `It needs at least 4 completed trials (${sweep.importanceTrials} so far).`
        : 'The trials so far do not tell the parameters apart (the metric barely changed).';
      replaceChildren(this.importance, h('p', { class: 'muted', attrs: { 'data-empty': 'true' } }, why), h('p', { class: 'muted hint' }, explained));
      return;
    }
    const top = entries[0];
    replaceChildren(this.importance,
      h('p', { class: 'importance-lead' }, h('strong', { attrs: { 'data-top-param': top.param } }, top.param), ` mattered most: ${Math.round(top.importance * 100)}% of what the parameters explain, from ${sweep.importanceTrials} completed trials.`),
      h('ol', { class: 'importance-bars' }, ...entries.map((entry) => {
        const bar = h('span', { class: 'bar' });
        bar.style.setProperty('--share', `${Math.round(entry.importance * 1000) / 10}%`);
        const direction = entry.correlation === undefined ? '' : entry.correlation > 0.1 ? `↑ ${entry.correlation.toFixed(2)}` : entry.correlation < -0.1 ? `↓ ${entry.correlation.toFixed(2)}` : `· ${entry.correlation.toFixed(2)}`;
        return h('li', { attrs: { 'data-param': entry.param } },
          h('span', { class: 'param' }, entry.param),
          h('span', { class: 'bar-track', attrs: { role: 'img', 'aria-label': `${entry.param}: ${Math.round(entry.importance * 100)}%` } }, bar),
          h('span', { class: 'share number' }, `${Math.round(entry.importance * 100)}%`),
          h('span', { class: 'correlation muted', attrs: { title: 'Spearman rank correlation with the metric' } }, direction));
      })),
      h('p', { class: 'muted hint' }, explained, ' With a dozen trials it is a hint, not a verdict.'));
  }

  private renderCharts(sweep: SweepView): void {
    const scored = scoredTrials(sweep);
    const kept = brushedTrials(scored, this.brushes);
    const keptSet = new Set(kept.map((trial) => trial.trial));
    const buckets = qualityBuckets(scored, sweep.metric);
    const running = sweep.trials.filter((t) => t.status === 'running').length;
    replaceChildren(this.filterLine,
      scored.length === 0 ? `No trial has finished an epoch yet${running > 0 ? ` (${running} running)` : ''}.` : `${kept.length} of ${scored.length} scored trials shown${this.brushes.size > 0 ? ` (filtered on ${[...this.brushes.keys()].map((k) => (k === METRIC_AXIS ? 'the metric' : k)).join(', ')})` : ''}.`,
      this.brushes.size > 0 ? h('button', { class: 'link', attrs: { type: 'button', 'data-action': 'clearFilters' }, on: { click: () => { this.brushes.clear(); this.render(); } } }, 'Clear filters') : undefined);
    this.parallel.render(sweep, scored, this.brushes, keptSet, buckets);

    const yDomain = metricDomain(scored);
    const metricLabel = sweep.metric === 'valAcc' ? 'validation accuracy' : 'validation loss';
    replaceChildren(this.scatters, ...sweep.params.map((param) => h('figure', { class: 'scatter-card', attrs: { 'data-param': param.name } },
      scatterPlot(scored.map((trial) => ({
        key: String(trial.trial), x: trial.params[param.name] ?? '', y: trial.value!,
        classes: `q${buckets.get(trial.trial) ?? 0}${keptSet.has(trial.trial) ? '' : ' dimmed'}${trial.trial === sweep.best?.trial ? ' best' : ''}`,
        title: `Trial ${trial.trial}: ${param.name}=${trial.params[param.name]} → ${this.formatMetric(trial.value!)}`,
      })), {
        x: paramDomain(param, scored), y: yDomain, xLabel: `${param.name}${param.log ? ' (log)' : ''}`, yLabel: metricLabel,
        width: SCATTER_WIDTH, height: SCATTER_HEIGHT, yTickLabel: (value) => this.formatMetric(value),
        description: `${param.name} against the ${metricLabel} for ${scored.length} trials.`,
        onClick: (key) => {
          const trial = scored.find((t) => String(t.trial) === key);
          if (trial) this.openTrial(trial);
        },
      }),
      h('figcaption', { class: 'muted' }, param.name))));
    this.renderTable(sweep, kept);
  }

  private renderTable(sweep: SweepView, kept: readonly SweepTrialView[]): void {
    const ranked = rankByMetric(kept, sweep.metric);
    const shown = this.showAll ? ranked : ranked.slice(0, TOP_TRIALS);
    const unscored = sweep.trials.filter((trial) => trial.value === undefined);
    const compare = h('vscode-button', {
      attrs: { secondary: true, disabled: this.selected.size < 2, 'data-action': 'compare' },
      on: { click: () => sweepHost.post({ type: 'compareRuns', runIds: [...this.selected] }) },
    }, `Compare Selected (${this.selected.size})`);
    const header = ['', 'Rank', 'Trial', 'Run', sweep.metric === 'valAcc' ? 'Val acc' : 'Val loss', ...sweep.params.map((p) => p.name), 'Epochs', 'Test acc', 'Time', 'Status'];
    const table = h('table', { class: 'data-table trials', attrs: { 'aria-label': 'Trials, best first' } },
      h('thead', {}, h('tr', {}, ...header.map((title) => h('th', { attrs: { scope: 'col' } }, title)))),
      h('tbody', {}, ...shown.map((trial, i) => {
        const box = h('input', {
          attrs: { type: 'checkbox', 'aria-label': `Select trial ${trial.trial} to compare`, checked: trial.runId !== undefined && this.selected.has(trial.runId), disabled: trial.runId === undefined },
          on: {
            change: (event) => {
              if (!trial.runId) return;
              if ((event.target as HTMLInputElement).checked) this.selected.add(trial.runId);
              else this.selected.delete(trial.runId);
              this.renderTable(sweep, kept);
            },
          },
        });
        return h('tr', { class: trial.trial === sweep.best?.trial ? 'best' : undefined, attrs: { 'data-trial': trial.trial } },
          h('td', {}, box),
          h('td', { class: 'number' }, i + 1),
          h('td', { class: 'number' }, `#${trial.trial}`),
          h('td', {}, trial.runId ? h('button', { class: 'link', attrs: { type: 'button', 'data-run-id': trial.runId }, on: { click: () => this.openTrial(trial) } }, trial.runName ?? trial.runId) : '–'),
          h('td', { class: 'number' }, this.formatMetric(trial.value!)),
          ...sweep.params.map((p) => h('td', { class: typeof trial.params[p.name] === 'number' ? 'number' : undefined }, String(typeof trial.params[p.name] === 'number' ? formatNumber(trial.params[p.name] as number) : trial.params[p.name] ?? '–'))),
          h('td', { class: 'number' }, `${trial.lastEpoch ?? 0}/${trial.epochs}`),
          h('td', { class: 'number' }, formatPercent(trial.testAcc, 1)),
          h('td', { class: 'number' }, formatDuration(trial.durationMs)),
          h('td', {}, trial.status));
      })));
    const more = ranked.length > TOP_TRIALS
      ? h('button', { class: 'link', attrs: { type: 'button' }, on: { click: () => { this.showAll = !this.showAll; this.renderTable(sweep, kept); } } }, this.showAll ? 'Show the best 10' : `Show all ${ranked.length}`)
      : undefined;
    replaceChildren(this.table,
      ranked.length === 0 ? h('p', { class: 'muted' }, this.brushes.size > 0 ? 'No trial is inside every filter.' : 'No trial has a result yet.') : table,
      h('div', { class: 'toolbar' }, more, compare,
        unscored.length > 0 ? h('span', { class: 'muted' }, `${unscored.length} trial${unscored.length === 1 ? '' : 's'} without a result (${[...new Set(unscored.map((t) => t.status))].join(', ')}).`) : undefined));
  }
}
