// Finds the IDX files of an MNIST-family dataset: `<prefix>train-images-idx3-ubyte` with its
// `...-labels-idx1-ubyte`, `t10k-` or `test-` for the test split; `.` or `_` may replace the
// dashes (train-images.idx3-ubyte) and each file may be gzipped (.gz).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from './dataset';

export interface IdxPair {
  images: string;
  labels: string;
}

export interface IdxLayout {
  dir: string;
  train?: IdxPair;
  test?: IdxPair;
}

const IMAGES = /^(.*?)(train|t10k|test)[-_.]images[-_.]idx[34][-_.]ubyte(\.gz)?$/i;
const LABELS = /^(.*?)(train|t10k|test)[-_.]labels[-_.]idx1[-_.]ubyte(\.gz)?$/i;

interface Candidate {
  name: string;
  prefix: string;
  role: 'train' | 'test';
  gz: boolean;
}

function parse(name: string, pattern: RegExp): Candidate | undefined {
  const match = pattern.exec(name);
  if (!match) return undefined;
  return { name, prefix: match[1].toLowerCase(), role: match[2].toLowerCase() === 'train' ? 'train' : 'test', gz: Boolean(match[3]) };
}

/** Of several copies of one file, the uncompressed one (`gunzip -k` leaves both). */
function pick(candidates: Candidate[], what: string, dir: string): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const prefixes = [...new Set(candidates.map((c) => c.prefix))];
  if (prefixes.length > 1) {
    throw new DatasetError(
      `Several IDX ${what} files in ${dir} (${candidates.map((c) => c.name).join(', ')}): keep one dataset per folder.`,
    );
  }
  return candidates.find((c) => !c.gz) ?? candidates[0];
}

function pairFor(role: 'train' | 'test', images: Candidate[], labels: Candidate[], dir: string): IdxPair | undefined {
  const image = pick(images.filter((c) => c.role === role), `${role} image`, dir);
  if (!image) return undefined;
  const label = pick(labels.filter((c) => c.role === role && c.prefix === image.prefix), `${role} label`, dir);
  if (!label) {
    throw new DatasetError(
      `${join(dir, image.name)} has no labels file next to it (expected ${image.name.replace(/images([-_.])idx[34]/i, 'labels$1idx1')}).`,
    );
  }
  return { images: join(dir, image.name), labels: join(dir, label.name) };
}

/** The IDX files in `dir`, or undefined when there are no IDX image files. */
export async function findIdxLayout(dir: string): Promise<IdxLayout | undefined> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() || e.isSymbolicLink())
    .map((e) => e.name)
    .sort();
  const images = names.flatMap((n) => parse(n, IMAGES) ?? []);
  if (images.length === 0) return undefined;
  const labels = names.flatMap((n) => parse(n, LABELS) ?? []);
  return { dir, train: pairFor('train', images, labels, dir), test: pairFor('test', images, labels, dir) };
}
