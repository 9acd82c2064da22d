// The services of one window, as commands get them: built once in activate(), one owner each.
import type * as vscode from 'vscode';
import type { SlurmExecutor } from '../processes/slurm/slurmExecutor';
import type { RunDoctor } from './doctor/runDoctor';
import type { DatasetFolders } from './datasetFolders';
import type { RunsFolder } from './runsFolder';
import type { SweepRunner } from './sweeps/sweepRunner';
import type { SweepsFolder } from './sweeps/sweepsFolder';
import type { TrainingController } from './training/trainingController';
import type { UserErrors } from './userErrors';
import type { ExperimentNode, ExperimentsTree } from './views/experimentsTree';
import type { DashboardPanels } from './webviews/dashboard/dashboardPanels';
import type { ClassifyPanels } from './webviews/classify/classifyPanels';
import type { RunsTablePanels } from './webviews/runsTable/runsTablePanel';
import type { SweepPanels } from './webviews/sweep/sweepPanels';
import type { DatasetPanels } from './webviews/dataset/datasetPanels';
import type { AugmentPreviewPanels } from './webviews/augmentPreview/augmentPreviewPanels';
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
  /** The training doctor's findings on every run (Problems panel, dashboards, quick fixes). */
  readonly doctor: RunDoctor;
  /** The sweeps folder beside the runs: its sweeps, their changes. */
  readonly sweeps: SweepsFolder;
  /** The sweeps this window runs (their trials go through `training`'s queue). */
  readonly sweepRunner: SweepRunner;
  readonly sweepPanels: SweepPanels;
  /** The runs table tab (every run as a row). */
  readonly runsTable: RunsTablePanels;
  /** The dataset tabs (Inspect Dataset). */
  readonly datasets: DatasetPanels;
  /** The augmentation preview tabs. */
  readonly previews: AugmentPreviewPanels;
  /** Find Learning Rate tabs and their range-test processes. */
  readonly lrFinder: LrFinderPanels;
  readonly log: vscode.LogOutputChannel;
  readonly errors: UserErrors;
  /** Submits runs as Slurm jobs (when `classifierLab.executor` is slurm) and cancels them. */
  readonly slurm: SlurmExecutor;
  /** Dataset folders outside the workspace whose images the user chose to see in dashboards. */
  readonly datasetFolders: DatasetFolders;
}
