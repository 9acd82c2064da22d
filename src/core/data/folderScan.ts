// Finds the classes and image files of a folder dataset without decoding anything: one sub-folder
// per class (searched recursively), optionally under train/ and test/ (or val/) sub-trees.
// Symbolic links are followed only where they stay: a class's links inside that class's folder (so a
// link to `..` cannot pull other classes' images in, nor loop), a class folder's link inside the
// dataset and outside every other class. Links that leave are skipped and named.
import { readdir, stat, realpath } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { DatasetError, type SkippedFile } from './dataset';
import {
  IMAGE_MAGIC_BYTES, OTHER_IMAGE_EXTENSIONS, SUPPORTED_FORMATS_TEXT, SUPPORTED_IMAGE_EXTENSIONS, imageFormatName,
  isSupportedImageFormat, sniffImageFormat,
} from './imageFormat';
import { readFileStart } from './readFileStart';
import { requireFolder } from './requireFolder';

export interface ScannedClass {
  name: string;
  /** Absolute paths of the class's candidate image files, sorted. */
  files: string[];
}

export interface FolderScan {
  root: string;
  /** Folder holding the training class folders: the root, or its train/ sub-tree. */
  trainRoot: string;
  /** The test/ (else val/) sub-tree, when the root is split. */
  testRoot?: string;
  /** Training classes sorted by name, including empty ones. */
  train: ScannedClass[];
  /** Class folders of the test sub-tree, sorted by name (may name classes unknown to train). */
  test: ScannedClass[];
  /** Files recognised as images the readers cannot decode, or images outside any class folder. */
  skipped: SkippedFile[];
  /** Folders at the root that are neither the train nor the test sub-tree of a split dataset. */
  ignoredFolders: string[];
}

export const TRAIN_NAMES = ['train', 'training'];
export const TEST_NAMES = ['test', 'testing'];
export const VAL_NAMES = ['val', 'valid', 'validation'];

/** System clutter that is never a class or an image (dot-files such as .DS_Store are skipped too). */
function isClutter(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX' || name === 'Thumbs.db' || name === 'desktop.ini';
}

// Plain code-point order: the same on every machine and locale.
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Entry {
  name: string;
  path: string;
  isDirectory: boolean;
  /** The resolved target of a symbolic link. */
  linkTarget?: string;
}

/** True when `path` is `folder` or lies inside it (both real paths). */
function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * Non-clutter entries of a folder, sorted. A symbolic link is resolved and kept only when its target
 * lies inside `within` (a real path); others go to `skipped`, broken ones are dropped.
 */
async function listFolder(folder: string, within: string, skipped: SkippedFile[], what: string): Promise<Entry[]> {
  const dirents = await readdir(folder, { withFileTypes: true });
  const entries: Entry[] = [];
  for (const dirent of dirents) {
    if (isClutter(dirent.name)) continue;
    const path = join(folder, dirent.name);
    let isDirectory = dirent.isDirectory();
    let linkTarget: string | undefined;
    if (dirent.isSymbolicLink()) {
      try {
        linkTarget = await realpath(path);
        isDirectory = (await stat(linkTarget)).isDirectory();
      } catch {
        continue;
      }
      if (!isInside(linkTarget, within)) {
        skipped.push({ path, reason: `a symbolic link to ${linkTarget}, outside ${what}: not followed` });
        continue;
      }
    } else if (!isDirectory && !dirent.isFile()) {
      continue; // sockets, fifos, devices
    }
    entries.push({ name: dirent.name, path, isDirectory, linkTarget });
  }
  return entries.sort((a, b) => byCodePoint(a.name, b.name));
}

type FileKind = { kind: 'image' } | { kind: 'skip'; reason: string } | { kind: 'ignore' };

/** Whether a file is a candidate image: by extension, else (names without an image extension) by magic bytes. */
async function classifyFile(path: string): Promise<FileKind> {
  const extension = extname(path).toLowerCase();
  if (SUPPORTED_IMAGE_EXTENSIONS.has(extension)) return { kind: 'image' };
  let start: Uint8Array;
  try {
    start = await readFileStart(path, IMAGE_MAGIC_BYTES);
  } catch {
    return OTHER_IMAGE_EXTENSIONS.has(extension) ? { kind: 'skip', reason: 'cannot be read' } : { kind: 'ignore' };
  }
  const format = sniffImageFormat(start);
  if (isSupportedImageFormat(format)) return { kind: 'image' };
  if (format) return { kind: 'skip', reason: `${imageFormatName(format)} images are not supported (convert to PNG or JPEG)` };
  if (OTHER_IMAGE_EXTENSIONS.has(extension)) {
    return { kind: 'skip', reason: `${extension.slice(1).toUpperCase()} files are not supported (convert to PNG or JPEG)` };
  }
  return { kind: 'ignore' };
}

/**
 * Candidate images under a class folder (whose real path is `classRoot`), recursively; other image-like
 * files and links leaving the class go to `skipped`. `ancestors` are the real paths of the folders
 * being walked: a link back to one of them would loop.
 */
async function collectImages(folder: string, classRoot: string, skipped: SkippedFile[], visited: Set<string>, ancestors: string[] = []): Promise<string[]> {
  const real = await realpath(folder);
  if (visited.has(real)) return []; // reached twice through links
  visited.add(real);
  const files: string[] = [];
  for (const entry of await listFolder(folder, classRoot, skipped, `its class folder ${classRoot}`)) {
    if (entry.isDirectory) {
      if (entry.linkTarget !== undefined && [...ancestors, real].some((a) => isInside(a, entry.linkTarget!))) {
        skipped.push({ path: entry.path, reason: `a symbolic link to ${entry.linkTarget}, a folder that contains it: not followed` });
        continue;
      }
      files.push(...(await collectImages(entry.path, classRoot, skipped, visited, [...ancestors, real])));
      continue;
    }
    const kind = await classifyFile(entry.path);
    if (kind.kind === 'image') files.push(entry.path);
    else if (kind.kind === 'skip') skipped.push({ path: entry.path, reason: kind.reason });
  }
  return files.sort(byCodePoint);
}

/**
 * The class folders of `folder` (the dataset root or its train/ or test/ tree, `datasetRoot` its real
 * root). A class folder that is a link must lead inside the dataset and must not be, contain or lie in
 * another class's folder (it would give that class's images a second label).
 */
async function scanClasses(folder: string, datasetRoot: string, skipped: SkippedFile[], signal?: AbortSignal): Promise<ScannedClass[]> {
  const entries = await listFolder(folder, datasetRoot, skipped, `the dataset folder ${datasetRoot}`);
  const folders = entries.filter((e) => e.isDirectory);
  const realOf = new Map<Entry, string>();
  for (const entry of folders) realOf.set(entry, entry.linkTarget ?? (await realpath(entry.path)));
  const classes: ScannedClass[] = [];
  for (const entry of entries) {
    signal?.throwIfAborted();
    if (entry.isDirectory) {
      const real = realOf.get(entry)!;
      if (entry.linkTarget !== undefined) {
        const clash = folders.find((other) => other !== entry && (isInside(realOf.get(other)!, real) || isInside(real, realOf.get(other)!)));
        if (clash || isInside(await realpath(folder), real)) {
          skipped.push({ path: entry.path, reason: `a symbolic link to ${real}, ${clash ? `overlapping the class folder ${clash.path}` : 'a folder that contains it'}: not followed` });
          continue;
        }
      }
      classes.push({ name: entry.name, files: await collectImages(entry.path, real, skipped, new Set()) });
    } else if ((await classifyFile(entry.path)).kind === 'image') {
      skipped.push({ path: entry.path, reason: 'not inside a class folder' });
    }
  }
  return classes;
}

function findFolder(entries: Entry[], names: readonly string[]): Entry | undefined {
  for (const name of names) {
    const found = entries.find((e) => e.isDirectory && e.name.toLowerCase() === name);
    if (found) return found;
  }
  return undefined;
}

export async function scanFolderDataset(root: string, signal?: AbortSignal): Promise<FolderScan> {
  await requireFolder(root);
  const realRoot = await realpath(root);
  const skipped: SkippedFile[] = [];
  // Links at the root (a train/ or test/ tree elsewhere) are checked by scanClasses as class folders are.
  const entries = await listFolder(root, realRoot, [], 'the dataset folder');
  const trainEntry = findFolder(entries, TRAIN_NAMES);
  const isSplit = trainEntry !== undefined && (await listFolder(trainEntry.path, realRoot, [], 'the dataset folder')).some((e) => e.isDirectory);
  if (!isSplit) {
    return { root, trainRoot: root, train: await scanClasses(root, realRoot, skipped, signal), test: [], skipped, ignoredFolders: [] };
  }
  const testEntry = findFolder(entries, TEST_NAMES) ?? findFolder(entries, VAL_NAMES);
  const train = await scanClasses(trainEntry.path, realRoot, skipped, signal);
  const test = testEntry ? await scanClasses(testEntry.path, realRoot, skipped, signal) : [];
  const ignoredFolders = entries
    .filter((e) => e.isDirectory && e !== trainEntry && e !== testEntry)
    .map((e) => e.path);
  return { root, trainRoot: trainEntry.path, testRoot: testEntry?.path, train, test, skipped, ignoredFolders };
}

/** Checks the classes of a scan: at least two, none empty, and no test class unknown to training. */
export function validateScan(scan: FolderScan): void {
  if (scan.train.length === 0) {
    const loose = scan.skipped.filter((s) => s.reason === 'not inside a class folder').length;
    throw new DatasetError(
      `No class folders in ${scan.trainRoot}: put each class's images in its own sub-folder named after the class` +
      (loose > 0 ? ` (found ${loose} images directly in the folder).` : '.'),
    );
  }
  const empty = scan.train.filter((c) => c.files.length === 0);
  if (empty.length > 0) {
    const names = empty.map((c) => `'${c.name}'`).join(', ');
    throw new DatasetError(
      `Class folder${empty.length > 1 ? 's' : ''} ${names} in ${scan.trainRoot} ` +
      `${empty.length > 1 ? 'contain' : 'contains'} no ${SUPPORTED_FORMATS_TEXT} images.`,
    );
  }
  if (scan.train.length < 2) {
    throw new DatasetError(
      `Only one class ('${scan.train[0].name}') in ${scan.trainRoot}: a classifier needs at least two class folders.`,
    );
  }
  const known = new Set(scan.train.map((c) => c.name));
  const unknown = scan.test.filter((c) => c.files.length > 0 && !known.has(c.name));
  if (unknown.length > 0) {
    throw new DatasetError(
      `Test class${unknown.length > 1 ? 'es' : ''} ${unknown.map((c) => `'${c.name}'`).join(', ')} in ` +
      `${scan.testRoot} ${unknown.length > 1 ? 'have' : 'has'} no training folder in ${scan.trainRoot}.`,
    );
  }
}

