// Expands what the user picked (image files and folders) into the image files to classify.
import { promises as fs } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { SUPPORTED_IMAGE_EXTENSIONS } from '../../core/data/imageFormat';

export interface ImageFile {
  path: string;
  /** Relative to the picked folder (or the file name), for display. */
  label: string;
}

export interface CollectedImages {
  files: ImageFile[];
  /** Picked files that are not images by their extension. */
  notImages: string[];
  /** True when a folder held more images than `limit` and the rest were left out. */
  truncated: boolean;
  /** In the user's words: "cat.png", "3 images" or "test (1,000 images)". */
  title: string;
}

/** Folders never searched: version control, dependencies and the runs folder. */
const SKIPPED_FOLDERS = new Set(['node_modules', '__MACOSX']);

export function isImagePath(path: string): boolean {
  return SUPPORTED_IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

async function walk(root: string, dir: string, out: ImageFile[], limit: number): Promise<boolean> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (await walk(root, path, out, limit)) return true;
    } else if (entry.isFile() && isImagePath(entry.name)) {
      if (out.length >= limit) return true;
      out.push({ path, label: relative(root, path) });
    }
  }
  return false;
}

export async function collectImageFiles(paths: readonly string[], limit = 10_000): Promise<CollectedImages> {
  const files: ImageFile[] = [];
  const notImages: string[] = [];
  let truncated = false;
  const seen = new Set<string>();
  let folders = 0;
  for (const path of paths) {
    if (seen.has(path)) continue;
    seen.add(path);
    const stat = await fs.stat(path).catch(() => undefined);
    if (stat?.isDirectory()) {
      folders += 1;
      const before = files.length;
      truncated = (await walk(path, path, files, limit)) || truncated;
      // Labels relative to the folder, prefixed with its name when several things were picked.
      if (paths.length > 1) for (let i = before; i < files.length; i++) files[i].label = join(basename(path), files[i].label);
    } else if (isImagePath(path)) {
      if (files.length < limit) files.push({ path, label: basename(path) });
      else truncated = true;
    } else {
      notImages.push(path);
    }
  }
  const count = `${files.length.toLocaleString('en-US')} image${files.length === 1 ? '' : 's'}`;
  const title = files.length === 1 && folders === 0 ? files[0].label
    : paths.length === 1 && folders === 1 ? `${basename(paths[0])} (${count})`
      : count;
  return { files, notImages, truncated, title };
}
