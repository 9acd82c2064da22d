// The services of one window, as commands get them: built once in activate(), one owner each.
import type * as vscode from 'vscode';
import type { RunsFolder } from './runsFolder';
import type { TrainingController } from './training/trainingController';
import type { UserErrors } from './userErrors';
import type { ExperimentNode, ExperimentsTree } from './views/experimentsTree';
import type { DashboardPanels } from './webviews/dashboard/dashboardPanels';
import type { ClassifyPanels } from './webviews/classify/classifyPanels';
import type { DatasetPanels } from './webviews/dataset/datasetPanels';
import type { AugmentPreviewPanels } from './webviews/augmentPreview/augmentPreviewPanels';

export interface Lab {
  readonly context: vscode.ExtensionContext;
  /** The runs folder: its store, its runs, its changes. */
  readonly folder: RunsFolder;
  /** The runs this window trains or has queued. */
  readonly training: TrainingController;
  /** Both of the above as the Experiments view's rows. */
  readonly tree: ExperimentsTree;
  readonly treeView: vscode.TreeView<ExperimentNode>;
  readonly dashboards: DashboardPanels;
  readonly classify: ClassifyPanels;
  /** The dataset tabs (Inspect Dataset). */
  readonly datasets: DatasetPanels;
  /** The augmentation preview tabs. */
  readonly previews: AugmentPreviewPanels;
  readonly log: vscode.LogOutputChannel;
  readonly errors: UserErrors;
}
