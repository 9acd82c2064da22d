// Where "Move to Class…" puts an image of a folder dataset: the same place under another class folder of
// the same split (`train/cat/a.png` -> `train/dog/a.png`), with a free name when one is taken. No VS Code API here.
import { extname, join, relative, sep } from 'node:path';
import { TEST_NAMES, TRAIN_NAMES, VAL_NAMES } from '../../../core/data/folderScan';
import type { ImageRef } from '../../../protocol/datasetView';

const SPLIT_FOLDERS = new Set([...TRAIN_NAMES, ...TEST_NAMES, ...VAL_NAMES]);

/**
 * The path `image` moves to under class `target`: its class folder is the folder of its path below the
 * root's split folder (train/, test/...), else below the root, named after its class; what lies below
 * that (sub-folders, the file name) stays. Undefined when the path has no such folder.
 */
export function moveTarget(root: string, image: ImageRef, target: string): string | undefined {
  const parts = relative(root, image.source).split(sep);
  const split = SPLIT_FOLDERS.has(parts[0]?.toLowerCase() ?? '') && parts[1] === image.className;
  const at = split ? 1 : parts[0] === image.className ? 0 : -1;
  if (at < 0 || parts.length < at + 2 || parts.includes('..')) return undefined;
  return join(root, ...parts.slice(0, at), target, ...parts.slice(at + 1));
}

/** `path`, or `name (2).ext`, `name (3).ext`... beside it: the first that `exists` says is free. */
export async function freePath(path: string, exists: (path: string) => Promise<boolean>): Promise<string> {
  if (!(await exists(path))) return path;
  const extension = extname(path);
  const stem = path.slice(0, path.length - extension.length);
  for (let n = 2; ; n++) {
    const candidate = `${stem} (${n})${extension}`;
    if (!(await exists(candidate))) return candidate;
  }
}

