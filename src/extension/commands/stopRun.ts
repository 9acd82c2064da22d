// Stop Run: a run trained or queued in this window stops after its batch (or leaves the queue, or its
// Slurm job is cancelled); a run another process on this machine trains (the command line, another
// window) is asked to stop with SIGTERM; a Slurm job submitted elsewhere (or before a reload) is cancelled.
import { hostname } from 'node:os';
import * as vscode from 'vscode';
import { isSlurmRunUnsettled } from '../../core/cluster/settleSlurmRun';
import type { RunRecord } from '../../core/runs/runRecord';
import type { Lab } from '../lab';
import { entryStatus } from '../views/groupRuns';
import type { RunEntry } from '../views/runEntries';
import type { Command } from './command';
import { givenRuns, pickRun } from './runArguments';

export const stopRunCommand: Command = {
  id: 'classifierLab.stopRun',
  async run(lab, arg, selection) {
    let entries = givenRuns(lab, arg, selection);
    if (entries.length === 0) {
      const picked = await pickRun(lab, {
        filter: (e): e is RunEntry => ['running', 'queued'].includes(entryStatus(e)), placeHolder: 'Run to stop', none: 'No run is training or queued.',
      });
      entries = picked ? [picked] : [];
    }
    for (const entry of entries) {
      if (entry.training) await lab.training.stop({ ticket: entry.training.ticket });
      else if (entry.kind === 'run' && isSlurmRunUnsettled(entry.record)) await cancelJob(lab, entry.record);
      else if (entry.kind === 'run' && entry.record.status === 'running') await stopElsewhere(lab, entry.record);
    }
  },
};

async function stopElsewhere(lab: Lab, record: RunRecord): Promise<void> {
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
  lab.log.info(`Sent SIGTERM to process ${owner.pid} training "${record.name}".`);
  lab.folder.scheduleRefresh();
}

async function cancelJob(lab: Lab, record: RunRecord & { slurm: { jobId: string } }): Promise<void> {
  const jobId = record.slurm.jobId;
  const answer = await vscode.window.showWarningMessage(
    `Cancel Slurm job ${jobId}, which trains "${record.name}"?`,
    { modal: true, detail: 'scancel ends the job; the run ends as cancelled and can be resumed from its last checkpoint.' }, 'Cancel Job',
  );
  if (answer !== 'Cancel Job') return;
  await lab.slurm.cancel(record);
  lab.log.info(`Cancelled Slurm job ${jobId} (scancel), which trains "${record.name}".`);
}
