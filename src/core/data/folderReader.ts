// Reads a folder dataset (one sub-folder per class, optionally split into train/ and test/ or val/)
// into memory, or streams it from disk when its pixels would exceed the memory budget.
import { resolve } from 'node:path';
import type { ImageShape } from '../runSpec';
import { DatasetError, type Dataset, type ExampleSource, type SkippedFile } from './dataset';
import { DecodePool } from './decodePool';
import { decodeThroughCache } from './decodedCache';
import { chooseImageDecoder } from './imageDecoderChoice';
import type { DecodeFailure } from './decodeImageFiles';
import { scanFolderDataset, validateScan, type ScannedClass } from './folderScan';
import { guessChannels } from './guessChannels';
import { IMAGE_MAGIC_BYTES, SUPPORTED_FORMATS_TEXT, isSupportedImageFormat, sniffImageFormat } from './imageFormat';
import { readImageHeader, type ImageHeader } from './imageHeader';
import { checkImageLimits } from './imageLimits';
import { DEFAULT_FOLDER_IMAGE_SIZE, checkImageSize } from './imageSize';
import { InMemorySource } from './inMemorySource';
import type { ReaderOptions } from './readerOptions';
import { readFileStart } from './readFileStart';
import { StreamedSource } from './streamedSource';
import { errorMessage } from '../errorMessage';

// Worker threads only pay off beyond a few hundred files (starting one costs tens of milliseconds).
const MIN_FILES_FOR_WORKERS = 128;
const CHUNK_FILES = 256;
/** Enough for the header of a PNG, GIF, BMP or WebP, and of most JPEGs (others are checked when decoded). */
const HEADER_BYTES = 4 * 1024;

interface Examples {
  paths: string[];
  labels: number[];
}

function flatten(classes: readonly ScannedClass[], classIndex: ReadonlyMap<string, number>): Examples {
  const examples: Examples = { paths: [], labels: [] };
  for (const scanned of classes) {
    const label = classIndex.get(scanned.name);
    if (label === undefined) continue;
    for (const path of scanned.files) {
      examples.paths.push(path);
      examples.labels.push(label);
    }
  }
  return examples;
}

const yieldToEventLoop = (): Promise<void> => new Promise((done) => setImmediate(done));

/** Decodes every file into one packed buffer, two chunks in flight so the workers never wait. */
async function decodeAll(paths: readonly string[], shape: ImageShape, options: ReaderOptions):
Promise<{ pixels: Uint8Array; failures: DecodeFailure[] }> {
  const exampleBytes = shape[0] * shape[1] * shape[2];
  const pixels = new Uint8Array(paths.length * exampleBytes);
  const failures: DecodeFailure[] = [];
  const pool = new DecodePool(paths.length >= MIN_FILES_FOR_WORKERS ? options.decodeWorkers : 0);
  let next = 0;
  let done = 0;
  const runner = async (): Promise<void> => {
    while (next < paths.length) {
      // Let an abort (or any other event) through between chunks, even when decoding on this thread.
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
      const start = next;
      next = Math.min(paths.length, next + CHUNK_FILES);
      const result = await pool.decode(paths.slice(start, next), shape);
      pixels.set(result.pixels, start * exampleBytes);
      for (const failure of result.failures) failures.push({ index: start + failure.index, reason: failure.reason });
      done += result.pixels.length / exampleBytes;
      options.onProgress(done, paths.length);
    }
  };
  try {
    await Promise.all([runner(), runner()]);
  } finally {
    await pool.close();
  }
  return { pixels, failures: failures.sort((a, b) => a.index - b.index) };
}

/**
 * Cheap check for streamed datasets: every file must start like a supported image, and its header
 * (when it lies in the first 4 KiB, as it does but for JPEGs with large metadata) must pass the image limits.
 */
async function checkHeaders(paths: readonly string[], shape: ImageShape, options: ReaderOptions): Promise<DecodeFailure[]> {
  const failures: DecodeFailure[] = [];
  for (let index = 0; index < paths.length; index++) {
    if (index % 256 === 0) {
      options.signal?.throwIfAborted();
      options.onProgress(index, paths.length);
    }
    try {
      const start = await readFileStart(paths[index], HEADER_BYTES);
      const format = sniffImageFormat(start.subarray(0, IMAGE_MAGIC_BYTES));
      if (start.length === 0) {
        failures.push({ index, reason: 'empty file (0 bytes)' });
      } else if (!isSupportedImageFormat(format)) {
        failures.push({ index, reason: `not a supported image (${SUPPORTED_FORMATS_TEXT})` });
      } else {
        let header: ImageHeader | undefined;
        try {
          header = readImageHeader(start);
        } catch {
          // A header past the first 4 KiB, or a damaged one: decoding will tell.
        }
        if (header) checkImageLimits(header, chooseImageDecoder(header), shape);
      }
    } catch (error) {
      failures.push({ index, reason: (error as NodeJS.ErrnoException).code ? `cannot be read (${errorMessage(error)})` : errorMessage(error) });
    }
  }
  options.onProgress(paths.length, paths.length);
  return failures;
}

function summarise(skipped: readonly SkippedFile[]): string {
  const shown = skipped.slice(0, 5).map((s) => `${s.path} (${s.reason})`).join('; ');
  const more = skipped.length > 5 ? `; and ${skipped.length - 5} more` : '';
  return `Skipped ${skipped.length} file${skipped.length === 1 ? '' : 's'} that could not be used: ${shown}${more}`;
}

export async function readFolderDataset(path: string, options: ReaderOptions): Promise<Dataset> {
  const root = resolve(path);
  const size = checkImageSize(options.imageSize ?? DEFAULT_FOLDER_IMAGE_SIZE);
  const scan = await scanFolderDataset(root, options.signal);
  validateScan(scan);
  for (const folder of scan.ignoredFolders) {
    options.onWarning(`Ignored ${folder}: the dataset is split into ${scan.trainRoot} and ${scan.testRoot ?? 'no test folder'}.`);
  }
  const classes = scan.train.map((c) => c.name);
  const classIndex = new Map(classes.map((name, index) => [name, index]));
  const train = flatten(scan.train, classIndex);
  const test = flatten(scan.test, classIndex);
  const all: Examples = { paths: [...train.paths, ...test.paths], labels: [...train.labels, ...test.labels] };
  const shape: ImageShape = [size, size, await guessChannels(all.paths)];
  const exampleBytes = size * size * shape[2];
  const streamed = all.paths.length * exampleBytes > options.memoryBudgetBytes;

  let pixels: Uint8Array | undefined;
  let failures: DecodeFailure[];
  if (streamed) {
    failures = await checkHeaders(all.paths, shape, options);
  } else if (options.decodedCache) {
    const cached = await decodeThroughCache(options.decodedCache, root, all.paths, shape, (paths) => decodeAll(paths, shape, options));
    ({ pixels, failures } = cached);
    options.onProgress(all.paths.length, all.paths.length);
  } else {
    ({ pixels, failures } = await decodeAll(all.paths, shape, options));
  }

  // Drop the files that failed, keeping order; pixels move down in place (destination <= source).
  const skipped: SkippedFile[] = [...scan.skipped];
  const failed = new Set(failures.map((f) => f.index));
  for (const failure of failures) skipped.push({ path: all.paths[failure.index], reason: failure.reason });
  const kept: Examples = { paths: [], labels: [] };
  let keptTrain = 0;
  for (let index = 0; index < all.paths.length; index++) {
    if (failed.has(index)) continue;
    if (pixels && kept.paths.length !== index) {
      pixels.copyWithin(kept.paths.length * exampleBytes, index * exampleBytes, (index + 1) * exampleBytes);
    }
    kept.paths.push(all.paths[index]);
    kept.labels.push(all.labels[index]);
    if (index < train.paths.length) keptTrain++;
  }

  const perClass = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < keptTrain; i++) perClass[kept.labels[i]]++;
  const emptied = classes.flatMap((name, c) => (perClass[c] === 0 ? [c] : []));
  if (emptied.length > 0) {
    const examples = failures
      .filter((f) => f.index < train.paths.length && emptied.includes(all.labels[f.index]))
      .slice(0, 3)
      .map((f) => `${all.paths[f.index]} (${f.reason})`);
    throw new DatasetError(
      `No readable images in class ${emptied.map((c) => `'${classes[c]}'`).join(', ')}: ${examples.join('; ')}.`,
    );
  }
  if (skipped.length > 0) options.onWarning(summarise(skipped));

  const keptTest = kept.paths.length - keptTrain;
  const trainLabels = Int32Array.from(kept.labels.slice(0, keptTrain));
  const testLabels = Int32Array.from(kept.labels.slice(keptTrain));
  let trainSource: ExampleSource;
  let testSource: ExampleSource | undefined;
  if (pixels) {
    // Train and test are two views of the one buffer.
    const trainBytes = keptTrain * exampleBytes;
    trainSource = InMemorySource.create({
      pixels: pixels.subarray(0, trainBytes), labels: trainLabels, shape, sourceOf: (i) => kept.paths[i],
    });
    if (keptTest > 0) {
      testSource = InMemorySource.create({
        pixels: pixels.subarray(trainBytes, trainBytes + keptTest * exampleBytes),
        labels: testLabels,
        shape,
        sourceOf: (i) => kept.paths[keptTrain + i],
      });
    }
  } else {
    const pool = new DecodePool(options.decodeWorkers);
    const reported = new Set(skipped.map((s) => s.path));
    const onFailure = (file: string, reason: string): void => {
      if (reported.has(file)) return;
      reported.add(file);
      skipped.push({ path: file, reason });
      options.onWarning(`Could not decode ${file} (${reason}); another image of its class is used in its place.`);
    };
    trainSource = StreamedSource.create({ paths: kept.paths.slice(0, keptTrain), labels: trainLabels, shape, pool, onFailure });
    if (keptTest > 0) {
      testSource = StreamedSource.create({ paths: kept.paths.slice(keptTrain), labels: testLabels, shape, pool, onFailure });
    }
  }
  return { format: 'folder', root, classes, imageShape: shape, train: trainSource, test: testSource, skipped, streamed };
}
