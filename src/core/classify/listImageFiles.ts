// The images in a folder, as both the command line and the editor classify them: recursively, in one
// stable order (by name, code unit by code unit), skipping hidden files and folders, dependency folders
// and macOS archive debris.
import { promises as fs } from 'node:fs';
import { extname, join } from 'node:path';
import { SUPPORTED_IMAGE_EXTENSIONS } from '../data/imageFormat';

/** Folders never searched (dot-named ones neither). */
const SKIPPED_FOLDERS = new Set(['node_modules', '__MACOSX']);

/** Whether the path names an image file Classifier Lab reads, by its extension. */
export function isImagePath(path: string): boolean {
  return SUPPORTED_IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
}

/** The image files below `folder`, at most `limit` of them; `truncated` when more were left out. */
export async function listImageFiles(folder: string, limit = Number.POSITIVE_INFINITY): Promise<{ files: string[]; truncated: boolean }> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<boolean> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED_FOLDERS.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (await walk(path)) return true;
      } else if (entry.isFile() && isImagePath(entry.name)) {
        if (files.length >= limit) return true;
        files.push(path);
      }
    }
    return false;
  };
  const truncated = await walk(folder);
  return { files, truncated };
}
