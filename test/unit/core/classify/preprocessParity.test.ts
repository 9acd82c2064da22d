// The same pixels in, the same tensor out: an image file classified on its own is brought to the
// model's input exactly as the folder dataset reader fed it to training, whatever its format, size,
// channel count or transparency.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImageClassifier } from '../../../../src/core/classify/imageClassifier';
import { readFolderDataset } from '../../../../src/core/data/folderReader';
import type { Dataset } from '../../../../src/core/data/dataset';
import type { ReaderOptions } from '../../../../src/core/data/readerOptions';
import { runTraining } from '../../../../src/core/runTraining';
import { defaultTrainingSpec } from '../../../../src/core/runSpecDefaults';
import { noAugmentation } from '../../../../src/core/data/augment';
import { encodeBaselineJpeg, encodeJpeg, encodePng } from '../../../fixtures/imageFixtures';
import { encodeBmp, encodeGif, encodeWebp } from '../../../fixtures/moreImageFixtures';
import { makeTempDir, removeTempDir } from '../../../fixtures/tempDir';
import { displayP3Jpeg, gradient, lossyWebp, plainJpeg, rotatedJpeg, twoBands } from '../../../fixtures/photoFixtures';

/** Smooth colourful RGBA content of any size; alpha from `alpha`. */
function rgbaPattern(width: number, height: number, alpha: (x: number, y: number) => number = () => 255): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      rgba[p] = Math.round(255 * x / Math.max(1, width - 1));
      rgba[p + 1] = Math.round(255 * y / Math.max(1, height - 1));
      rgba[p + 2] = (x * 7 + y * 13) % 256;
      rgba[p + 3] = alpha(x, y);
    }
  }
  return rgba;
}

function rgbOf(rgba: Uint8Array): Uint8Array {
  return Uint8Array.from({ length: (rgba.length / 4) * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]);
}

function greyPattern(width: number, height: number): Uint8Array {
  return Uint8Array.from({ length: width * height }, (_, p) => (p * 11 + Math.floor(p / width) * 5) % 256);
}

const greyPalette = Array.from({ length: 256 }, (_, i) => [i, i, i] as [number, number, number]);
const colourPalette: [number, number, number][] = [[250, 20, 20], [20, 250, 20], [20, 20, 250], [240, 240, 10]];

/** Colour files of every format, odd sizes, and transparency; `a/` and `b/` are the classes. */
const colourFiles: Record<string, () => Uint8Array> = {
  'a/photo.jpg': () => encodeJpeg(rgbOf(rgbaPattern(37, 23)), 37, 23),
  'a/tall.png': () => encodePng({ width: 20, height: 50, colorType: 2, bitDepth: 8, samples: rgbOf(rgbaPattern(20, 50)) }),
  'a/translucent.png': () => encodePng({ width: 33, height: 33, colorType: 6, bitDepth: 8, samples: rgbaPattern(33, 33, (x) => x * 7) }),
  'a/small.png': () => encodePng({ width: 5, height: 5, colorType: 2, bitDepth: 16, samples: Array.from(rgbOf(rgbaPattern(5, 5)), (v) => v * 257) }),
  'b/palette.gif': () => encodeGif({ width: 41, height: 29, palette: colourPalette, indices: Array.from({ length: 41 * 29 }, (_, p) => (p >> 3) % 4), transparent: 3 }),
  'b/bitmap.bmp': () => encodeBmp({ width: 45, height: 31, rgba: rgbaPattern(45, 31), layout: { kind: 'rgb24' } }),
  'b/alpha.bmp': () => encodeBmp({ width: 30, height: 18, rgba: rgbaPattern(30, 18, (x, y) => (x + y) * 5), layout: { kind: 'argb32' } }),
  'b/lossless.webp': () => encodeWebp(rgbaPattern(64, 48, (x) => (x < 10 ? 0 : 255)), 64, 48, true),
  'b/lossy.webp': () => encodeWebp(rgbaPattern(50, 70), 50, 70, false),
  'b/grey-in-colour-set.png': () => encodePng({ width: 31, height: 31, colorType: 0, bitDepth: 8, samples: greyPattern(31, 31) }),
};

/** Photos libvips decodes (large, turned by EXIF, with a colour profile), added to the colour dataset. */
const photoFiles: Record<string, () => Promise<Uint8Array>> = {
  'a/large.jpg': () => plainJpeg(gradient(640, 480)),
  'a/sideways.jpg': () => rotatedJpeg(twoBands(300, 400, [200, 40, 40], [40, 40, 200])),
  'b/profile.jpg': () => displayP3Jpeg(gradient(200, 150)),
  'b/large.webp': () => lossyWebp(gradient(300, 500)),
};

/** Grey files of every format; the dataset reads as one channel. */
const greyFiles: Record<string, () => Uint8Array> = {
  'a/grey.png': () => encodePng({ width: 28, height: 28, colorType: 0, bitDepth: 8, samples: greyPattern(28, 28) }),
  'a/grey-alpha.png': () => encodePng({ width: 19, height: 40, colorType: 4, bitDepth: 8, samples: Array.from(greyPattern(19, 40)).flatMap((v, p) => [v, p % 256]) }),
  'a/grey.jpg': () => encodeBaselineJpeg(greyPattern(24, 24), 24, 24, 1),
  'b/grey.gif': () => encodeGif({ width: 35, height: 21, palette: greyPalette, indices: Array.from(greyPattern(35, 21)) }),
  'b/grey.bmp': () => encodeBmp({ width: 27, height: 13, indices: greyPattern(27, 13), palette: greyPalette, layout: { kind: 'palette', bits: 8 } }),
  'b/grey-2.png': () => encodePng({ width: 3, height: 90, colorType: 0, bitDepth: 4, samples: Array.from(greyPattern(3, 90), (v) => v >> 4) }),
};

function readerOptions(overrides: Partial<ReaderOptions> = {}): ReaderOptions {
  return { memoryBudgetBytes: 1 << 30, decodeWorkers: 0, onProgress: () => undefined, onWarning: () => undefined, ...overrides };
}

async function trainedOn(data: string, runsDir: string, imageSize: number): Promise<ImageClassifier> {
  const outcome = await runTraining({
    spec: {
      data: { path: data, format: 'folder', imageSize, valSplit: 0, cifar100Labels: 'fine' },
      model: { kind: 'cnn', options: { filters: [4], denseUnits: 4, dropout: 0 } },
      training: { ...defaultTrainingSpec(), epochs: 1, batchSize: 8 },
      augment: noAugmentation(),
    },
    runsDir,
    backend: 'wasm',
  });
  assert.equal(outcome.status, 'completed', outcome.error);
  return ImageClassifier.fromRun(outcome.runDir);
}

async function assertParity(dataset: Dataset, classifier: ImageClassifier, expectedFiles: number): Promise<void> {
  const source = dataset.train;
  assert.equal(source.count, expectedFiles, 'every file was read');
  assert.deepEqual(classifier.inputShape, dataset.imageShape);
  const bytes = dataset.imageShape.reduce((a, b) => a * b, 1);
  const pixels = await source.readPixels(Array.from({ length: source.count }, (_, i) => i));
  for (let i = 0; i < source.count; i++) {
    const file = source.sourceOf(i);
    const alone = await classifier.preprocess(file);
    assert.deepEqual(alone, pixels.subarray(i * bytes, (i + 1) * bytes), `${file}: training and classification see the same pixels`);
  }
}

describe('preprocessing parity between training and classification', () => {
  let dir: string;
  before(() => { dir = makeTempDir(); });
  after(() => removeTempDir(dir));

  test('colour dataset: PNG, JPEG, GIF, BMP and WebP of odd sizes with transparency, and photos, in memory and streamed', async () => {
    const data = join(dir, 'colour');
    for (const [name, encode] of Object.entries(colourFiles)) {
      mkdirSync(join(data, name.split('/')[0]), { recursive: true });
      writeFileSync(join(data, name), encode());
    }
    for (const [name, encode] of Object.entries(photoFiles)) writeFileSync(join(data, name), await encode());
    const classifier = await trainedOn(data, join(dir, 'runs'), 24);
    try {
      assert.deepEqual(classifier.inputShape, [24, 24, 3]);
      const count = Object.keys(colourFiles).length + Object.keys(photoFiles).length;
      await assertParity(await readFolderDataset(data, readerOptions({ imageSize: 24 })), classifier, count);
      const streamed = await readFolderDataset(data, readerOptions({ imageSize: 24, memoryBudgetBytes: 1000 }));
      assert.equal(streamed.streamed, true);
      await assertParity(streamed, classifier, count);
    } finally {
      classifier.dispose();
    }
  });

  test('grey dataset: grey PNG (with alpha, 4-bit), one-component JPEG, grey-palette GIF and BMP give one channel', async () => {
    const data = join(dir, 'grey');
    for (const [name, encode] of Object.entries(greyFiles)) {
      mkdirSync(join(data, name.split('/')[0]), { recursive: true });
      writeFileSync(join(data, name), encode());
    }
    const classifier = await trainedOn(data, join(dir, 'grey-runs'), 20);
    try {
      assert.deepEqual(classifier.inputShape, [20, 20, 1]);
      await assertParity(await readFolderDataset(data, readerOptions({ imageSize: 20 })), classifier, Object.keys(greyFiles).length);
      // A colour picture given to a grey model is brought to one channel too.
      const colour = join(dir, 'colour-for-grey.webp');
      writeFileSync(colour, encodeWebp(rgbaPattern(40, 40), 40, 40, true));
      assert.equal((await classifier.preprocess(colour)).length, 20 * 20);
    } finally {
      classifier.dispose();
    }
  });

  test('unreadable files are refused with a message naming the file', async () => {
    const data = join(dir, 'colour');
    const classifier = await ImageClassifier.fromRun(join(dir, 'runs', readdirSync(join(dir, 'runs'))[0]));
    try {
      const text = join(dir, 'notes.png');
      writeFileSync(text, 'not a picture');
      await assert.rejects(classifier.preprocess(text), (e: Error) => e.name === 'ImageReadError' && e.message.includes(text) && /not a supported image/.test(e.message));
      await assert.rejects(classifier.preprocess(join(data, 'missing.png')), /missing\.png: no such file/);
      const truncated = join(dir, 'half.webp');
      const webp = colourFiles['b/lossless.webp']();
      writeFileSync(truncated, webp.subarray(0, webp.length >> 1));
      await assert.rejects(classifier.preprocess(truncated), (e: Error) => e.message.includes(truncated) && /WebP/.test(e.message));
    } finally {
      classifier.dispose();
    }
  });
});
