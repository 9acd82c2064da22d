// Inspect Dataset (a folder from the Explorer, or the dataset picker from the palette) and Inspect
// Dataset with Run (a run's context menu, or a picked run: its dataset, with its model ranking likely
// mislabelled images). Both open the dataset tab.
import { inspectionRun } from '../webviews/dataset/datasetPanels';
import type { Command } from './command';
import { datasetArgument } from './datasetArguments';
import { resolveRun } from './runArguments';

export const inspectDatasetCommand: Command = {
  id: 'classifierLab.inspectDataset',
  async run(lab, uri) {
    const root = await datasetArgument(lab, uri, 'Inspect Dataset', 'Inspect This Folder');
    if (root !== undefined) lab.datasets.open(root);
  },
};

export const inspectDatasetWithRunCommand: Command = {
  id: 'classifierLab.inspectDatasetWithRun',
  async run(lab, arg) {
    const entry = await resolveRun(lab, arg, {
      filter: (e) => e.record.summary.bestEpoch !== undefined, placeHolder: 'Run whose dataset to inspect, with its model ranking likely mislabelled images',
      none: 'No run has a saved model yet: train one first.',
    });
    if (!entry) return;
    const { record } = entry;
    const runDir = lab.folder.requireStore().runDir(record.id);
    lab.datasets.open(record.spec.data.path, inspectionRun(record, runDir, lab.folder.dir));
  },
};
