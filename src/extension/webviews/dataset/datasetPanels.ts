// The dataset tabs of this window: one per dataset folder (opening it again reveals it, inspecting with
// another run re-inspects it), each with its own dataset process, the run picker for likely mislabelled
// images, and their return after a window reload (inspected again).
import { basename, dirname, resolve } from 'node:path';
import * as vscode from 'vscode';
import { isPath, isRecord } from '../../../core/guards';
import type { RunRecord } from '../../../core/runs/runRecord';
import { RunStore } from '../../../core/runs/runStore';
import { InspectHost } from '../../../processes/inspect/inspectHost';
import type { DatasetTabState } from '../../../protocol/datasetView';
import type { RunsFolder } from '../../runsFolder';
import { readSettings } from '../../settings';
import { describeClassifierRun, listClassifierRuns } from '../classify/classifierRuns';
import { OpenPanels } from '../webviewPanel';
import { DatasetPanel, type DatasetPanelDeps, type InspectionRun } from './datasetPanel';

export const DATASET_VIEW_TYPE = 'classifierLab.dataset';

export interface DatasetPanelsOptions {
  context: vscode.ExtensionContext;
  folder: RunsFolder;
  log: vscode.LogOutputChannel;
  openDashboard(runId: string): void;
}

export function isDatasetTabState(value: unknown): value is DatasetTabState {
  return isRecord(value) && isPath(value.root) && (value.runDir === undefined || isPath(value.runDir));
}

/** A run record as the inspection uses it. */
export function inspectionRun(record: RunRecord, runDir: string, runsDir: string | undefined): InspectionRun {
  return {
    runDir, name: record.name, cifar100Labels: record.spec.data.cifar100Labels,
    ...(runsDir !== undefined && dirname(runDir) === runsDir ? { runId: record.id } : {}),
  };
}

export class DatasetPanels implements vscode.Disposable {
  private readonly panels = new OpenPanels<DatasetPanel>();
  private readonly serializer: vscode.Disposable;

  constructor(private readonly options: DatasetPanelsOptions) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(DATASET_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => this.restore(panel, state) });
  }

  /** Shows the dataset's tab (inspecting it with `run` when given), revealing and re-inspecting one already open. */
  open(root: string, run?: InspectionRun): void {
    const key = resolve(root);
    const open = this.panels.get(key);
    if (open) {
      open.reveal();
      if (run && run.runDir !== open.runDir) open.inspectWith(run);
      return;
    }
    const panel = vscode.window.createWebviewPanel(DATASET_VIEW_TYPE, `Dataset: ${basename(key)}`, vscode.ViewColumn.Active, {});
    this.panels.add(new DatasetPanel(panel, this.deps(), key, run), key);
  }

  /** The run a recorded run folder is, for an inspection. */
  async runAt(runDir: string): Promise<InspectionRun> {
    const record = await new RunStore(dirname(runDir)).read(basename(runDir));
    return inspectionRun(record, runDir, this.options.folder.dir);
  }

  dispose(): void {
    this.panels.dispose();
    this.serializer.dispose();
  }

  private deps(): DatasetPanelDeps {
    const { context, log } = this.options;
    return {
      extensionUri: context.extensionUri,
      host: new InspectHost({ script: context.asAbsolutePath('dist/inspect.js'), cwd: context.extensionPath, onLog: (line) => log.info(`[dataset] ${line}`) }),
      backend: () => readSettings().backend,
      openDashboard: this.options.openDashboard,
      chooseRun: (root, current) => this.chooseRun(root, current),
    };
  }

  /** Runs with a model, those trained on this dataset first; undefined when there is none (said) or the user escaped. */
  async chooseRun(root: string, currentRunDir?: string): Promise<InspectionRun | undefined> {
    const store = this.options.folder.store;
    const runs = store ? await listClassifierRuns(store) : [];
    if (runs.length === 0) {
      void vscode.window.showInformationMessage('No run has a trained model yet: train one on this dataset, then inspect it with the run to find likely mislabelled images.');
      return undefined;
    }
    const onThisDataset = (dataPath: string) => resolve(dataPath) === resolve(root);
    const ordered = [...runs].sort((a, b) => Number(onThisDataset(b.record.spec.data.path)) - Number(onThisDataset(a.record.spec.data.path)));
    const items = ordered.map((run) => {
      const { label, description, detail } = describeClassifierRun(run);
      const marks = [onThisDataset(run.record.spec.data.path) ? 'trained on this dataset' : '', run.runDir === currentRunDir ? 'current' : ''].filter(Boolean).join(', ');
      return { label, description: marks ? `${description} · ${marks}` : description, detail, run };
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Inspect with Which Run?', placeHolder: 'Its model ranks the images it contradicts most confidently: likely mislabelled', matchOnDescription: true, matchOnDetail: true,
    });
    return picked && inspectionRun(picked.run.record, picked.run.runDir, this.options.folder.dir);
  }

  /** A tab restored after a reload inspects what it showed again. */
  private async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isDatasetTabState(state) || this.panels.has(resolve(state.root))) {
      panel.dispose();
      return;
    }
    const run = state.runDir ? await this.runAt(state.runDir).catch(() => undefined) : undefined;
    this.panels.add(new DatasetPanel(panel, this.deps(), resolve(state.root), run), resolve(state.root));
  }
}
