// Messages between an augmentation preview tab and its webview: one union per direction. The webview
// says `ready`, the panel answers with a snapshot; each change of the strengths, a re-roll or other
// images brings a new preview, computed by training's own augmentation in the dataset process.
import type { AugmentSpec, EncodedPreview, RunSpec } from './inspect';
import type { ReadyMessage } from './viewCommon';

export type { AugmentSpec, EncodedPixels, EncodedPreview, EncodedPreviewImage, ImageShape, RunSpec } from './inspect';

/** Opened from New Training Run (its answer goes back to the picker), or on its own on a dataset. */
export type PreviewMode = 'wizard' | 'standalone';

/** What a preview tab keeps across window reloads (its page's state). */
export interface AugmentPreviewState {
  spec: RunSpec;
}

export interface AugmentPreviewSnapshot {
  /** The dataset folder's name. */
  title: string;
  mode: PreviewMode;
  augment: AugmentSpec;
  /** `augment` as the command line's `--augment` list, e.g. `flip,rotate=15,crop=4`. */
  flag: string;
  /** The run's seed and the epoch shown: the preview is what that epoch feeds the model. */
  seed: number;
  epoch: number;
  /** Fraction held out for validation (never augmented, never shown). */
  valSplit: number;
  /** The latest preview (absent until the first one is made). */
  preview?: EncodedPreview;
  /** A preview is being made. */
  loading: boolean;
  failure?: string;
  restore: AugmentPreviewState;
}

/** Panel -> webview. */
export type ToAugmentPreviewView =
  | { type: 'snapshot'; snapshot: AugmentPreviewSnapshot }
  /** A new preview for the strengths, epoch and images it names. */
  | { type: 'preview'; preview: EncodedPreview; flag: string }
  | { type: 'loading' }
  | { type: 'failure'; message: string };

/** Webview -> panel. Untrusted, validated before use. */
export type FromAugmentPreviewView =
  | ReadyMessage
  /** The sliders moved: preview these strengths on the same images. */
  | { type: 'setAugment'; augment: AugmentSpec }
  /** The same images, augmented as the next epoch augments them. */
  | { type: 'reroll' }
  /** Other training images. */
  | { type: 'otherImages' }
  /** Copy the strengths as the command line's `--augment` list. */
  | { type: 'copyFlag' }
  /** Wizard: start the run with these strengths. Standalone: New Training Run with them. */
  | { type: 'startTraining' }
  /** Wizard: back to its augmentation step, keeping these strengths. */
  | { type: 'backToWizard' };
