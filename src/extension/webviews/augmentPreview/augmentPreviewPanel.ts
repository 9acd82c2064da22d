// One augmentation preview tab: real training images of a run spec, augmented by training's own code in
// the dataset process (the same function, the same seeded streams), re-rolled on demand, with the
// strengths the page's sliders set. From New Training Run its decision (start with these strengths, or
// back to the picker) goes back to the picker; on its own it can start New Training Run with them.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatAugmentList } from '../../../core/data/augment';
import { errorMessage } from '../../../core/errorMessage';
import type { RunSpec } from '../../../core/runSpec';
import { InspectError, type InspectHost } from '../../../processes/inspect/inspectHost';
import type {
  AugmentPreviewSnapshot, AugmentSpec, EncodedPreview, FromAugmentPreviewView, PreviewMode, ToAugmentPreviewView,
} from '../../../protocol/augmentPreviewView';
import { WebviewPanel } from '../webviewPanel';
import { parseFromAugmentPreviewView } from './augmentPreviewMessages';
import { otherExamples } from './previewExamples';

/** Training images a preview shows. */
export const PREVIEW_IMAGES = 16;

/** What the user decided in a preview opened from New Training Run. */
export interface PreviewDecision {
  action: 'start' | 'back';
  augment: AugmentSpec;
}

export interface AugmentPreviewDeps {
  extensionUri: vscode.Uri;
  /** The tab's own dataset process (it keeps the loaded dataset while the tab is open). */
  host: InspectHost;
  /** Standalone: New Training Run on the spec's dataset with these strengths. */
  startNewRun(spec: RunSpec): void;
}

export class AugmentPreviewPanel extends WebviewPanel<ToAugmentPreviewView, FromAugmentPreviewView> {
  private epoch = 1;
  private examples?: number[];
  private preview?: EncodedPreview;
  private loading = false;
  private failure?: string;
  private inFlight = false;
  private again = false;
  private readonly decision: Promise<PreviewDecision | undefined>;
  private decide!: (decision: PreviewDecision | undefined) => void;

  /** Takes over `panel` (new, or restored after a reload) and previews `spec`. */
  constructor(panel: vscode.WebviewPanel, private readonly deps: AugmentPreviewDeps, private spec: RunSpec, private readonly mode: PreviewMode) {
    super(panel, deps.extensionUri, parseFromAugmentPreviewView);
    this.decision = new Promise((resolve) => { this.decide = resolve; });
    const name = basename(spec.data.path);
    panel.title = `Augmentation: ${name}`;
    this.disposables.push(deps.host, { dispose: () => this.decide(undefined) });
    this.load({
      script: 'dist/augmentPreviewWebview.js', style: 'dist/augmentPreviewWebview.css', title: `Augmentation: ${name}`,
      loadingText: `Loading the training images of ${name}…`, icon: 'dashboard-icon',
    });
    void this.refresh();
  }

  /** Resolves when the user starts training or goes back to New Training Run (undefined: the tab was closed). */
  whenDecided(): Promise<PreviewDecision | undefined> {
    return this.decision;
  }

  protected onReady(): void {
    this.post({ type: 'snapshot', snapshot: this.snapshot() });
  }

  protected async onMessage(message: Exclude<FromAugmentPreviewView, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'setAugment':
        this.spec = { ...this.spec, augment: message.augment };
        return this.refresh();
      case 'reroll':
        this.epoch += 1;
        return this.refresh();
      case 'otherImages':
        if (this.preview) this.examples = otherExamples(this.preview.trainCount, PREVIEW_IMAGES);
        return this.refresh();
      case 'copyFlag': {
        const flag = `--augment ${formatAugmentList(this.spec.augment)}`;
        await vscode.env.clipboard.writeText(flag);
        void vscode.window.setStatusBarMessage(`Copied ${flag}`, 4000);
        return;
      }
      case 'startTraining':
        if (this.mode === 'standalone') {
          this.deps.startNewRun(this.spec);
          return;
        }
        this.decide({ action: 'start', augment: this.spec.augment });
        this.dispose();
        return;
      case 'backToWizard':
        this.decide({ action: 'back', augment: this.spec.augment });
        this.dispose();
        return;
    }
  }

  private snapshot(): AugmentPreviewSnapshot {
    return {
      title: basename(this.spec.data.path),
      mode: this.mode,
      augment: this.spec.augment,
      flag: formatAugmentList(this.spec.augment),
      seed: this.spec.training.seed,
      epoch: this.epoch,
      valSplit: this.spec.data.valSplit,
      ...(this.preview ? { preview: this.preview } : {}),
      loading: this.loading,
      ...(this.failure ? { failure: this.failure } : {}),
      restore: { spec: this.spec },
    };
  }

  /** Previews the current strengths, epoch and images; while one is being made, the latest request waits for it. */
  private async refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.loading = true;
    this.post({ type: 'loading' });
    try {
      do {
        this.again = false;
        const spec = this.spec;
        try {
          const preview = await this.deps.host.preview({
            spec, epoch: this.epoch, count: PREVIEW_IMAGES, ...(this.examples ? { examples: this.examples } : {}),
          });
          if (this.isDisposed) return;
          this.preview = preview;
          this.examples ??= preview.images.map((image) => image.example);
          this.failure = undefined;
          if (!this.again) this.post({ type: 'preview', preview, flag: formatAugmentList(preview.augment) });
        } catch (error) {
          if (this.isDisposed || (error instanceof InspectError && error.cancelled)) return;
          this.failure = errorMessage(error);
          if (!this.again) this.post({ type: 'failure', message: this.failure });
        }
      } while (this.again && !this.isDisposed);
    } finally {
      this.inFlight = false;
      this.loading = false;
    }
  }
}
