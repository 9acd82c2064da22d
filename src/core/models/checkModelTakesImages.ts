// Checks that a model loaded from a run folder takes the images its run.json says, within sane sizes,
// before any image is resized for it (a crafted input shape of 100000x100000 would cost gigabytes per image).
import type * as tfl from '@tensorflow/tfjs-layers';
import { MAX_IMAGE_SIZE } from '../data/imageSize';
import type { ImageShape } from '../runSpec';

export function checkModelTakesImages(model: tfl.LayersModel, expected: ImageShape, what: string): void {
  const shape = model.inputs[0]?.shape ?? [];
  const [, h, w, c] = shape;
  if (shape.length !== 4 || h === null || w === null || c === null) {
    throw new Error(`The model of ${what} does not take [height, width, channels] images.`);
  }
  if (h > MAX_IMAGE_SIZE || w > MAX_IMAGE_SIZE || (c !== 1 && c !== 3)) {
    throw new Error(`The model of ${what} takes ${h}x${w}x${c} images: at most ${MAX_IMAGE_SIZE}x${MAX_IMAGE_SIZE} with 1 or 3 channels are accepted.`);
  }
  if (h !== expected[0] || w !== expected[1] || c !== expected[2]) {
    throw new Error(`The model of ${what} takes ${h}x${w}x${c} images but its run.json says ${expected.join('x')}: the run folder is damaged.`);
  }
}
