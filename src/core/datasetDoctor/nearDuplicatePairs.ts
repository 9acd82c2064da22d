// Finds pairs of 64-bit hashes within a Hamming distance without comparing every pair: multi-index
// hashing. The bits are dealt into maxDistance + 1 blocks; two hashes that differ in at most
// maxDistance bits agree completely on at least one block (pigeonhole), so only hashes that share a
// block value are compared.
import { popCount32 } from './imageFingerprint';

export interface NearPairSearch {
  /** Largest Hamming distance (of 64 bits) of a candidate pair. */
  maxDistance: number;
  /** Confirms a candidate pair of items (their hashes are within maxDistance); false drops it. */
  confirm(a: number, b: number, distance: number): boolean;
  signal?: AbortSignal;
  /** Blocks searched of all blocks. */
  onProgress?(done: number, total: number): void;
}

/** Block values must fit a counting sort: 64 / (distance + 1) bits at most 22. */
export const MIN_DISTANCE = 2;
export const MAX_DISTANCE = 15;

const yieldToEventLoop = (): Promise<void> => new Promise((done) => setImmediate(done));

/**
 * Block values of every item: block b holds bits b, b + blocks, b + 2 * blocks... of the hash, so
 * each block samples the whole image (a block of neighbouring bits would be constant for every image
 * with a plain border, such as handwritten digits, and put them all in one bucket).
 */
function blockValues(high: Uint32Array, low: Uint32Array, items: Int32Array, blocks: number): Int32Array[] {
  const values = Array.from({ length: blocks }, () => new Int32Array(items.length));
  for (let k = 0; k < items.length; k++) {
    const item = items[k];
    for (let bit = 0; bit < 64; bit++) {
      const set = bit < 32 ? (low[item] >>> bit) & 1 : (high[item] >>> (bit - 32)) & 1;
      const block = bit % blocks;
      values[block][k] = (values[block][k] << 1) | set;
    }
  }
  return values;
}

/** The positions of `values` grouped by value (a counting sort): members of value v are order[starts[v]..starts[v+1]). */
function bucketsOf(values: Int32Array, bits: number): { starts: Int32Array; order: Int32Array } {
  const starts = new Int32Array((1 << bits) + 1);
  for (const value of values) starts[value + 1]++;
  for (let v = 0; v < 1 << bits; v++) starts[v + 1] += starts[v];
  const fill = starts.slice(0, -1);
  const order = new Int32Array(values.length);
  values.forEach((value, k) => { order[fill[value]++] = k; });
  return { starts, order };
}

/**
 * How many pairs `findNearPairs` would compare for `maxDistance`: the pairs that share a block value,
 * summed over the blocks. Counting is cheap; comparing is what takes time.
 */
export function countComparisons(high: Uint32Array, low: Uint32Array, items: Int32Array, maxDistance: number): number {
  const blocks = maxDistance + 1;
  const values = blockValues(high, low, items, blocks);
  let comparisons = 0;
  for (let b = 0; b < blocks; b++) {
    const { starts } = bucketsOf(values[b], Math.ceil((64 - b) / blocks));
    for (let v = 0; v + 1 < starts.length; v++) {
      const size = starts[v + 1] - starts[v];
      comparisons += (size * (size - 1)) / 2;
    }
  }
  return comparisons;
}

/**
 * Every confirmed pair [a, b] of items (a listed before b in `items`) whose hashes are at most
 * `maxDistance` bits apart, each pair once.
 */
export async function findNearPairs(high: Uint32Array, low: Uint32Array, items: Int32Array, search: NearPairSearch): Promise<[number, number][]> {
  const { maxDistance } = search;
  if (!Number.isInteger(maxDistance) || maxDistance < MIN_DISTANCE || maxDistance > MAX_DISTANCE) {
    throw new RangeError(`maxDistance must be a whole number from ${MIN_DISTANCE} to ${MAX_DISTANCE} (got ${maxDistance})`);
  }
  const blocks = maxDistance + 1;
  const values = blockValues(high, low, items, blocks);
  const pairs: [number, number][] = [];
  // The hashes in bucket order, so the inner loop reads memory in sequence.
  const highs = new Uint32Array(items.length);
  const lows = new Uint32Array(items.length);
  for (let b = 0; b < blocks; b++) {
    await yieldToEventLoop();
    search.signal?.throwIfAborted();
    const { starts, order } = bucketsOf(values[b], Math.ceil((64 - b) / blocks));
    for (let x = 0; x < order.length; x++) {
      highs[x] = high[items[order[x]]];
      lows[x] = low[items[order[x]]];
    }
    for (let v = 0; v + 1 < starts.length; v++) {
      const to = starts[v + 1];
      for (let x = starts[v]; x < to; x++) {
        const hx = highs[x];
        const lx = lows[x];
        for (let y = x + 1; y < to; y++) {
          const distance = popCount32(hx ^ highs[y]) + popCount32(lx ^ lows[y]);
          if (distance > maxDistance) continue;
          const kx = order[x];
          const ky = order[y];
          // Found through an earlier block already?
          let seen = false;
          for (let e = 0; e < b && !seen; e++) seen = values[e][kx] === values[e][ky];
          if (seen) continue;
          const [first, second] = kx < ky ? [items[kx], items[ky]] : [items[ky], items[kx]];
          if (search.confirm(first, second, distance)) pairs.push([first, second]);
        }
      }
    }
    search.onProgress?.(b + 1, blocks);
  }
  return pairs;
}
