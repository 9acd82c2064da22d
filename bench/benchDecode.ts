// Decode + resize throughput of the image pipeline training and classification share.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageToModelInput } from '../src/core/data/imageDecode';
import { encodeJpeg, encodePngPixels } from '../test/fixtures/imageFixtures';
import { makeShapesDataset } from '../test/fixtures/syntheticImages';

export interface DecodeResult {
  label: string;
  imagesPerSecond: number;
}

async function measure(label: string, files: string[]): Promise<DecodeResult> {
  const start = performance.now();
  for (const file of files) await decodeImageToModelInput(readFileSync(file), [32, 32, 3]);
  return { label, imagesPerSecond: files.length / ((performance.now() - start) / 1000) };
}

export async function benchDecode(quick: boolean): Promise<DecodeResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'classifier-lab-bench-'));
  try {
    const results: DecodeResult[] = [];
    for (const [size, count] of [[32, quick ? 200 : 2000], [256, quick ? 20 : 200]] as const) {
      const data = makeShapesDataset(count, size, 5);
      const bytes = size * size * 3;
      const png: string[] = [];
      const jpeg: string[] = [];
      for (let i = 0; i < count; i++) {
        const pixels = data.pixels.subarray(i * bytes, (i + 1) * bytes);
        png.push(join(dir, `${size}-${i}.png`));
        writeFileSync(png[i], encodePngPixels(pixels, size, size, 3));
        jpeg.push(join(dir, `${size}-${i}.jpg`));
        writeFileSync(jpeg[i], encodeJpeg(pixels, size, size));
      }
      results.push(await measure(`PNG ${size}x${size} -> 32x32`, png), await measure(`JPEG ${size}x${size} -> 32x32`, jpeg));
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
