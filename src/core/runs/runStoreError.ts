// A run-store failure the user can understand and act on (full disk, no permission, unknown or unreadable run).
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';

export type RunStoreAction = 'read' | 'write' | 'delete' | 'create';

/**
 * Writing into a missing folder of a read-only file system fails with ENOENT before EROFS: the nearest
 * folder that exists tells which it is.
 */
function onReadOnlyFileSystem(path: string): boolean {
  let folder = dirname(path);
  while (!existsSync(folder) && dirname(folder) !== folder) folder = dirname(folder);
  try {
    accessSync(folder, constants.W_OK);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EROFS';
  }
}

export class RunStoreError extends Error {
  override readonly name = 'RunStoreError';

  constructor(
    message: string,
    /** The errno code of the underlying file error (ENOSPC, EACCES...), when there is one. */
    readonly code?: string,
    readonly path?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** Turns a Node file-system error into a sentence naming the file and the likely remedy. */
  static fromFileError(error: unknown, action: RunStoreAction, path: string): RunStoreError {
    if (error instanceof RunStoreError) return error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const detail = error instanceof Error ? error.message : String(error);
    let message: string;
    switch (code) {
      case 'ENOSPC':
        message = `The disk is full: could not ${action} ${path}. Free some space and try again.`;
        break;
      case 'EDQUOT':
        message = `The disk quota is exceeded: could not ${action} ${path}. Free some space and try again.`;
        break;
      case 'EACCES':
      case 'EPERM':
        message = `Permission denied: could not ${action} ${path}. Check the folder's permissions.`;
        break;
      case 'EROFS':
        message = `The file system is read-only: could not ${action} ${path}.`;
        break;
      case 'ENOENT':
        if (action === 'read') message = `Not found: ${path}.`;
        else if (onReadOnlyFileSystem(path)) message = `The file system is read-only: could not ${action} ${path}.`;
        else message = `Could not ${action} ${path}: its folder no longer exists (was the run deleted?).`;
        break;
      default:
        message = `Could not ${action} ${path}: ${detail}`;
    }
    return new RunStoreError(message, code, path, { cause: error });
  }
}
