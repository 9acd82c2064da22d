// Preview Augmentation: a dataset's training images as training augments them, with sliders for the
// strengths (a folder from the Explorer, or the dataset picker from the palette). New Training Run has
// the same preview on its augmentation step.
import type { Command } from './command';
import { datasetArgument } from './datasetArguments';

export const previewAugmentationCommand: Command = {
  id: 'classifierLab.previewAugmentation',
  async run(lab, uri) {
    const root = await datasetArgument(lab, uri, 'Preview Augmentation', 'Preview This Folder');
    if (root !== undefined) lab.previews.open(root);
  },
};
