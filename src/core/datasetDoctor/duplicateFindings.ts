// Turns groups of identical or near-identical images into findings: within a class, across classes
// (a label conflict) and across the train and test splits (leakage).
import type { DuplicateFinding, ImageRef } from './datasetReport';
import { listNames, shortName } from './findingText';

/** Groups of the same content hash with two or more members. */
export function exactGroups(hashes: readonly (string | undefined)[], ids: Iterable<number>): number[][] {
  const byHash = new Map<string, number[]>();
  for (const id of ids) {
    const hash = hashes[id];
    if (hash === undefined) continue;
    let group = byHash.get(hash);
    if (!group) byHash.set(hash, group = []);
    group.push(id);
  }
  return [...byHash.values()].filter((group) => group.length > 1);
}

/** A name for an image in a list: its path under the root, plus its class when the path does not show it. */
function nameOf(root: string, image: ImageRef, withClass: boolean): string {
  const name = shortName(root, image.source);
  return withClass && name.includes('#') ? `${name} ('${image.className}')` : name;
}

/**
 * The findings of one group: `trainTestLeak` when it spans both splits, `crossClassDuplicate` when it
 * spans classes (both when it does both), else `duplicate` (exact) or `nearDuplicate`.
 */
export function groupFindings(root: string, images: ImageRef[], exact: boolean): DuplicateFinding[] {
  const files = images.map((image) => image.source);
  const classes = [...new Set(images.map((image) => image.className))];
  const splits = new Set(images.map((image) => image.split));
  const same = exact ? 'Identical' : 'Near-identical';
  const findings: DuplicateFinding[] = [];
  if (splits.size > 1) {
    const names = listNames(images.map((image) => nameOf(root, image, classes.length > 1)));
    findings.push({
      kind: 'trainTestLeak', files, exact, images,
      message: `${same} images in both train and test: ${names}. The test split measures images the model trained on.`,
    });
  }
  if (classes.length > 1) {
    const names = listNames(images.map((image) => nameOf(root, image, true)));
    findings.push({
      kind: 'crossClassDuplicate', files, exact, images,
      message: `${same} images labelled ${listNames(classes.map((c) => `'${c}'`))}: ${names}. At most one label can be right.`,
    });
  }
  if (findings.length === 0) {
    const names = listNames(images.map((image) => nameOf(root, image, false)));
    findings.push({
      kind: exact ? 'duplicate' : 'nearDuplicate', files, exact, images,
      message: `${images.length} ${exact ? 'identical' : 'near-identical'} images in class '${classes[0]}' (${images[0].split}): ${names}.` +
        (exact ? ' Keep one.' : ' They count several times in training.'),
    });
  }
  return findings;
}
