// Expands what the user picked for Classify Image (image files and folders) into the image files to
// classify, each with a label to show, and a title for the tab. Folders are walked as the CLI walks them.
import { promises as fs } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isImagePath, listImageFiles } from '../../../core/classify/listImageFiles';

export interface ImageFile {
  path: string;
  /** Relative to the picked folder (or the file name), for display. */
  label: string;
}

export interface CollectedImages {
  files: ImageFile[];
  /** Picked files that are not images by their extension. */
  notImages: string[];
  /** True when the picks held more images than the limit and the rest were left out. */
  truncated: boolean;
  /** In the user's words: "cat.png", "3 images" or "test (1,000 images)". */
  title: string;
}

export async function collectImageFiles(paths: readonly string[], limit = 10_000): Promise<CollectedImages> {
  const files: ImageFile[] = [];
  const notImages: string[] = [];
  let truncated = false;
  let folders = 0;
  for (const path of new Set(paths)) {
    const stat = await fs.stat(path).catch(() => undefined);
    if (stat?.isDirectory()) {
      folders += 1;
      const found = await listImageFiles(path, limit - files.length);
      truncated ||= found.truncated;
      // Labels relative to the folder, prefixed with its name when several things were picked.
      for (const file of found.files) files.push({ path: file, label: paths.length > 1 ? join(basename(path), relative(path, file)) : relative(path, file) });
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
