// New Training Run: the guided picker, then the run goes into this window's queue.
import { rememberChoices, runNewRunWizard } from '../newRun/newRunWizard';
import { primaryWorkspaceFolder, readSettings } from '../settings';
import { requireRunsFolder, requireTrust, type Command } from './command';
import { startTraining } from './startTraining';

export const newRunCommand: Command = {
  id: 'classifierLab.newRun',
  async run(lab) {
    if (!requireTrust() || requireRunsFolder(lab) === undefined) return;
    const folder = primaryWorkspaceFolder();
    const result = await runNewRunWizard({ workspaceState: lab.context.workspaceState, defaults: readSettings().defaults, workspaceFolders: folder ? [folder] : [] });
    if (!result) return;
    startTraining(lab, { spec: result.spec }, Date.now());
    await rememberChoices(lab.context.workspaceState, result.choices);
  },
};
