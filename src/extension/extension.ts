// The VS Code entry point: builds the window's services (one owner each), the views and the commands.
// Imports only TensorFlow.js-free code: training and inference happen in child processes.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { localTrainerExecutor } from '../processes/trainer/trainerHost';
import { SlurmJobWatch } from '../processes/slurm/slurmJobWatch';
import type { ClassifierLabApi } from './api';
import { clusterTrialRunner } from './cluster/trialRunnerForExecutor';
import { windowSlurmClient, windowSlurmExecutor } from './cluster/windowSlurm';
import { registerCommands } from './commands/command';
import { COMMANDS } from './commands/commands';
import { DoctorCodeActions } from './doctor/doctorCodeActions';
import { RunDoctor } from './doctor/runDoctor';
import { GROUP_BY_CONTEXT_KEY, GROUP_BY_STATE_KEY } from './commands/viewCommands';
import type { Lab } from './lab';
import { DatasetFolders } from './datasetFolders';
import { processEnvironment } from './nativeBackend';
import { RunsFolder } from './runsFolder';
import { SweepRunner } from './sweeps/sweepRunner';
import { SweepsFolder } from './sweeps/sweepsFolder';
import { primaryWorkspaceFolder, readExecutorSettings, readSettings } from './settings';
import { trainingThreadsFor } from './settingsValues';
import { TrainingStatusBar } from './training/statusBar';
import { TrainingController } from './training/trainingController';
import { UserErrors } from './userErrors';
import { EXPERIMENTS_VIEW_ID, ExperimentsTree, type ExperimentNode } from './views/experimentsTree';
import { GROUP_BY_OPTIONS, type GroupBy } from './views/groupRuns';
import { ClassifyPanels } from './webviews/classify/classifyPanels';
import { DatasetPanels } from './webviews/dataset/datasetPanels';
import { AugmentPreviewPanels } from './webviews/augmentPreview/augmentPreviewPanels';
import { DashboardPanels } from './webviews/dashboard/dashboardPanels';
import { LrFinderPanels } from './webviews/lrFinder/lrFinderPanels';
import { choicesFromSpec } from './newRun/newRunChoices';
import { rememberChoices } from './newRun/newRunWizard';
import { RunsTablePanels } from './webviews/runsTable/runsTablePanel';
import { SweepPanels } from './webviews/sweep/sweepPanels';

export function activate(context: vscode.ExtensionContext): ClassifierLabApi {
  const started = performance.now();
  // The Classifier Lab output channel: the extension's, the trainers' and the inference process's messages.
  const log = vscode.window.createOutputChannel('Classifier Lab', { log: true });
  const errors = new UserErrors(log);
  const slurmClient = windowSlurmClient(context);
  // The runs folder's polls also ask Slurm how its runs' jobs stand, and record the end of those that ended.
  const folder = RunsFolder.forWindow(log, new SlurmJobWatch({ client: slurmClient, onWarning: (message) => log.warn(message) }));
  const slurm = windowSlurmExecutor(context, folder, slurmClient);
  const doctor = new RunDoctor(folder, vscode.Uri.joinPath(context.extensionUri, 'docs', 'doctor.md'), log);
  const datasetFolders = new DatasetFolders(context.globalState);
  const dashboards = new DashboardPanels(context.extensionUri, folder, log, datasetFolders, doctor);
  const openDashboard = (runId: string) => void dashboards.open(runId);
  const training = new TrainingController({
    executor: localTrainerExecutor(() => {
      const settings = readSettings();
      return {
        trainerScript: context.asAbsolutePath('dist/trainer.js'), backend: settings.backend, threads: trainingThreadsFor(settings),
        cwd: primaryWorkspaceFolder() ?? context.extensionPath, env: processEnvironment(context),
      };
    }),
    clusterExecutor: () => (readExecutorSettings().executor === 'slurm' ? slurm : undefined),
    folder, log, errors, openDashboard,
    concurrency: () => readSettings().concurrentRuns,
  });
  // Sweeps: the folder beside the runs, the sweeps this window runs (trials through the queue above), their tabs.
  // (The folder asks the runner only from its first read on, after both exist.)
  const sweeps: SweepsFolder = new SweepsFolder(folder, log, (id): boolean => sweepRunner.isRunning(id));
  const sweepRunner: SweepRunner = new SweepRunner({ folder, sweeps, training, concurrency: () => readSettings().concurrentRuns, log, errors, openSweep: (id): void => sweepPanels.open(id),
    clusterRunner: (parallel) => clusterTrialRunner({ slurm }, parallel),
  });
  const sweepPanels: SweepPanels = new SweepPanels(context.extensionUri, {
    sweeps, folder, runner: sweepRunner, openRun: openDashboard, compare: (runIds) => void dashboards.compare(runIds),
  });
  const storedGroupBy = context.workspaceState.get<string>(GROUP_BY_STATE_KEY);
  const groupBy: GroupBy = GROUP_BY_OPTIONS.find((option) => option === storedGroupBy) ?? 'none';
  const tree = new ExperimentsTree(folder, training, groupBy, { folder: sweeps, runner: sweepRunner });
  const treeView = vscode.window.createTreeView<ExperimentNode>(EXPERIMENTS_VIEW_ID, { treeDataProvider: tree, canSelectMany: true });
  const classify = new ClassifyPanels({ context, folder, log, openDashboard });
  const runsTable = new RunsTablePanels(context.extensionUri, {
    folder, state: context.workspaceState, openRun: openDashboard, compare: (runIds) => void dashboards.compare(runIds),
  });
  const datasets = new DatasetPanels({ context, folder, log, openDashboard });
  const previews = new AugmentPreviewPanels({
    context, log,
    startNewRun: (spec) => void vscode.commands.executeCommand('classifierLab.newRun', { datasetPath: spec.data.path, augment: spec.augment }),
  });
  const lrFinder = new LrFinderPanels({
    context, log,
    processOptions: () => ({ backend: readSettings().backend, cwd: primaryWorkspaceFolder() ?? context.extensionPath, env: processEnvironment(context) }),
    startRun: async (spec) => {
      const runsDir = folder.dir;
      if (runsDir === undefined) throw new Error('No runs folder: open a folder first.');
      const runId = await training.start({ spec, runsDir }, { interactive: true, requestedAt: Date.now() }).created;
      // New Training Run offers next what was started last: these settings, with the chosen rate.
      await rememberChoices(context.workspaceState, choicesFromSpec(spec));
      return training.find(runId)?.name ?? folder.record(runId)?.name ?? runId;
    },
  });
  const lab: Lab = {
    context, folder, training, tree, treeView, dashboards, classify, datasets, previews, lrFinder, doctor, sweeps, sweepRunner, sweepPanels, runsTable,
    log, errors, slurm, datasetFolders,
  };

  // VS Code disposes subscriptions in order: commands and listeners first, views next, and the
  // trainers last (they are let go to end their runs as interrupted).
  context.subscriptions.push(
    ...registerCommands(COMMANDS, lab),
    // The welcome content waits for the first listing, so it does not flash before existing runs show.
    tree.onDidChangeTreeData(() => void vscode.commands.executeCommand('setContext', 'classifierLab.runsLoaded', tree.isLoaded)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('classifierLab.concurrentRuns')) training.pump();
    }),
    DoctorCodeActions.register(doctor),
    // The sweep runner lets go of its sweeps before the queue lets go of their trials (they resume later).
    sweepRunner, sweepPanels, runsTable,
    new TrainingStatusBar(training), treeView, tree, previews, datasets, classify, lrFinder, dashboards, doctor, sweeps, training, folder, log,
  );
  void vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT_KEY, groupBy);
  void folder.refresh().then(() => log.info(`Listed ${folder.runs.length} run(s) from ${folder.dir ?? '(no runs folder)'} in ${Math.round(performance.now() - started)} ms after activation began.`));

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (Restricted Mode: runs are listed read-only, training is off)'}.`);

  const start = (request: { spec: Parameters<ClassifierLabApi['startRun']>[0]; name?: string; resumeRunId?: string }): Promise<string> => {
    const runsDir = folder.dir;
    if (runsDir === undefined) return Promise.reject(new Error('No runs folder: open a folder first.'));
    return training.start({ ...request, runsDir }).created;
  };
  return {
    activationMs,
    runsDir: () => folder.dir,
    startRun: (spec, name) => start({ spec, ...(name !== undefined ? { name } : {}) }),
    resumeRun: async (runId) => {
      const record = folder.record(runId) ?? (await folder.refresh(), folder.record(runId));
      if (!record) throw new Error(`There is no run ${runId}.`);
      return start({ spec: record.spec, resumeRunId: runId });
    },
    stopRun: (runId) => training.stop({ runId }),
    whenIdle: () => training.whenIdle(),
    trainerPid: (runId) => training.find(runId)?.pid,
    trainingRunIds: () => training.runs().flatMap((run) => (run.phase !== 'queued' && run.runId !== undefined ? [run.runId] : [])),
    queuedCount: () => training.runs().filter((run) => run.phase === 'queued').length,
    experimentRows: () => tree.rows(),
    refresh: () => folder.refresh(),
    timings: (runId) => training.timings(runId),
    clusterTrialRunner: (parallel) => clusterTrialRunner(lab, parallel),
    startSweep: (spec) => sweepRunner.start(spec),
    stopSweep: (id) => sweepRunner.stop(id),
    resumeSweep: (id) => sweepRunner.resume(id),
    whenSweepsIdle: () => sweepRunner.whenIdle(),
    readSweep: (id) => sweeps.requireStore().read(id).catch(() => undefined),
    doctorFindings: (runId) => doctor.diagnoses(runId),
    // A log output channel writes `<name>.log` in the extension's log folder.
    logFile: () => join(context.logUri.fsPath, `${log.name}.log`),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
