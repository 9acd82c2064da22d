// One pass over every image of a dataset, whatever its format: the images with their labels, facts
// about their files, and their pixels decoded (by the engine's own readers) at the shapes asked for.
import type { SupportedImageFormat } from '../data/imageFormat';
import type { ImageShape, ResolvedDatasetFormat } from '../runSpec';
import type { OddFinding, Split } from './datasetReport';

/** What is known about an image file before and besides decoding it. */
export interface FileFacts {
  bytes: number;
  /** Format by the file's first bytes; undefined when they are no image we know. */
  format?: SupportedImageFormat;
  /** From the header; undefined when the header cannot be read. */
  width?: number;
  height?: number;
  channels?: 1 | 3;
}

export interface PassImage {
  /** Absolute file path, or `file#index` inside a binary dataset. */
  source: string;
  split: Split;
  /** Index into the pass's classes. */
  classIndex: number;
  /** SHA-1 (hex) of the file's bytes, or of a record's pixels; undefined when the file cannot be read. */
  contentHash?: string;
  /** Folder datasets only. */
  file?: FileFacts;
}

export interface PassChunk {
  images: PassImage[];
  /** One packed [images.length, ...shape] uint8 buffer per shape asked for; a failed image's slot is zero. */
  pixels: Uint8Array[];
  /** Position in `images` -> why that image could not be decoded. */
  failures: Map<number, string>;
}

export interface DatasetPass {
  format: ResolvedDatasetFormat;
  root: string;
  classes: string[];
  /** Shape of the pixels mean images, samples and fingerprints use (at most 32 x 32). */
  analysisShape: ImageShape;
  /** Images the chunks will hold. */
  total: number;
  /** Files found unusable before decoding (unsupported formats, unreadable files, damaged batch files). */
  unreadable: { path: string; reason: string }[];
  /** Files and folders training ignores (images outside class folders, stray folders). */
  odd: OddFinding[];
  /** The folder holding a class's images of a split, when there is one on disk (folder datasets). */
  classFolder(classIndex: number, split: Split): string | undefined;
  /** The images in chunks, with pixels at each of `shapes` (the analysis shape among them, as the caller wishes). */
  chunks(shapes: readonly ImageShape[], signal?: AbortSignal): AsyncGenerator<PassChunk>;
}

/** Largest side of the analysis shape: fingerprints and mean images need no more. */
export const ANALYSIS_SIDE = 32;

/** Images per chunk. */
export const CHUNK_IMAGES = 256;

export function sameShape(a: ImageShape, b: ImageShape): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2];
}
