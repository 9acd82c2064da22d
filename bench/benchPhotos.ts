// Decode + resize throughput per format and size, before (our pure-JS decoders for every file, as the
// pipeline was) and after (the decoder imageDecoderChoice picks: libvips for photos), and the first and
// second load of a folder of phone-sized photos through the decoded-dataset cache.
// `node --import tsx bench/benchPhotos.ts [--quick] [--folder]`;  add `--import ./bench/forceLibvipsWasm.mjs` before
// --import tsx to measure libvips' wasm build (the universal .vsix's) instead of the native one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { readFolderDataset } from '../src/core/data/folderReader';
import { decodeImageRows, decodeImageToModelInput } from '../src/core/data/imageDecode';
import { ModelInputBuilder } from '../src/core/data/imagePreprocess';
import { libvipsInfo } from '../src/core/data/libvips';
import type { ImageShape } from '../src/core/runSpec';

const quick = process.argv.includes('--quick');
/** Only the folder loads (skip the per-format table). */
const folderOnly = process.argv.includes('--folder');
const SHAPE: ImageShape = [32, 32, 3];

/** Photo-like content: smooth shapes, a gradient and sensor-like noise (JPEG has real work to do). */
function photo(width: number, height: number, seed: number): Buffer {
  const data = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761 >>> 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      state = (state * 1664525 + 1013904223) >>> 0;
      const noise = (state >>> 24) % 17 - 8;
      const u = x / width;
      const v = y / height;
      const blob = Math.hypot(u - 0.3 - seed % 5 * 0.1, v - 0.5) < 0.2 ? 80 : 0;
      const p = (y * width + x) * 3;
      data[p] = Math.max(0, Math.min(255, 60 + 150 * u + blob + noise));
      data[p + 1] = Math.max(0, Math.min(255, 90 + 100 * v + noise));
      data[p + 2] = Math.max(0, Math.min(255, 140 + 80 * Math.sin(6 * u + seed) - blob + noise));
    }
  }
  return data;
}

async function encode(width: number, height: number, seed: number, format: 'jpeg' | 'png' | 'webp', orientation?: number): Promise<Buffer> {
  let image = sharp(photo(width, height, seed), { raw: { width, height, channels: 3 } });
  if (orientation) image = image.withMetadata({ orientation });
  return format === 'jpeg' ? image.jpeg({ quality: 90 }).toBuffer() : format === 'png' ? image.png().toBuffer() : image.webp({ quality: 85 }).toBuffer();
}

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
  console.log('| image | before (our decoders) img/s | after (chosen decoder) img/s | speed-up |');
  console.log('| --- | --- | --- | --- |');
  for (const c of folderOnly ? [] : cases) {
    const count = quick ? Math.max(2, Math.ceil(c.count / 5)) : c.count;
    const files = await Promise.all(Array.from({ length: count }, (_, i) => encode(c.width, c.height, i, c.format)));
    await decodeImageToModelInput(files[0], SHAPE); // warm up (loads libvips)
    const before = await rate(files.slice(0, quick ? Math.max(1, Math.ceil(c.oursCount / 5)) : c.oursCount), decodeOurs);
    const after = await rate(files, (bytes) => decodeImageToModelInput(bytes, SHAPE));
    console.log(`| ${c.label} | ${before.toFixed(1)} | ${after.toFixed(1)} | ${(after / before).toFixed(1)}x |`);
  }

  // A folder of phone photos: 60 JPEGs of 4000x3000, a third stored sideways with EXIF orientation 6.
  const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-photos-'));
  try {
    const root = join(dir, 'photos');
    const count = quick ? 12 : 60;
    for (let i = 0; i < count; i++) {
      const label = i % 2 === 0 ? 'cats' : 'dogs';
      mkdirSync(join(root, label), { recursive: true });
      writeFileSync(join(root, label, `${i}.jpg`), await encode(4000, 3000, i, 'jpeg', i % 3 === 0 ? 6 : undefined));
    }
    const cacheDir = join(dir, 'cache');
    const load = async (workers: number, cache: boolean): Promise<number> => {
      const start = performance.now();
      await readFolderDataset(root, {
        imageSize: 32, memoryBudgetBytes: 1 << 30, decodeWorkers: workers, onProgress: () => undefined, onWarning: () => undefined,
        ...(cache ? { decodedCache: { dir: cacheDir } } : {}),
      });
      return (performance.now() - start) / 1000;
    };
    const first = await load(0, true);
    const second = await load(0, true);
    console.log(`\nfolder of ${count} 4000x3000 JPEGs (${Math.round(count / 3)} EXIF-rotated) at 32x32: first load ${first.toFixed(1)} s, second load (cache) ${(second * 1000).toFixed(0)} ms`);
    const one = join(root, 'cats', '0.jpg');
    const small = await encode(32, 32, 1, 'jpeg');
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await decodeImageToModelInput(readFileSync(one), SHAPE);
    const large = (performance.now() - t0) / 5;
    const t1 = performance.now();
    for (let i = 0; i < 50; i++) await decodeImageToModelInput(small, SHAPE);
    const tiny = (performance.now() - t1) / 50;
    console.log(`one 12-MP photo: ${large.toFixed(0)} ms to its model input; a 32x32 JPEG: ${tiny.toFixed(2)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
