// Expands the CLI's image arguments: files as given (even missing ones, reported per image later), folders to the
// image files inside them (recursively, sorted).
import { promises as fs } from 'node:fs';
import { extname, join } from 'node:path';
import { SUPPORTED_FORMATS_TEXT, SUPPORTED_IMAGE_EXTENSIONS } from '../core/data/imageFormat';
import { UsageError } from './usageError';

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (SUPPORTED_IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase())) out.push(path);
  }
}

export async function collectImagePaths(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const stat = await fs.stat(path).catch(() => null);
    // A missing file is reported with the other per-image errors; only folders are expanded here.
    if (stat?.isDirectory()) {
      const before = out.length;
      await walk(path, out);
      if (out.length === before) throw new UsageError(`${path} holds no ${SUPPORTED_FORMATS_TEXT} images.`);
    } else {
      out.push(path);
    }
  }
  return out;
}
