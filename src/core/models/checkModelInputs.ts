// Checks shared by the model factories, so a bad image shape or class count fails before any layer is built.
import type { ImageShape } from '../runSpec';
import { RunSpecError } from '../runSpecDefaults';

export function checkModelInputs(inputShape: ImageShape, numClasses: number): void {
  if (inputShape.length !== 3 || !inputShape.every((size) => Number.isInteger(size) && size >= 1)) {
    throw new RunSpecError(`The image shape must be [height, width, channels] in whole pixels (got [${inputShape.join(', ')}]).`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 2) {
    throw new RunSpecError(`A classifier needs at least 2 classes (got ${numClasses}).`);
  }
}

export function checkDropout(dropout: number): void {
  if (!(Number.isFinite(dropout) && dropout >= 0 && dropout < 1)) {
    throw new RunSpecError(`Dropout must be in [0, 1) (got ${dropout}).`);
  }
}

export function checkPositiveInt(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1) throw new RunSpecError(`${what} must be a positive whole number (got ${value}).`);
}
