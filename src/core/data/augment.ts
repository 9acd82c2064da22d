// On-the-fly training augmentation of a batch of normalised float pixels: flips, rotations, padded crops, colour jitter.
import { AUGMENT_KINDS, type AugmentKind, type AugmentSpec } from '../runSpec';

/** Strengths used when the user names an augmentation without tuning it (`--augment rotate,crop`). */
const ROTATE_DEGREES = 15;
const CROP_PADDING = 4;
const COLOR_STRENGTH = 0.2;

/** Largest strengths a spec may hold (the run spec's validation accepts the same ranges). */
export const MAX_ROTATE_DEGREES = 180;
export const MAX_CROP_PADDING = 64;
export const MAX_COLOR_STRENGTH = 1;

/** ITU-R BT.601 luma weights, the usual definition of "grey" for saturation and contrast. */
const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

/** A spec with every augmentation off. */
export function noAugmentation(): AugmentSpec {
  return { flip: false, rotateDegrees: 0, cropPadding: 0, brightness: 0, contrast: 0, saturation: 0 };
}

/** True when the spec changes at least some images (so the trainer can skip the copy when it does not). */
export function isAugmenting(spec: AugmentSpec): boolean {
  return spec.flip || spec.rotateDegrees > 0 || spec.cropPadding > 0 ||
    spec.brightness > 0 || spec.contrast > 0 || spec.saturation > 0;
}

/** The names `parseAugmentList` takes besides AUGMENT_KINDS: one colour-jitter strength each. */
const COLOR_PARTS = ['brightness', 'contrast', 'saturation'] as const;

const VALID_AUGMENTATIONS = `${AUGMENT_KINDS.join(', ')} (or none). A strength may follow a name: ` +
  `rotate=DEGREES (0-${MAX_ROTATE_DEGREES}), crop=PIXELS (0-${MAX_CROP_PADDING}), ` +
  `color=STRENGTH or brightness=, contrast=, saturation= (0-${MAX_COLOR_STRENGTH})`;

/** The number in `text`, or throws naming the augmentation and its range. */
function strength(name: string, text: string, max: number, unit: string, integer: boolean): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(
      `'${name}=${text}': the ${name} strength must be ${integer ? 'a whole number' : 'a number'} of ${unit} from 0 to ${max}.`,
    );
  }
  return value;
}

/**
 * Parses the CLI's comma-separated list into a spec. A bare name takes its default strength
 * (`flip,rotate,crop,color`: rotation up to 15 degrees, 4-pixel crop padding, colour jitter 0.2);
 * `name=value` sets it (`rotate=10,crop=2,color=0.3`, or `brightness=0.1,saturation=0.4` one at a
 * time; 0 turns it off). Later entries override earlier ones. An empty list or `none` turns
 * augmentation off. Unknown names and out-of-range strengths throw, saying what is valid.
 */
export function parseAugmentList(list: string): AugmentSpec {
  const spec = noAugmentation();
  const entries = list.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
  if (entries.length === 1 && entries[0].toLowerCase() === 'none') return spec;
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    const name = (equals < 0 ? entry : entry.slice(0, equals)).trim().toLowerCase();
    const value = equals < 0 ? undefined : entry.slice(equals + 1).trim();
    const known = (AUGMENT_KINDS as readonly string[]).includes(name) || (COLOR_PARTS as readonly string[]).includes(name);
    if (!known) {
      throw new Error(`Unknown augmentation '${name}'. Valid augmentations: ${VALID_AUGMENTATIONS}.`);
    }
    const kind = name as AugmentKind | (typeof COLOR_PARTS)[number];
    switch (kind) {
      case 'flip':
        if (value !== undefined) throw new Error(`'${entry}': flip takes no strength (each image is mirrored with probability 0.5).`);
        spec.flip = true;
        break;
      case 'rotate':
        spec.rotateDegrees = value === undefined ? ROTATE_DEGREES : strength('rotate', value, MAX_ROTATE_DEGREES, 'degrees', false);
        break;
      case 'crop':
        spec.cropPadding = value === undefined ? CROP_PADDING : strength('crop', value, MAX_CROP_PADDING, 'pixels', true);
        break;
      case 'color': {
        const s = value === undefined ? COLOR_STRENGTH : strength('color', value, MAX_COLOR_STRENGTH, 'jitter', false);
        spec.brightness = s;
        spec.contrast = s;
        spec.saturation = s;
        break;
      }
      case 'brightness':
      case 'contrast':
      case 'saturation':
        if (value === undefined) throw new Error(`'${kind}' needs a strength, e.g. ${kind}=${COLOR_STRENGTH}.`);
        spec[kind] = strength(kind, value, MAX_COLOR_STRENGTH, 'jitter', false);
        break;
    }
  }
  return spec;
}

/** The `--augment` list that parses back to `spec` (`none` when nothing is on). */
export function formatAugmentList(spec: AugmentSpec): string {
  const parts: string[] = [];
  if (spec.flip) parts.push('flip');
  if (spec.rotateDegrees > 0) parts.push(`rotate=${spec.rotateDegrees}`);
  if (spec.cropPadding > 0) parts.push(`crop=${spec.cropPadding}`);
  if (spec.brightness > 0 && spec.brightness === spec.contrast && spec.brightness === spec.saturation) {
    parts.push(`color=${spec.brightness}`);
  } else {
    for (const part of COLOR_PARTS) if (spec[part] > 0) parts.push(`${part}=${spec[part]}`);
  }
  return parts.length === 0 ? 'none' : parts.join(',');
}

/**
 * How many numbers `augmentBatch` draws from its generator per image for a spec and channel count
 * (the same for every image): a stream shared by consecutive batches is at draw k * this count
 * when image k of the epoch starts.
 */
export function augmentDrawsPerImage(spec: AugmentSpec, channels: number): number {
  let draws = 0;
  if (spec.cropPadding > 0) draws += 2;
  if (spec.rotateDegrees > 0) draws += 1;
  if (spec.flip) draws += 1;
  if (spec.brightness > 0) draws += 1;
  if (spec.contrast > 0) draws += 1;
  if (spec.saturation > 0 && channels === 3) draws += 1;
  return draws;
}

/**
 * The float batch training feeds the model for packed [n, h, w, c] uint8 examples: pixels / 255,
 * then `augmentBatch` with `random` when the spec augments. Previews call it to show exactly what
 * training sees.
 */
export function trainingBatchFloats(
  pixels: Uint8Array,
  shape: readonly [number, number, number, number],
  spec: AugmentSpec,
  random: () => number,
): Float32Array {
  const floats = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) floats[i] = pixels[i] / 255;
  return isAugmenting(spec) ? augmentBatch(floats, shape, spec, random) : floats;
}

/**
 * Returns an augmented copy of `batch`: packed [n, h, w, c] float pixels in [0, 1] (HWC, row-major).
 * Per image, in this order: padded random crop, rotation, horizontal flip, colour jitter.
 * `random` must return uniform numbers in [0, 1); each image draws the same count of them for a
 * given spec and shape, so a seeded generator makes the output reproducible.
 * Pixels moved in from outside the image (crop padding, rotated corners) are 0.
 */
export function augmentBatch(
  batch: Float32Array,
  shape: readonly [number, number, number, number],
  spec: AugmentSpec,
  random: () => number,
): Float32Array {
  const [n, h, w, c] = shape;
  const imageSize = h * w * c;
  if (batch.length !== n * imageSize) {
    throw new Error(`augmentBatch: ${batch.length} pixels do not fill a batch of shape [${shape.join(', ')}].`);
  }
  const out = new Float32Array(batch);
  let image = new Float32Array(imageSize);
  let scratch = new Float32Array(imageSize);
  for (let i = 0; i < n; i++) {
    const offset = i * imageSize;
    image.set(batch.subarray(offset, offset + imageSize));
    if (spec.cropPadding > 0) {
      const pad = Math.floor(spec.cropPadding);
      // Top-left corner of the h x w window in the padded image, in [0, 2 * pad].
      const left = Math.floor(random() * (2 * pad + 1));
      const top = Math.floor(random() * (2 * pad + 1));
      const dx = pad - left;
      const dy = pad - top;
      if (dx !== 0 || dy !== 0) {
        shift(image, scratch, h, w, c, dx, dy);
        [image, scratch] = [scratch, image];
      }
    }
    if (spec.rotateDegrees > 0) {
      const degrees = (random() * 2 - 1) * spec.rotateDegrees;
      if (degrees !== 0) {
        rotate(image, scratch, h, w, c, (degrees * Math.PI) / 180);
        [image, scratch] = [scratch, image];
      }
    }
    if (spec.flip && random() < 0.5) {
      flipHorizontally(image, scratch, h, w, c);
      [image, scratch] = [scratch, image];
    }
    if (spec.brightness > 0) scaleBrightness(image, jitterFactor(spec.brightness, random));
    if (spec.contrast > 0) scaleContrast(image, c, jitterFactor(spec.contrast, random));
    if (spec.saturation > 0 && c === 3) scaleSaturation(image, jitterFactor(spec.saturation, random));
    out.set(image, offset);
  }
  return out;
}

/** A factor uniform in [1 - s, 1 + s], never negative. */
function jitterFactor(strength: number, random: () => number): number {
  return Math.max(0, 1 + (random() * 2 - 1) * strength);
}

function clamp01(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/**
 * Equivalent to zero-padding by |shift| and cropping back to h x w: the content moves by (dx, dy) pixels
 * (positive = right/down), and the uncovered border is 0.
 */
function shift(src: Float32Array, dst: Float32Array, h: number, w: number, c: number, dx: number, dy: number): void {
  dst.fill(0);
  const x0 = Math.max(0, dx);
  const x1 = Math.min(w, w + dx);
  if (x1 <= x0) return;
  const rowLength = (x1 - x0) * c;
  for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
    const from = ((y - dy) * w + (x0 - dx)) * c;
    dst.set(src.subarray(from, from + rowLength), (y * w + x0) * c);
  }
}

/** Rotates by `radians` (counter-clockwise as seen on screen) about the image centre, bilinear, zero outside. */
function rotate(src: Float32Array, dst: Float32Array, h: number, w: number, c: number, radians: number): void {
  const cos = Math.cos(radians);
  const sin = Math.sin(radians);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    const ry = y - cy;
    for (let x = 0; x < w; x++) {
      const rx = x - cx;
      // Inverse mapping: where in the source this output pixel comes from (y grows downwards).
      const sx = cos * rx - sin * ry + cx;
      const sy = sin * rx + cos * ry + cy;
      const base = (y * w + x) * c;
      const ix = Math.floor(sx);
      const iy = Math.floor(sy);
      const fx = sx - ix;
      const fy = sy - iy;
      for (let k = 0; k < c; k++) {
        dst[base + k] =
          (1 - fy) * ((1 - fx) * pixelAt(src, h, w, c, ix, iy, k) + fx * pixelAt(src, h, w, c, ix + 1, iy, k)) +
          fy * ((1 - fx) * pixelAt(src, h, w, c, ix, iy + 1, k) + fx * pixelAt(src, h, w, c, ix + 1, iy + 1, k));
      }
    }
  }
}

function pixelAt(src: Float32Array, h: number, w: number, c: number, x: number, y: number, k: number): number {
  return x < 0 || y < 0 || x >= w || y >= h ? 0 : src[(y * w + x) * c + k];
}

function flipHorizontally(src: Float32Array, dst: Float32Array, h: number, w: number, c: number): void {
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    for (let x = 0; x < w; x++) {
      const to = row + x * c;
      const from = row + (w - 1 - x) * c;
      for (let k = 0; k < c; k++) dst[to + k] = src[from + k];
    }
  }
}

function scaleBrightness(image: Float32Array, factor: number): void {
  for (let i = 0; i < image.length; i++) image[i] = clamp01(image[i] * factor);
}

/** Blends each pixel with the image's mean grey level: factor 0 gives flat grey, 1 the original. */
function scaleContrast(image: Float32Array, c: number, factor: number): void {
  let sum = 0;
  if (c === 3) {
    for (let i = 0; i < image.length; i += 3) sum += LUMA_R * image[i] + LUMA_G * image[i + 1] + LUMA_B * image[i + 2];
  } else {
    for (let i = 0; i < image.length; i++) sum += image[i];
  }
  const mean = sum / (image.length / (c === 3 ? 3 : 1));
  for (let i = 0; i < image.length; i++) image[i] = clamp01(mean + (image[i] - mean) * factor);
}

/** Blends each RGB pixel with its own grey level: factor 0 gives greyscale, 1 the original. */
function scaleSaturation(image: Float32Array, factor: number): void {
  for (let i = 0; i < image.length; i += 3) {
    const grey = LUMA_R * image[i] + LUMA_G * image[i + 1] + LUMA_B * image[i + 2];
    image[i] = clamp01(grey + (image[i] - grey) * factor);
    image[i + 1] = clamp01(grey + (image[i + 1] - grey) * factor);
    image[i + 2] = clamp01(grey + (image[i + 2] - grey) * factor);
  }
}
