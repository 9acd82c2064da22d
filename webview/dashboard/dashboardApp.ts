// One run's dashboard: a header with where the run stands, and tabs for the summary, live
// metrics, confusion matrix, architecture and samples. Applies the extension's messages.
import type { RunRecord, RunSnapshot, ToDashboardView } from '../../src/protocol/dashboardView';
import { ArchitectureSection } from './architectureSection';
import { assertNever } from '../shared/assertNever';
import { ConfusionSection } from './confusionSection';
import { DoctorBanner } from './doctorBanner';
import { h, replaceChildren } from '../shared/dom';
import { formatCount, formatDuration, formatNumber, formatPercent } from '../shared/format';
import { oncePerFrame } from '../shared/oncePerFrame';
import { MetricsSection } from './metricsSection';
import { RunMetrics } from './runMetrics';
import { SampleImageStore } from './sampleImageStore';
import { SamplesSection } from './samplesSection';
import { bestAccuracyParts, statusWord } from './summaryRows';
import { SummarySection } from './summarySection';
import { onThemeChange, readThemeColours } from './themeColours';
import { dashboardHost } from './dashboardHost';

const TABS = ['Summary', 'Metrics', 'Confusion matrix', 'Architecture', 'Samples'] as const;
const METRICS_TAB = 1;
const ARCHITECTURE_TAB = 3;

export class DashboardApp {
  private run?: RunRecord;
  private metrics = new RunMetrics();
  private readonly images = new SampleImageStore();
  private readonly summary = new SummarySection();
  private readonly metricsSection: MetricsSection;
  private readonly confusion: ConfusionSection;
  private readonly architecture: ArchitectureSection;
  private readonly samples: SamplesSection;
  private readonly doctor = new DoctorBanner();
  private readonly title: HTMLElement;
  private readonly badge: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly tabs: HTMLElement;
  private tab: number;
  private readonly scheduleHeader = oncePerFrame(() => this.renderHeader());

  constructor(private readonly root: HTMLElement, private readonly runIds: string[]) {
    const colours = readThemeColours();
    const runName = (): string => this.run?.name ?? runIds[0] ?? 'run';
    this.metricsSection = new MetricsSection(this.metrics, colours, runName);
    this.confusion = new ConfusionSection(this.images, runName);
    this.architecture = new ArchitectureSection(colours, runName);
    this.samples = new SamplesSection(this.images);
    this.title = h('h1', {}, runIds[0] ?? 'Run');
    this.badge = h('span', { class: 'status-badge', attrs: { role: 'status' } });
    this.progress = h('p', { class: 'progress-line', attrs: { 'aria-live': 'off' } });
    this.problem = h('div', { class: 'problem', attrs: { role: 'alert' } });
    this.problem.hidden = true;
    const saved = dashboardHost.state().tab;
    this.tab = typeof saved === 'number' && saved >= 0 && saved < TABS.length ? saved : 0;
    const panels = [this.summary.element, this.metricsSection.element, this.confusion.element, this.architecture.element, this.samples.element];
    this.tabs = h('vscode-tabs', { attrs: { 'selected-index': this.tab, 'aria-label': 'Dashboard sections' } },
      ...TABS.flatMap((name, i) => [
        h('vscode-tab-header', { attrs: { slot: 'header', 'data-section': name } }, name),
        h('vscode-tab-panel', { attrs: { 'data-section': name } }, panels[i]),
      ]));
    this.tabs.addEventListener('vsc-tabs-select', (event) => this.onTab((event as CustomEvent<{ selectedIndex: number }>).detail.selectedIndex));
    replaceChildren(root,
      h('header', { class: 'run-header' }, h('div', { class: 'title-row' }, this.title, this.badge), this.progress),
      this.problem,
      this.doctor.element,
      this.tabs);
    onThemeChange((fresh) => {
      this.metricsSection.applyTheme(fresh);
      this.architecture.applyTheme(fresh);
    });
    this.onTab(this.tab);
  }

  private onTab(index: number): void {
    this.tab = index;
    dashboardHost.saveState({ runIds: this.runIds, tab: index });
    this.metricsSection.setVisible(index === METRICS_TAB);
    this.architecture.setVisible(index === ARCHITECTURE_TAB);
  }

  handle(message: ToDashboardView): void {
    switch (message.type) {
      case 'snapshot':
        this.applySnapshot(message.snapshot);
        return;
      case 'trainingStart':
        this.metrics.applyStart(message.start);
        this.metricsSection.changed();
        this.scheduleHeader();
        return;
      case 'batchEnd':
        this.metrics.receiveBatches(message.batches, message);
        this.metricsSection.changed();
        this.scheduleHeader();
        return;
      case 'epochEnd':
        this.metrics.addEpoch(message.epoch);
        this.metricsSection.changed();
        this.confusion.setBestEpoch(this.metrics.bestEpoch()?.epoch);
        this.scheduleHeader();
        return;
      case 'testEnd':
        this.metrics.setTest(message.test);
        this.scheduleHeader();
        return;
      case 'confusionEpochs':
        this.confusion.setEpochs(message.epochs, message.hasTest);
        return;
      case 'confusion':
        this.confusion.receive(message.epoch, message.confusion);
        return;
      case 'status':
        this.run = message.run;
        this.summary.update(message.run, this.metrics.epochs, this.metrics.test);
        if (message.run.summary.bestEpoch !== undefined) this.confusion.setBestEpoch(message.run.summary.bestEpoch);
        this.scheduleHeader();
        return;
      case 'predictions':
        this.images.clear();
        this.samples.setPredictions(message.predictions);
        this.confusion.setPredictions(message.predictions);
        return;
      case 'model':
        this.architecture.setModel(message.model);
        return;
      case 'weightStatistics':
        this.architecture.receiveWeights(message.layer, message.statistics, message.error);
        return;
      case 'sampleImages':
        this.images.receive(message.images);
        return;
      case 'jobState':
        this.summary.setJobState(message.state);
        return;
      case 'runError':
        this.root.removeAttribute('aria-busy');
        replaceChildren(this.problem, message.message);
        this.problem.hidden = false;
        return;
      case 'diagnoses':
        this.doctor.show(message.findings);
        return;
      default:
        assertNever(message);
    }
  }

  private applySnapshot(snapshot: RunSnapshot): void {
    // Busy from the page load until the first snapshot is shown.
    this.root.removeAttribute('aria-busy');
    this.run = snapshot.run;
    this.problem.hidden = true;
    this.metrics = RunMetrics.fromSnapshot(snapshot);
    this.metricsSection.setMetrics(this.metrics);
    this.summary.update(snapshot.run, this.metrics.epochs, this.metrics.test);
    this.images.clear();
    this.confusion.reset(snapshot.confusionEpochs, snapshot.hasTestConfusion, snapshot.run.summary.bestEpoch ?? this.metrics.bestEpoch()?.epoch, snapshot.confusion, snapshot.predictions);
    this.samples.setPredictions(snapshot.predictions);
    this.samples.setAccess(snapshot.sampleImages);
    this.architecture.setModel(snapshot.model);
    if (snapshot.skippedLines > 0) {
      replaceChildren(this.problem, `${snapshot.skippedLines} line${snapshot.skippedLines === 1 ? '' : 's'} of metrics.jsonl could not be read and ${snapshot.skippedLines === 1 ? 'was' : 'were'} skipped.`);
      this.problem.hidden = false;
    }
    this.renderHeader();
  }


  private renderHeader(): void {
    const run = this.run;
    if (!run) return;
    this.title.textContent = run.name;
    document.title = run.name;
    this.badge.textContent = statusWord(run.status);
    this.badge.className = `status-badge status-${run.status}`;
    const m = this.metrics;
    const parts: string[] = [];
    if (run.status === 'running') {
      const lastEpoch = m.batches.epoch[m.batches.epoch.length - 1];
      const perEpoch = m.batchesPerEpoch;
      const lastStep = m.batches.step[m.batches.step.length - 1];
      if (lastEpoch !== undefined) {
        const batch = perEpoch && lastStep !== undefined ? lastStep - (lastEpoch - 1) * perEpoch : undefined;
        parts.push(`Epoch ${lastEpoch} of ${run.summary.epochs}` + (batch !== undefined && perEpoch ? `, batch ${batch} of ${perEpoch}` : ''));
        parts.push(`loss ${formatNumber(m.batches.loss[m.batches.loss.length - 1])}`);
        parts.push(`${formatNumber(m.batches.imagesPerSecond[m.batches.imagesPerSecond.length - 1], 3)} img/s`);
      } else {
        parts.push('Starting…');
      }
    } else if (run.summary.durationMs !== undefined) {
      parts.push(`${formatCount(run.summary.lastEpoch ?? m.epochs.length)} of ${formatCount(run.summary.epochs)} epochs in ${formatDuration(run.summary.durationMs)}`);
    }
    parts.push(...bestAccuracyParts(run, m));
    const testAcc = run.summary.testAcc ?? m.test?.acc;
    if (testAcc !== undefined) parts.push(`test accuracy ${formatPercent(testAcc)}`);
    this.progress.textContent = parts.join(' · ');
  }
}
