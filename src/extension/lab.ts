// The services of one window, as commands get them: built once in activate(), one owner each.
import type * as vscode from 'vscode';
import type { RunsFolder } from './runsFolder';
import type { TrainingController } from './training/trainingController';
import type { UserErrors } from './userErrors';
import type { ExperimentNode, ExperimentsTree } from './views/experimentsTree';
import type { DashboardPanels } from './webviews/dashboard/dashboardPanels';
import type { ClassifyPanels } from './webviews/classify/classifyPanels';
import type { LrFinderPanels } from './webviews/lrFinder/lrFinderPanels';

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
  /** Find Learning Rate tabs and their range-test processes. */
  readonly lrFinder: LrFinderPanels;
  readonly log: vscode.LogOutputChannel;
  readonly errors: UserErrors;
}
