// Expands the CLI's image arguments: files as given (even missing ones, reported per image later),
// folders to the image files inside them, walked as the editor's Classify Image walks them.
import { promises as fs } from 'node:fs';
import { listImageFiles } from '../core/classify/listImageFiles';
import { SUPPORTED_FORMATS_TEXT } from '../core/data/imageFormat';
import { UsageError } from './usageError';

export async function collectImagePaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const stat = await fs.stat(path).catch(() => null);
    // A missing file is reported with the other per-image errors; only folders are expanded here.
    if (!stat?.isDirectory()) {
      out.push(path);
      continue;
    }
    const { files } = await listImageFiles(path);
    if (files.length === 0) throw new UsageError(`${path} holds no ${SUPPORTED_FORMATS_TEXT} images.`);
    out.push(...files);
  }
  return out;
}
