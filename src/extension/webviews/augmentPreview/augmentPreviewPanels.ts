// The augmentation preview tabs of this window: opened on a dataset (with every augmentation at its
// default strength) or from New Training Run (with the picker's answers, its decision going back to it),
// each with its own dataset process; restored after a window reload as a preview on its own.
import * as vscode from 'vscode';
import { parseAugmentList } from '../../../core/data/augment';
import { defaultModelSpec } from '../../../core/models/defaultModelSpecs';
import type { RunSpec } from '../../../core/runSpec';
import { defaultTrainingSpec } from '../../../core/runSpecDefaults';
import { InspectHost } from '../../../processes/inspect/inspectHost';
import { WIZARD_VAL_SPLIT } from '../../newRun/newRunChoices';
import { OpenPanels } from '../webviewPanel';
import { AugmentPreviewPanel, type AugmentPreviewDeps, type PreviewDecision } from './augmentPreviewPanel';
import { parseAugmentPreviewState } from './augmentPreviewMessages';

export const AUGMENT_PREVIEW_VIEW_TYPE = 'classifierLab.augmentPreview';
/** A preview's dataset process keeps the loaded images this long without a request. */
const PREVIEW_IDLE_MS = 5 * 60_000;

export interface AugmentPreviewPanelsOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** New Training Run on the spec's dataset with its augmentation. */
  startNewRun(spec: RunSpec): void;
}

/** The spec a preview on a dataset starts from: training's defaults, every augmentation at its default strength. */
export function standalonePreviewSpec(root: string): RunSpec {
  return {
    data: { path: root, format: 'auto', valSplit: WIZARD_VAL_SPLIT, cifar100Labels: 'fine' },
    model: defaultModelSpec('cnn'),
    training: defaultTrainingSpec(),
    augment: parseAugmentList('flip,rotate,crop,color'),
  };
}

export class AugmentPreviewPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<AugmentPreviewPanel>();
  private readonly serializer: vscode.Disposable;

  constructor(private readonly options: AugmentPreviewPanelsOptions) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(AUGMENT_PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => {
        const restored = parseAugmentPreviewState(state);
        if (restored) this.panels.add(new AugmentPreviewPanel(panel, this.deps(), restored.spec, 'standalone'));
        else panel.dispose();
      },
    });
  }

  /** A preview of a dataset on its own. */
  open(root: string): void {
    this.panels.add(new AugmentPreviewPanel(this.createPanel(), this.deps(), standalonePreviewSpec(root), 'standalone'));
  }

  /** A preview of the spec New Training Run is about to start; resolves with the user's decision (undefined: closed). */
  openForWizard(spec: RunSpec): Promise<PreviewDecision | undefined> {
    return this.panels.add(new AugmentPreviewPanel(this.createPanel(), this.deps(), spec, 'wizard')).whenDecided();
  }

  dispose(): void {
    this.panels.dispose();
    this.serializer.dispose();
  }

  private createPanel(): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(AUGMENT_PREVIEW_VIEW_TYPE, 'Augmentation', vscode.ViewColumn.Active, {});
  }

  private deps(): AugmentPreviewDeps {
    const { context, log } = this.options;
    return {
      extensionUri: context.extensionUri,
      host: new InspectHost({ script: context.asAbsolutePath('dist/inspect.js'), cwd: context.extensionPath, idleMs: PREVIEW_IDLE_MS, onLog: (line) => log.info(`[preview] ${line}`) }),
      startNewRun: this.options.startNewRun,
    };
  }
}
