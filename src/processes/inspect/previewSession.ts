// Augmentation previews in the dataset process: the run spec's training examples are loaded and split
// once (as training loads and splits them) and kept while the spec's data stays the same, so moving a
// slider or re-rolling only augments a handful of images with the training code's own augmentation.
import type { Dataset, ExampleSource } from '../../core/data/dataset';
import type { RunSpec } from '../../core/runSpec';
import { validateRunSpec } from '../../core/runSpecDefaults';
import { loadTrainingExamples, previewAugmentation } from '../../core/train/augmentationPreview';
import type { EncodedPreview, PreviewRequest } from '../../protocol/inspect';
import { encodePreview } from './inspectEncoding';

type Loaded = { dataset: Dataset; train: ExampleSource };

/** What decides which examples training sees, in which order: the data spec and the seed. */
function examplesKey(spec: RunSpec): string {
  return JSON.stringify({ data: spec.data, seed: spec.training.seed });
}

export class PreviewSession {
  private cached?: { key: string; loaded: Promise<Loaded> };

  constructor(private readonly onWarning: (message: string) => void) {}

  async preview(request: PreviewRequest, signal: AbortSignal): Promise<EncodedPreview> {
    const { spec } = request;
    validateRunSpec(spec);
    const key = examplesKey(spec);
    if (this.cached?.key !== key) {
      const loaded = loadTrainingExamples(spec, { onWarning: this.onWarning });
      const entry = { key, loaded };
      this.cached = entry;
      loaded.catch(() => {
        if (this.cached === entry) this.cached = undefined;
      });
    }
    const { dataset, train } = await this.cached.loaded;
    signal.throwIfAborted();
    if (train.count === 0) throw new Error('No training examples are left after the validation split: lower the validation split or add images.');
    const examples = request.examples?.filter((example) => example < train.count);
    const preview = await previewAugmentation({
      train, imageShape: dataset.imageShape, augment: spec.augment, seed: spec.training.seed, epoch: request.epoch,
      ...(examples && examples.length > 0 ? { examples } : { count: request.count }),
    });
    return encodePreview(preview, dataset.classes, train.count);
  }
}
