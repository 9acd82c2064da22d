// Near-duplicate detection over a dataset: every image's difference hash and grey pixels, the search
// for candidate pairs (hashes within a Hamming distance), the pixel check that confirms a pair, and
// the groups the confirmed pairs form.
import { FingerprintMaker } from './imageFingerprint';
import { countComparisons, findNearPairs, MIN_DISTANCE } from './nearDuplicatePairs';

/** The thresholds of the near-duplicate test (also shown in reports). */
export const NEAR_DUPLICATE_SETTINGS = {
  /** Candidate pairs: difference hashes at most this many bits apart (of 64)... */
  maxHammingDistance: 6,
  /** ...lowered, down to 2, while comparing would take more than this many hash comparisons. */
  comparisonBudget: 60_000_000,
  /** A candidate is confirmed when its two grey images correlate at least this much (Pearson)... */
  minCorrelation: 0.95,
  /**
   * ...and their mean levels differ by at most this in every colour channel, over the whole image
   * and over its non-background pixels: a brighter or darker copy, not the same layout in other
   * colours (a bar on a plain background correlates perfectly in grey with a bar of another hue).
   */
  maxLevelDifference: 48,
  /**
   * An image has a background when at least this share of its pixels lies within
   * `backgroundTolerance` grey levels of its most common level; pixels that are background in both
   * images are left out of the correlation (two digits on black are compared on their strokes).
   */
  minBackgroundShare: 0.3,
  backgroundTolerance: 16,
  /** Two images that are (almost) all background are near-identical when their mean absolute difference is at most this. */
  maxBlankDifference: 8,
} as const;

/** Fewer non-background pixels than this share makes a pair "blank". */
const BLANK_SHARE = 0.02;

/** Groups of near-identical items and how they were found. */
export interface NearDuplicateGroups {
  /** Item ids per group, ascending; every group has two or more. */
  groups: number[][];
  /** The Hamming distance used, or undefined when the search was skipped. */
  maxDistance?: number;
  /** Why the search was narrowed or skipped. */
  warning?: string;
}

class UnionFind {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[i] !== root) {
      const next = this.parent[i];
      this.parent[i] = root;
      i = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Fingerprints of up to `capacity` images of one size (height x width), added by item id. */
export class SimilarityIndex {
  readonly high: Uint32Array;
  readonly low: Uint32Array;
  private readonly pixels: number;
  private readonly words: number;
  private readonly grey: Uint8Array;
  /** Mean level of each item in each of 3 channels (a grey image repeats its grey level)... */
  private readonly means: Float32Array;
  /** ...and over its non-background pixels (items with a background and some foreground). */
  private readonly foregroundMeans: Float32Array;
  /** Background grey level of each item, -1 when it has none. */
  private readonly background: Int16Array;
  /** Per item, a bit per pixel that is not background (only for items with a background). */
  private readonly foreground: Uint32Array;
  private readonly maker = new FingerprintMaker();

  constructor(capacity: number, readonly height: number, readonly width: number) {
    this.pixels = height * width;
    this.words = Math.ceil(this.pixels / 32);
    this.high = new Uint32Array(capacity);
    this.low = new Uint32Array(capacity);
    this.grey = new Uint8Array(capacity * this.pixels);
    this.means = new Float32Array(capacity * 3);
    this.foregroundMeans = new Float32Array(capacity * 3).fill(-1);
    this.background = new Int16Array(capacity).fill(-1);
    this.foreground = new Uint32Array(capacity * this.words);
  }

  /** Adds item `id`: packed [height, width, channels] uint8 pixels. */
  add(id: number, pixels: Uint8Array, channels: number): void {
    const offset = id * this.pixels;
    [this.high[id], this.low[id]] = this.maker.fingerprint(pixels, this.height, this.width, channels, this.grey, offset);
    const histogram = new Int32Array(256);
    for (let p = 0; p < this.pixels; p++) histogram[this.grey[offset + p]]++;
    this.channelMeans(pixels, channels, undefined, this.means, id * 3);
    let mode = 0;
    for (let v = 1; v < 256; v++) if (histogram[v] > histogram[mode]) mode = v;
    const tolerance = NEAR_DUPLICATE_SETTINGS.backgroundTolerance;
    let near = 0;
    for (let v = Math.max(0, mode - tolerance); v <= Math.min(255, mode + tolerance); v++) near += histogram[v];
    if (near < NEAR_DUPLICATE_SETTINGS.minBackgroundShare * this.pixels) return;
    this.background[id] = mode;
    const bits = id * this.words;
    for (let p = 0; p < this.pixels; p++) {
      if (Math.abs(this.grey[offset + p] - mode) > tolerance) this.foreground[bits + (p >>> 5)] |= 1 << (p & 31);
    }
    this.channelMeans(pixels, channels, bits, this.foregroundMeans, id * 3);
  }

  /** Per-channel means of the image (of its foreground pixels when `bits` locates its mask) into out[at..at+3); untouched when no pixel counts. */
  private channelMeans(pixels: Uint8Array, channels: number, bits: number | undefined, out: Float32Array, at: number): void {
    let r = 0;
    let g = 0;
    let b = 0;
    let count = 0;
    for (let p = 0; p < this.pixels; p++) {
      if (bits !== undefined && (this.foreground[bits + (p >>> 5)] & (1 << (p & 31))) === 0) continue;
      const base = p * channels;
      r += pixels[base];
      g += pixels[base + (channels === 3 ? 1 : 0)];
      b += pixels[base + (channels === 3 ? 2 : 0)];
      count++;
    }
    if (count === 0) return;
    out[at] = r / count;
    out[at + 1] = g / count;
    out[at + 2] = b / count;
  }

  /** Whether two added items are near-identical by their pixels (see NEAR_DUPLICATE_SETTINGS). */
  similar(a: number, b: number): boolean {
    const maxLevel = NEAR_DUPLICATE_SETTINGS.maxLevelDifference;
    const foreground = this.foregroundMeans[a * 3] >= 0 && this.foregroundMeans[b * 3] >= 0;
    for (let c = 0; c < 3; c++) {
      if (Math.abs(this.means[a * 3 + c] - this.means[b * 3 + c]) > maxLevel) return false;
      if (foreground && Math.abs(this.foregroundMeans[a * 3 + c] - this.foregroundMeans[b * 3 + c]) > maxLevel) return false;
    }
    const { grey, pixels } = this;
    const oa = a * pixels;
    const ob = b * pixels;
    let n = 0;
    let sa = 0;
    let sb = 0;
    let saa = 0;
    let sbb = 0;
    let sab = 0;
    if (this.background[a] >= 0 && this.background[b] >= 0) {
      const fa = a * this.words;
      const fb = b * this.words;
      for (let w = 0; w < this.words; w++) {
        let union = this.foreground[fa + w] | this.foreground[fb + w];
        while (union !== 0) {
          const bit = 31 - Math.clz32(union & -union);
          union &= union - 1;
          const va = grey[oa + w * 32 + bit];
          const vb = grey[ob + w * 32 + bit];
          n++;
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      if (n < BLANK_SHARE * pixels) return this.meanDifference(oa, ob) <= NEAR_DUPLICATE_SETTINGS.maxBlankDifference;
    } else {
      n = pixels;
      for (let p = 0; p < pixels; p++) {
        const va = grey[oa + p];
        const vb = grey[ob + p];
        sa += va;
        sb += vb;
        saa += va * va;
        sbb += vb * vb;
        sab += va * vb;
      }
    }
    const varianceA = saa - (sa * sa) / n;
    const varianceB = sbb - (sb * sb) / n;
    // One flat level each over the compared pixels: the same foreground shape (a bitmap in two tones).
    if (varianceA <= 1e-9 || varianceB <= 1e-9) return varianceA <= 1e-9 && varianceB <= 1e-9;
    return (sab - (sa * sb) / n) / Math.sqrt(varianceA * varianceB) >= NEAR_DUPLICATE_SETTINGS.minCorrelation;
  }

  private meanDifference(oa: number, ob: number): number {
    let sum = 0;
    for (let p = 0; p < this.pixels; p++) sum += Math.abs(this.grey[oa + p] - this.grey[ob + p]);
    return sum / this.pixels;
  }

  /**
   * Groups of near-identical items among `items` (connected by confirmed pairs). The Hamming
   * distance starts at NEAR_DUPLICATE_SETTINGS.maxHammingDistance and is lowered while the hashes are
   * so alike (plain digits, flat images) that comparing would exceed the budget.
   */
  async findGroups(items: Int32Array, options: { signal?: AbortSignal; onProgress?(done: number, total: number): void } = {}): Promise<NearDuplicateGroups> {
    const { maxHammingDistance, comparisonBudget } = NEAR_DUPLICATE_SETTINGS;
    let maxDistance = maxHammingDistance;
    let comparisons = countComparisons(this.high, this.low, items, maxDistance);
    while (comparisons > comparisonBudget && maxDistance > MIN_DISTANCE) {
      options.signal?.throwIfAborted();
      maxDistance--;
      comparisons = countComparisons(this.high, this.low, items, maxDistance);
    }
    if (comparisons > 10 * comparisonBudget) {
      return {
        groups: [],
        warning: `Near-duplicates were not searched: the images' difference hashes are too alike ` +
          `(${comparisons.toExponential(1)} comparisons even at a Hamming distance of ${MIN_DISTANCE}).`,
      };
    }
    const pairs = await findNearPairs(this.high, this.low, items, {
      maxDistance, confirm: (a, b) => this.similar(a, b), signal: options.signal, onProgress: options.onProgress,
    });
    const sets = new UnionFind(this.high.length);
    for (const [a, b] of pairs) sets.union(a, b);
    const byRoot = new Map<number, number[]>();
    const grouped = new Uint8Array(this.high.length);
    for (const id of pairs.flat()) {
      if (grouped[id]) continue;
      grouped[id] = 1;
      const root = sets.find(id);
      let group = byRoot.get(root);
      if (!group) byRoot.set(root, group = []);
      group.push(id);
    }
    const groups = [...byRoot.values()].map((g) => g.sort((x, y) => x - y)).sort((x, y) => x[0] - y[0]);
    const warning = maxDistance < maxHammingDistance
      ? `Near-duplicates were searched within a Hamming distance of ${maxDistance} (not ${maxHammingDistance}): the images' difference hashes are very alike.`
      : undefined;
    return { groups, maxDistance, warning };
  }
}
