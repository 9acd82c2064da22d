// A quick summary of a dataset for pickers and previews: format, classes with their train/test
// counts, image shape. Counts files and reads headers or label bytes; never decodes pixels.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DatasetFormat, ImageShape, ResolvedDatasetFormat } from '../runSpec';
import { cifarClassNames } from './cifarClassNames';
import { cifarRecordBytes, findCifarLayout, type CifarVariant } from './cifarLayout';
import { DatasetError, type SkippedFile } from './dataset';
import { detectFormat } from './detectFormat';
import { scanFolderDataset } from './folderScan';
import { readHeaderSample } from './imageHeaderSample';
import { readIdxDims, readIdxFile } from './idxFile';
import { findIdxLayout } from './idxLayout';
import { DEFAULT_FOLDER_IMAGE_SIZE } from './imageSize';
import { requireFolder } from './requireFolder';
import { suggestImageSize, type ImageSizeSuggestion } from './suggestImageSize';

export interface ClassSummary {
  name: string;
  trainCount: number;
  testCount: number;
}

export interface DatasetDescription {
  format: ResolvedDatasetFormat;
  classes: ClassSummary[];
  /** Native shape for CIFAR/IDX; for folders the default model input, [32, 32, channels]. */
  imageShape?: ImageShape;
  /** Folders only: the image size to suggest, from the sizes a sample of its image headers give. */
  imageSizeSuggestion?: ImageSizeSuggestion;
  skipped: SkippedFile[];
}

async function describeFolder(root: string): Promise<DatasetDescription> {
  const scan = await scanFolderDataset(root);
  const classes: ClassSummary[] = scan.train.map((c) => ({ name: c.name, trainCount: c.files.length, testCount: 0 }));
  for (const tested of scan.test) {
    let summary = classes.find((c) => c.name === tested.name);
    if (!summary) classes.push(summary = { name: tested.name, trainCount: 0, testCount: 0 });
    summary.testCount = tested.files.length;
  }
  const files = [...scan.train, ...scan.test].flatMap((c) => c.files);
  const headers = await readHeaderSample(files);
  // As guessChannels decides: grey when every readable sampled image is.
  const channels = headers.length > 0 && headers.every((h) => h.channels === 1) ? 1 : 3;
  const imageShape: ImageShape | undefined = files.length > 0 ? [DEFAULT_FOLDER_IMAGE_SIZE, DEFAULT_FOLDER_IMAGE_SIZE, channels] : undefined;
  const imageSizeSuggestion = suggestImageSize(headers);
  return { format: 'folder', classes, imageShape, ...(imageSizeSuggestion ? { imageSizeSuggestion } : {}), skipped: scan.skipped };
}

/** Per-label counts of a CIFAR file, streaming it (only label bytes are looked at). */
function countCifarLabels(file: string, recordBytes: number, labelOffset: number, counts: number[]): Promise<void> {
  return new Promise((done, fail) => {
    let position = 0;
    createReadStream(file, { highWaterMark: 1 << 20 })
      .on('data', (data: string | Buffer) => {
        const chunk = data as Buffer; // no encoding was set, so chunks are Buffers
        const first = (labelOffset - (position % recordBytes) + recordBytes) % recordBytes;
        for (let i = first; i < chunk.length; i += recordBytes) counts[chunk[i]] = (counts[chunk[i]] ?? 0) + 1;
        position += chunk.length;
      })
      .on('end', () => done())
      .on('error', fail);
  });
}

async function describeCifar(root: string, variant: CifarVariant, labels: 'fine' | 'coarse'): Promise<DatasetDescription> {
  const layout = await findCifarLayout(root, variant);
  if (!layout) throw new DatasetError(`No ${variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'} files in ${root}.`);
  const names = await cifarClassNames(layout.dir, variant, labels);
  const recordBytes = cifarRecordBytes(variant);
  const labelOffset = variant === 'cifar100' && labels === 'fine' ? 1 : 0;
  const skipped: SkippedFile[] = [];
  const count = async (files: string[]): Promise<number[]> => {
    const counts: number[] = [];
    for (const file of files) {
      const size = (await stat(file)).size;
      if (size === 0 || size % recordBytes !== 0) {
        skipped.push({ path: file, reason: `${size} bytes is not a whole number of ${recordBytes}-byte records` });
      } else {
        await countCifarLabels(file, recordBytes, labelOffset, counts);
      }
    }
    return counts;
  };
  const train = await count(layout.trainFiles);
  const test = await count(layout.testFile ? [layout.testFile] : []);
  return {
    format: variant,
    classes: names.map((name, i) => ({ name, trainCount: train[i] ?? 0, testCount: test[i] ?? 0 })),
    imageShape: [32, 32, 3],
    skipped,
  };
}

async function describeIdx(root: string): Promise<DatasetDescription> {
  const layout = await findIdxLayout(root);
  if (!layout) throw new DatasetError(`No IDX files in ${root}.`);
  const count = async (labelsFile: string | undefined): Promise<number[]> => {
    const counts: number[] = [];
    if (labelsFile) for (const v of (await readIdxFile(labelsFile, [1])).data) counts[v] = (counts[v] ?? 0) + 1;
    return counts;
  };
  const train = await count(layout.train?.labels);
  const test = await count(layout.test?.labels);
  const values = [...new Set([...train.keys(), ...test.keys()])]
    .filter((v) => (train[v] ?? 0) + (test[v] ?? 0) > 0)
    .sort((a, b) => a - b);
  const imagesFile = layout.train?.images ?? layout.test?.images;
  const dims = imagesFile ? await readIdxDims(imagesFile) : [];
  const imageShape: ImageShape | undefined = dims.length >= 3 ? [dims[1], dims[2], dims[3] ?? 1] : undefined;
  return {
    format: 'idx',
    classes: values.map((v) => ({ name: String(v), trainCount: train[v] ?? 0, testCount: test[v] ?? 0 })),
    imageShape,
    skipped: [],
  };
}

/**
 * Summarises the dataset at `path` without loading it. Folder problems (an empty class, a single
 * class) show as counts here instead of errors; a missing path or unknown format still throws.
 */
export async function describeDataset(
  path: string,
  format: DatasetFormat = 'auto',
  options: { cifar100Labels?: 'fine' | 'coarse' } = {},
): Promise<DatasetDescription> {
  const root = resolve(path);
  await requireFolder(root);
  const resolved = format === 'auto' ? await detectFormat(root) : format;
  switch (resolved) {
    case 'folder': return describeFolder(root);
    case 'cifar10':
    case 'cifar100': return describeCifar(root, resolved, options.cifar100Labels ?? 'fine');
    case 'idx': return describeIdx(root);
  }
}
