// Reads the pixels of single examples inside binary datasets (IDX, CIFAR), named `file#index` in
// predictions.json, for thumbnails; image files are shown from disk instead.
import { open } from 'node:fs/promises';
import type { ResolvedDatasetFormat } from '../runSpec';
import { readFileStart } from '../data/readFileStart';
import { readIdxDims, readIdxFile, type IdxArray } from '../data/idxFile';
import type { ExamplePixels } from './pixelImage';

export type { ExamplePixels } from './pixelImage';

const CIFAR_SIDE = 32;
const CIFAR_PLANE = CIFAR_SIDE * CIFAR_SIDE;

/** Splits `path#index` into its parts; undefined for a plain file path. */
export function parseExampleSource(source: string): { file: string; index: number } | undefined {
  const match = /^(.*)#(\d+)$/.exec(source);
  if (!match) return undefined;
  const index = Number(match[2]);
  return Number.isSafeInteger(index) ? { file: match[1], index } : undefined;
}

/**
 * Reads examples of binary datasets. Uncompressed files are read at the example's offset; a gzipped
 * IDX file is unpacked once and kept (one file at a time) while thumbnails of it are requested.
 */
export class ExamplePixelReader {
  private cached?: { file: string; array: Promise<IdxArray> };

  async read(source: string, format: ResolvedDatasetFormat): Promise<ExamplePixels> {
    const parsed = parseExampleSource(source);
    if (!parsed) throw new Error(`${source} does not name an example inside a file.`);
    switch (format) {
      case 'idx':
        return this.readIdx(parsed.file, parsed.index);
      case 'cifar10':
      case 'cifar100':
        return readCifar(parsed.file, parsed.index, format === 'cifar10' ? 1 : 2);
      default:
        throw new Error(`Examples of ${format} datasets are image files, not records.`);
    }
  }

  private async readIdx(file: string, index: number): Promise<ExamplePixels> {
    const head = await readFileStart(file, 2);
    const gzipped = head[0] === 0x1f && head[1] === 0x8b;
    if (gzipped) {
      if (this.cached?.file !== file) this.cached = { file, array: readIdxFile(file, [3, 4]) };
      const { dims, data } = await this.cached.array;
      const [count, height, width, channels = 1] = dims;
      if (index >= count) throw new Error(`${file} has no example ${index}.`);
      const size = height * width * channels;
      return { width, height, channels, data: data.slice(index * size, (index + 1) * size) };
    }
    const dims = await readIdxDims(file);
    const [count, height, width, channels = 1] = dims;
    if (index >= count) throw new Error(`${file} has no example ${index}.`);
    const size = height * width * channels;
    const data = await readAt(file, 4 + 4 * dims.length + index * size, size);
    return { width, height, channels, data };
  }
}

/** A CIFAR record is its label byte(s), then 32x32 red, green and blue planes. */
async function readCifar(file: string, index: number, labelBytes: number): Promise<ExamplePixels> {
  const recordBytes = labelBytes + 3 * CIFAR_PLANE;
  const record = await readAt(file, index * recordBytes, recordBytes);
  const data = new Uint8Array(3 * CIFAR_PLANE);
  for (let p = 0; p < CIFAR_PLANE; p++) {
    for (let c = 0; c < 3; c++) data[p * 3 + c] = record[labelBytes + c * CIFAR_PLANE + p];
  }
  return { width: CIFAR_SIDE, height: CIFAR_SIDE, channels: 3, data };
}

async function readAt(file: string, position: number, length: number): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const bytes = new Uint8Array(length);
    const { bytesRead } = await handle.read(bytes, 0, length, position);
    if (bytesRead !== length) throw new Error(`${file} ends before example at byte ${position}.`);
    return bytes;
  } finally {
    await handle.close();
  }
}
