// The preview's sliders, computed without the DOM: one per augmentation strength with its range and
// step (the ranges a run spec accepts; crop padding up to the image side), the value as read, and the
// strengths after a slider moved. Tested on its own.
import type { AugmentSpec, ImageShape } from '../../src/protocol/augmentPreviewView';

export type StrengthKey = 'rotateDegrees' | 'cropPadding' | 'brightness' | 'contrast' | 'saturation';

export interface StrengthControl {
  key: StrengthKey;
  label: string;
  min: number;
  max: number;
  step: number;
  /** Why the slider is disabled (saturation of grey images), else undefined. */
  disabled?: string;
}

/** Largest values a run spec accepts (src/core/data/augment.ts). */
const MAX_ROTATE_DEGREES = 180;
const MAX_CROP_PADDING = 64;

export function strengthControls(shape: ImageShape | undefined): StrengthControl[] {
  const side = shape ? Math.max(shape[0], shape[1]) : MAX_CROP_PADDING;
  const grey = shape?.[2] === 1;
  return [
    { key: 'rotateDegrees', label: 'Rotation', min: 0, max: MAX_ROTATE_DEGREES, step: 1 },
    { key: 'cropPadding', label: 'Crop padding', min: 0, max: Math.min(MAX_CROP_PADDING, Math.max(4, side)), step: 1 },
    { key: 'brightness', label: 'Brightness', min: 0, max: 1, step: 0.05 },
    { key: 'contrast', label: 'Contrast', min: 0, max: 1, step: 0.05 },
    { key: 'saturation', label: 'Saturation', min: 0, max: 1, step: 0.05, ...(grey ? { disabled: 'grey images have no saturation' } : {}) },
  ];
}

/** A strength as the user reads it: `off`, `±15°`, `4 px`, `±20%`. */
export function strengthText(key: StrengthKey, value: number): string {
  if (value === 0) return 'off';
  switch (key) {
    case 'rotateDegrees': return `±${Number(value.toFixed(1))}°`;
    case 'cropPadding': return `${value} px`;
    default: return `±${Math.round(value * 100)}%`;
  }
}

/** The strengths with one slider's value, kept inside its range (crop padding whole pixels, colour to 0.01). */
export function withStrength(augment: AugmentSpec, control: StrengthControl, raw: number): AugmentSpec {
  const value = Math.min(control.max, Math.max(control.min, Number.isFinite(raw) ? raw : 0));
  const rounded = control.key === 'cropPadding' ? Math.round(value) : control.key === 'rotateDegrees' ? Math.round(value * 10) / 10 : Math.round(value * 100) / 100;
  return { ...augment, [control.key]: rounded };
}
