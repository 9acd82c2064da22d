// "Classify Image" as the editor runs it: the inference process driven by the extension's
// InferenceHost. Measures the first classification of one image (process start, TensorFlow.js,
// model load), a warm one (the process kept alive), and the throughput of a 1,000-image folder.
// With --photo: one 12-MP (4000x3000) phone JPEG, stored sideways with an EXIF orientation, against one
// 500x375 JPEG, each classified with its heat map as the Classify Image tab asks, alternating, as a ratio:
// warm (the process kept alive) and cold (a new process, as after a minute idle).
// libvips' WebAssembly build (the universal .vsix's) instead of the native one: run it with
// NODE_OPTIONS="--import $PWD/bench/forceLibvipsWasm.mjs" (the inference processes inherit it).
// A benchmark, not a test: it prints numbers and asserts nothing.
//
//   npm run build && node --import tsx bench/classifyBench.ts [--model cnn|rnn|attention] [--images N] [--size S] [--photo]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultModelSpec } from '../src/core/models/defaultModelSpecs';
import { MODEL_KINDS, type ModelKind } from '../src/core/runSpec';
import { initBackend } from '../src/core/backend/selectBackend';
import { defaultDecodeWorkers } from '../src/core/data/decodePool';
import { libvipsInfo } from '../src/core/data/libvips';
import { InferenceHost } from '../src/processes/inference/inferenceHost';
import { InferenceSession, PARALLEL_MIN_IMAGES } from '../src/processes/inference/inferenceSession';
import { resolveTrainingThreads } from '../src/core/train/trainingThreads';
import { encodeJpeg } from '../test/fixtures/imageFixtures';
import { makeShapesDataset } from '../test/fixtures/syntheticImages';
import { makeTempDir, removeTempDir } from '../test/fixtures/tempDir';
import { trainShapesRun } from '../test/fixtures/trainedRun';
import { encodePhoto } from './photoFiles';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'cnn' }, images: { type: 'string', default: '1000' }, size: { type: 'string', default: '160' },
    photo: { type: 'boolean', default: false },
  },
});
const kind = values.model as ModelKind;
if (!MODEL_KINDS.includes(kind)) throw new Error(`--model must be one of ${MODEL_KINDS.join(', ')}`);
const count = Number(values.images);
const size = Number(values.size);
const script = resolve(__dirname, '..', 'dist', 'inference.js');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(0)} ms`;

async function timed<T>(body: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await body();
  return [value, performance.now() - start];
}

/** The libvips build this environment loads (the inference processes inherit the environment). */
function describeLibvips(): string {
  const info = libvipsInfo();
  return info ? `libvips ${info.version} (${info.build})` : 'libvips not loadable';
}

/** Classify Image on a phone photo against a small image, through the extension's inference process. */
async function photoAgainstSmall(): Promise<void> {
  const dir = makeTempDir('classifier-lab-classify-photo-bench-');
  try {
    process.stdout.write(`Training a ${kind} run (default architecture, 32x32x3, 2 epochs) to classify with...\n`);
    const run = await trainShapesRun(dir, { model: defaultModelSpec(kind), epochs: 2, count: 400, name: `bench-${kind}` });
    const large = join(dir, 'phone-photo.jpg');
    const small = join(dir, 'small.jpg');
    writeFileSync(large, await encodePhoto(4000, 3000, 3, 'jpeg', 6));
    writeFileSync(small, await encodePhoto(500, 375, 4, 'jpeg'));
    const host = new InferenceHost({ script });
    try {
      const classify = (image: string) => timed(() => host.classify({ runDir: run.runDir, images: [image], topK: 5, saliency: true }));
      const [, first] = await classify(small);
      const largeMs: number[] = [];
      const smallMs: number[] = [];
      const rounds = 9;
      for (let k = 0; k < rounds; k++) {
        largeMs.push((await classify(large))[1]);
        smallMs.push((await classify(small))[1]);
      }
      const ratio = median(largeMs) / median(smallMs);
      process.stdout.write([
        `model: ${kind}; backend: ${host.backendDescription ?? '?'}; ${describeLibvips()}; first classification (process start, model load): ${ms(first)}`,
        `warm, with heat map, alternating, median of ${rounds}: 4000x3000 JPEG (EXIF-rotated) ${ms(median(largeMs))}; 500x375 JPEG ${ms(median(smallMs))}; ratio ${ratio.toFixed(2)}x`,
        `  all 4000x3000: ${largeMs.map((x) => x.toFixed(0)).join(' ')} ms`,
        `  all 500x375:   ${smallMs.map((x) => x.toFixed(0)).join(' ')} ms`,
      ].join('\n') + '\n');
    } finally {
      host.dispose();
    }
    // Cold: the first Classify Image after the process went idle (it stays warm for a minute): a new process each time.
    const coldLarge: number[] = [];
    const coldSmall: number[] = [];
    for (let k = 0; k < 3; k++) {
      for (const [image, into] of [[large, coldLarge], [small, coldSmall]] as const) {
        const fresh = new InferenceHost({ script });
        try {
          into.push((await timed(() => fresh.classify({ runDir: run.runDir, images: [image], topK: 5, saliency: true })))[1]);
        } finally {
          fresh.dispose();
        }
      }
    }
    process.stdout.write(`cold (a new inference process each), with heat map, alternating, median of 3: 4000x3000 JPEG ${ms(median(coldLarge))}; ` +
      `500x375 JPEG ${ms(median(coldSmall))}; ratio ${(median(coldLarge) / median(coldSmall)).toFixed(2)}x\n`);
  } finally {
    removeTempDir(dir);
  }
}

async function main(): Promise<void> {
  if (values.photo) return photoAgainstSmall();
  const dir = makeTempDir('classifier-lab-classify-bench-');
  try {
    process.stdout.write(`Training a ${kind} run (default architecture, 32x32x3, 2 epochs) to classify with...\n`);
    const run = await trainShapesRun(dir, { model: defaultModelSpec(kind), epochs: 2, count: 400, name: `bench-${kind}` });

    // A folder of photos as a user would pick: colour JPEGs of size x size, resized to the model's 32x32.
    const folder = join(dir, 'photos');
    mkdirSync(folder);
    const shapes = makeShapesDataset(count, size, 9);
    const bytes = size * size * 3;
    const images: string[] = [];
    for (let i = 0; i < count; i++) {
      images.push(join(folder, `photo-${String(i).padStart(4, '0')}.jpg`));
      writeFileSync(images[i], encodeJpeg(shapes.pixels.subarray(i * bytes, (i + 1) * bytes), size, size, 90));
    }

    const host = new InferenceHost({ script });
    try {
      const one = { runDir: run.runDir, images: [images[0]], topK: 5, saliency: true };
      const [, first] = await timed(() => host.classify(one));
      const warm: number[] = [];
      const warmNoMap: number[] = [];
      for (let k = 1; k <= 7; k++) {
        warm.push((await timed(() => host.classify({ ...one, images: [images[k]] })))[1]);
        warmNoMap.push((await timed(() => host.classify({ ...one, images: [images[k]], saliency: false })))[1]);
      }
      const [done, folderMs] = await timed(() => host.classify({ runDir: run.runDir, images, topK: 5, saliency: false }));
      process.stdout.write([
        `model: ${kind} (${run.runDir})`,
        `backend: ${host.backendDescription ?? '?'}`,
        `first classification of one ${size}x${size} JPEG, with heat map (process start + backend + model load): ${ms(first)}`,
        `warm classification of one image, with heat map: ${ms(median(warm))} (median of ${warm.length})`,
        `warm classification of one image, without heat map: ${ms(median(warmNoMap))} (median of ${warmNoMap.length})`,
        `folder of ${count} JPEGs (${size}x${size}), no heat maps: ${ms(folderMs)} = ${(done.classified / (folderMs / 1000)).toFixed(0)} images/s (${done.classified} classified, ${done.failed} failed)`,
      ].join('\n') + '\n');
    } finally {
      host.dispose();
    }

    // Decoding on worker threads (one batch ahead) against decoding on the main thread, in this
    // process, alternating so both see the same machine load.
    await initBackend('auto');
    const workers = Math.max(1, defaultDecodeWorkers());
    const rates: Record<string, number[]> = { main: [], workers: [] };
    for (let round = 0; round < 2; round++) {
      for (const decodeWorkers of [0, workers]) {
        const session = new InferenceSession(() => undefined, Promise.resolve(), { decodeWorkers });
        await session.classify({ type: 'classify', id: 1, runDir: run.runDir, images: images.slice(0, 16), topK: 1, saliency: false });
        const [, took] = await timed(() => session.classify({ type: 'classify', id: 2, runDir: run.runDir, images, topK: 5, saliency: false }));
        rates[decodeWorkers === 0 ? 'main' : 'workers'].push(count / (took / 1000));
        session.dispose();
      }
    }
    process.stdout.write(`in-process, ${count} images: decoding on the main thread ${rates.main.map((r) => r.toFixed(0)).join(' / ')} images/s; ` +
      `on ${workers} worker thread(s) ${rates.workers.map((r) => r.toFixed(0)).join(' / ')} images/s\n`);

    // Predicting on one thread against every core (a folder of PARALLEL_MIN_IMAGES or more), alternating.
    const cores = resolveTrainingThreads('auto', { native: false });
    const predictRates: Record<number, number[]> = { 1: [], [cores]: [] };
    const large = images.length >= PARALLEL_MIN_IMAGES ? images : Array.from({ length: PARALLEL_MIN_IMAGES }, (_, i) => images[i % images.length]);
    for (let round = 0; round < 2; round++) {
      for (const predictThreads of [1, cores]) {
        const session = new InferenceSession(() => undefined, Promise.resolve(), { predictThreads });
        const [, took] = await timed(() => session.classify({ type: 'classify', id: 3, runDir: run.runDir, images: large, topK: 5, saliency: false }));
        predictRates[predictThreads].push(large.length / (took / 1000));
        session.dispose();
      }
    }
    process.stdout.write(`in-process, ${large.length} images: predicting on 1 thread ${predictRates[1].map((r) => r.toFixed(0)).join(' / ')} images/s; ` +
      `on ${cores} threads ${predictRates[cores].map((r) => r.toFixed(0)).join(' / ')} images/s (thread start included)\n`);
  } finally {
    removeTempDir(dir);
  }
}

void main();
