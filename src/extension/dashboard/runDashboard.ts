// One run's dashboard in a webview panel: sends a snapshot when the webview is ready, then follows
// the run folder (metrics.jsonl from the last offset read, run.json, confusion matrices,
// predictions, the best model) and streams what changed.
import { promises as fs } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { ExamplePixelReader, parseExampleSource } from '../../core/inspect/examplePixels';
import { ModelGraphError, type ModelGraph } from '../../core/inspect/modelGraph';
import { readModelGraph } from '../../core/inspect/readModelGraph';
import { readLayerWeightStatistics } from '../../core/inspect/weightStatistics';
import type { RecordedEvent } from '../../core/runs/recordedEvent';
import type { PredictionsFile, ConfusionFile } from '../../core/runs/runFiles';
import { runPaths, type RunFileKind, type RunPaths } from '../../core/runs/runLayout';
import type { RunRecord } from '../../core/runs/runRecord';
import type { RunStore } from '../../core/runs/runStore';
import type {
  ConfusionView, ExtensionToWebview, ModelGraphState, PredictionsView, RunSnapshot, SampleImage, WebviewToExtension,
} from '../../protocol/webview';
import { dashboardHtml, dashboardResourceRoots } from './dashboardHtml';
import { appendBatch, emptyBatchSeries, foldMetrics, toEpochPoint, toTestResult, toTrainingStart } from './foldMetrics';
import { parseWebviewMessage } from './parseWebviewMessage';
import { saveExport } from './saveExport';
import { watchRunFolders } from './watchRunFolder';

/** While a run trains, files are also polled: watchers can miss changes (folders outside the workspace, network drives). */
const LIVE_POLL_MS = 1000;
/** Watcher events arrive in bursts (a temp file, a rename); one refresh per burst. */
const DEBOUNCE_MS = 60;

type RefreshKind = Exclude<RunFileKind, 'log' | 'checkpoint'>;
const ALL_KINDS: readonly RefreshKind[] = ['metrics', 'record', 'confusion', 'predictions', 'bestModel'];

export interface RunDashboardHost {
  extensionUri: vscode.Uri;
  /** Opens another run's dashboard (from links in the page). */
  openRun(runId: string): void;
}

function isLive(run: RunRecord | undefined): boolean {
  return run?.status === 'running' || run?.status === 'queued';
}

function toConfusionView(file: ConfusionFile): ConfusionView {
  return { epoch: file.epoch, split: file.split, classes: file.classes, matrix: file.matrix, perClass: file.perClass };
}

function sampleName(source: string): string {
  const inFile = parseExampleSource(source);
  return inFile ? `${basename(inFile.file)}#${inFile.index}` : basename(source);
}

function toPredictionsView(file: PredictionsFile): PredictionsView {
  return {
    epoch: file.epoch,
    classes: file.classes,
    items: file.items.map((item, index) => ({
      index, label: item.label, predicted: item.predicted, confidence: item.confidence, name: sampleName(item.source),
    })),
  };
}

/** Matrices exist for these validation epochs (and maybe the test split). */
async function listConfusion(paths: RunPaths): Promise<{ epochs: number[]; hasTest: boolean }> {
  let names: string[];
  try {
    names = await fs.readdir(paths.confusionDir);
  } catch {
    return { epochs: [], hasTest: false };
  }
  const epochs = names.flatMap((name) => {
    const match = /^epoch-(\d+)\.json$/.exec(name);
    return match ? [Number(match[1])] : [];
  }).sort((a, b) => a - b);
  return { epochs, hasTest: names.includes('test.json') };
}

/** A change stamp for a file: modification time and size, or 'none'. */
async function fileStamp(path: string): Promise<string> {
  try {
    const stat = await fs.stat(path);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'none';
  }
}

export class RunDashboard implements vscode.Disposable {
  private readonly paths: RunPaths;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly pixels = new ExamplePixelReader();
  /** The page said `ready` since it was last loaded (a hidden panel's page is unloaded). */
  private pageReady = false;
  /** The current page has its snapshot; until then changes are not streamed (the snapshot will hold them). */
  private snapshotSent = false;
  private disposed = false;
  private run?: RunRecord;
  private metricsOffset = 0;
  private predictions?: PredictionsFile;
  private graph?: ModelGraph;
  private stamps = new Map<RefreshKind, string>();
  private confusionList = '';
  /** Refreshes run one after another, so messages leave in file order. */
  private queue: Promise<void> = Promise.resolve();
  private pending = new Set<RefreshKind>();
  private debounce?: NodeJS.Timeout;
  private poll?: NodeJS.Timeout;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runId: string,
    private readonly store: RunStore,
    private readonly host: RunDashboardHost,
  ) {
    this.paths = runPaths(store.runDir(runId));
  }

  /**
   * Takes over `panel` (new, restored after a reload, or a run.json custom editor) for run `runId`.
   * The run is read first, so the page loads once with the dataset folder allowed for thumbnails.
   */
  static async show(panel: vscode.WebviewPanel, runId: string, store: RunStore, host: RunDashboardHost): Promise<RunDashboard> {
    const dashboard = new RunDashboard(panel, runId, store, host);
    const run = await store.read(runId).catch(() => undefined);
    dashboard.run = run;
    panel.title = run?.name ?? runId;
    panel.iconPath = {
      light: vscode.Uri.joinPath(host.extensionUri, 'media', 'dashboard-icon-light.svg'),
      dark: vscode.Uri.joinPath(host.extensionUri, 'media', 'dashboard-icon-dark.svg'),
    };
    panel.webview.options = { enableScripts: true, localResourceRoots: dashboardResourceRoots(host.extensionUri, dashboard.datasetRoots(run)) };
    dashboard.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => dashboard.receive(message)),
      panel.onDidDispose(() => dashboard.dispose()),
      // Without retainContextWhenHidden a hidden panel's page is gone; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) dashboard.pageHidden();
      }),
      watchRunFolders(store.runsDir, [runId], (change) => dashboard.schedule(change.kind)),
    );
    panel.webview.html = dashboardHtml(panel.webview, host.extensionUri, 'run', [runId], panel.title);
    return dashboard;
  }

  reveal(): void {
    this.panel.reveal();
  }

  private pageHidden(): void {
    this.pageReady = false;
    this.snapshotSent = false;
    this.updatePolling();
  }

  private datasetRoots(run: RunRecord | undefined): vscode.Uri[] {
    const roots = new Set<string>();
    if (run?.dataset?.root) roots.add(run.dataset.root);
    const specPath = run?.spec?.data?.path;
    if (typeof specPath === 'string' && isAbsolute(specPath)) roots.add(resolve(specPath));
    return [...roots].map((root) => vscode.Uri.file(root));
  }

  private post(message: ExtensionToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      if (!this.disposed) this.post({ type: 'runError', message: (error as Error).message });
    });
  }

  private receive(value: unknown): void {
    const message = parseWebviewMessage(value);
    if (message === undefined) return;
    this.enqueue(() => this.handle(message));
  }

  private async handle(message: WebviewToExtension): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        this.snapshotSent = false;
        await this.sendSnapshot();
        return;
      case 'requestConfusion': {
        const file = await this.store.readConfusion(this.runId, message.epoch).catch(() => undefined);
        this.post({ type: 'confusion', epoch: message.epoch, ...(file ? { confusion: toConfusionView(file) } : {}) });
        return;
      }
      case 'requestWeightStatistics': {
        if (!this.graph?.layers.some((layer) => layer.name === message.layer)) return;
        try {
          const statistics = await readLayerWeightStatistics(this.paths.bestModelDir, message.layer);
          this.post({ type: 'weightStatistics', layer: message.layer, statistics });
        } catch (error) {
          this.post({ type: 'weightStatistics', layer: message.layer, error: (error as Error).message });
        }
        return;
      }
      case 'requestSampleImages':
        this.post({ type: 'sampleImages', images: await Promise.all(message.indices.map((index) => this.sampleImage(index))) });
        return;
      case 'openSample': {
        const item = this.predictions?.items[message.index];
        if (!item || parseExampleSource(item.source)) return;
        const exists = await fs.stat(item.source).then((stat) => stat.isFile(), () => false);
        if (!exists) {
          void vscode.window.showWarningMessage(`The image ${item.source} is no longer there.`);
          return;
        }
        await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(item.source), { preview: true, viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'export': {
        const saved = await saveExport(message.format, message.fileName, message.content);
        if (saved) void vscode.window.showInformationMessage(`Exported ${basename(saved.fsPath)}.`);
        return;
      }
      case 'setNotes':
        try {
          this.run = await this.store.setNotes(this.runId, message.notes, message.tags);
          this.post({ type: 'status', run: this.run });
        } catch (error) {
          void vscode.window.showErrorMessage(`Could not save the notes of ${this.run?.name ?? this.runId}: ${(error as Error).message}`);
        }
        return;
      case 'openRun':
        this.host.openRun(message.runId);
        return;
    }
  }

  private async sampleImage(index: number): Promise<SampleImage> {
    const item = this.predictions?.items[index];
    if (!item) return { index, kind: 'missing', reason: 'No such sample.' };
    const format = this.run?.dataset?.format;
    if (parseExampleSource(item.source) && format && format !== 'folder') {
      try {
        const example = await this.pixels.read(item.source, format);
        return {
          index, kind: 'pixels', width: example.width, height: example.height, channels: example.channels,
          pixels: Buffer.from(example.data).toString('base64'),
        };
      } catch (error) {
        return { index, kind: 'missing', reason: (error as Error).message };
      }
    }
    return { index, kind: 'uri', uri: this.panel.webview.asWebviewUri(vscode.Uri.file(item.source)).toString() };
  }

  private async readModel(): Promise<ModelGraphState> {
    try {
      this.graph = await readModelGraph(this.paths.bestModelDir);
      return this.graph ? { state: 'ready', graph: this.graph } : { state: 'none' };
    } catch (error) {
      this.graph = undefined;
      const message = error instanceof ModelGraphError ? error.message : `Cannot read the model: ${(error as Error).message}`;
      return { state: 'error', message };
    }
  }

  private async sendSnapshot(): Promise<void> {
    let run: RunRecord;
    try {
      run = await this.store.read(this.runId);
    } catch (error) {
      // A run folder still being created, or damaged: say so, and keep looking until it reads.
      this.post({ type: 'runError', message: (error as Error).message });
      this.updatePolling();
      return;
    }
    this.run = run;
    this.stamps = new Map(await Promise.all(ALL_KINDS.map(async (kind) => [kind, await this.stampOf(kind)] as const)));
    const chunk = await this.store.readMetricsFrom(this.runId, 0);
    this.metricsOffset = chunk.nextOffset;
    const folded = foldMetrics(chunk.events);
    const list = await listConfusion(this.paths);
    this.confusionList = JSON.stringify(list);
    const shownEpoch = run.summary.bestEpoch ?? list.epochs[list.epochs.length - 1];
    const confusionFile = shownEpoch === undefined ? undefined : await this.store.readConfusion(this.runId, shownEpoch).catch(() => undefined);
    this.predictions = await this.store.readPredictions(this.runId).catch(() => undefined);
    const snapshot: RunSnapshot = {
      run,
      ...(folded.start ? { start: folded.start } : {}),
      batches: folded.batches,
      epochs: folded.epochs,
      ...(folded.test ? { test: folded.test } : {}),
      confusionEpochs: list.epochs,
      hasTestConfusion: list.hasTest,
      ...(confusionFile ? { confusion: toConfusionView(confusionFile) } : {}),
      ...(this.predictions ? { predictions: toPredictionsView(this.predictions) } : {}),
      model: await this.readModel(),
      skippedLines: chunk.skippedLines,
    };
    this.snapshotSent = true;
    this.post({ type: 'snapshot', snapshot });
    this.updatePolling();
  }

  private async stampOf(kind: RefreshKind): Promise<string> {
    switch (kind) {
      case 'metrics': return fileStamp(this.paths.metrics);
      case 'record': return fileStamp(this.paths.record);
      case 'predictions': return fileStamp(this.paths.predictions);
      case 'bestModel': return fileStamp(join(this.paths.bestModelDir, 'model.json'));
      case 'confusion': return JSON.stringify(await listConfusion(this.paths));
    }
  }

  /** Queues a refresh of what changed; bursts of watcher events make one refresh. */
  private schedule(kind: RunFileKind): void {
    if (kind === 'log' || kind === 'checkpoint' || this.disposed) return;
    this.pending.add(kind);
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      const kinds = [...this.pending];
      this.pending.clear();
      this.enqueue(() => this.refresh(kinds));
    }, DEBOUNCE_MS);
  }

  private updatePolling(): void {
    const live = this.pageReady && (isLive(this.run) || !this.snapshotSent);
    if (live && !this.poll && !this.disposed) {
      this.poll = setInterval(() => { for (const kind of ALL_KINDS) this.schedule(kind); }, LIVE_POLL_MS);
    } else if (!live && this.poll) {
      clearInterval(this.poll);
      this.poll = undefined;
    }
  }

  /** Sends what changed in the files of `kinds` since the last look. Metrics first: epochs refer to matrices and records. */
  private async refresh(kinds: readonly RefreshKind[]): Promise<void> {
    if (!this.pageReady || this.disposed) return;
    if (!this.snapshotSent) {
      await this.sendSnapshot();
      return;
    }
    const ordered = ALL_KINDS.filter((kind) => kinds.includes(kind));
    for (const kind of ordered) {
      const stamp = await this.stampOf(kind);
      if (stamp === this.stamps.get(kind)) continue;
      this.stamps.set(kind, stamp);
      switch (kind) {
        case 'metrics': await this.refreshMetrics(); break;
        case 'record': await this.refreshRecord(); break;
        case 'confusion': await this.refreshConfusionList(); break;
        case 'predictions': {
          this.predictions = await this.store.readPredictions(this.runId).catch(() => undefined);
          this.post({ type: 'predictions', predictions: this.predictions ? toPredictionsView(this.predictions) : undefined });
          break;
        }
        case 'bestModel':
          this.post({ type: 'model', model: await this.readModel() });
          break;
      }
    }
  }

  private async refreshRecord(): Promise<void> {
    try {
      this.run = await this.store.read(this.runId);
    } catch (error) {
      this.post({ type: 'runError', message: (error as Error).message });
      return;
    }
    this.panel.title = this.run.name;
    this.post({ type: 'status', run: this.run });
    this.updatePolling();
  }

  private async refreshConfusionList(): Promise<boolean> {
    const list = await listConfusion(this.paths);
    const text = JSON.stringify(list);
    if (text === this.confusionList) return false;
    this.confusionList = text;
    this.post({ type: 'confusionEpochs', epochs: list.epochs, hasTest: list.hasTest });
    return true;
  }

  /** New complete lines of metrics.jsonl, as few messages as possible: consecutive batches go in one. */
  private async refreshMetrics(): Promise<void> {
    const chunk = await this.store.readMetricsFrom(this.runId, this.metricsOffset);
    if (chunk.nextOffset < this.metricsOffset) {
      // The file was replaced (shorter than what was read): start over.
      await this.sendSnapshot();
      return;
    }
    this.metricsOffset = chunk.nextOffset;
    let batches = emptyBatchSeries();
    const flushBatches = (): void => {
      if (batches.step.length === 0) return;
      this.post({ type: 'batchEnd', batches });
      batches = emptyBatchSeries();
    };
    let recordChanged = false;
    for (const event of chunk.events as RecordedEvent[]) {
      if (event.type === 'batchEnd') {
        appendBatch(batches, event);
        continue;
      }
      flushBatches();
      switch (event.type) {
        case 'runStart':
          this.post({ type: 'trainingStart', start: toTrainingStart(event) });
          recordChanged = true;
          break;
        case 'epochEnd': {
          this.post({ type: 'epochEnd', epoch: toEpochPoint(event) });
          await this.refreshConfusionList();
          if (event.isBest) {
            const file = await this.store.readConfusion(this.runId, event.epoch).catch(() => undefined);
            if (file) this.post({ type: 'confusion', epoch: event.epoch, confusion: toConfusionView(file) });
          }
          recordChanged = true;
          break;
        }
        case 'testEnd':
          this.post({ type: 'testEnd', test: toTestResult(event) });
          await this.refreshConfusionList();
          break;
        case 'runEnd':
          recordChanged = true;
          break;
      }
    }
    flushBatches();
    if (recordChanged) {
      this.stamps.set('record', await this.stampOf('record'));
      await this.refreshRecord();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.poll) clearInterval(this.poll);
    if (this.debounce) clearTimeout(this.debounce);
    for (const disposable of this.disposables.reverse()) disposable.dispose();
    this.disposables.length = 0;
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
