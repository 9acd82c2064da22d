// The folder tests open: a fresh copy of sample-workspace/, so tests may create runs and files
// without touching the copy a developer opens with `npm run open`.
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sampleWorkspaceDir } from './e2ePaths';
import { HarnessError } from './harnessError';

export function prepareTestWorkspace(destination: string): string {
  for (const dataset of ['mnist-digits', 'colour-shapes']) {
    if (!existsSync(join(sampleWorkspaceDir, 'data', dataset, '.complete.json'))) {
      throw new HarnessError(`sample-workspace/data/${dataset} is missing. Run: node scripts/make-sample-workspace.mjs`);
    }
  }
  rmSync(destination, { recursive: true, force: true });
  cpSync(sampleWorkspaceDir, destination, { recursive: true });
  return destination;
}
