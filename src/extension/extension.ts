// The VS Code entry point: builds the window's services (one owner each), the views and the commands.
// Imports only TensorFlow.js-free code: training and inference happen in child processes.
import * as vscode from 'vscode';
import { localTrainerExecutor } from '../processes/trainer/trainerHost';
import type { ClassifierLabApi } from './api';
import { registerCommands } from './commands/command';
import { COMMANDS } from './commands/commands';
import { GROUP_BY_CONTEXT_KEY, GROUP_BY_STATE_KEY } from './commands/viewCommands';
import type { Lab } from './lab';
import { RunsFolder } from './runsFolder';
import { processEnvironment } from './nativeBackend';
import { primaryWorkspaceFolder, readSettings } from './settings';
import { trainingThreadsFor } from './settingsValues';
import { TrainingStatusBar } from './training/statusBar';
import { TrainingController } from './training/trainingController';
import { UserErrors } from './userErrors';
import { EXPERIMENTS_VIEW_ID, ExperimentsTree, type ExperimentNode } from './views/experimentsTree';
import { GROUP_BY_OPTIONS, type GroupBy } from './views/groupRuns';
import { ClassifyPanels } from './webviews/classify/classifyPanels';
import { DashboardPanels } from './webviews/dashboard/dashboardPanels';
import { LrFinderPanels } from './webviews/lrFinder/lrFinderPanels';

export function activate(context: vscode.ExtensionContext): ClassifierLabApi {
  const started = performance.now();
  // The Classifier Lab output channel: the extension's, the trainers' and the inference process's messages.
  const log = vscode.window.createOutputChannel('Classifier Lab', { log: true });
  const errors = new UserErrors(log);
  const folder = RunsFolder.forWindow(log);
  const dashboards = new DashboardPanels(context.extensionUri, folder, log);
  const openDashboard = (runId: string) => void dashboards.open(runId);
  const training = new TrainingController({
    executor: localTrainerExecutor(() => {
      const settings = readSettings();
      return {
        trainerScript: context.asAbsolutePath('dist/trainer.js'), backend: settings.backend, threads: trainingThreadsFor(settings),
        cwd: primaryWorkspaceFolder() ?? context.extensionPath, env: processEnvironment(context),
      };
    }),
    folder, log, errors, openDashboard,
    concurrency: () => readSettings().concurrentRuns,
  });
  const storedGroupBy = context.workspaceState.get<string>(GROUP_BY_STATE_KEY);
  const groupBy: GroupBy = GROUP_BY_OPTIONS.find((option) => option === storedGroupBy) ?? 'none';
  const tree = new ExperimentsTree(folder, training, groupBy);
  const treeView = vscode.window.createTreeView<ExperimentNode>(EXPERIMENTS_VIEW_ID, { treeDataProvider: tree, canSelectMany: true });
  const classify = new ClassifyPanels({ context, folder, log, openDashboard });
  const lrFinder = new LrFinderPanels({
    context, log,
    processOptions: () => ({ backend: readSettings().backend, cwd: primaryWorkspaceFolder() ?? context.extensionPath, env: processEnvironment(context) }),
    startRun: async (spec) => {
      const runsDir = folder.dir;
      if (runsDir === undefined) throw new Error('No runs folder: open a folder first.');
      const runId = await training.start({ spec, runsDir }, { interactive: true, requestedAt: Date.now() }).created;
      return training.find(runId)?.name ?? folder.record(runId)?.name ?? runId;
    },
  });
  const lab: Lab = { context, folder, training, tree, treeView, dashboards, classify, lrFinder, log, errors };

  // VS Code disposes subscriptions in order: commands and listeners first, views next, and the
  // trainers last (they are let go to end their runs as interrupted).
  context.subscriptions.push(
    ...registerCommands(COMMANDS, lab),
    // The welcome content waits for the first listing, so it does not flash before existing runs show.
    tree.onDidChangeTreeData(() => void vscode.commands.executeCommand('setContext', 'classifierLab.runsLoaded', tree.isLoaded)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('classifierLab.concurrentRuns')) training.pump();
    }),
    new TrainingStatusBar(training), treeView, tree, classify, lrFinder, dashboards, training, folder, log,
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
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
