// Delete Run: removes the folders of finished runs from disk, after asking.
import * as vscode from 'vscode';
import type { Command } from './command';
import { givenRuns, isRecorded, pickRun, recorded } from './runArguments';

export const deleteRunCommand: Command = {
  id: 'classifierLab.deleteRun',
  async run(lab, arg, selection) {
    let entries = givenRuns(lab, arg, selection).filter(isRecorded);
    if (entries.length === 0) {
      const picked = await pickRun(lab, { filter: recorded((e) => e.record.status !== 'running'), placeHolder: 'Run to delete', none: 'There are no runs to delete.' });
      entries = picked ? [picked] : [];
    }
    if (entries.length === 0) return;
    const busy = entries.filter((e) => e.record.status === 'running' || (e.training !== undefined && e.training.phase !== 'queued'));
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
    const store = lab.folder.requireStore();
    for (const entry of entries) {
      await store.delete(entry.record.id);
      lab.log.info(`Deleted run ${entry.record.id} ("${entry.record.name}").`);
    }
    await lab.folder.refresh();
  },
};
