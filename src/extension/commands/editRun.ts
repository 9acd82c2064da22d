// Rename Run and Add Note/Tags: edits of a run's run.json, asked for in input boxes.
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/runs/runRecord';
import type { RunStore } from '../../core/runs/runStore';
import type { Command } from './command';
import { resolveRun } from './runArguments';

/** A command that asks for an edit of the run it acts on (undefined: the user escaped), writes it and re-reads the folder. */
function editCommand(id: string, placeHolder: string, ask: (record: RunRecord) => Promise<((store: RunStore) => Promise<unknown>) | undefined>): Command {
  return {
    id,
    async run(lab, arg) {
      const entry = await resolveRun(lab, arg, { placeHolder, none: 'There are no runs yet.' });
      const edit = entry && await ask(entry.record);
      if (!edit) return;
      await edit(lab.folder.requireStore());
      await lab.folder.refresh();
    },
  };
}

export const renameRunCommand = editCommand('classifierLab.renameRun', 'Run to rename', async (record) => {
  const name = await vscode.window.showInputBox({
    title: `Rename "${record.name}"`, value: record.name, prompt: 'New name (the run folder keeps its id)',
    validateInput: (value) => (value.trim().length === 0 ? 'A run needs a name.' : value.trim().length > 200 ? 'At most 200 characters.' : undefined),
  });
  return name === undefined ? undefined : (store) => store.rename(record.id, name);
});

export const editNotesCommand = editCommand('classifierLab.editNotes', 'Run to annotate', async (record) => {
  const notes = await vscode.window.showInputBox({ title: `Note for "${record.name}"`, value: record.notes ?? '', prompt: 'A note about this run (empty removes it)' });
  if (notes === undefined) return undefined;
  const tags = await vscode.window.showInputBox({ title: `Tags for "${record.name}"`, value: (record.tags ?? []).join(', '), prompt: 'Comma-separated tags, e.g. baseline, augmented' });
  return tags === undefined ? undefined : (store) => store.setNotes(record.id, notes, tags.split(','));
});
