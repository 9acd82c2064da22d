// The sweep commands: New Sweep (the guided picker, or a sweep file), Open Sweep (its tab), Stop Sweep
// (the whole sweep), Resume Sweep (one whose process stopped), Delete Sweep (with its runs, after asking)
// and Rerun Best with More Epochs.
import { hostname } from 'node:os';
import * as vscode from 'vscode';
import type { SweepRecord } from '../../core/sweeps/sweepRecord';
import { trialRunSpec } from '../../core/sweeps/runSweep';
import type { Lab } from '../lab';
import { primaryWorkspaceFolder, readSettings } from '../settings';
import { runNewSweepWizard } from '../sweeps/newSweepWizard';
import { EXPERIMENTS_VIEW_ID } from '../views/experimentsTree';
import { plannedTrials, RESUMABLE_SWEEP_STATUSES } from '../views/sweepPresentation';
import { parseWholeNumber } from '../newRun/newRunChoices';
import { requireRunsFolder, requireTrust, type Command } from './command';
import { resolveSweep } from './sweepArguments';
import { startTraining } from './trainRun';

function canResume(lab: Lab, sweep: SweepRecord): boolean {
  return !lab.sweepRunner.isRunning(sweep.id) && RESUMABLE_SWEEP_STATUSES.includes(sweep.status);
}

export const newSweepCommand: Command = {
  id: 'classifierLab.newSweep',
  async run(lab) {
    if (!requireTrust() || requireRunsFolder(lab) === undefined) return;
    const folder = primaryWorkspaceFolder();
    const spec = await runNewSweepWizard({ workspaceState: lab.context.workspaceState, defaults: readSettings().defaults, workspaceFolders: folder ? [folder] : [] });
    if (!spec) return;
    const id = await lab.sweepRunner.start(spec);
    if (!lab.treeView.visible) void vscode.commands.executeCommand(`${EXPERIMENTS_VIEW_ID}.focus`);
    const planned = plannedTrials({ spec });
    const open = 'Open Sweep';
    void vscode.window.showInformationMessage(
      `Sweep "${spec.name}" started: ${planned !== undefined ? `${planned} trials` : `trials for ${spec.budgetMinutes} min`}, ${readSettings().concurrentRuns} at a time.`, open,
    ).then((picked) => { if (picked === open) lab.sweepPanels.open(id); });
  },
};

export const openSweepCommand: Command = {
  id: 'classifierLab.openSweep',
  async run(lab, arg) {
    const sweep = await resolveSweep(lab, arg, { placeHolder: 'Sweep to open', none: 'There are no sweeps yet: start one with New Sweep.' });
    if (sweep) lab.sweepPanels.open(sweep.id);
  },
};

export const stopSweepCommand: Command = {
  id: 'classifierLab.stopSweep',
  async run(lab, arg) {
    const sweep = await resolveSweep(lab, arg, { filter: (s) => s.status === 'running', placeHolder: 'Sweep to stop', none: 'No sweep is running.' });
    if (!sweep) return;
    if (lab.sweepRunner.isRunning(sweep.id)) {
      lab.log.info(`Stopping sweep "${sweep.name}": no new trial starts; running trials stop after their current batch.`);
      await lab.sweepRunner.stop(sweep.id);
      return;
    }
    const owner = sweep.process;
    if (sweep.status !== 'running' || !owner) {
      void vscode.window.showInformationMessage(`Sweep "${sweep.name}" is not running (${sweep.status}).`);
      return;
    }
    if (owner.hostname !== hostname()) {
      void vscode.window.showInformationMessage(`Sweep "${sweep.name}" runs on ${owner.hostname}; stop it there.`);
      return;
    }
    const answer = await vscode.window.showWarningMessage(
      `Sweep "${sweep.name}" is run by another process (pid ${owner.pid}), e.g. the command line or another window. Ask it to stop?`,
      { modal: true, detail: 'Its running trials finish their current batch and end cancelled; Resume Sweep continues it later.' }, 'Stop Sweep',
    );
    if (answer !== 'Stop Sweep') return;
    process.kill(owner.pid, 'SIGTERM');
    lab.log.info(`Sent SIGTERM to process ${owner.pid} running sweep "${sweep.name}".`);
    lab.sweeps.scheduleRefresh();
  },
};

export const resumeSweepCommand: Command = {
  id: 'classifierLab.resumeSweep',
  async run(lab, arg) {
    if (!requireTrust()) return;
    const sweep = await resolveSweep(lab, arg, {
      filter: (s) => canResume(lab, s), placeHolder: 'Sweep to resume',
      none: 'No sweep can be resumed: only interrupted, stopped or failed sweeps can.',
    });
    if (!sweep) return;
    await lab.sweepRunner.resume(sweep.id);
    if (!lab.treeView.visible) void vscode.commands.executeCommand(`${EXPERIMENTS_VIEW_ID}.focus`);
  },
};

export const deleteSweepCommand: Command = {
  id: 'classifierLab.deleteSweep',
  async run(lab, arg) {
    const sweep = await resolveSweep(lab, arg, { filter: (s) => s.status !== 'running', placeHolder: 'Sweep to delete', none: 'There are no sweeps to delete.' });
    if (!sweep) return;
    if (sweep.status === 'running' || lab.sweepRunner.isRunning(sweep.id)) {
      void vscode.window.showWarningMessage(`Stop sweep "${sweep.name}" before deleting it.`);
      return;
    }
    const runIds = sweep.trials.flatMap((trial) => (trial.runId !== undefined && lab.folder.record(trial.runId) ? [trial.runId] : []));
    const training = runIds.filter((id) => lab.folder.record(id)?.status === 'running' || lab.training.find(id) !== undefined);
    if (training.length > 0) {
      void vscode.window.showWarningMessage(`Stop the trial run${training.length === 1 ? '' : 's'} ${training.map((id) => `"${lab.folder.record(id)?.name ?? id}"`).join(', ')} before deleting sweep "${sweep.name}".`);
      return;
    }
    const withRuns = `Delete Sweep and ${runIds.length} Run${runIds.length === 1 ? '' : 's'}`;
    const sweepOnly = 'Delete Sweep, Keep Runs';
    const answer = await vscode.window.showWarningMessage(`Delete sweep "${sweep.name}"?`, {
      modal: true,
      detail: `Its folder (spec, trial states, importance) will be deleted from disk${runIds.length > 0 ? `, and with "${withRuns}" its trials' ${runIds.length} run folders with their metrics, models and checkpoints` : ''}. This cannot be undone.`,
    }, ...(runIds.length > 0 ? [withRuns, sweepOnly] : ['Delete Sweep']));
    if (answer === undefined) return;
    const store = lab.sweeps.requireStore();
    await store.delete(sweep.id);
    lab.log.info(`Deleted sweep ${sweep.id} ("${sweep.name}").`);
    if (answer === withRuns) {
      const runs = lab.folder.requireStore();
      for (const id of runIds) {
        await runs.delete(id);
        lab.log.info(`Deleted run ${id} (a trial of "${sweep.name}").`);
      }
    }
    await Promise.all([lab.sweeps.refresh(), lab.folder.refresh()]);
  },
};

export const rerunBestTrialCommand: Command = {
  id: 'classifierLab.rerunBestTrial',
  async run(lab, arg, epochsArg) {
    if (!requireTrust()) return;
    const sweep = await resolveSweep(lab, arg, { filter: (s) => s.best !== undefined, placeHolder: 'Sweep whose best trial to train again', none: 'No sweep has a best trial yet.' });
    if (!sweep) return;
    const best = sweep.best;
    const trial = best && sweep.trials.find((t) => t.trial === best.trial);
    if (!best || !trial) {
      void vscode.window.showInformationMessage(`Sweep "${sweep.name}" has no completed trial yet.`);
      return;
    }
    let epochs = typeof epochsArg === 'number' && Number.isInteger(epochsArg) && epochsArg >= 1 ? epochsArg : undefined;
    if (epochs === undefined) {
      const text = await vscode.window.showInputBox({
        title: `Rerun the best trial of "${sweep.name}" (trial ${best.trial})`, value: String(Math.max(trial.epochs * 3, trial.epochs + 1)),
        prompt: `Epochs to train its settings for (the trial trained ${trial.epochs})`,
        validateInput: (value) => { const parsed = parseWholeNumber(value, 'Epochs', 1, 10_000); return parsed.ok ? undefined : parsed.message; },
      });
      if (text === undefined) return;
      epochs = Number(text.trim());
    }
    const spec = trialRunSpec(sweep, { params: trial.params, epochs });
    startTraining(lab, { spec, name: `${sweep.name} best (${epochs} epochs)` });
    lab.log.info(`Training the best trial of "${sweep.name}" (#${best.trial}, ${JSON.stringify(best.params)}) for ${epochs} epochs.`);
  },
};
