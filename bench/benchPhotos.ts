// Decode + resize throughput per format and size, before (our pure-JS decoders for every file, as the
// pipeline was) and after (the decoder imageDecoderChoice picks: libvips for photos); the first and
// second load of a folder of phone-sized photos through the decoded-dataset cache, as a run loads it; and
// the read throughput of CIFAR binary batches and of a folder of small PNGs.
// `node --import tsx bench/benchPhotos.ts [--quick] [--folder] [--reads]` (--folder / --reads: only that part);
// add `--import ./bench/forceLibvipsWasm.mjs` before --import tsx to measure libvips' wasm build (the
// universal .vsix's) instead of the native one. A benchmark: it prints numbers and asserts nothing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCifar10 } from '../test/fixtures/cifarFixtures';
import { defaultDecodeWorkers } from '../src/core/data/decodePool';
import { loadDataset } from '../src/core/data/loadDataset';
import { decodeImageRows, decodeImageToModelInput } from '../src/core/data/imageDecode';
import { ModelInputBuilder } from '../src/core/data/imagePreprocess';
import { libvipsInfo } from '../src/core/data/libvips';
import type { DataSpec, ImageShape } from '../src/core/runSpec';
import { encodePhoto } from './photoFiles';

const quick = process.argv.includes('--quick');
/** Only the folder loads, or only the dataset reads (skip the rest). */
const folderOnly = process.argv.includes('--folder');
const readsOnly = process.argv.includes('--reads');
const SHAPE: ImageShape = [32, 32, 3];

const encode = encodePhoto;

/** Main's pipeline: our decoder for every file, resized row by row. */
function decodeOurs(bytes: Uint8Array): Uint8Array {
  const builder = new ModelInputBuilder(SHAPE);
  decodeImageRows(bytes, builder);
  return builder.finish();
}

async function rate(files: Buffer[], decode: (bytes: Uint8Array) => unknown): Promise<number> {
  const start = performance.now();
  for (const file of files) await decode(file);
  return files.length / ((performance.now() - start) / 1000);
}

async function main(): Promise<void> {
  const info = libvipsInfo();
  console.log(`libvips ${info?.version} (${info?.build}), sharp ${info?.sharp}; decode + resize to 32x32x3, one image at a time`);
  const cases: { label: string; width: number; height: number; format: 'jpeg' | 'png' | 'webp'; count: number; oursCount: number }[] = [
    { label: 'PNG 32x32', width: 32, height: 32, format: 'png', count: 400, oursCount: 400 },
    { label: 'PNG 256x256', width: 256, height: 256, format: 'png', count: 60, oursCount: 60 },
    { label: 'PNG 1024x768', width: 1024, height: 768, format: 'png', count: 10, oursCount: 10 },
    { label: 'JPEG 32x32', width: 32, height: 32, format: 'jpeg', count: 400, oursCount: 400 },
    { label: 'JPEG 256x256', width: 256, height: 256, format: 'jpeg', count: 60, oursCount: 60 },
    { label: 'JPEG 500x375', width: 500, height: 375, format: 'jpeg', count: 60, oursCount: 30 },
    { label: 'JPEG 4000x3000 (12 MP)', width: 4000, height: 3000, format: 'jpeg', count: 6, oursCount: 2 },
    { label: 'WebP 1024x768', width: 1024, height: 768, format: 'webp', count: 10, oursCount: 10 },
  ];
  if (!folderOnly && !readsOnly) {
    console.log('| image | before (our decoders) img/s | after (chosen decoder) img/s | speed-up |');
    console.log('| --- | --- | --- | --- |');
  }
  for (const c of folderOnly || readsOnly ? [] : cases) {
    const count = quick ? Math.max(2, Math.ceil(c.count / 5)) : c.count;
    const files = await Promise.all(Array.from({ length: count }, (_, i) => encode(c.width, c.height, i, c.format)));
    await decodeImageToModelInput(files[0], SHAPE); // warm up (loads libvips)
    const before = await rate(files.slice(0, quick ? Math.max(1, Math.ceil(c.oursCount / 5)) : c.oursCount), decodeOurs);
    const after = await rate(files, (bytes) => decodeImageToModelInput(bytes, SHAPE));
    console.log(`| ${c.label} | ${before.toFixed(1)} | ${after.toFixed(1)} | ${(after / before).toFixed(1)}x |`);
  }

  if (!readsOnly) await photoFolderLoads();
  if (!folderOnly) await datasetReads();
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed(body: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await body();
  return performance.now() - start;
}

/** Loads a dataset as a run does (loadDataset: default decode workers), with the decoded cache in `cacheDir` or none. */
function loadAsARun(data: Partial<DataSpec> & { path: string }, cacheDir: string | null): Promise<unknown> {
  return loadDataset({ format: 'auto', valSplit: 0.1, cifar100Labels: 'fine', ...data }, {
    onWarning: () => undefined, decodedCache: cacheDir === null ? null : { dir: cacheDir },
  });
}

/**
 * A folder of phone photos: 60 JPEGs of 4000x3000, a third stored sideways with EXIF orientation 6, loaded
 * as a run loads it: the first time (empty decoded cache) and the second (from the cache), at 32 and at
 * 128 px, twice each with a fresh cache. Then one 12-MP photo against a small JPEG to a model input.
 */
async function photoFolderLoads(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-photos-'));
  try {
    const root = join(dir, 'photos');
    const count = quick ? 12 : 60;
    for (let i = 0; i < count; i++) {
      const label = i % 2 === 0 ? 'cats' : 'dogs';
      mkdirSync(join(root, label), { recursive: true });
      writeFileSync(join(root, label, `${i}.jpg`), await encode(4000, 3000, i, 'jpeg', i % 3 === 0 ? 6 : undefined));
    }
    console.log(`\nfolder of ${count} 4000x3000 JPEGs (${Math.round(count / 3)} EXIF-rotated), loaded as a run loads it (${defaultDecodeWorkers()} decode worker(s)):`);
    console.log('| image size | round | first load | second load (decoded cache) |');
    console.log('| --- | --- | --- | --- |');
    for (const imageSize of [32, 128]) {
      for (let round = 1; round <= 2; round++) {
        const cacheDir = join(dir, `cache-${imageSize}-${round}`);
        const first = await timed(() => loadAsARun({ path: root, imageSize }, cacheDir));
        const second = await timed(() => loadAsARun({ path: root, imageSize }, cacheDir));
        console.log(`| ${imageSize} | ${round} | ${seconds(first)} | ${second.toFixed(0)} ms |`);
      }
    }
    const one = join(root, 'cats', '0.jpg');
    const small = await encode(500, 375, 1, 'jpeg');
    const largeMs: number[] = [];
    const smallMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      largeMs.push(await timed(() => decodeImageToModelInput(readFileSync(one), SHAPE)));
      smallMs.push(await timed(() => decodeImageToModelInput(small, SHAPE)));
    }
    console.log(`to a 32x32 model input, alternating, median of 5: one 12-MP photo ${median(largeMs).toFixed(0)} ms; a 500x375 JPEG ${median(smallMs).toFixed(1)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CIFAR-10 binary batches and a folder of 32x32 PNGs, read as a run reads them (no decoded cache: the decoding itself). */
async function datasetReads(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-reads-'));
  try {
    const cifar = join(dir, 'cifar');
    const records = quick ? 5_000 : 20_000;
    writeCifar10(cifar, { batches: [records / 2, records / 2], testCount: records / 10, meta: false });
    const pngs = join(dir, 'pngs');
    const files = quick ? 500 : 2_000;
    for (let i = 0; i < files; i++) {
      const label = `class${i % 10}`;
      mkdirSync(join(pngs, label), { recursive: true });
      writeFileSync(join(pngs, label, `${i}.png`), await encode(32, 32, i, 'png'));
    }
    console.log(`\ndataset reads, as a run reads them (${defaultDecodeWorkers()} decode worker(s), no decoded cache), three rounds:`);
    const cifarRates: string[] = [];
    const pngRates: string[] = [];
    for (let round = 0; round < 3; round++) {
      const c = await timed(() => loadAsARun({ path: cifar, format: 'cifar10' }, null));
      cifarRates.push(((records * 1.1) / (c / 1000)).toFixed(0));
      const p = await timed(() => loadAsARun({ path: pngs, format: 'folder' }, null));
      pngRates.push((files / (p / 1000)).toFixed(0));
    }
    console.log(`CIFAR-10 binary, ${(records * 1.1).toLocaleString('en-US')} records: ${cifarRates.join(' / ')} images/s`);
    console.log(`folder of ${files.toLocaleString('en-US')} 32x32 PNGs: ${pngRates.join(' / ')} images/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
