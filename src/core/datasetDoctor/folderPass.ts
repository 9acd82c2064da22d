// The dataset pass over a folder dataset: the engine's folder scan finds the classes and files (without
// refusing empty classes, which the doctor reports instead of failing), the main thread reads each
// file once for its hash and header, and the decode pool's worker threads decode it at each shape.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DecodePool } from '../data/decodePool';
import { scanFolderDataset } from '../data/folderScan';
import { guessChannels } from '../data/guessChannels';
import { readImageHeader } from '../data/imageHeader';
import { isSupportedImageFormat, sniffImageFormat } from '../data/imageFormat';
import type { ImageShape } from '../runSpec';
import { ANALYSIS_SIDE, CHUNK_IMAGES, type DatasetPass, type FileFacts, type PassChunk, type PassImage } from './datasetPass';
import type { OddFinding } from './datasetReport';
import { shortName } from './findingText';

/** The reason folderScan gives an image outside any class folder. */
const OUTSIDE_CLASS = 'not inside a class folder';
// Worker threads pay off beyond a few hundred files (starting one costs tens of milliseconds).
const MIN_FILES_FOR_WORKERS = 128;
/** Files read between two yields to the event loop. */
const FILES_BETWEEN_YIELDS = 32;

function readFacts(path: string): { facts?: FileFacts; contentHash?: string } {
  let bytes: Uint8Array;
  try {
    // Synchronous reads: far cheaper than the promise API for many small files, and a chunk is short.
    bytes = readFileSync(path);
  } catch {
    return {}; // the decoder reports why
  }
  const contentHash = createHash('sha1').update(bytes).digest('hex');
  const sniffed = sniffImageFormat(bytes);
  const facts: FileFacts = { bytes: bytes.length, format: isSupportedImageFormat(sniffed) ? sniffed : undefined };
  try {
    const header = readImageHeader(bytes);
    facts.width = header.width;
    facts.height = header.height;
    facts.channels = header.channels;
  } catch {
    // unreadable headers are reported from the decode failure
  }
  return { facts, contentHash };
}

/** Reads the chunk's files on this thread, yielding to the event loop now and then so the decode pool's replies get through. */
async function readAllFacts(images: PassImage[]): Promise<void> {
  for (let k = 0; k < images.length; k++) {
    if (k % FILES_BETWEEN_YIELDS === 0) await new Promise((done) => setImmediate(done));
    const { facts, contentHash } = readFacts(images[k].source);
    images[k].file = facts;
    images[k].contentHash = contentHash;
  }
}

export async function openFolderPass(root: string, options: { decodeWorkers: number; signal?: AbortSignal }): Promise<DatasetPass> {
  const scan = await scanFolderDataset(root, options.signal);
  const trainNames = scan.train.map((c) => c.name);
  const classes = [...trainNames, ...scan.test.map((c) => c.name).filter((name) => !trainNames.includes(name))];
  const images: PassImage[] = [];
  for (const [split, scanned] of [['train', scan.train], ['test', scan.test]] as const) {
    for (const folder of scanned) {
      const classIndex = classes.indexOf(folder.name);
      for (const source of folder.files) images.push({ source, split, classIndex });
    }
  }
  const paths = images.map((image) => image.source);
  const channels = paths.length > 0 ? await guessChannels(paths) : 3;
  const odd: OddFinding[] = [];
  const unreadable: DatasetPass['unreadable'] = [];
  for (const skipped of scan.skipped) {
    if (skipped.reason !== OUTSIDE_CLASS) {
      unreadable.push(skipped);
      continue;
    }
    odd.push({
      kind: 'odd', problem: 'outsideClassFolder', files: [skipped.path],
      message: `${shortName(root, skipped.path)} is not inside a class folder, so training ignores it: move it into the folder of its class.`,
    });
  }
  for (const folder of scan.ignoredFolders) {
    odd.push({
      kind: 'odd', problem: 'ignoredFolder', files: [folder],
      message: `Folder ${basename(folder)}/ is ignored: the dataset is split into ${basename(scan.trainRoot)}/` +
        `${scan.testRoot ? ` and ${basename(scan.testRoot)}/` : ''}, so only those are read.`,
    });
  }

  async function chunk(start: number, shapes: readonly ImageShape[], pool: DecodePool): Promise<PassChunk> {
    const part = images.slice(start, start + CHUNK_IMAGES);
    const partPaths = part.map((image) => image.source);
    const [, ...decoded] = await Promise.all([readAllFacts(part), ...shapes.map((shape) => pool.decode(partPaths, shape))]);
    const failures = new Map<number, string>();
    for (const failure of decoded[0]?.failures ?? []) failures.set(failure.index, failure.reason);
    return { images: part, pixels: decoded.map((d) => d.pixels), failures };
  }

  return {
    format: 'folder',
    root,
    classes,
    analysisShape: [ANALYSIS_SIDE, ANALYSIS_SIDE, channels],
    total: images.length,
    unreadable,
    odd,
    classFolder(classIndex, split) {
      const scanned = split === 'train' ? scan.train : scan.test;
      const folderRoot = split === 'train' ? scan.trainRoot : scan.testRoot;
      const name = classes[classIndex];
      return folderRoot && scanned.some((c) => c.name === name) ? join(folderRoot, name) : undefined;
    },
    async *chunks(shapes, signal) {
      const pool = new DecodePool(images.length >= MIN_FILES_FOR_WORKERS ? options.decodeWorkers : 0);
      try {
        // One chunk ahead: the workers decode the next chunk while the caller works on this one.
        let next = images.length > 0 ? chunk(0, shapes, pool) : undefined;
        for (let start = 0; start < images.length; start += CHUNK_IMAGES) {
          signal?.throwIfAborted();
          const current = await (next as Promise<PassChunk>);
          next = start + CHUNK_IMAGES < images.length ? chunk(start + CHUNK_IMAGES, shapes, pool) : undefined;
          next?.catch(() => undefined);
          yield current;
        }
      } finally {
        await pool.close();
      }
    },
  };
}
