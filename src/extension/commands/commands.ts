// Every command the extension contributes, in the order of package.json.
import type { Command } from './command';
import { applyDoctorFixCommand } from './applyDoctorFix';
import { classifyImageCommand } from './classifyImage';
import { deleteRunCommand } from './deleteRun';
import { editNotesCommand, renameRunCommand } from './editRun';
import { exportModelCommand } from './exportModel';
import { findLearningRateCommand } from './findLearningRate';
import { fineTuneRunCommand } from './fineTuneRun';
import { inspectDatasetCommand, inspectDatasetWithRunCommand } from './inspectDataset';
import { installNativeBackendCommand } from './installNativeBackend';
import { clearDecodedCacheCommand } from './clearDecodedCache';
import { previewAugmentationCommand } from './previewAugmentation';
import { compareRunsCommand, openDashboardCommand } from './openDashboard';
import { openRunsTableCommand } from './openRunsTable';
import { revealRunCommand, showLogCommand } from './runFiles';
import { saveRunAsPresetCommand } from './saveRunAsPreset';
import { stopRunCommand } from './stopRun';
import {
  deleteSweepCommand, newSweepCommand, openSweepCommand, rerunBestTrialCommand, resumeSweepCommand, stopSweepCommand,
} from './sweepCommands';
import { newRunCommand, rerunCommand, resumeRunCommand } from './trainRun';
import { groupByCommand, openSettingsCommand, refreshCommand } from './viewCommands';

export const COMMANDS: readonly Command[] = [
  newRunCommand, findLearningRateCommand, stopRunCommand, resumeRunCommand, rerunCommand, fineTuneRunCommand, saveRunAsPresetCommand,
  openDashboardCommand, compareRunsCommand, openRunsTableCommand,
  renameRunCommand, editNotesCommand, deleteRunCommand, exportModelCommand, revealRunCommand, showLogCommand,
  refreshCommand, groupByCommand, openSettingsCommand, classifyImageCommand,
  inspectDatasetCommand, inspectDatasetWithRunCommand, previewAugmentationCommand, installNativeBackendCommand, clearDecodedCacheCommand,
  applyDoctorFixCommand, newSweepCommand, openSweepCommand, stopSweepCommand, resumeSweepCommand, deleteSweepCommand, rerunBestTrialCommand,
];
