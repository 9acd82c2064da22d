// The VS Code entry point: wires the run store, trainers, views and commands together on activation.
// Imports only TensorFlow.js-free code: training happens in trainer child processes.
import * as vscode from 'vscode';
import { DashboardPanels } from './dashboard/dashboardPanels';
import type { ClassifierLabApi } from './api';
import { registerClassify } from './classify/registerClassify';
import { GROUP_BY_CONTEXT_KEY, GROUP_BY_STATE_KEY, registerCommands } from './commands';
import { EXPERIMENTS_VIEW_ID, ExperimentsTree, type ExperimentNode } from './experimentsTree';
import { createLogChannel } from './logChannel';
import { GROUP_BY_OPTIONS, type GroupBy } from './runEntry';
import { RunsModel } from './runsModel';
import { affectsSettings, currentRunsDir, primaryWorkspaceFolder, readSettings } from './settings';
import { TrainingStatusBar } from './statusBar';
import { TrainingController } from './trainingController';
import { UserErrors } from './userErrors';

export function activate(context: vscode.ExtensionContext): ClassifierLabApi {
  const started = performance.now();
  const log = createLogChannel();
  const errors = new UserErrors(log);
  let runsDir = currentRunsDir();

  const dashboard = new DashboardPanels(context, () => runsDir);
  const training = new TrainingController({
    trainerScript: context.asAbsolutePath('dist/trainer.js'),
    log, errors,
    settings: readSettings,
    cwd: () => primaryWorkspaceFolder() ?? context.extensionPath,
    openDashboard: (runId) => dashboard.open(runId),
  });
  const model = new RunsModel(() => runsDir, training, log);
  const storedGroupBy = context.workspaceState.get<string>(GROUP_BY_STATE_KEY);
  const groupBy: GroupBy = GROUP_BY_OPTIONS.find((option) => option === storedGroupBy) ?? 'none';
  const tree = new ExperimentsTree(model, groupBy);
  const treeView = vscode.window.createTreeView<ExperimentNode>(EXPERIMENTS_VIEW_ID, { treeDataProvider: tree, canSelectMany: true });
  const statusBar = new TrainingStatusBar(training);

  const runsDirChanged = () => {
    runsDir = currentRunsDir();
    log.info(`Runs folder: ${runsDir ?? '(none: no folder is open)'}`);
    model.runsDirChanged();
  };
  // The welcome content waits for the first listing, so it does not flash before existing runs show.
  const updateContextKeys = () => void vscode.commands.executeCommand('setContext', 'classifierLab.runsLoaded', model.isLoaded);

  // VS Code disposes subscriptions in order: commands and listeners first, views next, and the
  // trainers last (they are let go to end their runs as interrupted).
  context.subscriptions.push(
    ...registerCommands({ context, model, tree, treeView, training, dashboard, log, errors, runsDir: () => runsDir }),
    registerClassify(context, { runsDir: () => runsDir, openDashboard: (runId) => void dashboard.open(runId) }),
    model.onDidChange(updateContextKeys),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsSettings(event)) return;
      if (event.affectsConfiguration('classifierLab.runsFolder')) runsDirChanged();
      if (event.affectsConfiguration('classifierLab.concurrentRuns')) training.pump();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(runsDirChanged),
    // Trusting the workspace makes its own settings (e.g. its runs folder) count.
    vscode.workspace.onDidGrantWorkspaceTrust(runsDirChanged),
    statusBar, treeView, tree, model, dashboard, training, log,
  );
  void vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT_KEY, groupBy);
  void model.start().then(() => log.info(`Listed ${model.entries().length} run(s) from ${runsDir ?? '(no runs folder)'} in ${Math.round(performance.now() - started)} ms after activation began.`));

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms${vscode.workspace.isTrusted ? '' : ' (Restricted Mode: runs are listed read-only, training is off)'}.`);

  return {
    activationMs,
    runsDir: () => runsDir,
    startRun: (spec, name) => {
      if (runsDir === undefined) return Promise.reject(new Error('No runs folder: open a folder first.'));
      return training.start({ spec, runsDir, ...(name !== undefined ? { name } : {}) }).created;
    },
    resumeRun: async (runId) => {
      if (runsDir === undefined) throw new Error('No runs folder: open a folder first.');
      const record = model.record(runId) ?? (await model.refresh(), model.record(runId));
      if (!record) throw new Error(`There is no run ${runId}.`);
      return training.start({ spec: record.spec, runsDir, resumeRunId: runId }).created;
    },
    stopRun: (runId) => training.stop({ runId }),
    whenIdle: () => training.whenIdle(),
    trainerPid: (runId) => training.trainerPid(runId),
    trainingRunIds: () => training.trainingRunIds(),
    queuedCount: () => training.queued().length,
    experimentRows: () => tree.rows(),
    refresh: () => model.refresh(),
    timings: (runId) => training.timings(runId),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
