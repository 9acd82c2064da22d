// Copies a run's best model (TensorFlow.js layers format: model.json + weight files) out of the run folder.
import { cp, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runPaths } from '../../core/runs/runLayout';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** A folder name from a run name: letters, digits, dots, dashes and underscores only. */
export function exportFolderName(runName: string): string {
  const slug = runName.trim().replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 80);
  return `${slug || 'run'}-model`;
}

/**
 * Copies `<runDir>/model/` to a new folder inside `destination`, named after the run (with -2, -3, ...
 * when taken, so nothing is overwritten). Returns the new folder's path.
 */
export async function copyModelFolder(runDir: string, runName: string, destination: string): Promise<string> {
  const source = runPaths(runDir).bestModelDir;
  if (!(await exists(join(source, 'model.json')))) {
    throw new Error('This run has no saved model yet: a model is saved at the end of its best epoch.');
  }
  const base = exportFolderName(runName);
  let target = join(destination, base);
  for (let n = 2; await exists(target); n++) target = join(destination, `${base}-${n}`);
  await cp(source, target, { recursive: true, errorOnExist: true, force: false });
  return target;
}
