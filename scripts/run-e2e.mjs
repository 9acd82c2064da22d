// End-to-end tests in a real VS Code: builds the extension, makes sure the sample workspace and
// code-server + chromium are there (installing them when missing), then runs
// test/e2e/harness/runE2e.ts: the in-host integration tests, then the UI tests.
// `node scripts/run-e2e.mjs [--mode all|integration|ui] [--filter TEXT] [--counts-file PATH]`
// Closes with `e2e: N passed, N failed`; exits non-zero on any failure or missing prerequisite.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, ProvisionError } from './provision-code-server.mjs';
import { makeSampleWorkspace } from './make-sample-workspace.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`run-e2e: ${message}`);
  console.log('\ne2e: 0 passed, 1 failed');
  process.exit(1);
}

const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed.');
try {
  makeSampleWorkspace();
  ensureCodeServer({ browser: true });
} catch (error) {
  fail(error instanceof ProvisionError || error instanceof Error ? error.message : String(error));
}
const e2e = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'test', 'e2e', 'harness', 'runE2e.ts'), ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
});
process.exit(e2e.status ?? 1);
