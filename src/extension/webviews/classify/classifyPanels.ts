// The Classify Image result tabs of this window: the inference process they share, the run they classify
// with (the best one, or the one last chosen in this workspace), and their return after a window reload.
import * as vscode from 'vscode';
import { processEnvironment } from '../../nativeBackend';
import { InferenceHost } from '../../../processes/inference/inferenceHost';
import type { RunsFolder } from '../../runsFolder';
import { OpenPanels } from '../webviewPanel';
import { classifierChoice, describeClassifierRun, listClassifierRuns, type ClassifierRun } from './classifierRuns';
import { ClassifyPanel, isClassifyPanelState, type ClassifyPanelDeps } from './classifyPanel';
import { collectImageFiles, type CollectedImages } from './collectImageFiles';

export const CLASSIFY_VIEW_TYPE = 'classifierLab.classify';
/** workspaceState key: the run id last chosen to classify with. */
export const CLASSIFY_RUN_STATE_KEY = 'classifierLab.classify.runId';

export interface ClassifyPanelsOptions {
  context: vscode.ExtensionContext;
  folder: RunsFolder;
  log: vscode.LogOutputChannel;
  openDashboard(runId: string): void;
}

export class ClassifyPanels implements vscode.Disposable {
  private readonly host: InferenceHost;
  private readonly panels = new OpenPanels<ClassifyPanel>();
  private readonly deps: ClassifyPanelDeps;
  private readonly serializer: vscode.Disposable;

  constructor(private readonly options: ClassifyPanelsOptions) {
    const { context } = options;
    this.host = new InferenceHost({ script: context.asAbsolutePath('dist/inference.js'), cwd: context.extensionPath, env: () => processEnvironment(context), onLog: (line) => options.log.info(`[inference] ${line}`) });
    this.deps = { extensionUri: context.extensionUri, host: this.host, openDashboard: options.openDashboard, chooseRun: (runDir) => this.chooseRun(runDir), log: options.log };
    this.serializer = vscode.window.registerWebviewPanelSerializer(CLASSIFY_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => this.restore(panel, state) });
  }

  /** Opens a result tab for what was picked, classified with the default run; says what to do when no run has a model. */
  async open(targets: string[], collected: CollectedImages): Promise<void> {
    const runs = await this.runsOrExplain();
    const choice = runs && classifierChoice(runs, this.rememberedRunId(), vscode.workspace.isTrusted);
    if (!choice) return;
    // Restricted Mode: the best run is never used unseen; the user picks (the best one first, marked).
    const run = 'run' in choice ? choice.run : await this.chooseRun(undefined, 'Restricted Mode: choose the run whose model classifies (its files come from this untrusted workspace)');
    if (!run) return;
    const panel = vscode.window.createWebviewPanel(CLASSIFY_VIEW_TYPE, `Classify: ${collected.title}`, vscode.ViewColumn.Active, {});
    this.panels.add(new ClassifyPanel(panel, this.deps, targets, collected, run));
  }

  /** Panels before the process they talk to. */
  dispose(): void {
    this.panels.dispose();
    this.serializer.dispose();
    this.host.dispose();
  }

  private rememberedRunId(): string | undefined {
    return this.options.context.workspaceState.get<string>(CLASSIFY_RUN_STATE_KEY);
  }

  /** Runs that can classify, best first; undefined after telling the user why there is none. */
  private async runsOrExplain(): Promise<ClassifierRun[] | undefined> {
    const store = this.options.folder.store;
    if (!store) {
      void vscode.window.showErrorMessage('Open a folder first: Classifier Lab keeps its runs, and their models, in the workspace.');
      return undefined;
    }
    const runs = await listClassifierRuns(store);
    if (runs.length > 0) return runs;
    if (!vscode.workspace.isTrusted) {
      // Restricted Mode never trains, so there is nothing to offer but the way out.
      void vscode.window.showWarningMessage(`No trained model yet in ${store.runsDir}. Classifier Lab does not train in Restricted Mode: trust this workspace to train a run, then classify images with it.`);
      return undefined;
    }
    const train = 'New Run…';
    void vscode.window.showWarningMessage(`No trained model yet in ${store.runsDir}: train a run first, then classify images with it.`, train)
      .then((picked) => picked === train && vscode.commands.executeCommand('classifierLab.newRun'));
    return undefined;
  }

  private async chooseRun(currentRunDir: string | undefined, placeHolder = 'Runs with a trained model, best first'): Promise<ClassifierRun | undefined> {
    const runs = await this.runsOrExplain();
    if (!runs) return undefined;
    const items = runs.map((run, k) => {
      const { label, description, detail } = describeClassifierRun(run);
      const marks = [run.runDir === currentRunDir ? 'current' : '', k === 0 ? 'best' : ''].filter(Boolean).join(', ');
      return { label, description: marks ? `${description} · ${marks}` : description, detail, run };
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Classify With Which Model?', placeHolder, matchOnDescription: true, matchOnDetail: true,
    });
    if (!picked) return undefined;
    await this.options.context.workspaceState.update(CLASSIFY_RUN_STATE_KEY, picked.run.record.id);
    return picked.run;
  }

  /** A tab restored after a reload classifies what it showed again. */
  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const store = this.options.folder.store;
    if (!isClassifyPanelState(state) || !store) {
      panel.dispose();
      return;
    }
    const runs = await listClassifierRuns(store);
    // The run the tab showed, else the remembered or (trusted only) best one: a reload never asks, nor picks unseen.
    const choice = classifierChoice(runs, this.rememberedRunId(), vscode.workspace.isTrusted);
    const run = runs.find((r) => r.runDir === state.runDir) ?? (choice && 'run' in choice ? choice.run : undefined);
    const collected = await collectImageFiles(state.targets);
    if (!run || collected.files.length === 0) {
      panel.dispose();
      return;
    }
    this.panels.add(new ClassifyPanel(panel, this.deps, state.targets, collected, run));
  }
}
