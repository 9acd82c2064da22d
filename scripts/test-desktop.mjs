// `npm run test:desktop`: the in-host integration suite (test/integration-vscode) in desktop VS Code
// downloaded by @vscode/test-electron, for machines that can reach update.code.visualstudio.com.
// `npm test` runs the same suite in code-server and needs no download; offline this script says so
// within ~30 s and exits non-zero.
// `node scripts/test-desktop.mjs [--filter TEXT] [--vscode-version V] [--vscode-executable PATH]`
// Builds the extension and the sample workspace first; on Linux without a display it runs VS Code
// under xvfb-run when that is installed. Ends with `desktop: N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeSampleWorkspace } from './make-sample-workspace.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fail(message) {
  console.error(`test-desktop: ${message}`);
  console.log('\ndesktop: 0 passed, 1 failed');
  process.exit(1);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed.');
try {
  makeSampleWorkspace();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const runner = [process.execPath, '--import', 'tsx', join(repoRoot, 'test', 'e2e', 'harness', 'runDesktopTests.ts'), ...process.argv.slice(2)];
// Electron needs an X display; a virtual one does on a server or in CI.
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const [command, ...args] = headless && onPath('xvfb-run') ? ['xvfb-run', '-a', ...runner] : runner;
const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
if (result.error) fail(`${command} could not start: ${result.error.message}`);
process.exit(result.status ?? 1);
