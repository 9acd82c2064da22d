// Which dataset images a run's dashboard may show. Paths in run files (run.json's dataset root,
// predictions.json's sources) are untrusted: a crafted run could name /etc/passwd or a private key. A
// dashboard shows a sample only when its real path lies inside the run's real dataset root, and that
// root only when it lies inside a workspace folder or a folder the user chose (the dataset picker, or an
// explicit confirmation), is not the file system root or a home folder (or above one), and is not inside
// a hidden folder of the workspace (.ssh, .git). No VS Code API here.
import { promises as fs } from 'node:fs';
import { isAbsolute, parse, relative, resolve, sep } from 'node:path';
import { isImagePath } from '../../../core/classify/listImageFiles';
import { parseExampleSource } from '../../../core/inspect/examplePixels';
import type { RunRecord } from '../../../core/runs/runRecord';

/** Folders whose datasets may be shown: absolute paths, as the editor knows them. */
export interface ImageFolders {
  /** The workspace's folders on disk. */
  workspaceFolders: readonly string[];
  /** Folders the user chose: datasets picked in New Training Run, folders confirmed in a dashboard. */
  chosenFolders: readonly string[];
  /** The user's home folder: never a dataset root, nor any folder above it. */
  home: string;
}

export type DatasetImagesAccess =
  /** `root` is the dataset root's real path: the page may load files below it. */
  | { shown: true; root: string }
  /** Why not; `folder` (a real path) and `canAllow` when the user may choose to show it. */
  | { shown: false; reason: string; folder?: string; canAllow: boolean };

/** True when `path` is `folder` or lies below it (both absolute and resolved). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The file system root, a home folder, or a folder above a home folder: far too much to hand a page. */
export function isTooBroad(path: string, home: string): boolean {
  const resolved = resolve(path);
  return resolved === parse(resolved).root || isInside(resolve(home), resolved);
}

async function realPath(path: string): Promise<string | undefined> {
  return fs.realpath(path).catch(() => undefined);
}

async function realFolders(paths: readonly string[]): Promise<string[]> {
  const found = await Promise.all(paths.filter((path) => isAbsolute(path)).map(realPath));
  return found.filter((path): path is string => path !== undefined);
}

/** The run's recorded dataset root (absolute), if any. */
export function recordedDatasetRoot(run: RunRecord | undefined): string | undefined {
  const root = run?.dataset?.root;
  return typeof root === 'string' && isAbsolute(root) ? root : undefined;
}

/** Whether the dashboard of `run` may show images of its dataset, and from which real folder. */
export async function datasetImagesAccess(run: RunRecord | undefined, folders: ImageFolders): Promise<DatasetImagesAccess> {
  const recorded = recordedDatasetRoot(run);
  if (recorded === undefined) return { shown: false, reason: 'The run does not name its dataset folder yet.', canAllow: false };
  const root = await realPath(recorded);
  if (root === undefined) return { shown: false, reason: `The dataset folder ${recorded} is not there.`, canAllow: false };
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) return { shown: false, reason: `The dataset root ${recorded} is not a folder.`, canAllow: false };
  if (isTooBroad(root, folders.home)) {
    return { shown: false, reason: `The run names ${root} as its dataset folder: images are never shown from the file system root or a home folder.`, folder: root, canAllow: false };
  }
  for (const chosen of await realFolders(folders.chosenFolders)) {
    if (!isTooBroad(chosen, folders.home) && isInside(root, chosen)) return { shown: true, root };
  }
  for (const workspace of await realFolders(folders.workspaceFolders)) {
    if (!isInside(root, workspace)) continue;
    // Inside the workspace, but not in a hidden folder of it (a home folder opened as the workspace holds .ssh).
    const hidden = relative(workspace, root).split(sep).some((segment) => segment.startsWith('.'));
    if (!hidden && !isTooBroad(root, folders.home)) return { shown: true, root };
  }
  return {
    shown: false,
    reason: `The dataset folder ${root} is outside this workspace, and you have not chosen to show images from it.`,
    folder: root,
    canAllow: true,
  };
}

/**
 * The real path of a sample's file when it is a file inside the dataset's real `root` (images by their
 * extension; binary datasets' `file#index` records by their file), else undefined.
 */
export async function resolveSampleFile(source: string, root: string): Promise<string | undefined> {
  const inFile = parseExampleSource(source);
  const file = inFile ? inFile.file : source;
  if (!isAbsolute(file) || (!inFile && !isImagePath(file))) return undefined;
  const real = await realPath(file);
  if (real === undefined || !isInside(real, root) || (!inFile && !isImagePath(real))) return undefined;
  const stat = await fs.stat(real).catch(() => undefined);
  return stat?.isFile() ? real : undefined;
}
