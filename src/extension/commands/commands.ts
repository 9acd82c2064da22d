// Every command the extension contributes, in the order of package.json.
import type { Command } from './command';
import { classifyImageCommand } from './classifyImage';
import { deleteRunCommand } from './deleteRun';
import { editNotesCommand, renameRunCommand } from './editRun';
import { exportModelCommand } from './exportModel';
import { installNativeBackendCommand } from './installNativeBackend';
import { clearDecodedCacheCommand } from './clearDecodedCache';
import { compareRunsCommand, openDashboardCommand } from './openDashboard';
import { revealRunCommand, showLogCommand } from './runFiles';
import { stopRunCommand } from './stopRun';
import { newRunCommand, rerunCommand, resumeRunCommand } from './trainRun';
import { groupByCommand, openSettingsCommand, refreshCommand } from './viewCommands';

export const COMMANDS: readonly Command[] = [
  newRunCommand, stopRunCommand, resumeRunCommand, rerunCommand, openDashboardCommand, compareRunsCommand,
  renameRunCommand, editNotesCommand, deleteRunCommand, exportModelCommand, revealRunCommand, showLogCommand,
  refreshCommand, groupByCommand, openSettingsCommand, classifyImageCommand, installNativeBackendCommand, clearDecodedCacheCommand,
];
