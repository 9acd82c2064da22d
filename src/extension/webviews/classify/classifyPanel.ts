// One "Classify Image" result tab: runs the classification in the inference process, streams the results
// to its page (image, top-5 bars, heat map; or a table for many images), and answers the page's requests
// (an image's explanation, another model, the CSV it built, the run's dashboard).
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../../../core/errorMessage';
import type { SaliencyMap } from '../../../core/inspect/saliencyMap';
import type { ClassifiedImage, ClassifySnapshot, FromClassifyView, InferenceModelInfo, ToClassifyView } from '../../../protocol/classifyView';
import type { InferenceHost } from '../../../processes/inference/inferenceHost';
import { saveExport } from '../saveExport';
import { WebviewPanel } from '../webviewPanel';
import type { ClassifierRun } from './classifierRuns';
import { parseFromClassifyView } from './classifyMessages';
import { NO_HEAT_MAP, saliencyOutcome } from './saliencyOutcome';
import type { CollectedImages } from './collectImageFiles';
import { isInside, isTooBroad } from '../dashboard/datasetImages';

/** What a result tab remembers across window reloads (its page's state): what was picked, with which run. */
export interface ClassifyPanelState {
  targets: string[];
  runDir: string;
}

export interface ClassifyPanelDeps {
  extensionUri: vscode.Uri;
  host: InferenceHost;
  openDashboard(runId: string): void;
  /** Asks the user for another run (the current one marked); undefined when they dismiss the picker. */
  chooseRun(currentRunDir: string): Promise<ClassifierRun | undefined>;
  /** Where refused page messages are logged. */
  log?: vscode.LogOutputChannel;
}

/** Results are sent to the page in batches at most this often (a folder yields hundreds per second). */
const FLUSH_MS = 100;
const TOP_K = 5;

export function isClassifyPanelState(value: unknown): value is ClassifyPanelState {
  const state = value as Partial<ClassifyPanelState> | null | undefined;
  return typeof state?.runDir === 'string' && Array.isArray(state.targets) && state.targets.every((t) => typeof t === 'string');
}

/**
 * Folders the page may load images from: the picked folders, and the folders of picked files; never the
 * file system root or a home folder (or above one): for those, only the folders of the images found.
 */
function imageRoots(targets: readonly string[], collected: CollectedImages): vscode.Uri[] {
  const files = new Set(collected.files.map((f) => f.path));
  const home = homedir();
  const roots = new Set<string>();
  for (const target of targets) {
    const folder = files.has(target) ? dirname(target) : target;
    if (!isTooBroad(folder, home)) {
      roots.add(folder);
      continue;
    }
    for (const file of collected.files) if (isInside(file.path, folder) && !isTooBroad(dirname(file.path), home)) roots.add(dirname(file.path));
  }
  return [...roots].map((folder) => vscode.Uri.file(folder));
}

export class ClassifyPanel extends WebviewPanel<ToClassifyView, FromClassifyView> {
  private images: ClassifiedImage[] = [];
  private model?: InferenceModelInfo;
  private running = false;
  private failure?: string;
  private detailIndex?: number;
  private readonly saliency = new Map<number, SaliencyMap>();
  /** Why an image's heat map could not be computed (its classification stands). */
  private readonly saliencyErrors = new Map<number, string>();
  private readonly dirty = new Set<number>();
  private flushTimer?: NodeJS.Timeout;
  private abort?: AbortController;

  /** Takes over `panel` (new, or restored after a reload) and classifies what was picked. */
  constructor(panel: vscode.WebviewPanel, private readonly deps: ClassifyPanelDeps, private readonly targets: string[], private readonly collected: CollectedImages, private run: ClassifierRun) {
    super(panel, deps.extensionUri, parseFromClassifyView, deps.log);
    panel.title = `Classify: ${collected.title}`;
    this.disposables.push({ dispose: () => { this.abort?.abort(); clearTimeout(this.flushTimer); } });
    this.load({
      script: 'dist/classifyWebview.js', style: 'dist/classifyWebview.css', title: collected.title, loadingText: `Classifying ${collected.title}…`,
      resourceRoots: imageRoots(targets, collected),
    });
    if (collected.files.length === 1) this.detailIndex = 0;
    this.classifyAll();
  }

  protected onReady(): void {
    this.sendSnapshot();
  }

  protected async onMessage(message: Exclude<FromClassifyView, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
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
        if (message.runId === this.model?.runId) this.deps.openDashboard(message.runId);
        return;
      case 'chooseModel': {
        const picked = await this.deps.chooseRun(this.run.runDir);
        if (picked && !this.isDisposed) {
          this.run = picked;
          this.classifyAll();
        }
        return;
      }
      case 'export': {
        // Next to what was classified: the picked folder, or the folder of the first image.
        const folder = this.targets.find((t) => !this.collected.files.some((f) => f.path === t)) ?? dirname(this.images[0]?.path ?? '.');
        return saveExport(message, vscode.Uri.file(folder));
      }
      case 'revealImage': {
        const image = this.images[message.index];
        if (image) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(image.path));
        return;
      }
    }
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
      restore: { targets: this.targets, runDir: this.run.runDir } satisfies ClassifyPanelState,
      ...(this.collected.truncated ? { note: `Only the first ${this.images.length.toLocaleString('en-US')} images were classified.` } : {}),
    };
  }

  private sendSnapshot(): void {
    this.post({ type: 'snapshot', snapshot: this.snapshot() });
    const detail = this.detailIndex;
    if (detail !== undefined && this.saliency.has(detail)) this.post({ type: 'saliency', index: detail, saliency: this.saliency.get(detail) });
    else if (detail !== undefined && this.saliencyErrors.has(detail)) this.post({ type: 'saliency', index: detail, error: this.saliencyErrors.get(detail) });
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
    this.saliencyErrors.clear();
    this.dirty.clear();
    this.sendSnapshot();
    const current = () => !abort.signal.aborted && !this.isDisposed;
    const withSaliency = this.images.length === 1;
    this.deps.host.classify(
      { runDir: this.run.runDir, images: this.images.map((i) => i.path), topK: TOP_K, saliency: withSaliency },
      {
        onModel: (model) => {
          if (!current()) return;
          this.model = model;
          this.sendSnapshot();
        },
        onResult: (result) => {
          if (!current()) return;
          this.images[result.index] = { ...this.images[result.index], top: result.top };
          if (withSaliency) this.keepSaliency(result.index, result);
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
      (error: unknown) => {
        if (!current()) return;
        this.running = false;
        this.failure = errorMessage(error);
        this.post({ type: 'failure', message: this.failure });
      },
    );
  }

  /** Keeps an image's heat map, or why it has none, and shows it when that image's detail is open. */
  private keepSaliency(index: number, answer: { saliency?: SaliencyMap; saliencyError?: string }): void {
    const outcome = saliencyOutcome(index, answer);
    if (outcome.saliency) this.saliency.set(index, outcome.saliency);
    else this.saliencyErrors.set(index, outcome.error ?? NO_HEAT_MAP);
    if (this.detailIndex === index) this.post(outcome);
  }

  /** Sends the explanation of one image's top class, computing it when it is not known yet; always ends in a map or a reason. */
  private async explain(index: number): Promise<void> {
    const image = this.images[index];
    const known = this.saliency.get(index);
    const failed = image.error ?? this.saliencyErrors.get(index);
    if (known || failed) {
      this.post({ type: 'saliency', index, ...(known ? { saliency: known } : { error: failed }) });
      return;
    }
    if (!image.top) return; // sent with the result when it arrives
    const runDir = this.run.runDir;
    let answered = false;
    try {
      await this.deps.host.classify({ runDir, images: [image.path], topK: TOP_K, saliency: true }, {
        onResult: (result) => {
          if (this.run.runDir !== runDir) return;
          answered = true;
          this.keepSaliency(index, result);
        },
        onImageError: (error) => {
          answered = true;
          this.post({ type: 'saliency', index, error: error.message });
        },
      });
      if (!answered && this.run.runDir === runDir) this.post({ type: 'saliency', index, error: NO_HEAT_MAP });
    } catch (error) {
      this.post({ type: 'saliency', index, error: `The heat map could not be computed: ${errorMessage(error)}` });
    }
  }
}
