// Rename Run and Add Note/Tags: edits of a run's run.json that the run folder keeps.
import * as vscode from 'vscode';
import type { Command } from './command';
import { resolveRun } from './runArguments';

export const renameRunCommand: Command = {
  id: 'classifierLab.renameRun',
  async run(lab, arg) {
    const entry = await resolveRun(lab, arg, { placeHolder: 'Run to rename', none: 'There are no runs yet.' });
    if (!entry) return;
    const name = await vscode.window.showInputBox({
      title: `Rename "${entry.record.name}"`, value: entry.record.name, prompt: 'New name (the run folder keeps its id)',
      validateInput: (value) => (value.trim().length === 0 ? 'A run needs a name.' : value.trim().length > 200 ? 'At most 200 characters.' : undefined),
    });
    if (name === undefined) return;
    await lab.folder.requireStore().rename(entry.record.id, name);
    await lab.folder.refresh();
  },
};

export const editNotesCommand: Command = {
  id: 'classifierLab.editNotes',
  async run(lab, arg) {
    const entry = await resolveRun(lab, arg, { placeHolder: 'Run to annotate', none: 'There are no runs yet.' });
    if (!entry) return;
    const notes = await vscode.window.showInputBox({
      title: `Note for "${entry.record.name}"`, value: entry.record.notes ?? '', prompt: 'A note about this run (empty removes it)',
    });
    if (notes === undefined) return;
    const tags = await vscode.window.showInputBox({
      title: `Tags for "${entry.record.name}"`, value: (entry.record.tags ?? []).join(', '), prompt: 'Comma-separated tags, e.g. baseline, augmented',
    });
    if (tags === undefined) return;
    await lab.folder.requireStore().setNotes(entry.record.id, notes, tags.split(','));
    await lab.folder.refresh();
  },
};
