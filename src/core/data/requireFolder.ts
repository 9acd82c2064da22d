// The first check of every reader: the dataset path exists and is a folder.
import { stat } from 'node:fs/promises';
import { DatasetError } from './dataset';

/** Throws a DatasetError when the path is missing or not a folder. */
export async function requireFolder(path: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch {
    throw new DatasetError(`Dataset folder not found: ${path}`);
  }
  if (!isDirectory) {
    throw new DatasetError(`${path} is a file, not a folder: give the folder that holds the dataset.`);
  }
}
