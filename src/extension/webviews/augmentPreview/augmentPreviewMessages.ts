// Validates what an augmentation preview page sends (src/protocol/augmentPreviewView.ts), and a preview
// tab's saved state: both are untrusted input. Strengths must lie in the ranges a run spec accepts.
import { MAX_COLOR_STRENGTH, MAX_CROP_PADDING, MAX_ROTATE_DEGREES } from '../../../core/data/augment';
import { isBoolean, isRecord } from '../../../core/guards';
import type { RunSpec } from '../../../core/runSpec';
import { validateRunSpec } from '../../../core/runSpecDefaults';
import type { AugmentPreviewState, AugmentSpec, FromAugmentPreviewView } from '../../../protocol/augmentPreviewView';
import { messageParser } from '../viewMessages';

function inRange(value: unknown, max: number, integer = false): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max && (!integer || Number.isInteger(value));
}

/** Augmentation strengths, when every field is present and in range. */
export function parseAugmentSpec(raw: unknown): AugmentSpec | undefined {
  if (!isRecord(raw) || !isBoolean(raw.flip) || !inRange(raw.rotateDegrees, MAX_ROTATE_DEGREES) || !inRange(raw.cropPadding, MAX_CROP_PADDING, true)) return undefined;
  if (!inRange(raw.brightness, MAX_COLOR_STRENGTH) || !inRange(raw.contrast, MAX_COLOR_STRENGTH) || !inRange(raw.saturation, MAX_COLOR_STRENGTH)) return undefined;
  return {
    flip: raw.flip, rotateDegrees: raw.rotateDegrees, cropPadding: raw.cropPadding,
    brightness: raw.brightness, contrast: raw.contrast, saturation: raw.saturation,
  };
}

export const parseFromAugmentPreviewView = messageParser<FromAugmentPreviewView>({
  ready: () => ({ type: 'ready' }),
  reroll: () => ({ type: 'reroll' }),
  otherImages: () => ({ type: 'otherImages' }),
  copyFlag: () => ({ type: 'copyFlag' }),
  startTraining: () => ({ type: 'startTraining' }),
  backToWizard: () => ({ type: 'backToWizard' }),
  setAugment: (raw) => {
    const augment = parseAugmentSpec(raw.augment);
    return augment ? { type: 'setAugment', augment } : undefined;
  },
});

/** The run spec a restored tab previews, when its saved state holds a valid one. */
export function parseAugmentPreviewState(raw: unknown): AugmentPreviewState | undefined {
  if (!isRecord(raw) || !isRecord(raw.spec)) return undefined;
  const spec = raw.spec as unknown as RunSpec;
  if (!isRecord(spec.data) || !isRecord(spec.model) || !isRecord(spec.training) || !isRecord(spec.augment)) return undefined;
  try {
    validateRunSpec(spec);
  } catch {
    return undefined;
  }
  return { spec };
}
