// Tells a dataset's format from the files in its folder (--format auto).
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ResolvedDatasetFormat } from '../runSpec';
import { findCifarLayout } from './cifarLayout';
import { DatasetError } from './dataset';
import { findIdxLayout } from './idxLayout';
import { requireFolder } from './requireFolder';

const ARCHIVE = /\.(tar\.gz|tgz|tar|zip|7z|rar)$/i;

/**
 * CIFAR-10 or CIFAR-100 binary files (in the folder or its cifar-10-batches-bin / cifar-100-binary
 * sub-folder), else IDX files, else class sub-folders. Throws a DatasetError saying what it looked for.
 */
export async function detectFormat(path: string): Promise<ResolvedDatasetFormat> {
  const root = resolve(path);
  await requireFolder(root);
  if (await findCifarLayout(root, 'cifar10')) return 'cifar10';
  if (await findCifarLayout(root, 'cifar100')) return 'cifar100';
  if (await findIdxLayout(root)) return 'idx';
  const entries = (await readdir(root, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  if (entries.some((e) => e.isDirectory() && e.name !== '__MACOSX')) return 'folder';
  const archives = entries.filter((e) => ARCHIVE.test(e.name)).map((e) => e.name);
  const found = entries.length === 0
    ? 'The folder is empty.'
    : `It holds ${entries.length} file${entries.length === 1 ? '' : 's'} (${entries.slice(0, 5).map((e) => e.name).join(', ')}${entries.length > 5 ? ', ...' : ''}).`;
  throw new DatasetError(
    `Could not tell the dataset format of ${root}. Looked for: ` +
    'class sub-folders of PNG/JPEG images (optionally under train/ and test/); ' +
    'CIFAR-10 binary files (data_batch_1.bin ... test_batch.bin, or a cifar-10-batches-bin folder); ' +
    'CIFAR-100 binary files (train.bin, test.bin, or a cifar-100-binary folder); ' +
    'IDX files (train-images-idx3-ubyte and train-labels-idx1-ubyte, optionally .gz). ' +
    found +
    (archives.length > 0 ? ` Extract ${archives.join(', ')} first.` : ''),
  );
}
