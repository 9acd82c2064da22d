// Odd files of a folder dataset: a name whose extension does not match the content, and images far
// smaller or larger than the dataset's typical image.
import { extname } from 'node:path';
import { imageFormatName, type SupportedImageFormat } from '../data/imageFormat';
import type { FileFacts } from './datasetPass';
import type { ImageRef, OddFinding } from './datasetReport';
import { shortName } from './findingText';

/** Odd-size thresholds (relative to the dataset's median image, with absolute floors). */
export const SIZE_LIMITS = {
  /** Tiny: a side shorter than this many pixels, or at most 1/pixelRatio of the median pixel count with a side under smallSide. */
  minSide: 8,
  smallSide: 64,
  /** Huge: at least pixelRatio times the median pixel count with a side of at least largeSide, or maxPixels in any case. */
  pixelRatio: 16,
  largeSide: 1024,
  maxPixels: 25_000_000,
  /** Huge as well: a file at least `bytesRatio` times the median file and at least `minHugeBytes` bytes. */
  bytesRatio: 16,
  minHugeBytes: 1_000_000,
} as const;

const EXTENSION_FORMATS: Record<string, SupportedImageFormat> = {
  '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.jpe': 'jpeg', '.jfif': 'jpeg', '.gif': 'gif', '.bmp': 'bmp', '.dib': 'bmp', '.webp': 'webp',
};

/** An odd finding when the file's extension names another format than its content (or none at all). */
export function extensionFinding(root: string, image: ImageRef, facts: FileFacts): OddFinding | undefined {
  if (!facts.format) return undefined;
  const extension = extname(image.source).toLowerCase();
  const named = EXTENSION_FORMATS[extension];
  if (named === facts.format) return undefined;
  const content = imageFormatName(facts.format);
  const message = named
    ? `${shortName(root, image.source)} holds a ${content} image but its extension says ${imageFormatName(named)}: rename it to .${facts.format === 'jpeg' ? 'jpg' : facts.format}.`
    : `${shortName(root, image.source)} holds a ${content} image but its name has no image extension: rename it to .${facts.format === 'jpeg' ? 'jpg' : facts.format}.`;
  return { kind: 'odd', problem: 'wrongExtension', files: [image.source], message, image };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
}

/** Tiny and huge images among readable files with known sizes. */
export function sizeFindings(root: string, images: readonly { image: ImageRef; facts: FileFacts }[]): OddFinding[] {
  const sized = images.filter(({ facts }) => facts.width !== undefined && facts.height !== undefined);
  const medianPixels = median(sized.map(({ facts }) => facts.width! * facts.height!));
  const medianBytes = median(images.map(({ facts }) => facts.bytes));
  const findings: OddFinding[] = [];
  for (const { image, facts } of images) {
    const { width, height, bytes } = facts;
    const name = shortName(root, image.source);
    if (width !== undefined && height !== undefined) {
      const pixels = width * height;
      const typical = `the median image has ${medianPixels.toLocaleString('en')} pixels`;
      const shortSide = Math.min(width, height);
      if (shortSide < SIZE_LIMITS.minSide || (shortSide < SIZE_LIMITS.smallSide && pixels * SIZE_LIMITS.pixelRatio <= medianPixels)) {
        findings.push({
          kind: 'odd', problem: 'tiny', files: [image.source], image, width, height, bytes,
          message: `${name} is tiny: ${width} x ${height} pixels (${typical}); it carries little to learn from.`,
        });
        continue;
      }
      const relativelyHuge = medianPixels > 0 && pixels >= SIZE_LIMITS.pixelRatio * medianPixels && Math.max(width, height) >= SIZE_LIMITS.largeSide;
      if (pixels >= SIZE_LIMITS.maxPixels || relativelyHuge) {
        findings.push({
          kind: 'odd', problem: 'huge', files: [image.source], image, width, height, bytes,
          message: `${name} is huge: ${width} x ${height} pixels (${typical}); it is slow to decode and shrunk a lot for training.`,
        });
        continue;
      }
    }
    if (bytes >= SIZE_LIMITS.minHugeBytes && medianBytes > 0 && bytes >= SIZE_LIMITS.bytesRatio * medianBytes) {
      findings.push({
        kind: 'odd', problem: 'huge', files: [image.source], image, width, height, bytes,
        message: `${name} is huge on disk: ${(bytes / 1e6).toFixed(1)} MB (the median file has ${(medianBytes / 1e3).toFixed(1)} kB).`,
      });
    }
  }
  return findings;
}
