// Where the files of a CIFAR binary dataset are: the given folder or its standard sub-folder.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type CifarVariant = 'cifar10' | 'cifar100';

export interface CifarLayout {
  variant: CifarVariant;
  /** The folder holding the .bin files. */
  dir: string;
  /** Training files in order (CIFAR-10: data_batch_1..5.bin; CIFAR-100: train.bin). */
  trainFiles: string[];
  testFile?: string;
}

/** Sub-folder names of the published archives (cifar-10-binary.tar.gz, cifar-100-binary.tar.gz). */
export const CIFAR_SUBFOLDERS: Record<CifarVariant, string> = {
  cifar10: 'cifar-10-batches-bin',
  cifar100: 'cifar-100-binary',
};

const CIFAR10_BATCH = /^data_batch_(\d+)\.bin$/;

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function fileNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
}

/** The CIFAR files of one variant under `root`, or undefined when there are none. */
export async function findCifarLayout(root: string, variant: CifarVariant): Promise<CifarLayout | undefined> {
  const sub = join(root, CIFAR_SUBFOLDERS[variant]);
  const dir = (await isFolder(sub)) ? sub : root;
  const names = await fileNames(dir);
  if (variant === 'cifar10') {
    const trainFiles = names
      .filter((n) => CIFAR10_BATCH.test(n))
      .sort((a, b) => Number(CIFAR10_BATCH.exec(a)?.[1]) - Number(CIFAR10_BATCH.exec(b)?.[1]))
      .map((n) => join(dir, n));
    const testFile = names.includes('test_batch.bin') ? join(dir, 'test_batch.bin') : undefined;
    if (trainFiles.length === 0 && !testFile) return undefined;
    return { variant, dir, trainFiles, testFile };
  }
  const trainFiles = names.includes('train.bin') ? [join(dir, 'train.bin')] : [];
  const testFile = names.includes('test.bin') ? join(dir, 'test.bin') : undefined;
  if (trainFiles.length === 0 && !testFile) return undefined;
  return { variant, dir, trainFiles, testFile };
}

/** Bytes of one record: label byte(s) then 32 x 32 x 3 planar pixels. */
export function cifarRecordBytes(variant: CifarVariant): number {
  return (variant === 'cifar10' ? 1 : 2) + 3072;
}
