// Where the end-to-end machinery lives on disk. Everything generated is git-ignored.
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
/** Screenshots and logs of failed runs, kept for a human to look at. */
export const artifactsDir = join(repoRoot, '.test-artifacts');
/** Throw-away state of e2e runs: code-server profiles, the browser profile, the test workspace. */
export const e2eStateDir = join(repoRoot, '.cache', 'e2e');
export const sampleWorkspaceDir = join(repoRoot, 'sample-workspace');
export const codeServerEntry = process.env.CLASSIFIER_LAB_CODE_SERVER_DIR
  ? join(resolve(process.env.CLASSIFIER_LAB_CODE_SERVER_DIR), 'node_modules', 'code-server', 'out', 'node', 'entry.js')
  : join(repoRoot, '.cache', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const chromiumPath = process.env.CLASSIFIER_LAB_CHROMIUM ?? '/usr/bin/chromium';
