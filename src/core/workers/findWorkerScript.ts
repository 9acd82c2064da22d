// Finds the script a worker thread starts from: the bundled .js beside the running code (dist/), or
// in development the TypeScript source loaded through tsx's require hook.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** A worker script: a file path, or JavaScript source to evaluate. */
export interface WorkerEntry {
  script: string;
  eval: boolean;
}

/**
 * `dir` is the caller's `__dirname` and `name` the worker's file name without extension. Bundles put
 * `name.js` next to each other in dist/; under tsx the source is `name.ts` in the caller's folder
 * (a worker cannot start from a .ts file directly: the ESM loader hooks arrive too late).
 */
export function findWorkerScript(dir: string, name: string): WorkerEntry | undefined {
  const bundled = join(dir, `${name}.js`);
  if (existsSync(bundled)) return { script: bundled, eval: false };
  const source = join(dir, `${name}.ts`);
  if (!existsSync(source)) return undefined;
  try {
    const tsx = createRequire(__filename).resolve('tsx/cjs');
    return { script: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, eval: true };
  } catch {
    return undefined;
  }
}
