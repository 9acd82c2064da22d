// One dataset tab ("Inspect Dataset"): inspects the dataset in the dataset process with a cancellable
// progress notification, shows the report (class balance, sizes, mean images, findings, samples), and
// answers its page: open a file, move an image to another class (a workspace edit the user can undo,
// then the findings are refreshed), pixels of binary examples, another run. Nothing in the dataset
// changes without the user asking.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ImageRef, MislabelledFinding } from '../../../core/datasetDoctor/datasetReport';
import { shortName } from '../../../core/datasetDoctor/findingText';
import { errorMessage } from '../../../core/errorMessage';
import { ExamplePixelReader } from '../../../core/inspect/examplePixels';
import { encodePixels } from '../../../processes/inspect/inspectEncoding';
import { InspectError, type InspectHost } from '../../../processes/inspect/inspectHost';
import type { DatasetSnapshot, DatasetTabState, FromDatasetView, SourceView, ToDatasetView } from '../../../protocol/datasetView';
import type { EncodedDatasetReport, InspectProgress } from '../../../protocol/inspect';
import type { BackendChoice } from '../../../protocol/trainer';
import { WebviewPanel } from '../webviewPanel';
import { parseFromDatasetView } from './datasetMessages';
import { datasetSources } from './datasetSources';
import { progressPercent, progressText } from './inspectionProgress';
import { freePath, moveTarget } from './moveToClass';

/** A run whose model ranks likely mislabelled images. */
export interface InspectionRun {
  runDir: string;
  name: string;
  /** Its id in this window's runs folder, for a link to its dashboard. */
  runId?: string;
  cifar100Labels: 'fine' | 'coarse';
}

export interface DatasetPanelDeps {
  extensionUri: vscode.Uri;
  /** The tab's own dataset process. */
  host: InspectHost;
  backend(): BackendChoice;
  openDashboard(runId: string): void;
  /** Asks the user for a run with a model (the current one marked); undefined when dismissed. */
  chooseRun(root: string, currentRunDir: string | undefined): Promise<InspectionRun | undefined>;
}

/** The image a report names under `source`, with its class and split, when it names one. */
function imageRefOf(report: EncodedDatasetReport, source: string): { image: ImageRef; mislabelled?: MislabelledFinding } | undefined {
  for (const finding of report.findings) {
    if (finding.kind === 'likelyMislabelled' && finding.image.source === source) return { image: finding.image, mislabelled: finding };
  }
  for (const finding of report.findings) {
    if (finding.kind === 'odd' && finding.image?.source === source) return { image: finding.image };
    if ((finding.kind === 'duplicate' || finding.kind === 'nearDuplicate' || finding.kind === 'crossClassDuplicate' || finding.kind === 'trainTestLeak')) {
      const image = finding.images.find((i) => i.source === source);
      if (image) return { image };
    }
  }
  for (const cls of report.classes) {
    const sample = cls.samples.find((s) => s.source === source);
    if (sample) return { image: { source, className: cls.name, split: sample.split } };
  }
  return undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(path));
    return true;
  } catch {
    return false;
  }
}

export class DatasetPanel extends WebviewPanel<ToDatasetView, FromDatasetView> {
  private report?: EncodedDatasetReport;
  private sources: Record<string, SourceView> = {};
  private state: DatasetSnapshot['state'] = 'inspecting';
  private progress?: InspectProgress;
  private failure?: string;
  private stale = false;
  private abort?: AbortController;
  private readonly pixels = new ExamplePixelReader();

  /** Takes over `panel` (new, or restored after a reload) and inspects `root`, with `run` when given. */
  constructor(panel: vscode.WebviewPanel, private readonly deps: DatasetPanelDeps, readonly root: string, private run: InspectionRun | undefined) {
    super(panel, deps.extensionUri, parseFromDatasetView);
    panel.title = `Dataset: ${basename(root)}`;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(root), '**/*'));
    const changed = () => {
      if (this.state !== 'ready' || this.stale) return;
      this.stale = true;
      this.post({ type: 'stale' });
    };
    this.disposables.push(
      watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed),
      { dispose: () => this.abort?.abort() },
      deps.host,
    );
    // Images load from the dataset folder only (besides the extension's own dist/ and media/).
    this.load({
      script: 'dist/datasetWebview.js', style: 'dist/datasetWebview.css', title: basename(root), loadingText: `Inspecting ${basename(root)}…`,
      resourceRoots: [vscode.Uri.file(root)], icon: 'dashboard-icon',
    });
    void this.inspect();
  }

  /** The run the tab inspects with. */
  get runDir(): string | undefined {
    return this.run?.runDir;
  }

  /** Inspects again with `run` (undefined: without a run). */
  inspectWith(run: InspectionRun | undefined): void {
    this.run = run;
    void this.inspect();
  }

  protected onReady(): void {
    this.sendSnapshot();
  }

  protected async onMessage(message: Exclude<FromDatasetView, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'refresh':
        return this.inspect();
      case 'cancel':
        this.abort?.abort();
        return;
      case 'chooseRun': {
        const run = await this.deps.chooseRun(this.root, this.run?.runDir);
        if (run && !this.isDisposed) this.inspectWith(run);
        return;
      }
      case 'clearRun':
        this.inspectWith(undefined);
        return;
      case 'openRun':
        // Only the run this tab shows: the page does not get to open arbitrary ids.
        if (message.runId === this.run?.runId) this.deps.openDashboard(message.runId);
        return;
      case 'open':
        return this.open(message.source);
      case 'moveToClass':
        return this.moveToClass(message.source);
      case 'requestPixels':
        return this.sendPixels(message.sources);
    }
  }

  private snapshot(): DatasetSnapshot {
    return {
      title: basename(this.root),
      root: this.root,
      state: this.state,
      ...(this.progress ? { progress: this.progress } : {}),
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.run ? { run: { name: this.run.name, ...(this.run.runId ? { runId: this.run.runId } : {}) } } : {}),
      ...(this.report ? { report: this.report } : {}),
      sources: this.sources,
      stale: this.stale,
      restore: { root: this.root, ...(this.run ? { runDir: this.run.runDir } : {}) } satisfies DatasetTabState,
    };
  }

  private sendSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.snapshot() });
  }

  /** Inspects the dataset (again), replacing an inspection under way; the last report stays shown meanwhile. */
  private async inspect(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.state = 'inspecting';
    this.progress = undefined;
    this.failure = undefined;
    this.sendSnapshot();
    const current = () => this.abort === abort && !this.isDisposed;
    const run = this.run;
    const title = `Inspecting ${basename(this.root)}${run ? ` with run "${run.name}"` : ''}`;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (notification, token) => {
      token.onCancellationRequested(() => abort.abort());
      let shown = 0;
      try {
        const report = await this.deps.host.inspect({
          path: this.root, format: 'auto', cifar100Labels: run?.cifar100Labels ?? 'fine', backend: this.deps.backend(),
          ...(run ? { runDir: run.runDir } : {}),
        }, (progress) => {
          if (!current()) return;
          this.progress = progress;
          this.post({ type: 'progress', progress });
          const percent = progressPercent(progress);
          notification.report({ message: progressText(progress), increment: Math.max(0, percent - shown) });
          shown = Math.max(shown, percent);
        }, abort.signal);
        if (!current()) return;
        const webview = this.panel.webview;
        this.report = report;
        this.sources = datasetSources(report, (path) => webview.asWebviewUri(vscode.Uri.file(path)).toString());
        this.state = 'ready';
        this.stale = false;
      } catch (error) {
        if (!current()) return;
        const cancelled = error instanceof InspectError && error.cancelled;
        this.state = cancelled ? 'cancelled' : 'failed';
        if (!cancelled) this.failure = errorMessage(error);
      }
      this.progress = undefined;
      this.sendSnapshot();
    });
  }

  private async open(source: string): Promise<void> {
    if (!this.sources[source]?.openable) return;
    const uri = vscode.Uri.file(source);
    let stat: vscode.FileStat;
    try {
      stat = await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showWarningMessage(`${shortName(this.root, source)} is no longer there: refresh the findings.`);
      return;
    }
    if (stat.type & vscode.FileType.Directory) await vscode.commands.executeCommand('revealInExplorer', uri);
    // Beside the tab, so the findings stay in view.
    else await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }

  /** Asks for a class (the model's guess first), moves the file there as an undoable workspace edit, then inspects again. */
  private async moveToClass(source: string): Promise<void> {
    const report = this.report;
    const view = this.sources[source];
    const found = report && view?.movable ? imageRefOf(report, source) : undefined;
    if (!report || !view || !found) return;
    const { image, mislabelled } = found;
    const guess = mislabelled?.predicted;
    const items = report.classes.filter((c) => c.name !== image.className)
      .sort((a, b) => Number(b.name === guess) - Number(a.name === guess))
      .map((c) => ({
        label: c.name,
        description: c.name === guess ? `the model's guess (${(mislabelled!.confidence * 100).toFixed(0)}%)` : undefined,
        detail: `${(image.split === 'train' ? c.train : c.test).toLocaleString('en-US')} ${image.split === 'train' ? 'training' : 'test'} images`,
      }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Move ${view.name} to Class…`, placeHolder: `It is in class '${image.className}' (${image.split}); move it to…`,
    });
    if (!picked || this.isDisposed) return;
    const target = moveTarget(report.root, image, picked.label);
    if (!target) throw new Error(`${view.name} is not inside a class folder named '${image.className}'.`);
    const to = await freePath(target, exists);
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(vscode.Uri.file(source), vscode.Uri.file(to), { overwrite: false }, {
      label: `Move ${view.name} to class '${picked.label}'`, needsConfirmation: false,
    });
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`${view.name} could not be moved to ${shortName(report.root, to)}.`);
    void vscode.window.showInformationMessage(
      `Moved ${view.name} to class '${picked.label}' (${shortName(report.root, to)}). Edit > Undo with the image open moves it back.`,
      'Open Image',
    ).then((action) => action && vscode.commands.executeCommand('vscode.open', vscode.Uri.file(to), { viewColumn: vscode.ViewColumn.Beside }));
    await this.inspect();
  }

  private async sendPixels(sources: readonly string[]): Promise<void> {
    const report = this.report;
    if (!report || report.format === 'folder') return;
    const format = report.format;
    const wanted = sources.filter((source) => this.sources[source] !== undefined && this.sources[source].uri === undefined && !this.sources[source].openable);
    const images = await Promise.all(wanted.map(async (source) => {
      try {
        return { source, pixels: encodePixels(await this.pixels.read(source, format)) };
      } catch (error) {
        return { source, error: errorMessage(error) };
      }
    }));
    if (images.length > 0) this.post({ type: 'pixels', images });
  }
}
