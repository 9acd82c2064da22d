// Folders in the workspace that look like datasets, for the New Training Run picker. Reads folder
// listings only (no file contents), a bounded number of them, so it stays quick on large workspaces.
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { findCifarLayout } from '../../core/data/cifarLayout';
import { findIdxLayout } from '../../core/data/idxLayout';
import { SUPPORTED_IMAGE_EXTENSIONS } from '../../core/data/imageFormat';

export interface FindDatasetFoldersOptions {
  /** Folder levels below each root to look at (the root itself is level 0). */
  maxDepth?: number;
  /** Stop after this many folders have been listed. */
  maxFolders?: number;
  maxResults?: number;
}

const SKIPPED = new Set(['node_modules', '__MACOSX', 'dist', 'out', 'build']);
const TRAIN_NAMES = new Set(['train', 'training']);

async function list(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
  } catch {
    return [];
  }
}

function subfolders(entries: Dirent[]): Dirent[] {
  return entries.filter((entry) => entry.isDirectory() && !SKIPPED.has(entry.name));
}

async function holdsImages(dir: string): Promise<boolean> {
  return (await list(dir)).some((entry) => entry.isFile() && SUPPORTED_IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase()));
}

/** Class folders (at least two, images directly inside the first few) at `dir`, or under its train/ folder. */
async function isFolderDataset(dir: string, entries: Dirent[]): Promise<boolean> {
  let classes = subfolders(entries);
  let classRoot = dir;
  const train = classes.find((entry) => TRAIN_NAMES.has(entry.name.toLowerCase()));
  if (train) {
    classRoot = join(dir, train.name);
    classes = subfolders(await list(classRoot));
  }
  if (classes.length < 2) return false;
  const sample = classes.slice(0, 3);
  const withImages = await Promise.all(sample.map((entry) => holdsImages(join(classRoot, entry.name))));
  return withImages.filter(Boolean).length >= Math.min(2, sample.length);
}

async function isDataset(dir: string, entries: Dirent[]): Promise<boolean> {
  try {
    if (await findCifarLayout(dir, 'cifar10') || await findCifarLayout(dir, 'cifar100') || await findIdxLayout(dir)) return true;
    return await isFolderDataset(dir, entries);
  } catch {
    // Unreadable (permissions, a folder removed meanwhile): not offered.
    return false;
  }
}

/** Dataset folders under `roots`, breadth first (shallow ones first); a dataset's own sub-folders are not searched. */
export async function findDatasetFolders(roots: readonly string[], options: FindDatasetFoldersOptions = {}): Promise<string[]> {
  const maxDepth = options.maxDepth ?? 3;
  let budget = options.maxFolders ?? 400;
  const maxResults = options.maxResults ?? 20;
  const found: string[] = [];
  let level = roots.map((dir) => ({ dir, depth: 0 }));
  while (level.length > 0 && budget > 0 && found.length < maxResults) {
    const next: { dir: string; depth: number }[] = [];
    for (const { dir, depth } of level) {
      if (budget-- <= 0 || found.length >= maxResults) break;
      const entries = await list(dir);
      if (await isDataset(dir, entries)) {
        found.push(dir);
        continue;
      }
      if (depth < maxDepth) for (const entry of subfolders(entries)) next.push({ dir: join(dir, entry.name), depth: depth + 1 });
    }
    level = next;
  }
  return found;
}
