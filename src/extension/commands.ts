// The palette and menu commands. Each accepts a run from the Experiments view (the clicked row and
// the selection), a run id, or nothing, in which case it asks with a quick pick.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { relative, isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../core/runs/runRecord';
import { runPaths } from '../core/runs/runLayout';
import { RunStore } from '../core/runs/runStore';
import { EXPERIMENTS_VIEW_ID, type ExperimentNode, type ExperimentsTree } from './experimentsTree';
import { exportModel } from './exportModel';
import { entryStatus } from './groupRuns';
import { rememberChoices, runNewRunWizard } from './newRunWizard';
import { GROUP_BY_OPTIONS, type GroupBy, type RecordedRunEntry, type RunEntry } from './runEntry';
import { pickRun, pickRuns } from './runPicker';
import type { RunsModel } from './runsModel';
import { openSettings, primaryWorkspaceFolder, readSettings } from './settings';
import type { TrainingController } from './trainingController';
import type { UserErrors } from './userErrors';

export const GROUP_BY_STATE_KEY = 'classifierLab.groupBy';
export const GROUP_BY_CONTEXT_KEY = 'classifierLab.groupBy';

export interface CommandContext {
  context: vscode.ExtensionContext;
  model: RunsModel;
  tree: ExperimentsTree;
  treeView: vscode.TreeView<ExperimentNode>;
  training: TrainingController;
  dashboard: { open(runId: string): Promise<void>; compare(runIds: string[]): Promise<void> };
  log: vscode.LogOutputChannel;
  errors: UserErrors;
  runsDir(): string | undefined;
}

type CommandArgument = ExperimentNode | string | undefined;

const GROUP_BY_LABELS: Record<GroupBy, string> = { none: 'None (newest first)', dataset: 'Dataset', status: 'Status' };

function isNode(value: unknown): value is ExperimentNode {
  return typeof value === 'object' && value !== null && ((value as ExperimentNode).kind === 'run' || (value as ExperimentNode).kind === 'group');
}

function recorded(entry: RunEntry | undefined): entry is RecordedRunEntry {
  return entry?.kind === 'run';
}

function canResume(record: RunRecord): boolean {
  const last = record.summary.lastEpoch ?? 0;
  return (record.status === 'interrupted' || record.status === 'cancelled' || record.status === 'failed') && last >= 1 && last < record.summary.epochs;
}

export function registerCommands(c: CommandContext): vscode.Disposable[] {
  const { model, training, errors, log } = c;

  /** The current entry for a command argument (a row may be stale by the time it is clicked). */
  const entryOf = (arg: CommandArgument): RunEntry | undefined => {
    const entries = model.entries();
    if (typeof arg === 'string') return entries.find((e) => e.kind === 'run' && e.record.id === arg);
    if (isNode(arg) && arg.kind === 'run') {
      const wanted = arg.entry;
      return entries.find((e) => (e.kind === 'run' && wanted.kind === 'run' && e.record.id === wanted.record.id)
        || (e.kind === 'queued' && wanted.kind === 'queued' && e.ticket === wanted.ticket)) ?? wanted;
    }
    return undefined;
  };

  /** The clicked row plus the rest of the selection (menus pass both), or what the user picks. */
  const entriesOf = (arg: CommandArgument, selection: unknown): RunEntry[] => {
    const nodes = Array.isArray(selection) && selection.length > 0 ? selection.filter(isNode) : isNode(arg) || typeof arg === 'string' ? [arg] : [];
    return nodes.map((node) => entryOf(node)).filter((e): e is RunEntry => e !== undefined);
  };

  const oneRecorded = async (arg: CommandArgument, filter: (entry: RecordedRunEntry) => boolean, placeHolder: string, none: string): Promise<RecordedRunEntry | undefined> => {
    const given = entryOf(arg);
    if (given) return recorded(given) ? given : undefined;
    if (typeof arg === 'string') throw new Error(`There is no run ${arg} in the runs folder.`);
    const picked = await pickRun(model.entries().filter((e): e is RecordedRunEntry => recorded(e) && filter(e)), placeHolder, none);
    return recorded(picked) ? picked : undefined;
  };

  const requireRunsDir = (): string | undefined => {
    const dir = c.runsDir();
    if (dir === undefined) {
      errors.show('Open a folder first: Classifier Lab keeps runs in the workspace (setting classifierLab.runsFolder).', undefined, [
        { title: 'Open Folder', run: () => vscode.commands.executeCommand('workbench.action.files.openFolder') }, 'openSettings',
      ]);
    }
    return dir;
  };

  const requireTrust = (): boolean => {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showWarningMessage('Classifier Lab does not train in Restricted Mode: the workspace could point it at anything. Trust this workspace to train; runs stay visible either way.', 'Manage Workspace Trust')
      .then((picked) => { if (picked) void vscode.commands.executeCommand('workbench.trust.manage'); });
    return false;
  };

  const showView = (): void => {
    if (!c.treeView.visible) void vscode.commands.executeCommand(`${EXPERIMENTS_VIEW_ID}.focus`);
  };

  const store = (): RunStore => {
    const dir = c.runsDir();
    if (dir === undefined) throw new Error('No runs folder: open a folder first.');
    return new RunStore(dir);
  };

  const startTraining = async (spec: RunRecord['spec'], options: { resumeRunId?: string; requestedAt?: number } = {}): Promise<void> => {
    const runsDir = requireRunsDir();
    if (runsDir === undefined) return;
    training.start({ spec, runsDir, ...(options.resumeRunId ? { resumeRunId: options.resumeRunId } : {}) }, { interactive: true, requestedAt: options.requestedAt });
    showView();
  };

  const commands: Record<string, (arg?: CommandArgument, selection?: unknown) => Promise<void>> = {
    'classifierLab.newRun': async () => {
      if (!requireTrust() || requireRunsDir() === undefined) return;
      const folder = primaryWorkspaceFolder();
      const result = await runNewRunWizard({
        workspaceState: c.context.workspaceState, defaults: readSettings().defaults, workspaceFolders: folder ? [folder] : [],
      });
      if (!result) return;
      const requestedAt = Date.now();
      await startTraining(result.spec, { requestedAt });
      await rememberChoices(c.context.workspaceState, result.choices);
    },

    'classifierLab.stopRun': async (arg, selection) => {
      let entries = entriesOf(arg, selection);
      if (entries.length === 0) {
        const picked = await pickRun(model.entries().filter((e) => ['running', 'queued'].includes(entryStatus(e))), 'Run to stop', 'No run is training or queued.');
        entries = picked ? [picked] : [];
      }
      for (const entry of entries) {
        if (entry.kind === 'queued') {
          await training.stop({ ticket: entry.ticket });
        } else if (entry.resumeTicket !== undefined) {
          await training.stop({ ticket: entry.resumeTicket });
        } else if (training.isTrainingHere(entry.record.id)) {
          await training.stop({ runId: entry.record.id });
        } else if (entry.record.status === 'running') {
          await stopElsewhere(entry.record);
        }
      }
    },

    'classifierLab.resumeRun': async (arg) => {
      if (!requireTrust()) return;
      const entry = await oneRecorded(arg, (e) => canResume(e.record), 'Run to resume from its last checkpoint', 'No run can be resumed: only interrupted, cancelled or failed runs with a finished epoch can.');
      if (!entry) return;
      if (!canResume(entry.record)) throw new Error(`Run "${entry.record.name}" cannot be resumed: it is ${entry.record.status} after ${entry.record.summary.lastEpoch ?? 0} of ${entry.record.summary.epochs} epochs.`);
      if (!(await store().readCheckpointState(entry.record.id))) throw new Error(`Run "${entry.record.name}" has no checkpoint to resume from.`);
      await startTraining(entry.record.spec, { resumeRunId: entry.record.id });
    },

    'classifierLab.rerun': async (arg) => {
      if (!requireTrust()) return;
      const entry = await oneRecorded(arg, () => true, 'Run whose settings to train again', 'There are no runs yet.');
      if (entry) await startTraining(entry.record.spec);
    },

    'classifierLab.openDashboard': async (arg) => {
      const entry = await oneRecorded(arg, () => true, 'Run to open', 'There are no runs yet.');
      if (entry) await c.dashboard.open(entry.record.id);
    },

    'classifierLab.compareRuns': async (arg, selection) => {
      // From the view's title bar there is no argument: use the runs selected in the view.
      const selected = arg === undefined ? c.treeView.selection : selection;
      let entries = entriesOf(arg, selected).filter(recorded);
      if (entries.length < 2) {
        entries = (await pickRuns(model.entries().filter(recorded), 'Runs to compare (pick two or more)', 'There are no runs yet.')).filter(recorded);
        if (entries.length === 1) void vscode.window.showInformationMessage('Pick at least two runs to compare.');
      }
      if (entries.length >= 2) await c.dashboard.compare(entries.map((e) => e.record.id));
    },

    'classifierLab.renameRun': async (arg) => {
      const entry = await oneRecorded(arg, () => true, 'Run to rename', 'There are no runs yet.');
      if (!entry) return;
      const name = await vscode.window.showInputBox({
        title: `Rename "${entry.record.name}"`, value: entry.record.name, prompt: 'New name (the run folder keeps its id)',
        validateInput: (value) => (value.trim().length === 0 ? 'A run needs a name.' : value.trim().length > 200 ? 'At most 200 characters.' : undefined),
      });
      if (name === undefined) return;
      await store().rename(entry.record.id, name);
      await model.refresh();
    },

    'classifierLab.editNotes': async (arg) => {
      const entry = await oneRecorded(arg, () => true, 'Run to annotate', 'There are no runs yet.');
      if (!entry) return;
      const notes = await vscode.window.showInputBox({
        title: `Note for "${entry.record.name}"`, value: entry.record.notes ?? '', prompt: 'A note about this run (empty removes it)',
      });
      if (notes === undefined) return;
      const tags = await vscode.window.showInputBox({
        title: `Tags for "${entry.record.name}"`, value: (entry.record.tags ?? []).join(', '), prompt: 'Comma-separated tags, e.g. baseline, augmented',
      });
      if (tags === undefined) return;
      await store().setNotes(entry.record.id, notes, tags.split(','));
      await model.refresh();
    },

    'classifierLab.deleteRun': async (arg, selection) => {
      let entries = entriesOf(arg, selection).filter(recorded);
      if (entries.length === 0) {
        const picked = await pickRun(model.entries().filter((e): e is RecordedRunEntry => recorded(e) && e.record.status !== 'running'), 'Run to delete', 'There are no runs to delete.');
        entries = recorded(picked) ? [picked] : [];
      }
      if (entries.length === 0) return;
      const busy = entries.filter((e) => e.record.status === 'running' || training.isTrainingHere(e.record.id));
      if (busy.length > 0) {
        void vscode.window.showWarningMessage(`Stop ${busy.map((e) => `"${e.record.name}"`).join(', ')} before deleting ${busy.length === 1 ? 'it' : 'them'}.`);
        return;
      }
      const names = entries.map((e) => `"${e.record.name}"`);
      const answer = await vscode.window.showWarningMessage(
        entries.length === 1 ? `Delete run ${names[0]}?` : `Delete ${entries.length} runs?`,
        { modal: true, detail: `${entries.length === 1 ? 'Its folder' : `The folders of ${names.join(', ')}`} with metrics, models and checkpoints will be deleted from disk. This cannot be undone.` },
        'Delete',
      );
      if (answer !== 'Delete') return;
      for (const entry of entries) {
        await store().delete(entry.record.id);
        log.info(`Deleted run ${entry.record.id} ("${entry.record.name}").`);
      }
      await model.refresh();
    },

    'classifierLab.exportModel': async (arg) => {
      const entry = await oneRecorded(arg, (e) => e.record.summary.bestEpoch !== undefined, 'Run whose model to export', 'No run has a saved model yet.');
      if (!entry) return;
      const folder = primaryWorkspaceFolder();
      const destination = await vscode.window.showOpenDialog({
        canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Export Here',
        title: `Export the model of "${entry.record.name}" (TensorFlow.js layers format)`, defaultUri: folder ? vscode.Uri.file(folder) : undefined,
      });
      if (!destination?.[0]) return;
      const target = await exportModel(store().runDir(entry.record.id), entry.record.name, destination[0].fsPath);
      log.info(`Exported the model of "${entry.record.name}" to ${target}`);
      void vscode.window.showInformationMessage(`Exported the model of "${entry.record.name}" to ${target}`, 'Reveal').then((picked) => {
        if (picked) void reveal(target);
      });
    },

    'classifierLab.revealRun': async (arg) => {
      const entry = await oneRecorded(arg, () => true, 'Run whose folder to reveal', 'There are no runs yet.');
      if (entry) await reveal(store().runDir(entry.record.id));
    },

    'classifierLab.showLog': async (arg) => {
      const entry = arg === undefined ? undefined : entryOf(arg);
      if (recorded(entry)) {
        const file = runPaths(store().runDir(entry.record.id)).log;
        if (existsSync(file)) {
          await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
          return;
        }
      }
      log.show(true);
    },

    'classifierLab.refresh': async () => {
      await model.refresh();
    },

    'classifierLab.groupBy': async () => {
      const current = c.tree.grouping;
      const picked = await vscode.window.showQuickPick(GROUP_BY_OPTIONS.map((value) => ({
        value, label: GROUP_BY_LABELS[value], description: value === current ? 'current' : undefined,
      })), { placeHolder: 'Group runs by' });
      if (!picked) return;
      c.tree.setGroupBy(picked.value);
      await c.context.workspaceState.update(GROUP_BY_STATE_KEY, picked.value);
      await vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT_KEY, picked.value);
    },

    'classifierLab.openSettings': async () => {
      await openSettings();
    },
  };

  /** A run trained by another process on this machine (the CLI, another window): ask it to stop with SIGTERM. */
  async function stopElsewhere(record: RunRecord): Promise<void> {
    const owner = record.process;
    if (!owner || owner.hostname !== hostname()) {
      void vscode.window.showInformationMessage(`"${record.name}" is being trained on ${owner?.hostname ?? 'another machine'}; stop it there.`);
      return;
    }
    const answer = await vscode.window.showWarningMessage(
      `"${record.name}" is being trained by another process (pid ${owner.pid}), e.g. the command line or another window. Ask it to stop?`,
      { modal: true, detail: 'It finishes its current batch, saves, and ends the run as cancelled.' }, 'Stop',
    );
    if (answer !== 'Stop') return;
    process.kill(owner.pid, 'SIGTERM');
    log.info(`Sent SIGTERM to process ${owner.pid} training "${record.name}".`);
    model.scheduleRefresh();
  }

  async function reveal(path: string): Promise<void> {
    const uri = vscode.Uri.file(path);
    const inWorkspace = (vscode.workspace.workspaceFolders ?? []).some((folder) => {
      const rel = relative(folder.uri.fsPath, path);
      return !rel.startsWith('..') && !isAbsolute(rel);
    });
    if (vscode.env.remoteName === undefined) await vscode.commands.executeCommand('revealFileInOS', uri);
    else if (inWorkspace) await vscode.commands.executeCommand('revealInExplorer', uri);
    else void vscode.window.showInformationMessage(path);
  }

  // Error notifications name the command as the palette does.
  const contributed = (c.context.extension.packageJSON as { contributes?: { commands?: { command: string; title: string }[] } }).contributes?.commands ?? [];
  const titleOf = (id: string) => contributed.find((command) => command.command === id)?.title ?? id;
  return Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, (arg?: CommandArgument, selection?: unknown) =>
    errors.guard(`${titleOf(id)} failed`, () => run(arg, selection))));
}
