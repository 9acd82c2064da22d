// One "Classify Image" result tab: runs the classification in the inference process, streams the
// results to its webview (image, top-5 bars, heat map; or a table for many images), and answers the
// webview's requests (an image's explanation, another model, CSV export, the run's dashboard).
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { SaliencyMap } from '../../core/inspect/saliencyMap';
import type { ClassifiedImage, ClassifySnapshot, FromClassifyView, InferenceModelInfo, ToClassifyView } from '../../protocol/classifyView';
import { classificationCsv } from './classificationCsv';
import { classifyHtml } from './classifyHtml';
import type { ClassifierRun } from './classifierRuns';
import type { CollectedImages } from './collectImageFiles';
import type { InferenceHost } from './inferenceHost';
import { parseFromClassifyView } from './parseFromClassifyView';

export const CLASSIFY_VIEW_TYPE = 'classifierLab.classify';

/** What a result tab remembers across window reloads (its webview state): what was picked, with which run. */
export interface ClassifyPanelState {
  targets: string[];
  runDir: string;
}

export interface ClassifyPanelDeps {
  extensionUri: vscode.Uri;
  host: InferenceHost;
  openDashboard?: (runId: string) => void;
  /** Asks the user for another run (the current one marked); undefined when they dismiss the picker. */
  chooseRun(currentRunDir: string): Promise<ClassifierRun | undefined>;
}

/** Compile-time exhaustiveness of the message switch; a message type added later is ignored at run time. */
function assertNever(_message: never): void {
  // Parsed messages are always one of the known types.
}

/** Results are sent to the webview in batches at most this often (a folder yields hundreds per second). */
const FLUSH_MS = 100;
const TOP_K = 5;

export function isClassifyPanelState(value: unknown): value is ClassifyPanelState {
  const state = value as Partial<ClassifyPanelState> | null | undefined;
  return typeof state?.runDir === 'string' && Array.isArray(state.targets) && state.targets.every((t) => typeof t === 'string');
}

/** Folders the webview may load images from: the picked folders, and the folders of picked files. */
function imageRoots(targets: readonly string[], collected: CollectedImages): vscode.Uri[] {
  const folders = new Set<string>();
  const files = new Set(collected.files.map((f) => f.path));
  for (const target of targets) folders.add(files.has(target) ? dirname(target) : target);
  return [...folders].map((folder) => vscode.Uri.file(folder));
}

export class ClassifyPanel implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private images: ClassifiedImage[] = [];
  private model?: InferenceModelInfo;
  private running = false;
  private failure?: string;
  private detailIndex?: number;
  private readonly saliency = new Map<number, SaliencyMap>();
  private readonly dirty = new Set<number>();
  private flushTimer?: NodeJS.Timeout;
  private abort?: AbortController;
  private disposed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  static create(deps: ClassifyPanelDeps, targets: string[], collected: CollectedImages, run: ClassifierRun): ClassifyPanel {
    const panel = vscode.window.createWebviewPanel(CLASSIFY_VIEW_TYPE, `Classify: ${collected.title}`, vscode.ViewColumn.Active, {});
    return new ClassifyPanel(panel, deps, targets, collected, run);
  }

  /** Takes over a tab restored after a reload: classifies what it showed again. */
  static adopt(panel: vscode.WebviewPanel, deps: ClassifyPanelDeps, targets: string[], collected: CollectedImages, run: ClassifierRun): ClassifyPanel {
    panel.title = `Classify: ${collected.title}`;
    return new ClassifyPanel(panel, deps, targets, collected, run);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly deps: ClassifyPanelDeps,
    private readonly targets: string[],
    private readonly collected: CollectedImages,
    private run: ClassifierRun,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist'), ...imageRoots(targets, collected)],
    };
    panel.webview.html = classifyHtml(panel.webview, deps.extensionUri, collected.title);
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parseFromClassifyView(raw);
        if (message) void this.receive(message);
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    if (collected.files.length === 1) this.detailIndex = 0;
    this.classifyAll();
  }

  get viewState(): ClassifyPanelState {
    return { targets: this.targets, runDir: this.run.runDir };
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort?.abort();
    clearTimeout(this.flushTimer);
    for (const subscription of this.subscriptions.splice(0).reverse()) subscription.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }

  private post(message: ToClassifyView): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private snapshot(): ClassifySnapshot {
    return {
      title: this.collected.title,
      ...(this.model ? { model: this.model } : {}),
      images: this.images,
      total: this.images.length,
      running: this.running,
      ...(this.failure ? { failure: this.failure } : {}),
      ...(this.detailIndex !== undefined ? { detailIndex: this.detailIndex } : {}),
      restore: this.viewState,
      ...(this.collected.truncated ? { note: `Only the first ${this.images.length.toLocaleString('en-US')} images were classified.` } : {}),
    };
  }

  private sendSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.snapshot() });
    const detail = this.detailIndex;
    if (detail !== undefined && this.saliency.has(detail)) this.post({ type: 'saliency', index: detail, saliency: this.saliency.get(detail) });
  }

  private markDirty(index: number): void {
    this.dirty.add(index);
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const images = [...this.dirty].sort((a, b) => a - b).map((index) => this.images[index]);
    this.dirty.clear();
    this.post({ type: 'images', images, running: this.running });
  }

  /** Classifies every image with the current run, replacing earlier results. */
  private classifyAll(): void {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const webview = this.panel.webview;
    this.images = this.collected.files.map((file, index) => ({
      index, path: file.path, label: file.label, src: webview.asWebviewUri(vscode.Uri.file(file.path)).toString(),
    }));
    this.model = undefined;
    this.failure = undefined;
    this.running = true;
    this.saliency.clear();
    this.dirty.clear();
    this.sendSnapshot();
    const single = this.images.length === 1;
    const current = () => !abort.signal.aborted && !this.disposed;
    this.deps.host.classify(
      { runDir: this.run.runDir, images: this.images.map((i) => i.path), topK: TOP_K, saliency: single },
      {
        onModel: (model) => {
          if (!current()) return;
          this.model = model;
          this.sendSnapshot();
        },
        onResult: (result) => {
          if (!current()) return;
          this.images[result.index] = { ...this.images[result.index], top: result.top };
          if (result.saliency) {
            this.saliency.set(result.index, result.saliency);
            if (this.detailIndex === result.index) this.post({ type: 'saliency', index: result.index, saliency: result.saliency });
          }
          this.markDirty(result.index);
        },
        onImageError: (error) => {
          if (!current()) return;
          this.images[error.index] = { ...this.images[error.index], error: error.message };
          if (this.detailIndex === error.index) this.post({ type: 'saliency', index: error.index, error: error.message });
          this.markDirty(error.index);
        },
      },
      abort.signal,
    ).then(
      () => {
        if (!current()) return;
        this.running = false;
        this.flush();
      },
      (error: Error) => {
        if (!current()) return;
        this.running = false;
        this.failure = error.message;
        this.post({ type: 'failure', message: error.message });
      },
    );
  }

  /** Sends the explanation of one image's top class, computing it when it is not known yet. */
  private async explain(index: number): Promise<void> {
    const image = this.images[index];
    const known = this.saliency.get(index);
    if (known || image.error) {
      this.post({ type: 'saliency', index, ...(known ? { saliency: known } : { error: image.error }) });
      return;
    }
    if (!image.top) return; // sent with the result when it arrives
    const runDir = this.run.runDir;
    try {
      await this.deps.host.classify({ runDir, images: [image.path], topK: TOP_K, saliency: true }, {
        onResult: (result) => {
          if (this.run.runDir !== runDir || !result.saliency) return;
          this.saliency.set(index, result.saliency);
          this.post({ type: 'saliency', index, saliency: result.saliency });
        },
        onImageError: (error) => this.post({ type: 'saliency', index, error: error.message }),
      });
    } catch (error) {
      this.post({ type: 'saliency', index, error: (error as Error).message });
    }
  }

  private async receive(message: FromClassifyView): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.sendSnapshot();
        return;
      case 'openImage':
        if (message.index >= this.images.length) return;
        this.detailIndex = message.index;
        await this.explain(message.index);
        return;
      case 'closeImage':
        if (this.images.length > 1) this.detailIndex = undefined;
        return;
      case 'openRun':
        // Only the run this tab shows: the page does not get to open arbitrary ids.
        if (message.runId === this.model?.runId) this.deps.openDashboard?.(message.runId);
        return;
      case 'chooseModel': {
        const picked = await this.deps.chooseRun(this.run.runDir);
        if (picked && !this.disposed) {
          this.run = picked;
          this.classifyAll();
        }
        return;
      }
      case 'exportCsv':
        await this.exportCsv();
        return;
      case 'revealImage': {
        const image = this.images[message.index];
        if (image) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(image.path));
        return;
      }
      default:
        assertNever(message);
    }
  }

  private async exportCsv(): Promise<void> {
    const folder = this.targets.find((t) => !this.collected.files.some((f) => f.path === t)) ?? dirname(this.images[0]?.path ?? '.');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(folder, 'classifications.csv')),
      filters: { 'CSV files': ['csv'] },
      title: 'Export Classifications',
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, Buffer.from(classificationCsv(this.images), 'utf8'));
    } catch (error) {
      void vscode.window.showErrorMessage(`Could not save ${target.fsPath}: ${(error as Error).message}`);
      return;
    }
    const open = await vscode.window.showInformationMessage(`Saved ${this.images.length} classifications to ${target.fsPath}.`, 'Open');
    if (open) await vscode.window.showTextDocument(target);
  }
}
