// A small random forest of regression trees (CART on bootstrap samples) with out-of-bag permutation
// importance: enough for the few dozen rows a sweep has, seeded so the same trials give the same answer.
import { seededStream } from '../train/seededRandom';

/** A split sends a row left when its value is at most `threshold` (numbers) or is one of `leftCategories`. */
type TreeNode =
  | { value: number }
  | { feature: number; threshold: number; leftCategories?: ReadonlySet<number>; left: TreeNode; right: TreeNode };

export interface ForestOptions {
  trees?: number;
  /** Smallest number of rows a leaf may hold. */
  minLeaf?: number;
  maxDepth?: number;
  seed?: number;
  /** Columns holding category numbers rather than quantities (split by sets of categories). */
  categorical?: readonly boolean[];
}

interface Tree {
  root: TreeNode;
  /** Rows left out of this tree's bootstrap sample. */
  outOfBag: number[];
}

function goesLeft(node: Exclude<TreeNode, { value: number }>, value: number): boolean {
  return node.leftCategories ? node.leftCategories.has(value) : value <= node.threshold;
}

function predict(node: TreeNode, row: readonly number[]): number {
  let current = node;
  while (!('value' in current)) current = goesLeft(current, row[current.feature]) ? current.left : current.right;
  return current.value;
}

/**
 * The order a split scans a column in: numbers by value; categories by their mean target among these
 * rows (CART's rule: the best split of categories into two groups is a cut of that order), computed
 * from the rows at hand only, so rows a tree never saw cannot shape its splits.
 */
function splitKey(x: readonly (readonly number[])[], y: readonly number[], rows: readonly number[], feature: number, categorical: boolean): (row: number) => number {
  if (!categorical) return (row) => x[row][feature];
  const sums = new Map<number, { sum: number; count: number }>();
  for (const row of rows) {
    const entry = sums.get(x[row][feature]) ?? { sum: 0, count: 0 };
    entry.sum += y[row];
    entry.count += 1;
    sums.set(x[row][feature], entry);
  }
  const order = new Map([...sums.entries()].sort((a, b) => a[1].sum / a[1].count - b[1].sum / b[1].count || a[0] - b[0]).map(([category], i) => [category, i]));
  return (row) => order.get(x[row][feature])!;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Picks `count` distinct features out of `total` at random. */
function sampleFeatures(total: number, count: number, random: () => number): number[] {
  const all = Array.from({ length: total }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count);
}

function buildTree(
  x: readonly (readonly number[])[], y: readonly number[], rows: number[], depth: number,
  options: Required<ForestOptions>, featuresPerSplit: number, random: () => number,
): TreeNode {
  const leaf = { value: mean(rows.map((r) => y[r])) };
  if (depth >= options.maxDepth || rows.length < 2 * options.minLeaf) return leaf;
  let best: { feature: number; threshold: number; key: (row: number) => number; sse: number } | undefined;
  const features = sampleFeatures(x[0].length, featuresPerSplit, random);
  for (const feature of features) {
    const key = splitKey(x, y, rows, feature, options.categorical[feature] ?? false);
    const sorted = [...rows].sort((a, b) => key(a) - key(b));
    const total = sorted.reduce((sum, r) => sum + y[r], 0);
    const totalSquares = sorted.reduce((sum, r) => sum + y[r] * y[r], 0);
    let leftSum = 0;
    let leftSquares = 0;
    for (let i = 0; i < sorted.length - 1; i++) {
      const yi = y[sorted[i]];
      leftSum += yi;
      leftSquares += yi * yi;
      const leftCount = i + 1;
      const rightCount = sorted.length - leftCount;
      const here = key(sorted[i]);
      const next = key(sorted[i + 1]);
      if (here === next || leftCount < options.minLeaf || rightCount < options.minLeaf) continue;
      const rightSum = total - leftSum;
      // Sum of squared errors of both sides around their means.
      const sse = (leftSquares - (leftSum * leftSum) / leftCount) + (totalSquares - leftSquares - (rightSum * rightSum) / rightCount);
      if (!best || sse < best.sse - 1e-12) best = { feature, threshold: (here + next) / 2, key, sse };
    }
  }
  if (!best) return leaf;
  const parentSse = rows.reduce((sum, r) => sum + (y[r] - leaf.value) ** 2, 0);
  if (best.sse >= parentSse - 1e-12) return leaf;
  const split = best;
  const left = rows.filter((r) => split.key(r) <= split.threshold);
  const right = rows.filter((r) => split.key(r) > split.threshold);
  const categorical = options.categorical[split.feature] ?? false;
  return {
    feature: split.feature,
    threshold: split.threshold,
    ...(categorical ? { leftCategories: new Set(left.map((r) => x[r][split.feature])) } : {}),
    left: buildTree(x, y, left, depth + 1, options, featuresPerSplit, random),
    right: buildTree(x, y, right, depth + 1, options, featuresPerSplit, random),
  };
}

/**
 * Permutation importance of each feature (column of `x`) for predicting `y`: for every tree, how much
 * its squared error on the rows it never saw (out of bag) grows when that feature's values are shuffled
 * among those rows; averaged over trees, weighted by out-of-bag rows. Features the target does not depend
 * on come out near 0 (they can be slightly negative by chance). Each split considers a random two-thirds
 * of the features.
 */
export function forestPermutationImportance(x: readonly (readonly number[])[], y: readonly number[], forestOptions: ForestOptions = {}): number[] {
  const features = x[0]?.length ?? 0;
  const options: Required<ForestOptions> = { trees: 300, minLeaf: 2, maxDepth: 8, seed: 0, categorical: [], ...forestOptions };
  const n = y.length;
  const increase = new Array<number>(features).fill(0);
  if (n < 4 || features === 0) return increase;
  const random = seededStream(options.seed, 'importance-forest');
  const featuresPerSplit = Math.max(1, Math.ceil((2 * features) / 3));
  const trees: Tree[] = [];
  for (let t = 0; t < options.trees; t++) {
    const inBag = Array.from({ length: n }, () => Math.floor(random() * n));
    const inBagSet = new Set(inBag);
    const outOfBag = Array.from({ length: n }, (_, i) => i).filter((i) => !inBagSet.has(i));
    if (outOfBag.length < 2) continue;
    trees.push({ root: buildTree(x, y, inBag, 0, options, featuresPerSplit, random), outOfBag });
  }
  let weight = 0;
  for (const tree of trees) {
    const rows = tree.outOfBag;
    const baseline = rows.reduce((sum, r) => sum + (predict(tree.root, x[r]) - y[r]) ** 2, 0);
    for (let f = 0; f < features; f++) {
      const shuffled = rows.map((r) => x[r][f]);
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const permuted = rows.reduce((sum, r, k) => {
        const row = [...x[r]];
        row[f] = shuffled[k];
        return sum + (predict(tree.root, row) - y[r]) ** 2;
      }, 0);
      increase[f] += permuted - baseline;
    }
    weight += rows.length;
  }
  return weight === 0 ? increase : increase.map((value) => value / weight);
}
