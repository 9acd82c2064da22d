// Reads the binary versions of CIFAR-10 (data_batch_1..5.bin, test_batch.bin) and CIFAR-100
// (train.bin, test.bin). A record is its label byte(s) then 1024 red, 1024 green and 1024 blue bytes
// (row-major 32 x 32 planes); examples are stored as HWC.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { ImageShape } from '../runSpec';
import { makeBinaryDataset, type NativeExamples } from './binaryDataset';
import { cifarClassNames } from './cifarClassNames';
import { cifarRecordBytes, findCifarLayout, CIFAR_SUBFOLDERS, type CifarVariant } from './cifarLayout';
import { DatasetError, type Dataset, type SkippedFile } from './dataset';
import type { ReaderOptions } from './readerOptions';
import { requireFolder } from './requireFolder';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const CIFAR_SHAPE: ImageShape = [SIDE, SIDE, 3];

export interface CifarReadOptions extends ReaderOptions {
  /** CIFAR-100 only: learn the 100 fine or the 20 coarse labels. */
  cifar100Labels: 'fine' | 'coarse';
}

const VARIANT_NAME: Record<CifarVariant, string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100' };

interface ParsedFile {
  file: string;
  labels: Int32Array;
  /** Packed [n, 32, 32, 3]. */
  pixels: Uint8Array;
}

function parseRecords(file: string, bytes: Uint8Array, variant: CifarVariant, labelOffset: number, classCount: number): ParsedFile {
  const recordBytes = cifarRecordBytes(variant);
  const headerBytes = recordBytes - 3 * PLANE;
  const count = bytes.length / recordBytes;
  const labels = new Int32Array(count);
  const pixels = new Uint8Array(count * 3 * PLANE);
  for (let r = 0; r < count; r++) {
    const record = r * recordBytes;
    const label = bytes[record + labelOffset];
    if (label >= classCount) {
      throw new DatasetError(
        `${file}: record ${r} has label ${label}, but ${VARIANT_NAME[variant]} has ${classCount} classes ` +
        '(is this the other CIFAR variant?).',
      );
    }
    labels[r] = label;
    const planes = record + headerBytes;
    const out = r * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      pixels[out + p * 3] = bytes[planes + p];
      pixels[out + p * 3 + 1] = bytes[planes + PLANE + p];
      pixels[out + p * 3 + 2] = bytes[planes + 2 * PLANE + p];
    }
  }
  return { file, labels, pixels };
}

function concat(parts: readonly ParsedFile[]): NativeExamples {
  const count = parts.reduce((n, p) => n + p.labels.length, 0);
  const labels = new Int32Array(count);
  const pixels = new Uint8Array(count * 3 * PLANE);
  const starts: number[] = [];
  let at = 0;
  for (const part of parts) {
    starts.push(at);
    labels.set(part.labels, at);
    pixels.set(part.pixels, at * 3 * PLANE);
    at += part.labels.length;
  }
  const sourceOf = (index: number): string => {
    let k = starts.length - 1;
    while (k > 0 && starts[k] > index) k--;
    return `${parts[k].file}#${index - starts[k]}`;
  };
  return { labels, pixels, sourceOf };
}

export async function readCifarDataset(path: string, variant: CifarVariant, options: CifarReadOptions): Promise<Dataset> {
  const root = resolve(path);
  await requireFolder(root);
  const layout = await findCifarLayout(root, variant);
  const other: CifarVariant = variant === 'cifar10' ? 'cifar100' : 'cifar10';
  if (!layout || layout.trainFiles.length === 0) {
    const hint = (await findCifarLayout(root, other)) ? ` It holds ${VARIANT_NAME[other]} files: use the format '${other}'.` : '';
    const expected = variant === 'cifar10' ? 'data_batch_1.bin ... data_batch_5.bin' : 'train.bin';
    throw new DatasetError(
      `No ${VARIANT_NAME[variant]} training files (${expected}) in ${root} or its ${CIFAR_SUBFOLDERS[variant]} folder.${hint}`,
    );
  }

  const fine = variant === 'cifar100' && options.cifar100Labels === 'fine';
  const classes = await cifarClassNames(layout.dir, variant, options.cifar100Labels);
  // CIFAR-100 records start with the coarse label, then the fine one.
  const labelOffset = fine ? 1 : 0;

  const recordBytes = cifarRecordBytes(variant);
  const skipped: SkippedFile[] = [];
  const files = [...layout.trainFiles, ...(layout.testFile ? [layout.testFile] : [])];
  const parsed = new Map<string, ParsedFile>();
  for (const [k, file] of files.entries()) {
    options.signal?.throwIfAborted();
    const bytes = await readFile(file);
    if (bytes.length === 0 || bytes.length % recordBytes !== 0) {
      skipped.push({
        path: file,
        reason: `${bytes.length} bytes is not a whole number of ${recordBytes}-byte ${VARIANT_NAME[variant]} records (truncated, or another format)`,
      });
      continue;
    }
    parsed.set(file, parseRecords(file, bytes, variant, labelOffset, classes.length));
    options.onProgress(k + 1, files.length);
  }
  const train = layout.trainFiles.flatMap((f) => parsed.get(f) ?? []);
  if (train.length === 0) {
    throw new DatasetError(`No usable ${VARIANT_NAME[variant]} training file: ${skipped.map((s) => `${basename(s.path)}: ${s.reason}`).join('; ')}.`);
  }
  for (const s of skipped) options.onWarning(`Skipped ${s.path}: ${s.reason}.`);
  const test = layout.testFile ? parsed.get(layout.testFile) : undefined;
  return makeBinaryDataset({
    format: variant,
    root,
    classes,
    nativeShape: CIFAR_SHAPE,
    train: concat(train),
    test: test ? concat([test]) : undefined,
    skipped,
  }, options);
}
